-- The analyst's table: one row per country (dim_country, incl. labelled pseudo-codes) and year
-- (dim_year up to the current year), whether or not any source has data for it. Every figure comes from a
-- documented source column; null means the source has no figure, not zero. Rows a source labels with a wider
-- coverage carry the source's label (seed country_labels: Serbia and Kosovo per UNHCR). The *_snapshot_id
-- columns name the snapshot (meta.snapshots) each source's figures of the row were read from.
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

-- The snapshot of each source dataset in this refresh (meta.loads), one row.
snapshots as (
    select
        any_value(snapshot_id) filter (where source = 'unhcr' and dataset = 'population') as unhcr_population,
        any_value(snapshot_id) filter (where source = 'unhcr' and dataset = 'asylum-applications')
            as unhcr_asylum_applications,
        any_value(snapshot_id) filter (where source = 'unhcr' and dataset = 'asylum-decisions')
            as unhcr_asylum_decisions,
        any_value(snapshot_id) filter (where source = 'unhcr' and dataset = 'solutions') as unhcr_solutions,
        any_value(snapshot_id) filter (where source = 'unhcr' and dataset = 'idmc') as unhcr_idmc,
        any_value(snapshot_id) filter (where source = 'unhcr' and dataset = 'unrwa') as unhcr_unrwa,
        any_value(snapshot_id) filter (where source = 'iom' and dataset = 'dtm_idps') as iom_dtm_idps,
        any_value(snapshot_id) filter (where source = 'iom' and dataset = 'missing_migrants') as iom_missing_migrants,
        any_value(snapshot_id) filter (where source = 'iati' and dataset = 'transactions') as iati_transactions,
        any_value(snapshot_id) filter (where source = 'fx' and dataset = 'ecb_reference_rates') as fx_rates,
        any_value(snapshot_id) filter (where source = 'documents' and dataset = 'lists') as documents_lists
    from {{ ref('stg_meta__loads') }}
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
        end as displaced_hosted,
        case
            when
                u.refugees_hosted is not null or u.refugees_originating is not null or u.stateless is not null
                or u.idps is not null then sn.unhcr_population
        end as unhcr_population_snapshot_id,
        case
            when u.asylum_applications_new is not null or u.asylum_applications_new_originating is not null
                then sn.unhcr_asylum_applications
        end as unhcr_asylum_applications_snapshot_id,
        case when u.decisions_total is not null then sn.unhcr_asylum_decisions end
            as unhcr_asylum_decisions_snapshot_id,
        case
            when coalesce(u.returned_refugees, u.resettlement_arrivals, u.naturalisations) is not null
                then sn.unhcr_solutions
        end as unhcr_solutions_snapshot_id,
        case when u.idmc_conflict_idps is not null then sn.unhcr_idmc end as unhcr_idmc_snapshot_id,
        case when u.unrwa_refugees_hosted is not null or u.iso3 = 'PSE' then sn.unhcr_unrwa end
            as unhcr_unrwa_snapshot_id,
        case when d.idps_dtm is not null then sn.iom_dtm_idps end as iom_dtm_snapshot_id,
        case when m.migrants_dead_missing is not null then sn.iom_missing_migrants end
            as iom_missing_migrants_snapshot_id,
        case when o.nl_oda_disbursed_eur is not null then sn.iati_transactions end as iati_snapshot_id,
        case when o.nl_oda_disbursed_eur is not null then sn.fx_rates end as fx_snapshot_id,
        case when f.iso3 is not null then sn.documents_lists end as documents_snapshot_id
    from spine as s
    cross join snapshots as sn
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
    j.* exclude (
        iso3, year,
        unhcr_population_snapshot_id,
        unhcr_asylum_applications_snapshot_id,
        unhcr_asylum_decisions_snapshot_id,
        unhcr_solutions_snapshot_id,
        unhcr_idmc_snapshot_id,
        unhcr_unrwa_snapshot_id,
        iom_dtm_snapshot_id,
        iom_missing_migrants_snapshot_id,
        iati_snapshot_id,
        fx_snapshot_id,
        documents_snapshot_id
    ),
    round(j.nl_oda_migration_disbursed_eur / nullif(j.displaced_hosted, 0), 2)
        as nl_oda_migration_eur_per_displaced_hosted,
    round(j.nl_oda_migration_disbursed_eur / nullif(j.displaced_hosted_incl_unrwa, 0), 2)
        as nl_oda_migration_eur_per_displaced_hosted_incl_unrwa,
    j.unhcr_population_snapshot_id,
    j.unhcr_asylum_applications_snapshot_id,
    j.unhcr_asylum_decisions_snapshot_id,
    j.unhcr_solutions_snapshot_id,
    j.unhcr_idmc_snapshot_id,
    j.unhcr_unrwa_snapshot_id,
    j.iom_dtm_snapshot_id,
    j.iom_missing_migrants_snapshot_id,
    j.iati_snapshot_id,
    j.fx_snapshot_id,
    j.documents_snapshot_id
from with_unrwa as j
inner join {{ ref('dim_country') }} as c on j.iso3 = c.iso3
left join {{ ref('country_labels') }} as l on j.iso3 = l.iso3
