-- Every transaction of a mirror's Datastore extract (ingest/iati/datastore_mirror.py) and what became of it.
-- Staging keeps each activity's rows from one file (the XML where both have it), so a transaction is never
-- added twice; here each extract transaction is matched to the retained file by transaction identity
-- (activity, type, date, and reference where both state one): loaded (its activity's rows come from the
-- extract), in_xml (the same transaction, same value, is in the XML), revised_in_xml (same identity, the
-- newer XML states another value) or not_in_xml (the retained XML has no such transaction: not counted).
with extract as (
    select *
    from {{ ref('stg_iati__transactions') }}
    where source_dataset like 'iati/minbuza_nl/%/transactions_%.csv'
),

retained as (
    select * from {{ ref('int_iati__transactions_of_record') }}
),

kept as (
    select distinct
        iati_identifier,
        source_dataset
    from {{ ref('int_iati__activities_of_record') }}
),

matched as (
    select
        e.iati_identifier,
        e.transaction_index,
        e.transaction_type_code,
        e.transaction_date,
        e.transaction_ref,
        e.value,
        e.currency,
        e.provider_org_ref,
        e.provider_activity_id,
        e.source_dataset,
        e._source_file,
        e._source_row,
        k.source_dataset = e.source_dataset as is_loaded,
        count(r.transaction_key) as xml_matches,
        count(r.transaction_key) filter (where r.value = e.value and r.currency = e.currency) as xml_same_value,
        min(r.value) as xml_value
    from extract as e
    inner join kept as k on e.iati_identifier = k.iati_identifier
    left join retained as r
        on
            e.source_dataset != k.source_dataset
            and e.iati_identifier = r.iati_identifier
            and e.transaction_type_code = r.transaction_type_code
            and e.transaction_date = r.transaction_date
            and (e.transaction_ref is null or r.transaction_ref is null or e.transaction_ref = r.transaction_ref)
    group by all
)

select
    * exclude (xml_matches, xml_same_value),
    case
        when is_loaded then 'loaded'
        when xml_same_value > 0 then 'in_xml'
        when xml_matches > 0 then 'revised_in_xml'
        else 'not_in_xml'
    end as dedup_status
from matched
