-- Every transaction of the retained file of each activity, with its year, FX date and type name.
with types as (
    select
        code,
        name
    from {{ ref('stg_iati__codelists') }}
    where codelist = 'TransactionType'
)

select
    t.iati_identifier || '#' || t.transaction_index as transaction_key,
    t.iati_identifier,
    t.transaction_index,
    a.reporting_org_ref,
    a.is_nl_mfa_reported,
    t.transaction_ref,
    t.transaction_type_code,
    ty.name as transaction_type_name,
    t.transaction_date,
    year(t.transaction_date) as year,
    t.value,
    t.currency,
    t.currency_is_default,
    t.value_date,
    coalesce(t.value_date, t.transaction_date) as fx_date,
    coalesce(t.is_humanitarian, a.is_humanitarian) as is_humanitarian,
    t.description,
    t.provider_org_ref,
    t.provider_org_type,
    t.provider_org_name,
    t.provider_activity_id,
    t.receiver_org_ref,
    t.receiver_org_type,
    t.receiver_org_name,
    t.receiver_activity_id,
    coalesce(t.flow_type_code, a.default_flow_type_code) as flow_type_code,
    coalesce(t.finance_type_code, a.default_finance_type_code) as finance_type_code,
    coalesce(t.aid_type_code, a.default_aid_type_code) as aid_type_code,
    coalesce(t.tied_status_code, a.default_tied_status_code) as tied_status_code,
    t.disbursement_channel_code,
    t._source_file,
    t._source_row,
    t._snapshot_sha256,
    t._retrieved_at
from {{ ref('stg_iati__transactions') }} as t
inner join {{ ref('int_iati__activities_of_record') }} as a
    on t.iati_identifier = a.iati_identifier and t.source_dataset = a.source_dataset
left join types as ty on t.transaction_type_code = ty.code
