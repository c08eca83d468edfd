"""``advisor serve``: the chat in a browser, served by textual-serve, safe to leave running.

textual-serve answers each browser's websocket by starting the command it was given, here
``python -m advisor chat``, as a process of its own with Textual's web driver, and relays the
screen to an xterm.js terminal in the page. So every visitor has a conversation of their own,
in their own process's memory; the app (:func:`advisor.tui.app.run`) keeps nothing on disk in
a browser, so no visitor can resume or change another's. Files the app delivers (the export)
become downloads in the visitor's browser.

textual-serve's own server trusts every visitor; this one does not:

- only requests for the address it serves, from its own pages, are answered (:mod:`.gate`):
  another site's page gets a 403, and so does a DNS-rebound name;
- at most ``--max-visitors`` chats run at once; the next visitor gets a page that says so and
  tries again by itself (:mod:`.listener` sizes the default for the machine);
- each chat is bounded and ends within seconds of its visitor leaving (:mod:`.visitor`);
- connections that do not send their headers in time are closed, and those beyond what the
  open files allow are turned away at once (:mod:`.listener`).

The page's URLs are built from the address the browser used (textual-serve builds them from
the address it listens on, which a browser cannot reach when that is ``0.0.0.0``), and what it
prints is a plain line saying where to go, once it is listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from advisor.errors import UsageError
from advisor.tui.gate import EVERYWHERE, Gate, normal_origin
from advisor.tui.listener import connection_limit, default_max_visitors, guarded
from advisor.tui.visitor import MAX_MESSAGE, InputBudget, VisitorProcess, clamp_size, relay

__all__ = ["ChatServer", "chat_command", "read_origins", "serve"]

TITLE = "Fine-tuning advisor"

HEADER_TIMEOUT = 10.0
"""Seconds a connection has to send a request's headers, from its start or its last request."""

RETRY_SECONDS = 15
"""How soon the busy page tries again by itself."""

log = logging.getLogger("advisor.serve")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

