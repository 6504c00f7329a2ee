"""Charts written as SVG text at build time: no JavaScript, fonts or network in the page, and no plotting
library in the build.

A report draws two shapes only, lines over years and a top-ten of horizontal bars, so each is a page of
geometry: nice tick values, a scale from data to pixels and a few SVG elements. Drawing one takes about
0.1-0.3 ms where matplotlib took 12-15 ms (its figure, layout and SVG backend), which was most of a report
build: the real snapshot's 640 charts cost 10 CPU-s and two worker processes. The same arguments always give
the same bytes, so an unchanged chart is byte-identical.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
AXIS, GRID, INK = "#888888", "#e5e5e5", "#444444"
FONT = 'font-family="DejaVu Sans, Verdana, Arial, sans-serif"'
WIDTH = 640  # px; the page shows each chart at this width (report/templates/_macros.html.j2)
LINE_HEIGHT, BAR_HEIGHT = 260, 320  # views.View.svg_height of each shape
LABEL_GAP = 0.075  # minimum vertical distance between end labels, as a fraction of the plot's height
LABEL_CHARS = 30  # longer series and bar labels are shortened to fit beside the plot
TICK_STEPS = (1, 2, 2.5, 5, 10)  # a tick interval is one of these times a power of ten


@dataclass(frozen=True)
class Series:
    """One line: a label and a value per x (None where the source has no figure)."""

    label: str
    values: Sequence[float | int | None]


def compact(value: float) -> str:
    """Axis tick text: 1,500 -> 1.5k, 2,000,000 -> 2m, 3.4e9 -> 3.4bn."""
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if magnitude >= threshold:
            return f"{value / threshold:.3g}{suffix}"
    return f"{value:.3g}"


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def nice_ticks(low: float, high: float, bins: int, whole: bool = False) -> list[float]:
    """Evenly spaced round values covering ``low`` to ``high`` in at most ``bins`` intervals, the step one of
    TICK_STEPS times a power of ten (whole numbers only when ``whole``): the first tick is at or below
    ``low``, the last at or above ``high``."""
    if high <= low:
        high = low + 1
    magnitude = 10 ** math.floor(math.log10((high - low) / bins))
    for multiple in (*TICK_STEPS, *(m * 10 for m in TICK_STEPS[1:])):
        step = multiple * magnitude
        if whole and (step < 1 or step != int(step)):
            continue
        first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
        if last - first <= bins:
            return [round(i * step, 10) for i in range(first, last + 1)]
    raise AssertionError("unreachable: the largest step spans the range in one interval")


def _spread(positions: list[float], gap: float) -> list[float]:
    """Move label positions (fractions of the plot's height) apart so no two are closer than ``gap``, keeping
    their order."""
    order = sorted(range(len(positions)), key=positions.__getitem__)
    placed = [0.0] * len(positions)
    floor = -math.inf
    for index in order:
        placed[index] = max(positions[index], floor + gap)
        floor = placed[index]
    overflow = max(placed, default=0) - 1.0
    if overflow > 0:  # push the whole stack down rather than off the top
        placed = [p - overflow for p in placed]
    return placed


def _isolated(values: Sequence[float]) -> list[int]:
    """Indices of values with no known neighbour: a line cannot show them, so they get a marker."""
    known = [not math.isnan(v) for v in values]
    return [
        i
        for i, k in enumerate(known)
        if k and not (i > 0 and known[i - 1]) and not (i + 1 < len(known) and known[i + 1])
    ]


def _scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    """Data to pixels: ``low`` maps to ``start``, ``high`` to ``end``."""
    factor = (end - start) / (high - low)
    return lambda value: round(start + (value - low) * factor, 2)


def _text(x: float, y: float, content: str, anchor: str = "start", colour: str = INK, size: int = 11) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" dominant-baseline="central" fill="{colour}" '
        f'font-size="{size}">{escape(content)}</text>'
    )


def _document(height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" {FONT}>\n<title>{escape(title)}</title>\n' + "\n".join(body) + "\n</svg>\n"
    )


class LineChart:
    """Lines over years, the y axis from 0, each line's label at its right end."""

    LEFT, RIGHT, TOP, BOTTOM = 58.0, 467.0, 26.0, 229.0  # the plot area, px

    def __init__(self, max_series: int = len(PALETTE)) -> None:
        self.max_series = max_series

    def render(self, x: Sequence[int], series: Sequence[Series], unit: str, whole: bool = True) -> str:
        """The SVG of ``series`` over ``x`` (years); the y axis starts at 0 and is labelled ``unit``, with
        ticks at whole numbers when ``whole`` (people, euros) so small counts get no 0.3 person tick."""
        if not series or len(series) > self.max_series:
            raise ValueError(f"a line chart takes 1 to {self.max_series} series, not {len(series)}")
        if not x or any(len(s.values) != len(x) for s in series):
            raise ValueError("every series needs one value per x")
        values = [[math.nan if v is None else float(v) for v in s.values] for s in series]
        for line, label in zip(values, series, strict=True):
            if all(math.isnan(v) for v in line):
                raise ValueError(f"series {label.label!r} has no value")
        highest = max(v for line in values for v in line if not math.isnan(v))
        # The axis ends at the first tick above the highest value, so the top gridline is labelled.
        y_ticks = nice_ticks(0, max(highest, 0) * 1.02 or 1.0, 4, whole)
        top = y_ticks[-1]
        margin = 0.5 if len(x) > 1 else 1.5  # one year alone still gets ticks at the years around it
        left, right = min(x) - margin, max(x) + margin
        to_x = _scale(left, right, self.LEFT, self.RIGHT)
        to_y = _scale(0, top, self.BOTTOM, self.TOP)
        body = [
            f'<clipPath id="plot"><rect x="{self.LEFT:g}" y="{self.TOP:g}" width="{self.RIGHT - self.LEFT:g}" '
            f'height="{self.BOTTOM - self.TOP:g}"/></clipPath>',
            _text(8, 10, unit),
        ]
        for tick in y_ticks:
            y = to_y(tick)
            if tick > 0:
                body.append(f'<path d="M{self.LEFT:g} {y:g}H{self.RIGHT:g}" stroke="{GRID}" stroke-width="0.8"/>')
            body.append(_text(self.LEFT - 6, y, compact(tick), "end"))
        for year in nice_ticks(left, right, 5, whole=True):
            if left <= year <= right:
                body.append(_text(to_x(year), self.BOTTOM + 15, f"{year:.0f}", "middle"))
        body.append(f'<path d="M{self.LEFT:g} {self.BOTTOM:g}H{self.RIGHT:g}" stroke="{AXIS}" stroke-width="1.1"/>')
        ends = []
        for index, line in enumerate(values):
            colour = PALETTE[index]
            points = [(to_x(year), to_y(v)) for year, v in zip(x, line, strict=True)]
            path = "".join(
                f"{'L' if i and not math.isnan(line[i - 1]) else 'M'}{px:g} {py:g}"
                for i, (px, py) in enumerate(points)
                if not math.isnan(line[i])
            )
            # The first line is drawn widest, so a later series equal to it still shows both colours.
            width = 3.9 if index == 0 else 2.1
            body.append(
                f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width}" '
                'stroke-linejoin="round" clip-path="url(#plot)"/>'
            )
            body.extend(
                f'<circle cx="{points[i][0]:g}" cy="{points[i][1]:g}" r="3" fill="{colour}"/>' for i in _isolated(line)
            )
            ends.append(max([v for v in line if not math.isnan(v)][-1], 0) / top)
        for index, (label, height) in enumerate(zip(series, _spread(ends, LABEL_GAP), strict=True)):
            y = self.BOTTOM - height * (self.BOTTOM - self.TOP)
            body.append(_text(self.RIGHT + 8, round(y, 2), shorten(label.label), colour=PALETTE[index]))
        return _document(LINE_HEIGHT, f"{', '.join(s.label for s in series)} ({unit})", body)


