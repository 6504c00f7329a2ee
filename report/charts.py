"""Charts rendered to SVG at build time with matplotlib: no JavaScript, fonts or network in the page.

Creating a figure and its axes costs more than drawing it, so each chart shape keeps one figure and
only its data, labels and limits change from one chart to the next (about twice as fast as a new figure
per chart, which is what keeps a few hundred country pages within the build budget). Figures are made
with ``matplotlib.figure.Figure`` directly, so no pyplot state or global backend is touched.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
STYLE = {
    "svg.fonttype": "none",  # text stays text: small files, no glyph paths to draw
    "svg.hashsalt": "maw-report",  # stable ids, so an unchanged chart is byte-identical
    "font.family": "sans-serif",
    "font.size": 8.5,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": "#444444",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
}
WIDTH_IN, HEIGHT_IN = 6.4, 2.6
LABEL_GAP = 0.075  # minimum vertical distance between end labels, in axes fractions
LABEL_CHARS = 30  # longer series and bar labels are shortened to fit beside the plot


@dataclass(frozen=True)
class Series:
    """One line: a label and a value per x (None where the source has no figure)."""

    label: str
    values: Sequence[float | int | None]


def compact(value: float, _position: object = None) -> str:
    """Axis tick text: 1,500 -> 1.5k, 2,000,000 -> 2m, 3.4e9 -> 3.4bn."""
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if magnitude >= threshold:
            return f"{value / threshold:.3g}{suffix}"
    return f"{value:.3g}"


def year(value: float, _position: object = None) -> str:
    return f"{value:.0f}"


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _spread(positions: list[float], gap: float) -> list[float]:
    """Move label positions (axes fractions) apart so no two are closer than ``gap``, keeping their order."""
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


class LineChart:
    """Lines over years with the series labels at the right edge, one reused figure.

    The axes' own tick machinery measures every tick label several times per draw (a third of a chart's
    time), so the axis is off: the locators pick the ticks, a fixed set of text artists shows them and
    one line collection draws the grid.
    """

    MAX_TICKS = 10

    def __init__(self, max_series: int = len(PALETTE)) -> None:
        with matplotlib.rc_context(STYLE):
            self.figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
            axes = self.axes = self.figure.add_axes((0.09, 0.12, 0.64, 0.78))
            axes.set_axis_off()
            self.grid = axes.hlines([], 0, 1, transform=axes.get_yaxis_transform(), color="#e5e5e5", linewidth=0.6)
            axes.axhline(0, color="#888888", linewidth=0.8)
            # The first line is drawn widest, so a later series equal to it still shows both colours.
            self.lines = [
                axes.plot([], [], color=color, linewidth=2.8 if index == 0 else 1.5, markersize=3)[0]
                for index, color in enumerate(PALETTE[:max_series])
            ]
            self.labels = [
                axes.text(1.02, 0, "", transform=axes.transAxes, color=color, va="center", fontsize=8)
                for color in PALETTE[:max_series]
            ]
            tick = {"color": "#444444", "fontsize": 8}
            self.y_ticks = [
                axes.text(-0.012, 0, "", transform=axes.get_yaxis_transform(), ha="right", va="center", **tick)
                for _ in range(self.MAX_TICKS)
            ]
            self.x_ticks = [
                axes.text(0, -0.04, "", transform=axes.get_xaxis_transform(), ha="center", va="top", **tick)
                for _ in range(self.MAX_TICKS)
            ]
            # The unit above the axis, not a rotated label: it needs no room beside wide tick labels.
            self.unit = axes.text(0.01, 0.96, "", transform=self.figure.transFigure, ha="left", va="top", **tick)
        self.years = MaxNLocator(nbins=5, integer=True)
        self.counts = MaxNLocator(nbins=4, integer=True)
        self.amounts = MaxNLocator(nbins=4)

    @staticmethod
    def _place(texts, locator: MaxNLocator, low: float, high: float, fmt, position) -> list[float]:
        """Ticks between ``low`` and ``high`` on the given text artists; returns the tick values."""
        values = [v for v in locator.tick_values(low, high) if low <= v <= high][: len(texts)]
        for index, text in enumerate(texts):
            text.set_visible(index < len(values))
            if index < len(values):
                text.set_text(fmt(values[index]))
                text.set_position(position(values[index]))
        return values

    def render(self, x: Sequence[int], series: Sequence[Series], unit: str, whole: bool = True) -> str:
        """The SVG of ``series`` over ``x`` (years); the y axis starts at 0 and is labelled ``unit``, with
        ticks at whole numbers when ``whole`` (people, euros) so small counts get no 0.3 person tick."""
        if not series or len(series) > len(self.lines):
            raise ValueError(f"a line chart takes 1 to {len(self.lines)} series, not {len(series)}")
        if not x or any(len(s.values) != len(x) for s in series):
            raise ValueError("every series needs one value per x")
        top = 0.0
        ends: list[float] = []
        for index, line in enumerate(self.lines):
            visible = index < len(series)
            line.set_visible(visible)
            self.labels[index].set_visible(visible)
            if not visible:
                continue
            values = [math.nan if v is None else float(v) for v in series[index].values]
            line.set_data(x, values)
            isolated = _isolated(values)
            line.set_marker("o" if isolated else "None")
            line.set_markevery(isolated or None)
            known = [v for v in values if not math.isnan(v)]
            if not known:
                raise ValueError(f"series {series[index].label!r} has no value")
            top = max(top, *known)
            ends.append(known[-1])
            self.labels[index].set_text(shorten(series[index].label))
        locator = self.counts if whole else self.amounts
        # The axis ends at the first tick above the highest value, so the top gridline is labelled.
        top = min((t for t in locator.tick_values(0, top * 1.05) if t >= top * 1.02), default=top * 1.08) or 1.0
        margin = 0.5 if len(x) > 1 else 1.5  # one year alone still gets ticks at the years around it
        left, right = min(x) - margin, max(x) + margin
        self.axes.set_xlim(left, right)
        self.axes.set_ylim(0, top)
        self._place(self.x_ticks, self.years, left, right, year, lambda v: (v, -0.04))
        grid = self._place(self.y_ticks, locator, 0, top, compact, lambda v: (-0.012, v))
        self.grid.set_segments([[(0, v), (1, v)] for v in grid if v > 0])
        for label, y in zip(self.labels, _spread([max(e, 0) / top for e in ends], LABEL_GAP), strict=False):
            label.set_y(y)
        self.unit.set_text(unit)
        with matplotlib.rc_context(STYLE):
            return _svg(self.figure)


class BarChart:
    """Horizontal bars, largest first (a top ten). Few per site, so a fresh axes each time is fine."""

    def __init__(self) -> None:
        with matplotlib.rc_context(STYLE):
            self.figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN + 0.6))

    def render(self, labels: Sequence[str], values: Sequence[float | int], unit: str) -> str:
        if not labels or len(labels) != len(values):
            raise ValueError("a bar chart needs one value per label")
        with matplotlib.rc_context(STYLE):
            self.figure.clear()
            axes = self.figure.add_axes((0.36, 0.12, 0.6, 0.85))
            positions = range(len(labels))
            axes.barh(positions, [float(v) for v in values], color=PALETTE[0])
            axes.set_yticks(positions, [shorten(label) for label in labels])
            axes.invert_yaxis()
            axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
            axes.xaxis.set_major_formatter(FuncFormatter(compact))
            axes.set_xlabel(unit)
            axes.spines[["top", "right"]].set_visible(False)
            return _svg(self.figure)


_PAINTERS: dict[str, LineChart | BarChart] = {}


def draw(kind: str, *args) -> str:
    """One chart (``kind`` "line" or "bar", with that chart's ``render`` arguments) drawn on this process's
    reused figure of that shape: the same SVG in whichever process draws it."""
    painter = _PAINTERS.get(kind)
    if painter is None:
        painter = _PAINTERS[kind] = LineChart() if kind == "line" else BarChart()
    return painter.render(*args)
