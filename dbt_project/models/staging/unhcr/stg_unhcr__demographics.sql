-- Year-end stocks by sex and age band (wide, as published). All bands 0 with a total means "not
-- disaggregated", not zero people (fct_demographics_sex_age keeps only the rows with a breakdown).
with source as (
    select * from {{ source('unhcr', 'demographics') }}
),

renamed as (
    select
        {{ unhcr_identity() }},
        pop_type as population_type,
        location,
        loc_type as location_type,
        acc_type as accommodation_type,
        f_0_4,
        f_5_11,
        f_12_17,
        f_18_59,
        f_60,
        f_other,
        f_total,
        m_0_4,
        m_5_11,
        m_12_17,
        m_18_59,
        m_60,
        m_other,
        m_total,
        total,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
