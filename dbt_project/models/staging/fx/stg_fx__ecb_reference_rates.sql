-- ECB reference rates, units of the currency per 1 EUR; EUR itself is not in the file (its rate is 1).
with source as (
    select * from {{ source('fx', 'ecb_reference_rates') }}
),

renamed as (
    select
        rate_date,
        currency,
        units_per_eur,
        _source_file,
        _source_row,
        _snapshot_sha256
    from source
)

select * from renamed
