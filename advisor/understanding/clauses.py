"""A line cut into clauses, and the part of it that asks something.

"5k labelled tickets, BERT, budget $3k" is three clauses; each answer is read
in its own clause, so that "none" in "50,000 reviews, none labeled" is said of
the labels and not of the reviews. "yes, but does a spreadsheet count?" is an
answer ("yes") and a question ("does a spreadsheet count?"): the question is
answered and never read as an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from advisor.text import clause_spans, clean, singular

__all__ = ["MOST_CLAUSES", "Clause", "Line", "split_line"]

_QUESTION_WORDS = re.compile(
    r"^(?:what|whats|which|why|how|who|whom|where|when|whats|explain|define|tell me|meaning of|"
    r"wat|wats|waht|wht|whts|y(?= (?:is|are|do|does|did|so|would|should|cant|dont|isnt)\b))\b"
)
"""Words that start a question, and their quick spellings ("wat does it mean", "y is it so
expensive": "y" alone is a yes)."""
_ASKING_VERBS = re.compile(
    r"^(?:is|are|was|were|do|does|did|can|could|should|would|will|shall|may|must|isnt|arent)\b"
)


@dataclass(frozen=True)
class Clause:
    """One clause of a line: where it is, and its words made comparable."""

    start: int
    end: int
    text: str

    @cached_property
    def cleaned(self) -> str:
        return clean(self.text)

    @cached_property
    def padded(self) -> str:
        """`` cleaned words `` with spaces around, for whole-word tests."""
        return f" {self.cleaned} "

    @cached_property
    def padded_singular(self) -> str:
        return f" {singular(self.cleaned)} "

    def has(self, phrase: str) -> bool:
        """Whether a cleaned phrase stands in the clause as whole words (plurals folded)."""
        return f" {phrase} " in self.padded or f" {singular(phrase)} " in self.padded_singular

    def word_before(self, phrase: str) -> str:
        """The word just before a phrase of the clause ("not" in "images, not text")."""
        for padded, wanted in ((self.padded, phrase), (self.padded_singular, singular(phrase))):
            at = padded.find(f" {wanted} ")
            if at >= 0:
                before = padded[:at].split()
                return before[-1] if before else ""
        return ""


@dataclass(frozen=True)
class Line:
    """A typed line: the clauses that may answer, and the part that asks, if any."""

    text: str
    clauses: tuple[Clause, ...]
    """The clauses before any question."""
    question: str | None
    """The words that ask something ("does a spreadsheet count?"), from its first clause on."""
    tentative: bool
    """The line ends in "?" without asking anything ("text?"): an answer to confirm."""

    @property
    def answer_text(self) -> str:
        return self.text[: self.clauses[-1].end] if self.clauses else ""


def _asks(clause: str, first: bool, ends_with_question_mark: bool) -> bool:
    words = clean(clause)
    words = re.sub(r"^(?:but|and|so|also|then|ok|okay|hm+|oh)\s+", "", words)
    if re.match(r"^what (?:if|about)\b", words) and not ends_with_question_mark:
        return False
    if _QUESTION_WORDS.match(words):
        return True
    verb = _ASKING_VERBS.match(words)
    if verb is None:
        return False
    # "do it in-house" tells; "do we need labels" and "does a spreadsheet count?" ask.
    after = words[verb.end() :].split()[:1]
    return ends_with_question_mark or (first and bool(after) and after[0] in _ASKED_ABOUT)


_ASKED_ABOUT = frozenset(
    ("i", "we", "you", "they", "he", "she", "there", "this", "that", "these", "those", "my", "our", "your")
)


MOST_CLAUSES = 300
"""The most clauses of a line that are read: a paragraph of answers has a few dozen; the rest of
a longer text (a pasted list) is left unread, and the reading says so."""


def split_line(text: str, *, telling: bool = False) -> Line:
    """The clauses of ``text`` (its first :data:`MOST_CLAUSES`), and where a question starts, if
    one does. ``telling``: the line answers a question that takes a description, so only a line
    ending in "?" asks ("e-discovery, which emails are privileged" describes a task)."""
    stripped = text.rstrip()
    if telling and not stripped.endswith("?"):
        spans = clause_spans(text)[:MOST_CLAUSES]
        return Line(text, tuple(Clause(start, end, text[start:end]) for start, end in spans), None, False)
    ends_with_question_mark = stripped.endswith("?")
    spans = clause_spans(text)[:MOST_CLAUSES]
    clauses = [Clause(start, end, text[start:end]) for start, end in spans]
    for index, clause in enumerate(clauses):
        if _asks(clause.text, index == 0, ends_with_question_mark):
            return Line(text, tuple(clauses[:index]), text[clause.start :].strip(), False)
    return Line(text, tuple(clauses), None, ends_with_question_mark)
