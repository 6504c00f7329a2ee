-- Every UNHCR figure per country and year on one spine: the union of the country-years of all UNHCR
-- datasets, so a country-year with asylum, solutions, IDMC or UNRWA figures but no population row is kept.
-- Every figure stays null where its dataset reports nothing for the country-year (not reported is not zero).
-- forcibly_displaced_originating is UNHCR's headline built by origin: refugees + asylum seekers + OIP
-- (population, by origin) + UNRWA-registered Palestine refugees (by origin) + IDMC conflict IDPs.
with population as (
    select * from {{ ref('int_unhcr__population_by_country_year') }}
),

asylum as (
    select * from {{ ref('int_unhcr__asylum_by_country_year') }}
),

solutions as (
    select * from {{ ref('int_unhcr__solutions_by_country_year') }}
),

third_party as (
    select * from {{ ref('int_unhcr__idmc_unrwa_by_country_year') }}
),

spine as (
    select
        iso3,
        year
    from population
    union
    select
        iso3,
        year
    from asylum
    union
    select
        iso3,
        year
    from solutions
    union
    select
        iso3,
        year
    from third_party
)

select
    s.iso3,
    s.year,
    p.refugees_hosted,
    p.oip_hosted,
    p.asylum_seekers_hosted,
    p.refugees_originating,
    p.oip_originating,
    p.asylum_seekers_originating,
    p.idps,
    p.stateless,
    a.asylum_applications_new,
    a.asylum_applications_new_originating,
    a.decisions_recognized,
    a.decisions_complementary,
    a.decisions_rejected,
    a.decisions_otherwise_closed,
    a.decisions_total,
    a.refugee_recognition_rate,
    a.total_protection_rate,
    so.returned_refugees,
    so.resettlement_arrivals,
    so.naturalisations,
    t.idmc_conflict_idps,
    t.unrwa_refugees_hosted,
    case
        when
            coalesce(
                p.refugees_originating, p.asylum_seekers_originating, p.oip_originating,
                t.unrwa_refugees_originating, t.idmc_conflict_idps
            ) is not null
            then (
                coalesce(p.refugees_originating, 0)
                + coalesce(p.asylum_seekers_originating, 0)
                + coalesce(p.oip_originating, 0)
                + coalesce(t.unrwa_refugees_originating, 0)
                + coalesce(t.idmc_conflict_idps, 0)
            )::bigint
    end as forcibly_displaced_originating
from spine as s
left join population as p on s.iso3 = p.iso3 and s.year = p.year
left join asylum as a on s.iso3 = a.iso3 and s.year = a.year
left join solutions as so on s.iso3 = so.iso3 and s.year = so.year
left join third_party as t on s.iso3 = t.iso3 and s.year = t.year
