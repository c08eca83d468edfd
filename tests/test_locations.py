"""Where files go: the platform's folders, or those named in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.locations import cache_dir, state_dir


def test_the_environment_names_other_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ADVISOR_STATE_DIR", str(tmp_path / "state"))
    assert cache_dir() == tmp_path / "cache"
    assert state_dir() == tmp_path / "state"
