"""The chat in a real browser: headless Chromium at ``advisor serve``, typing into the page.

The page is a canvas, so these tests look at what a visitor takes away (downloads, the
clipboard) and at the app's ready hook, never at page text; see ``visitors.py``. Each
download is compared with what the conversation gives for the same lines, in this process.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from helpers import MEDICAL, MEDICAL_TASK
from visitors import ServedChat, Visitor

from advisor.chat.conversation import Conversation
from advisor.chat.export import ANSWERS_NAME, REPORT_NAME, data_url
from advisor.chat.replies import Exported
from advisor.kb import KnowledgeBase
from advisor.tui.app import AdvisorApp

SUPPORT = (
    "sort support emails by urgency",
    "no, only raw tickets",
    "50k tickets",
    "7B",
    "$250k",
    "we'll hire",
    "skip",
    "skip",
)
"""A second visitor, whose every answer differs from MEDICAL's."""


def expected(kb: KnowledgeBase, lines: Sequence[str]) -> Exported:
    """What the conversation exports after these lines, without a screen."""
    conversation = Conversation(kb)
    conversation.start(resume=False)
    for line in lines:
        conversation.handle(line)
    assert conversation.done, "the lines no longer lead to a recommendation: the test is out of date"
    return next(reply for reply in conversation.act("export") if isinstance(reply, Exported))


def test_a_visitor_answers_in_their_own_words_and_downloads_the_report(
    visit: Callable[[], Visitor], served: ServedChat, kb: KnowledgeBase
) -> None:
    visitor = visit()
    visitor.open()
    # The ready hook's file: a visitor is offered the explanations first; typing the task
    # answers the first question all the same.
    assert "New to fine-tuning? I can explain as we go" in visitor.delivered(0)
    visitor.type_lines(MEDICAL)

    report = visitor.download("F3")
    want = expected(kb, MEDICAL)
    assert report.name == REPORT_NAME
    assert report.text.startswith("# Recommendation: Transfer learning\n")
    assert "your budget of $10,000" in report.text
    assert report.text == want.markdown(data_url(want.chart_svg))

    # One download per key press: browsers block a second window opened by the same one,
    # so the answers file has its own command.
    visitor.settle()
    assert [d.suggested_filename for d in visitor.downloads] == [REPORT_NAME]
    answers = visitor.palette("download the answers file")
    assert answers.name == ANSWERS_NAME
    assert yaml.safe_load(answers.text) == {
        **MEDICAL_TASK,
        "data_location": "anywhere",  # skipped in passing by "ResNet-50": the default, written out
        "labels": "labeled",
        "labeled_examples": 1000,
        "model_size": 25_600_000,  # ResNet-50
        "budget_usd": 10000,
    }
    assert answers.text == want.answers_yaml
    # Nothing was written on the server: no export files, no saved session.
    assert not list(served.folder.rglob("advisor-*"))


@pytest.mark.slow  # two browsers at once: in the full run (pytest -m slow)
def test_two_visitors_at_once_each_get_their_own_session_and_download(
    visit: Callable[[], Visitor], served: ServedChat, kb: KnowledgeBase
) -> None:
    first, second = visit(), visit()
    first.open()
    first.type_lines(MEDICAL[:3])
    first.settle()
    # The second arrives while the first is half-way: nothing of the first's is offered to them.
    second.open()
    for index in range(max(len(MEDICAL), len(SUPPORT))):
        second.type_lines(SUPPORT[index : index + 1])
        first.type_lines(MEDICAL[3 + index : 4 + index])
    first_report, second_report = first.download("F3"), second.download("F3")
    first_answers = first.palette("download the answers file")
    second_answers = second.palette("download the answers file")

    medical, support = expected(kb, MEDICAL), expected(kb, SUPPORT)
    assert (first_report.text, first_answers.text) == (
        medical.markdown(data_url(medical.chart_svg)),
        medical.answers_yaml,
    )
    assert (second_report.text, second_answers.text) == (
        support.markdown(data_url(support.chart_svg)),
        support.answers_yaml,
    )
    assert first_report.text.startswith("# Recommendation: Transfer learning\n")
    assert second_report.text.startswith(
        "# Recommendation: Unsupervised fine-tuning, then transfer learning\n"
    )
    assert "budget of $10,000" in first_report.text and "budget of $10,000" not in second_report.text
    assert "budget of $250,000" in second_report.text and "budget of $250,000" not in first_report.text
    assert yaml.safe_load(first_answers.text)["data"] == "images"
    assert yaml.safe_load(second_answers.text)["data"] == "text"
    # Neither chat saved anything another visitor's chat could offer to resume.
    assert not served.state_dir.exists() or not list(served.state_dir.iterdir())


