-- Must show 2: no transaction of the Datastore extract is lost by keeping an activity's rows from its XML:
-- every extract transaction is loaded or has the same transaction identity in the retained XML.
select iati_identifier, transaction_index, transaction_type_code, transaction_date, value, _source_file, _source_row
from {{ ref('int_iati__datastore_extract_transactions') }}
where dedup_status = 'not_in_xml'
