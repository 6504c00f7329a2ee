-- Why an activity counts as migration-related (documented in _intermediate__models.yml). Rules, any of:
--   sector:       a DAC sector (activity or transaction level) 15190 migration, 15136 immigration or
--                 93010 in-donor refugee costs;
--   humanitarian: a humanitarian sector (72010, 72040, 72050, 73010) and a refugee/displacement term in the
--                 title (English, Dutch or French);
--   keyword:      a programme name or migration term, whole word, in the title or a description (en/nl);
-- and a reviewed override (ingest/reference/iati_migration_overrides.csv) has the last word.
with activities as (
    select iati_identifier from {{ ref('int_iati__activities_of_record') }}
),

dac_sectors as (
    select
        iati_identifier,
        sector_code
    from {{ ref('int_iati__sectors_of_record') }}
    where sector_vocabulary = '1'
),

sector_rule as (
    select
        iati_identifier,
        list_sort(list(distinct sector_code)) as codes
    from dac_sectors
    where sector_code in ('15190', '15136', '93010')
    group by iati_identifier
),

humanitarian_sector as (
    select
        iati_identifier,
        list_sort(list(distinct sector_code)) as codes
    from dac_sectors
    where sector_code in ('72010', '72040', '72050', '73010')
    group by iati_identifier
),

texts as (
    select
        iati_identifier,
        lower(string_agg(case when element = 'title' then narrative end, ' ')) as titles,
        lower(string_agg(narrative, ' ')) as all_text
    from {{ ref('int_iati__narratives_of_record') }}
    group by iati_identifier
),

matches as (
    select
        iati_identifier,
        regexp_matches(coalesce(titles, ''), '(refugee|vluchteling|réfugi|displace|ontheem)')
            as title_mentions_refugees,
        list_sort(list_distinct(regexp_extract_all(
            coalesce(all_text, ''),
            '\b(compass|prospects|gcff|promis|migra\w*|refugee\w*|vluchteling\w*|asylum\w*|asiel\w*'
            || '|displaced|ontheemd\w*|return\w*|terugkeer\w*|iom|unhcr)\b'
        ))) as keywords
    from texts
),

overrides as (
    select * from {{ ref('stg_iati__migration_overrides') }}
),

rules as (
    select
        a.iati_identifier,
        s.codes is not null as by_sector,
        h.codes is not null and coalesce(m.title_mentions_refugees, false) as by_humanitarian,
        len(coalesce(m.keywords, [])) > 0 as by_keyword,
        s.codes as sector_codes,
        h.codes as humanitarian_codes,
        m.keywords
    from activities as a
    left join sector_rule as s on a.iati_identifier = s.iati_identifier
    left join humanitarian_sector as h on a.iati_identifier = h.iati_identifier
    left join matches as m on a.iati_identifier = m.iati_identifier
)

select
    r.iati_identifier,
    coalesce(o.is_migration_related, r.by_sector or r.by_humanitarian or r.by_keyword) as is_migration_related,
    r.by_sector,
    r.by_humanitarian,
    r.by_keyword,
    o.iati_identifier is not null as by_override,
    concat_ws(
        '; ',
        case when r.by_sector then 'DAC sector ' || array_to_string(r.sector_codes, ', ') end,
        case
            when r.by_humanitarian
                then
                    'humanitarian sector ' || array_to_string(r.humanitarian_codes, ', ')
                    || ' and a refugee term in the title'
        end,
        case when r.by_keyword then 'terms in title/description: ' || array_to_string(r.keywords, ', ') end,
        case
            when o.iati_identifier is not null
                then
                    'override (' || o.reviewed_by || '): '
                    || case when o.is_migration_related then 'counted' else 'not counted' end || ', ' || o.reason
        end
    ) as migration_reason
from rules as r
left join overrides as o on r.iati_identifier = o.iati_identifier
