-- Focus countries per policy track and year. A document's list counts for its own year and the years
-- right before and after it (annual reports describe the year before; letters announce the next one), so
-- a list that no later document repeats lapses. Tracks are folded into the two the policy documents use:
-- "opvang in de regio" and "migratiesamenwerking" (which includes return and countering irregular
-- migration); the raw track names are kept in policy_tracks.
with named as (
    select
        iso3,
        as_of_year,
        policy_track,
        contains(lower(policy_track), 'opvang in de regio') as is_opvang_in_de_regio,
        (
            contains(lower(policy_track), 'migratiesamenwerking')
            or contains(lower(policy_track), 'irreguliere migratie')
            or contains(lower(policy_track), 'terugkeer')
        ) as is_migratiesamenwerking
    from {{ ref('policy_focus_countries') }}
    where as_of_year is not null
)

select
    n.iso3,
    y.year,
    bool_or(n.is_opvang_in_de_regio) as focus_opvang_in_de_regio,
    bool_or(n.is_migratiesamenwerking) as focus_migratiesamenwerking,
    list_sort(list_distinct(list(n.policy_track))) as focus_policy_tracks
from named as n
inner join {{ ref('dim_year') }} as y on y.year between n.as_of_year - 1 and n.as_of_year + 1
group by n.iso3, y.year
