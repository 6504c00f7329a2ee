-- Which migration-related IATI activities of XM-DAC-7 belong to which programme, which to none, and which
-- programmes the documents name have no IATI activity: nothing unmatched is hidden.
with activities as (
    select
        iati_identifier,
        any_value(title_en) as title_en,
        any_value(title_nl) as title_nl,
        any_value(title) as title
    from {{ ref('int_iati__activities_of_record') }}
    where is_nl_mfa_reported
    group by iati_identifier
),

relevance as (
    select * from {{ ref('int_iati__activity_migration_relevance') }}
),

matches as (
    select * from {{ ref('int_programmes__iati_activity_matches') }}
),

activity_rows as (
    select
        m.programme_id,
        a.iati_identifier,
        coalesce(a.title_en, a.title_nl, a.title) as activity_title,
        coalesce(r.is_migration_related, false) as is_migration_related,
        r.migration_reason,
        case
            when m.programme_id is not null then 'matched'
            else 'migration-related activity without programme'
        end as match_status,
        m.match_on,
        m.pattern as matched_pattern
    from activities as a
    left join relevance as r on a.iati_identifier = r.iati_identifier
    left join matches as m on a.iati_identifier = m.iati_identifier
    where m.programme_id is not null or r.is_migration_related
),

programmes_without_activity as (
    select
        p.programme_id,
        null::varchar as iati_identifier,
        null::varchar as activity_title,
        null::boolean as is_migration_related,
        null::varchar as migration_reason,
        'programme without IATI activity' as match_status,
        null::varchar as match_on,
        null::varchar as matched_pattern
    from {{ ref('dim_programme') }} as p
    where not p.has_iati_activities
)

select * from activity_rows
union all
select * from programmes_without_activity
