"""The project's own generic dbt tests fail on the rows they exist to catch (run by dbt on a damaged copy)."""

import shutil
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from conftest import REPO, run_dbt

from warehouse import BUILD_NAME


def _measures(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            """select column_name from information_schema.columns
               where table_schema = 'marts' and table_name = ? and data_type in ('BIGINT', 'DOUBLE')""",
            [table],
        ).fetchall()
    ]


def _damage(database: Path) -> None:
    """Break each kind of rule once: in country_year a duplicated key, a NULL year, a country that dim_country
    does not know and a zero no source states; in dim_country a NULL name, a duplicated code, two NULL codes
    (copies of two other countries: a not_null failure, not a duplicate) and an unknown kind. The
    rows changed lose their other figures, so no other rule breaks."""
    with duckdb.connect(str(database)) as con:
        first, second, third = con.execute(
            "select iso3, year from marts.country_year order by iso3, year limit 3"
        ).fetchall()
        no_figures = ", ".join(f"{m} = null" for m in _measures(con, "country_year"))
        key = "iso3 = ? and year = ?"
        con.execute(f"update marts.country_year set {no_figures} where {key} or {key}", [*second, *third])
        con.execute(f"insert into marts.country_year select * from marts.country_year where {key}", list(first))
        con.execute(f"update marts.country_year set year = null where {key}", list(second))
        con.execute(f"update marts.country_year set iso3 = 'ZZZ', refugees_hosted = 0 where {key}", list(third))
        con.execute("update marts.dim_country set name_en = null where iso3 = 'JOR'")
        con.execute("insert into marts.dim_country select * from marts.dim_country where iso3 = 'NLD'")
        con.execute("update marts.dim_country set country_kind = 'planet' where iso3 = 'SYR'")
        con.execute(
            """insert into marts.dim_country select * replace (null as iso3) from marts.dim_country
               where iso3 not in ('JOR', 'NLD', 'SYR') order by iso3 limit 2"""
        )


@pytest.mark.slow
def test_rules_fail_once_for_each_rule_broken_naming_rule_column_and_count(demo_warehouse: Path, tmp_path) -> None:
    """The same tests pass on the undamaged file (every refresh builds it): they fail for the damage alone."""
    from orchestration.dbt_runner import broken_rules  # imports dbt: not at collection

    database = tmp_path / BUILD_NAME
    shutil.copy(demo_warehouse / "migration.duckdb", database)
    _damage(database)

    result, results = run_dbt("test", database, tmp_path, "--select", "rules_country_year", "rules_dim_country")

    assert result.returncode != 0, result.stdout
    by_test = {r["unique_id"].split(".")[2]: r for r in results}
    assert {name: r["failures"] for name, r in by_test.items()} == {"rules_country_year": 4, "rules_dim_country": 4}
    with duckdb.connect(str(database), read_only=True) as con:
        broken = {name: {row[:3] for row in con.execute(r["compiled_code"]).fetchall()} for name, r in by_test.items()}
    assert broken == {
        "rules_country_year": {
            ("grain", "iso3, year", 1),
            ("not_null", "year", 1),
            ("relationships", "iso3 -> marts.dim_country.iso3", 1),
            ("zero_stated_by_source", "refugees_hosted", 1),
        },
        "rules_dim_country": {
            ("not_null", "name_en", 1),
            ("not_null", "iso3", 2),
            ("unique", "iso3", 1),
            ("accepted_values", "country_kind", 1),
        },
    }
    node = SimpleNamespace(
        test_metadata=SimpleNamespace(name="rules"), compiled_code=by_test["rules_dim_country"]["compiled_code"]
    )
    assert sorted(broken_rules(node, database)) == [
        "[accepted_values country_kind: 1 row, e.g. planet]",
        "[not_null iso3: 2 rows]",
        "[not_null name_en: 1 row]",
        "[unique iso3: 1 row, e.g. NLD]",
    ]


@pytest.mark.slow
def test_a_mart_whose_query_breaks_its_contract_is_not_built_and_its_table_stays(
    demo_warehouse: Path, tmp_path
) -> None:
    """Marts are tables under an enforced contract (dbt_project.yml), made by the project's own table
    materialization (dbt_project/macros/materializations/table.sql): a column whose type is not the contract's
    stops the model before the table it would replace is dropped, and a query that fails while it runs leaves
    that table as it was (the drop is rolled back). The same run passes with the project as it is."""
    project = tmp_path / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("logs", "compiled", "run"))
    database = tmp_path / BUILD_NAME
    shutil.copy(demo_warehouse / "migration.duckdb", database)
    with duckdb.connect(str(database), read_only=True) as con:
        before = con.execute("select * from marts.world_year order by year").fetchall()

    (tmp_path / "kept").mkdir()
    kept, _ = run_dbt("build", database, tmp_path / "kept", "--select", "world_year", project=project)
    assert kept.returncode == 0, kept.stdout[-3000:]

    contract = project / "models" / "marts" / "world_year.yml"
    declared = "      - name: refugees\n        data_type: bigint\n"
    assert declared in contract.read_text()
    contract.write_text(contract.read_text().replace(declared, declared.replace("bigint", "varchar")))
    (tmp_path / "broken").mkdir()
    broken, results = run_dbt("build", database, tmp_path / "broken", "--select", "world_year", project=project)

    assert broken.returncode != 0
    (model,) = (r for r in results if r["unique_id"].startswith("model."))
    assert model["status"] == "error"
    assert "contract" in model["message"] and "refugees" in model["message"], model["message"]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select * from marts.world_year order by year").fetchall() == before

    contract.write_text(contract.read_text().replace(declared.replace("bigint", "varchar"), declared))
    query = project / "models" / "marts" / "world_year.sql"
    query.write_text(f"select * from ({query.read_text()}) where error('a row the query cannot make') is null")
    (tmp_path / "failing").mkdir()
    failing, results = run_dbt("build", database, tmp_path / "failing", "--select", "world_year", project=project)

    assert failing.returncode != 0
    (model,) = (r for r in results if r["unique_id"].startswith("model."))
    assert model["status"] == "error" and "a row the query cannot make" in model["message"], model["message"]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select * from marts.world_year order by year").fetchall() == before
