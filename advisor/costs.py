"""The cost model: low-high ranges per category, built only from claims and assumptions.

``costs.yaml`` describes each cost line as a product of factors: a claim's
figure (``$100 to $1000`` for fine-tuning BERT), a named assumption that a
person can override, an answer (how many examples still need labels), or a
table chosen by an answer (model size, hardware, approach). This module
compiles those lines once into closures and evaluates them per approach.

There are no numbers in this module: every figure of an estimate traces to a
claim id or an assumption id, and the estimate carries those ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.conditions import Check, compile_condition
from advisor.knowledge import KnowledgeBase, iter_leaves
from advisor.models import (
    CATEGORIES,
    AnswerFactor,
    ApproachId,
    AssumptionFactor,
    ByFactor,
    Category,
    ClaimFactor,
    CostLine,
    Factor,
)

__all__ = ["CategoryCost", "CostEstimate", "CostModel", "LineCost", "Range"]

Range = tuple[float, float, tuple[str, ...], tuple[str, ...]]
"""(low, high, claim ids, assumption ids) of a factor or a product."""

_Factor = Callable[[ApproachId, Mapping[str, Any], Mapping[str, tuple[float, float]]], Range | None]


@dataclass(frozen=True, slots=True)
class LineCost:
    """One cost line's range, and where its numbers come from."""

    line: CostLine
    low: float
    high: float
    claims: tuple[str, ...]
    assumptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CategoryCost:
    """A category's total range and the lines that make it up."""

    category: Category
    low: float
    high: float
    lines: tuple[LineCost, ...]

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for line in self.lines for c in (*line.line.claims, *line.claims)))

    @property
    def assumptions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for line in self.lines for a in line.assumptions))


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """What one approach would cost, as a range, by category."""

    approach: ApproachId
    low: float
    high: float
    categories: tuple[CategoryCost, ...]
    examples_to_label: tuple[float, float]

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2


def _product(factors: tuple[_Factor, ...]) -> _Factor:
    def product(
        approach: ApproachId, values: Mapping[str, Any], assumed: Mapping[str, tuple[float, float]]
    ) -> Range | None:
        low = high = 1.0
        claims: tuple[str, ...] = ()
        assumptions: tuple[str, ...] = ()
        for factor in factors:
            result = factor(approach, values, assumed)
            if result is None:
                return None
            low *= result[0]
            high *= result[1]
            claims += result[2]
            assumptions += result[3]
        return (low, high, claims, assumptions)

    return product


def _compile_factor(factor: Factor, kb: KnowledgeBase) -> _Factor:
    if isinstance(factor, ClaimFactor):
        figure = kb.claim[factor.claim].figures[factor.figure]
        constant: Range = (
            figure.amount,
            figure.amount if figure.amount_high is None else figure.amount_high,
            (factor.claim,),
            (),
        )
        return lambda approach, values, assumed: constant
    if isinstance(factor, AssumptionFactor):
        name = factor.assumption
        ids = (name,)

        def assumption(
            approach: ApproachId,
            values: Mapping[str, Any],
            assumed: Mapping[str, tuple[float, float]],
        ) -> Range:
            low, high = assumed[name]
            return (low, high, (), ids)

        return assumption
    if isinstance(factor, AnswerFactor):
        field = factor.answer

        def answer(
            approach: ApproachId,
            values: Mapping[str, Any],
            assumed: Mapping[str, tuple[float, float]],
        ) -> Range:
            value = values[field]
            if isinstance(value, tuple):
                return value  # a derived range, already with its sources
            return (float(value), float(value), (), ())

        return answer
    assert isinstance(factor, ByFactor)
    by = factor.by
    cases: dict[Any, _Factor] = {
        key: _product(tuple(_compile_factor(part, kb) for part in parts))
        for key, parts in factor.cases.items()
    }
    default = (
        None
        if factor.default is None
        else _product(tuple(_compile_factor(part, kb) for part in factor.default))
    )

    def by_answer(
        approach: ApproachId, values: Mapping[str, Any], assumed: Mapping[str, tuple[float, float]]
    ) -> Range | None:
        case = cases.get(approach if by == "approach" else values.get(by), default)
        return None if case is None else case(approach, values, assumed)

    return by_answer


@dataclass(frozen=True, slots=True)
class _Line:
    line: CostLine
    approaches: frozenset[str]
    when: Check | None
    amount: _Factor


