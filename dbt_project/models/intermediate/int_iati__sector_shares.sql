-- How each transaction splits over DAC sectors. Transaction-level DAC sectors override the activity's; at
-- activity level the 5-digit vocabulary (1) is used, else the 3-digit one (2); publisher vocabularies
-- (98, 99, ...) are kept in staging but never used to split money. Percentages are normalised as for
-- recipients (missing ones share the rest evenly). No DAC sector: one part with no sector (share 1).
with transactions as (
    select
        transaction_key,
        iati_identifier,
        transaction_index
    from {{ ref('int_iati__transactions_of_record') }}
),

sectors as (
    select * from {{ ref('int_iati__sectors_of_record') }}
    where sector_vocabulary in ('1', '2')
),

transaction_level as (
    select
        t.transaction_key,
        s.*
    from transactions as t
    inner join sectors as s
        on t.iati_identifier = s.iati_identifier and t.transaction_index = s.transaction_index
),

activity_vocabulary as (
    select
        iati_identifier,
        min(sector_vocabulary) as sector_vocabulary
    from sectors
    where transaction_index is null
    group by iati_identifier
),

activity_level as (
    select
        t.transaction_key,
        s.*
    from transactions as t
    inner join activity_vocabulary as v on t.iati_identifier = v.iati_identifier
    inner join sectors as s
        on
            t.iati_identifier = s.iati_identifier
            and s.transaction_index is null
            and v.sector_vocabulary = s.sector_vocabulary
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
    sector_level,
    position as sector_position,
    sector_vocabulary,
    sector_code,
    sector_name,
    share as sector_share
from weights

union all

select
    transaction_key,
    'none' as sector_level,
    0 as sector_position,
    null as sector_vocabulary,
    null as sector_code,
    null as sector_name,
    1.0 as sector_share
from transactions
where transaction_key not in (select transaction_key from chosen)
