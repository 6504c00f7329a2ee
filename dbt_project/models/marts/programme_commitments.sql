-- Money committed or planned for programmes and contributions, as the documents state it (built in
-- int_documents__programme_commitments).
select
    document,
    figure_id,
    programme,
    subject,
    policy_track,
    phase_id,
    partners,
    countries,
    metric,
    amount,
    currency,
    ocr_flag,
    period_start,
    period_end,
    quote,
    line,
    document_year
from {{ ref('int_documents__programme_commitments') }}
