"""The IATI Registry (CKAN): which activity files a publisher has, and their download (no key needed)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from ingest.common.http import HttpClient
from ingest.common.source import FetchError, RawFile

log = logging.getLogger("maw.iati")


def _is_activity_package(package: dict) -> bool:
    extras = {e.get("key"): e.get("value") for e in package.get("extras") or [] if isinstance(e, dict)}
    if extras.get("filetype"):
        return extras["filetype"] == "activity"
    name = str(package.get("name", ""))
    return not name.endswith(("-org", "-organisation", "-organization", "-org-file"))


def list_registry_files(
    client: HttpClient, base_url: str, publisher: str, *, page_size: int = 1000
) -> list[tuple[str, str]]:
    """(dataset name, XML url) of every activity file the Registry lists for ``publisher``."""
    found: list[tuple[str, str]] = []
    start, count = 0, None
    while count is None or start < count:
        raw = client.get(
            f"{base_url}/package_search",
            {"fq": f"organization:{publisher}", "rows": str(page_size), "start": str(start)},
            expect_json=True,
        )
        body = json.loads(raw.content)
        result = body.get("result") if isinstance(body, dict) else None
        if not isinstance(result, dict) or not isinstance(result.get("results"), list):
            raise FetchError("no result.results in the answer; is this the IATI Registry (CKAN)?", file=raw.origin)
        count = int(result.get("count") or 0)
        for package in result["results"]:
            resources = package.get("resources") or []
            if _is_activity_package(package) and resources and resources[0].get("url"):
                found.append((str(package["name"]), str(resources[0]["url"])))
        if not result["results"]:
            break
        start += len(result["results"])
    if not found:
        raise FetchError(
            f"the Registry lists no activity files for publisher {publisher!r}", file=f"{base_url}/package_search"
        )
    return sorted(found)


def fetch_registry(client: HttpClient, base_url: str, publishers: Sequence[str]) -> list[RawFile]:
    """Download every activity file the Registry lists for the publishers (no key needed)."""
    files = []
    for publisher in publishers:
        for name, url in list_registry_files(client, base_url, publisher):
            files.append(client.get(url).named(name, "xml"))
        log.info("IATI Registry: %s activity file(s) of %s downloaded", len(files), publisher)
    return files
