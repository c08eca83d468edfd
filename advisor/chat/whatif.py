"""A what-if in answers: "what if my budget were $50k", "ten times the data", "what about a bigger model".

:func:`changes_of` turns what a line said into the answers it would change, with those a
change makes necessary (labeled data for a labeled count, a count for data now labeled), or
says why it changes nothing. It changes nothing itself: the conversation shows the what-if
and keeps its answers only if the person says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from advisor.answers import asked
from advisor.bounds import NumberError
from advisor.chat import intents
from advisor.chat.given import Given
from advisor.chat.replies import Compared, Unclear
from advisor.chat.wording import answer_words, change_words, what_moved
from advisor.errors import AnswersError

if TYPE_CHECKING:
    from advisor.decision.engine import Engine
    from advisor.report import Report
    from advisor.understanding import Understanding

__all__ = ["changes_of", "compare"]


def changes_of(given: Given, understanding: Understanding) -> dict[str, Any] | Unclear:
    """The answers a what-if changes, or why it changes none."""
    kb = given.kb
    changes = {h.field: h.value for h in understanding.heard if given.values.get(h.field) != h.value}
    for relative in understanding.relative:
        question = kb.question[relative.field]
        before = given.values.get(relative.field)
        try:
            after = relative.apply(question, before)
        except NumberError as error:  # "1e300x the data"
            return Unclear(f"{error.message}. Say a smaller change, or an amount.", ())
        if after is None or after == before:
            # "ten times more labeled data" with none: nothing to multiply, and nothing else
            # of the line is meant on its own ("labeled" was said of the data to multiply).
            have = answer_words(question, before) if before else f"no {question.name}"
            example = question.examples[-1] if question.examples else "more"
            return Unclear(
                f"You have {have}, so {relative.words} changes nothing. Say an amount "
                f"instead, for example: what if we had {example} {question.name}?",
                (),
            )
        changes[relative.field] = after
    for field in list(changes):
        for other, value in intents.making_asked(kb.question[field], {**given.values, **changes}).items():
            changes.setdefault(other, value)
    for question in kb.questions:
        values = {**given.values, **changes}
        if question.id not in values and asked(question, values) and not question.optional:
            counted = given.total is not None and question.kind == "count"
            changes[question.id] = given.total if counted else question.default
    if not changes:
        hint = f" ({understanding.problems[0]})" if understanding.problems else ""
        return Unclear(
            f"I couldn't tell which answer to change{hint}. Try: what if my budget were $50k, "
            "what if we had 10x the data, what about a bigger model.",
            ("what if my budget were $50k", "what if we had 20k labeled examples"),
        )
    return changes


def compare(report: Report, engine: Engine, given: Given, changes: Mapping[str, Any]) -> Compared | Unclear:
    """The recommendation with ``changes`` made to the answers, against ``report``; or why it
    cannot be made."""
    from advisor.report import build_report

    values = engine.space.visible({**given.values, **changes})
    try:
        after = build_report(given.kb, engine, given.normalized(values))
    except AnswersError as error:
        return Unclear(f"I can't compare that: {error.problems[0].message}.", ())
    notes = tuple(change_words(given.kb.question[f], given.values.get(f), v) for f, v in changes.items())
    return what_moved(report, after, kept=False, changes=notes)
