-- Programme phases as the documents describe them, with where each period comes from.
with source as (
    select * from {{ source('documents', 'phases') }}
),

renamed as (
    select
        document,
        phase_id,
        programme,
        phase_number,
        period_start,
        period_end,
        period_basis,
        budget_figure_id,
        countries_list_id,
        partners,
        quote,
        line,
        note,
        verification,
        _source_file,
        _source_row,
        _snapshot_sha256
    from source
)

select * from renamed
