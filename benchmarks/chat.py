"""Benchmarks of the chat: how soon the first question is on screen, and how long a
typed answer takes to get its reply.

    python benchmarks/bench.py chat-start   # process start -> first question painted, headless
    python benchmarks/bench.py chat-reply   # a typed line -> its reply on screen

The start is measured from outside: the parent notes the time, starts a fresh
Python process that opens the chat headless at 80x24 (with a private state
folder, so no resume offer), and the child prints the wall-clock time at which
the first question has been mounted and painted. Best of several runs.
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


def bench_chat_start(repeats: int = 7) -> None:
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            started = time.time()
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, folder], capture_output=True, text=True, check=True
            ).stdout
            times.append(float(out.strip().splitlines()[-1]) - started)
    print(
        f"chat start: first question on screen after {min(times) * 1000:.0f} ms "
        f"(best of {repeats}; median {statistics.median(times) * 1000:.0f} ms), headless, 80x24"
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
