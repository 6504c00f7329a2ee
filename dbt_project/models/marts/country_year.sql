-- The analyst's table: one row per country and year, every figure from a documented source column.
select
    cy.iso3,
    cy.year,
    c.name_en as country_name,
    c.name_nl as country_name_nl,
    c.is_pseudo_country,
    cy.refugees_hosted,
    cy.oip_hosted,
    cy.asylum_seekers_hosted,
    cy.refugees_originating,
    cy.oip_originating,
    cy.asylum_seekers_originating,
    cy.idps,
    cy.stateless,
    cy.asylum_applications_new,
    cy.asylum_applications_new_originating,
    cy.decisions_recognized,
    cy.decisions_complementary,
    cy.decisions_rejected,
    cy.decisions_otherwise_closed,
    cy.decisions_total,
    cy.refugee_recognition_rate,
    cy.total_protection_rate,
    cy.returned_refugees,
    cy.resettlement_arrivals,
    cy.naturalisations,
    cy.idmc_conflict_idps,
    cy.unrwa_refugees_hosted,
    cy.forcibly_displaced_originating,
    dtm.idps_dtm,
    dtm.idps_dtm_reporting_date,
    mmp.migrants_dead_missing,
    nl.nl_oda_disbursed_eur,
    nl.nl_oda_migration_disbursed_eur
from {{ ref('int_unhcr__country_year') }} as cy
left join {{ ref('dim_country') }} as c on cy.iso3 = c.iso3
left join {{ ref('int_iom__dtm_idps_by_country_year') }} as dtm on cy.iso3 = dtm.iso3 and cy.year = dtm.year
left join {{ ref('int_iom__migrants_by_country_year') }} as mmp on cy.iso3 = mmp.iso3 and cy.year = mmp.year
left join {{ ref('int_iati__nl_oda_country_year') }} as nl on cy.iso3 = nl.iso3 and cy.year = nl.year
