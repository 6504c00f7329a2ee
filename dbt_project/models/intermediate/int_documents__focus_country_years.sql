-- Focus countries per policy track and year, from the lists with role 'focus' only (examples, partners and
-- programme countries never make a focus country), for every year of the list's period; a region in a focus
-- list makes its member countries (documents/regions.csv) focus countries. Tracks are folded into the two the
-- policy documents use: "opvang in de regio" and "migratiesamenwerking" (which includes return and countering
-- irregular migration); the raw track names are kept in focus_policy_tracks.
with focus as (
    select
        iso3,
        policy_track,
        year(period_start) as first_year,
        year(period_end) as last_year,
        contains(lower(policy_track), 'opvang in de regio') as is_opvang_in_de_regio,
        (
            contains(lower(policy_track), 'migratiesamenwerking')
            or contains(lower(policy_track), 'irreguliere migratie')
            or contains(lower(policy_track), 'terugkeer')
        ) as is_migratiesamenwerking
    from {{ ref('int_documents__list_members') }}
    where role = 'focus' and iso3 is not null
),

focus_years as (
    select
        *,
        unnest(generate_series(first_year, last_year))::integer as year
    from focus
)

select
    iso3,
    year,
    bool_or(is_opvang_in_de_regio) as focus_opvang_in_de_regio,
    bool_or(is_migratiesamenwerking) as focus_migratiesamenwerking,
    list_sort(list_distinct(list(policy_track))) as focus_policy_tracks
from focus_years
group by iso3, year
