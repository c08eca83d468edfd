"""Every task description of the practitioners' corpus, typed into the chat and written in an
answers file: read, or asked about, and never refused.

tests/test_task_reading.py checks the task reader itself; this checks what a person meets:
the chat records the words read (what the model produces, from what data, in which domain) and
asks about the one thing left open, and an answers file with the same words gives a report
whose warnings say what was read and what was assumed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_task_reading import KNOWN_MISSES

from advisor.answers import normalize
from advisor.chat.conversation import Conversation
from advisor.chat.modes import Confirming
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase

CORPUS = Path(__file__).with_name("corpus_project.yaml")
TASK_LINES: list[dict[str, Any]] = [
    entry
    for entry in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["lines"]
    if entry["at"] == "task"
    and entry["say"] not in KNOWN_MISSES
    and (
        {"output", "data", "domain"} & set(entry.get("read", {})) or "clarify" in entry or "unclear" in entry
    )
]
"""The lines that describe a task (not those that give a budget at the first question)."""
FIELDS = ("output", "data", "domain")


def test_the_corpus_holds_a_hundred_descriptions_from_ten_trades() -> None:
    assert len(TASK_LINES) >= 100
    assert len({entry.get("industry") for entry in TASK_LINES} - {None}) >= 10
    outputs = {entry.get("read", {}).get("output") for entry in TASK_LINES}
    data = {entry.get("read", {}).get("data") for entry in TASK_LINES}
    assert len(outputs - {None}) == 9 and len(data - {None}) >= 4


@pytest.mark.parametrize("entry", TASK_LINES, ids=lambda entry: entry["say"][:60])
def test_a_description_typed_in_the_chat_is_read_or_asked_about(
    kb: KnowledgeBase, engine: Engine, entry: dict[str, Any]
) -> None:
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    replies = chat.handle(entry["say"])
    shown = "\n".join(repr(reply)[:200] for reply in replies)
    if entry.get("unclear"):
        assert "task" not in chat.given.values, shown
        return
    # Recorded, or read back to confirm with the rest of the line: never refused.
    heard = chat.mode.reading.understanding.values if isinstance(chat.mode, Confirming) else chat.given.values
    assert "task" in heard, shown
    read = entry.get("read", {})
    for name in FIELDS:
        if name in read:
            assert heard.get(name) == read[name], (name, shown)
        elif name != "domain":
            assert name not in heard, (name, shown)
    clarify = entry.get("clarify")
    if clarify is not None and not isinstance(chat.mode, Confirming):
        # The one field left open is the next question, its likely choices first.
        assert chat.current is not None and chat.current.id == clarify["field"], shown
        assert tuple(clarify["choices"]) == chat.given.wanted[clarify["field"]], shown


@pytest.mark.parametrize("entry", TASK_LINES, ids=lambda entry: entry["say"][:60])
def test_a_description_in_an_answers_file_is_read_and_what_is_assumed_is_said(
    kb: KnowledgeBase, entry: dict[str, Any]
) -> None:
    if entry.get("unclear"):
        return  # "idk" is no description: a file with it is refused, naming the field
    raw = {"task": entry["say"], "labels": "labeled", "labeled_examples": 1000, "model_size": "small"}
    normalized = normalize({**raw, "budget_usd": 10000}, kb)  # never an error for the task's words
    values = normalized.answers.values
    assert values["task"] == " ".join(entry["say"].split())
    read = entry.get("read", {})
    for name in FIELDS:
        if name in read:
            assert values[name] == read[name], name
    clarify = entry.get("clarify")
    if clarify is not None and clarify["field"] != "domain":
        # Left open: the likeliest choice is taken, and the warnings say so and how to change it.
        assert values[clarify["field"]] == clarify["choices"][0]
        assert any(
            warning.startswith(f"{clarify['field']}: the task does not say")
            for warning in normalized.warnings
        )
