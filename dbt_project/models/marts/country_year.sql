-- The analyst's table: one row per country (dim_country, incl. labelled pseudo-codes) and year
-- (dim_year up to the current year), whether or not any source has data for it. Every figure comes from a
-- documented source column; null means the source has no figure, not zero. Rows a source labels with a wider
-- coverage carry the source's label (seed country_labels: Serbia and Kosovo per UNHCR).
with spine as (
    select
        c.iso3,
        y.year
    from {{ ref('dim_country') }} as c
    cross join {{ ref('dim_year') }} as y
    where not y.is_future
),

unhcr as (
    select * from {{ ref('int_unhcr__country_year') }}
),

dtm as (
    select * from {{ ref('int_iom__dtm_idps_by_country_year') }}
),

mmp as (
    select * from {{ ref('int_iom__migrants_by_country_year') }}
),

oda as (
    select * from {{ ref('int_iati__nl_oda_country_year') }}
),

focus as (
    select * from {{ ref('int_documents__focus_country_years') }}
),

joined as (
    select
        s.iso3,
        s.year,
        u.refugees_hosted,
        u.oip_hosted,
        u.asylum_seekers_hosted,
        u.refugees_originating,
        u.oip_originating,
        u.asylum_seekers_originating,
        u.idps,
        u.stateless,
        u.asylum_applications_new,
        u.asylum_applications_new_originating,
        u.decisions_recognized,
        u.decisions_complementary,
        u.decisions_rejected,
        u.decisions_otherwise_closed,
        u.decisions_total,
        u.refugee_recognition_rate,
        u.total_protection_rate,
        u.returned_refugees,
        u.resettlement_arrivals,
        u.naturalisations,
        u.idmc_conflict_idps,
        u.unrwa_refugees_hosted,
        u.forcibly_displaced_originating,
        d.idps_dtm,
        d.idps_dtm_reporting_date,
        m.migrants_dead_missing,
        o.nl_oda_disbursed_eur,
        o.nl_oda_migration_disbursed_eur,
        coalesce(f.focus_opvang_in_de_regio, false) as focus_opvang_in_de_regio,
        coalesce(f.focus_migratiesamenwerking, false) as focus_migratiesamenwerking,
        f.focus_policy_tracks,
        case
            when coalesce(u.refugees_hosted, u.oip_hosted, u.asylum_seekers_hosted, u.idmc_conflict_idps) is not null
                then
                    coalesce(u.refugees_hosted, 0) + coalesce(u.oip_hosted, 0) + coalesce(u.asylum_seekers_hosted, 0)
                    + coalesce(u.idmc_conflict_idps, 0)
        end as displaced_hosted
    from spine as s
    left join unhcr as u on s.iso3 = u.iso3 and s.year = u.year
    left join dtm as d on s.iso3 = d.iso3 and s.year = d.year
    left join mmp as m on s.iso3 = m.iso3 and s.year = m.year
    left join oda as o on s.iso3 = o.iso3 and s.year = o.year
    left join focus as f on s.iso3 = f.iso3 and s.year = f.year
),

with_unrwa as (
    select
        *,
        case
            when coalesce(displaced_hosted, unrwa_refugees_hosted) is not null
                then coalesce(displaced_hosted, 0) + coalesce(unrwa_refugees_hosted, 0)
        end as displaced_hosted_incl_unrwa
    from joined
)

select
    j.iso3,
    j.year,
    coalesce(l.label_en, c.name_en) as country_name,
    coalesce(l.label_nl, c.name_nl) as country_name_nl,
    c.is_pseudo_country,
    j.* exclude (iso3, year),
    round(j.nl_oda_migration_disbursed_eur / nullif(j.displaced_hosted, 0), 2)
        as nl_oda_migration_eur_per_displaced_hosted,
    round(j.nl_oda_migration_disbursed_eur / nullif(j.displaced_hosted_incl_unrwa, 0), 2)
        as nl_oda_migration_eur_per_displaced_hosted_incl_unrwa
from with_unrwa as j
inner join {{ ref('dim_country') }} as c on j.iso3 = c.iso3
left join {{ ref('country_labels') }} as l on j.iso3 = l.iso3
