"""Benchmarks of the chat: how soon the first question is on screen, and how long a
typed answer takes to get its reply.

    python benchmarks/bench.py chat-start   # process start -> first question painted, against a minimal app
    python benchmarks/bench.py chat-reply   # a typed line -> its reply on screen
    python benchmarks/bench.py one-line     # turns from one full sentence to the recommendation

The start is measured from outside, as a person sees it: the parent starts
`python -m advisor --new` in a pseudo-terminal of 80x24 (with private state and
cache folders, so no resume offer, and the knowledge cache written once before),
reads what it draws, and notes the time at which the first question's words are
on the screen. A minimal Textual app (the same question, an input and a footer)
is measured the same way, in turns with the chat, as the yardstick. Run with
bytecode caches on (unset PYTHONDONTWRITEBYTECODE) to measure what an installed
advisor does.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterable
from pathlib import Path

QUESTION = "What do you want the model to do?"
"""The first question's words, in the knowledge base and in the minimal app alike."""

_MINIMAL = f"""
from textual.app import App
from textual.widgets import Footer, Input, Static

class Minimal(App):
    def compose(self):
        yield Static({QUESTION!r}, id="question")
        yield Input(placeholder="Type an answer")
        yield Footer()

Minimal().run()
"""
"""The yardstick: a minimal Textual app with a question, an input and a footer."""

_ESCAPES = re.compile(rb"\x1b\[[0-9;?$>]*[a-zA-Z]|\x1b\][^\x07]*\x07")


def _on_screen(command: list[str], env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting ``command`` in an 80x24 pseudo-terminal to :data:`QUESTION` in
    what it draws (escape sequences left out); the process is then stopped."""
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=terminal, stdout=terminal, stderr=terminal, env=env, start_new_session=True
    )
    os.close(terminal)
    drawn = b""
    try:
        while time.perf_counter() - started < timeout:
            if select.select([main], [], [], 0.05)[0]:
                drawn += os.read(main, 65536)
                if QUESTION.encode() in _ESCAPES.sub(b"", drawn):
                    return time.perf_counter() - started
        raise SystemExit(f"{' '.join(command)}: no {QUESTION!r} on screen after {timeout:.0f} s")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(main)


def bench_chat_start(repeats: int = 9) -> None:
    """The chat's first question on screen (`advisor`, as a person starts it) against a minimal
    Textual app's, from process start, run in turns so that a busy moment slows both; best and
    median of each."""
    chat: list[float] = []
    minimal: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
        env.update(
            {
                "ADVISOR_STATE_DIR": folder,
                "XDG_CACHE_HOME": str(Path(folder) / "cache"),
                "TERM": "xterm-256color",
            }
        )
        advisor = [sys.executable, "-m", "advisor", "--new"]
        yardstick = [sys.executable, "-c", _MINIMAL]
        _on_screen(advisor, env)  # the knowledge cache, written once
        _on_screen(yardstick, env)
        for _ in range(repeats):
            minimal.append(_on_screen(yardstick, env))
            chat.append(_on_screen(advisor, env))
    caches = "off" if sys.dont_write_bytecode else "on"
    chat_median, minimal_median = statistics.median(chat), statistics.median(minimal)
    print(
        f"chat start: first question on screen after {min(chat) * 1000:.0f} ms, a minimal Textual app "
        f"(question, input, footer) after {min(minimal) * 1000:.0f} ms: {min(chat) / min(minimal):.2f}x "
        f"(best of {repeats}, in turns; medians {chat_median * 1000:.0f} ms and "
        f"{minimal_median * 1000:.0f} ms, {chat_median / minimal_median:.2f}x); "
        f"`python -m advisor --new` in an 80x24 pseudo-terminal, bytecode caches {caches}"
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
