"""Fixtures for the chat: an app factory with its own state file and export folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.chat.store import SessionStore
from advisor.kb import KnowledgeBase
from advisor.tui.app import AdvisorApp, create_app


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colour and animation settings a CI machine may have differently."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def make_app(kb: KnowledgeBase, tmp_path: Path) -> Callable[..., AdvisorApp]:
    """A new app; apps made in one test share their state file (for resuming)."""

    def make(resume: bool = True) -> AdvisorApp:
        app = create_app(
            kb,
            store=SessionStore(tmp_path / "state"),
            export_dir=tmp_path,
            resume=resume,
        )
        app.animation_level = "none"
        return app

    return make
