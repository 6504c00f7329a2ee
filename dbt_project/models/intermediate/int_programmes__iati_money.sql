-- IATI money per programme, recipient country and year, EUR, from the allocated transactions (so parts sum
-- to transaction values). The programme's own money is what XM-DAC-7 reports for its matched activities:
-- commitments (2) and disbursements + expenditures (3, 4), never added together. Money that partner
-- organisations report for activities funded by a matched activity (linked through provider-activity-id)
-- is kept in separate partner_* columns and never added to the Dutch figures. A column is null, not 0, where
-- no transaction of its kind exists for the programme, country and year.
with matches as (
    select * from {{ ref('int_programmes__iati_activity_matches') }}
),

allocations as (
    select * from {{ ref('int_iati__transaction_allocations') }}
),

dutch as (
    select
        m.programme_id,
        a.recipient_iso3 as iso3,
        a.year,
        sum(a.value_eur) filter (where a.transaction_type_code = '2') as iati_committed_eur,
        sum(a.value_eur) filter (where a.transaction_type_code in ('3', '4')) as iati_disbursed_eur,
        null::double as partner_incoming_eur,
        null::double as partner_disbursed_eur
    from allocations as a
    inner join matches as m on a.iati_identifier = m.iati_identifier
    where a.is_nl_mfa_reported
    group by all
),

partner_activities as (
    select distinct
        t.iati_identifier,
        m.programme_id
    from allocations as t
    inner join matches as m on t.provider_activity_id = m.iati_identifier
    where not t.is_nl_mfa_reported
),

partners as (
    select
        p.programme_id,
        a.recipient_iso3 as iso3,
        a.year,
        null::double as iati_committed_eur,
        null::double as iati_disbursed_eur,
        sum(a.value_eur) filter (where a.transaction_type_code in ('1', '11')) as partner_incoming_eur,
        sum(a.value_eur) filter (where a.transaction_type_code in ('3', '4')) as partner_disbursed_eur
    from allocations as a
    inner join partner_activities as p on a.iati_identifier = p.iati_identifier
    group by all
)

select
    programme_id,
    iso3,
    year,
    sum(iati_committed_eur) as iati_committed_eur,
    sum(iati_disbursed_eur) as iati_disbursed_eur,
    sum(partner_incoming_eur) as partner_incoming_eur,
    sum(partner_disbursed_eur) as partner_disbursed_eur
from (
    select * from dutch
    union all
    select * from partners
) as money
where year is not null
group by all
