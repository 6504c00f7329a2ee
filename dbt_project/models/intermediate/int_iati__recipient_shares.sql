-- How each transaction splits over recipients. Transaction-level recipient countries/regions override the
-- activity's; activity-level percentages are used as published and normalised to sum to 1; recipients
-- without a percentage share what the others leave (evenly), and when none has one the split is even.
-- A transaction with no recipient at all gets one part with no recipient (share 1).
with transactions as (
    select
        transaction_key,
        iati_identifier,
        transaction_index
    from {{ ref('int_iati__transactions_of_record') }}
),

recipients as (
    select * from {{ ref('int_iati__recipients_of_record') }}
),

transaction_level as (
    select
        t.transaction_key,
        r.*
    from transactions as t
    inner join recipients as r
        on t.iati_identifier = r.iati_identifier and t.transaction_index = r.transaction_index
),

activity_level as (
    select
        t.transaction_key,
        r.*
    from transactions as t
    inner join recipients as r
        on t.iati_identifier = r.iati_identifier and r.transaction_index is null
    where t.transaction_key not in (select transaction_key from transaction_level)
),

chosen as (
    select * from transaction_level
    union all
    select * from activity_level
),

{{ percentage_weights('chosen') }}

select
    transaction_key,
    recipient_level,
    position as recipient_position,
    recipient_kind,
    recipient_country_code,
    recipient_iso3,
    recipient_region_code,
    recipient_region_vocabulary,
    recipient_name,
    share as recipient_share
from weights

union all

select
    transaction_key,
    'none' as recipient_level,
    0 as recipient_position,
    null as recipient_kind,
    null as recipient_country_code,
    null as recipient_iso3,
    null as recipient_region_code,
    null as recipient_region_vocabulary,
    null as recipient_name,
    1.0 as recipient_share
from transactions
where transaction_key not in (select transaction_key from chosen)
