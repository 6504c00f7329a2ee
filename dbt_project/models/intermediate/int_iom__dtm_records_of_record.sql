-- The DTM rows the marts count: for each country and admin level, only the rows of its file set of record
-- (int_iom__dtm_sources_of_record). Same columns as stg_iom__dtm_idps; still one row per unit, round,
-- reason and origin, so a figure is a sum over rows of one snapshot, never over snapshots.
with records as (
    select * from {{ ref('stg_iom__dtm_idps') }}
),

sources_of_record as (
    select * from {{ ref('int_iom__dtm_sources_of_record') }}
)

select r.*
from records as r
inner join sources_of_record as s
    on
        r.iso3 = s.iso3
        and r.admin_level = s.admin_level
        and r.source_format = s.source_format
        and r.vintage = s.vintage