class BarChart:
    """Horizontal bars in the order given (a top ten, largest first), labelled on the left."""

    LEFT, RIGHT, TOP, BOTTOM = 230.0, 614.0, 10.0, 282.0  # the plot area, px

    def render(self, labels: Sequence[str], values: Sequence[float | int], unit: str) -> str:
        if not labels or len(labels) != len(values):
            raise ValueError("a bar chart needs one value per label")
        numbers = [float(v) for v in values]
        ticks = nice_ticks(min(0.0, *numbers), max(0.0, *numbers) or 1.0, 5)
        to_x = _scale(ticks[0], ticks[-1], self.LEFT, self.RIGHT)
        zero = to_x(0)
        slot = (self.BOTTOM - self.TOP) / len(numbers)
        body = []
        for tick in ticks:
            body.append(f'<path d="M{to_x(tick):g} {self.BOTTOM:g}v4" stroke="{AXIS}" stroke-width="1.1"/>')
            body.append(_text(to_x(tick), self.BOTTOM + 15, compact(tick), "middle"))
        for index, (label, value) in enumerate(zip(labels, numbers, strict=True)):
            top = self.TOP + slot * (index + 0.1)
            x, end = sorted((zero, to_x(value)))
            body.append(
                f'<rect x="{x:g}" y="{top:.2f}" width="{end - x:.2f}" height="{slot * 0.8:.2f}" fill="{PALETTE[0]}"/>'
            )
            body.append(_text(self.LEFT - 6, round(top + slot * 0.4, 2), shorten(label), "end"))
        body.append(
            f'<path d="M{self.LEFT:g} {self.TOP:g}V{self.BOTTOM:g}H{self.RIGHT:g}" fill="none" stroke="{AXIS}" '
            'stroke-width="1.1"/>'
        )
        body.append(_text((self.LEFT + self.RIGHT) / 2, self.BOTTOM + 32, unit, "middle"))
        return _document(BAR_HEIGHT, f"{', '.join(labels)} ({unit})", body)


_PAINTERS: dict[str, LineChart | BarChart] = {"line": LineChart(), "bar": BarChart()}


def draw(kind: str, *args) -> str:
    """One chart: ``kind`` "line" or "bar", with that chart's ``render`` arguments."""
    return _PAINTERS[kind].render(*args)
