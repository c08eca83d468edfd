"""Where the advisor keeps its files: the platform's own folders, or the ones you name.

``platformdirs`` knows each platform's convention (``~/.config``, ``~/.local/state``
and ``~/.cache`` on Linux, ``~/Library/...`` on macOS, ``%LOCALAPPDATA%`` on
Windows). ``ADVISOR_CONFIG_DIR``, ``ADVISOR_STATE_DIR`` and ``ADVISOR_CACHE_DIR``
override them, for tests and for people who want the files elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "config_dir", "state_dir"]


def config_dir() -> Path:
    """The person's preferences (the chat's theme)."""
    override = os.environ.get("ADVISOR_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("advisor", appauthor=False))


def state_dir() -> Path:
    """The chat's saved conversations."""
    override = os.environ.get("ADVISOR_STATE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir("advisor", appauthor=False))


def cache_dir() -> Path:
    """Knowledge bases already parsed and checked: safe to delete at any time."""
    override = os.environ.get("ADVISOR_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("advisor", appauthor=False))
