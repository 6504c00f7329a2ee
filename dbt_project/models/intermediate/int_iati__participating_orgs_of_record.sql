-- Who funds, is accountable for, extends and implements each activity (implementers often lack a ref).
with roles as (
    select
        code,
        name
    from {{ ref('stg_iati__codelists') }}
    where codelist = 'OrganisationRole'
)

select
    p.iati_identifier,
    p.position,
    p.role_code,
    r.name as role_name,
    p.org_ref,
    p.org_type,
    p.org_name,
    p.org_activity_id,
    p.crs_channel_code,
    p._source_file,
    p._source_row,
    p._snapshot_sha256
from {{ ref('stg_iati__participating_orgs') }} as p
inner join {{ ref('int_iati__activities_of_record') }} as a
    on p.iati_identifier = a.iati_identifier and p.source_dataset = a.source_dataset
left join roles as r on p.role_code = r.code