@pytest.mark.slow  # a second browser session: in the full run (pytest -m slow)
def test_a_visitor_copies_the_report_to_the_clipboard(
    visit: Callable[[], Visitor], kb: KnowledgeBase
) -> None:
    visitor = visit()
    visitor.open()
    visitor.type_lines(MEDICAL)
    visitor.settle()
    want = expected(kb, MEDICAL).markdown(None)
    visitor.page.keyboard.press("F4")
    # Polled until it holds exactly the report: under load, one read right after the report
    # was first seen on the clipboard once came back empty (cause not found).
    visitor.page.wait_for_function(
        "(want) => navigator.clipboard.readText().then((text) => text === want)", arg=want, timeout=20_000
    )


def test_the_server_prints_the_address_to_open(served: ServedChat) -> None:
    assert f"the chat is at {served.url}: open it in a browser" in served.printed()


async def _first_citation(kb: KnowledgeBase, size: tuple[int, int], lines: Sequence[str]) -> tuple[int, int]:
    """The cell of the first citation link on a screen of ``size`` after ``lines``: the same app,
    laid out the same way, run headless here (a canvas cannot be read). Runs with ``is_web``
    patched to true, so that its buttons are the browser's."""
    from textual.widgets import Input

    from advisor.tui.app import create_app

    app = create_app(kb, resume=False)
    async with app.run_test(size=size) as pilot:
        for line in lines:
            app.query_one("#input", Input).value = line
            await pilot.press("enter")
            await pilot.pause()
        await pilot.pause()
        for y in range(size[1]):
            for x in range(size[0]):
                if "app.cite" in str(app.screen.get_style_at(x, y).meta.get("@click", "")):
                    return x, y
    raise AssertionError("no citation link on the screen")


@pytest.mark.slow  # a second browser session: in the full run (pytest -m slow)
def test_a_citation_opens_its_quote_in_the_page(
    visit: Callable[[], Visitor], kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    visitor = visit()
    visitor.open()
    found = re.search(r"screen: (\d+)x(\d+)", visitor.delivered(0))
    assert found, "the ready file no longer gives the screen's size"
    size = int(found[1]), int(found[2])
    monkeypatch.setattr(AdvisorApp, "is_web", property(lambda self: True))
    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this one
        column, row = thread.submit(asyncio.run, _first_citation(kb, size, MEDICAL)).result()

    visitor.type_lines(MEDICAL)
    visitor.settle()
    screen = visitor.page.locator(".xterm-screen").bounding_box()
    assert screen is not None
    width, height = screen["width"] / size[0], screen["height"] / size[1]
    title = {"x": screen["x"], "y": screen["y"], "width": screen["width"], "height": height}
    before = visitor.shot(title)
    visitor.page.mouse.click(screen["x"] + (column + 0.5) * width, screen["y"] + (row + 0.5) * height)
    # The pop-up dims everything behind it: the title bar, far from the link, changes...
    visitor.wait_for_shot(title, before, same=False)
    visitor.page.keyboard.press("Escape")
    # ...and is as it was once the pop-up is closed.
    visitor.wait_for_shot(title, before, same=True)
    assert len(visitor.context.pages) == 1, "a citation opened a window"
