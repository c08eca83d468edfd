"""The questions as a space of answers: which are asked, what completes them, which values matter.

A decision reads answers *completed*: with the model's parameter count (as given, or typical
of the size given) and the fine-tuning method in force (as given, or the default for that many
parameters). A question asked only sometimes is reset to its default when it is not asked.
``kb check`` and the tests explore the space through :meth:`AnswerSpace.grid`: each choice,
and both sides of each threshold a condition tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from advisor.conditions import Terms, compile_condition
from advisor.decision.estimates import Pair
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import METHOD, MODEL_PARAMS, MODEL_SIZE
from advisor.kb.models import Condition, Table

__all__ = ["AnswerSpace"]


class AnswerSpace:
    """A knowledge base's questions, with the conditions that decide when each is asked."""

    def __init__(self, kb: KnowledgeBase, terms: Terms) -> None:
        self.kb = kb
        self.terms = terms
        self._asked = tuple(
            (question, compile_condition(question.ask_when, terms))
            for question in kb.questions
            if question.ask_when is not None
        )
        """The questions asked only sometimes, with when: :meth:`visible` runs for every what-if."""

    def complete(self, values: Mapping[str, Any], assumed: Mapping[str, Pair]) -> dict[str, Any]:
        """The answers with the model's parameter count and the method in force."""
        completed = dict(values)
        size = values.get(MODEL_SIZE)
        question = self.kb.question[MODEL_SIZE]
        if isinstance(size, int | float) and not isinstance(size, bool):
            params = float(size)
        else:
            choice = next((c for c in question.choices if c.value == size), None)
            low, high = assumed[choice.params] if choice is not None and choice.params else (0.0, 0.0)
            params = math.sqrt(low * high)
        completed[MODEL_PARAMS] = params
        method = self.kb.question.get(METHOD)
        if method is not None and completed.get(METHOD) is None and method.choices:
            chosen = next((c.value for c in method.choices if c.default_from_params is None), None)
            best = -1.0
            for choice in method.choices:
                if choice.default_from_params is not None:
                    threshold = assumed[choice.default_from_params][0]
                    if best < threshold <= params:
                        best, chosen = threshold, choice.value
            completed[METHOD] = chosen
        return completed

    def visible(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` with unasked questions reset to their defaults (no count for unlabeled data)."""
        result = dict(values)
        for question, check in self._asked:
            if check(result) is not None:
                result[question.id] = question.default
        return result

    def grid(self, conditions: Iterable[Condition | None] | None = None) -> dict[str, tuple[Any, ...]]:
        """For each answer field, the values that can make a difference to the ``conditions``
        (every rule's by default) and to which questions are asked.

        Choices: every choice (and "not given" for optional questions). Numbers:
        0, and each threshold a condition tests with the value just below it.
        """
        thresholds: dict[str, set[float]] = {}
        tests: dict[str, list[frozenset[Any]]] = {}
        """The sets of values a condition or a cost table tells apart, by field."""
        if conditions is None:
            conditions = [rule.when for rule in self.kb.rules]
            for table in self._tables():
                alike: dict[str, set[str]] = {}
                for case, formula in table.cases.items():
                    alike.setdefault(formula, set()).add(case)
                tests.setdefault(table.by, []).extend(frozenset(cases) for cases in alike.values())
        conditions = list(conditions)
        # When a question is asked matters only for a question that matters.
        wanted = {leaf.field for c in conditions for leaf in iter_leaves(c)} | set(tests)
        pending = list(wanted)
        while pending:
            question = self.kb.question.get(pending.pop())
            for leaf in iter_leaves(question.ask_when if question else None):
                if leaf.field not in wanted:
                    wanted.add(leaf.field)
                    pending.append(leaf.field)
        asking = [q.ask_when for q in self.kb.questions if q.id in wanted]
        for condition in (*conditions, *asking):
            for leaf in iter_leaves(condition):
                for bound in (leaf.below, leaf.at_least):
                    if bound is not None:
                        thresholds.setdefault(leaf.field, set()).add(self.terms.number(bound))
                if leaf.equals is not None:
                    tests.setdefault(leaf.field, []).append(frozenset((leaf.equals,)))
                if leaf.in_ is not None:
                    tests.setdefault(leaf.field, []).append(frozenset(leaf.in_))
        candidates: dict[str, tuple[Any, ...]] = {}
        for question in self.kb.questions:
            if question.kind == "task":
                options: list[Any] = list(question.examples[:1]) or ["a task"]
            elif question.choices:
                # One value of each set nothing tells apart ("video" reads as "images" everywhere).
                told = tests.get(question.id, [])
                classes: dict[tuple[bool, ...], Any] = {}
                for choice in question.choices:
                    classes.setdefault(tuple(choice.value in test for test in told), choice.value)
                options = list(classes.values())
            else:
                numbers: set[float] = {0.0}
                for limit in thresholds.get(question.id, ()):
                    numbers.update((limit, max(0.0, limit - 1)))
                cast = int if question.kind == "count" else float
                options = [cast(n) for n in sorted(numbers)]
            if question.optional and question.default not in options:
                options.append(question.default)
            candidates[question.id] = tuple(options)
        return candidates

    def _tables(self) -> Iterator[Table]:
        """The cost model's tables: each chooses its formula by an answer."""
        for item in (*self.kb.costs.quantities, *self.kb.costs.lines):
            amount = getattr(item, "amount", None)
            if isinstance(amount, Table):
                yield amount

    def sources(self, fields: Iterable[str]) -> tuple[str, ...]:
        """The questions whose answers decide ``fields``: the fields themselves, the answers a
        completed field comes from (the parameter count from the model size, the method in
        force from the method and the model size), and those that decide whether each is asked."""
        derived = {MODEL_PARAMS: (MODEL_SIZE,), METHOD: (METHOD, MODEL_SIZE)}
        found: set[str] = set()
        pending = list(fields)
        while pending:
            for source in derived.get(field := pending.pop(), (field,)):
                question = self.kb.question.get(source)
                if question is not None and source not in found:
                    found.add(source)
                    pending.extend(leaf.field for leaf in iter_leaves(question.ask_when))
        return tuple(question.id for question in self.kb.questions if question.id in found)
