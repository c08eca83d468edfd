"""The preferences file: read defensively, written in one step, never fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.locations import config_dir
from advisor.settings import MAX_SETTINGS_BYTES, Settings


def test_the_config_folder_is_the_platforms_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ADVISOR_CONFIG_DIR", str(tmp_path))
    assert config_dir() == tmp_path
    assert Settings().path == tmp_path / "settings.json"
    monkeypatch.delenv("ADVISOR_CONFIG_DIR")
    import platformdirs

    assert config_dir() == Path(platformdirs.user_config_dir("advisor", appauthor=False))


def test_no_file_means_no_preference(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert settings.read() == {}
    assert settings.text("theme") is None


def test_a_change_is_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "settings.json"
    assert Settings(path).change("theme", "nord")
    assert Settings(path).text("theme") == "nord"
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary file left


def test_a_change_keeps_what_else_the_file_holds(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "nord", "later": [1, 2]}', encoding="utf-8")
    assert Settings(path).change("theme", "gruvbox")
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "gruvbox", "later": [1, 2]}


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'"nord"',
        b"\xff\xfe\x00junk",
        b'{"theme": 42}',
        b'{"theme": ""}',
        b'{"theme": ["nord"]}',
        b"[" * 100_000,
        b'{"theme": "nord", "pad": "' + b"x" * MAX_SETTINGS_BYTES + b'"}',
    ],
    ids=["broken", "a list", "a string", "binary", "a number", "empty", "a list value", "deep", "huge"],
)
def test_a_damaged_file_is_no_preference_never_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert Settings(path).text("theme") is None


def test_a_damaged_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{theme = nord", encoding="utf-8")
    assert Settings(path).change("theme", "nord")
    assert Settings(path).text("theme") == "nord"
    assert (tmp_path / "settings.damaged.json").read_text(encoding="utf-8") == "{theme = nord"


def test_a_folder_where_the_file_should_be_is_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()
    settings = Settings(path)
    assert settings.text("theme") is None
    assert not settings.change("theme", "nord")
    assert settings.error is not None and str(path) in settings.error
    assert path.is_dir()
