"""``advisor serve`` left running, seen from a browser: another site's page gets no chat, the
cap on visitors holds, and a visitor who floods the chat and leaves leaves nothing running.

Waits are bounded polls for something to happen, never a measure of speed.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from visitors import ServedChat, Visitor, visitors

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pgrep and process groups")


KNOCK = """
(url) => new Promise((done) => {
  const socket = new WebSocket(url);
  socket.addEventListener("open", () => { done("open"); socket.close(); });
  socket.addEventListener("error", () => done("refused"));
  setTimeout(() => done("no answer"), 10000);
})
"""
"""A page's script opening the chat's websocket: whether it opened."""


def wait_for(done: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)


@pytest.fixture
def other_site() -> Iterator[str]:
    """Another site, served from this machine on a port of its own: Chromium's local network
    checks stop a page on a public address, or one the test makes up, from reaching
    127.0.0.1, but not a page served from 127.0.0.1 itself."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!DOCTYPE html><title>another site</title><p>hello</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedChat]:
    """A server that takes one visitor at a time."""
    server = ServedChat(tmp_path_factory.mktemp("capped"), "--max-visitors", "1")
    server.start()
    yield server
    server.stop()


def test_a_page_of_another_site_cannot_open_a_chat(
    visit: Callable[[], Visitor], served: ServedChat, other_site: str
) -> None:
    visitor = visit()
    websocket = served.url.replace("http:", "ws:") + "/ws"
    # A page the person visits, on another site, that tries the chat's websocket.
    visitor.page.goto(other_site)
    before = served.chats()
    assert visitor.page.evaluate(KNOCK, websocket) == "refused"
    assert served.chats() == before, "another site's page started a chat"
    # The chat's own page, in the same browser, still gets one.
    visitor.page.goto(served.url)
    assert visitor.page.evaluate(KNOCK, websocket) == "open"


@pytest.mark.slow  # nine visitors: in the full run (pytest -m slow)
def test_past_the_cap_the_next_visitor_is_told_to_wait(
    playwright: Any, chromium: str, capped: ServedChat, tmp_path: Path
) -> None:
    with visitors(playwright, chromium, capped.url, tmp_path) as visit:
        first = visit()
        first.open()
        second = visit()
        answer = second.page.goto(capped.url)
        assert answer is not None and answer.status == 503
        assert second.page.title().endswith(": busy")
        assert len(capped.chats()) == 1
        # The first leaves: the busy page, which tries again by itself, becomes a chat.
        first.close()
        second.wait(lambda: bool(second.deliveries), 60, "the second visitor's chat")
        assert len(capped.chats()) == 1


def test_a_flooding_visitors_chat_is_gone_soon_after_they_leave(
    visit: Callable[[], Visitor], served: ServedChat
) -> None:
    before = served.chats()
    visitor = visit()
    visitor.open()
    (chat,) = served.chats() - before
    for _ in range(10):  # 300 KB of text pasted into the page, as fast as it goes
        visitor.page.keyboard.insert_text("x" * 30_000)
    visitor.close()
    wait_for(lambda: chat not in served.chats(), 5, "the visitor's chat to end")
