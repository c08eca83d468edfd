"""Where the chat keeps its answers between runs: one JSON file per chat, written atomically.

The files live in the platform's state folder (:func:`advisor.locations.state_dir`). A chat
writes after every answer, so a crashed or closed chat loses nothing, and the answers are
read back defensively: a damaged file is set aside (never over an earlier one set aside),
never fatal, and the answers it holds are checked again (:func:`restore`) before they are used.

Two chats open at once never write the same file. Each writes a file of its own, and holds
a lock on it while it runs (the operating system's, so a chat that crashed or was killed
holds none). A chat that starts offers to resume the most recent saved chat that no running
chat holds, and from then on writes that file; a chat that is still open elsewhere is left
alone, and the new chat says so. The ten most recent saved chats are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from advisor.answers import assumes, override
from advisor.bounds import NumberError
from advisor.files import read_bounded, remove_stale_temporaries, write_atomically
from advisor.kb.base import KnowledgeBase
from advisor.locations import state_dir
from advisor.reading import Reader, Unreadable
from advisor.terminal import printable, visible

__all__ = ["SessionStore", "restore"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

MAX_STATE_BYTES = 64 * 1024
KEPT = 10
"""Saved chats kept: when a chat saves its first answer, older ones that no chat holds go."""
MAX_SAID = 500
"""The longest answer kept as typed (the chat reads no longer line)."""


class SessionStore:
    """The saved chats in a folder, and the one this chat writes."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else state_dir()
        self.own = folder is None
        """Whether this is the person's own folder (not one a test or a script named): then the
        chat keeps their preferences too, in their settings."""
        self.path = self._new_path()
        """The file this chat writes: a new one, until it takes up a saved chat (:meth:`load`)."""
        self.error: str | None = None
        """The last save error, if saving failed (shown by the chat)."""
        self.reason: str | None = None
        """The same, in a few words ("Is a directory"), for a status line."""
        self.open_elsewhere = 0
        """Saved chats more recent than the one offered (if any) that another running chat holds:
        why :meth:`load` passed them by."""
        self._lock: _Lock | None = None

    def load(self) -> dict[str, Any] | None:
        """The most recent saved chat that no running chat holds, or ``None``. This chat takes
        it up: it holds its lock and writes its file from now on."""
        if self._lock is not None:  # this chat's own answers (a chat started again in one process)
            return self._read(self.path)
        self.open_elsewhere = 0
        found: dict[str, Any] | None = None
        for path in self._saved()[:KEPT]:
            if found is not None:
                break
            lock = _Lock.take(path)
            if lock is None:
                self.open_elsewhere += 1
                continue
            data = self._read(path)
            if data is None:
                lock.release()
                continue
            self.path, self._lock, found = path, lock, data
        return found

    def save(self, state: dict[str, Any]) -> bool:
        """Write ``state``; ``False`` (and :attr:`error`) when it could not be written."""
        payload = json.dumps({"version": 1, **state}, ensure_ascii=False, indent=1)
        try:
            if self._lock is None:  # this chat's first answer, or its first since a restart
                self.folder.mkdir(parents=True, exist_ok=True)
                self._lock = _Lock.take(self.path, wait=True)
                self._prune()
            write_atomically(self.path, payload, parents=True, mode=0o600)
        except OSError as error:
            where = self.path
            self.reason = error.strerror or str(error)
            if self.folder.exists() and not self.folder.is_dir():
                where, self.reason = self.folder, "not a folder"
            self.error = f"could not save your answers to {visible(where)}: {self.reason}"
            return False
        self.error = self.reason = None
        return True

    def clear(self) -> None:
        """Forget this chat's answers; a later save starts a new file."""
        with contextlib.suppress(OSError):
            self.path.unlink()
        self.close()
        self.path = self._new_path()

    def close(self) -> None:
        """Let another chat take up this one's answers (closing the chat does the same)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _new_path(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return self.folder / f"session-{stamp}-{secrets.token_hex(3)}.json"

    def _saved(self) -> list[Path]:
        """The saved chats, most recent first (``session.json`` is one of an earlier version)."""
        try:
            paths = [p for p in self.folder.glob("session*.json") if ".damaged" not in p.name]
        except OSError:
            return []
        dated = []
        for path in paths:
            with contextlib.suppress(OSError):
                dated.append((path.stat().st_mtime, path))
        return [path for _, path in sorted(dated, reverse=True)]

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            raw = read_bounded(path, MAX_STATE_BYTES)
        except OSError:
            return None
        try:
            if len(raw) > MAX_STATE_BYTES:
                raise ValueError("too large")
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != 1:
                raise ValueError("not a saved conversation")
        except (ValueError, UnicodeDecodeError, RecursionError):
            _set_aside(path)
            return None
        return data

    def _prune(self) -> None:
        """Remove the saved chats beyond the most recent :data:`KEPT` (this one's file, new, is
        not written yet: it counts as one of them)."""
        for path in self._saved()[KEPT - 1 :]:
            lock = _Lock.take(path)
            if lock is not None:
                with contextlib.suppress(OSError):
                    path.unlink()
                lock.release()
        # What a save killed half-way left (".session-....json.<pid>-<random>.tmp").
        remove_stale_temporaries(self.folder, ".session*.tmp")

    def set_aside(self) -> None:
        """The saved chat taken up is damaged in a way only using it showed: set it aside (as
        :meth:`load` does a file that is no JSON), and write a new file from now on."""
        if self._lock is not None:
            _set_aside(self.path)
        self.close()
        self.path = self._new_path()


def _set_aside(path: Path) -> None:
    """Rename a damaged file ``NAME.damaged.json`` (then ``NAME.damaged-2.json``, …) so that a
    person can still read it; an earlier one set aside is never replaced."""
    for number in range(1, 100):
        target = path.with_name(path.stem + (".damaged" if number == 1 else f".damaged-{number}") + ".json")
        try:
            os.link(path, target)  # unlike a rename, fails when the target exists
        except FileExistsError:
            continue
        except OSError:
            return
        with contextlib.suppress(OSError):
            path.unlink()
        return


class _Lock:
    """A saved chat's lock (``NAME.json.lock``), held while the chat that writes it runs."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self.descriptor = descriptor
        self._closing = weakref.finalize(self, os.close, descriptor)

    @classmethod
    def take(cls, saved: Path, *, wait: bool = False) -> _Lock | None:
        """The lock of the saved chat ``saved``, or ``None`` when another chat holds it (or it
        cannot be had). ``wait``: for a new file of this chat's own, hold it when locks work."""
        path = saved.with_name(saved.name + ".lock")
        try:
            # Never through a link put at its name (it could lead anywhere), never waiting.
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK, 0o600)
        except OSError:
            if wait:
                raise
            return None
        try:
            _lock_file(descriptor)
        except BlockingIOError:
            os.close(descriptor)
            return None
        except OSError:  # a file system without locks: a chat's own new file is still its own
            if not wait:
                os.close(descriptor)
                return None
        return cls(path, descriptor)

    def release(self) -> None:
        """Give the lock up; the lock file goes with the saved chat it guards."""
        if not self.path.with_suffix("").exists():
            with contextlib.suppress(OSError):
                self.path.unlink()
        self._closing()


