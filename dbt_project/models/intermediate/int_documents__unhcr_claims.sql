-- Statistics the documents attribute to UNHCR, one row per figure, with the data year they are about (the
-- year of the figure's period end). marts.document_checks compares them with the same statistic in the UNHCR
-- marts.
select
    document,
    figure_id,
    subject,
    iso3,
    country_name,
    metric,
    year(period_end) as data_year,
    value as document_value,
    unit,
    precision,
    quote,
    line,
    attributed_source
from {{ ref('stg_documents__figures') }}
where upper(attributed_source) like '%UNHCR%'
