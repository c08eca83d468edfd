"""The picture of the cost: it says what the report says, and fits where it is shown."""

from __future__ import annotations

import dataclasses
import itertools
import math
import xml.etree.ElementTree as ElementTree

import pytest
from helpers import sample_points

from advisor.answers import Answers, Normalized, normalize
from advisor.chart import ASCII, MIN_WIDTH, UNICODE, chart_lines, chart_rows, chart_svg, lay_out
from advisor.decision.engine import Engine
from advisor.formatting import usd_range
from advisor.kb import KnowledgeBase
from advisor.render import to_markdown, to_text
from advisor.report import Report, build_report


def reports(kb: KnowledgeBase, engine: Engine, step: int = 97) -> list[Report]:
    """Every ``step``-th point of the answer space, each with a budget from $100 to $1M."""
    space = engine.space.grid()
    points = list(sample_points(space, 12_000))
    budgets = itertools.cycle([100.0, 2_000.0, 15_000.0, 250_000.0, 1_000_000.0])
    chosen = []
    for values in points[::step]:
        values = engine.space.visible({**values, "budget_usd": next(budgets)})
        chosen.append(build_report(kb, engine, Normalized(Answers(values), ())))
    return chosen


@pytest.fixture(scope="module")
def sample(kb: KnowledgeBase, engine: Engine) -> list[Report]:
    return reports(kb, engine)


@pytest.mark.parametrize("width", [MIN_WIDTH, 70, 78])
def test_no_line_is_wider_than_asked(sample: list[Report], width: int) -> None:
    for report in sample:
        for glyphs in (UNICODE, ASCII):
            assert max(len(line) for line in chart_lines(lay_out(report), width, glyphs)) <= width


def test_the_ascii_chart_is_ascii(sample: list[Report]) -> None:
    for report in sample:
        text = "\n".join(chart_lines(lay_out(report), 78, ASCII))
        assert text.isascii()


def test_the_budget_marker_agrees_with_the_verdict(sample: list[Report]) -> None:
    """Left of the middle of a range that is over budget (the budget is judged on the median),
    right of one that fits."""
    checked = 0
    for report in sample:
        rows = chart_rows(lay_out(report), 78, UNICODE)
        ranges = [
            row for row in rows if row[0].role in ("chosen", "label") and any(s.role == "range" for s in row)
        ]
        costs = report.decision.costs
        drawn_as_ranges = [a for a in report.decision.ranking if costs[a].low < costs[a].high]
        for approach, row in zip(drawn_as_ranges, ranges, strict=True):
            cells = "".join(span.text for span in row[1:-1])
            roles = "".join(span.role[0] * len(span.text) for span in row[1:-1])
            budget = cells.find("│")
            drawn = [i for i, role in enumerate(roles) if role in "rm"]  # range and middle
            if budget < 0 or not drawn:
                continue
            level = report.decision.levels[approach]
            low, high = report.decision.costs[approach].low, report.decision.costs[approach].high
            if low == high:
                continue
            middle = roles.find("m")
            if level == "over":
                assert budget <= (middle if middle >= 0 else drawn[-1]), (approach, cells)
            elif level == "fits":
                assert budget >= drawn[-1], (approach, cells)
            checked += 1
    assert checked > 50


def test_the_chart_shows_the_reports_own_figures(sample: list[Report]) -> None:
    for report in sample:
        text = "\n".join(chart_lines(lay_out(report), 78))
        for approach in report.decision.ranking:
            cost = report.decision.costs[approach]
            assert usd_range(cost.low, cost.high) in text
        for category in report.cost.categories:
            assert usd_range(category.low, category.high) in text
        first = next(line for line in text.splitlines() if line.startswith("▶"))
        assert report.kb.approach[report.approach].name.removesuffix(" fine-tuning") in first


def test_category_bars_grow_with_their_high_ends(sample: list[Report]) -> None:
    for report in sample:
        rows = chart_rows(lay_out(report), 78)
        bars = [row for row in rows if any(span.role in ("low", "spread") for span in row)]
        lengths = [sum(len(s.text) for s in row if s.role in ("low", "spread")) for row in bars]
        highs = [category.high for category in report.cost.categories]
        for (length_a, high_a), (length_b, high_b) in itertools.combinations(
            zip(lengths, highs, strict=True), 2
        ):
            if high_a > high_b * 1.05:
                assert length_a >= length_b


def test_the_svg_is_well_formed_and_says_the_same(kb: KnowledgeBase, engine: Engine) -> None:
    raw = {
        "task": "images",
        "labels": "labeled",
        "labeled_examples": 1000,
        "model_size": "small",
        "budget_usd": "$10k",
    }
    report = build_report(kb, engine, normalize(raw, kb))
    svg = chart_svg(lay_out(report))
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = " ".join(element.text or "" for element in root.iter() if element.tag.endswith("text"))
    assert usd_range(report.cost.low, report.cost.high) in texts
    assert "your budget, $10,000" in texts
    assert "<script" not in svg


def test_the_reports_hold_the_chart(kb: KnowledgeBase, engine: Engine) -> None:
    raw = {
        "task": "text",
        "labels": "labeled",
        "labeled_examples": 5000,
        "model_size": "BERT-base",
        "budget_usd": 2000,
    }
    report = build_report(kb, engine, normalize(raw, kb))
    assert "Cost at a glance" in to_text(report)
    assert "├" not in to_text(report, ascii=True) and "Cost at a glance" in to_text(report, ascii=True)
    markdown = to_markdown(report, chart="report.svg")
    assert "![Cost at a glance](report.svg)" in markdown
    assert "```text\nCost at a glance" in markdown


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_a_cost_that_is_not_finite_leaves_the_chart_out_rather_than_crash(
    sample: list[Report], bad: float
) -> None:
    """The number policy keeps NaN out of the cost model; a knowledge base's own formulas might
    not, and ``round(nan)`` raised where the bars are placed."""
    chart = lay_out(sample[0])
    broken = dataclasses.replace(
        chart, approaches=(dataclasses.replace(chart.approaches[0], low=bad), *chart.approaches[1:])
    )
    assert chart_lines(broken, 80) == [
        "(No chart: a cost is not a finite number; the figures above say which.)"
    ]
    assert "not a finite number" in chart_svg(broken)
    ElementTree.fromstring(chart_svg(broken))