if sys.platform == "win32":
    import msvcrt

    def _lock_file(descriptor: int) -> None:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError as error:  # held by another chat
            raise BlockingIOError(str(error)) from error

else:
    import fcntl

    def _lock_file(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


def restore(saved: Mapping[str, Any], kb: KnowledgeBase, reader: Reader) -> dict[str, Any] | None:
    """Saved answers checked again against the knowledge base (it may have changed since, or the
    file been edited): only canonical values are kept; ``None`` if nothing usable was saved."""
    values = saved.get("values")
    said = saved.get("said")
    if not isinstance(values, dict) or not isinstance(said, dict):
        return None
    checked: dict[str, Any] = {}
    marked = saved.get("assumed")
    assumed = {name for name in marked if isinstance(name, str)} if isinstance(marked, list) else set()
    for question in kb.questions:
        if question.id not in values:
            continue
        value = values[question.id]
        if value is None and (question.optional or (question.id in assumed and assumes(question))):
            checked[question.id] = None
            continue
        try:
            checked[question.id] = reader.read(question, value, strict=True).value
        except Unreadable:
            continue
    assumptions, dropped = _assumptions(saved.get("assumptions"), kb)
    total = saved.get("total")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        total = None
    if not checked and not assumptions and total is None:
        return None
    return {
        "dropped": dropped,
        "values": checked,
        "said": _said(said, checked),
        "assumptions": assumptions,
        "recent": _recent(saved.get("recent"), checked),
        "total": total,
        "assumed": sorted(assumed & set(checked)),
    }


def _assumptions(saved: Any, kb: KnowledgeBase) -> tuple[dict[str, float], list[str]]:
    """The costs a saved chat set, each held to the number policy again (an answers file's
    ``assumptions:``, :func:`advisor.answers.override`), and a sentence for each one dropped:
    a value saved before the policy refused it would crash every resume."""
    kept: dict[str, float] = {}
    dropped: list[str] = []
    if not isinstance(saved, dict):
        return kept, dropped
    for key, value in saved.items():
        if key not in kb.assumption:
            continue
        number = isinstance(value, int | float) and not isinstance(value, bool)
        try:
            if not number:
                raise NumberError(f"expected a number, not {type(value).__name__}")
            override(kb, key, value)
        except NumberError as error:
            dropped.append(f"{key}: {error.message}")
            continue
        kept[key] = float(value)
    return kept, dropped


def _said(said: Mapping[str, Any], checked: Mapping[str, Any]) -> dict[str, str]:
    """What the person typed for each answer kept, as text they could have typed: at most
    :data:`MAX_SAID` characters, nothing a terminal would obey (it is shown again: "Last time
    you said ..."); anything but text is dropped (the answer is then said in its own words)."""
    kept = {}
    for name, text in said.items():
        if name in checked and isinstance(text, str):
            shown = printable(text).strip()[:MAX_SAID]
            if shown:
                kept[name] = shown
    return kept


def _recent(recent: Any, checked: Mapping[str, Any]) -> list[str]:
    """The order the answers kept were last given: the names of answers kept, once each; the
    answers' own order when the file holds no such list."""
    if not isinstance(recent, list):
        return list(checked)
    return list(dict.fromkeys(name for name in recent if isinstance(name, str) and name in checked))
