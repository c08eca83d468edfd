"""A picture of the cost: the three approaches' ranges on one scale with the budget marked, and the
recommended approach's categories as bars.

The chart is laid out once, as rows of spans that each carry a *role* (``range``,
``budget``...): :func:`chart_lines` joins them into text for a terminal or a
Markdown code block, the chat's card colours them by role, and :func:`chart_svg`
draws the same picture as an SVG file for the Markdown export. No plotting
library: the layout is a few lines of arithmetic.

The approaches share a logarithmic scale (their costs often differ tenfold);
the categories share a linear one, from $0 to the costliest category's high
end, solid to the low end and shaded to the high end.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from advisor.formatting import format_usd, usd_range
from advisor.formatting import usd_range as _usd_range
from advisor.records import dataclass

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = [
    "ASCII",
    "MIN_WIDTH",
    "UNICODE",
    "Chart",
    "Glyphs",
    "Row",
    "Span",
    "chart_lines",
    "chart_rows",
    "chart_svg",
    "chart_words",
    "lay_out",
]

Role = Literal["label", "chosen", "axis", "track", "range", "middle", "budget", "low", "spread", "text"]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    role: Role


Row = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Glyphs:
    """The characters a chart is drawn with."""

    range: str
    ends: tuple[str, str]
    middle: str
    budget: str
    low: str
    spread: str
    chosen: str
    dash: str
    """Between the ends of a range of dollars."""


UNICODE = Glyphs(
    range="─", ends=("├", "┤"), middle="●", budget="│", low="█", spread="░", chosen="▶", dash="–"
)
ASCII = Glyphs(range="-", ends=("|", "|"), middle="o", budget=":", low="#", spread=".", chosen=">", dash="-")
"""For ``TERM=dumb``, ``--ascii`` and anything that cannot show box-drawing characters."""


@dataclass(frozen=True, slots=True)
class _Bar:
    label: str
    low: float
    middle: float
    high: float
    chosen: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    """What the picture shows, in dollars: independent of how it is drawn."""

    approaches: tuple[_Bar, ...]
    """Every approach, the recommended one first."""
    categories: tuple[_Bar, ...]
    """The recommended approach's categories."""
    budget: float
    percentiles: tuple[float, float]


def lay_out(report: Report) -> Chart:
    """The chart's numbers: the same ones the report states."""
    decision = report.decision
    approaches = tuple(
        _Bar(
            _short(report.kb.approach[approach].name),
            decision.costs[approach].low,
            decision.costs[approach].median,
            decision.costs[approach].high,
            approach == report.approach,
        )
        for approach in decision.ranking
    )
    categories = tuple(
        _Bar(category.category, category.low, category.spread.median, category.high)
        for category in report.cost.categories
    )
    return Chart(
        approaches,
        categories,
        report.normalized.answers.budget_usd or 0.0,
        decision.engine.cost_model.percentiles,
    )


def _short(name: str) -> str:
    """``Supervised`` for "Supervised fine-tuning": the chart's rows are narrow."""
    return name.removesuffix(" fine-tuning")


# --- text ---------------------------------------------------------------------------------------


MIN_WIDTH = 60
"""The narrowest chart drawn: a narrower view should leave it out."""


def chart_rows(chart: Chart, width: int, glyphs: Glyphs = UNICODE) -> list[Row]:
    """The chart as rows of spans, no wider than ``width`` (at least :data:`MIN_WIDTH`)."""
    width = max(width, MIN_WIDTH)

    def usd_range(low: float, high: float) -> str:
        return _usd_range(low, high).replace(" – ", f" {glyphs.dash} ")

    if not _finite(chart):
        return [(Span("(No chart: a cost is not a finite number; the figures above say which.)", "text"),)]
    label = max(len(bar.label) for bar in (*chart.approaches, *chart.categories)) + 2
    figures = max(len(usd_range(bar.low, bar.high)) for bar in (*chart.approaches, *chart.categories))
    track = max(10, width - label - figures - 2)
    rows: list[Row] = [(Span(_title(chart), "text"),)]
    scale = _LogScale([v for bar in chart.approaches for v in (bar.low, bar.high)] + [chart.budget], track)
    rows.append(_axis(scale, label, track))
    budget_at = scale.column(chart.budget) if chart.budget > 0 else None
    for bar in chart.approaches:
        rows.append(_range_row(bar, scale, budget_at, label, track, glyphs, usd_range(bar.low, bar.high)))
    if budget_at is not None:
        words = f"your budget, {format_usd(chart.budget)}"
        if budget_at + 2 + len(words) <= track + figures + 2:
            marker = " " * budget_at + glyphs.budget + " " + words
        else:  # near the right edge: the words go to its left
            marker = " " * max(0, budget_at - len(words) - 1) + words + " " + glyphs.budget
        rows.append((Span(" " * label, "label"), Span(marker, "budget")))
    rows.append((Span("", "text"),))
    rows.append((Span(f"{_chosen(chart)}, by category ($0 to its costliest):", "text"),))
    largest = max((bar.high for bar in chart.categories), default=0.0) or 1.0
    for bar in chart.categories:
        low = round(bar.low / largest * track)
        high = max(low, round(bar.high / largest * track))
        rows.append(
            (
                Span(f"{bar.label:<{label}}", "label"),
                Span(glyphs.low * low, "low"),
                Span(glyphs.spread * (high - low), "spread"),
                Span(" " * (track - high) + "  " + usd_range(bar.low, bar.high), "text"),
            )
        )
    return rows


