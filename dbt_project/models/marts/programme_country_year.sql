-- One row per programme, country and year (2000 to five years ahead) for every country a programme is
-- linked to (the documents' programme countries, countries of its commitments and results, and recipient
-- countries of its IATI money). Document commitments are split over the countries the document lists for them
-- (int_programmes__document_commitments_by_year); the unsplit remainder (no countries listed) is only in
-- marts.programme_year.
with countries as (
    select
        programme_id,
        unnest(countries) as iso3
    from {{ ref('dim_programme') }}
    union
    select
        programme_id,
        iso3
    from {{ ref('int_programmes__iati_money') }}
    where iso3 is not null
    union
    select
        programme_id,
        iso3
    from {{ ref('int_programmes__document_results') }}
    where iso3 is not null
    union
    select
        programme_id,
        iso3
    from {{ ref('int_programmes__document_commitments_by_year') }}
    where iso3 is not null
),

spine as (
    select
        c.programme_id,
        c.iso3,
        y.year
    from countries as c
    cross join {{ ref('dim_year') }} as y
    where y.year >= 2000
),

documents as (
    select
        programme_id,
        iso3,
        year,
        sum(commitment_eur) as document_commitment_eur
    from {{ ref('int_programmes__document_commitments_by_year') }}
    where iso3 is not null
    group by all
),

iati as (
    select * from {{ ref('int_programmes__iati_money') }}
),

-- The snapshot of the IATI transactions and of the documents in this refresh (meta.loads), one row.
snapshots as (
    {{ programme_snapshots() }}
),

results as (
    select
        programme_id,
        iso3,
        year,
        list({{ result_label() }} order by indicator) as document_results
    from {{ ref('int_programmes__document_results') }}
    where iso3 is not null
    group by all
)

select
    s.programme_id,
    p.programme_name,
    s.iso3,
    s.year,
    round(d.document_commitment_eur, 2) as document_commitment_eur,
    round(i.iati_committed_eur, 2) as iati_committed_eur,
    round(i.iati_disbursed_eur, 2) as iati_disbursed_eur,
    round(i.partner_incoming_eur, 2) as partner_reported_incoming_eur,
    round(i.partner_disbursed_eur, 2) as partner_reported_disbursed_eur,
    r.document_results,
    {{ programme_snapshot_ids() }}
from spine as s
cross join snapshots as sn
inner join {{ ref('dim_programme') }} as p on s.programme_id = p.programme_id
left join documents as d on s.programme_id = d.programme_id and s.iso3 = d.iso3 and s.year = d.year
left join iati as i on s.programme_id = i.programme_id and s.iso3 = i.iso3 and s.year = i.year
left join results as r on s.programme_id = r.programme_id and s.iso3 = r.iso3 and s.year = r.year
