"""Benchmarks of the chat: how soon the first question is on screen, and how long a
typed answer takes to get its reply.

    python benchmarks/bench.py chat-start   # process start -> first question painted, against a minimal app
    python benchmarks/bench.py chat-reply   # a typed line -> its reply on screen
    python benchmarks/bench.py one-line     # turns from one full sentence to the recommendation

The start is measured from outside: the parent notes the time, starts a fresh
Python process that opens the chat headless at 80x24 (with a private state
folder, so no resume offer), and the child prints the wall-clock time at which
the first question has been mounted and painted. A minimal Textual app (a
question, an input and a footer) is measured the same way, in turns with the
chat, as the yardstick. Run with bytecode caches on (unset
PYTHONDONTWRITEBYTECODE) to measure what an installed advisor does.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

_CHILD = """
import sys, time
from pathlib import Path
from advisor.kb import load_knowledge
from advisor.chat.store import SessionStore
from advisor.tui.app import create_app

app = create_app(load_knowledge(), store=SessionStore(Path(sys.argv[1]) / "session.json"), resume=False)

async def first_question(pilot):
    while not app.query("BotMessage.question"):
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    print(time.time(), flush=True)
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=first_question)
"""


_MINIMAL = """
import sys, time
from textual.app import App
from textual.widgets import Footer, Input, Static

class Minimal(App):
    def compose(self):
        yield Static("What do you want the model to do?", id="question")
        yield Input(placeholder="Type an answer")
        yield Footer()

app = Minimal()

async def first_question(pilot):
    while not app.query("#question"):
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    print(time.time(), flush=True)
    app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=first_question)
"""
"""The yardstick: a minimal Textual app with a question, an input and a footer, painted headless."""


def _first_paint(script: str, folder: str) -> float:
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", script, folder], capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip().splitlines()[-1]) - started


def bench_chat_start(repeats: int = 9) -> None:
    """The chat's first question on screen against a minimal Textual app's, from process start,
    run in turns so that a busy moment slows both; best and median of each."""
    chat: list[float] = []
    minimal: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        _first_paint(_CHILD, folder)  # the knowledge cache, written once
        for _ in range(repeats):
            minimal.append(_first_paint(_MINIMAL, folder))
            chat.append(_first_paint(_CHILD, folder))
    caches = "off" if sys.dont_write_bytecode else "on"
    chat_median, minimal_median = statistics.median(chat), statistics.median(minimal)
    print(
        f"chat start: first question on screen after {min(chat) * 1000:.0f} ms, a minimal Textual app "
        f"(question, input, footer) after {min(minimal) * 1000:.0f} ms: {min(chat) / min(minimal):.2f}x "
        f"(best of {repeats}, in turns; medians {chat_median * 1000:.0f} ms and "
        f"{minimal_median * 1000:.0f} ms, {chat_median / minimal_median:.2f}x); "
        f"headless, 80x24, bytecode caches {caches}"
    )


async def _replies(lines: list[str], rounds: int) -> list[tuple[str, float]]:
    """(line, seconds) from the Enter key to the end of the first screen refresh after
    the line's replies are mounted: the work, the layout and the paint."""
    from textual.widgets import Input

    from advisor.chat.replies import Reply
    from advisor.chat.store import SessionStore
    from advisor.kb import load_knowledge
    from advisor.tui.app import AdvisorApp

    class TimedApp(AdvisorApp):
        """Notes when the screen has been refreshed after each reply."""

        painted: list[float]

        def show(self, replies: Iterable[Reply]) -> None:
            super().show(replies)
            self.call_after_refresh(lambda: self.painted.append(time.perf_counter()))

    kb = load_knowledge()
    times: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(rounds):
            app = TimedApp(kb, store=SessionStore(Path(folder) / "session.json"), resume=False)
            app.painted = []
            async with app.run_test(size=(80, 24)) as pilot:
                for line in lines:
                    app.query_one("#input", Input).value = line
                    start = time.perf_counter()
                    await pilot.press("enter")
                    await pilot.pause()
                    times.append((line, app.painted[-1] - start))
    return times


def bench_chat_reply(rounds: int = 5) -> None:
    lines = ["classify medical scans", "labelled", "1,000 images", "ResNet-50", "$10k", "skip", "why?"]
    measured = asyncio.run(_replies(lines, rounds))
    times = sorted(seconds for _, seconds in measured)
    slowest: dict[str, float] = {}
    for line, seconds in measured:
        slowest[line] = max(slowest.get(line, 0.0), seconds)
    worst = max(slowest, key=lambda line: slowest[line])
    print(
        f"chat reply: a line to its reply on screen (work, layout, paint): median "
        f"{statistics.median(times) * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms ({worst!r}); "
        f"{len(times)} replies over {rounds} conversations, Pilot, headless, 80x24"
    )
    for line in lines:
        print(f"  {line!r:28} slowest {slowest[line] * 1000:6.1f} ms")


ONE_LINERS = (
    "I have 5k labelled support tickets, want to fine-tune BERT, budget 3000 dollars",
    "x-ray triage for a hospital, 1,200 labelled scans, resnet-50, budget $15k, on gpus",
    "chatbot trained on our support logs, nothing is labeled, we want a 7B model, budget $20k",
    "WE HAVE 10K LABELED IMAGES, RESNET AND A $20K BUDGET",
    "sentiment of tweets, no labels, a small model, budget 500 bucks",
)


def bench_one_line() -> None:
    """How many turns a newcomer who says everything in one sentence needs to reach the
    recommendation (the hardware question is optional: "skip" is the second turn)."""
    from advisor.chat.conversation import Conversation
    from advisor.kb import load_knowledge

    kb = load_knowledge()
    turns = []
    for sentence in ONE_LINERS:
        chat = Conversation(kb)
        chat.start(resume=False)
        count = 0
        for line in (sentence, "skip", "skip", "skip"):
            if chat.done:
                break
            chat.handle(line)
            count += 1
        turns.append(count if chat.done else 99)
    most = max(turns)
    print(
        f"one line: {len(ONE_LINERS)} newcomers who say everything in one sentence reach the "
        f"recommendation in {most} turn{'s' if most != 1 else ''} at most ({', '.join(map(str, turns))})"
    )
