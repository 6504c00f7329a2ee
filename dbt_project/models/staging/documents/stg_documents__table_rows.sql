-- Table cells read by code from the document layout, in whole currency units.
with source as (
    select * from {{ source('documents', 'table_rows') }}
),

renamed as (
    select
        document,
        table_name,
        row_label,
        column_label,
        year,
        article,
        article_name,
        cell_text,
        line,
        scale,
        value,
        unit,
        is_total,
        sum_of_parts,
        annotation_figure_id,
        "check" as cross_check,
        _source_file,
        _source_row,
        _snapshot_sha256
    from source
)

select * from renamed
