{#-
    The snapshot ids of the programme marts (programme_year, programme_country_year), so both say the same:
    `programme_snapshots()` selects this refresh's snapshot of IATI transactions and of the document figures
    from stg_meta__loads (one row, cross-joined as `sn`); `programme_snapshot_ids()` gives each row the
    snapshot it was read from, null where the row has no figure of that source. Needs aliases d (document
    commitments), i (IATI money), r (document results) and sn.
-#}
{% macro programme_snapshots() %}
    select
        any_value(snapshot_id) filter (where source = 'iati' and dataset = 'transactions') as iati_transactions,
        any_value(snapshot_id) filter (where source = 'documents' and dataset = 'figures') as documents_figures
    from {{ ref('stg_meta__loads') }}
{% endmacro %}

{% macro programme_snapshot_ids() %}
    case
        when
            coalesce(
                i.iati_committed_eur, i.iati_disbursed_eur, i.partner_incoming_eur, i.partner_disbursed_eur
            ) is not null
            then sn.iati_transactions
    end as iati_snapshot_id,
    case
        when d.document_commitment_eur is not null or r.document_results is not null then sn.documents_figures
    end as documents_snapshot_id
{%- endmacro %}