BUSY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="{retry}">
<title>{title}: busy</title>
<style>
  body {{ background: #0c181f; color: #e8eef2; font-family: system-ui, sans-serif;
         display: flex; align-items: center; justify-content: center; height: 100vh; margin: 0; }}
  main {{ max-width: 34em; padding: 2em; background: #12232d; line-height: 1.5; }}
</style>
</head>
<body>
<main>
<h1>{title} is busy</h1>
<p>{who} using it right now, as many as this machine takes at once.</p>
<p>This page tries again by itself every {retry} seconds: a chat opens here as soon as
someone leaves.</p>
</main>
</body>
</html>
"""


def chat_command(knowledge: Path | None = None) -> str:
    """The shell command textual-serve runs for each visitor: this Python, this advisor."""
    words = [sys.executable, "-m", "advisor", "chat"]
    if knowledge is not None:
        words += ["--knowledge", str(knowledge.resolve())]
    return subprocess.list2cmdline(words) if os.name == "nt" else shlex.join(words)


def read_origins(written: list[str]) -> tuple[str, ...]:
    """The ``--allow-origin`` values, as browsers write origins; a usage error for anything else."""
    origins = []
    for value in written:
        origin = normal_origin(value)
        if origin is None:
            raise UsageError(
                f"--allow-origin {value!r}: an origin is a scheme and a host, with an optional port, "
                "such as http://laptop.local:8000 or https://chat.example.org"
            )
        origins.append(origin)
    return tuple(origins)


def _refusal(status: int, text: str) -> web.Response:
    """A short plain answer for a request refused."""
    return web.Response(status=status, text=f"{text}\n", headers={"Cache-Control": "no-store"})


class ChatServer(Server):
    """textual-serve's server, answering only its own address, with a cap on visitors, bounded
    chats that end when their visitor leaves, and a plain banner."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        *,
        max_visitors: int | None = None,
        allow_origins: tuple[str, ...] = (),
        header_timeout: float = HEADER_TIMEOUT,
    ) -> None:
        super().__init__(command, host=host, port=port, title=TITLE)
        shown = "127.0.0.1" if host in EVERYWHERE else host
        if ":" in shown:
            shown = f"[{shown}]"
        self.public_url = f"http://{shown}:{port}"
        self.exposed = host not in ("127.0.0.1", "localhost", "::1")
        self.gate = Gate.serving(host, port, allow_origins)
        self.max_visitors = max_visitors or default_max_visitors()
        self.header_timeout = header_timeout
        self.connection_limit = connection_limit(self.max_visitors)
        self.visitors: set[VisitorProcess] = set()
        """The chats running (or ending) now: a visitor's place is free once their chat is gone."""

    @property
    def full(self) -> bool:
        """Whether the next visitor must wait."""
        return len(self.visitors) >= self.max_visitors

    def banner(self) -> str:
        """What to print once the server listens: where to open the chat."""
        cap = f"At most {self.max_visitors} visitors at once (--max-visitors)."
        if not self.exposed:
            return (
                f"advisor: the chat is at {self.public_url}: open it in a browser on this machine.\n"
                f"Each visitor gets a chat of their own. {cap} Ctrl+C stops the server."
            )
        if self.host in EVERYWHERE:
            where = f"http://{socket.gethostname()}:{self.port} ({self.public_url} on this machine)"
        else:
            where = self.public_url
        return (
            f"advisor: the chat is at {where}.\n"
            f"Anyone who can reach port {self.port} gets a chat, without a password, and each visitor "
            f"runs a process on this machine. {cap}\nCtrl+C stops the server."
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.on_shutdown.append(self._end_all)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse requests for another host or from another site's page (:mod:`.gate`)."""
        websocket = request.path == "/ws"
        reason = self.gate.host_refused(request.headers.get("Host")) or self.gate.origin_refused(
            request.headers.get("Origin"), request.host, request.scheme, required=websocket
        )
        if reason is not None:
            log.info("refused %s %s: %s", request.method, request.path, reason)
            return _refusal(
                403,
                f"Forbidden: {reason}. advisor serve answers only its own pages, at the address it "
                "serves (see advisor serve --help: --allow-origin).",
            )
        response = await handler(request)
        if not response.prepared:
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here, before it listens; :meth:`banner` is printed after."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, or, when the chats are all taken, a page saying so that tries again."""
        if self.full:
            return self._busy_page()
        return await self._chat_page(request)

    def _busy_page(self) -> web.Response:
        count = len(self.visitors)
        who = "Someone is" if count == 1 else f"{count} people are"
        page = BUSY_PAGE.format(title=html.escape(self.title), who=who, retry=RETRY_SECONDS)
        return web.Response(
            status=503,
            text=page,
            content_type="text/html",
            headers={"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"},
        )

    @aiohttp_jinja2.template("app_index.html")
    async def _chat_page(self, request: web.Request) -> dict[str, Any]:
        """The page, pointing its websocket and files at the address the browser used (the
        guard has checked it is one of ours), with the scheme of ``--allow-origin``'s for a
        proxy in front."""
        origin = self.gate.allowed_origin(request.host) or f"{request.scheme}://{request.host}"
        websocket = ("wss" if origin.startswith("https:") else "ws") + origin[origin.index(":") :]
        return {
            "font_size": max(6, min(48, to_int(request.query.get("fontsize", "16"), 16))),
            "app_websocket_url": f"{websocket}/ws",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A visitor's chat, for as long as their page is open; their place is taken until the
        chat has ended."""
        if self.full:
            raise web.HTTPServiceUnavailable(
                text="The advisor is busy: please try again in a minute.\n",
                headers={"Retry-After": str(RETRY_SECONDS)},
            )
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)

        async def close() -> None:
            await websocket.close()

        visitor = VisitorProcess(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
        )
        self.visitors.add(visitor)
        try:
            await websocket.prepare(request)
            await visitor.start(*clamp_size(request.query.get("width"), request.query.get("height")))
            await relay(websocket, visitor, InputBudget())
        except ConnectionResetError:  # the visitor left while being answered
            pass
        except OSError as error:  # the chat could not start: no processes or open files left
            log.warning("a visitor's chat could not start: %s", error.strerror or error)
        finally:
            # Shielded: a handler cancelled on shutdown still ends its chat.
            await asyncio.shield(self._end(visitor))
        return websocket

    async def _end(self, visitor: VisitorProcess) -> None:
        try:
            await visitor.stop()
        finally:
            self.visitors.discard(visitor)

    async def _end_all(self, app: web.Application) -> None:
        """On shutdown: end every chat (their websockets are closed after)."""
        await asyncio.gather(*(self._end(visitor) for visitor in list(self.visitors)))

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[asyncio.AbstractServer]:
        """Listen on the host and port while in the block; every chat ended on the way out.
        Raises ``OSError`` when it cannot listen."""
        runner = web.AppRunner(
            await self._make_app(), access_log=None, keepalive_timeout=self.header_timeout, shutdown_timeout=3
        )
        await runner.setup()
        try:
            assert runner.server is not None
            listener = await asyncio.get_running_loop().create_server(
                guarded(runner.server, lambda: self.connection_limit), self.host or None, self.port
            )
            try:
                yield listener
            finally:
                listener.close()
        finally:
            await runner.cleanup()

    async def _serve_until_stopped(self) -> None:
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows has no such handlers
                loop.add_signal_handler(signal_number, stopped.set)
        async with self.listening():
            print(self.banner(), flush=True)
            await stopped.wait()

    def run(self) -> None:
        """Serve until Ctrl+C or SIGTERM; raises ``OSError`` when it cannot listen."""
        logging.basicConfig(level=logging.WARNING, format="advisor serve: %(message)s")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C where signal handlers are not available
            asyncio.run(self._serve_until_stopped())


def serve(
    host: str,
    port: int,
    *,
    knowledge: Path | None = None,
    max_visitors: int | None = None,
    allow_origins: tuple[str, ...] = (),
) -> int:
    """Serve the chat at ``host``:``port`` until stopped; return the exit code."""
    server = ChatServer(
        chat_command(knowledge), host, port, max_visitors=max_visitors, allow_origins=allow_origins
    )
    try:
        server.run()
    except OSError as error:
        raise UsageError(
            f"cannot serve on {host}:{port}: {error.strerror or error}; try another --port or --host"
        ) from None
    return 0
