{#-
  Split `amount` over the rows of one `partition_by` group by `share` (shares of a group sum to 1), in whole
  cents, so that the parts add up to round(amount, 2) (half away from zero) exactly: every part gets the floor of its exact cent
  amount, and the cents left over go one each to the parts with the largest remainders (ties: `order_by`).
  The sign of the amount is kept (negative de-commitments split into negative parts). Null stays null.
-#}
{% macro allocate_cents(amount, share, partition_by, order_by) -%}
    (
        sign({{ amount }}) * (
            floor(round(abs({{ amount }}) * 100) * {{ share }})
            + case
                when row_number() over (
                    partition by {{ partition_by }}
                    order by
                        round(abs({{ amount }}) * 100) * {{ share }}
                        - floor(round(abs({{ amount }}) * 100) * {{ share }}) desc,
                        {{ order_by }}
                ) <= round(abs({{ amount }}) * 100)
                - sum(floor(round(abs({{ amount }}) * 100) * {{ share }})) over (partition by {{ partition_by }})
                    then 1
                else 0
            end
        ) / 100
    )::decimal(20, 2)
{%- endmacro %}
