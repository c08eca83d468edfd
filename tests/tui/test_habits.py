"""Habits people expect of a chat: copy the report, a theme that stays chosen."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from helpers import MEDICAL
from test_app import SIZE, bot_texts, type_line

from advisor.chat.replies import Exported
from advisor.kb import KnowledgeBase
from advisor.settings import Settings
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.widgets import ReplyButton


def exported(app: AdvisorApp) -> Exported:
    return next(reply for reply in app.conversation.act("export") if isinstance(reply, Exported))


# --- copy -------------------------------------------------------------------------------------


async def test_f4_copies_the_report_and_says_so(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        await pilot.press("f4")
        await pilot.pause()
        assert app.clipboard == exported(app).markdown(None)
        assert app.clipboard.startswith("# Recommendation: Transfer learning")
        assert bot_texts(app)[-1] == "Copied the report (Markdown) to the clipboard."


async def test_nothing_is_copied_before_the_recommendation(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert app.clipboard == ""
        assert "nothing to export yet" in bot_texts(app)[-1]


async def test_the_copy_button_and_the_palette_copy_too(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        copy = next(b for b in app.query(ReplyButton) if b.option.action == "copy_report")
        await pilot.click(copy)
        await pilot.pause()
        assert app.clipboard == exported(app).markdown(None)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Copy the report" in commands
        app.copy_to_clipboard("")
        commands["Copy the report"].callback()
        await pilot.pause()
        assert app.clipboard == exported(app).markdown(None)


# --- the theme --------------------------------------------------------------------------------


async def test_the_chosen_theme_is_remembered_between_runs(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    first = create_app(kb, resume=False, settings=Settings(path))
    async with first.run_test(size=SIZE) as pilot:
        assert first.theme == "textual-dark"
        assert not path.exists(), "starting the chat writes nothing"
        first.theme = "nord"
        await pilot.pause()
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}
    second = create_app(kb, resume=False, settings=Settings(path))
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.theme == "nord"


async def test_a_theme_that_no_longer_exists_is_ignored(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "[@click=app.quit]gone"}', encoding="utf-8")
    app = create_app(kb, resume=False, settings=Settings(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert app.is_running


async def test_a_damaged_settings_file_is_not_fatal(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\x00\xff{{{")
    app = create_app(kb, resume=False, settings=Settings(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        app.theme = "textual-light"
        await pilot.pause()
    assert Settings(path).text("theme") == "textual-light"


async def test_without_settings_nothing_is_remembered(
    make_app: Callable[..., AdvisorApp], _private_config: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert Settings(_private_config / "settings.json").read() == {"explain": False}  # as the tests set it
