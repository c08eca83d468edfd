"""``advisor serve`` left running on a laptop: what it refuses, and the bounds it keeps.

Each test serves on 127.0.0.1 for real (:meth:`ChatServer.listening`), with
``fake_chat.py`` as every visitor's chat where the chat itself does not matter. Waits are
bounded polls for something to happen, never a measure of speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from advisor.tui.gate import Gate
from advisor.tui.listener import connection_limit, default_max_visitors
from advisor.tui.serve import ChatServer, chat_command, read_origins
from advisor.tui.visitor import MAX_COLUMNS, MAX_ROWS, InputBudget, clamp_size

FAKE = Path(__file__).with_name("fake_chat.py")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and a POSIX shell")


def fake(*flags: str) -> str:
    return " ".join([sys.executable, str(FAKE), *flags])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


async def until(done: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``done`` until it holds; fail saying ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(0.05)


class Served:
    """A server listening on 127.0.0.1 for one test, and a session to visit it."""

    def __init__(self, server: ChatServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session
        self.url = f"http://127.0.0.1:{server.port}"

    async def visit(self, query: str = "", origin: str | None = "own") -> aiohttp.ClientWebSocketResponse:
        headers = {"Origin": self.url if origin == "own" else origin} if origin else {}
        return await self.session.ws_connect(f"{self.url}/ws{query}", headers=headers, autoping=True)


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Served]]]:
    """``await serve(command, **options)``: a :class:`ChatServer` listening until the test ends."""
    async with contextlib.AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())

        async def start(command: str = fake(), **options: object) -> Served:
            server = ChatServer(command, "127.0.0.1", free_port(), **options)  # type: ignore[arg-type]
            await stack.enter_async_context(server.listening())
            return Served(server, session)

        yield start


async def said(websocket: aiohttp.ClientWebSocketResponse, prefix: str, timeout: float = 20) -> str:
    """The next thing the fake chat says that starts with ``prefix``."""
    deadline = time.monotonic() + timeout
    while True:
        message = await websocket.receive(timeout=max(0.1, deadline - time.monotonic()))
        if message.type != aiohttp.WSMsgType.BINARY:
            raise AssertionError(f"the chat ended before saying {prefix!r}: {message.type}")
        text = bytes(message.data).decode()
        if text.startswith(prefix):
            return text


# --- who may come in --------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example.com", "http://127.0.0.1:1", "null", "http://localhost.evil.example.com", None],
)
async def test_a_websocket_from_another_site_starts_no_chat(
    serve: Callable[..., Awaitable[Served]], origin: str | None
) -> None:
    served = await serve()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await served.visit(origin=origin)
    assert refused.value.status == 403
    assert not served.server.visitors


async def test_a_websocket_from_its_own_page_gets_a_chat(serve: Callable[..., Awaitable[Served]]) -> None:
    served = await serve()
    websocket = await served.visit()
    assert await said(websocket, "size ") == "size 80x24"
    await websocket.close()


async def test_a_page_asked_from_another_site_is_refused(serve: Callable[..., Awaitable[Served]]) -> None:
    served = await serve()
    for path in ("/", "/static/js/textual.js", "/download/x"):
        async with served.session.get(
            served.url + path, headers={"Origin": "http://evil.example.com"}
        ) as answer:
            assert answer.status == 403
            text = await answer.text()
        assert "Forbidden: a page of another site" in text
        assert "Traceback" not in text


@pytest.mark.parametrize(
    "host",
    ["evil.example.com:80", "evil.example.com", "127.0.0.1:1", "rebound.example.com:{port}", "x y", ""],
)
async def test_a_foreign_host_is_refused_and_never_written_into_the_page(
    serve: Callable[..., Awaitable[Served]], host: str
) -> None:
    served = await serve()
    host = host.format(port=served.server.port)
    async with served.session.get(served.url, headers={"Host": host}) as answer:
        text = await answer.text()
    assert answer.status in (400, 403)
    assert "evil" not in text and "rebound" not in text
    assert "ws://" not in text


async def test_allow_origin_lets_a_proxy_in_front(serve: Callable[..., Awaitable[Served]]) -> None:
    served = await serve(allow_origins=read_origins(["https://Chat.Example.org:443"]))
    async with served.session.get(served.url, headers={"Host": "chat.example.org"}) as answer:
        page = await answer.text()
    assert answer.status == 200
    assert 'data-session-websocket-url="wss://chat.example.org/ws"' in page
    websocket = await served.visit(origin="https://chat.example.org")
    assert (await said(websocket, "size ")).startswith("size")
    await websocket.close()


def test_the_hosts_a_server_answers_depend_on_where_it_listens() -> None:
    local = Gate.serving("127.0.0.1", 8000)
    assert local.host_refused("localhost:8000") is None
    assert local.host_refused("[::1]:8000") is None
    assert local.host_refused("192.168.1.2:8000") is not None  # only loopback reaches it
    everywhere = Gate.serving("0.0.0.0", 8000)
    assert everywhere.host_refused("192.168.1.2:8000") is None
    assert everywhere.host_refused(f"{socket.gethostname()}:8000") is None
    assert everywhere.host_refused("evil.example.com:8000") is not None
    named = Gate.serving("laptop.local", 8000)
    assert named.host_refused("laptop.local:8000") is None
    assert named.host_refused("127.0.0.1:8000") is not None


@pytest.mark.parametrize("written", ["foo", "http://x/path", "ftp://x", "*", "null", "http://"])
def test_an_allowed_origin_must_be_an_origin(written: str) -> None:
    from advisor.errors import UsageError

    with pytest.raises(UsageError, match="an origin is a scheme and a host"):
        read_origins([written])


# --- how many -----------------------------------------------------------------------------


async def test_past_the_cap_the_next_visitor_gets_a_polite_page_then_a_chat(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve(max_visitors=1)
    first = await served.visit()
    await said(first, "size ")
    async with served.session.get(served.url) as answer:
        page = await answer.text()
    assert answer.status == 503
    assert answer.headers["Retry-After"] == "15"
    assert "is busy" in page and "Someone is using it right now" in page
    assert '<meta http-equiv="refresh" content="15">' in page
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await served.visit()
    assert refused.value.status == 503
    # Once the first leaves, the place is free again.
    await first.close()
    await until(lambda: not served.server.visitors, 10, "the first visitor's chat to end")
    async with served.session.get(served.url) as answer:
        assert answer.status == 200
    second = await served.visit()
    await said(second, "size ")
    await second.close()


def test_the_default_cap_is_sized_for_the_machine() -> None:
    gigabyte = 1024**3
    assert default_max_visitors(cores=2, memory=16 * gigabyte) == 8
    assert default_max_visitors(cores=16, memory=4 * gigabyte) == 5  # memory binds first
    assert default_max_visitors(cores=64, memory=512 * gigabyte) == 32
    assert default_max_visitors(cores=1, memory=gigabyte) == 2
    assert connection_limit(8, open_files=1024) == 448


# --- bounds on one visitor ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "size"),
    [
        ("30000", "20000", (MAX_COLUMNS, MAX_ROWS)),
        ("-5", "0", (10, 4)),
        ("nan", "1e9", (80, 24)),
        ("9" * 30, "24", (MAX_COLUMNS, 24)),
        ("9" * 5000, "24", (80, 24)),  # past Python's digit limit: junk
        (None, None, (80, 24)),
    ],
    ids=["huge", "negative", "not-whole", "30-digits", "5000-digits", "missing"],
)
def test_a_terminal_size_is_clamped(width: str | None, height: str | None, size: tuple[int, int]) -> None:
    assert clamp_size(width, height) == size


async def test_a_huge_terminal_asked_for_is_clamped_at_the_start_and_on_resize(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve()
    websocket = await served.visit("?width=30000&height=20000")
    assert await said(websocket, "size ") == f"size {MAX_COLUMNS}x{MAX_ROWS}"
    await websocket.send_str(json.dumps(["resize", {"width": 10**9, "height": "x"}]))
    assert await said(websocket, "size ") == f"size {MAX_COLUMNS}x24"
    await websocket.close()


def test_the_input_budget_lets_a_paste_through_and_drops_a_flood() -> None:
    budget = InputBudget(burst=16_000, rate=4_000, floor=64)
    assert budget.allow(10_000, now=0.0)  # a pasted paragraph
    assert not budget.allow(10_000, now=0.0)  # at once, another: dropped
    assert budget.allow(4_000, now=1.0)  # a second later, room again
    # 10,000 bytes of room left: tiny messages count 64 bytes each.
    assert sum(budget.allow(1, now=2.0) for _ in range(1000)) == 10_000 // 64
    assert budget.dropped > 0


async def test_a_flood_of_keys_is_dropped_before_it_reaches_the_chat(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve()
    websocket = await served.visit()
    await said(websocket, "size ")
    for _ in range(300):  # 300 KB of keys, as fast as they go
        await websocket.send_str(json.dumps(["stdin", "x" * 1000]))
    await websocket.send_str("not json")
    await websocket.send_str(json.dumps({"stdin": "a dict"}))
    received = 0
    with contextlib.suppress(TimeoutError):
        while True:
            received = int((await said(websocket, "received ", timeout=1.5)).split()[1])
    assert 0 < received < 100_000, f"{received} bytes of a 300 KB flood reached the chat"
    await websocket.close()


async def test_a_message_too_long_closes_the_connection(serve: Callable[..., Awaitable[Served]]) -> None:
    served = await serve()
    websocket = await served.visit()
    await said(websocket, "size ")
    await websocket.send_str(json.dumps(["stdin", "x" * 200_000]))
    message = await websocket.receive(timeout=10)
    while message.type == aiohttp.WSMsgType.BINARY:
        message = await websocket.receive(timeout=10)
    assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
    await until(lambda: not served.server.visitors, 10, "the chat to end")


async def test_a_chat_that_will_not_quit_is_killed_with_its_children_when_the_visitor_leaves(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve(fake("--stubborn", "--child"))
    websocket = await served.visit()
    await said(websocket, "size ")
    child = int((await said(websocket, "child ")).split()[1])
    (visitor,) = served.server.visitors
    chat = visitor.pid
    assert chat is not None and alive(chat) and alive(child)
    await websocket.close()
    await until(lambda: not alive(chat) and not alive(child), 10, "the chat and its child to end")
    await until(lambda: not served.server.visitors, 5, "the visitor's place to be free")


async def test_the_real_chat_ends_when_its_flooding_visitor_leaves(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve(chat_command())
    websocket = await served.visit("?width=30000&height=20000")
    await websocket.receive(timeout=30)  # the first screen
    (visitor,) = served.server.visitors
    chat = visitor.pid
    assert chat is not None
    for _ in range(300):
        await websocket.send_str(json.dumps(["stdin", "x" * 1000]))
    await websocket.close()
    await until(lambda: not alive(chat), 10, "the chat to end")


# --- connections ----------------------------------------------------------------------------


async def _half_open(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
    await writer.drain()
    return reader, writer


async def test_a_request_that_never_finishes_its_headers_is_closed(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve(header_timeout=1.0)
    reader, writer = await _half_open(served.server.port)
    try:
        assert await asyncio.wait_for(reader.read(), 10) == b""  # closed by the server, unanswered
    finally:
        writer.close()


async def test_connections_past_the_limit_are_turned_away_and_the_server_recovers(
    serve: Callable[..., Awaitable[Served]],
) -> None:
    served = await serve(header_timeout=60.0)
    served.server.connection_limit = 5
    held = [await _half_open(served.server.port) for _ in range(5)]
    reader, writer = await asyncio.open_connection("127.0.0.1", served.server.port)
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 503 ") and b"busy" in answer
    for _, holder in held:
        holder.close()
    for _ in range(50):
        with contextlib.suppress(aiohttp.ClientError):
            async with served.session.get(served.url) as page:
                if page.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise AssertionError("the server did not answer again once the connections closed")
