"""The chat's flow as a person meets it: lines typed or pasted fast, focus after clicks and pop-ups,
restart and undo, quitting, and errors that must never reach the screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MEDICAL, MEDICAL_TASK, SHOES, TICKETS
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Collapsible, Input, Static
from textual.widgets._collapsible import CollapsibleTitle

from advisor.chat.modes import TryingWhatIf
from advisor.chat.replies import Reply
from advisor.errors import AnswersError
from advisor.kb import KnowledgeBase
from advisor.tui.app import AdvisorApp
from advisor.tui.screens import CitationScreen
from advisor.tui.widgets import BotMessage, RecommendationCard, ReplyButton, UserMessage

SIZE = (80, 24)

TYPED = list(MEDICAL)
"""The medical case typed fast, one line a question (the team and the hardware skipped); medical
data asks where it may go after the count, which "ResNet-50" skips in passing."""


def send_without_pause(pilot: Pilot[None], lines: list[str], *, enter_last: bool = True) -> None:
    """Key events straight to the driver, none awaited: a fast typist, or a paste of keys."""
    driver = pilot.app._driver
    assert driver is not None
    for number, line in enumerate(lines, start=1):
        for character in line:
            key = _character_to_key(character) if not character.isalnum() else character
            driver.send_message(events.Key(key, character))
        if enter_last or number < len(lines):
            driver.send_message(events.Key("enter", "\r"))


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(20):
        await pilot.pause()


def bot_texts(app: AdvisorApp) -> list[str]:
    return [str(message.render()) for message in app.query(BotMessage)]


async def test_lines_sent_with_no_pause_are_read_once_each_in_order(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send_without_pause(pilot, TYPED)
        await settle(pilot)
        said = [str(message.render()) for message in app.query(UserMessage)]
        assert said == TYPED
        assert app.conversation.done
        assert app.conversation.given.values["labeled_examples"] == 1000
        assert app.query_one("#input", Input).value == ""


async def test_a_pasted_list_is_read_line_by_line(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one("#input", Input).post_message(events.Paste("\n".join(TYPED[:3]) + "\nResNet"))
        await settle(pilot)
        said = [str(message.render()) for message in app.query(UserMessage)]
        assert said == TYPED[:3]
        assert app.query_one("#input", Input).value == "ResNet"  # the last line waits for Enter
        assert app.conversation.current is not None and app.conversation.current.id == "data_location"


async def test_focus_returns_to_the_input_after_a_section_a_citation_and_the_quote_pop_up(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        send_without_pause(pilot, TYPED)
        await settle(pilot)
        card = app.query_one(RecommendationCard)
        section = card.query(Collapsible).last()
        title = section.query_one(CollapsibleTitle)
        app.query_one("#transcript").scroll_to_widget(title, animate=False, top=True)
        await settle(pilot)
        await pilot.click(title)
        await settle(pilot)
        assert not section.collapsed
        assert app.focused is app.query_one("#input", Input)
        # A click anywhere in the transcript leaves the focus where it is.
        await pilot.click(section.query_one(".sources", Static))
        await settle(pilot)
        assert app.focused is app.query_one("#input", Input)
        # A citation opens its quote; closing the pop-up gives the input the focus back.
        app.action_cite(card.report.citations[0].id)
        await settle(pilot)
        assert isinstance(app.screen, CitationScreen)
        await pilot.click("#quotes")
        await settle(pilot)
        assert not isinstance(app.screen, CitationScreen)
        assert app.focused is app.query_one("#input", Input)
        await pilot.press(*"why?", "enter")
        await settle(pilot)
        assert any("How I decided" in text for text in bot_texts(app))


async def test_restart_can_be_undone(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        send_without_pause(pilot, TYPED[:3])
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.conversation.given.values == {}
        undo = next(b for b in app.query(ReplyButton) if b.option.action == "undo")
        await pilot.click(undo)
        await settle(pilot)
        assert app.conversation.given.values == {
            **MEDICAL_TASK,
            "labels": "labeled",
            "labeled_examples": 1000,
        }
        assert app.conversation.current is not None and app.conversation.current.id == "data_location"
        assert app.focused is app.query_one("#input", Input)


async def test_the_sequence_that_crashed_the_chat_now_asks_for_the_missing_count(
    make_app: Callable[..., AdvisorApp],
) -> None:
    lines = [
        TICKETS,
        "no labels, just raw logs",
        "skip",
        "small",
        "$10k",
        "skip",
        "skip",
        "actually it is labelled",
    ]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        send_without_pause(pilot, [*lines, "what if my budget were $50k"])
        await settle(pilot)
        assert app.is_running and not app.failures
        assert app.conversation.current is not None and app.conversation.current.id == "labeled_examples"
        assert any("finish this question first" in text for text in bot_texts(app))
        send_without_pause(pilot, ["3k", "what if my budget were $50k"])
        await settle(pilot)
        assert not app.failures
        mode = app.conversation.mode
        assert isinstance(mode, TryingWhatIf) and mode.answers == {"budget_usd": 50000}


async def test_an_error_of_ours_is_said_plainly_logged_and_sets_the_exit_code(
    make_app: Callable[..., AdvisorApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = make_app()

    def broken(text: str) -> list[Reply]:
        raise AnswersError("labeled_examples: missing")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app.conversation, "handle", broken)
        await pilot.press(*TICKETS, "enter")
        await settle(pilot)
        assert app.is_running
        assert any("something went wrong on my side" in text for text in bot_texts(app))
        assert not any("Traceback" in text or "AnswersError" in text for text in bot_texts(app))
        assert app.failures and app.failures[0] is not None
        assert "AnswersError: labeled_examples: missing" in app.failures[0].read_text()


def test_the_chat_exits_non_zero_when_an_error_of_ours_happened(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from advisor.tui import app as app_module

    class Broken(AdvisorApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.reply(lambda: 1 / 0)  # type: ignore[arg-type, return-value]
            self.exit()

    monkeypatch.setattr(app_module, "create_app", lambda kb, **kwargs: Broken(kb, store=kwargs["store"]))
    monkeypatch.setenv("ADVISOR_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(AdvisorApp, "run", lambda self: asyncio.run(self.run_async(headless=True)))
    assert app_module.run(kb, new=True) == 1


async def test_quit_and_exit_end_the_chat(make_app: Callable[..., AdvisorApp]) -> None:
    for word in ("quit", "exit"):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*word, "enter")
            await settle(pilot)
            assert not app.is_running


async def test_a_reading_to_confirm_offers_yes_and_no(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        send_without_pause(pilot, [SHOES, "yes", "2"])
        await settle(pilot)
        labels = [b.option.label for b in app.query(ReplyButton)]
        assert labels == ["Yes", "No"]
        yes = next(b for b in app.query(ReplyButton) if b.option.action == "yes")
        await pilot.click(yes)
        await settle(pilot)
        assert app.conversation.given.values["labeled_examples"] == 2
        assert app.focused is app.query_one("#input", Input)


async def test_every_set_of_quick_replies_fits_80_columns(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for line in [*TYPED, "what if my budget were $50k", "restart"]:
            buttons = list(app.query(ReplyButton))
            assert buttons
            right = max(button.region.right for button in buttons)
            assert right <= SIZE[0], [b.option.label for b in buttons]
            assert all(button.region.width >= len(str(button.label)) for button in buttons)
            send_without_pause(pilot, [line])
            await settle(pilot)


def test_an_error_that_escapes_every_guard_ends_the_chat_with_a_plain_line_and_code_1(
    kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.chat.store import SessionStore

    class Escaping(AdvisorApp):
        def action_why(self) -> None:  # an action runs outside AdvisorApp.reply's guard
            raise RuntimeError("a bug of ours")

    app = Escaping(kb, store=SessionStore(tmp_path / "state"), resume=False)

    async def press_f2(pilot: Pilot[None]) -> None:
        await pilot.press("f2")

    asyncio.run(app.run_async(headless=True, size=SIZE, auto_pilot=press_f2))
    err = capsys.readouterr().err
    assert app.return_code == 1
    assert "Traceback" not in err and "RuntimeError" not in err
    assert "the chat stopped because of an error of ours" in err
    assert "RuntimeError: a bug of ours" in (tmp_path / "state" / "crash.log").read_text()


async def test_enter_on_an_empty_line_says_what_to_do_or_skips(make_app: Callable[..., AdvisorApp]) -> None:
    """Enter on nothing: at a required question the chat says what to type; at an optional
    one it skips it and says so; the status line keeps counting."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(bot_texts(app))
        await pilot.press("enter")
        await settle(pilot)
        said = bot_texts(app)[before:]
        assert said and "not sure" in said[0], said
        assert app.conversation.current is not None and app.conversation.current.id == "task"
        assert not list(app.query(UserMessage))  # nothing typed, nothing shown as said
        for line in TYPED[:5]:  # typed fast: the typing itself is the subject of the tests above
            send_without_pause(pilot, [line])
            await settle(pilot)
        optional = app.conversation.current
        assert optional is not None and optional.optional
        await pilot.press("enter")
        await settle(pilot)
        assert app.conversation.given.values[optional.id] is None
        assert any(text.startswith(f"Skipped the {optional.name}") for text in bot_texts(app))
        status = str(app.query_one("#status", Static).render())
        assert status.startswith("Question "), status


