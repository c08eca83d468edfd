"""Conditions over answers: compiled once into closures, described in plain words.

A compiled condition takes the answer values and returns ``None`` when it
holds, or a :data:`Failure` (which test failed, and the value it saw) when it
does not. Returning the failure instead of a boolean costs nothing and gives
the trace its "first condition that failed" for free.

A threshold is a name (``enough_labels_for_supervised``): :class:`Terms`
gives its number when the condition is compiled, so a person's override of
it is a different compilation, never a different reading of the same one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from advisor.formatting import format_value
from advisor.kb.models import AllOf, AnyOf, Condition, Leaf, Not, Question
from advisor.records import dataclass

__all__ = [
    "Check",
    "Failure",
    "Terms",
    "Test",
    "compile_condition",
    "describe_condition",
    "holds",
    "plain_value",
]


@dataclass(frozen=True, slots=True)
class Terms:
    """What a condition's words mean: how to show each field, and the numbers behind names."""

    kinds: Mapping[str, str] = field(default_factory=dict)
    """Field -> question kind, so values are shown as money or counts."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Field -> its name for people (``budget`` for ``budget_usd``)."""
    numbers: Mapping[str, float] = field(default_factory=dict)
    """A threshold's name -> its number."""
    questions: Mapping[str, Question] | None = None
    """Field -> its question, when a condition is to be said in the person's terms ("none of
    your data is labeled") rather than the trace's (``labels is unlabeled``)."""

    def number(self, operand: float | str) -> float:
        return self.numbers[operand] if isinstance(operand, str) else float(operand)


@dataclass(frozen=True, slots=True)
class Test:
    """A condition (leaf or compound) as the trace shows it."""

    field: str
    """The answer field it looks at (the first one, for compound conditions)."""
    operator: str
    """equals, in, below, at_least, any, not."""
    expected: Any
    """What the field was tested against (a threshold's number)."""
    text: str
    """The condition in words: ``budget is at least $48,000``."""
    threshold: str | None = None
    """The name of the threshold, when the test compares with one."""


Failure = tuple[Test, Any]
"""The failed test and the value it saw."""

Check = Callable[[Mapping[str, Any]], Failure | None]

_VERBS = {"equals": "is", "in": "is one of", "below": "is below", "at_least": "is at least"}


def plain_value(question: Question, value: Any) -> str:
    """An answer as "you said …" ends: "some of your data is labeled", "1,000 labeled examples"."""
    if value is None:
        return f"no {question.name} given"
    choice = next((c for c in question.choices if c.value == value), None)
    if choice is not None:
        return choice.statement or f"{question.name}: {choice.label}"
    if question.kind == "count":
        return f"{format_value(value, 'count')} {question.name}"
    return format_value(value, question.kind)


_OPPOSITE = {"below": "at_least", "at_least": "below"}
"""A comparison said the other way round: "not below 1,000" is "at least 1,000"."""


def _plain_leaf(leaf: Leaf, question: Question, terms: Terms, negated: bool = False) -> str:
    """A test of one answer in the person's terms: "your data is labeled", "your budget is under
    $5,000"; ``negated``: its opposite, in words ("you have at least 1,000 unlabeled examples")."""
    if leaf.operator in ("equals", "in"):
        values: tuple[Any, ...] = (leaf.equals,) if leaf.operator == "equals" else tuple(leaf.in_ or ())
        if negated:  # the other choices ("none of your data is labeled or you have no data yet")
            others: list[Any] = [c.value for c in question.choices if c.value not in values]
            if question.optional and None not in values:
                others.append(None)
            values = tuple(others)
        return " or ".join(plain_value(question, value) for value in values)
    operator = _OPPOSITE[leaf.operator] if negated else leaf.operator
    amount = format_value(terms.number(leaf.operand), question.kind)
    if question.kind == "count":
        comparison = "fewer than" if operator == "below" else "at least"
        return f"you have {comparison} {amount} {question.name}"
    comparison = "under" if operator == "below" else "at least"
    return f"your {question.name} is {comparison} {amount}"


def _plain(
    condition: Condition, questions: Mapping[str, Question], terms: Terms, negated: bool = False
) -> str:
    """A condition in the person's terms; ``negated``: its opposite, said in words (never
    "not (...)"): each test turned round, "and" and "or" swapped."""
    if isinstance(condition, Leaf):
        question = questions.get(condition.field)
        if question is None:
            return _technical(condition, terms, negated)
        return _plain_leaf(condition, question, terms, negated)
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        joined = " and " if isinstance(condition, AllOf) != negated else " or "
        return joined.join(_plain(part, questions, terms, negated) for part in parts)
    return _plain(condition.not_, questions, terms, not negated)


