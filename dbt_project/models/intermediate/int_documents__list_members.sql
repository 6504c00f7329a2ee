-- Every country or region the documents list, with the list's role (focus, programme_country, partner, example,
-- origin, transit, destination, mentioned), track, programme, phase, period and quote. A region appears once as
-- written (member_kind 'region', iso3 null) and once per member country of documents/regions.csv
-- (member_kind 'region_member'), so a region can be kept or expanded. Only role 'focus' makes a focus country.
with members as (
    select * from {{ ref('stg_documents__lists') }}
),

regions as (
    select * from {{ ref('stg_documents__regions') }}
),

region_names as (
    select distinct
        region_id,
        region_name
    from regions
),

listed as (
    select
        m.*,
        case when m.region_id is null then 'country' else 'region' end as member_kind,
        r.region_name
    from members as m
    left join region_names as r on m.region_id = r.region_id
),

expanded as (
    select
        l.* exclude (member_kind) replace (r.iso3 as iso3),
        'region_member' as member_kind
    from listed as l
    inner join regions as r on l.region_id = r.region_id
),

all_rows as (
    select * from listed
    union all by name
    select * from expanded
)

select
    l.document,
    l.list_id,
    l.member_index,
    l.role,
    l.subject,
    l.policy_track,
    l.programme,
    l.phase_id,
    l.period_start,
    l.period_end,
    l.member_name,
    l.member_kind,
    l.region_id,
    l.region_name,
    l.iso3,
    l.stated_count,
    l.member_count,
    l.member_quote as quote,
    l.member_line as line,
    l.list_quote,
    l.ocr_flag is not null as ocr_flagged,
    t.published_date as document_date,
    t.document_year
from all_rows as l
inner join {{ ref('stg_documents__texts') }} as t on l.document = t.document
