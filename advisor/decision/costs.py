"""The cost model: what each approach would cost, as a percentile interval, by category and line.

``costs.yaml`` writes every cost line, and the quantities lines share (GPUs
needed, engineer-weeks), as formulas over names (:mod:`advisor.kb.expressions`):
answers, named assumptions, constants, claims' figures and earlier quantities.
There are no numbers in this module.

Ranges are honest about what they mean. Each assumption with a range is drawn
from its range, log-uniformly (uniformly where the range starts at 0), and
independently of the others, except those that move together (``moves_with``:
the weeks of work, the training runs and their reruns), drawn at the same share
of their ranges; the same draws serve every approach, so
comparisons are fair. A Latin hypercube of ``interval.samples`` draws, seeded
by each assumption's name, gives the same numbers on every run. An estimate
reports the total's ``interval.low``-th to ``interval.high``-th percentiles
(10th to 90th by default), each category's and line's own percentiles (they
do not add up: percentiles of a sum are not sums of percentiles), the median,
and the worst case: every assumption at its costliest end.

The formulas are compiled once (:mod:`advisor.decision.formulas`) and evaluated on
vectors of draws for an estimate, on one column per scenario for the sensitivity
(:mod:`advisor.decision.sensitivity`), and on single numbers (the assumptions'
medians) for what-ifs: the same evaluator every time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from advisor.conditions import Check, Terms, compile_condition
from advisor.decision.estimates import CategoryCost, CostEstimate, LineCost, Pair, Spread, Spreads
from advisor.decision.formulas import Compiled, Context, Value, add, compile_amount, total
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.expressions import Expr, names, parse
from advisor.kb.fields import APPROACH, MODEL_PARAMS
from advisor.kb.models import APPROACHES, CATEGORIES, ApproachId, Category, CostLine, Table
from advisor.records import dataclass

__all__ = ["CostModel", "Point"]

_Base = tuple[dict[str, Any], dict[str, set[str]]]
"""What :meth:`CostModel._base` works out once for every approach: values, and what each read."""


# --- draws -------------------------------------------------------------------------------------


def _shares(name: str, count: int) -> list[float]:
    """A Latin hypercube column of shares: the middle of each of ``count`` equal slices of 0 to 1,
    in an order fixed by the name, so that every run draws the same."""
    rng = random.Random(name)  # a text seed is hashed with SHA-512: the same on every run
    keys = [rng.random() for _ in range(count)]
    return [(slot + 0.5) / count for slot in sorted(range(count), key=keys.__getitem__)]


def _column(kb: KnowledgeBase, name: str) -> str:
    """The name whose shares an assumption is drawn at: its group's when it moves with others."""
    assumption = kb.assumption.get(name)
    return f"moves_with:{assumption.moves_with}" if assumption and assumption.moves_with else name


def _draws(shares: list[float], low: float, high: float) -> Value:
    """A range drawn at the given shares: log-uniformly, or uniformly when it starts at 0."""
    if low == high:
        return float(low)
    if low <= 0:
        return [low + (high - low) * share for share in shares]
    ratio = high / low
    return [low * ratio**share for share in shares]


def _middle(low: float, high: float) -> float:
    """The median of a draw from the range: geometric for log-uniform, arithmetic from 0."""
    return (low + high) / 2 if low <= 0 else math.sqrt(low * high)


# --- the model ----------------------------------------------------------------------------------


