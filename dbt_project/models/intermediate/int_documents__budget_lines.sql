-- Planned budget lines from two independent readings of the same documents: the table parser
-- (stg_documents__table_rows) and the reviewed annotations (stg_documents__figures). A figure that points at a
-- parsed cell takes that cell's article; annotated budget lines outside a parsed table keep their subject as name.
with parsed as (
    select
        document,
        'parser' as reading,
        article,
        article_name,
        year,
        value as amount,
        unit,
        annotation_figure_id as figure_id,
        line
    from {{ ref('stg_documents__table_rows') }}
    where table_name = 'budget_article_year'
),

annotated as (
    select
        f.document,
        'annotation' as reading,
        t.article,
        coalesce(t.article_name, f.subject) as article_name,
        year(f.period_start) as year,
        f.value as amount,
        f.unit,
        f.figure_id,
        f.line
    from {{ ref('stg_documents__figures') }} as f
    left join {{ ref('stg_documents__table_rows') }} as t
        on f.document = t.document and f.figure_id = t.annotation_figure_id
    where f.table_name = 'budget_article_year'
)

select * from parsed
union all
select * from annotated
