"""Benchmark of the chat in a browser: how soon after the page starts loading is the first
question on it.

    python benchmarks/bench.py browser-start

Starts ``advisor serve`` on a free port, then loads the page in headless Chromium several
times, each time as a new visitor (a fresh browser profile, so nothing is cached; a new chat
process on the server). The page draws the chat on a canvas, so the moment is taken from the
app's ready hook (see ``tests/browser/visitors.py``): the app delivers a small file once its
first question is on screen, and the page notes, in milliseconds since its navigation
started, when word of that delivery arrives over the websocket, right behind the screen
update that shows the question. Also noted: when the page's websocket opened, which splits
the time into the page's own loading and the chat's start on the server (a new process).
The target is 2 s; this is a measurement, not a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))

from visitors import VIEWPORT, ServedChat, Visitor, find_chromium

TARGET_MS = 2000


def bench_browser_start(repeats: int = 7) -> None:
    chromium = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("browser start: skipped (needs Playwright and Chromium: see tests/browser/conftest.py)")
        return
    ready: list[float] = []
    connected: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        server = ServedChat(Path(folder))
        server.start()
        try:
            with sync_playwright() as playwright:
                for run in range(repeats):
                    visitor = Visitor(playwright, chromium, server.url, Path(folder) / f"profile-{run}")
                    try:
                        ready.append(visitor.open())
                        assert visitor.connected is not None
                        connected.append(visitor.connected)
                    finally:
                        visitor.close()
        finally:
            server.stop()
    best, median = min(ready), statistics.median(ready)
    verdict = "within" if median <= TARGET_MS else "OVER"
    print(
        f"browser start: first question on the page {best:.0f} ms after navigation start "
        f"(best of {repeats}; median {median:.0f} ms, worst {max(ready):.0f} ms; {verdict} the "
        f"{TARGET_MS} ms target); the page connects at median {statistics.median(connected):.0f} ms "
        f"and the chat is up {statistics.median(r - c for r, c in zip(ready, connected, strict=True)):.0f} "
        "ms later; "
        f"headless Chromium at {VIEWPORT['width']}x{VIEWPORT['height']} px, "
        "a fresh profile and a new chat process each time"
    )
