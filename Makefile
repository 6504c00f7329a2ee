# Two commands: `make run` builds the warehouse, `make test` runs the tests. Both create .venv first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: venv manifest bytecode run test dev lint docs bench clean

# uv from PATH, else the uv package of python3 (`python3 -m uv`), installed with pip when missing.
# --compile-bytecode: uv installs sources only, and where PYTHONDONTWRITEBYTECODE is set (as on these
# machines) Python never caches what it compiles, so every process (each refresh, dbt call, test worker)
# would compile Dagster, dbt and Great Expectations again: about 2 s more per dbt start, 4 s per refresh.
UV_SYNC := sync --frozen --quiet --compile-bytecode
$(BIN)/maw: pyproject.toml uv.lock
	@if command -v uv >/dev/null 2>&1; then uv $(UV_SYNC); else \
	  python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
	    || python3 -m pip install --quiet --user uv \
	    || python3 -m pip install --quiet --user --break-system-packages uv; \
	  python3 -m uv $(UV_SYNC); fi
	@touch $(BIN)/maw

venv: $(BIN)/maw

# dbt's manifest, from which the Dagster asset graph is built; re-parsed when any dbt file is newer
# (the same inputs orchestration/manifest.py checks before `maw refresh`; under `dagster dev` it parses again).
MANIFEST := dbt_project/target/manifest.json
DBT_INPUTS := $(shell find dbt_project/models dbt_project/macros dbt_project/tests dbt_project/seeds -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.yaml' -o -name '*.csv' \) 2>/dev/null) dbt_project/dbt_project.yml dbt_project/profiles.yml

# The parse runs with the pipeline's profile (MAW_BUILD_DB unset): its target/partial_parse.msgpack is then
# valid for every warehouse, and the dbt worker (orchestration/dbt_runner.py) copies it into a new one,
# whose first build parses nothing.
$(MANIFEST): $(BIN)/maw $(DBT_INPUTS)
	cd dbt_project && env -u MAW_BUILD_DB ../$(BIN)/dbt parse --quiet --profiles-dir .
	@touch $(MANIFEST)

manifest: $(MANIFEST)

# The project's own bytecode. Python reads .pyc files but, where PYTHONDONTWRITEBYTECODE is set, never writes
# them: without this every refresh, check worker and test process compiles the project's modules
# again (about 0.8 CPU-s a refresh). A module edited since is compiled in memory as before, never read stale.
PROJECT_PACKAGES := ingest orchestration warehouse report expectations
bytecode: venv
	@$(BIN)/python -m compileall -q $(PROJECT_PACKAGES)

run: venv manifest bytecode
	$(BIN)/maw refresh

# worksteal: a worker out of tests takes half of what another still has queued, so the two finish together
# instead of one running the last end-to-end refreshes alone (220 s against 231 s with xdist's default).
test: venv manifest bytecode
	$(BIN)/pytest -q -n auto --dist worksteal --durations=15

dev: venv bytecode
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} ; mkdir -p $$DAGSTER_HOME ; \
	  DAGSTER_HOME=$$DAGSTER_HOME $(BIN)/dagster dev -m orchestration.definitions

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models

# The docs catalog is read from a copy, so the published file stays byte-identical.
docs: venv manifest
	@test -f warehouse/migration.duckdb || $(BIN)/maw refresh
	mkdir -p dbt_project/target && cp warehouse/migration.duckdb dbt_project/target/docs.duckdb
	cd dbt_project && MAW_BUILD_DB=$(CURDIR)/dbt_project/target/docs.duckdb ../$(BIN)/dbt docs generate --profiles-dir . --static
	@echo "dbt docs: dbt_project/target/static_index.html (or: cd dbt_project && ../$(BIN)/dbt docs serve --profiles-dir .)"

bench: venv manifest bytecode
	$(BIN)/python benchmarks/refresh.py

clean:
	rm -rf warehouse/raw warehouse/build warehouse/quarantine warehouse/exports warehouse/*.duckdb dbt_project/target
