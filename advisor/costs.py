"""The cost model: low-high ranges per category, built only from claims and assumptions.

``costs.yaml`` describes each cost line as a product of factors: a claim's
figure (``$100 to $1000`` for fine-tuning BERT), a named assumption that a
person can override, an answer (how many examples still need labels), or a
table chosen by an answer (model size, hardware, approach).

There are no numbers in this module: every figure of an estimate traces to a
claim id or an assumption id, and the estimate carries those ids.

Why estimates are planned
-------------------------
The engine estimates all three approaches for every decision, so estimates
are its hot path (``python benchmarks/bench.py engine``). Most of an estimate
depends only on discrete things: the approach, the choice answers that pick a
table's case (model size, hardware), and *which* assumptions the person
overrode. Those fix which lines apply, the claims and assumptions each line
cites, and the value of every factor that is a claim's figure or an
assumption left at its default. Only answers that are numbers (the examples
still to label) and the values of overridden assumptions vary continuously.

So :class:`CostModel` resolves ``costs.yaml`` once per discrete key (approach,
case answers, overridden assumption ids) into a :class:`_Plan`: a line whose
factors are all fixed becomes a ready :class:`LineCost`, a category or an
estimate whose lines are all ready is ready too, and what is left keeps only
the factors still to multiply. An estimate is then a dictionary look-up plus
those few multiplications. Plans are memoized on the discrete key only, never
on the numbers a person typed.

A plan gives the same floats, to the last bit, as multiplying every factor at
estimate time, because the operations and their order do not change: a
product is multiplied left to right starting from 1.0, a table's case is
multiplied out on its own before it joins the product around it, and a
product is computed ahead only when every one of its factors is fixed.
``tests/test_reference.py`` checks this against a direct evaluation of
``costs.yaml`` over random answers and overrides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.conditions import Check, compile_condition
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import EXAMPLES_TO_LABEL, LABELED_EXAMPLES
from advisor.kb.models import (
    APPROACHES,
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

__all__ = ["CategoryCost", "CostEstimate", "CostModel", "LineCost", "Pair"]

Pair = tuple[float, float]
"""A low-high range."""

Assumed = Mapping[str, Pair]
"""Assumption values in force, by id."""


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
    examples_to_label: Pair

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2


# --- plans ---------------------------------------------------------------------------

_Varying = Callable[[Mapping[str, Any], Assumed, Pair], Pair]
"""A factor known only at estimate time: (answer values, assumptions, examples to label) -> range."""


@dataclass(frozen=True, slots=True)
class _Product:
    """A product of factors with every table's case chosen, and the ids its numbers come from."""

    terms: tuple[Pair | _Varying, ...]
    """Fixed ranges, and factors that vary (an answer, an overridden assumption, a varying case)."""
    claims: tuple[str, ...]
    assumptions: tuple[str, ...]
    """In the order of the factors, repeats included (as a direct evaluation concatenates them)."""
    fixed: Pair | None
    """The product, multiplied out ahead when no term varies; ``None`` otherwise."""

    def __call__(self, values: Mapping[str, Any], assumed: Assumed, to_label: Pair) -> Pair:
        if self.fixed is not None:
            return self.fixed
        low = high = 1.0
        for term in self.terms:
            term_low, term_high = term if isinstance(term, tuple) else term(values, assumed, to_label)
            low *= term_low
            high *= term_high
        return (low, high)


def _product(terms: list[Pair | _Varying], claims: tuple[str, ...], assumptions: tuple[str, ...]) -> _Product:
    product = _Product(tuple(terms), claims, assumptions, fixed=None)
    if not all(isinstance(term, tuple) for term in terms):
        return product
    # Multiplied out by the code, and so in the order, that would multiply it at estimate time
    # (fixed terms read no answers, assumptions or examples to label).
    return dataclasses.replace(product, fixed=product({}, {}, (0.0, 0.0)))


def _read_assumption(name: str) -> _Varying:
    return lambda values, assumed, to_label: assumed[name]


def _read_answer(field: str) -> _Varying:
    def answer(values: Mapping[str, Any], assumed: Assumed, to_label: Pair) -> Pair:
        value = float(values[field])
        return (value, value)

    return answer


def _read_examples_to_label(values: Mapping[str, Any], assumed: Assumed, to_label: Pair) -> Pair:
    return to_label


@dataclass(frozen=True, slots=True)
class _LinePlan:
    """A line that cannot be computed ahead: its amount varies, or it has a condition."""

    line: CostLine
    when: Check | None
    amount: _Product
    claims: tuple[str, ...]
    assumptions: tuple[str, ...]
    """Without repeats, as :class:`LineCost` has them."""

    def cost(self, values: Mapping[str, Any], assumed: Assumed, to_label: Pair) -> LineCost | None:
        # A line's condition tests answer fields only (`kb check` refuses other names).
        if self.when is not None and self.when(values) is not None:
            return None
        low, high = self.amount(values, assumed, to_label)
        return LineCost(self.line, low, high, self.claims, self.assumptions)