def _finite(chart: Chart) -> bool:
    """Whether every amount can be placed: the number policy (:mod:`advisor.bounds`) keeps NaN
    and infinity out of the cost model's results; a knowledge base's own formulas might not."""
    bars = (*chart.approaches, *chart.categories)
    return all(math.isfinite(v) for bar in bars for v in (bar.low, bar.middle, bar.high)) and math.isfinite(
        chart.budget
    )


def chart_lines(chart: Chart, width: int, glyphs: Glyphs = UNICODE) -> list[str]:
    """The chart as plain lines of text."""
    return ["".join(span.text for span in row).rstrip() for row in chart_rows(chart, width, glyphs)]


def chart_words(chart: Chart) -> list[str]:
    """The picture said in words, for a reader who takes a line at a time (a screen reader reads
    a drawing as a row of symbols): each approach's range and where it stands against the budget.
    The categories' bars are left out: the cost lines say them."""
    if not _finite(chart):
        return ["(No picture of the cost: a cost is not a finite number; the figures above say which.)"]
    low, high = chart.percentiles
    budget = format_usd(chart.budget)
    said = [f"The approaches compared ({low:g}th to {high:g}th percentile):"]
    for bar in chart.approaches:
        chosen = " (recommended)" if bar.chosen else ""
        amounts = _usd_range(bar.low, bar.high).replace(" \u2013 ", " to ")
        if chart.budget <= 0:
            against = ""
        else:
            verdict = (
                "within" if bar.high <= chart.budget else "over" if bar.low > chart.budget else "may exceed"
            )
            against = f", {verdict} your budget" + ("" if len(said) > 1 else f" of {budget}")
        said.append(f"{bar.label}{chosen}: {amounts}{against}.")
    return said


def _chosen(chart: Chart) -> str:
    return next((bar.label for bar in chart.approaches if bar.chosen), chart.approaches[0].label)


def _title(chart: Chart) -> str:
    low, high = chart.percentiles
    return f"Cost at a glance ({low:g}th to {high:g}th percentile, log scale):"


class _LogScale:
    """Dollars to columns, by decades: $100, $1k, $10k..."""

    def __init__(self, values: list[float], track: int) -> None:
        positive = [v for v in values if v > 0] or [1.0]
        self.start = math.floor(math.log10(max(min(positive), 1.0)))
        self.stop = max(self.start + 1, math.ceil(math.log10(max(positive))))
        self.track = track

    def column(self, amount: float) -> int:
        share = (math.log10(max(amount, 10.0**self.start)) - self.start) / (self.stop - self.start)
        return min(self.track - 1, max(0, round(share * (self.track - 1))))

    def ticks(self) -> list[tuple[int, str]]:
        return [(self.column(10.0**d), _short_usd(10.0**d)) for d in range(self.start, self.stop + 1)]


def _short_usd(amount: float) -> str:
    for suffix, scale in (("M", 1e6), ("k", 1e3)):
        if amount >= scale:
            return f"${amount / scale:g}{suffix}"
    return f"${amount:g}"


