"""Quoting for SQL built from names: column, table and file names come from sources and from disk,
and a source may name a column ``column``, ``order`` or ``note "A"``."""

from __future__ import annotations

from pathlib import Path


def ident(name: str) -> str:
    """A quoted identifier: ``column`` -> ``"column"`` (embedded quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def table(qualified: str) -> str:
    """A quoted ``schema.table`` (or ``db.schema.table``) from its dotted name."""
    return ".".join(ident(part) for part in qualified.split("."))


def literal(value: str | Path) -> str:
    """A quoted string literal, e.g. a file path in ``attach`` or ``copy ... to``."""
    return "'" + str(value).replace("'", "''") + "'"
