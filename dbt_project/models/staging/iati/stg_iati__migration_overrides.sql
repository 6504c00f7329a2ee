-- Reviewed decisions that override the migration-relevance rules for single activities.
select
    iati_identifier,
    is_migration_related,
    reason,
    reviewed_by,
    _source_file,
    _source_row
from {{ source('iati', 'migration_overrides') }}
