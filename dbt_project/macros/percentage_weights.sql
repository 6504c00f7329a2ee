{#-
    The two CTEs that turn IATI percentages into weights, shared by the recipient and sector shares:
    given percentages are used as they are; parts without a percentage split what is left of 100 evenly;
    when no part has a percentage every part weighs the same; weights are normalised to shares summing to 1,
    rounded to 12 decimals (so the order the rows were summed in, which moves a double's last bits, never shows).
    `source_cte` needs transaction_key and percentage; the result is a CTE named `weights` with the extra
    columns parts, weight and share.
-#}
{% macro percentage_weights(source_cte) %}
weighted as (
    select
        *,
        count(*) over (partition by transaction_key) as parts,
        count(percentage) over (partition by transaction_key) as parts_with_percentage,
        coalesce(sum(percentage) over (partition by transaction_key), 0)::double as percentage_given
    from {{ source_cte }}
),

unnormalised as (
    select
        *,
        case
            when parts_with_percentage = 0 then 1.0
            when percentage is not null then percentage::double
            else greatest(100.0 - percentage_given, 0.0) / (parts - parts_with_percentage)
        end as weight
    from weighted
),

weights as (
    select
        *,
        case
            when sum(weight) over (partition by transaction_key) > 0
                then round(weight / sum(weight) over (partition by transaction_key), 12)
            else round(1.0 / parts, 12)
        end as share
    from unnormalised
)
{% endmacro %}
