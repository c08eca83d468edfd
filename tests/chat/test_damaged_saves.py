"""Saved chats damaged in every shape JSON allows: each part of a saved chat replaced by values
of the wrong kind, one at a time. The chat starts, offers what is still usable (or nothing),
resumes it and goes on; a file that cannot be used is set aside, never fatal, and nothing a
terminal would obey is shown again from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.chat.conversation import Conversation
from advisor.chat.modes import OfferingResume
from advisor.chat.replies import Asked, Reply
from advisor.chat.store import SessionStore, restore
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.reading import Reader

GOOD: dict[str, Any] = {
    "version": 1,
    "knowledge_version": "x",
    "values": {"task": "text", "labels": "labeled"},
    "said": {"task": "text", "labels": "labelled"},
    "assumptions": {},
    "recent": ["task", "labels"],
    "total": None,
    "current": "labeled_examples",
}

HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**30,
    "",
    "x",
    "\x1b]0;pwned\x07\x1b[31m",
    [],
    [1],
    [[1]],
    [None],
    [{}],
    ["task", ["task"]],
    {},
    {"task": [1]},
    {"task": {"a": 1}},
    {"1": None},
    {"labels": 1e308},
    json.loads("[" * 30 + "]" * 30),  # deep
]


def text_of(replies: list[Reply]) -> str:
    return " ".join(getattr(reply, "text", "") for reply in replies)


def cases() -> list[tuple[str, Any]]:
    return [(part, value) for part in GOOD for value in HOSTILE]


@pytest.mark.parametrize(("part", "value"), cases(), ids=lambda v: repr(v)[:30])
def test_restore_never_fails_on_any_part_of_any_shape(
    kb: KnowledgeBase, reader: Reader, part: str, value: Any
) -> None:
    restored = restore({**GOOD, part: value}, kb, reader)
    if restored is not None:
        assert all(isinstance(name, str) for name in restored["recent"])
        assert all(isinstance(text, str) and "\x1b" not in text for text in restored["said"].values())
        assert set(restored["said"]) <= set(restored["values"])
        assert set(restored["recent"]) <= set(restored["values"])


@pytest.mark.parametrize(("part", "value"), cases(), ids=lambda v: repr(v)[:30])
def test_a_damaged_saved_chat_starts_resumes_and_goes_on(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, part: str, value: Any
) -> None:
    (tmp_path / "session-20260101-000000-abcdef.json").write_text(
        json.dumps({**GOOD, part: value}), encoding="utf-8"
    )
    chat = Conversation(kb, engine, SessionStore(tmp_path))
    replies = chat.start()
    if isinstance(chat.mode, OfferingResume):
        replies = chat.handle("resume")
    assert isinstance(replies[-1], Asked)
    for line in ("1k", "back", "make that 2k", "why?", "restart", "undo"):
        shown = text_of(chat.handle(line))
        assert "\x1b" not in shown


def test_recent_as_a_list_of_lists_is_ignored_not_a_type_error(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "session-20260101-000000-abcdef.json").write_text(
        json.dumps({**GOOD, "recent": [[1]]}), encoding="utf-8"
    )
    chat = Conversation(kb, engine, SessionStore(tmp_path))
    chat.start()
    assert isinstance(chat.mode, OfferingResume)
    assert "Here is where we were." in text_of(chat.handle("resume"))
    assert chat.given.values == GOOD["values"] and chat.given.recent == []


def test_a_saved_chat_that_fails_its_checks_is_set_aside(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.chat.saving

    def broken(*args: object) -> None:
        raise TypeError("a shape no check foresaw")

    monkeypatch.setattr(advisor.chat.saving, "restore", broken)
    saved = tmp_path / "session-20260101-000000-abcdef.json"
    saved.write_text(json.dumps(GOOD), encoding="utf-8")
    chat = Conversation(kb, engine, SessionStore(tmp_path))
    replies = chat.start()
    assert isinstance(replies[-1], Asked) and not isinstance(chat.mode, OfferingResume)
    assert not saved.exists()
    assert json.loads((tmp_path / "session-20260101-000000-abcdef.damaged.json").read_text()) == GOOD
    chat.handle("text")  # and the chat saves to a file of its own from now on
    assert chat.store is not None and chat.store.path != saved and chat.store.path.exists()


def test_a_temporary_file_left_by_a_kill_is_removed(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    import os
    import time

    from advisor.files import STALE_TEMPORARY_SECONDS

    left = tmp_path / ".session-20260101-000000-abcdef.json.1234-abcdef.tmp"
    left.write_bytes(b"")  # killed between creating the file and writing it
    old = time.time() - STALE_TEMPORARY_SECONDS - 1
    os.utime(left, (old, old))
    chat = Conversation(kb, engine, SessionStore(tmp_path))
    chat.start()
    chat.handle("text")
    assert not left.exists()
