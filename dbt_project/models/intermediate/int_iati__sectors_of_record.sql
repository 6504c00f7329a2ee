-- Sectors of every vocabulary; DAC codes (vocabulary 1: 5-digit, 2: 3-digit) named from the codelists,
-- never from the publisher's narrative (which can disagree with the code).
with names as (
    select
        codelist,
        code,
        name
    from {{ ref('stg_iati__codelists') }}
    where codelist in ('Sector', 'SectorCategory')
)

select
    s.iati_identifier,
    s.transaction_index,
    case when s.transaction_index is null then 'activity' else 'transaction' end as sector_level,
    s.position,
    s.sector_vocabulary,
    s.sector_code,
    s.percentage,
    n.name as sector_name,
    s.sector_narrative,
    s._source_file,
    s._source_row,
    s._snapshot_sha256
from {{ ref('stg_iati__sectors') }} as s
inner join {{ ref('int_iati__activities_of_record') }} as a
    on s.iati_identifier = a.iati_identifier and s.source_dataset = a.source_dataset
left join names as n
    on
        s.sector_code = n.code
        and n.codelist = case s.sector_vocabulary when '1' then 'Sector' when '2' then 'SectorCategory' end
