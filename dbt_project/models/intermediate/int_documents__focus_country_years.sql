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
    from {{ ref('policy_focus_countries') }}
    where role = 'focus' and iso3 is not null
)

select
    f.iso3,
    y.year,
    bool_or(f.is_opvang_in_de_regio) as focus_opvang_in_de_regio,
    bool_or(f.is_migratiesamenwerking) as focus_migratiesamenwerking,
    list_sort(list_distinct(list(f.policy_track))) as focus_policy_tracks
from focus as f
inner join {{ ref('dim_year') }} as y on y.year between f.first_year and f.last_year
group by f.iso3, y.year
