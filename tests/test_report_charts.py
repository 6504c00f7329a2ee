"""The chart module: one reused figure per shape, series drawn and labelled, ticks from zero, and stable SVG."""

from __future__ import annotations

import itertools
import math
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from report.charts import BarChart, LineChart, Series, _isolated, _spread, compact, nice_ticks, shorten
from report.site import cell

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()).strip() for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def test_each_series_is_drawn_and_labelled_and_a_reused_figure_forgets_the_last_chart() -> None:
    chart = LineChart()
    years = [2020, 2021, 2022]
    three = chart.render(
        years,
        [Series("refugees", [1, 2, 3]), Series("asylum seekers", [3, None, 1]), Series("IDPs", [5, 5, 5])],
        "persons",
    )
    assert {"refugees", "asylum seekers", "IDPs", "persons", "2020", "2022"} <= set(texts(three))
    one = chart.render(years, [Series("dead and missing", [0, 10, 40])], "persons")
    assert "dead and missing" in texts(one)
    assert not {"refugees", "asylum seekers", "IDPs"} & set(texts(one))
    ticks = [int(t) for t in texts(one) if t.isdigit() and len(t) < 4]
    assert ticks[0] == 0 and ticks[-1] >= 40  # from zero to a labelled tick above the highest value


def test_the_same_chart_gives_the_same_svg() -> None:
    first = LineChart().render([2000, 2001], [Series("a", [1, 2])], "EUR")
    again = LineChart().render([2000, 2001], [Series("a", [1, 2])], "EUR")
    assert first == again


def test_a_point_without_neighbours_gets_a_marker() -> None:
    assert _isolated([1.0, math.nan, 2.0, 3.0, math.nan, 4.0]) == [0, 5]
    chart = LineChart()
    alone = chart.render([2019, 2020, 2021], [Series("x", [None, 7, None])], "persons")
    joined = chart.render([2019, 2020, 2021], [Series("x", [6, 7, 8])], "persons")
    assert alone.count("<circle") == 1 and joined.count("<circle") == 0


def test_small_counts_get_whole_number_ticks() -> None:
    ticks = texts(LineChart().render([2020, 2021], [Series("dead", [1, 1])], "persons"))
    assert not any("." in t for t in ticks if t[:1].isdigit() and t not in {"2020", "2021"})
    ratio = texts(LineChart().render([2020, 2021], [Series("EUR per person", [0.3, 0.5])], "EUR", whole=False))
    assert any("." in t for t in ratio)


def test_bad_input_is_refused() -> None:
    chart = LineChart()
    with pytest.raises(ValueError, match="1 to 6 series"):
        chart.render([2020], [], "persons")
    with pytest.raises(ValueError, match="one value per x"):
        chart.render([2020, 2021], [Series("a", [1])], "persons")
    with pytest.raises(ValueError, match="has no value"):
        chart.render([2020], [Series("a", [None])], "persons")
    with pytest.raises(ValueError, match="one value per label"):
        BarChart().render(["a", "b"], [1], "persons")


def test_bars_carry_their_labels() -> None:
    svg = BarChart().render(["Türkiye", "Congo, The Democratic Republic of the"], [3_000_000, 1_000_000], "persons")
    assert "Türkiye" in texts(svg) and shorten("Congo, The Democratic Republic of the") in texts(svg)


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (12, "12"), (1500, "1.5k"), (2_000_000, "2m"), (3.4e9, "3.4bn"), (-2500, "-2.5k")]
)
def test_compact_tick_text(value: float, text: str) -> None:
    assert compact(value) == text


def test_end_labels_are_spread_apart_and_stay_in_the_chart() -> None:
    placed = _spread([0.5, 0.51, 0.52, 0.99, 1.0], 0.075)
    ordered = sorted(placed)
    assert all(b - a >= 0.075 - 1e-9 for a, b in itertools.pairwise(ordered))
    assert max(placed) <= 1.0
    assert sorted(range(5), key=placed.__getitem__) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("value", "column", "text"),
    [
        (None, "", "\u2013"),
        (True, "", "yes"),
        (1234567, "refugees", "1,234,567"),
        (2026, "year", "2026"),
        (1305, "line", "1305"),
        (Decimal("319000000.00"), "planned_eur", "319,000,000"),
        (2.75, "eur_per_person", "2.75"),
        (date(2024, 7, 31), "", "2024-07-31"),
        (["opvang in de regio", "terugkeer"], "", "opvang in de regio; terugkeer"),
    ],
)
def test_cells_format_and_never_compute(value, column: str, text: str) -> None:
    assert cell(value, column) == text


@pytest.mark.parametrize(
    ("low", "high", "bins", "whole"),
    [(0, 40, 4, True), (0, 1.05, 4, True), (0, 0.51, 4, False), (1999.5, 2024.5, 5, True), (-2500, 3e6, 5, False)],
)
def test_ticks_are_round_and_evenly_spaced_and_cover_the_range(low: float, high: float, bins: int, whole: bool) -> None:
    ticks = nice_ticks(low, high, bins, whole)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert ticks[0] <= low and ticks[-1] >= high and len(ticks) - 1 <= bins
    (step,) = steps
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1, 2, 2.5, 5}
    assert not whole or step == int(step)


def test_a_chart_drawn_again_in_a_new_process_is_the_same_bytes() -> None:
    import subprocess
    import sys

    args = "[2000, 2001, 2002], [Series('refugees', [1, 2, None]), Series('IDPs', [3, None, 1])], 'persons'"
    code = f"from report.charts import LineChart, Series; print(LineChart().render({args}), end='')"
    here = LineChart().render(
        [2000, 2001, 2002], [Series("refugees", [1, 2, None]), Series("IDPs", [3, None, 1])], "persons"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert there == here
