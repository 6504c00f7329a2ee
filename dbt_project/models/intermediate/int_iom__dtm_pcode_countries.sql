-- The country each DTM record's sub-national p-codes name, read from the p-code's letter prefix: three
-- letters or more are an ISO3 code (IRQ-G01 -> IRQ, TCD07 -> TCD), two an ISO2 code looked up in the
-- reference countries (AF15 -> AFG). A p-code without a letter prefix, or one naming no country, reads '?',
-- so the same-country test of the YAML fails on it. Nothing downstream reads these columns: the model holds
-- that rule (a sub-national p-code names the row's country), which gates the build.
with records as (
    select
        source_format,
        vintage,
        admin_level,
        operation,
        iso3,
        admin1_pcode,
        admin2_pcode,
        reporting_date,
        round_number,
        assessment_type,
        displacement_reason,
        origin_admin1_pcode,
        _source_file,
        _source_row,
        upper(regexp_extract(nullif(admin1_pcode, ''), '^[A-Za-z]+')) as admin1_prefix,
        upper(regexp_extract(nullif(admin2_pcode, ''), '^[A-Za-z]+')) as admin2_prefix
    from {{ ref('stg_iom__dtm_idps') }}
),

iso2 as (
    select
        iso2,
        iso3
    from {{ ref('stg_reference__countries') }}
    where iso2 is not null
)

select
    r.source_format,
    r.vintage,
    r.admin_level,
    r.operation,
    r.iso3,
    r.admin1_pcode,
    r.admin2_pcode,
    r.reporting_date,
    r.round_number,
    r.assessment_type,
    r.displacement_reason,
    r.origin_admin1_pcode,
    {{ iso3_of_pcode_prefix('r.admin1_prefix', 'a1.iso3') }} as admin1_pcode_iso3,
    {{ iso3_of_pcode_prefix('r.admin2_prefix', 'a2.iso3') }} as admin2_pcode_iso3,
    r._source_file,
    r._source_row
from records as r
left join iso2 as a1 on r.admin1_prefix = a1.iso2
left join iso2 as a2 on r.admin2_prefix = a2.iso2
