"""The newcomer's chat in the terminal: the offer at the start, the why of each question with
the person's answers, the picture at the recommendation, and the settings that turn it off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Switch

from advisor.chat.modes import Asking, OfferingHelp
from advisor.chat.store import SessionStore
from advisor.kb import KnowledgeBase
from advisor.settings import Settings
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.screens import SettingsScreen
from advisor.tui.widgets import BotMessage, ReplyButton

SIZE = (80, 24)
TICKETS = ["classify support tickets", "yes", "5000", "BERT", "$20k", "skip", "skip"]


def newcomer_app(kb: KnowledgeBase, tmp_path: Path) -> AdvisorApp:
    app = create_app(
        kb,
        store=SessionStore(tmp_path / "state"),
        export_dir=tmp_path,
        resume=False,
        settings=Settings(tmp_path / "config" / "settings.json"),
    )
    app.animation_level = "none"
    return app


async def type_line(pilot: Pilot[None], text: str) -> None:
    pilot.app.query_one("#input", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def bot_text(app: AdvisorApp) -> str:
    return " ".join(" ".join(str(m.render()).split()) for m in app.query(BotMessage))


async def test_a_newcomer_is_explained_each_question_and_the_costs(kb: KnowledgeBase, tmp_path: Path) -> None:
    app = newcomer_app(kb, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.conversation.mode, OfferingHelp)
        labels = [str(b.label) for b in app.query(ReplyButton)]
        assert labels == ["Yes, explain as we go", "No, I know this"]
        await pilot.click(ReplyButton)  # the first: yes
        await pilot.pause()
        assert isinstance(app.conversation.mode, Asking) and app.conversation.newcomer.explaining
        for line in TICKETS:
            await type_line(pilot, line)
        text = bot_text(app)
        assert "You will train on 5,000 labeled examples of text" in text
        assert "against your budget of $20,000" in text
        assert "Three approaches" in text and "personnel is most" in text
        # The settings turn it off, and the next chat is the terse one.
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.click(Switch)
        await pilot.pause()
        assert not app.conversation.newcomer.explaining
    assert Settings(tmp_path / "config" / "settings.json").flag("explain") is False
    again = newcomer_app(kb, tmp_path)
    async with again.run_test(size=SIZE):
        assert isinstance(again.conversation.mode, Asking)


def test_a_newcomer_question_snapshot(snap_compare: Any, kb: KnowledgeBase, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.query_one("#input", Input).cursor_blink = False
        for line in ("yes, explain as we go", "classify support tickets", "yes"):
            await type_line(pilot, line)
        for _ in range(3):  # the transcript scrolls to its end after a refresh: let each land
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

    assert snap_compare(newcomer_app(kb, tmp_path), terminal_size=SIZE, run_before=run_before)
