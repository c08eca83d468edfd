"""Where the chat keeps its answers between runs: one JSON file, written atomically.

The file lives under the user's state directory (``$XDG_STATE_HOME/advisor``,
by default ``~/.local/state/advisor``; ``ADVISOR_STATE_DIR`` overrides it).
It is written after every answer, so a crashed or closed chat loses nothing,
and read back defensively: a damaged file is set aside, never fatal.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["SessionStore", "state_dir"]

MAX_STATE_BYTES = 64 * 1024


def state_dir() -> Path:
    """The folder for the chat's saved conversation."""
    override = os.environ.get("ADVISOR_STATE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "advisor"


class SessionStore:
    """Save and load one conversation's answers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else state_dir() / "session.json"
        self.error: str | None = None
        """The last save error, if saving failed (shown once by the chat)."""

    def load(self) -> dict[str, Any] | None:
        """The saved state, or ``None`` when there is none or it cannot be used."""
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_STATE_BYTES + 1)
        except OSError:
            return None
        try:
            if len(raw) > MAX_STATE_BYTES:
                raise ValueError("too large")
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("version") != 1:
                raise ValueError("not a saved conversation")
        except (ValueError, UnicodeDecodeError):
            self._set_aside()
            return None
        return data

    def save(self, state: dict[str, Any]) -> bool:
        """Write ``state`` atomically; ``False`` (and :attr:`error`) when it could not be written."""
        payload = json.dumps({"version": 1, **state}, ensure_ascii=False, indent=1)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".session-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(payload)
            Path(temporary).replace(self.path)
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
