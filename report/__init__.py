"""A static site of the published warehouse: one page per country, programme and budget article.

Built after every publish from ``migration.duckdb`` opened read-only (only ``marts.*`` and ``meta.*``),
into ``MAW_WAREHOUSE_DIR/report/``. Charts are SVG rendered at build time with their CSV beside them, so
the pages open from ``file://`` with no network. ``report.site.build_report`` is the entry point.
"""
