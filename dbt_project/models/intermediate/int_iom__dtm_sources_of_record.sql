-- Which loaded DTM file set speaks for a country at each admin level: the latest vintage; at equal
-- vintage the API response over the HDX CSV built from it (v3 over v2 follows from the dates). HAPI's
-- re-matched, collapsed copy is loaded for comparison only and never chosen.
with candidates as (
    select
        iso3,
        admin_level,
        source_format,
        vintage,
        count(*) as records
    from {{ ref('stg_iom__dtm_idps') }}
    where source_format != 'hdx_hapi_csv'
    group by all
)

select
    iso3,
    admin_level,
    source_format,
    vintage,
    records
from candidates
qualify row_number() over (
    partition by iso3, admin_level
    order by
        vintage desc,
        case source_format when 'dtm_api_v3' then 1 when 'dtm_api_v2' then 2 else 3 end
) = 1
