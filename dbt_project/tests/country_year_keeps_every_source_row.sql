-- marts.country_year is built on the dim_country x dim_year spine: no country-year that a source reports may be
-- missing from it (a code outside dim_country, or a year outside the spine, would be dropped silently).
with source_rows as (
    select iso3, year, 'unhcr' as source from {{ ref('int_unhcr__country_year') }}
    union all
    select iso3, year, 'iom dtm' from {{ ref('int_iom__dtm_idps_by_country_year') }}
    union all
    select iso3, year, 'iom missing migrants' from {{ ref('int_iom__migrants_by_country_year') }}
    union all
    select iso3, year, 'iati' from {{ ref('int_iati__nl_oda_country_year') }}
)

select s.*
from source_rows as s
left join {{ ref('country_year') }} as c on s.iso3 = c.iso3 and s.year = c.year
where c.iso3 is null
