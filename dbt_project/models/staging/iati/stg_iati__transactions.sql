-- Every transaction as published, per raw file, in its own currency.
with source as (
    select * from {{ source('iati', 'transactions') }}
),

renamed as (
    select
        iati_identifier,
        transaction_index,
        reporting_org_ref,
        transaction_ref,
        transaction_type_code,
        transaction_date,
        value,
        currency,
        currency_is_default,
        value_date,
        humanitarian as is_humanitarian,
        description,
        provider_org_ref,
        provider_org_type,
        provider_org_name,
        provider_activity_id,
        receiver_org_ref,
        receiver_org_type,
        receiver_org_name,
        receiver_activity_id,
        flow_type_code,
        finance_type_code,
        aid_type_code,
        tied_status_code,
        disbursement_channel_code,
        source_dataset,
        _source_file,
        _source_row,
        _snapshot_sha256,
        _retrieved_at
    from source
)

select * from renamed
