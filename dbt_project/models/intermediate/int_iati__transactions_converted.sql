-- Each transaction converted to EUR and USD with the ECB reference rate of its value-date (transaction date
-- when no value-date is given), or of the last ECB publication day before it (as-of join). A rate older
-- than 7 days is not used: the values stay null and fx_status says why.
with transactions as (
    select * from {{ ref('int_iati__transactions_of_record') }}
),

rates as (
    select
        rate_date,
        currency,
        units_per_eur::double as units_per_eur
    from {{ ref('stg_fx__ecb_reference_rates') }}
),

usd as (
    select
        rate_date,
        units_per_eur as usd_per_eur
    from rates
    where currency = 'USD'
),

with_currency_rate as (
    select
        t.*,
        r.rate_date as currency_rate_date,
        r.units_per_eur as currency_units_per_eur
    from transactions as t
    asof left join rates as r on t.currency = r.currency and t.fx_date >= r.rate_date
),

with_rates as (
    select
        t.*,
        u.rate_date as usd_rate_date,
        u.usd_per_eur as usd_units_per_eur
    from with_currency_rate as t
    asof left join usd as u on t.fx_date >= u.rate_date
),

usable as (
    select
        *,
        case
            when currency = 'EUR' then 1.0
            when currency_rate_date >= fx_date - interval 7 day then currency_units_per_eur
        end as eur_rate,
        case when currency_rate_date >= fx_date - interval 7 day then currency_rate_date end as eur_rate_date,
        case when usd_rate_date >= fx_date - interval 7 day then usd_units_per_eur end as usd_per_eur,
        case when usd_rate_date >= fx_date - interval 7 day then usd_rate_date end as usd_rate_date_used
    from with_rates
)

select
    * exclude (currency_rate_date, currency_units_per_eur, usd_rate_date, usd_units_per_eur, usd_rate_date_used),
    usd_rate_date_used as usd_rate_date,
    case
        when currency = 'EUR' then round(value, 2)
        else round(value / eur_rate, 2)
    end::decimal(20, 2) as value_eur,
    case
        when currency = 'USD' then round(value, 2)
        else round(value / eur_rate * usd_per_eur, 2)
    end::decimal(20, 2) as value_usd,
    case
        when fx_date is null then 'no value-date or transaction date'
        when eur_rate is null then 'no ECB rate for ' || currency || ' within 7 days before ' || fx_date
        when usd_per_eur is null then 'no ECB USD rate within 7 days before ' || fx_date
        else 'ECB reference rates of ' || coalesce(eur_rate_date, usd_rate_date_used)
    end as fx_status
from usable