# Totals are sum() over the parts in order, as a direct evaluation does: a loop of additions
# would round differently on Python 3.12 and later, whose sum() compensates for rounding.


@dataclass(frozen=True, slots=True)
class _CategoryPlan:
    """A category's lines for one key: ready lines, and lines to compute at estimate time."""

    category: Category
    lines: tuple[LineCost | _LinePlan, ...]
    """In the order of ``costs.yaml``."""

    @property
    def ready(self) -> bool:
        return all(isinstance(item, LineCost) for item in self.lines)

    def cost(self, values: Mapping[str, Any], assumed: Assumed, to_label: Pair) -> CategoryCost:
        lines: list[LineCost] = []
        lows: list[float] = []
        highs: list[float] = []
        for item in self.lines:
            line = item if isinstance(item, LineCost) else item.cost(values, assumed, to_label)
            if line is not None:
                lines.append(line)
                lows.append(line.low)
                highs.append(line.high)
        return CategoryCost(self.category, sum(lows), sum(highs), tuple(lines))


@dataclass(frozen=True, slots=True)
class _Plan:
    """One approach's estimate for one key: ready categories, and categories to compute."""

    approach: ApproachId
    target: _Product | None
    """How many labeled examples the approach wants; ``None``: none (nothing to label)."""
    categories: tuple[CategoryCost | _CategoryPlan, ...]
    ready: CostEstimate | None = None
    """The whole estimate, when nothing in it varies."""

    def estimate(self, values: Mapping[str, Any], assumed: Assumed) -> CostEstimate:
        if self.ready is not None:
            return self.ready
        to_label: Pair = (0.0, 0.0)
        if self.target is not None:
            wanted = self.target(values, assumed, to_label)  # (reads no examples to label: it defines them)
            have = values.get(LABELED_EXAMPLES) or 0
            to_label = (max(0.0, wanted[0] - have), max(0.0, wanted[1] - have))
        categories: list[CategoryCost] = []
        lows: list[float] = []
        highs: list[float] = []
        for item in self.categories:
            category = item if isinstance(item, CategoryCost) else item.cost(values, assumed, to_label)
            categories.append(category)
            lows.append(category.low)
            highs.append(category.high)
        return CostEstimate(self.approach, sum(lows), sum(highs), tuple(categories), to_label)


# --- the model -------------------------------------------------------------------------


