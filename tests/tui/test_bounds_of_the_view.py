"""The chat's view at its bounds: a screen of a few rows, and a line longer than the chat reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Input

from advisor.chat.conversation import MAX_LINE
from advisor.tui.app import AdvisorApp


def _shown(app: AdvisorApp, selector: str) -> bool:
    """Whether the last widget ``selector`` matches has at least one row on screen."""
    transcript = app.query_one("#transcript", VerticalScroll)
    widget = app.query(selector).last()
    top = widget.virtual_region.y - int(transcript.scroll_y)
    return top < transcript.scrollable_content_region.height and top + widget.outer_size.height > 0


@pytest.mark.parametrize("rows", [4, 6, 8, 11, 16])
async def test_on_a_short_screen_the_conversation_keeps_the_rows(
    make_app: Callable[..., AdvisorApp], rows: int
) -> None:
    app = make_app(resume=False)
    async with app.run_test(size=(80, rows)) as pilot:
        await pilot.pause()
        transcript = app.query_one("#transcript", VerticalScroll)
        # The input and, on a tiny screen, nothing else: the title, status, footer go first.
        assert transcript.region.height >= rows - (1 if rows < 12 else 5)
        assert _shown(app, "BotMessage.question"), "the question asked is not on screen"
        assert app.query_one("#input", Input).region.height >= 1


async def test_a_full_height_screen_keeps_its_title_and_footer(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app(resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one("#title").display and app.query_one("#status").display
        assert app.query_one("Footer").display


async def test_the_input_holds_the_longest_line_the_chat_reads(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app(resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#input", Input)
        assert box.max_length == MAX_LINE
        box.value = "x" * (MAX_LINE - 5)  # typed already (pressing 500 keys one by one takes half a minute)
        box.cursor_position = len(box.value)
        await pilot.press(*["x"] * 25)
        await pilot.pause()
        assert box.value == "x" * MAX_LINE
        # Said once, as a notice, rather than a bell for every key past the limit.
        notices = [n.message for n in app._notifications]
        assert notices == [box.TOO_LONG]
