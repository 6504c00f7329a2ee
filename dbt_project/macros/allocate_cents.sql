{#-
  Split `amount` over the rows of one `partition_by` group by `share` (shares of a group sum to 1), in whole
  cents, so that the parts add up to round(amount, 2) (half away from zero) exactly: every part gets the floor of its exact cent
  amount, and the cents left over go one each to the parts with the largest remainders (ties: `order_by`).
  The arithmetic is exact (decimal cents x the share to 12 decimals): a share's floating-point noise, which
  depends on the order rows were summed in, can never move a cent. The sign of the amount is kept (negative
  de-commitments split into negative parts). Null stays null.
-#}
{% macro allocate_cents(amount, share, partition_by, order_by) -%}
    {%- set cents = "round(abs(" ~ amount ~ ") * 100)::decimal(38, 0)" -%}
    {%- set exact = "(" ~ cents ~ " * " ~ share ~ "::decimal(38, 12))" -%}
    (
        sign({{ amount }}) * (
            floor({{ exact }})
            + case
                when row_number() over (
                    partition by {{ partition_by }}
                    order by {{ exact }} - floor({{ exact }}) desc, {{ order_by }}
                ) <= {{ cents }} - sum(floor({{ exact }})) over (partition by {{ partition_by }})
                    then 1
                else 0
            end
        ) / 100
    )::decimal(20, 2)
{%- endmacro %}
