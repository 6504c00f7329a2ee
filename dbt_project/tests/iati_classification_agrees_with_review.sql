-- Must show 1: the classification agrees with the reviewed list (seed reviewed_migration_activities). Fails
-- with every reviewed activity whose verdict differs, and every Dutch activity counted as migration-related
-- that the review of its mirror (a mirror with any reviewed activity in this build) does not list.
with review as (
    select * from {{ ref('reviewed_migration_activities') }}
),

classified as (
    select * from {{ ref('iati_activity_classification') }}
),

mirrors_present as (
    select distinct r.mirror
    from review as r
    inner join classified as c on r.iati_identifier = c.iati_identifier
)

select
    c.iati_identifier,
    c.is_migration_related as verdict,
    r.is_migration_related as reviewed_verdict,
    c.verdict_rule
from classified as c
left join review as r on c.iati_identifier = r.iati_identifier
where
    (r.iati_identifier is not null and c.is_migration_related != r.is_migration_related)
    or (
        r.iati_identifier is null
        and c.is_nl_mfa_reported
        and c.is_migration_related
        and exists (select 1 from mirrors_present)
    )
