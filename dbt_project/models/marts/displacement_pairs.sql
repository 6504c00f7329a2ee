-- One row per (year, origin, asylum) pair for route and corridor analysis, population columns under their
-- source names (UNHCR population table). Stocks at 31 December, except returned_refugees and returned_idps
-- (flows during the year). oip is null where the category does not apply.
select
    p.year,
    p.origin_iso3,
    p.asylum_iso3,
    p.origin_unhcr_code,
    p.asylum_unhcr_code,
    p.origin_name,
    p.asylum_name,
    p.refugees,
    p.asylum_seekers,
    p.oip,
    p.stateless,
    p.others_of_concern as ooc,
    p.idps,
    p.host_community as hst,
    p.returned_refugees,
    p.returned_idps,
    p._source_file,
    p._source_row,
    p._snapshot_sha256
from {{ ref('stg_unhcr__population') }} as p