class CostModel:
    """``costs.yaml`` compiled: :meth:`estimates` of every approach for a set of answers."""

    def __init__(self, kb: KnowledgeBase, interval: Pair | None = None) -> None:
        self.kb = kb
        costs = kb.costs
        self.count = costs.interval.samples
        self.percentiles: Pair = interval or (costs.interval.low, costs.interval.high)
        """The interval's ends in percent: ``costs.yaml``'s, or those an answers file asks for."""
        self.shares = (self.percentiles[0] / 100, self.percentiles[1] / 100)
        self.defaults: dict[str, Pair] = {a.id: (a.low, a.high) for a in costs.assumptions}
        self.constants: dict[str, float] = {c.id: c.value for c in costs.constants}
        self.cited: dict[str, Pair] = {}
        self.cited_claims: dict[str, str] = {}
        for cited in costs.cited:
            figure = kb.claim[cited.claim].figures[cited.figure]
            high = figure.amount if figure.amount_high is None else figure.amount_high
            self.cited[cited.id] = (figure.amount, high)
            self.cited_claims[cited.id] = cited.claim
        trees: dict[str, Expr] = {}

        def parsed(formula: str) -> Expr:
            """Each formula parsed once, though read twice (compiled, and for what it depends on)."""
            tree = trees.get(formula)
            if tree is None:
                tree = trees[formula] = parse(formula)
            return tree

        self.quantities = tuple((q.id, compile_amount(q.amount, parsed=parsed)) for q in costs.quantities)
        self.reads_directly: Mapping[str, frozenset[str]] = {
            q.id: frozenset(name for formula in _formulas(q.amount) for name in names(parsed(formula)))
            for q in costs.quantities
        }
        """Quantity id -> the names its formula reads (a table's every case): the parts of a sum
        the report names (the ways of serving the model)."""
        self._amounts = {q.id: q.amount for q in costs.quantities}
        self._parsed = parsed
        terms = Terms(kinds={q.id: q.kind for q in kb.questions}, numbers=kb.numbers)
        self.lines: tuple[tuple[CostLine, Check | None, Compiled], ...] = tuple(
            (
                line,
                None if line.when is None else compile_condition(line.when, terms),
                compile_amount(line.amount, parsed=parsed),
            )
            for line in costs.lines
        )
        self._shares = {
            name: _shares(_column(kb, name), self.count) for name in (*self.defaults, *self.cited)
        }
        self._default_draws = self.draws(self.defaults)
        self._needs = _needs(kb, parsed)
        """Quantity or line id -> the answers it depends on: what :meth:`repriced` recomputes."""
        self.needs: Mapping[str, frozenset[str]] = self._needs
        """The same, for the engine to tell whether any cost reads the budget."""
        self._shared = tuple((n, c) for n, c in self.quantities if APPROACH not in self._needs[n])
        """The quantities the same for every approach (the model's size, GPUs): worked out once."""
        self._own = tuple((n, c) for n, c in self.quantities if APPROACH in self._needs[n])

    # --- assumptions ---------------------------------------------------------------------------

    def assumed(self, overrides: Mapping[str, float | tuple[float, float]]) -> dict[str, Pair]:
        """The assumption values in force: the defaults, with a person's overrides."""
        if not overrides:
            return self.defaults
        merged = dict(self.defaults)
        for key, value in overrides.items():
            merged[key] = value if isinstance(value, tuple) else (value, value)
        return merged

    def draws(self, assumed: Mapping[str, Pair]) -> dict[str, Value]:
        """Every assumption's and cited figure's draws (those of the defaults are made once)."""
        if not hasattr(self, "_default_draws"):  # the defaults' own, made once
            draws = {name: _draws(self._shares[name], low, high) for name, (low, high) in assumed.items()}
            draws.update(
                {name: _draws(self._shares[name], low, high) for name, (low, high) in self.cited.items()}
            )
            return draws
        if assumed is self.defaults:
            return self._default_draws
        # Overrides are few: every assumption at its default keeps the defaults' draws.
        draws = dict(self._default_draws)
        for name, (low, high) in assumed.items():
            if self.defaults.get(name) != (low, high):
                draws[name] = _draws(self._shares[name], low, high)
        return draws

    def middle(self, assumed: Mapping[str, Pair]) -> dict[str, float]:
        """Every assumption and cited figure at the median of its draws."""
        middle = {name: _middle(low, high) for name, (low, high) in assumed.items()}
        middle.update({name: _middle(low, high) for name, (low, high) in self.cited.items()})
        return middle

    def reads(self, quantity: str, values: Mapping[str, Any], approach: ApproachId) -> frozenset[str]:
        """The names a quantity reads for these answers, directly or through other quantities: a
        table's case in force only (a given parameter count, not the typical sizes')."""
        found: set[str] = set()
        pending = [quantity]
        while pending:
            amount = self._amounts[pending.pop()]
            formula: str | None
            if isinstance(amount, str):
                formula = amount
            else:
                key = approach if amount.by == APPROACH else values.get(amount.by)
                formula = amount.cases.get(str(key), amount.default) if key is not None else amount.default
            if formula is None:
                continue
            for name in names(self._parsed(formula)):
                if name not in found:
                    found.add(name)
                    if name in self._amounts:
                        pending.append(name)
        return frozenset(found)

    # --- estimates -----------------------------------------------------------------------------

    def estimates(
        self, values: Mapping[str, Any], assumed: Mapping[str, Pair]
    ) -> dict[ApproachId, CostEstimate]:
        """Every approach's estimate, in the order of :data:`~advisor.kb.models.APPROACHES`."""
        draws = self.draws(assumed)
        base = self._base(values, draws, track=True)
        return {approach: self.estimate(approach, values, draws, base) for approach in APPROACHES}

    def intervals(self, values: Mapping[str, Any], assumed: Mapping[str, Pair]) -> dict[ApproachId, Spread]:
        """Every approach's total alone: what a verdict needs, without the detail of a report."""
        draws = self.draws(assumed)
        base = self._base(values, draws, track=False)
        return {approach: self.spread(approach, values, draws, base) for approach in APPROACHES}

    def spread(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        draws: Mapping[str, Value],
        base: _Base | None = None,
    ) -> Spread:
        """One approach's total alone."""
        return Spread.of(self.total_at(approach, values, draws, base), *self.shares)

    def estimate(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        draws: Mapping[str, Value],
        base: _Base | None = None,
    ) -> CostEstimate:
        """One approach's estimate from given draws (:meth:`draws`)."""
        context, reads = self.evaluate(approach, values, draws, base=base)
        low, high = self.shares
        lines_by_category: dict[Category, list[LineCost]] = {category: [] for category in CATEGORIES}
        amounts: dict[Category, list[Value]] = {category: [] for category in CATEGORIES}
        for line, amount, line_reads in self._lines(approach, values, context, reads):
            lines_by_category[line.category].append(self._line_cost(line, amount, line_reads, context))
            amounts[line.category].append(amount)
        totals: Value = 0.0
        categories = []
        for category in CATEGORIES:
            summed = total(amounts[category])
            totals = add(totals, summed)
            categories.append(
                CategoryCost(category, Spread.of(summed, low, high), tuple(lines_by_category[category]))
            )
        vector = totals if isinstance(totals, list) else [float(totals)] * self.count
        return CostEstimate(
            approach,
            Spread.of(vector, low, high),
            tuple(categories),
            Spreads({name: context.values[name] for name, _ in self.quantities}, self.shares),
            tuple(vector),
        )

    def _line_cost(self, line: CostLine, amount: Value, reads: tuple[str, ...], context: Context) -> LineCost:
        """A line's dollars, with the claims and assumptions its formula reads."""
        cited = tuple(self.cited_claims[name] for name in reads if name in self.cited)
        shows = None if line.shows is None else Spread.of(context.values[line.shows], *self.shares)
        return LineCost(
            line,
            Spread.of(amount, *self.shares),
            tuple(dict.fromkeys((*line.claims, *cited))),
            tuple(name for name in reads if name in self.defaults),
            tuple(name for name in reads if name in self.defaults or name in self.cited),
            shows,
        )

    def category_amounts(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        draws: Mapping[str, Value],
        base: _Base | None = None,
    ) -> dict[Category, Value]:
        """Each category's dollars, draw by draw, in the order of the categories."""
        context, _ = self.evaluate(approach, values, draws, track=False, base=base)
        amounts: dict[Category, list[Value]] = {category: [] for category in CATEGORIES}
        for line, amount, _ in self._lines(approach, values, context, {}):
            amounts[line.category].append(amount)
        return {category: total(parts) for category, parts in amounts.items()}

    def evaluate(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        draws: Mapping[str, Value],
        *,
        track: bool = True,
        base: _Base | None = None,
    ) -> tuple[Context, dict[str, set[str]]]:
        """Every quantity for one approach; returns the context and (when tracked) what each read.
        ``base`` is :meth:`_base` for the same answers and draws, shared by the approaches."""
        shared, shared_reads = self._base(values, draws, track) if base is None else base
        context = Context({**shared, APPROACH: approach}, track)
        reads = dict(shared_reads)
        self._quantities(self._own, context, reads)
        return context, reads

    def _base(self, values: Mapping[str, Any], draws: Mapping[str, Value], track: bool) -> _Base:
        """The quantities that do not depend on the approach, worked out once for all three."""
        # Answers first: numbers for formulas, choices for tables; then what may not be shadowed.
        context = Context({**values, **self.constants, **draws}, track)
        reads: dict[str, set[str]] = {}
        self._quantities(self._shared, context, reads)
        return context.values, reads

    def _quantities(
        self, quantities: Sequence[tuple[str, Compiled]], context: Context, reads: dict[str, set[str]]
    ) -> None:
        for name, compiled in quantities:
            if context.reads is not None:
                context.reads = set()
            context.values[name] = compiled(context)
            if context.reads is not None:
                reads[name] = self._closure(context.reads, reads)

    def _lines(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        context: Context,
        reads: Mapping[str, set[str]],
    ) -> Iterable[tuple[CostLine, Value, tuple[str, ...]]]:
        for line, when, compiled in self.lines:
            if not _applies(line, when, approach, values):
                continue
            if context.reads is not None:
                context.reads = set()
            amount = compiled(context)
            read = () if context.reads is None else tuple(sorted(self._closure(context.reads, reads)))
            yield line, amount, read

    @staticmethod
    def _closure(direct: set[str], reads: Mapping[str, set[str]]) -> set[str]:
        """The names read, with those read by the quantities among them."""
        found = set(direct)
        for name in direct:
            found |= reads.get(name, set())
        return found

    def point(self, approach: ApproachId, values: Mapping[str, Any], middle: Mapping[str, float]) -> Point:
        """The approach's total with every assumption at one value, kept for :meth:`repriced`."""
        context = Context({**values, **self.constants, **middle, APPROACH: approach}, track=False)
        for name, compiled in self.quantities:
            context.values[name] = compiled(context)
        amounts = tuple(
            cast(float, compiled(context)) if _applies(line, when, approach, values) else None
            for line, when, compiled in self.lines
        )
        return Point(approach, context.values, amounts, float(sum(a for a in amounts if a is not None)))

    def repriced(
        self, points: Mapping[ApproachId, Point], values: Mapping[str, Any]
    ) -> dict[ApproachId, float]:
        """Each point's total with other answers: only what depends on the changed answers is
        redone, and what is the same for every approach (the model's size, GPUs) once."""
        first = next(iter(points.values()))
        changed = {name for name, value in values.items() if first.values.get(name) != value}
        if not changed:
            return {approach: point.total for approach, point in points.items()}
        needs = self._needs
        shared = Context({**first.values, **values}, track=False)
        redone = {}
        for name, compiled in self._shared:
            if needs[name] & changed:
                redone[name] = shared.values[name] = compiled(shared)
        totals = {}
        for approach, point in points.items():
            context = Context({**point.values, **values, **redone}, track=False)
            for name, compiled in self._own:
                if needs[name] & changed:
                    context.values[name] = compiled(context)
            priced = 0.0
            for (line, when, compiled), kept in zip(self.lines, point.amounts, strict=True):
                if needs[line.id] & changed:
                    if _applies(line, when, approach, values):
                        priced += cast(float, compiled(context))
                elif kept is not None:
                    priced += kept
            totals[approach] = priced
        return totals

    def line_amounts(
        self, approaches: Iterable[ApproachId], values: Mapping[str, Any], points: Mapping[str, Value]
    ) -> dict[ApproachId, list[tuple[CostLine, Value]]]:
        """Each approach's applicable lines' dollars for given values of every assumption (one
        number each, or one per scenario)."""
        base = self._base(values, points, track=False)
        amounts = {}
        for approach in approaches:
            context, _ = self.evaluate(approach, values, points, track=False, base=base)
            amounts[approach] = [
                (line, amount) for line, amount, _ in self._lines(approach, values, context, {})
            ]
        return amounts

    def total_at(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        points: Mapping[str, Value],
        base: _Base | None = None,
    ) -> Value:
        """The total for given values of every assumption (one number each, or one per scenario):
        the categories' sums added in order, as :meth:`estimate` adds them."""
        return total(list(self.category_amounts(approach, values, points, base).values()))


