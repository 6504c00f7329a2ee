-- Each name the annotations use for a programme, lower-cased, mapped to its programme_id (once: the seed may
-- list the same name in two spellings).
select distinct
    p.programme_id,
    lower(trim(name.unnest)) as document_name
from {{ ref('programmes') }} as p,
    unnest(string_split(p.document_names, '|')) as name
where trim(name.unnest) != ''
