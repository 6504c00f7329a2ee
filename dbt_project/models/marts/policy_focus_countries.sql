-- Every country or region the documents list, as int_documents__list_members builds it (regions once as
-- written and once per member country); only role 'focus' makes a focus country.
select
    document,
    list_id,
    member_index,
    role,
    subject,
    policy_track,
    programme,
    phase_id,
    period_start,
    period_end,
    member_name,
    member_kind,
    region_id,
    region_name,
    iso3,
    stated_count,
    member_count,
    quote,
    line,
    list_quote,
    ocr_flagged,
    document_date,
    document_year
from {{ ref('int_documents__list_members') }}