def describe_condition(condition: Condition, terms: Terms | None = None) -> str:
    """The condition in words, for traces and messages: ``budget is below $5,000``, or in the
    person's terms when ``terms`` has the questions ("your budget is under $5,000")."""
    terms = terms or Terms()
    if terms.questions is not None:
        return _plain(condition, terms.questions, terms)
    return _technical(condition, terms)


_NEGATED_VERBS = {"equals": "is not", "in": "is none of", "below": "is at least", "at_least": "is below"}


def _technical(condition: Condition, terms: Terms, negated: bool = False) -> str:
    """A condition in the trace's terms; ``negated``: its opposite ("budget is at least $5,000",
    "labels is not labeled"), "and" and "or" swapped."""
    if isinstance(condition, Leaf):
        kind = terms.kinds.get(condition.field)
        name = terms.names.get(condition.field, condition.field)
        operand = condition.operand
        if (
            condition.operator in ("below", "at_least")
            and isinstance(operand, str)
            and operand in terms.numbers
        ):
            operand = terms.numbers[operand]
        verb = (_NEGATED_VERBS if negated else _VERBS)[condition.operator]
        return f"{name} {verb} {format_value(operand, kind)}"
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        joined = " and " if isinstance(condition, AllOf) != negated else " or "
        return joined.join(_grouped(part, terms, negated) for part in parts)
    assert isinstance(condition, Not)
    return _technical(condition.not_, terms, not negated)


def _grouped(condition: Condition, terms: Terms, negated: bool = False) -> str:
    text = _technical(condition, terms, negated)
    compound = isinstance(condition, AllOf | AnyOf) or (
        isinstance(condition, Not) and isinstance(condition.not_, AllOf | AnyOf)
    )
    return f"({text})" if compound else text


def _first_field(condition: Condition) -> str:
    if isinstance(condition, Leaf):
        return condition.field
    if isinstance(condition, AllOf):
        return _first_field(condition.all[0])
    if isinstance(condition, AnyOf):
        return _first_field(condition.any[0])
    assert isinstance(condition, Not)
    return _first_field(condition.not_)


def compile_condition(condition: Condition, terms: Terms | None = None) -> Check:
    """A closure that tests ``condition`` against answer values; its failures say the test in
    the person's terms when ``terms`` has the questions."""
    terms = terms or Terms()
    if isinstance(condition, Leaf):
        return _compile_leaf(condition, terms)
    if isinstance(condition, AllOf):
        parts = tuple(compile_condition(part, terms) for part in condition.all)

        def check_all(values: Mapping[str, Any]) -> Failure | None:
            for part in parts:
                failure = part(values)
                if failure is not None:
                    return failure
            return None

        return check_all
    field = _first_field(condition)
    test = Test(
        field, "any" if isinstance(condition, AnyOf) else "not", None, describe_condition(condition, terms)
    )
    if isinstance(condition, AnyOf):
        options = tuple(compile_condition(part, terms) for part in condition.any)

        def check_any(values: Mapping[str, Any]) -> Failure | None:
            for option in options:
                if option(values) is None:
                    return None
            return (test, values.get(field))

        return check_any
    assert isinstance(condition, Not)
    inner = compile_condition(condition.not_, terms)

    def check_not(values: Mapping[str, Any]) -> Failure | None:
        return (test, values.get(field)) if inner(values) is None else None

    return check_not


def _compile_leaf(leaf: Leaf, terms: Terms) -> Check:
    field = leaf.field
    operator = leaf.operator
    if operator in ("equals", "in"):
        options = frozenset((leaf.equals,) if operator == "equals" else leaf.in_ or ())
        test = Test(field, operator, leaf.operand, describe_condition(leaf, terms))

        def check_member(values: Mapping[str, Any]) -> Failure | None:
            seen = values.get(field)
            return None if seen in options else (test, seen)

        return check_member
    operand = leaf.operand
    limit = terms.number(operand)
    threshold = operand if isinstance(operand, str) else None
    test = Test(field, operator, limit, describe_condition(leaf, terms), threshold)
    if operator == "below":

        def check_below(values: Mapping[str, Any]) -> Failure | None:
            seen = values.get(field)
            return None if isinstance(seen, int | float) and seen < limit else (test, seen)

        return check_below

    def check_at_least(values: Mapping[str, Any]) -> Failure | None:
        seen = values.get(field)
        return None if isinstance(seen, int | float) and seen >= limit else (test, seen)

    return check_at_least


def holds(condition: Condition | None, values: Mapping[str, Any], terms: Terms | None = None) -> bool:
    """Whether ``condition`` holds (``None`` always holds). Compiles on each call: not for hot paths."""
    return condition is None or compile_condition(condition, terms)(values) is None