def _axis(scale: _LogScale, label: int, track: int) -> Row:
    line = [" "] * (track + 6)
    for column, text in scale.ticks():
        start = min(max(0, column - len(text) // 2), len(line) - len(text))
        if all(c == " " for c in line[max(0, start - 1) : start + len(text) + 1]):
            line[start : start + len(text)] = text
    return (Span(" " * label, "label"), Span("".join(line).rstrip(), "axis"))


def _range_row(
    bar: _Bar, scale: _LogScale, budget_at: int | None, label: int, track: int, glyphs: Glyphs, figures: str
) -> Row:
    low, high, middle = scale.column(bar.low), scale.column(bar.high), scale.column(bar.middle)
    cells: list[tuple[str, Role]] = [(" ", "track")] * track
    if budget_at is not None:
        cells[budget_at] = (glyphs.budget, "budget")
    for column in range(low, high + 1):
        if cells[column][1] != "budget" or column in (low, high):
            cells[column] = (glyphs.range, "range")
    if high > low:
        cells[low], cells[high] = (glyphs.ends[0], "range"), (glyphs.ends[1], "range")
    cells[middle] = (glyphs.middle, "middle")
    name = f"{glyphs.chosen} {bar.label}" if bar.chosen else f"  {bar.label}"
    spans: list[Span] = [Span(f"{name:<{label}}", "chosen" if bar.chosen else "label")]
    for text, role in cells:
        if spans and spans[-1].role == role and len(spans) > 1:
            spans[-1] = Span(spans[-1].text + text, role)
        else:
            spans.append(Span(text, role))
    spans.append(Span("  " + figures, "text"))
    return tuple(spans)


# --- SVG ----------------------------------------------------------------------------------------

_SVG_WIDTH = 640
_ROW = 26
_LABEL = 150
_FIGURES = 150
_COLOURS = {
    "range": "#4e79a7",
    "chosen": "#f28e2b",
    "budget": "#e15759",
    "low": "#4e79a7",
    "spread": "#a0cbe8",
    "text": "#333333",
    "axis": "#888888",
}


def chart_svg(chart: Chart) -> str:
    """The same picture as a standalone SVG document (text, lines and rectangles; no script)."""
    if not _finite(chart):
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_SVG_WIDTH}" height="{_ROW * 2}">'
            f"{_svg_text(8, 18, 'No chart: a cost is not a finite number.', 'text')}</svg>"
        )
    track = _SVG_WIDTH - _LABEL - _FIGURES
    rows = len(chart.approaches) + len(chart.categories) + 5
    height = rows * _ROW
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_SVG_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_SVG_WIDTH} {height}" font-family="sans-serif" font-size="13">',
        f'<rect width="{_SVG_WIDTH}" height="{height}" fill="#ffffff"/>',
        _svg_text(8, 18, _title(chart), "text", bold=True),
    ]
    scale = _LogScale([v for bar in chart.approaches for v in (bar.low, bar.high)] + [chart.budget], track)

    def x(amount: float) -> float:
        share = (math.log10(max(amount, 10.0**scale.start)) - scale.start) / (scale.stop - scale.start)
        return _LABEL + min(1.0, max(0.0, share)) * track

    y = 2 * _ROW
    for decade in range(scale.start, scale.stop + 1):
        at = x(10.0**decade)
        out.append(f'<line x1="{at:.1f}" y1="{y - 6}" x2="{at:.1f}" y2="{y + 3 * _ROW}" stroke="#dddddd"/>')
        out.append(_svg_text(at, y - 10, _short_usd(10.0**decade), "axis", anchor="middle"))
    for bar in chart.approaches:
        y += _ROW
        colour = "chosen" if bar.chosen else "range"
        out.append(_svg_text(8, y + 4, ("▶ " if bar.chosen else "") + bar.label, "text", bold=bar.chosen))
        out.append(
            f'<line x1="{x(bar.low):.1f}" y1="{y}" x2="{x(bar.high):.1f}" y2="{y}" '
            f'stroke="{_COLOURS[colour]}" stroke-width="6" stroke-linecap="round"/>'
        )
        out.append(
            f'<circle cx="{x(bar.middle):.1f}" cy="{y}" r="5" fill="#ffffff" stroke="{_COLOURS[colour]}"/>'
        )
        out.append(_svg_text(_LABEL + track + 10, y + 4, usd_range(bar.low, bar.high), "text"))
    if chart.budget > 0:
        at = x(chart.budget)
        top, bottom = 2 * _ROW + 8, y + 12
        out.append(
            f'<line x1="{at:.1f}" y1="{top}" x2="{at:.1f}" y2="{bottom}" stroke="{_COLOURS["budget"]}" '
            'stroke-width="2" stroke-dasharray="4 3"/>'
        )
        out.append(
            _svg_text(at, bottom + 14, f"your budget, {format_usd(chart.budget)}", "budget", anchor="middle")
        )
    y += 2 * _ROW
    heading = f"{_chosen(chart)}, by category ($0 to its costliest):"
    out.append(_svg_text(8, y, heading, "text", bold=True))
    largest = max((bar.high for bar in chart.categories), default=0.0) or 1.0
    for bar in chart.categories:
        y += _ROW
        low, high = bar.low / largest * track, bar.high / largest * track
        out.append(_svg_text(8, y + 4, bar.label, "text"))
        out.append(f'<rect x="{_LABEL}" y="{y - 7}" width="{low:.1f}" height="14" fill="{_COLOURS["low"]}"/>')
        out.append(
            f'<rect x="{_LABEL + low:.1f}" y="{y - 7}" width="{max(0.0, high - low):.1f}" height="14" '
            f'fill="{_COLOURS["spread"]}"/>'
        )
        out.append(_svg_text(_LABEL + track + 10, y + 4, usd_range(bar.low, bar.high), "text"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    """Text inside an SVG element: the three characters XML gives a meaning."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _svg_text(x: float, y: float, text: str, role: str, *, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" fill="{_COLOURS[role]}" text-anchor="{anchor}"{weight}>'
        f"{_escape(text)}</text>"
    )
