-- One row per activity. An identifier published in several files (e.g. two period files) is taken from the
-- file with the latest last-updated-datetime, so no activity and no transaction is counted twice; where none
-- says, an activity file (XML) before a Datastore extract (CSV, which never states the last update).
with ranked as (
    select
        *,
        row_number() over (
            partition by iati_identifier
            order by last_updated_datetime desc nulls last, source_dataset like '%.csv', source_dataset desc
        ) as file_rank,
        count(*) over (partition by iati_identifier) as files_with_identifier
    from {{ ref('stg_iati__activities') }}
),

status as (
    select
        code,
        name
    from {{ ref('stg_iati__codelists') }}
    where codelist = 'ActivityStatus'
)

select
    a.iati_identifier,
    a.reporting_org_ref,
    a.reporting_org_type,
    a.reporting_org_name,
    a.reporting_org_ref = '{{ var("nl_mfa_org_ref") }}' as is_nl_mfa_reported,
    a.title,
    a.title_en,
    a.title_nl,
    a.description_en,
    a.description_nl,
    a.activity_status_code,
    s.name as activity_status_name,
    a.planned_start_date,
    a.actual_start_date,
    a.planned_end_date,
    a.actual_end_date,
    a.is_humanitarian,
    a.default_currency,
    a.default_lang,
    a.hierarchy,
    a.iati_version,
    a.last_updated_datetime,
    a.collaboration_type_code,
    a.default_flow_type_code,
    a.default_finance_type_code,
    a.default_aid_type_code,
    a.default_tied_status_code,
    a.files_with_identifier,
    a.source_dataset,
    a._source_file,
    a._source_row,
    a._snapshot_sha256,
    a._retrieved_at
from ranked as a
left join status as s on a.activity_status_code = s.code
where a.file_rank = 1
