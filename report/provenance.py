"""Where each chart's numbers come from: the raw datasets behind it, their snapshot and retrieval time in
``meta.loads``/``meta.snapshots`` of the publish being reported, and the licence each source is under."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# Licences as the sources state them (README "Where the figures come from").
LICENCES = {
    "unhcr": "CC BY 4.0 (UNHCR Refugee Population Statistics Database)",
    "iom/missing_migrants": "CC BY-IGO (IOM Missing Migrants Project)",
    "iom/dtm_idps": "IOM DTM terms of use (not redistributed)",
    "iati": "as published (the Dutch MFA declares CC0)",
    "fx": "ECB reference rates (ECB terms of use)",
    "documents": "Dutch government publications (public documents)",
    "reference": "ISO 3166 via pycountry (LGPL)",
}

SOURCE_NAMES = {
    "unhcr": "UNHCR",
    "iom": "IOM",
    "iati": "IATI XM-DAC-7",
    "fx": "ECB",
    "documents": "Dutch policy documents",
    "reference": "ISO 3166",
}


@dataclass(frozen=True)
class Provenance:
    """One dataset behind a chart, as loaded into the publish the report shows."""

    source: str
    dataset: str
    snapshot_id: str | None
    retrieved_at: str | None
    rows: int | None

    @property
    def licence(self) -> str:
        return LICENCES.get(f"{self.source}/{self.dataset}") or LICENCES.get(self.source, "see the source")

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES.get(self.source, self.source)


class Sources:
    """The publish being reported and the snapshots of every dataset in it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        publish = con.execute(
            "select publish_id, run_id, mode, published_at from meta.publish order by published_at desc limit 1"
        ).fetchone()
        if publish is None:
            self.publish_id, self.run_id, self.mode, self.published_at = None, None, "unknown", None
        else:
            self.publish_id, self.run_id, self.mode, self.published_at = publish
        rows = con.execute(
            """select l.source, l.dataset, l.snapshot_id, max(s.retrieved_at)::date::varchar, l.rows
               from meta.loads as l left join meta.snapshots as s using (snapshot_id)
               where l.run_id = ? group by all""",
            [self.run_id],
        ).fetchall()
        self.datasets = {(r[0], r[1]): Provenance(*r) for r in rows}

    @property
    def is_demo(self) -> bool:
        return self.mode == "demo"

    def __call__(self, *datasets: str) -> list[Provenance]:
        """Provenance of ``source/dataset`` names; a dataset this publish did not load is shown as such."""
        found = []
        for name in datasets:
            source, dataset = name.split("/", 1)
            found.append(self.datasets.get((source, dataset), Provenance(source, dataset, None, None, None)))
        return found
