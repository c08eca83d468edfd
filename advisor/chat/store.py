"""Where the chat keeps its answers between runs: one JSON file, written atomically.

The file lives in the platform's state folder (:func:`advisor.locations.state_dir`).
It is written after every answer, so a crashed or closed chat loses nothing,
and read back defensively: a damaged file is set aside, never fatal, and the
answers it holds are checked again (:func:`restore`) before they are used.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from advisor.files import read_bounded, write_atomically
from advisor.kb.base import KnowledgeBase
from advisor.locations import state_dir
from advisor.reading import Reader, Unreadable

__all__ = ["SessionStore", "restore"]

MAX_STATE_BYTES = 64 * 1024


class SessionStore:
    """Save and load one conversation's answers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else state_dir() / "session.json"
        self.error: str | None = None
        """The last save error, if saving failed (shown by the chat)."""

    def load(self) -> dict[str, Any] | None:
        """The saved state, or ``None`` when there is none or it cannot be used."""
        try:
            raw = read_bounded(self.path, MAX_STATE_BYTES)
        except OSError:
            return None
        try:
            if len(raw) > MAX_STATE_BYTES:
                raise ValueError("too large")
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != 1:
                raise ValueError("not a saved conversation")
        except (ValueError, UnicodeDecodeError, RecursionError):
            self._set_aside()
            return None
        return data

    def save(self, state: dict[str, Any]) -> bool:
        """Write ``state``; ``False`` (and :attr:`error`) when it could not be written."""
        payload = json.dumps({"version": 1, **state}, ensure_ascii=False, indent=1)
        try:
            write_atomically(self.path, payload)
        except OSError as error:
            self.error = f"could not save your answers to {self.path}: {error.strerror or error}"
            return False
        self.error = None
        return True

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _set_aside(self) -> None:
        with contextlib.suppress(OSError):
            self.path.replace(self.path.with_suffix(".damaged.json"))


def restore(saved: Mapping[str, Any], kb: KnowledgeBase, reader: Reader) -> dict[str, Any] | None:
    """Saved answers checked again against the knowledge base (it may have changed since, or the
    file been edited): only canonical values are kept; ``None`` if nothing usable was saved."""
    values = saved.get("values")
    said = saved.get("said")
    if not isinstance(values, dict) or not values or not isinstance(said, dict):
        return None
    checked: dict[str, Any] = {}
    for question in kb.questions:
        if question.id not in values:
            continue
        value = values[question.id]
        if value is None and question.optional:
            checked[question.id] = None
            continue
        try:
            checked[question.id] = reader.read(question, value, strict=True).value
        except Unreadable:
            continue
    if not checked:
        return None
    assumptions: dict[str, float] = {}
    saved_assumptions = saved.get("assumptions")
    if isinstance(saved_assumptions, dict):
        for key, value in saved_assumptions.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if key in kb.assumption and number and value >= 0:
                assumptions[key] = float(value)
    return {
        "values": checked,
        "said": {k: str(v)[:200] for k, v in said.items() if k in checked},
        "assumptions": assumptions,
    }
