-- Every Missing Migrants row of every download with the measures derived from its counts: dead_missing
-- (dead + missing, an empty count as 0, as the published total states), is_correction (any count negative:
-- IOM's later corrections, kept because they make an incident's total right) and incident_dead_missing
-- (dead_missing over the incident's rows in the same file: one download, vintage and requested year).
-- Staging only renames and casts; the rules on these measures are tested here (see the YAML).
with missing_migrants as (
    select * from {{ ref('stg_iom__missing_migrants') }}
),

measured as (
    select
        *,
        coalesce(dead, 0) + coalesce(missing, 0) as dead_missing,
        coalesce(
            dead < 0
            or missing < 0
            or dead_missing_published < 0
            or survivors < 0
            or females < 0
            or males < 0
            or children < 0,
            false
        ) as is_correction
    from missing_migrants
)

select
    *,
    sum(dead_missing) over (partition by source_format, vintage, request_year, main_id)::bigint
        as incident_dead_missing
from measured
