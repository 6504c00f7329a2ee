-- The programmes the policy documents name (reviewed seed), with what the warehouse found for them: the
-- XM-DAC-7 activities the reviewed rules match, and the document commitments and results that name them.
with matches as (
    select
        programme_id,
        list_sort(list(iati_identifier)) as iati_identifiers
    from {{ ref('int_programmes__iati_activity_matches') }}
    group by programme_id
),

commitments as (
    select
        n.programme_id,
        count(*) as document_commitments
    from {{ ref('programme_commitments') }} as c
    inner join {{ ref('int_programmes__document_names') }} as n on lower(trim(c.programme)) = n.document_name
    group by n.programme_id
),

phases as (
    select
        programme_id,
        list(
            {
                'phase_id': phase_id,
                'phase_number': phase_number,
                'period_start': period_start,
                'period_end': period_end,
                'budget': budget,
                'budget_currency': budget_currency,
                'countries': countries,
                'partners': partners,
                'document': document,
                'quote': quote
            }
            order by phase_number
        ) as phases
    from {{ ref('int_programmes__phases') }}
    group by programme_id
),

results as (
    select
        programme_id,
        count(*) as document_results
    from {{ ref('int_programmes__document_results') }}
    group by programme_id
)

select
    p.programme_id,
    p.programme_name,
    string_split(p.policy_track, ';') as policy_tracks,
    coalesce(string_split(nullif(p.partners, ''), ';'), []) as partners,
    coalesce(string_split(nullif(p.countries, ''), ';'), []) as countries,
    p.period_start,
    p.period_end,
    coalesce(m.iati_identifiers, []) as iati_identifiers,
    m.programme_id is not null as has_iati_activities,
    coalesce(c.document_commitments, 0) as document_commitments,
    coalesce(r.document_results, 0) as document_results,
    ph.phases,
    p.source_document,
    p.source_quote
from {{ ref('programmes') }} as p
left join matches as m on p.programme_id = m.programme_id
left join commitments as c on p.programme_id = c.programme_id
left join results as r on p.programme_id = r.programme_id
left join phases as ph on p.programme_id = ph.programme_id
