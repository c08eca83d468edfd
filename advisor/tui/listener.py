"""How many visitors and connections ``advisor serve`` takes, and the socket that holds it to that.

Each visitor is a chat process (about 60 MB and, while it works, a core); each connection an
open file. Left alone, 200 visitors made 400 processes and 8 GB, and 1,100 connections that
sent half a request each used up the 1,024 open files a process has by default, after which
nobody got in. So:

- :func:`default_max_visitors` sizes the cap on visitors for this machine;
- a connection that has not sent its request's headers within the header timeout is closed
  (aiohttp's keep-alive timeout counts from the connection's start, and between requests);
- :func:`guarded` refuses connections beyond :func:`connection_limit` with a short 503 at
  once, so open files are never exhausted.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

from aiohttp import web

__all__ = ["connection_limit", "default_max_visitors", "guarded"]

MEMORY_PER_VISITOR = 200 * 1024 * 1024
"""What to set aside per visitor when sizing the cap: a chat uses about 60 MB, more with a
long conversation, and the machine has other work."""

VISITORS_PER_CORE = 4
"""Visitors mostly read and type; a core serves a few at once without keeping them waiting."""

LARGEST_DEFAULT = 32

FILES_PER_VISITOR = 8
"""Open files a visitor costs the server: the websocket, the chat's three pipes, and room."""

_BUSY_TEXT = b"The advisor is busy: please try again in a minute.\n"
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 10\r\n"
    b"Connection: close\r\n"
    b"Content-Length: %d\r\n"
    b"\r\n%s" % (len(_BUSY_TEXT), _BUSY_TEXT)
)
"""The whole answer to a connection over the limit."""


def _memory() -> int | None:
    """Bytes of physical memory, where the platform says."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def default_max_visitors(cores: int | None = None, memory: int | None = None) -> int:
    """The cap on simultaneous visitors for this machine: four a core, within a quarter of its
    memory at :data:`MEMORY_PER_VISITOR` each, from 2 to :data:`LARGEST_DEFAULT`."""
    cores = cores or os.cpu_count() or 1
    memory = memory or _memory()
    cap = VISITORS_PER_CORE * cores
    if memory:
        cap = min(cap, memory // 4 // MEMORY_PER_VISITOR)
    return max(2, min(LARGEST_DEFAULT, cap))


def _open_file_limit() -> int:
    try:
        import resource
    except ImportError:  # Windows: no such limit to run into
        return 8192
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 8192 if soft == resource.RLIM_INFINITY else soft


def connection_limit(max_visitors: int, open_files: int | None = None) -> int:
    """Connections held at once: half the open files, less what the visitors need, at least 16."""
    open_files = open_files or _open_file_limit()
    return max(16, open_files // 2 - FILES_PER_VISITOR * max_visitors)


class _Refused(asyncio.Protocol):
    """A connection over the limit: a short 503, then closed, without reading a byte."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(BUSY)
        transport.close()


def guarded(server: web.Server, limit: Callable[[], int]) -> Callable[[], asyncio.Protocol]:
    """A protocol factory for ``loop.create_server``: aiohttp's, while fewer than ``limit()``
    connections are open."""

    def make() -> asyncio.Protocol:
        if len(server.connections) >= limit():
            return _Refused()
        return server()

    return make
