"""Reading and writing the advisor's own small files safely.

:func:`write_atomically` replaces a file in one step, so a crash or a full
disk never leaves half a file behind (and never leaves its temporary file).
:func:`read_bounded` reads at most a given number of bytes, and only from a
regular file: a FIFO or a device put where a file was expected would
otherwise block or read without end.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = ["NotARegularFile", "read_bounded", "write_atomically"]


class NotARegularFile(OSError):
    """The path exists but is a folder, a FIFO, a device or a socket."""


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` (so a caller can tell that it is larger).

    Raises :class:`NotARegularFile` for anything but a regular file, and
    ``OSError`` when it cannot be read.
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise NotARegularFile(f"{path} is {kind}")
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(limit + 1)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step; create its folder if needed.

    Raises ``OSError`` when it cannot; the temporary file is removed then.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as file:
            file.write(text)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
