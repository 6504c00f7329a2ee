-- The year spine every *_year mart is built on: 1951 (UNHCR's first year) to five years ahead (budget
-- plans run to 2030), so a year without data is a row with nulls, never a missing row.
select
    generate_series::integer as year,
    generate_series::integer > year(current_date) as is_future,
    generate_series::integer = year(current_date) as is_current
from generate_series(1951, year(current_date) + 5)
