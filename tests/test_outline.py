"""One outline, every rendering: text and Markdown show the outline's sections in its order,
each section's words in each medium; a prefix of the outline renders as a prefix of the report;
the export's files come from the outline, not from patching a rendering."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from advisor.answers import normalize
from advisor.chart import chart_svg, lay_out
from advisor.chat.replies import Exported
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.outline import GROUPS, SECTIONS, Outline, fragments, outline_of
from advisor.render import to_markdown, to_text
from advisor.report import Report, build_report

HOSTILE = {
    "task": "x-ray [@click=app.quit] *bold* | pipe [/bold] `code`",
    "labels": "labelled",
    "labeled_examples": "about 500 [b]images[/b]",
    "model_size": "GPT-3",
    "budget_usd": 100,
    "hardware": "tpu",
}
"""Read fuzzily, so the markup comes back in the warnings; nothing fits the budget."""


@pytest.fixture(
    scope="module", params=["medical-imaging", "chatbot-7b-raw-logs", "hostile"], ids=lambda p: str(p)
)
def report(
    request: pytest.FixtureRequest,
    kb: KnowledgeBase,
    engine: Engine,
    case_answers: Callable[[str], dict[str, Any]],
) -> Report:
    raw = HOSTILE if request.param == "hostile" else case_answers(request.param)
    return build_report(kb, engine, normalize(raw, kb))


def flat(text: str) -> str:
    """Words as a reader sees them: whitespace folded, emphasis and code marks dropped."""
    return " ".join(text.replace("`", "").replace("*", "").split())


def unmarked(markdown: str) -> str:
    """Markdown as read: escapes undone, then :func:`flat`."""
    return flat(re.sub(r"\\(.)", r"\1", markdown))


def assert_in_order(outline: Outline, rendered: str) -> None:
    """Every fragment of every section is in ``rendered``, in the outline's order."""
    at = 0
    for section in outline.sections:
        for block in section.blocks:
            for fragment in fragments(block):
                found = rendered.find(flat(fragment), at)
                assert found >= 0, f"{section.kind}: {fragment!r} missing or out of order"
                at = found


def test_sections_come_in_one_order(report: Report) -> None:
    kinds = [section.kind for section in outline_of(report).sections]
    order = list(SECTIONS)
    assert kinds == sorted(kinds, key=order.index)
    # The first screen, then the plan; what to try before fine-tuning, when there is something,
    # comes right after the plan.
    assert kinds[:2] == ["glance", "deciding"]
    assert [kind for kind in kinds if kind not in ("first", "first_steps")][2:5] == [
        "summary",
        "cost",
        "chart",
    ]
    assert kinds[-2:] == ["sources", "glossary"] and kinds.count("first") == (1 if report.first else 0)
    assert kinds.count("why_not") == len(report.alternatives)


def test_groups_are_contiguous_and_in_order(report: Report) -> None:
    groups = [GROUPS.index(section.group) for section in outline_of(report).sections]
    assert groups == sorted(groups) and groups[0] == 0


def test_text_shows_every_section_in_the_outlines_order(report: Report) -> None:
    assert_in_order(outline_of(report), flat(to_text(report)))


def test_markdown_shows_every_section_in_the_outlines_order(report: Report) -> None:
    assert_in_order(outline_of(report), unmarked(to_markdown(report)))


@pytest.mark.parametrize("render", [to_text, to_markdown], ids=["text", "markdown"])
def test_a_prefix_of_the_outline_renders_as_a_prefix_of_the_report(
    report: Report, render: Callable[[Outline], str]
) -> None:
    """What a shorter report needs: the same renderer, given the first groups of sections."""
    outline = outline_of(report)
    full = render(outline)
    for group in GROUPS:
        shorter = render(outline.through(group))
        assert full.startswith(shorter)
    assert render(outline.through("summary")).count("\n") < full.count("\n")
    assert render(outline.through(GROUPS[-1])) == full


def test_rendering_a_report_is_rendering_its_outline(report: Report) -> None:
    outline = outline_of(report)
    assert to_text(report) == to_text(outline)
    assert to_markdown(report, chart="a.svg") == to_markdown(outline, chart="a.svg")


def test_citations_are_numbered_as_the_report_numbers_them(report: Report) -> None:
    outline = outline_of(report)
    for claim in report.citations:
        assert outline.numbering.numbered(claim.id) == report.number(claim.id)
    assert outline.numbering.cite(report.summary.claims) == report.cite(report.summary.claims)


def test_the_export_renders_its_files_from_the_outline(report: Report) -> None:
    outline = outline_of(report)
    exported = Exported(outline, "answers: {}\n")
    assert exported.markdown(None) == to_markdown(report)
    assert exported.markdown("picture.svg") == to_markdown(report, chart="picture.svg")
    assert "![Cost at a glance](picture.svg)" in exported.markdown("picture.svg")
    assert "![Cost at a glance]" not in exported.markdown(None)
    assert exported.chart_svg == chart_svg(lay_out(report))


def test_an_outline_without_its_picture_exports_no_svg(report: Report) -> None:
    outline = outline_of(report)
    bare = Outline(tuple(s for s in outline.sections if s.kind != "chart"), outline.numbering)
    assert Exported(bare, "").chart_svg == ""
    assert "Cost at a glance" not in to_markdown(bare, chart="picture.svg")
