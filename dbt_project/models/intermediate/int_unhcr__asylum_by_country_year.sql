-- Asylum applications and decisions per country and year, in PERSONS only: rows counted in cases
-- (unit = 'C', e.g. US USCIS) are excluded here, never converted or added to persons.
-- Rates follow UNHCR's definitions: recognition = recognized / (recognized + complementary + rejected);
-- total protection = (recognized + complementary) / the same denominator. Otherwise-closed decisions
-- are not substantive and stay out of the denominator. Null when there is no substantive decision.
with applications as (
    select * from {{ ref('stg_unhcr__asylum_applications') }}
    where unit = 'P' and application_type = 'N'
),

decisions as (
    select * from {{ ref('stg_unhcr__asylum_decisions') }}
    where unit = 'P'
),

lodged as (
    select
        asylum_iso3 as iso3,
        year,
        sum(applied)::bigint as asylum_applications_new
    from applications
    group by all
),

lodged_by_nationals as (
    select
        origin_iso3 as iso3,
        year,
        sum(applied)::bigint as asylum_applications_new_originating
    from applications
    group by all
),

decided as (
    select
        asylum_iso3 as iso3,
        year,
        sum(recognized)::bigint as decisions_recognized,
        sum(complementary_protection)::bigint as decisions_complementary,
        sum(rejected)::bigint as decisions_rejected,
        sum(otherwise_closed)::bigint as decisions_otherwise_closed,
        sum(total_decisions)::bigint as decisions_total
    from decisions
    group by all
),

spine as (
    select
        iso3,
        year
    from lodged
    union
    select
        iso3,
        year
    from lodged_by_nationals
    union
    select
        iso3,
        year
    from decided
)

select
    s.iso3,
    s.year,
    l.asylum_applications_new,
    n.asylum_applications_new_originating,
    d.decisions_recognized,
    d.decisions_complementary,
    d.decisions_rejected,
    d.decisions_otherwise_closed,
    d.decisions_total,
    d.decisions_recognized
    / nullif(d.decisions_recognized + d.decisions_complementary + d.decisions_rejected, 0)
        as refugee_recognition_rate,
    (d.decisions_recognized + d.decisions_complementary)
    / nullif(d.decisions_recognized + d.decisions_complementary + d.decisions_rejected, 0)
        as total_protection_rate
from spine as s
left join lodged as l on s.iso3 = l.iso3 and s.year = l.year
left join lodged_by_nationals as n on s.iso3 = n.iso3 and s.year = n.year
left join decided as d on s.iso3 = d.iso3 and s.year = d.year
