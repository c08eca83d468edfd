"""An error of ours in the chat: said in plain words, its details in the crash log, and the
answers said to be saved only when they are. In a browser (``advisor serve``) nothing is
written on the server, and no path of the server is shown to the visitor."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from advisor.chat.replies import Reply
from advisor.chat.store import SessionStore
from advisor.kb import KnowledgeBase
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.widgets import BotMessage

SIZE = (80, 24)


def failing() -> Iterable[Reply]:
    raise RuntimeError("a bug of ours")


def bot_texts(app: AdvisorApp) -> list[str]:
    return [str(message.render()) for message in app.query(BotMessage)]


async def test_in_a_browser_no_crash_log_is_written_and_no_path_or_saving_is_claimed(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(AdvisorApp, "is_web", property(lambda self: True))
    app = create_app(kb, resume=False)  # as run() makes it in a browser: no saved answers
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        app.reply(lambda: app.conversation.handle("text"))
        app.reply(failing)
        await pilot.pause()
        said = bot_texts(app)[-1]
    assert "something went wrong on my side" in said
    assert "saved" not in said and str(tmp_path) not in said and "crash.log" not in said
    assert not (tmp_path / "state").exists()
    assert app.failures == [None]


async def test_in_a_terminal_the_details_go_to_the_crash_log_and_saving_is_said_when_true(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    app = create_app(kb, store=SessionStore(tmp_path / "state"), export_dir=tmp_path, resume=False)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        app.reply(failing)  # nothing answered yet: nothing saved
        await pilot.pause()
        before = bot_texts(app)[-1]
        app.reply(lambda: app.conversation.handle("text"))
        app.reply(failing)
        await pilot.pause()
        after = bot_texts(app)[-1]
    log = tmp_path / "state" / "crash.log"
    assert "saved" not in before and f"The details are in {log}." in before
    assert "Your answers are saved" in after
    assert log.read_text(encoding="utf-8").count("RuntimeError: a bug of ours") == 2
