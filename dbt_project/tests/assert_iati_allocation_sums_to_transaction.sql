-- Fails with every transaction whose allocated parts do not add up to its value rounded to the cent,
-- in its own currency, in EUR or in USD.
select
    transaction_key,
    round(min(transaction_value), 2) as expected,
    sum(value) as allocated,
    min(transaction_value_eur) as expected_eur,
    sum(value_eur) as allocated_eur,
    min(transaction_value_usd) as expected_usd,
    sum(value_usd) as allocated_usd,
    sum(allocation_share) as shares
from {{ ref('oda_transactions') }}
group by transaction_key
having
    sum(value) != round(min(transaction_value), 2)
    or sum(value_eur) is distinct from min(transaction_value_eur)
    or sum(value_usd) is distinct from min(transaction_value_usd)
    or abs(sum(allocation_share) - 1) > 1e-9
