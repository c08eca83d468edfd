"""One visitor of ``advisor serve``: their chat process and what their browser may send it.

textual-serve's :class:`~textual_serve.app_service.AppService` starts the chat with
``sh -c`` and, when the visitor leaves, asks it to quit and waits for as long as it takes: a
chat busy with a flood of keys never reads the request, and went on running, orphaned, for
minutes. Here the visitor's process gets bounds, and an end:

- it runs in a session (a process group) of its own, with ``sh`` replaced by Python
  (``exec``) and, on POSIX, its heap capped (``ulimit -d``); when the visitor leaves it is
  asked to quit and, if it has not within :data:`QUIT_GRACE` seconds, the whole group is
  killed;
- the terminal size is clamped (:func:`clamp_size`), at the start and at every resize;
- what the browser sends goes through :class:`InputBudget`: a paste passes, a flood is
  dropped before it reaches the chat, and so is anything sent while the chat has
  :data:`MAX_PENDING` bytes unread; messages that are not textual-serve's are ignored.
  Nothing waits for the chat to read: the visitor's leaving is seen at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

__all__ = [
    "MAX_COLUMNS",
    "MAX_MESSAGE",
    "MAX_ROWS",
    "InputBudget",
    "VisitorProcess",
    "clamp_size",
    "relay",
]

MIN_COLUMNS, MAX_COLUMNS = 10, 400
MIN_ROWS, MAX_ROWS = 4, 150
"""A terminal of at most 400x150 cells: more than a 4K screen shows at a small font.
textual-serve passed any size on: 30000x20000 took one chat to 3 GB."""

MAX_MESSAGE = 64 * 1024
"""The longest websocket message read from a browser; a longer one closes the connection."""

HEAP_LIMIT_KB = 1024 * 1024
"""A visitor's chat may use 1 GB of heap (``ulimit -d``); it needs well under 100 MB."""

MAX_PENDING = 64 * 1024
"""Bytes written to a chat and not yet read by it, beyond which what the visitor sends is dropped."""

QUIT_GRACE = 2.0
"""Seconds a leaving visitor's chat has to quit before its process group is killed."""

REAP_WAIT = 5.0
"""Seconds to wait for a killed process group's output to close."""


def clamp_size(width: Any, height: Any) -> tuple[int, int]:
    """A terminal size a chat can draw: whole numbers within the bounds, 80x24 for junk."""
    return _clamp(width, 80, MIN_COLUMNS, MAX_COLUMNS), _clamp(height, 24, MIN_ROWS, MAX_ROWS)


