"""A glossary term on the recommendation card is a link: clicking it shows the term's definition in
the chat, as "what is X?" does; each term is linked at its first use in a part of the card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import MEDICAL
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static

from advisor.answers import normalize
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.kb.jargon import jargon_terms
from advisor.kb.models import Term
from advisor.outline import Outline, outline_of
from advisor.report import build_report
from advisor.terms import Terms
from advisor.tui.app import AdvisorApp
from advisor.tui.card import TermLinks, card_folds
from advisor.tui.widgets import BotMessage, RecommendationCard

SIZE = (80, 24)


async def type_line(pilot: Pilot[None], text: str) -> None:
    pilot.app.query_one("#input", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def term_links(widget: Static) -> list[tuple[str, int, int]]:
    """Each term link the widget draws: the action's term id, and where (column, row) it starts."""
    found = []
    for y, strip in enumerate(widget.render_lines(widget.content_region.reset_offset)):
        x = 0
        for segment in strip:
            action = segment.style.meta.get("@click") if segment.style else None
            if isinstance(action, str) and action.startswith("app.term("):
                found.append((action.removeprefix("app.term('").removesuffix("')"), x, y))
            x += segment.cell_length
    return found


async def test_clicking_a_term_on_the_card_shows_its_definition(
    make_app: Callable[..., AdvisorApp], kb: KnowledgeBase
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        card = app.query_one(RecommendationCard)
        linked = [
            (widget, link)
            for widget in card.query(Static)
            if widget.region.height
            for link in term_links(widget)
        ]
        assert linked, "no term link on the card"
        widget, (term_id, x, y) = next(
            (widget, link) for widget, link in linked if app.screen.region.contains(*widget.region.offset)
        )
        before = len(app.query(BotMessage))
        await pilot.click(widget, offset=(x + widget.styles.padding.left, y + widget.styles.padding.top))
        await pilot.pause()
        messages = app.query(BotMessage)
        assert len(messages) == before + 1
        term = next(term for term in kb.terms if term.id == term_id)
        shown = " ".join(str(messages.last().render()).split())
        assert shown.startswith(term.term) and " ".join(term.definition.split()) in shown
        assert app.conversation.report is not None  # the chat goes on where it was


def content_links(content: Content) -> list[tuple[str, str]]:
    """Each term link of a piece of the card: the term's id and the words linked."""
    return [
        (action.removeprefix("app.term('").removesuffix("')"), segment.text)
        for segment in content.render_segments()
        if segment.style and isinstance(action := segment.style.meta.get("@click"), str)
        if action.startswith("app.term(")
    ]


@pytest.mark.parametrize("case", ["medical-imaging", "chatbot-7b-raw-logs"])
def test_each_term_is_linked_at_its_first_use_in_each_part_of_the_card(
    case: str, kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    outline = outline_of(build_report(kb, engine, normalize(case_answers(case), kb)))
    *sections, glossary = outline.sections
    assert glossary.kind == "glossary"
    linked = 0
    for section in sections:
        # The sentences of the part: its paragraphs, list items and what would make another win
        # (not the plan's name, the cost verdict or the table of figures).
        pieces = [
            shown.piece
            for fold in card_folds(Outline((section, glossary), outline.numbering))
            for shown in fold.pieces
            if isinstance(shown.piece, Content) and shown.classes in ("", "would-win")
        ]
        links = [link for piece in pieces for link in content_links(piece)]
        # Every term the part says, linked once, at its first use.
        assert [term_id for term_id, _ in links] == [
            term.id for term in Terms(jargon_terms(kb)).used(p.plain for p in pieces)
        ]
        for term_id, words in links:
            assert Terms(jargon_terms(kb)).used([words])[0].id == term_id
        linked += len(links)
    assert linked


def test_a_terms_words_are_never_markup(kb: KnowledgeBase) -> None:
    hostile = Term(id="x", term="[@click=app.quit]x[/]", aliases=("[b]bold",), definition="Hostile.")
    links = TermLinks(Terms((hostile,)))
    content = links.content("say [@click=app.quit]x[/] and [b]bold")
    assert content.plain == "say [@click=app.quit]x[/] and [b]bold"
    assert content_links(content) == [("x", "[@click=app.quit]x[/]")]
    bad = Term(id="x')]y[@click=app.quit", term="word", definition="A bad id.")
    assert content_links(TermLinks(Terms((bad,))).content("a word")) == []


def test_snapshot_a_term_link_on_the_card(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    """The card at 80x24 with the pointer on a term's link ("model", the summary's first term)."""

    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.query_one("#input", Input).cursor_blink = False
        for line in MEDICAL:
            await type_line(pilot, line)
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
        card = pilot.app.query_one(RecommendationCard)
        widget, (_, x, y) = next(
            (widget, link)
            for widget in card.query(Static)
            if widget.region.height
            for link in term_links(widget)
        )
        await pilot.hover(widget, offset=(x + widget.styles.padding.left, y + widget.styles.padding.top))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
