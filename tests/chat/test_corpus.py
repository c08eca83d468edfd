"""Every line of the newcomers' corpus (corpus.yaml), driven through a Conversation.

Each entry sets the chat at a question with earlier answers given, types one
line, and checks what the chat made of it: what it recorded, proposed to
confirm, answered as a question, refused, or could not read. The personas'
whole conversations end with the answers the corpus says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.chat.conversation import Conversation
from advisor.chat.modes import Confirming, TryingWhatIf
from advisor.chat.replies import Compared, Confirm, Explained, Reply, Said, Traced, Unclear
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase

CORPUS = yaml.safe_load((Path(__file__).with_name("corpus.yaml")).read_text(encoding="utf-8"))
LINES: list[dict[str, Any]] = CORPUS["lines"]
CONVERSATIONS: list[dict[str, Any]] = CORPUS["conversations"]

CASE = {
    "task": "classify support tickets",
    "output": "category",
    "data": "text",
    "labels": "labeled",
    "labeled_examples": 1000,
    "model_size": "small",
    "budget_usd": 10000,
    "unlabeled_examples": None,
    "team": None,
    "team_size": 1,
    "hardware": None,
}
"""The answers given before a line, unless the entry says otherwise."""

OUTCOMES = ("read", "confirm", "asks", "refused", "unclear", "assume", "what_if")


def test_the_corpus_is_large_and_covers_every_question(kb: KnowledgeBase) -> None:
    assert len(LINES) >= 200
    places = {entry["at"] for entry in LINES}
    # Every question the chat asks, and after the recommendation (where the method is said).
    assert {q.id for q in kb.questions if q.guided} | {"done"} <= places
    for entry in LINES:
        assert any(key in entry for key in OUTCOMES), entry
        assert set(entry) <= {"say", "at", "given", *OUTCOMES, "also_asks"}, entry


def at_question(kb: KnowledgeBase, engine: Engine, at: str, given: dict[str, Any]) -> Conversation:
    """A conversation whose questions before ``at`` are answered (all of them for ``done``)."""
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    answers = {**CASE, **given}
    if "data" in given and "task" not in given:
        answers["task"] = f"classify {given['data']}"  # a task that says that kind of data
    for _ in range(len(kb.questions) + 1):
        question = chat.current
        if question is None or question.id == at:
            break
        value = answers[question.id]
        chat.act("choose", value) if question.choices else chat.handle(str(value))
    assert (chat.current.id if chat.current else "done") == at, chat.given.values
    return chat


def _id(entry: dict[str, Any]) -> str:
    return f"{entry['at']}: {entry['say']}"


@pytest.mark.parametrize("entry", LINES, ids=_id)
def test_a_newcomers_line_is_read_as_the_corpus_says(
    kb: KnowledgeBase, engine: Engine, entry: dict[str, Any]
) -> None:
    chat = at_question(kb, engine, entry["at"], entry.get("given", {}))
    before = dict(chat.given.values)
    assumptions_before = dict(chat.given.assumptions)
    replies = chat.handle(entry["say"])
    changed = {f: v for f, v in chat.given.values.items() if before.get(f, "missing") != v}
    # A line of three answers or more skips the optional questions left: skipped, not read.
    if any(isinstance(reply, Said) and reply.text.startswith("That is enough for a") for reply in replies):
        changed = {
            f: v for f, v in changed.items() if not (v is None and chat.given.said.get(f) == "skipped")
        }
    shown = "\n".join(repr(reply)[:300] for reply in replies)
    changed = _told(changed, entry.get("read", {}))
    if "read" in entry:
        assert not isinstance(chat.mode, Confirming), shown
        assert changed == entry["read"], shown
        for field in set(before) - set(chat.given.values):  # only questions that no longer apply are dropped
            assert field not in [q.id for q in chat.given.questions], shown
    else:
        assert changed == {}, shown
    if "confirm" in entry:
        assert isinstance(chat.mode, Confirming), shown
        assert _told(chat.mode.reading.understanding.values, entry["confirm"]) == entry["confirm"], shown
        assert any(isinstance(reply, Confirm) for reply in replies), shown
    if entry.get("asks") or entry.get("also_asks"):
        assert isinstance(replies[0], Explained | Traced), shown
    if entry.get("refused"):
        assert isinstance(replies[0], Unclear) and "US dollars" in replies[0].text, shown
    if entry.get("unclear"):
        assert not isinstance(chat.mode, Confirming) and any(
            isinstance(reply, Unclear) for reply in replies
        ), shown
    assert dict(chat.given.assumptions) == {**assumptions_before, **entry.get("assume", {})}, shown
    for reply in replies:  # a question ends the sentence it asks: no "what is it for?."
        assert "?." not in getattr(reply, "text", ""), shown
    if "what_if" in entry:
        assert isinstance(chat.mode, TryingWhatIf) and chat.mode.answers == entry["what_if"], shown
        assert any(isinstance(reply, Compared) and not reply.kept for reply in replies), shown
    else:
        assert not isinstance(chat.mode, TryingWhatIf), shown


PROJECT = ("task", "output", "domain", "data_location")
"""What this corpus does not spell out: the task in the person's words, and what else it says
(tests/chat/corpus_project.yaml reads those). The kind of data it says is `data`."""


def _told(values: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """``values`` without the fields of :data:`PROJECT` the corpus entry does not name."""
    if isinstance(values.get("task"), str):
        assert values["task"].strip(), values  # the task is kept as typed, never emptied
    return {f: v for f, v in values.items() if f not in PROJECT or f in expected}


def _replies_text(replies: list[Reply]) -> str:
    return " | ".join(repr(reply)[:200] for reply in replies)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c["persona"])
def test_a_persona_reaches_the_recommendation_with_what_they_said(
    kb: KnowledgeBase, engine: Engine, conversation: dict[str, Any]
) -> None:
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    for line in conversation["lines"]:
        replies = chat.handle(line)
    assert chat.done, _replies_text(replies)
    assert _told(dict(chat.given.values), conversation["answers"]) == conversation["answers"]