def _clamp(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


class InputBudget:
    """A token bucket of bytes: a visitor may send :attr:`burst` bytes at once and
    :attr:`rate` a second after that; what goes over is dropped, not queued.

    Typing is a few bytes a key; a pasted paragraph a few kilobytes; moving the mouse over the
    page a few dozen small messages a second. Every message costs at least :attr:`floor`
    bytes, so that thousands of tiny ones (resizes, pings) are a flood too. At the sustained
    rate, keys kept a chat about a third busy (measured): bounded, and far from a core.
    """

    def __init__(self, burst: int = 16 * 1024, rate: int = 4 * 1024, floor: int = 32) -> None:
        self.burst = burst
        self.rate = rate
        self.floor = floor
        self.dropped = 0
        """Bytes dropped so far."""
        self._tokens = float(burst)
        self._last: float | None = None

    def allow(self, size: int, now: float | None = None) -> bool:
        """Whether a message of ``size`` bytes may pass now (and take its share of the budget)."""
        now = time.monotonic() if now is None else now
        if self._last is not None:
            self._tokens = min(self.burst, self._tokens + max(0.0, now - self._last) * self.rate)
        self._last = now
        cost = max(size, self.floor)
        if cost > self._tokens:
            self.dropped += size
            return False
        self._tokens -= cost
        return True


class VisitorProcess(AppService):
    """A visitor's chat process: in a process group of its own, bounded, and ended for sure."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        width, height = clamp_size(width, height)
        posix = os.name == "posix"
        command = f"ulimit -d {HEAP_LIMIT_KB} 2>/dev/null; exec {self.command}" if posix else self.command
        self._process = process = await asyncio.create_subprocess_shell(
            command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=posix,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        """The chat's process id (also its process group's, on POSIX), once started."""
        return self._process.pid if self._process is not None else None

    async def send_bytes(self, data: bytes) -> bool:
        """Pass keys to the chat, or drop them while it has :data:`MAX_PENDING` bytes unread."""
        return self._write(self.encode_packet(b"D", data))

    async def send_meta(self, data: dict[str, str | int | bool | None]) -> bool:
        """Pass a resize, focus or quit to the chat, or drop it as :meth:`send_bytes` does."""
        return self._write(self.encode_packet(b"M", json.dumps(data).encode("utf-8")))

    def _write(self, packet: bytes) -> bool:
        """Write without waiting: textual-serve waited for the chat to read, and a chat busy
        with a flood left the visitor's messages, their leaving included, unread meanwhile."""
        stdin = self._stdin
        if stdin is None or stdin.is_closing() or stdin.transport.get_write_buffer_size() > MAX_PENDING:
            return False
        try:
            stdin.write(packet)
        except (RuntimeError, OSError):  # the chat has gone
            return False
        return True

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp_size(width, height))

    _ending: asyncio.Future[None] | None = None

    async def stop(self) -> None:
        """Ask the chat to quit; kill its process group if it has not exited within
        :data:`QUIT_GRACE` seconds. Returns once the chat has gone (or could not be reaped);
        every call waits for the same ending (the visitor's leaving, the server's shutdown)."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        task, self._task = self._task, None
        process = self._process
        if task is None or process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        if not await _exits(process, QUIT_GRACE):
            self.kill()
        if self._stdin is not None:
            self._stdin.close()
        await _exits(process, REAP_WAIT)
        _, pending = await asyncio.wait({task}, timeout=REAP_WAIT)
        for left in pending:
            left.cancel()
        # The relay stops reading when the browser has gone; read the rest, or the pipe stays open.
        if process.stdout is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_drain(process.stdout), REAP_WAIT)

    def kill(self) -> None:
        """Kill the chat and everything it started, at once."""
        process = self._process
        if process is None or process.returncode is not None:
            return  # reaped: its id may be another process's by now
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()


async def _drain(stream: asyncio.StreamReader) -> None:
    """Read ``stream`` to its end, keeping nothing."""
    while await stream.read(64 * 1024):
        pass


async def _exits(process: asyncio.subprocess.Process, timeout: float) -> bool:
    """Whether ``process`` exits within ``timeout`` seconds."""
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        return False
    return True


async def relay(websocket: web.WebSocketResponse, visitor: VisitorProcess, budget: InputBudget) -> None:
    """Pass what the browser sends to the chat until it leaves: keys, resizes, focus, pings.

    Anything else, malformed JSON included, is ignored; a flood is dropped (:class:`InputBudget`).
    """
    async for message in websocket:
        if message.type != WSMsgType.TEXT or not budget.allow(len(message.data)):
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
            continue
        await _forward(websocket, visitor, envelope[0], envelope[1:])


async def _forward(
    websocket: web.WebSocketResponse, visitor: VisitorProcess, kind: str, args: list[Any]
) -> None:
    """Forward one message of textual-serve's page to the chat."""
    data = args[0] if args else None
    if kind == "stdin" and isinstance(data, str):
        await visitor.send_bytes(data.encode("utf-8", "replace"))
    elif kind == "resize" and isinstance(data, dict):
        await visitor.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
    elif kind == "ping" and isinstance(data, str | int | float) and len(str(data)) <= 64:
        await websocket.send_json(["pong", data])
    elif kind == "blur":
        await visitor.blur()
    elif kind == "focus":
        await visitor.focus()
