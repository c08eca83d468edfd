"""What a typed line asks the chat to do: a command, a what-if, a change, or an answer.

Command words are the chat's own vocabulary (the knowledge base has the
vocabulary of answers). Which answers a sentence such as "what if my budget
were $50k" talks about comes from the knowledge base too: each question's
``mentions`` words, then its reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.answers import asked
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.models import Question
from advisor.reading import Reader, Unreadable, numbers_in
from advisor.text import Vocabulary, clean

__all__ = ["COMMANDS", "RESUME_OFFER", "Changes", "command", "is_change", "is_what_if", "read_changes"]

COMMANDS: Vocabulary[str] = Vocabulary(
    (word, name)
    for name, words in {
        "help": ("help", "explain", "explain this", "what does this mean", "i dont understand", "huh", "h"),
        "back": ("back", "go back", "undo", "previous", "prev", "b"),
        "restart": ("restart", "start over", "reset", "start again", "new", "begin again"),
        "why": (
            "why",
            "why this",
            "why that",
            "explain the recommendation",
            "how did you decide",
            "show the trace",
            "trace",
            "reasons",
        ),
        "skip": ("skip", "pass", "dont know", "not sure", "no idea", "idk"),
        "export": ("export", "save", "save report", "export report", "download"),
        "keep": ("keep", "keep it", "keep that", "use it", "use that", "apply", "yes keep it", "ok keep it"),
    }.items()
    for word in words
)
"""Command words, matched exactly (after :func:`~advisor.text.clean`): "Why?" is "why"."""

RESUME_OFFER: Vocabulary[str] = Vocabulary(
    (word, name)
    for name, words in {
        "resume": ("resume", "continue", "yes", "y", "yeah", "sure", "ok", "carry on", "pick up", "go on"),
        "restart": (
            "start over",
            "restart",
            "reset",
            "start again",
            "begin again",
            "new",
            "new chat",
            "no",
            "n",
            "nope",
            "fresh",
            "start fresh",
        ),
    }.items()
    for word in words
)
"""Answers to "resume where you left off?", typos allowed ("resum", "strat over")."""


_SIGNS = {"?": "help", "-": "skip"}


def command(text: str) -> str | None:
    """The command a line is, if it is exactly one ("Help", "why?", "start over", "?")."""
    return _SIGNS.get(text.strip()) or COMMANDS.exact(text)


_WHAT_IF = re.compile(r"^\s*(what if|what about|and if|suppose|if)\b", re.IGNORECASE)
_CHANGE = re.compile(r"^\s*(change|set|actually|make|update|correction|oops)\b", re.IGNORECASE)
_LEAD = re.compile(
    r"^\s*(what if|what about|and if|suppose|if|change|set|actually|make|update|correction|oops)\b[\s,:]*",
    re.IGNORECASE,
)


def is_what_if(text: str) -> bool:
    return bool(_WHAT_IF.match(text))


def is_change(text: str) -> bool:
    return bool(_CHANGE.match(text))


@dataclass(frozen=True, slots=True)
class Changes:
    """The answers a sentence changes, in words, and what could not be read."""

    values: dict[str, Any]
    notes: tuple[str, ...]
    problems: tuple[Unreadable, ...]


def read_changes(
    text: str, kb: KnowledgeBase, reader: Reader, current: Mapping[str, Any], shown: Any
) -> Changes:
    """Which answers a sentence such as "what if my budget were $50k" changes, and to what.

    ``current`` are the answers so far; ``shown(question, value)`` says a value in words.
    """
    mentioned = [question for question in kb.questions if _talks_about(question, text, reader)]
    # A count needs a number; a count that is given implies the choice its question depends on
    # ("20k labeled examples" is about the count, not the labels); and a number with a money
    # mark is the budget, not a model size.
    has_number = bool(numbers_in(text))
    mentioned = [q for q in mentioned if q.kind != "count" or has_number]
    implied = {leaf.field for q in mentioned if q.kind == "count" for leaf in iter_leaves(q.ask_when)}
    if any(q.kind == "money" for q in mentioned):
        mentioned = [q for q in mentioned if q.kind != "model_size"]
    mentioned = [q for q in mentioned if q.id not in implied]
    body = _LEAD.sub("", text)
    values: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[Unreadable] = []
    for question in mentioned:
        try:
            reading = reader.read(question, body)
        except Unreadable as error:
            problems.append(error)
            continue
        values[question.id] = reading.value
        notes.append(f"{question.name}: {shown(question, reading.value)}")
    for question in mentioned:
        if question.id in values and not asked(question, {**current, **values}):
            for field, value in _making_asked(question, {**current, **values}).items():
                values[field] = value
                notes.append(f"{kb.question[field].name}: {shown(kb.question[field], value)}")
    return Changes(values, tuple(notes), tuple(problems))


def _talks_about(question: Question, text: str, reader: Reader) -> bool:
    if reader.mentions(question, text):
        return True
    # "what if we used 7B": a parameter count is about the model size, mentioned or not.
    return question.kind == "model_size" and bool(re.search(r"\d\s*[bm]\b", clean(text)))


def _making_asked(question: Question, values: Mapping[str, Any]) -> dict[str, Any]:
    """The smallest change of the answers a question's ``ask_when`` tests that makes it asked:
    each ``equals`` or ``in`` test that fails gets its first value."""
    changed: dict[str, Any] = {}
    for leaf in iter_leaves(question.ask_when):
        allowed = (leaf.equals,) if leaf.operator == "equals" else leaf.in_ or ()
        if leaf.operator in ("equals", "in") and values.get(leaf.field) not in allowed:
            changed[leaf.field] = allowed[0]
    return changed
