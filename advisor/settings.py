"""The person's preferences, kept between runs: one small JSON file in the config folder.

Today it holds the chat's theme and whether to explain as we go, ``{"theme": "nord",
"explain": true}``, in ``settings.json`` under :func:`advisor.locations.config_dir`.
People may edit it by hand, so it is read defensively: a missing, damaged, oversized or
oddly typed file counts as "no preference", never as an error. Writing keeps whatever else the file holds and
replaces it in one step; a damaged file is set aside (``settings.damaged.json``)
rather than overwritten, so a hand edit gone wrong is not lost.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from advisor.files import check_writable, read_bounded, remove_stale_temporaries, write_atomically
from advisor.locations import config_dir

__all__ = ["Settings", "VisitSettings"]

MAX_SETTINGS_BYTES = 16 * 1024


class Settings:
    """Read and change the preferences file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else config_dir() / "settings.json"
        self.error: str | None = None
        """The last write error, if writing failed."""

    def read(self) -> dict[str, Any]:
        """Everything the file holds; empty when it is missing or cannot be used."""
        data = self._read()
        return data if data is not None else {}

    def text(self, key: str) -> str | None:
        """The preference ``key`` when it is a non-empty string, else ``None``."""
        value = self.read().get(key)
        return value if isinstance(value, str) and value else None

    def flag(self, key: str) -> bool | None:
        """The preference ``key`` when it is ``true`` or ``false``, else ``None`` (not said yet)."""
        value = self.read().get(key)
        return value if isinstance(value, bool) else None

    def change(self, key: str, value: str | bool) -> bool:
        """Set ``key`` to ``value``; ``False`` (and :attr:`error`) when it could not be written."""
        data = self._read()
        if data is None:
            data = {}
            with contextlib.suppress(OSError):
                damaged = self.path.with_suffix(".damaged.json")
                if check_writable(self.path) is not None:  # a regular file, not what a link leads to
                    check_writable(damaged)  # never over a link, a FIFO or a folder
                    self.path.replace(damaged)
        if data.get(key) == value:
            return True
        data[key] = value
        try:
            write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", parents=True)
        except OSError as error:
            self.error = f"could not save your settings to {self.path}: {error.strerror or error}"
            return False
        finally:  # what a write killed half-way left (".settings.json.<pid>-<random>.tmp")
            remove_stale_temporaries(self.path.parent, f".{self.path.name}.*.tmp")
        self.error = None
        return True

    def _read(self) -> dict[str, Any] | None:
        """The file's object; ``{}`` when there is no file, ``None`` when it is damaged."""
        try:
            raw = read_bounded(self.path, MAX_SETTINGS_BYTES)
        except FileNotFoundError:
            return {}
        except OSError:
            return None
        try:
            if len(raw) > MAX_SETTINGS_BYTES:
                return None
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        return data if isinstance(data, dict) else None


class VisitSettings(Settings):
    """Preferences for one browser visit: kept in memory while the page is open, never written.
    Visitors share the server's folders, so one visitor's choice ("explain as we go", a theme)
    must not become another's; each visitor is offered the explanations afresh."""

    def __init__(self) -> None:
        super().__init__(Path("(this visit)"))
        self._kept: dict[str, Any] = {}

    def _read(self) -> dict[str, Any] | None:
        return dict(self._kept)

    def change(self, key: str, value: str | bool) -> bool:
        self._kept[key] = value
        return True
