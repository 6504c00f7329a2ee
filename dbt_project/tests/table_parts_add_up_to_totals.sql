-- Must show 2: where a parsed table states a total, its other rows add up to it (per document, table, year).
with sums as (
    select
        document,
        table_name,
        year,
        sum(case when not is_total then value else 0 end) as parts,
        max(case when is_total then value end) as stated_total,
        count(*) filter (where is_total) as total_rows
    from {{ ref('stg_documents__table_rows') }}
    group by document, table_name, year
)

select * from sums
where total_rows > 0 and parts <> stated_total
