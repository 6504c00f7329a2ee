"""The project's own generic dbt tests fail on the rows they exist to catch (run by dbt on a damaged copy)."""

import shutil
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from conftest import run_dbt

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
    from orchestration.dbt_build import _broken_rules  # imports Dagster and dbt: not at collection

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
    assert sorted(_broken_rules(node, database)) == [
        "[accepted_values country_kind: 1 row, e.g. planet]",
        "[not_null iso3: 2 rows]",
        "[not_null name_en: 1 row]",
        "[unique iso3: 1 row, e.g. NLD]",
    ]