@dataclass(frozen=True, slots=True)
class Point:
    """One approach priced with every assumption at a single value (its median), kept so that a
    change of answers can be re-priced by redoing only what depends on it."""

    approach: ApproachId
    values: dict[str, Any]
    """Everything the evaluation read and made: answers, assumptions, constants, quantities."""
    amounts: tuple[float | None, ...]
    """Each cost line's dollars, in the order of ``costs.yaml`` (``None``: it does not apply)."""
    total: float


def _formulas(amount: str | Table) -> list[str]:
    """The formulas of an amount: itself, or a table's cases and default."""
    return [amount] if isinstance(amount, str) else [*amount.cases.values(), *filter(None, [amount.default])]


def _needs(kb: KnowledgeBase, parsed: Callable[[str], Expr] = parse) -> dict[str, frozenset[str]]:
    """For each quantity and cost line, the answers it depends on, through the quantities it uses."""
    answers = {*kb.question, MODEL_PARAMS, APPROACH}
    needs: dict[str, frozenset[str]] = {}

    def of(amount: str | Table, when: Any = None) -> frozenset[str]:
        formulas = _formulas(amount)
        found: set[str] = set()
        if isinstance(amount, Table) and amount.by in answers:
            found.add(amount.by)
        for formula in formulas:
            for name in names(parsed(formula)):
                if name in answers:
                    found.add(name)
                found |= needs.get(name, frozenset())
        found |= {leaf.field for leaf in iter_leaves(when)}
        return frozenset(found)

    for quantity in kb.costs.quantities:
        needs[quantity.id] = of(quantity.amount)
    for line in kb.costs.lines:
        needs[line.id] = of(line.amount, line.when)
    return needs


def _applies(line: CostLine, when: Check | None, approach: ApproachId, values: Mapping[str, Any]) -> bool:
    """Whether a cost line counts for an approach and answers."""
    return approach in line.approaches and (when is None or when(values) is None)
