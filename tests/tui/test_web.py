"""The chat under Textual's web driver (``advisor serve``), without a browser: how it knows it
is in one, what it keeps (nothing), and how the export reaches the visitor (downloads).

The browser itself is in ``tests/browser``; here ``App.is_web`` is patched true and
``deliver_text`` records what would go to the browser."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import MEDICAL
from test_app import SIZE, bot_texts, type_line

from advisor.chat.export import ANSWERS_NAME, REPORT_NAME, data_url
from advisor.chat.replies import Exported
from advisor.chat.store import SessionStore
from advisor.kb import KnowledgeBase
from advisor.settings import Settings, VisitSettings
from advisor.tui import app as app_module
from advisor.tui.app import READY_NAME, AdvisorApp, create_app
from advisor.tui.driver import browser_driver
from advisor.tui.widgets import ReplyButton

WEB = "textual.drivers.web_driver:WebDriver"


@pytest.fixture
def delivered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, str]]]:
    """Apps run as if in a browser; each delivery is recorded as (file name, MIME type, text)."""
    calls: list[tuple[str, str, str]] = []

    def deliver_text(self: AdvisorApp, file: io.StringIO, **options: Any) -> str:
        calls.append((options["save_filename"], options["mime_type"], file.getvalue()))
        return f"key-{len(calls)}"

    monkeypatch.setattr(AdvisorApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(AdvisorApp, "deliver_text", deliver_text)
    yield calls


def exported(app: AdvisorApp) -> Exported:
    return next(reply for reply in app.conversation.act("export") if isinstance(reply, Exported))


# --- knowing it is in a browser ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("named", "web"),
    [
        (None, False),
        ("", False),
        (WEB, True),
        ("textual.drivers.headless_driver:HeadlessDriver", False),
        ("textual.drivers.web_driver:NoSuchDriver", False),
        ("no.such.module:WebDriver", False),
        ("os:path", False),
        ("nonsense", False),
    ],
)
def test_only_textuals_web_driver_counts_as_a_browser(
    monkeypatch: pytest.MonkeyPatch, named: str | None, web: bool
) -> None:
    if named is None:
        monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    else:
        monkeypatch.setenv("TEXTUAL_DRIVER", named)
    assert browser_driver() is web


class _Opened:
    return_code = None
    failures: tuple[()] = ()

    def __init__(self, **options: Any) -> None:
        self.options = options

    def run(self) -> None:
        pass


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``run`` builds the app with, without running it."""
    calls: list[dict[str, Any]] = []

    def create_app(kb: KnowledgeBase, **options: Any) -> _Opened:
        calls.append(options)
        return _Opened(**options)

    monkeypatch.setattr(app_module, "create_app", create_app)
    return calls


def test_in_a_browser_the_chat_keeps_nothing_a_visitor_could_share(
    kb: KnowledgeBase, opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB)
    monkeypatch.setenv("ADVISOR_CONFIG_DIR", str(tmp_path))
    assert app_module.run(kb) == 0
    (options,) = opened
    assert options["resume"] is False and "store" not in options  # no saved answers, no resume
    settings = options["settings"]  # settings for this visit only: nothing is written
    assert isinstance(settings, VisitSettings)
    assert settings.change("explain", True) and settings.flag("explain") is True
    assert settings.change("theme", "nord") and settings.text("theme") == "nord"
    assert not any(tmp_path.iterdir())  # nothing written where settings are kept
    assert VisitSettings().flag("explain") is None  # the next visitor is offered it afresh


def test_in_a_terminal_the_chat_saves_answers_and_settings(
    kb: KnowledgeBase, opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    app_module.run(kb, new=True)
    (options,) = opened
    assert isinstance(options["store"], SessionStore)
    assert isinstance(options["settings"], Settings)
    assert options["resume"] is False


# --- the export as downloads ---------------------------------------------------------------------


async def test_export_in_a_browser_is_a_download_not_a_file_on_the_server(
    make_app: Callable[..., AdvisorApp], delivered: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        await pilot.press("f3")
        await pilot.pause()
        # One download per key press: a browser blocks a second window opened by the same one.
        assert delivered == [
            (REPORT_NAME, "text/markdown", exported(app).markdown(data_url(exported(app).chart_svg)))
        ]
        assert f"Your browser is downloading the report ({REPORT_NAME})" in bot_texts(app)[-1]
        answers = next(b for b in app.query(ReplyButton) if b.option.action == "download_answers")
        await pilot.click(answers)
        await pilot.pause()
        assert delivered[1] == (ANSWERS_NAME, "application/yaml", exported(app).answers_yaml)
        assert f"`advisor recommend {ANSWERS_NAME}`" in bot_texts(app)[-1]
    assert not list(tmp_path.glob("advisor-*"))


async def test_typed_export_and_the_palette_download_too(
    make_app: Callable[..., AdvisorApp], delivered: list[tuple[str, str, str]]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        await type_line(pilot, "export")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Download the answers file"].callback()
        await pilot.pause()
        assert [name for name, _, _ in delivered] == [REPORT_NAME, ANSWERS_NAME]


async def test_nothing_to_download_before_the_recommendation(
    make_app: Callable[..., AdvisorApp], delivered: list[tuple[str, str, str]]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        app.action_download_answers()
        await pilot.pause()
        assert delivered == []
        assert "nothing to export yet" in bot_texts(app)[-1]


async def test_in_a_terminal_there_is_no_answers_file_button(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        assert "download_answers" not in [b.option.action for b in app.query(ReplyButton)]
        assert "Download the answers file" not in [c.title for c in app.get_system_commands(app.screen)]


# --- the ready hook of the browser tests ---------------------------------------------------------


async def test_the_ready_hook_delivers_the_first_question_once_on_screen(
    make_app: Callable[..., AdvisorApp],
    delivered: list[tuple[str, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADVISOR_DELIVER_READY", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ((name, mime, text),) = delivered
        assert (name, mime) == (READY_NAME, "text/plain")
        assert text == (
            f"first question on screen: {app.kb.question['task'].prompt}\nscreen: {SIZE[0]}x{SIZE[1]}\n"
        )


async def test_a_visitor_is_offered_the_explanations_and_the_ready_hook_says_so(
    kb: KnowledgeBase,
    tmp_path: Path,
    delivered: list[tuple[str, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADVISOR_DELIVER_READY", "1")
    app = create_app(kb, export_dir=tmp_path, resume=False, settings=VisitSettings())
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ((_, _, text),) = delivered
        assert text.startswith("first question on screen: New to fine-tuning? I can explain as we go")
        await type_line(pilot, MEDICAL[0])  # the task typed at the offer answers the first question
        assert app.conversation.given.values.get("output") == "category"
        assert not app.conversation.newcomer.explaining


async def test_without_the_hook_nothing_is_delivered_at_start(
    make_app: Callable[..., AdvisorApp],
    delivered: list[tuple[str, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ADVISOR_DELIVER_READY", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert delivered == []
