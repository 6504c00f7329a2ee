-- Activities XM-DAC-7 itself reports, matched to programmes by the reviewed rules in
-- seeds/programme_iati_rules.csv (exact identifier, or a regular expression on a title in any language).
-- One row per activity and programme; an activity matched by several rules of one programme appears once.
with activities as (
    select distinct
        iati_identifier,
        title,
        title_en,
        title_nl
    from {{ ref('int_iati__activities_of_record') }}
    where is_nl_mfa_reported
),

rules as (
    select * from {{ ref('programme_iati_rules') }}
)

select
    a.iati_identifier,
    r.programme_id,
    r.match_on,
    r.pattern
from activities as a
inner join rules as r
    on
        (r.match_on = 'iati_identifier' and a.iati_identifier = r.pattern)
        or (
            r.match_on = 'title_regex'
            and (
                regexp_matches(coalesce(a.title_en, ''), r.pattern)
                or regexp_matches(coalesce(a.title_nl, ''), r.pattern)
                or regexp_matches(coalesce(a.title, ''), r.pattern)
            )
        )
qualify row_number() over (partition by a.iati_identifier, r.programme_id order by r.match_on, r.pattern) = 1
