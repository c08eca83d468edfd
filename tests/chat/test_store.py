"""The saved chats: two chats open at once, damaged files, files that cannot be written.

Two stores on one folder behave as two chats in two processes: each holds its own lock
(``flock`` locks of two open files conflict even within one process). Closing a store is what
the end of its process does; a store left open is a chat still running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from helpers import MEDICAL, MEDICAL_TASK, SHOES, SHOES_TASK, TICKETS, TICKETS_TASK

from advisor.chat.conversation import Conversation
from advisor.chat.modes import OfferingResume
from advisor.chat.replies import Asked, Reply, Said
from advisor.chat.store import KEPT, SessionStore
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase


def chat(kb: KnowledgeBase, engine: Engine, folder: Path, lines: Sequence[str] = ()) -> Conversation:
    conversation = Conversation(kb, engine, SessionStore(folder))
    conversation.start()
    for line in lines:
        conversation.handle(line)
    return conversation


def text_of(replies: list[Reply]) -> str:
    return " ".join(getattr(reply, "text", "") for reply in replies)


def saved_values(folder: Path) -> list[dict[str, object]]:
    return sorted(
        (json.loads(path.read_text(encoding="utf-8"))["values"] for path in folder.glob("session-*.json")),
        key=str,
    )


def test_two_chats_open_at_once_never_overwrite_each_other(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    first = chat(kb, engine, tmp_path, [TICKETS, "labelled"])
    second = Conversation(kb, engine, SessionStore(tmp_path))
    replies = second.start()
    # The first chat's answers are its own: not offered, and the second chat says why.
    assert not isinstance(second.mode, OfferingResume)
    assert "Another advisor chat is open" in text_of(replies)
    for line in [SHOES, "nobody tagged them"]:
        second.handle(line)
    first.handle("2k")
    assert saved_values(tmp_path) == sorted(
        [
            {**TICKETS_TASK, "labels": "labeled", "labeled_examples": 2000},
            {**SHOES_TASK, "labels": "unlabeled"},
        ],
        key=str,
    )
    # Both closed: the next chat offers the most recent, and the one after it the other.
    assert first.store is not None and second.store is not None
    first.store.close()
    second.handle("5k")  # the second chat is now the more recent one
    second.store.close()
    third = chat(kb, engine, tmp_path, ["resume"])
    assert third.given.values == {**SHOES_TASK, "labels": "unlabeled", "unlabeled_examples": 5000}
    fourth = chat(kb, engine, tmp_path, ["resume"])
    assert fourth.given.values == {**TICKETS_TASK, "labels": "labeled", "labeled_examples": 2000}


def test_declining_a_saved_chat_forgets_it_and_offers_none_twice(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    first = chat(kb, engine, tmp_path, [TICKETS])
    assert first.store is not None
    first.store.close()
    second = chat(kb, engine, tmp_path, ["start over"])
    assert second.given.values == {} and second.current is not None and second.current.id == "task"
    assert second.store is not None
    second.store.close()
    assert saved_values(tmp_path) == []
    third = chat(kb, engine, tmp_path)
    assert not isinstance(third.mode, OfferingResume)


def test_only_the_most_recent_saved_chats_are_kept(kb: KnowledgeBase, engine: Engine, tmp_path: Path) -> None:
    made = []
    for number in range(KEPT + 3):
        conversation = Conversation(kb, engine, SessionStore(tmp_path))
        conversation.start(resume=False)  # advisor --new
        conversation.handle(TICKETS)
        assert conversation.store is not None
        conversation.store.close()
        made.append(conversation.store.path.name)
        stamp = time.time() - 1000 + number  # in the order they were made, a second apart
        os.utime(conversation.store.path, (stamp, stamp))
    kept = sorted(path.name for path in tmp_path.glob("session-*.json"))
    assert kept == sorted(made[-KEPT:])
    assert sorted(path.name for path in tmp_path.glob("*.lock")) == sorted(f"{name}.lock" for name in kept)


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b'{"version": 7}'])
def test_a_second_damaged_file_never_replaces_the_first_set_aside(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, content: bytes
) -> None:
    # session.json is where an earlier version kept the one saved chat.
    damaged = tmp_path / "session.json"
    damaged.write_bytes(b"first " + content)
    chat(kb, engine, tmp_path)
    damaged.write_bytes(b"second " + content)
    replies = Conversation(kb, engine, SessionStore(tmp_path)).start()
    assert isinstance(replies[-1], Asked)  # a fresh start, not an error
    assert (tmp_path / "session.damaged.json").read_bytes() == b"first " + content
    assert (tmp_path / "session.damaged-2.json").read_bytes() == b"second " + content
    assert not damaged.exists()


def test_a_failure_to_save_is_said_at_once_and_in_the_status_line(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "state"
    folder.write_text("a file where the folder should be", encoding="utf-8")
    conversation = Conversation(kb, engine, SessionStore(folder))
    conversation.start()
    replies = conversation.handle(TICKETS)
    note = [reply for reply in replies if isinstance(reply, Said) and "could not save" in reply.text]
    assert note and str(folder) in note[0].text
    assert isinstance(replies[-1], Asked)  # and the chat goes on with the next question
    assert "Not saved: " in conversation.summary_line()
    # Said once, not after every answer; and said again when saving works again.
    assert "could not save" not in text_of(conversation.handle("labelled"))
    folder.unlink()
    assert "saved again" in text_of(conversation.handle("2k"))
    assert "Not saved" not in conversation.summary_line()
    assert saved_values(folder) == [{**TICKETS_TASK, "labels": "labeled", "labeled_examples": 2000}]


def test_no_temporary_file_is_left_when_the_answers_cannot_be_written(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    conversation = chat(kb, engine, tmp_path, [TICKETS])
    assert conversation.store is not None
    own = conversation.store.path
    own.unlink()
    own.mkdir()  # a folder where the chat's file was
    replies = conversation.handle("labelled")
    assert "could not save" in text_of(replies)
    conversation.handle("2k")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([own.name, own.name + ".lock"])


@pytest.mark.parametrize(
    "lines",
    [
        [
            "we have 3k x-rays",  # all the data, before saying how much of it is labeled
            "set gpu_hour_usd to 2.5",
            "our engineers cost $1,500 a week",
        ],
        ["set gpu_hour_usd to 2.5"],  # a cost, and no answer yet
    ],
)
def test_every_answer_given_survives_a_crash(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, lines: list[str]
) -> None:
    store = SessionStore(tmp_path)
    first = Conversation(kb, engine, store)
    first.start()
    for line in lines:
        first.handle(line)
    given = first.given
    before = (dict(given.values), dict(given.said), dict(given.assumptions), list(given.recent), given.total)
    assert first.given.assumptions["gpu_hour_usd"] == 2.5
    del first  # killed: nothing else is written
    second = Conversation(kb, engine, store)
    second.start()
    assert isinstance(second.mode, OfferingResume)
    second.handle("resume")
    again = second.given
    assert (again.values, again.said, again.assumptions, again.recent, again.total) == before
    if before[-1] is not None:
        second.handle("all labeled")  # the count is the data mentioned before the crash
        assert second.given.values["labeled_examples"] == 3000


def _ask(folder: Path, *args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "advisor", "ask", *args],
        stdin=subprocess.PIPE if stdin is None else stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ADVISOR_STATE_DIR": str(folder), "NO_COLOR": "1"},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_a_chat_killed_mid_way_is_resumed_and_one_still_open_is_left_alone(tmp_path: Path) -> None:
    first = _ask(tmp_path)
    assert first.stdin is not None
    first.stdin.write("\n".join(MEDICAL[:3]) + "\n")
    first.stdin.flush()
    deadline = time.monotonic() + 30
    while saved_values(tmp_path) != [{**MEDICAL_TASK, "labels": "labeled", "labeled_examples": 1000}]:
        assert time.monotonic() < deadline, "the first chat saved nothing"
        time.sleep(0.05)
    # A second chat while the first is open: it leaves the first's answers alone.
    second = _ask(tmp_path)
    out, _ = second.communicate("quit\n", timeout=60)
    assert "Another advisor chat is open" in out and "Welcome back" not in out
    # The first is killed outright: the next chat offers its answers, all of them.
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    third = _ask(tmp_path)
    out, err = third.communicate("resume\n", timeout=60)
    assert "Traceback" not in err
    answered = len(MEDICAL_TASK) + 2  # the task's words, the labels and their count
    assert f"Welcome back: you had answered {answered} questions" in out and "Another advisor" not in out
    # Medical data: where it may go is the next question.
    assert "may the data go to a cloud provider" in out.split("Here is where we were.")[1]
