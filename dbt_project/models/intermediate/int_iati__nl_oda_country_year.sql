-- Dutch ODA disbursed per recipient country and year, EUR: disbursements (3) and expenditures (4) that
-- XM-DAC-7 reports itself, by the country part of each allocated transaction. Commitments never count;
-- partner-reported money (UNHCR, IOM) never counts; in-donor refugee costs (93010) are kept apart.
select
    a.recipient_iso3 as iso3,
    a.year,
    sum(a.value_eur) as nl_oda_disbursed_eur,
    coalesce(sum(a.value_eur) filter (where m.is_migration_related), 0) as nl_oda_migration_disbursed_eur
from {{ ref('int_iati__transaction_allocations') }} as a
inner join {{ ref('int_iati__activity_migration_relevance') }} as m on a.iati_identifier = m.iati_identifier
where
    a.is_nl_mfa_reported
    and a.transaction_type_code in ('3', '4')
    and a.recipient_iso3 is not null
    and coalesce(a.sector_code, '') != '93010'
group by all
