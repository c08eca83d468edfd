"""Benchmark of ``advisor serve`` under load: how soon each visitor's first question is on
screen, and how much memory each visitor's chat takes, with 1, 10 and as many visitors as the
server's cap allows at once (one more beyond the cap is turned away).

    python benchmarks/bench.py serve-load

Starts ``advisor serve`` on a free port of 127.0.0.1 with the ready hook on (see
``tests/browser/visitors.py``), and opens the visitors' websockets at once from this process,
as a browser's page does (its own ``Origin``, an 80x24 terminal), without a browser: the time
is from opening the websocket to the app's word that its first question is on screen. Memory
is the resident set (RSS) of each visitor's processes (``/proc``, so Linux only), taken once
every visitor has their first question. A measurement, not a test; bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))

import aiohttp
from visitors import ServedChat

TIMEOUT = 120.0
"""Seconds any one visitor may wait for a first question before the run gives up."""


async def _first_question(
    session: aiohttp.ClientSession, url: str
) -> tuple[float, aiohttp.ClientWebSocketResponse]:
    """Seconds from opening a visitor's websocket to their first question, and the websocket."""
    started = time.perf_counter()
    websocket = await session.ws_connect(
        f"{url.replace('http', 'ws')}/ws?width=80&height=24", headers={"Origin": url}
    )
    async for message in websocket:
        if message.type == aiohttp.WSMsgType.TEXT and json.loads(message.data)[0] == "deliver_file_start":
            return time.perf_counter() - started, websocket
    raise RuntimeError("the chat ended before its first question")


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB."""
    total = 0
    for one in [pid, *_children(pid)]:
        status = Path(f"/proc/{one}/status").read_text()
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(found[1]) if found else 0
    return total / 1024


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


async def _visit(server: ServedChat, count: int) -> tuple[list[float], list[float], float | None]:
    """``count`` visitors at once: their first questions' times (s), their chats' memory (MB),
    and, when one more than the server takes, how soon that one was turned away (s)."""
    async with aiohttp.ClientSession() as session:
        tried = [asyncio.wait_for(_first_question(session, server.url), TIMEOUT) for _ in range(count)]
        results = await asyncio.gather(*tried, return_exceptions=True)
        opened = [result for result in results if not isinstance(result, BaseException)]
        turned_away = None
        if len(opened) < count:
            started = time.perf_counter()
            async with session.get(server.url) as page:
                turned_away = time.perf_counter() - started if page.status == 503 else None
        assert server.process is not None
        memory = [_rss_mb(chat) for chat in _children(server.process.pid)]
        for _, websocket in opened:
            await websocket.close()
    return [seconds for seconds, _ in opened], memory, turned_away


def _summary(label: str, times: list[float], memory: list[float]) -> str:
    return (
        f"{label}: first question median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms; memory per visitor median {statistics.median(memory):.0f} MB "
        f"RSS (max {max(memory):.0f}), {sum(memory):.0f} MB in all"
    )


def _wait_until_empty(server: ServedChat, timeout: float = 30) -> None:
    assert server.process is not None
    deadline = time.monotonic() + timeout
    while _children(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)


def bench_serve_load() -> None:
    if not Path("/proc/self/status").exists():
        print("serve load: skipped (reads memory from /proc: Linux only)")
        return
    with tempfile.TemporaryDirectory() as folder:
        server = ServedChat(Path(folder) / "ten", "--max-visitors", "10")
        server.folder.mkdir()
        server.start()
        try:
            for count in (1, 10):
                times, memory, _ = asyncio.run(_visit(server, count))
                print(
                    _summary(f"serve load, {count} visitor{'s' if count > 1 else ''} at once", times, memory)
                )
                _wait_until_empty(server)
        finally:
            server.stop()
        capped = ServedChat(Path(folder) / "cap")
        capped.folder.mkdir()
        capped.start()
        try:
            found = re.search(r"At most (\d+) visitors", capped.printed())
            cap = int(found[1]) if found else 8
            times, memory, turned_away = asyncio.run(_visit(capped, cap + 1))
            print(_summary(f"serve load, at the cap ({cap} at once, the default here)", times, memory))
            if turned_away is not None:
                print(f"serve load: visitor {cap + 1} got the busy page in {turned_away * 1000:.0f} ms")
            left = time.monotonic()
            _wait_until_empty(capped)
            print(
                f"serve load: all {cap} chats gone {time.monotonic() - left:.1f} s after their visitors left"
            )
        finally:
            capped.stop()
