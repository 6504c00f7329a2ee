-- One row per IATI activity: whether it counts as migration-related, by which rule, and the evidence an
-- analyst needs to audit that: DAC sectors with percentages, policy markers, the humanitarian flag, tags,
-- keyword hits by field, and the reviewed override with reviewer and reason.
with verdicts as (
    select * from {{ ref('int_iati__activity_migration_relevance') }}
),

activities as (
    select * from {{ ref('int_iati__activities_of_record') }}
),

sectors as (
    select
        iati_identifier,
        list(
            sector_code || coalesce(' ' || sector_name, '') || coalesce(': ' || round(percentage, 2)::double || '%', '')
            order by percentage desc nulls last, sector_code asc
        ) as dac_sectors
    from (
        select distinct
            iati_identifier,
            sector_code,
            sector_name,
            percentage
        from {{ ref('int_iati__sectors_of_record') }}
        where coalesce(sector_vocabulary, '1') in ('1', '')
    ) as s
    group by iati_identifier
),

markers as (
    select
        iati_identifier,
        list(
            code || ' ' || coalesce(name, '') || ' (significance ' || coalesce(significance, '?') || ')'
            order by code
        ) filter (where coalesce(significance, '0') != '0') as policy_markers
    from {{ ref('int_iati__policy_markers_of_record') }}
    group by iati_identifier
),

tags as (
    select
        iati_identifier,
        list(distinct coalesce(name, code)) as tags
    from {{ ref('int_iati__tags_of_record') }}
    group by iati_identifier
)

select
    v.iati_identifier,
    a.title,
    a.reporting_org_ref,
    a.is_nl_mfa_reported,
    v.is_migration_related,
    v.verdict_rule,
    s.dac_sectors,
    v.sector_codes as migration_sector_codes,
    v.humanitarian_codes as humanitarian_sector_codes,
    m.policy_markers,
    a.is_humanitarian,
    t.tags,
    v.keyword_hits,
    v.override_reviewed_by,
    v.override_reason,
    v.migration_reason
from verdicts as v
inner join activities as a on v.iati_identifier = a.iati_identifier
left join sectors as s on v.iati_identifier = s.iati_identifier
left join markers as m on v.iati_identifier = m.iati_identifier
left join tags as t on v.iati_identifier = t.iati_identifier
