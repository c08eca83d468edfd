"""Conditions over answers: compiled once into closures, described in plain words.

A compiled condition takes the answer values and returns ``None`` when it
holds, or a :data:`Failure` (which test failed, and the value it saw) when it
does not. Returning the failure instead of a boolean costs nothing on the fast
path and gives the trace its "first condition that failed" for free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.formatting import format_value
from advisor.kb.models import AllOf, AnyOf, Condition, Leaf, Not, Question

__all__ = [
    "Check",
    "Failure",
    "Test",
    "compile_condition",
    "describe_condition",
    "holds",
    "plain_value",
]


@dataclass(frozen=True, slots=True)
class Test:
    """A condition (leaf or compound) as the trace shows it."""

    field: str
    """The answer field it looks at (the first one, for compound conditions)."""
    operator: str
    """equals, in, below, at_least, any, not."""
    expected: Any
    """What the field was tested against."""
    text: str
    """The condition in words: ``budget_usd is at least $48,000``."""


Failure = tuple[Test, Any]
"""The failed test and the value it saw."""

Check = Callable[[Mapping[str, Any]], Failure | None]

Kinds = Mapping[str, str]
"""Answer field -> question kind, so values are shown as money or counts."""


Questions = Mapping[str, Question]
"""Answer field -> its question, so a condition is said in the person's terms."""


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


def _plain_leaf(leaf: Leaf, question: Question) -> str:
    """A test of one answer in the person's terms: "your data is labeled", "your budget is under $5,000"."""
    if leaf.operator in ("equals", "in"):
        values = (leaf.equals,) if leaf.operator == "equals" else tuple(leaf.in_ or ())
        return " or ".join(plain_value(question, value) for value in values)
    amount = format_value(leaf.operand, question.kind)
    if question.kind == "count":
        comparison = "fewer than" if leaf.operator == "below" else "at least"
        return f"you have {comparison} {amount} {question.name}"
    comparison = "under" if leaf.operator == "below" else "at least"
    return f"your {question.name} is {comparison} {amount}"


def describe_condition(
    condition: Condition,
    kinds: Kinds | None = None,
    names: Mapping[str, str] | None = None,
    questions: Questions | None = None,
) -> str:
    """The condition in words, for traces and messages: ``the budget is below $5,000``.

    ``names`` gives each field's name for people (``budget`` for ``budget_usd``);
    ``questions``, when given, says it in the person's terms ("none of your data is labeled").
    """
    kinds = kinds or {}
    names = names or {}
    if questions is not None:
        return _plain(condition, questions, kinds, names)
    if isinstance(condition, Leaf):
        kind = kinds.get(condition.field)
        field = names.get(condition.field, condition.field)
        operand = format_value(condition.operand, kind)
        verb = {
            "equals": "is",
            "in": "is one of",
            "below": "is below",
            "at_least": "is at least",
        }[condition.operator]
        return f"{field} {verb} {operand}"
    if isinstance(condition, AllOf):
        return " and ".join(_grouped(part, kinds, names) for part in condition.all)
    if isinstance(condition, AnyOf):
        return " or ".join(_grouped(part, kinds, names) for part in condition.any)
    assert isinstance(condition, Not)
    return f"not ({describe_condition(condition.not_, kinds, names)})"


def _plain(condition: Condition, questions: Questions, kinds: Kinds, names: Mapping[str, str]) -> str:
    if isinstance(condition, Leaf):
        question = questions.get(condition.field)
        return (
            describe_condition(condition, kinds, names)
            if question is None
            else _plain_leaf(condition, question)
        )
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        joined = " and " if isinstance(condition, AllOf) else " or "
        return joined.join(_plain(part, questions, kinds, names) for part in parts)
    inner = condition.not_
    question = questions.get(inner.field) if isinstance(inner, Leaf) else None
    if question is not None and isinstance(inner, Leaf) and inner.operator in ("equals", "in"):
        excluded = (inner.equals,) if inner.operator == "equals" else tuple(inner.in_ or ())
        others: list[Any] = [c.value for c in question.choices if c.value not in excluded]
        if question.optional and None not in excluded:
            others.append(None)
        return " or ".join(plain_value(question, value) for value in others)
    return f"not ({_plain(inner, questions, kinds, names)})"


def _grouped(condition: Condition, kinds: Kinds, names: Mapping[str, str]) -> str:
    text = describe_condition(condition, kinds, names)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text


def _first_field(condition: Condition) -> str:
    if isinstance(condition, Leaf):
        return condition.field
    if isinstance(condition, AllOf):
        return _first_field(condition.all[0])
    if isinstance(condition, AnyOf):
        return _first_field(condition.any[0])
    assert isinstance(condition, Not)
    return _first_field(condition.not_)


def compile_condition(
    condition: Condition,
    kinds: Kinds | None = None,
    names: Mapping[str, str] | None = None,
    questions: Questions | None = None,
) -> Check:
    """A closure that tests ``condition`` against answer values; its failures say the test in
    the person's terms when ``questions`` are given."""
    kinds = kinds or {}
    names = names or {}
    if isinstance(condition, Leaf):
        return _compile_leaf(condition, kinds, names, questions)
    if isinstance(condition, AllOf):
        parts = tuple(compile_condition(part, kinds, names, questions) for part in condition.all)

        def check_all(values: Mapping[str, Any]) -> Failure | None:
            for part in parts:
                failure = part(values)
                if failure is not None:
                    return failure
            return None

        return check_all
    field = _first_field(condition)
    test = Test(
        field,
        "any" if isinstance(condition, AnyOf) else "not",
        None,
        describe_condition(condition, kinds, names, questions),
    )
    if isinstance(condition, AnyOf):
        options = tuple(compile_condition(part, kinds, names, questions) for part in condition.any)

        def check_any(values: Mapping[str, Any]) -> Failure | None:
            for option in options:
                if option(values) is None:
                    return None
            return (test, values.get(field))

        return check_any
    assert isinstance(condition, Not)
    inner = compile_condition(condition.not_, kinds, names, questions)

    def check_not(values: Mapping[str, Any]) -> Failure | None:
        return (test, values.get(field)) if inner(values) is None else None

    return check_not


def _compile_leaf(leaf: Leaf, kinds: Kinds, names: Mapping[str, str], questions: Questions | None) -> Check:
    field = leaf.field
    test = Test(field, leaf.operator, leaf.operand, describe_condition(leaf, kinds, names, questions))
    if leaf.operator == "equals":
        expected = leaf.equals

        def check_equals(values: Mapping[str, Any]) -> Failure | None:
            seen = values.get(field)
            return None if seen == expected else (test, seen)

        return check_equals
    if leaf.operator == "in":
        options = frozenset(leaf.in_ or ())

        def check_in(values: Mapping[str, Any]) -> Failure | None:
            seen = values.get(field)
            return None if seen in options else (test, seen)

        return check_in
    if leaf.operator == "below":
        limit = leaf.below
        assert limit is not None

        def check_below(values: Mapping[str, Any]) -> Failure | None:
            seen = values.get(field)
            return None if seen is not None and seen < limit else (test, seen)

        return check_below
    floor = leaf.at_least
    assert floor is not None

    def check_at_least(values: Mapping[str, Any]) -> Failure | None:
        seen = values.get(field)
        return None if seen is not None and seen >= floor else (test, seen)

    return check_at_least


def holds(condition: Condition | None, values: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds (``None`` always holds). Compiles on each call: not for hot paths."""
    return condition is None or compile_condition(condition)(values) is None
