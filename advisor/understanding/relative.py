"""Changes said relative to an answer: "10x the data", "half the budget", "a bigger model", "5k more".

A multiplier (:func:`advisor.numbers.multipliers_in`) or "N more" applies to
the number question its clause mentions (the budget's words, the count's
words or the labels' subject: "ten times more labeled data"); "bigger" and
"smaller" move an ordered choice (the model sizes, smallest first) one step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from advisor.bounds import LARGEST_ANSWER, NumberError
from advisor.conditions import holds
from advisor.formatting import format_value
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.models import Question
from advisor.numbers import multipliers_in, numbers_in
from advisor.reading import Reader
from advisor.records import dataclass
from advisor.text import clean, singular
from advisor.understanding.clauses import Clause

__all__ = ["Relative", "relative_changes"]

_UP = frozenset({"bigger", "larger", "more", "higher", "greater"})
_DOWN = frozenset({"smaller", "less", "fewer", "lower", "tinier"})
_MORE = re.compile(r"\s*(?:more|extra|additional)\b", re.IGNORECASE)
"""Matched where a number ends ("5k more"), not searched for."""


@dataclass(frozen=True, slots=True)
class Relative:
    """An answer changed relative to what it is."""

    field: str
    words: str
    factor: float | None = None
    """Multiply a number by this ("10x": 10, "half the": 0.5)."""
    add: float | None = None
    """Add this to a number ("5k more")."""
    step: int = 0
    """Move an ordered choice this many steps (+1: "a bigger model")."""

    def apply(self, question: Question, value: Any) -> Any:
        """The new value, from ``value``; ``None`` when it cannot be moved. Raises
        :class:`~advisor.bounds.NumberError` when the new number is past the number policy's
        largest answer (or is not finite)."""
        if self.step:
            order = [choice.value for choice in question.choices]
            if value not in order:
                return None
            index = min(max(order.index(value) + self.step, 0), len(order) - 1)
            return order[index]
        if not isinstance(value, int | float):
            return None
        changed = value * self.factor if self.factor is not None else value + (self.add or 0)
        if not 0 <= changed <= LARGEST_ANSWER:  # "1e300x the data": no count or budget is that large
            raise NumberError(
                f"{self.words} makes {format_value(changed, question.kind)}, more than I can believe for "
                f"{question.name} (at most {LARGEST_ANSWER:g})"
            )
        return round(changed) if question.kind == "count" else float(changed)


def _numeric_target(kb: KnowledgeBase, reader: Reader, clause: Clause) -> Question | None:
    """The number question a clause talks about: by its own words, or else by the subject of the
    question it depends on ("labeled data" is the labeled count: the count asked when the data
    is labeled, not the one asked when it is not)."""
    numeric = [q for q in kb.questions if q.kind in ("count", "money")]
    direct = [q for q in numeric if reader.mentions(q, clause.text)]
    if direct:
        return direct[0] if len(direct) == 1 else None
    found = []
    for question in numeric:
        for leaf in iter_leaves(question.ask_when):
            subject = kb.question.get(leaf.field)
            if subject is None or not any(clause.has(singular(clean(w))) for w in subject.subject):
                continue
            affirmed = next((c.value for c in subject.choices if c.stance == "affirmed"), None)
            if holds(question.ask_when, {leaf.field: affirmed}):
                found.append(question)
                break
    return found[0] if len(found) == 1 else None


def relative_changes(
    kb: KnowledgeBase, reader: Reader, clauses: tuple[Clause, ...], text: str, known: Mapping[str, Any]
) -> tuple[list[Relative], list[tuple[int, int]]]:
    """The relative changes in a line, and the spans of text they used (not to be read again
    as plain numbers: "ten times" is not 10 examples)."""
    changes: list[Relative] = []
    used: list[tuple[int, int]] = []
    ordered = [q for q in kb.questions if q.kind == "model_size"]
    for clause in clauses:
        target = _numeric_target(kb, reader, clause)
        for multiplier in multipliers_in(clause.text):
            if target is not None:  # "ten times more labeled data" with none labeled: said so later
                changes.append(Relative(target.id, multiplier.words, factor=multiplier.factor))
                used.append((clause.start + multiplier.start, clause.start + multiplier.end))
        for number in numbers_in(clause.text):
            more = _MORE.match(clause.text, number.end)
            if more and target is not None and target.id in known and not number.percent:
                changes.append(Relative(target.id, f"{number.words} more", add=number.value))
                used.append((clause.start + number.start, clause.start + number.end))
        words = set(clause.cleaned.split())
        for question in ordered:
            if question.id not in known or not reader.mentions(question, clause.text):
                continue
            step = 1 if words & _UP else -1 if words & _DOWN else 0
            if step and not numbers_in(clause.text):
                changes.append(Relative(question.id, clause.text.strip(), step=step))
    return changes, used
