-- UNHCR demographics in long form: one row per stock row x sex x age band, for rows that carry a sex
-- breakdown only (f_total + m_total > 0). Rows without a breakdown keep their total in stg_unhcr__demographics;
-- their all-zero bands mean "not disaggregated" and are not repeated here as zero people.
with demographics as (
    select * from {{ ref('stg_unhcr__demographics') }}
    where (f_total + m_total) > 0
),

long as (
    unpivot demographics
    on f_0_4, f_5_11, f_12_17, f_18_59, f_60, f_other, m_0_4, m_5_11, m_12_17, m_18_59, m_60, m_other
    into name band value persons
)

select
    year,
    origin_iso3,
    asylum_iso3,
    origin_unhcr_code,
    asylum_unhcr_code,
    population_type,
    location,
    location_type,
    accommodation_type,
    case left(band, 1) when 'f' then 'female' else 'male' end as sex,
    case substr(band, 3)
        when '0_4' then '0-4'
        when '5_11' then '5-11'
        when '12_17' then '12-17'
        when '18_59' then '18-59'
        when '60' then '60+'
        else 'unknown'
    end as age_band,
    persons,
    _source_file,
    _source_row,
    _snapshot_sha256
from long
