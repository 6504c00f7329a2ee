#!/bin/sh
# dbt, started in the warehouse's build folder (MAW_DBT_WORKDIR), where the profile's relative path
# (MAW_BUILD_DB=current/build.duckdb) names the run's build. dbt keys its partial-parse cache on the
# profile's connection: one relative path for every warehouse keeps the cache `make manifest` writes valid
# in a new warehouse too, so no refresh parses the whole project. dagster-dbt passes DBT_PROJECT_DIR and
# DBT_PROFILES_DIR, so dbt finds the project from here.
cd "$MAW_DBT_WORKDIR" || exit 2
exec "$MAW_DBT_EXECUTABLE" "$@"
