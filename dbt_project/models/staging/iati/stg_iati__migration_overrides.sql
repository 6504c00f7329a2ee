-- Reviewed decisions that override the migration-relevance rules for single activities.
with source as (
    select * from {{ source('iati', 'migration_overrides') }}
),

renamed as (
    select
        iati_identifier,
        is_migration_related,
        reason,
        reviewed_by,
        _source_file,
        _source_row
    from source
)

select * from renamed
