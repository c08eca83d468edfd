"""Where files go: the platform's folders, or those named in the environment."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from advisor.locations import cache_dir, state_dir


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is taken on Linux only")
@pytest.mark.parametrize("xdg", [None, "", "   ", "/srv/cache"])
def test_the_linux_cache_folder_is_the_one_platformdirs_names(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    monkeypatch.delenv("ADVISOR_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_dir() == Path(platformdirs.user_cache_dir("advisor", appauthor=False))


def test_the_environment_names_other_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ADVISOR_STATE_DIR", str(tmp_path / "state"))
    assert cache_dir() == tmp_path / "cache"
    assert state_dir() == tmp_path / "state"
