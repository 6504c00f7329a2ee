-- The Missing Migrants rows the marts count: for each incident year, the latest-vintage download that
-- has that year (at equal vintage the all-data export, then the per-year JSON, then the CSV export).
-- Downloads are never merged row by row: IOM revises past records between vintages.
with files as (
    select
        incident_year,
        source_format,
        vintage,
        request_year
    from {{ ref('int_iom__mmp_rows') }}
    group by all
),

chosen as (
    select *
    from files
    qualify row_number() over (
        partition by incident_year
        order by
            vintage desc,
            case source_format when 'mmp_xlsx_all_data' then 1 when 'mmp_json_year' then 2 else 3 end
    ) = 1
)

select m.*
from {{ ref('int_iom__mmp_rows') }} as m
inner join chosen as c
    on
        m.incident_year = c.incident_year
        and m.source_format = c.source_format
        and m.vintage = c.vintage
        and m.request_year is not distinct from c.request_year
