"""The recommendation card renders the same outline as text and Markdown: its sections in the
outline's order, each block's words, less only the blocks meant for a full document; text from
files and people shown as typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.content import Content

from advisor.answers import normalize
from advisor.chart import Chart
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.outline import Items, Outline, Paragraph, Section, fragments, outline_of
from advisor.report import Numbering, Report, build_report
from advisor.tui.card import Fold, card_folds


@pytest.fixture(scope="module", params=["medical-imaging", "chatbot-7b-raw-logs", "laptop-images"])
def report(
    request: pytest.FixtureRequest,
    kb: KnowledgeBase,
    engine: Engine,
    case_answers: Callable[[str], dict[str, Any]],
) -> Report:
    return build_report(kb, engine, normalize(case_answers(request.param), kb))


def flat(text: str) -> str:
    return " ".join(text.split())


def card_text(folds: list[Fold]) -> str:
    """Everything the card says, fold titles included, the picture as its title."""
    parts: list[str] = []
    for fold in folds:
        parts.append(fold.title or "")
        for shown in fold.pieces:
            parts.append("<picture>" if isinstance(shown.piece, Chart) else shown.piece.plain)
    return flat("\n".join(parts))


def shown_in_card(section: Section) -> bool:
    return any(not getattr(block, "detail", False) for block in section.blocks)


def test_the_card_shows_the_outlines_sections_in_its_order(report: Report) -> None:
    outline = outline_of(report)
    text = card_text(card_folds(outline))
    at = 0
    for section in outline.sections:
        for block in section.blocks:
            if getattr(block, "detail", False):
                continue
            for fragment in fragments(block):
                found = text.find(flat(fragment), at)
                assert found >= 0, f"{section.kind}: {fragment!r} missing or out of order"
                at = found


def test_the_card_leaves_the_details_to_the_document(report: Report) -> None:
    outline = outline_of(report)
    text = card_text(card_folds(outline))
    details = [
        fragment
        for section in outline.sections
        for block in section.blocks
        if isinstance(block, Paragraph | Items) and block.detail
        for fragment in fragments(block)
    ]
    assert details
    for fragment in details:
        if not fragment.startswith("Estimated $"):  # an alternative's range is in its fold's title
            assert flat(fragment) not in text


def test_the_summary_group_is_open_then_a_fold_per_section_the_first_open(report: Report) -> None:
    outline = outline_of(report)
    folds = card_folds(outline)
    assert folds[0].title is None and not folds[0].collapsed
    titled = folds[1:]
    assert all(fold.title is not None for fold in titled)
    assert [fold.collapsed for fold in titled] == [False] + [True] * (len(titled) - 1)
    shown = [s for s in outline.sections if s.group not in ("glance", "summary") and shown_in_card(s)]
    merged = {"caveats", "next_steps"}
    expected = len([s for s in shown if s.kind not in merged]) + any(s.kind in merged for s in shown)
    assert len(titled) == expected
    # The reasons the first screen left out come first, when there are any; then the alternatives.
    more = 1 if report.more_reasons else 0
    assert [fold.title for fold in titled[:more]] == ["More reasons"] * more
    assert titled[-1].title is not None and titled[-1].title.startswith("Sources: ")
    for alternative, fold in zip(report.alternatives, titled[more:], strict=False):
        assert fold.title is not None and fold.title.startswith(f"Why not {alternative.name.lower()} ($")


def test_the_card_title_can_be_replaced(report: Report) -> None:
    folds = card_folds(outline_of(report), "Then I would recommend: X")
    first = folds[0].pieces[0]
    assert isinstance(first.piece, Content) and first.piece.plain == "Then I would recommend: X"
    assert first.classes == "card-title"


def test_markup_in_a_block_is_shown_as_typed() -> None:
    hostile = "[@click=app.quit]quit[/] [bold]x[/bold] $accent"
    outline = Outline(
        (Section("why", "Why", (Paragraph(hostile, ("a-claim",)),)),), Numbering({"a-claim": 1})
    )
    (fold,) = card_folds(outline)
    (shown,) = fold.pieces
    assert isinstance(shown.piece, Content)
    assert shown.piece.plain == f"{hostile} [1]"
    actions = [span for span in shown.piece.spans if "app.quit" in str(span.style)]
    assert actions == []
