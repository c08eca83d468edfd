"""What a typed line asks the chat to do, before it is read for answers: a command, a yes or no,
a what-if, or a correction.

Command words are the chat's own vocabulary (the knowledge base has the
vocabulary of answers, read by :mod:`advisor.understanding`). A correction
("actually …", "wait, …", "no, I meant …", "make that 10k") and a what-if
("what if …", "suppose …") are told by the words they start with; what they
change is read from the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from advisor.answers import asked
from advisor.kb.base import iter_leaves
from advisor.kb.models import Question
from advisor.text import Vocabulary, clean

__all__ = [
    "COMMANDS",
    "CONFIRMATIONS",
    "RESUME_OFFER",
    "command",
    "confirmation",
    "correction",
    "fuzzy_command",
    "making_asked",
    "plain_skip",
    "what_if",
]

COMMANDS: Vocabulary[str] = Vocabulary(
    (word, name)
    for name, words in {
        "help": ("help", "explain", "explain this", "what does this mean", "i dont understand", "huh", "h"),
        "back": ("back", "go back", "previous", "prev", "b"),
        "undo": ("undo", "undo that", "undo restart", "bring them back", "bring my answers back"),
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
        "skip": (
            "skip",
            "pass",
            "dont know",
            "dont know yet",
            "not sure",
            "no idea",
            "idk",
            "not decided",
            "not decided yet",
            "undecided",
            "not yet decided",
        ),
        "export": ("export", "save", "save report", "export report", "download"),
        "keep": ("keep", "keep it", "keep that", "use it", "use that", "apply", "yes keep it", "ok keep it"),
        "quit": ("quit", "exit", "bye", "goodbye", "good bye", "close", "stop", ":q"),
    }.items()
    for word in words
)
"""Command words, matched exactly (after :func:`~advisor.text.clean`): "Why?" is "why"."""

CONFIRMATIONS: Vocabulary[bool] = Vocabulary(
    (word, meaning)
    for meaning, words in {
        True: (
            "yes",
            "y",
            "yep",
            "yeah",
            "yup",
            "sure",
            "correct",
            "right",
            "thats right",
            "exactly",
            "ok",
            "okay",
            "confirm",
            "yes please",
            "that is right",
            "yes thats right",
            "use it",
            "keep it",
        ),
        False: ("no", "n", "nope", "nah", "wrong", "not right", "incorrect", "no thats wrong", "cancel"),
    }.items()
    for word in words
)
"""Answers to "is that right?"."""

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


def plain_skip(text: str) -> bool:
    """Whether a line says only "skip" ("skip", "pass", "-"), not why ("not sure", "no idea"):
    a skipped answer is left out; an unsure one is also marked as assumed."""
    return text.strip() == "-" or clean(text) in ("skip", "pass", "skip it", "skip this", "next")


def fuzzy_command(text: str) -> str | None:
    """A command typed with a typo ("skp", "restrat"): one word of three letters or more, close
    to one command word only. Tried only after the line did not read as an answer."""
    cleaned = clean(text)
    if " " in cleaned or len(cleaned) < 3:
        return None
    found = COMMANDS.closest(cleaned, cutoff=80, margin=8)
    return found.thing if found is not None else None


def confirmation(text: str) -> bool | None:
    """``True`` for a yes, ``False`` for a no, ``None`` for anything else."""
    return CONFIRMATIONS.exact(text.rstrip("!. "))


_CORRECTION = re.compile(
    r"^\s*(?P<lead>(?:(?:no|nope|oh|ah|um|uh|hmm+|ok|okay|oops|sorry|wait|hang on|hold on|my bad)"
    r"\b[\s,!.:;-]*)*)"
    r"(?P<marker>actually|i meant|i mean|meant|make that|make it|change|set|update|correction|"
    r"scratch that|rather|instead|let me correct that)?\b[\s,!.:;-]*",
    re.IGNORECASE,
)
_SORRY = re.compile(r"\b(?:oops|sorry|wait|hang on|hold on|my bad)\b", re.IGNORECASE)


def correction(text: str) -> tuple[bool, str]:
    """Whether a line corrects an earlier answer, and the rest of it: "wait no, the reviews
    are NOT labeled" -> (True, "the reviews are NOT labeled"). A leading "no" alone ("no
    labels") is an answer, not a correction."""
    found = _CORRECTION.match(text)
    if found is None or not (found["marker"] or _SORRY.search(found["lead"] or "")):
        return False, text
    rest = text[found.end() :].strip()
    return (True, rest) if rest else (False, text)


_WHAT_IF = re.compile(
    r"^\s*(?:what if|what about|how about|and if|and what if|suppose|supposing|imagine|say|if|"
    r"what would happen if|what happens if|how much would it cost if|what would it cost if|"
    r"how much would it cost with|what would it cost with|and with|with)\b[\s,:]*",
    re.IGNORECASE,
)


def what_if(text: str) -> str | None:
    """The rest of a what-if ("what if my budget were $50k" -> "my budget were $50k"), or ``None``."""
    found = _WHAT_IF.match(text)
    if found is None:
        return None
    return text[found.end() :].strip() or None


def making_asked(question: Question, values: Mapping[str, Any]) -> dict[str, Any]:
    """The smallest change of the answers a question's ``ask_when`` tests that makes it asked
    ("what if we had 20k labeled examples" for unlabeled data: the data becomes labeled)."""
    changed: dict[str, Any] = {}
    if asked(question, values):
        return changed
    for leaf in iter_leaves(question.ask_when):
        allowed = (leaf.equals,) if leaf.operator == "equals" else leaf.in_ or ()
        if leaf.operator in ("equals", "in") and values.get(leaf.field) not in allowed:
            changed[leaf.field] = allowed[0]
    return changed
