-- The country each Missing Migrants row of record counts for. Where the download names a country of incident
-- it is that country (published). The 2026 CSV export has no country field: a row is attributed from its
-- coordinates to the country IOM itself gave the nearest incident of any download that names one, when that
-- incident lies within 25 km (nearest_attributed_incident); otherwise, and where a named country has no
-- ISO3 code, the row is unattributed (null iso3). Not a point-in-polygon test: no boundary data ships with
-- the project (see the model's YAML for the limits).
with of_record as (
    select * from {{ ref('int_iom__mmp_incidents_of_record') }}
),

labelled as (
    select distinct
        latitude,
        longitude,
        country_of_incident_iso3 as iso3
    from {{ ref('stg_iom__missing_migrants') }}
    where country_of_incident_iso3 is not null and latitude is not null and longitude is not null
),

to_place as (
    select
        source_format,
        vintage,
        main_id,
        split_number,
        latitude,
        longitude
    from of_record
    where country_of_incident is null and latitude is not null and longitude is not null
),

nearest as (
    select
        p.source_format,
        p.vintage,
        p.main_id,
        p.split_number,
        l.iso3,
        -- haversine distance, km (mean Earth radius 6371 km)
        2 * 6371 * asin(sqrt(
            power(sin(radians(l.latitude - p.latitude) / 2), 2)
            + cos(radians(p.latitude)) * cos(radians(l.latitude))
            * power(sin(radians(l.longitude - p.longitude) / 2), 2)
        )) as distance_km
    from to_place as p
    inner join labelled as l
        on
            l.latitude between p.latitude - 0.5 and p.latitude + 0.5
            and l.longitude between p.longitude - 1 and p.longitude + 1
    qualify row_number() over (
        partition by p.source_format, p.vintage, p.main_id, p.split_number
        order by distance_km, l.iso3
    ) = 1
)

select
    r.*,
    coalesce(r.country_of_incident_iso3, case when n.distance_km <= 25 then n.iso3 end) as attributed_iso3,
    case
        when r.country_of_incident_iso3 is not null then 'published'
        when n.distance_km <= 25 then 'nearest_attributed_incident'
        else 'unattributed'
    end as country_attribution,
    case when r.country_of_incident_iso3 is null then round(n.distance_km, 1) end as attribution_distance_km
from of_record as r
left join nearest as n
    on
        r.source_format = n.source_format
        and r.vintage = n.vintage
        and r.main_id = n.main_id
        and r.split_number is not distinct from n.split_number
