"""Compare two warehouse files table by table: every table of the marts and raw_* schemas, row for row.

    python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb [--ignore-column C ...] [--dropped-column C ...]

For each table in either file it prints the row counts and the rows only in one side (``except all`` both
ways, so duplicates count); exit 1 when any table is missing on one side, has other columns, or differs.
``--ignore-column`` leaves provenance columns out that legitimately differ between two builds (by default
``_retrieved_at``, the time a file was read, which differs for datasets built from files in the repo).
``--dropped-column`` names a column the change removed on purpose (a derived measure that moved from a
parser to dbt): a table without it is compared row for row on the columns it keeps.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

SCHEMAS = ("marts",)
SCHEMA_PREFIXES = ("raw_",)


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        """select table_schema, table_name, column_name from information_schema.columns
           where table_catalog = current_database() order by table_schema, table_name, ordinal_position"""
    ).fetchall()
    found: dict[str, list[str]] = {}
    for schema, table, column in rows:
        if schema in SCHEMAS or schema.startswith(SCHEMA_PREFIXES):
            found.setdefault(f"{schema}.{table}", []).append(column)
    return found


def compare(before: str, after: str, ignored: set[str], dropped: set[str] = frozenset()) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{before}' as b (read_only)")
    con.execute(f"attach '{after}' as a (read_only)")
    con.execute("use b")
    left = tables(con)
    con.execute("use a")
    right = tables(con)
    con.execute("use memory")
    problems = 0
    print(f"{'table':55} {'rows before':>12} {'rows after':>12} {'only before':>12} {'only after':>12}")
    for name in sorted(left.keys() | right.keys()):
        if name not in left or name not in right:
            print(f"{name:55} missing {'before' if name not in left else 'after'}")
            problems += 1
            continue
        gone = [c for c in left[name] if c not in right[name]]
        if [c for c in left[name] if c not in gone] != right[name] or not set(gone) <= dropped:
            print(f"{name:55} columns differ: {left[name]} vs {right[name]}")
            problems += 1
            continue
        if gone:
            print(f"{name:55} (compared without the dropped columns {gone})")
        columns = ", ".join(f'"{c}"' for c in right[name] if c not in ignored)
        b, a = f"b.{name}", f"a.{name}"
        counts = [con.execute(f"select count(*) from {t}").fetchone()[0] for t in (b, a)]
        diff = tuple(
            con.execute(
                f"select count(*) from (select {columns} from {x} except all select {columns} from {y})"
            ).fetchone()[0]
            for x, y in ((b, a), (a, b))
        )
        flag = "" if diff == (0, 0) and counts[0] == counts[1] else "  DIFFERS"
        problems += bool(flag)
        print(f"{name:55} {counts[0]:>12,} {counts[1]:>12,} {diff[0]:>12,} {diff[1]:>12,}{flag}")
    print(f"{len(left.keys() | right.keys())} tables compared, ignoring columns {sorted(ignored)}: ", end="")
    print("identical" if not problems else f"{problems} differ")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--ignore-column", action="append", default=None, help="default: _retrieved_at")
    parser.add_argument(
        "--dropped-column",
        action="append",
        default=[],
        help="a column AFTER no longer has on purpose: its table is compared on the columns both keep",
    )
    args = parser.parse_args(argv)
    ignored = set(args.ignore_column) if args.ignore_column is not None else {"_retrieved_at"}
    return compare(args.before, args.after, ignored, set(args.dropped_column))


if __name__ == "__main__":
    sys.exit(main())
