{{ config(materialized='table') }}
-- One row per transaction x recipient x sector part. allocation_share = recipient share x sector share;
-- value, value_eur and value_usd are split in whole cents with the largest-remainder method (macro
-- allocate_cents), so the parts of a transaction add up to its (rounded) value exactly, in each currency.
with transactions as (
    select * from {{ ref('int_iati__transactions_converted') }}
),

parts as (
    select
        t.*,
        r.* exclude (transaction_key),
        s.* exclude (transaction_key),
        round(r.recipient_share * s.sector_share, 12) as allocation_share,
        row_number() over (
            partition by t.transaction_key order by r.recipient_position, s.sector_position
        ) as part_index
    from transactions as t
    inner join {{ ref('int_iati__recipient_shares') }} as r on t.transaction_key = r.transaction_key
    inner join {{ ref('int_iati__sector_shares') }} as s on t.transaction_key = s.transaction_key
)

select
    * exclude (value, value_eur, value_usd),
    value as transaction_value,
    value_eur as transaction_value_eur,
    value_usd as transaction_value_usd,
    {{ allocate_cents('value', 'allocation_share', 'transaction_key', 'part_index') }} as value,
    {{ allocate_cents('value_eur', 'allocation_share', 'transaction_key', 'part_index') }} as value_eur,
    {{ allocate_cents('value_usd', 'allocation_share', 'transaction_key', 'part_index') }} as value_usd
from parts
