"""Reading and writing the advisor's own small files, and the files a person names, safely.

Every file the advisor writes goes through here: the answers of ``advisor ask --save``,
the chat's exports, its saved conversations, the settings, the knowledge cache and the
crash log. The rules are the same for all of them:

- :func:`write_atomically` replaces a file in one step, so a crash or a full disk never
  leaves half a file behind (nor its temporary file). It writes only a regular file or a
  new one: a symbolic link, a FIFO, a device, a socket or a folder at the path is refused
  (:class:`NotARegularFile`), never replaced (``os.replace`` would replace any of them).
  A folder that does not exist is said (:class:`MissingFolder`), not created, unless the
  caller owns it (``parents=True``: the advisor's own folders).
- :func:`write_new` does the same for a file that must not exist yet (an export never
  overwrites an earlier one).
- :func:`append_bounded` adds to a log that never grows past a size, and never waits on
  a FIFO or writes through a link.
- :func:`read_bounded` reads at most a given number of bytes, and only from a regular
  file: a FIFO or a device put where a file was expected would otherwise block or read
  without end.
- :func:`remove_stale_temporaries` removes what a write killed half-way left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from pathlib import Path

__all__ = [
    "STALE_TEMPORARY_SECONDS",
    "MissingFolder",
    "NotARegularFile",
    "append_bounded",
    "check_writable",
    "read_bounded",
    "remove_stale_temporaries",
    "write_atomically",
    "write_new",
]

STALE_TEMPORARY_SECONDS = 3600
"""A temporary file this old is left by a write that was killed: no write takes an hour."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class NotARegularFile(OSError):
    """The path exists but is a symbolic link, a folder, a FIFO, a device or a socket.

    ``strerror`` says which, in words a person can act on ("is a symbolic link")."""


class MissingFolder(FileNotFoundError):
    """The folder a file was to be written in does not exist (and is not created)."""


def kind(mode: int) -> str:
    """What a file system entry is, in words: ``"a symbolic link"``, ``"a FIFO"``."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refused(path: Path, mode: int) -> NotARegularFile:
    reason = f"is {kind(mode)}; only a regular file is written, or a new one"
    return NotARegularFile(errno.EEXIST, reason, str(path))


def check_writable(path: Path, *, parents: bool = False) -> os.stat_result | None:
    """Whether ``path`` may be written: nothing there, or a regular file (not followed if it
    is a link). Returns what is there (``None``: nothing). Raises :class:`NotARegularFile`,
    or :class:`MissingFolder` when its folder does not exist and ``parents`` is false."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except NotADirectoryError:  # a file where a folder of the path should be
        raise MissingFolder(
            errno.ENOTDIR, "a part of its folder is a file, not a folder", str(path)
        ) from None
    if found is not None:
        if not stat.S_ISREG(found.st_mode):
            raise _refused(path, found.st_mode)
        return found
    folder = path.parent
    if not parents:
        try:
            folder_mode = folder.stat().st_mode
        except FileNotFoundError:
            raise MissingFolder(errno.ENOENT, f"the folder {folder} does not exist", str(path)) from None
        if not stat.S_ISDIR(folder_mode):
            raise MissingFolder(errno.ENOTDIR, f"{folder} is not a folder", str(path))
    return None


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` (so a caller can tell that it is larger).

    Raises :class:`NotARegularFile` for anything but a regular file, and
    ``OSError`` when it cannot be read.
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    descriptor = os.open(path, os.O_RDONLY | _NONBLOCK)
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind_ = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise NotARegularFile(f"{path} is {kind_}")
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(limit + 1)


def _temporary(path: Path) -> Path:
    """A temporary file's name beside ``path``: hidden, and told apart from every other."""
    import secrets  # with the hmac and random it loads, 2 ms of every start that writes nothing

    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(3)}.tmp")


def _write_temporary(path: Path, text: str, mode: int) -> Path:
    """``text`` in a new temporary file beside ``path`` (never through a link put there)."""
    temporary = _temporary(path)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def write_atomically(path: Path, text: str, *, parents: bool = False, mode: int = 0o666) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step, if it is a regular file or nothing.

    ``parents``: create the folder when it is missing (only for the advisor's own folders).
    A file replaced keeps its permissions; a new one gets ``mode`` (less the umask).
    Raises :class:`NotARegularFile`, :class:`MissingFolder` or another ``OSError`` when it
    cannot; the temporary file is removed then.
    """
    found = check_writable(path, parents=parents)
    if parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, text, mode)
    try:
        if found is not None:
            with contextlib.suppress(OSError):
                temporary.chmod(stat.S_IMODE(found.st_mode))
        check_writable(path, parents=parents)  # again, just before: as little time as can be
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_new(path: Path, text: str, *, mode: int = 0o666) -> None:
    """Write ``text`` to ``path``, which must not exist: complete or not at all.

    Raises ``FileExistsError`` when anything is there (a dangling link too), :class:`MissingFolder`
    when its folder does not exist, or another ``OSError``."""
    if os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "exists already", str(path))
    check_writable(path)
    temporary = _write_temporary(path, text, mode)
    try:
        try:
            os.link(temporary, path)  # unlike a rename, fails when the target exists
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: create it exclusively instead
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def append_bounded(path: Path, text: str, limit: int) -> None:
    """Add ``text`` to the end of the log ``path``, keeping it under ``limit`` bytes.

    When the log would grow past ``limit`` it starts again with what is added (the old log
    is kept as ``NAME.1``, replacing an older one). Never waits on a FIFO, never writes
    through a link or to a device: :class:`NotARegularFile` then. Raises ``OSError``.
    """
    data = text.encode("utf-8", "replace")[-limit:]
    found = check_writable(path)
    if found is not None and found.st_size + len(data) > limit:
        old = path.with_name(path.name + ".1")
        check_writable(old)
        path.replace(old)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _NONBLOCK
    descriptor = os.open(path, flags, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # changed since the check
            raise _refused(path, os.fstat(descriptor).st_mode)
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(folder: Path, pattern: str = ".*.tmp") -> None:
    """Remove the temporary files (``pattern``) in ``folder`` that a write killed half-way left
    behind: those older than :data:`STALE_TEMPORARY_SECONDS` (a write under way is younger)."""
    stale = time.time() - STALE_TEMPORARY_SECONDS
    with contextlib.suppress(OSError):
        for temporary in folder.glob(pattern):
            with contextlib.suppress(OSError):
                found = temporary.lstat()
                if stat.S_ISREG(found.st_mode) and found.st_mtime < stale:
                    temporary.unlink()
