"""Every parser under seeded mutations of real-format files (the demo mirror's, mutated at test time):
every outcome is a parsed frame or a project error naming the file; nothing escapes."""

from __future__ import annotations

import gzip
import random
from collections import Counter
from pathlib import Path

import pytest

from ingest.common.source import IngestError, RawFile, SourceContext, land
from ingest.registry import all_datasets
from tests.conftest import DEMO_MIRROR
from tests.faults.fuzzing import mutate

SEED = 20260512
PER_DATASET = 20


def _outcome(dataset, raws: list[RawFile], index: int, content: bytes, folder: Path) -> tuple[str, str]:
    original = raws[index]
    changed = [*raws[:index], RawFile(content, original.origin, original.extension, name=original.name)]
    snapshot = land(folder, dataset.source, dataset.name, [*changed, *raws[index + 1 :]])
    try:
        dataset.parse(snapshot.files)
    except IngestError as error:
        named = bool(error.file) and (original.origin in error.file or Path(original.origin).name in error.file)
        return ("named error" if named else "unnamed error"), str(error)[:200]
    except Exception as error:  # the failure this test exists to find
        return "uncaught", f"{type(error).__name__}: {str(error)[:200]}"
    return "parsed", ""


def test_fuzzed_raw_files_parse_or_fail_naming_the_file(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    context = SourceContext(mode="demo", mirror_dir=DEMO_MIRROR)
    outcomes: Counter[str] = Counter()
    escapes: list[str] = []
    for dataset in all_datasets():
        raws = list(dataset.fetch(context))
        for n in range(PER_DATASET):
            index = rng.randrange(len(raws))
            mutant = mutate(rng, raws[index].content, raws[index].extension)
            outcome, detail = _outcome(dataset, raws, index, mutant.content, tmp_path / f"{dataset.asset_name}-{n}")
            outcomes[outcome] += 1
            if outcome not in {"parsed", "named error"}:
                escapes.append(f"{dataset.source}/{dataset.name} {mutant.mutation} {raws[index].name}: {detail}")
    total = sum(outcomes.values())
    print(f"fuzz: {total} mutations, seed {SEED}: {dict(outcomes)}")
    assert total >= 500
    assert outcomes["named error"] > 0 and outcomes["parsed"] > 0, "the mutations hit both outcomes"
    assert escapes == [], "\n".join(escapes)


@pytest.mark.parametrize("seed", range(25))
def test_a_csv_cut_in_the_middle_of_a_row_is_an_error_naming_the_line(tmp_path: Path, seed: int) -> None:
    dataset = next(d for d in all_datasets() if (d.source, d.name) == ("unhcr", "population"))
    (raw,) = dataset.fetch(SourceContext(mode="demo", mirror_dir=DEMO_MIRROR))
    text = gzip.decompress(raw.content)
    lines = text.split(b"\n")
    rng = random.Random(seed)
    row = rng.randrange(2, len(lines) - 2)
    line = lines[row]
    cut = rng.randrange(1, line.rfind(b","))  # inside the row, before its last field
    content = gzip.compress(b"\n".join(lines[:row]) + b"\n" + line[:cut], mtime=0)
    outcome, detail = _outcome(dataset, [raw], 0, content, tmp_path)
    assert outcome == "named error", detail
    assert f"row {row + 1}" in detail and "fields where the header has" in detail
