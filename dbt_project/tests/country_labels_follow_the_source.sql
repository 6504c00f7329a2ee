-- A UNHCR label in the country_labels seed is UNHCR's own name for that code: fails with every label
-- that UNHCR's code list does not give the row.
select l.iso3, l.label_en
from {{ ref('country_labels') }} as l
where
    l.source like 'UNHCR%'
    and not exists (
        select 1
        from {{ ref('int_unhcr__countries') }} as c
        where c.iso3 = l.iso3 and trim(c.name) = l.label_en
    )
