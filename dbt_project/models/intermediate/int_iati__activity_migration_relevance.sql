-- Why an activity counts as migration-related (rules documented in marts/iati_activity_classification.yml).
-- In order, the first that applies gives the verdict and its rule:
--   override:      a reviewed override (dbt_project/seeds/read_by_ingest/iati_migration_overrides.csv)
--                  has the last word;
--   sector:        a DAC sector (activity or transaction level) 15190 migration, 15136 immigration or
--                  93010 in-donor refugee costs;
--   humanitarian:  a humanitarian sector (72010, 72040, 72050, 73010) and a refugee/displacement term in the
--                  title (English, Dutch or French);
--   keyword:       a strong term (a migration programme, agency, or a word naming migrants, refugees or
--                  asylum), whole word, in the title or a description (en/nl);
--   weak_keyword_contradicted (out): only weak terms (displaced, return, ...) and DAC sectors that name
--                  another purpose: a field contradicts the keyword, which never decides alone;
--   weak_keyword_only (out): only weak terms, and no field that corroborates them;
--   no_evidence (out).
with activities as (
    select iati_identifier from {{ ref('int_iati__activities_of_record') }}
),

dac_sectors as (
    select
        iati_identifier,
        sector_code
    from {{ ref('int_iati__sectors_of_record') }}
    where coalesce(sector_vocabulary, '1') in ('1', '')
),

sector_rule as (
    select
        iati_identifier,
        list_sort(list(distinct sector_code) filter (where sector_code in ('15190', '15136', '93010'))) as codes,
        list_sort(list(distinct sector_code) filter (where sector_code in ('72010', '72040', '72050', '73010')))
            as humanitarian_codes,
        count(*) as dac_sector_rows
    from dac_sectors
    group by iati_identifier
),

texts as (
    select
        iati_identifier,
        element as field,
        lower(string_agg(narrative, ' ')) as text
    from {{ ref('int_iati__narratives_of_record') }}
    where element in ('title', 'description')
    group by iati_identifier, element
),

hits as (
    select
        iati_identifier,
        field,
        list_sort(list_distinct(regexp_extract_all(
            text,
            '\b(compass|prospects|gcff|promis|migra\w*|refugee\w*|vluchteling\w*|asylum\w*|asiel\w*|iom|unhcr)\b'
        ))) as strong_terms,
        list_sort(list_distinct(regexp_extract_all(
            text, '\b(displaced|displacement|ontheemd\w*|return\w*|terugkeer\w*)\b'
        ))) as weak_terms,
        field = 'title' and regexp_matches(text, '(refugee|vluchteling|réfugi|displace|ontheem)')
            as title_mentions_refugees
    from texts
),

keywords as (
    select
        iati_identifier,
        bool_or(len(strong_terms) > 0) as has_strong_term,
        bool_or(len(weak_terms) > 0) as has_weak_term,
        bool_or(title_mentions_refugees) as title_mentions_refugees,
        list(field || ' - ' || array_to_string(list_concat(strong_terms, weak_terms), ', ') order by field)
        filter (where len(strong_terms) + len(weak_terms) > 0) as keyword_hits
    from hits
    group by iati_identifier
),

overrides as (
    select * from {{ ref('stg_iati__migration_overrides') }}
),

rules as (
    select
        a.iati_identifier,
        s.codes is not null as by_sector,
        s.humanitarian_codes is not null and coalesce(k.title_mentions_refugees, false) as by_humanitarian,
        coalesce(k.has_strong_term, false) as by_keyword,
        coalesce(k.has_weak_term, false) and not coalesce(k.has_strong_term, false) as weak_terms_only,
        coalesce(s.dac_sector_rows, 0) > 0 as has_dac_sector,
        s.codes as sector_codes,
        s.humanitarian_codes,
        k.keyword_hits
    from activities as a
    left join sector_rule as s on a.iati_identifier = s.iati_identifier
    left join keywords as k on a.iati_identifier = k.iati_identifier
),

verdicts as (
    select
        r.*,
        o.iati_identifier is not null as by_override,
        o.is_migration_related as override_verdict,
        o.reason as override_reason,
        o.reviewed_by as override_reviewed_by,
        case
            when o.iati_identifier is not null then 'override'
            when r.by_sector then 'sector'
            when r.by_humanitarian then 'humanitarian'
            when r.by_keyword then 'keyword'
            when r.weak_terms_only and r.has_dac_sector then 'weak_keyword_contradicted'
            when r.weak_terms_only then 'weak_keyword_only'
            else 'no_evidence'
        end as verdict_rule
    from rules as r
    left join overrides as o on r.iati_identifier = o.iati_identifier
)

select
    iati_identifier,
    coalesce(override_verdict, verdict_rule in ('sector', 'humanitarian', 'keyword')) as is_migration_related,
    verdict_rule,
    by_sector,
    by_humanitarian,
    by_keyword,
    by_override,
    sector_codes,
    humanitarian_codes,
    keyword_hits,
    override_reason,
    override_reviewed_by,
    concat_ws(
        '; ',
        case when by_sector then 'DAC sector ' || array_to_string(sector_codes, ', ') end,
        case
            when by_humanitarian
                then
                    'humanitarian sector ' || array_to_string(humanitarian_codes, ', ')
                    || ' and a refugee term in the title'
        end,
        case when keyword_hits is not null then 'terms found: ' || array_to_string(keyword_hits, '; ') end,
        case
            when verdict_rule = 'weak_keyword_contradicted'
                then 'not counted: only weak terms, and the DAC sectors name another purpose'
        end,
        case
            when by_override
                then
                    'override (' || override_reviewed_by || '): '
                    || case when override_verdict then 'counted' else 'not counted' end || ', ' || override_reason
        end
    ) as migration_reason
from verdicts
