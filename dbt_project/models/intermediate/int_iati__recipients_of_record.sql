-- Recipient countries (ISO 3166-1 alpha-2 in IATI, resolved to ISO3) and regions, activity- or transaction-level.
with countries as (
    select
        iso2,
        iso3
    from {{ ref('stg_reference__countries') }}
    where iso2 is not null
    union all
    select
        'XK' as iso2,
        'XKX' as iso3  -- Kosovo: IATI's Country codelist uses XK, ISO 3166-1 has no code
),

names as (
    select
        codelist,
        code,
        name
    from {{ ref('stg_iati__codelists') }}
    where codelist in ('Country', 'Region')
)

select
    r.iati_identifier,
    r.transaction_index,
    case when r.transaction_index is null then 'activity' else 'transaction' end as recipient_level,
    r.position,
    r.recipient_kind,
    case when r.recipient_kind = 'country' then r.recipient_code end as recipient_country_code,
    case when r.recipient_kind = 'country' then c.iso3 end as recipient_iso3,
    case when r.recipient_kind = 'region' then r.recipient_code end as recipient_region_code,
    r.recipient_vocabulary as recipient_region_vocabulary,
    r.percentage,
    coalesce(n.name, r.recipient_narrative) as recipient_name,
    r._source_file,
    r._source_row,
    r._snapshot_sha256
from {{ ref('stg_iati__recipients') }} as r
inner join {{ ref('int_iati__activities_of_record') }} as a
    on r.iati_identifier = a.iati_identifier and r.source_dataset = a.source_dataset
left join countries as c on r.recipient_kind = 'country' and c.iso2 = upper(r.recipient_code)
left join names as n
    on
        r.recipient_code = n.code
        and n.codelist = case when r.recipient_kind = 'country' then 'Country' else 'Region' end
        and (r.recipient_kind = 'country' or r.recipient_vocabulary = '1')
