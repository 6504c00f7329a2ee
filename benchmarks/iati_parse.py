"""IATI parse benchmark: seconds and peak memory of the streaming parser, printed as a table.

Parses the mirror's activity files (../shared/data when present, else the demo mirror) and synthetic files
of 1,000 and 10,000 copies of a demo activity, each in a fresh process that streams the file and discards
the rows. Peak resident memory should stay flat as files grow (the parser holds one activity's tree at a
time, lxml's C memory included); the full parse then also times building the tables. Asserts nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO / ".." / "shared" / "data").resolve()


CHILD = """
import json, resource, sys, time
from pathlib import Path
from ingest.iati.xml import frames, iter_activities, parse_file
path = Path(sys.argv[1])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
count = sum(1 for _ in iter_activities(path, str(path)))
stream = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
frames(parse_file(path, str(path)))
print(json.dumps([count, stream, (peak - base) / 1024, time.perf_counter() - started]))
"""


def measure(path: Path) -> tuple[int, float, float, float]:
    """(activities, streaming seconds, peak RSS growth MiB while streaming, full parse seconds)."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=REPO, capture_output=True, text=True, check=True)
    return tuple(json.loads(out.stdout))


def synthetic(folder: Path, copies: int) -> Path:
    demo = REPO / "demo_mirror" / "iati" / "minbuza_nl" / "XM-DAC-7_minbuza_nl_demo.xml"
    activity = etree.tostring(etree.parse(str(demo)).getroot()[0]).decode()
    path = folder / f"synthetic-{copies}.xml"
    with path.open("w") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for index in range(copies):
            handle.write(activity.replace("DEMO-0001", f"BENCH-{index:06d}"))
        handle.write("</iati-activities>\n")
    return path


def main() -> None:
    mirror = SHARED if (SHARED / "iati").is_dir() else REPO / "demo_mirror"
    files = sorted((mirror / "iati").glob("minbuza_nl/*.xml")) + sorted((mirror / "iati").glob("partners/*.xml"))
    print(f"{'file':56} {'MB':>6} {'activities':>10} {'stream s':>8} {'+RSS MiB':>8} {'tables s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for path in [*files, synthetic(Path(folder), 1_000), synthetic(Path(folder), 10_000)]:
            count, stream, peak, full = measure(path)
            size = path.stat().st_size / 1e6
            print(f"{path.name[:56]:56} {size:6.1f} {count:10,} {stream:8.2f} {peak:8.1f} {full:8.2f}")


if __name__ == "__main__":
    main()
