"""What a person sees at 80x24, pinned as SVG snapshots.

Update after an intended change with ``pytest tests/tui --snapshot-update`` and
look at the report it writes before committing the new snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers import MEDICAL, SHOES, TICKETS
from textual.pilot import Pilot
from textual.widgets import Input

from advisor.tui.app import AdvisorApp

SIZE = (80, 24)


def typing(*lines: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        input_widget = pilot.app.query_one("#input", Input)
        input_widget.cursor_blink = False
        for line in lines:
            input_widget.value = line
            await pilot.press("enter")
            await pilot.pause()
        # The transcript scrolls to its end after a refresh: let every refresh land.
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

    return run_before


def test_first_question(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing())


def test_fuzzy_answer_read_back(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=typing(MEDICAL[0], "we have about 2k labelled pics")
    )


def test_unreadable_answer(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing(TICKETS, "blorp"))


def test_recommendation_card(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing(*MEDICAL))


def test_why_trace(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing(*MEDICAL, "why?"))


def test_what_if(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=typing(*MEDICAL, "what if my budget were $50k?")
    )


def test_markup_shown_literally(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(
        make_app(), terminal_size=SIZE, run_before=typing("[bold]x[/bold] [@click=app.quit]click[/]")
    )


def test_recommendation_card_on_a_light_theme(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    async def light(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await typing(*MEDICAL)(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=light)


def test_everything_in_one_line_goes_straight_to_the_recommendation(
    snap_compare: Any, make_app: Callable[..., AdvisorApp]
) -> None:
    line = "I have 5k labelled support tickets, want to fine-tune BERT, budget 3000 dollars"
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing(line))


def test_an_unusual_number_is_confirmed_first(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing(SHOES, "yes", "2"))


def test_restart_offers_undo(snap_compare: Any, make_app: Callable[..., AdvisorApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typing(SHOES, "yes", "restart"))
