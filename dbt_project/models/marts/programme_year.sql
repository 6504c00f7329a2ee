-- One row per programme and year (2000 to five years ahead): document commitments beside IATI money and
-- the results the documents report. IATI columns are what XM-DAC-7 reports for the programme's matched
-- activities; partner-reported money is in its own columns and never added to them.
with spine as (
    select
        p.programme_id,
        p.programme_name,
        y.year
    from {{ ref('dim_programme') }} as p
    cross join {{ ref('dim_year') }} as y
    where y.year >= 2000
),

documents as (
    select
        programme_id,
        year,
        sum(commitment_eur) as document_commitment_eur
    from {{ ref('int_programmes__document_commitments_by_year') }}
    group by all
),

iati as (
    select
        programme_id,
        year,
        sum(iati_committed_eur) as iati_committed_eur,
        sum(iati_disbursed_eur) as iati_disbursed_eur,
        sum(partner_incoming_eur) as partner_incoming_eur,
        sum(partner_disbursed_eur) as partner_disbursed_eur
    from {{ ref('int_programmes__iati_money') }}
    group by all
),

-- The snapshot of the IATI transactions and of the documents in this refresh (meta.loads), one row.
snapshots as (
    {{ programme_snapshots() }}
),

results as (
    select
        programme_id,
        year,
        list({{ result_label() }} order by indicator) as document_results
    from {{ ref('int_programmes__document_results') }}
    group by all
)

select
    s.programme_id,
    s.programme_name,
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
left join documents as d on s.programme_id = d.programme_id and s.year = d.year
left join iati as i on s.programme_id = i.programme_id and s.year = i.year
left join results as r on s.programme_id = r.programme_id and s.year = r.year