class CostModel:
    """``costs.yaml`` compiled: call :meth:`estimate` for an approach and answers.

    An estimate is a pure function of the approach, the answers and the
    assumptions in force. What depends only on discrete answers is planned
    once per key and memoized (see the module's docstring).
    """

    MEMO_SIZE = 4096
    """Keys planned before the memo starts over (a dozen without overrides)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        kinds: dict[str, str] = {q.id: q.kind for q in kb.questions}
        self.defaults: dict[str, Pair] = {a.id: (a.low, a.high) for a in kb.costs.assumptions}
        self._figures: dict[tuple[str, int], Pair] = {
            (claim.id, index): (
                figure.amount,
                figure.amount if figure.amount_high is None else figure.amount_high,
            )
            for claim in kb.claims
            for index, figure in enumerate(claim.figures)
        }
        self._when: dict[str, Check | None] = {
            line.id: None if line.when is None else compile_condition(line.when, kinds)
            for line in kb.costs.lines
        }
        case_fields: set[str] = set()
        for factors in (*(line.factors for line in kb.costs.lines), *kb.costs.label_targets.values()):
            case_fields |= _case_fields(factors)
        self._case_fields: tuple[str, ...] = tuple(sorted(case_fields))
        """The choice answers that pick tables' cases: with the approach and the overridden
        assumptions, everything that a plan depends on."""
        self._plans: dict[tuple[Any, ...], dict[ApproachId, _Plan]] = {}

    def assumed(self, overrides: Mapping[str, float | tuple[float, float]]) -> dict[str, Pair]:
        """The assumption values in force: the defaults, with a person's overrides."""
        if not overrides:
            return self.defaults
        merged = dict(self.defaults)
        for key, value in overrides.items():
            merged[key] = value if isinstance(value, tuple) else (value, value)
        return merged

    def estimate(self, approach: ApproachId, values: Mapping[str, Any], assumed: Assumed) -> CostEstimate:
        """The cost range of ``approach`` for these answers, by category and line."""
        return self._plans_for(values, assumed)[approach].estimate(values, assumed)

    def estimates(self, values: Mapping[str, Any], assumed: Assumed) -> dict[ApproachId, CostEstimate]:
        """Every approach's estimate, in the order of :data:`~advisor.kb.models.APPROACHES`."""
        return {
            approach: plan.estimate(values, assumed)
            for approach, plan in self._plans_for(values, assumed).items()
        }

    def _plans_for(self, values: Mapping[str, Any], assumed: Assumed) -> dict[ApproachId, _Plan]:
        overridden = self._overridden(assumed)
        key = (overridden, *map(values.get, self._case_fields))
        plans = self._plans.get(key)
        if plans is None:
            if len(self._plans) >= self.MEMO_SIZE:
                self._plans.clear()
            plans = self._plans[key] = {
                approach: self._plan(approach, values, overridden) for approach in APPROACHES
            }
        return plans

    def _overridden(self, assumed: Assumed) -> frozenset[str]:
        """The assumptions whose values may differ from the defaults: read at estimate time.

        :meth:`assumed` copies the defaults' very tuples into the mapping it
        builds, so an identity test finds the overridden ones exactly and
        cheaply. A mapping built some other way only loses speed: its values
        all count as overridden and are read at estimate time.
        """
        if assumed is self.defaults:
            return frozenset()
        return frozenset(name for name, default in self.defaults.items() if assumed.get(name) is not default)

    # --- planning (once per key) --------------------------------------------------------

    def _plan(self, approach: ApproachId, values: Mapping[str, Any], overridden: frozenset[str]) -> _Plan:
        """Resolve every table and fixed factor for this key; reads only what the key holds."""

        def resolve(factors: tuple[Factor, ...], target: _Product | None) -> _Product | None:
            terms: list[Pair | _Varying] = []
            claims: tuple[str, ...] = ()
            assumptions: tuple[str, ...] = ()
            for factor in factors:
                if isinstance(factor, ClaimFactor):
                    terms.append(self._figures[(factor.claim, factor.figure)])
                    claims += (factor.claim,)
                elif isinstance(factor, AssumptionFactor):
                    name = factor.assumption
                    terms.append(_read_assumption(name) if name in overridden else self.defaults[name])
                    assumptions += (name,)
                elif isinstance(factor, AnswerFactor):
                    if factor.answer != EXAMPLES_TO_LABEL:
                        terms.append(_read_answer(factor.answer))
                    elif target is None:
                        terms.append((0.0, 0.0))  # the approach wants no labels: none to add
                    else:
                        terms.append(_read_examples_to_label)
                        claims += target.claims
                        assumptions += target.assumptions
                else:
                    assert isinstance(factor, ByFactor)
                    chosen: Any = approach if factor.by == "approach" else values.get(factor.by)
                    case: tuple[Factor, ...] | None = factor.cases.get(chosen, factor.default)
                    # No case for this answer: the factor, and so the whole line, does not apply.
                    inner = None if case is None else resolve(case, target)
                    if inner is None:
                        return None
                    terms.append(inner if inner.fixed is None else inner.fixed)
                    claims += inner.claims
                    assumptions += inner.assumptions
            return _product(terms, claims, assumptions)

        wanted = self.kb.costs.label_targets.get(approach)
        # A label target does not read examples_to_label: it is what defines it.
        target = None if wanted is None else resolve(wanted, None)
        by_category: dict[Category, list[LineCost | _LinePlan]] = {category: [] for category in CATEGORIES}
        for line in self.kb.costs.lines:
            if approach not in line.approaches:
                continue
            amount = resolve(line.factors, target)
            if amount is None:
                continue
            claims = tuple(dict.fromkeys(amount.claims))
            assumptions = tuple(dict.fromkeys(amount.assumptions))
            when = self._when[line.id]
            if when is None and amount.fixed is not None:
                item: LineCost | _LinePlan = LineCost(line, *amount.fixed, claims, assumptions)
            else:
                item = _LinePlan(line, when, amount, claims, assumptions)
            by_category[line.category].append(item)
        # What does not vary is computed now, by the code that would compute it at estimate time.
        planned = [_CategoryPlan(category, tuple(items)) for category, items in by_category.items()]
        categories = tuple(
            each.cost(values, self.defaults, (0.0, 0.0)) if each.ready else each for each in planned
        )
        plan = _Plan(approach, target, categories)
        if target is None and all(isinstance(category, CategoryCost) for category in categories):
            return _Plan(approach, target, categories, plan.estimate(values, self.defaults))
        return plan


def _case_fields(factors: tuple[Factor, ...]) -> set[str]:
    """The answer fields that tables (``by``) in these factors choose their case by."""
    fields: set[str] = set()
    for factor in factors:
        if isinstance(factor, ByFactor):
            if factor.by != "approach":
                fields.add(factor.by)
            for case in (*factor.cases.values(), factor.default or ()):
                fields |= _case_fields(case)
    return fields