async def test_not_sure_at_the_model_size_takes_a_small_model_and_says_so(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for line in [*TYPED[:3], "skip"]:  # where the medical data may go: skipped
            send_without_pause(pilot, [line])
            await settle(pilot)
        assert app.conversation.current is not None and app.conversation.current.id == "model_size"
        await pilot.press(*"not sure")
        await pilot.press("enter")
        await settle(pilot)
        assert app.conversation.given.values["model_size"] == "small"
        assert "model_size" in app.conversation.given.assumed
        assert any(text.startswith("Not sure is fine") for text in bot_texts(app))


async def test_a_rough_budget_is_a_button_and_no_budget_gives_a_card_without_a_verdict(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for line in [*TYPED[:4], "not sure"]:
            send_without_pause(pilot, [line])
            await settle(pilot)
        labels = [b.option.label for b in app.query(ReplyButton)]
        assert "No budget yet" in labels and "About $10,000" in labels, labels
        await pilot.click(next(b for b in app.query(ReplyButton) if b.option.label == "No budget yet"))
        await settle(pilot)
        assert app.conversation.given.values["budget_usd"] is None
        for _ in range(2):  # the team and the hardware: Enter skips them
            await pilot.press("enter")
            await settle(pilot)
        card = app.query_one(RecommendationCard)
        assert "not judged against a budget" in " ".join(str(s.render()) for s in card.query(Static))