def _answer_fields(factors: tuple[Factor, ...]) -> set[str]:
    """The answer fields a product of factors reads."""
    fields: set[str] = set()
    for factor in factors:
        if isinstance(factor, AnswerFactor):
            fields.add("labeled_examples" if factor.answer == "examples_to_label" else factor.answer)
        elif isinstance(factor, ByFactor):
            if factor.by != "approach":
                fields.add(factor.by)
            for case in (*factor.cases.values(), factor.default or ()):
                fields |= _answer_fields(case)
    return fields


class CostModel:
    """``costs.yaml`` compiled: call :meth:`estimate` for an approach and answers.

    An estimate is a pure function of the approach, the few answers the cost
    lines read (model size, hardware, labeled examples: found from the lines
    themselves) and the assumptions. With the default assumptions, estimates
    are memoized on those answers; overridden assumptions are computed afresh.
    """

    MEMO_SIZE = 4096

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        kinds: dict[str, str] = {q.id: q.kind for q in kb.questions}
        self.defaults: dict[str, tuple[float, float]] = {a.id: (a.low, a.high) for a in kb.costs.assumptions}
        self._targets = {
            approach: _product(tuple(_compile_factor(f, kb) for f in factors))
            for approach, factors in kb.costs.label_targets.items()
        }
        self._lines = tuple(
            _Line(
                line,
                frozenset(line.approaches),
                None if line.when is None else compile_condition(line.when, kinds),
                _product(tuple(_compile_factor(f, kb) for f in line.factors)),
            )
            for line in kb.costs.lines
        )
        fields: set[str] = {"labeled_examples"}
        for line in kb.costs.lines:
            fields |= _answer_fields(line.factors)
            fields |= {leaf.field for leaf in iter_leaves(line.when)}
        for factors in kb.costs.label_targets.values():
            fields |= _answer_fields(factors)
        self.fields: tuple[str, ...] = tuple(sorted(fields))
        """The answers that estimates depend on."""
        self._memo: dict[tuple[Any, ...], CostEstimate] = {}

    def assumed(self, overrides: Mapping[str, float | tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """The assumption values in force: the defaults, with a person's overrides."""
        if not overrides:
            return self.defaults
        merged = dict(self.defaults)
        for key, value in overrides.items():
            merged[key] = value if isinstance(value, tuple) else (value, value)
        return merged

    def estimate(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        assumed: Mapping[str, tuple[float, float]],
    ) -> CostEstimate:
        """The cost range of ``approach`` for these answers, by category and line."""
        if assumed is not self.defaults:
            return self._estimate(approach, values, assumed)
        key = (approach, *[values.get(field) for field in self.fields])
        estimate = self._memo.get(key)
        if estimate is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            estimate = self._memo[key] = self._estimate(approach, values, assumed)
        return estimate

    def _estimate(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        assumed: Mapping[str, tuple[float, float]],
    ) -> CostEstimate:
        target = self._targets.get(approach)
        have = values.get("labeled_examples") or 0
        to_label: Range = (0.0, 0.0, (), ())
        if target is not None:
            wanted = target(approach, values, assumed)
            if wanted is not None:
                to_label = (
                    max(0.0, wanted[0] - have),
                    max(0.0, wanted[1] - have),
                    wanted[2],
                    wanted[3],
                )
        context = {**values, "examples_to_label": to_label}
        by_category: dict[Category, list[LineCost]] = {category: [] for category in CATEGORIES}
        for compiled in self._lines:
            if approach not in compiled.approaches:
                continue
            if compiled.when is not None and compiled.when(context) is not None:
                continue
            amount = compiled.amount(approach, context, assumed)
            if amount is None:
                continue
            by_category[compiled.line.category].append(
                LineCost(
                    compiled.line,
                    amount[0],
                    amount[1],
                    tuple(dict.fromkeys(amount[2])),
                    tuple(dict.fromkeys(amount[3])),
                )
            )
        categories = tuple(
            CategoryCost(
                category,
                sum(line.low for line in lines),
                sum(line.high for line in lines),
                tuple(lines),
            )
            for category, lines in by_category.items()
        )
        return CostEstimate(
            approach,
            sum(c.low for c in categories),
            sum(c.high for c in categories),
            categories,
            (to_label[0], to_label[1]),
        )
