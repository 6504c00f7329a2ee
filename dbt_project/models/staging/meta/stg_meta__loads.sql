-- The load of each dataset in this refresh: the latest row of meta.loads per source and dataset (the
-- current run's loads are written before dbt runs; earlier publishes' rows are carried over beside them).
select
    source,
    dataset,
    target_table,
    snapshot_id,
    run_id,
    rows,
    status,
    finished_at as loaded_at
from {{ source('meta', 'loads') }}
qualify row_number() over (partition by source, dataset order by started_at desc, finished_at desc) = 1
