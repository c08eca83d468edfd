"""``advisor serve``: the chat in a browser, served by textual-serve.

textual-serve answers each browser's websocket by starting the command it was
given, here ``python -m advisor chat``, as a process of its own with Textual's web
driver, and relays the screen to an xterm.js terminal in the page. So every
visitor has a conversation of their own, in their own process's memory; the app
(:func:`advisor.tui.app.run`) keeps nothing on disk in a browser, so no visitor
can resume or change another's. Files the app delivers (the export) become
downloads in the visitor's browser.

Two things differ from textual-serve's own server: the page's URLs are built from
the address the browser used (textual-serve builds them from the address it
listens on, which a browser cannot reach when that is ``0.0.0.0``), and what it
prints is a plain line saying where to go, once it is listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from advisor.errors import UsageError

__all__ = ["ChatServer", "chat_command", "serve"]

TITLE = "Fine-tuning advisor"

_HOST_HEADER = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
"""A Host header that is a name, an IPv4 or a bracketed IPv6 address, with an optional port:
anything else is not put into the page."""

_EVERYWHERE = ("0.0.0.0", "::", "")


def chat_command(knowledge: Path | None = None) -> str:
    """The shell command textual-serve runs for each visitor: this Python, this advisor."""
    words = [sys.executable, "-m", "advisor", "chat"]
    if knowledge is not None:
        words += ["--knowledge", str(knowledge.resolve())]
    return subprocess.list2cmdline(words) if os.name == "nt" else shlex.join(words)


class ChatServer(Server):
    """textual-serve's server, with page URLs that work from any address and a plain banner."""

    def __init__(self, command: str, host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title=TITLE)
        shown = "127.0.0.1" if host in _EVERYWHERE else host
        if ":" in shown:
            shown = f"[{shown}]"
        self.public_url = f"http://{shown}:{port}"
        self.exposed = host not in ("127.0.0.1", "localhost", "::1")

    def banner(self) -> str:
        """What to print once the server listens: where to open the chat."""
        if not self.exposed:
            return (
                f"advisor: the chat is at {self.public_url}: open it in a browser on this machine.\n"
                "Each visitor gets a chat of their own. Ctrl+C stops the server."
            )
        if self.host in _EVERYWHERE:
            where = f"http://{socket.gethostname()}:{self.port} ({self.public_url} on this machine)"
        else:
            where = self.public_url
        return (
            f"advisor: the chat is at {where}.\n"
            f"Anyone who can reach port {self.port} gets a chat, without a password, and each visitor "
            "runs a process on this machine.\nCtrl+C stops the server."
        )

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here, before it listens; :meth:`banner` is printed after."""

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, pointing its websocket and files at the address the browser used."""
        origin = self.public_url
        if _HOST_HEADER.fullmatch(request.host):
            origin = f"{request.scheme}://{request.host}"
        websocket = ("wss" if origin.startswith("https:") else "ws") + origin[origin.index(":") :]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}/ws",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }

    def run(self) -> None:
        """Serve until Ctrl+C or SIGTERM; raises ``OSError`` when it cannot listen."""
        logging.basicConfig(level=logging.WARNING, format="advisor serve: %(message)s")
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows has no such handlers
                loop.add_signal_handler(signal_number, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                access_log=None,
                # Called once the sockets listen: the moment to say where to go.
                print=lambda _: print(self.banner(), flush=True),
            )
        finally:
            loop.close()


def serve(host: str, port: int, *, knowledge: Path | None = None) -> int:
    """Serve the chat at ``host``:``port`` until stopped; return the exit code."""
    server = ChatServer(chat_command(knowledge), host, port)
    try:
        server.run()
    except OSError as error:
        raise UsageError(
            f"cannot serve on {host}:{port}: {error.strerror or error}; try another --port or --host"
        ) from None
    return 0
