"""The cost model: what each approach would cost, as a percentile interval, by category and line.

``costs.yaml`` writes every cost line, and the quantities lines share (GPUs
needed, engineer-weeks), as formulas over names (:mod:`advisor.kb.expressions`):
answers, named assumptions, constants, claims' figures and earlier quantities.
There are no numbers in this module.

Ranges are honest about what they mean. Each assumption with a range is drawn
from its range, log-uniformly (uniformly where the range starts at 0), and
independently of the others; the same draws serve every approach, so
comparisons are fair. A Latin hypercube of ``interval.samples`` draws, seeded
by each assumption's name, gives the same numbers on every run. An estimate
reports the total's ``interval.low``-th to ``interval.high``-th percentiles
(10th to 90th by default), each category's and line's own percentiles (they
do not add up: percentiles of a sum are not sums of percentiles), the median,
and the worst case: every assumption at its costliest end.

Formulas are evaluated directly on vectors of draws: a value is a float (the
same in every draw: answers, constants) or a list with one float per draw.
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from advisor.conditions import Check, Terms, compile_condition
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.expressions import Call, Expr, Name, Number, Operation, names, parse
from advisor.kb.fields import APPROACH, MODEL_PARAMS
from advisor.kb.models import APPROACHES, CATEGORIES, ApproachId, Category, CostLine, Table

__all__ = [
    "CategoryCost",
    "CostEstimate",
    "CostModel",
    "LineCost",
    "Pair",
    "Point",
    "Spread",
    "percentile",
]

Pair = tuple[float, float]
"""A low-high range."""

Value = float | list[float]
"""A number the same in every draw, or one number per draw."""


def percentile(ordered: Sequence[float], share: float) -> float:
    """The ``share`` (0 to 1) quantile of sorted numbers, interpolated between neighbours."""
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass(frozen=True, slots=True)
class Spread:
    """A number drawn many times: its percentile interval and median."""

    low: float
    median: float
    high: float

    @classmethod
    def of(cls, value: Value, low_share: float, high_share: float) -> Spread:
        if isinstance(value, float | int):
            return cls(float(value), float(value), float(value))
        ordered = sorted(value)
        return cls(percentile(ordered, low_share), percentile(ordered, 0.5), percentile(ordered, high_share))


class _Ranged:
    """``low`` and ``high``: the ends of a :class:`Spread` named ``spread``."""

    __slots__ = ()
    spread: Spread

    @property
    def low(self) -> float:
        return self.spread.low

    @property
    def high(self) -> float:
        return self.spread.high


@dataclass(frozen=True, slots=True)
class LineCost(_Ranged):
    """One cost line's dollars, and where its numbers come from."""

    line: CostLine
    spread: Spread
    claims: tuple[str, ...]
    """The line's own claims and those of the cited figures its formula reads."""
    assumptions: tuple[str, ...]
    """The assumptions its formula reads, directly or through quantities."""
    reads: tuple[str, ...] = ()
    """Every assumption and cited figure it reads (whether or not it moves the amount: the report
    keeps those that do)."""
    shows: Spread | None = None
    """The quantity the line shows beside its dollars (engineer-weeks), if any."""


@dataclass(frozen=True, slots=True)
class CategoryCost(_Ranged):
    """A category's dollars and the lines that make them up."""

    category: Category
    spread: Spread
    lines: tuple[LineCost, ...]

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for line in self.lines for c in line.claims))

    @property
    def assumptions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for line in self.lines for a in line.assumptions))


class _Spreads(Mapping[str, Spread]):
    """Each quantity's spread, worked out when it is read (most never are)."""

    __slots__ = ("_shares", "_spreads", "_values")

    def __init__(self, values: Mapping[str, Value], shares: tuple[float, float]) -> None:
        self._values = values
        self._shares = shares
        self._spreads: dict[str, Spread] = {}

    def __getitem__(self, name: str) -> Spread:
        spread = self._spreads.get(name)
        if spread is None:
            spread = self._spreads[name] = Spread.of(self._values[name], *self._shares)
        return spread

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True, slots=True)
class CostEstimate(_Ranged):
    """What one approach would cost: the total's interval, by category, and its quantities."""

    approach: ApproachId
    spread: Spread
    categories: tuple[CategoryCost, ...]
    quantities: Mapping[str, Spread]
    totals: tuple[float, ...] = field(repr=False)
    """The total of every draw, in draw order (for comparing approaches draw by draw)."""

    @property
    def median(self) -> float:
        return self.spread.median

    @property
    def assumptions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for category in self.categories for a in category.assumptions))


# --- formulas --------------------------------------------------------------------------------


class _Context:
    """What one evaluation can read: answers, draws, constants and the quantities so far."""

    __slots__ = ("reads", "values")

    def __init__(self, values: dict[str, Any], track: bool) -> None:
        self.values = values
        self.reads: set[str] | None = set() if track else None
        """The names read since the last reset, when reads are tracked (for the report's sources)."""

    def read(self, name: str) -> Value:
        if self.reads is not None:
            self.reads.add(name)
        value: Value = self.values[name]
        return value


Compiled = Callable[[_Context], Value]

_Base = tuple[dict[str, Any], dict[str, set[str]]]
"""What :meth:`CostModel._base` works out once for every approach: values, and what each read."""


Binary = Callable[[Value, Value], Value]


def _elementwise(
    scalar: Callable[[float, float], float],
    both: Callable[[list[float], list[float]], list[float]],
    left_only: Callable[[list[float], float], list[float]],
    right_only: Callable[[float, list[float]], list[float]],
) -> Binary:
    """An operation on two values, each a number or a vector of draws. Each case is its own
    comprehension with the operator written in: this is the cost model's inner loop."""

    def apply(left: Value, right: Value) -> Value:
        if isinstance(left, list):
            return both(left, right) if isinstance(right, list) else left_only(left, right)
        if isinstance(right, list):
            return right_only(left, right)
        return scalar(left, right)

    return apply


def _divide(left: float, right: float) -> float:
    return left / right if right else 0.0


_OPERATIONS: dict[str, Binary] = {
    "+": _elementwise(
        operator.add,
        lambda x, y: list(map(operator.add, x, y)),
        lambda x, y: [a + y for a in x],
        lambda x, y: [x + b for b in y],
    ),
    "-": _elementwise(
        operator.sub,
        lambda x, y: list(map(operator.sub, x, y)),
        lambda x, y: [a - y for a in x],
        lambda x, y: [x - b for b in y],
    ),
    "*": _elementwise(
        operator.mul,
        lambda x, y: list(map(operator.mul, x, y)),
        lambda x, y: [a * y for a in x],
        lambda x, y: [x * b for b in y],
    ),
    "/": _elementwise(
        _divide,
        lambda x, y: [a / b if b else 0.0 for a, b in zip(x, y, strict=True)],
        lambda x, y: [a / y for a in x] if y else [0.0] * len(x),
        lambda x, y: [x / b if b else 0.0 for b in y],
    ),
    "<": _elementwise(
        lambda x, y: 1.0 if x < y else 0.0,
        lambda x, y: [1.0 if a < b else 0.0 for a, b in zip(x, y, strict=True)],
        lambda x, y: [1.0 if a < y else 0.0 for a in x],
        lambda x, y: [1.0 if x < b else 0.0 for b in y],
    ),
    "<=": _elementwise(
        lambda x, y: 1.0 if x <= y else 0.0,
        lambda x, y: [1.0 if a <= b else 0.0 for a, b in zip(x, y, strict=True)],
        lambda x, y: [1.0 if a <= y else 0.0 for a in x],
        lambda x, y: [1.0 if x <= b else 0.0 for b in y],
    ),
    ">": _elementwise(
        lambda x, y: 1.0 if x > y else 0.0,
        lambda x, y: [1.0 if a > b else 0.0 for a, b in zip(x, y, strict=True)],
        lambda x, y: [1.0 if a > y else 0.0 for a in x],
        lambda x, y: [1.0 if x > b else 0.0 for b in y],
    ),
    ">=": _elementwise(
        lambda x, y: 1.0 if x >= y else 0.0,
        lambda x, y: [1.0 if a >= b else 0.0 for a, b in zip(x, y, strict=True)],
        lambda x, y: [1.0 if a >= y else 0.0 for a in x],
        lambda x, y: [1.0 if x >= b else 0.0 for b in y],
    ),
}


def _one(function: Callable[[float], float]) -> Callable[[Value], Value]:
    def apply(value: Value) -> Value:
        return [function(item) for item in value] if isinstance(value, list) else function(value)

    return apply


def _ceil(value: float) -> float:
    """The whole number at or above ``value``; infinity and NaN as they are (``math.ceil`` raises
    on them): the number policy keeps them out, and the report refuses them in words."""
    return float(math.ceil(value)) if math.isfinite(value) else value


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "ceil": _one(_ceil),
    "log10": _one(lambda x: math.log10(x) if x > 0 else 0.0),
}


def _fold(apply: Binary) -> Callable[..., Value]:
    def fold(*values: Value) -> Value:
        result = values[0]
        for value in values[1:]:
            result = apply(result, value)
        return result

    return fold


_FUNCTIONS["given"] = lambda answer, otherwise: otherwise if answer is None else answer
_FUNCTIONS["max"] = _fold(
    _elementwise(
        max,
        lambda x, y: list(map(max, x, y)),
        lambda x, y: [a if a > y else y for a in x],
        lambda x, y: [x if x > b else b for b in y],
    )
)
_FUNCTIONS["min"] = _fold(
    _elementwise(
        min,
        lambda x, y: list(map(min, x, y)),
        lambda x, y: [a if a < y else y for a in x],
        lambda x, y: [x if x < b else b for b in y],
    )
)


_SCALAR_OPERATIONS: dict[str, Callable[[Any, Any], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _divide,
    "<": lambda x, y: 1.0 if x < y else 0.0,
    "<=": lambda x, y: 1.0 if x <= y else 0.0,
    ">": lambda x, y: 1.0 if x > y else 0.0,
    ">=": lambda x, y: 1.0 if x >= y else 0.0,
}
_SCALAR_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "ceil": _ceil,
    "log10": lambda x: math.log10(x) if x > 0 else 0.0,
    "max": max,
    "min": min,
    "given": _FUNCTIONS["given"],
}


def _compile(tree: Expr, scalar: bool = False) -> Compiled:
    """A formula as nested closures over a context. ``scalar``: every value is one number (a
    point of the assumptions, for what-ifs), so operations skip the vector checks."""
    if isinstance(tree, Number):
        number = tree.value
        return lambda context: number
    if isinstance(tree, Name):
        name = tree.name
        if scalar:
            return lambda context: context.values[name]
        return lambda context: context.read(name)
    if isinstance(tree, Operation):
        left, right = _compile(tree.left, scalar), _compile(tree.right, scalar)
        apply = _SCALAR_OPERATIONS[tree.op] if scalar else _OPERATIONS[tree.op]
        return lambda context: apply(left(context), right(context))
    assert isinstance(tree, Call)
    function = (_SCALAR_FUNCTIONS if scalar else _FUNCTIONS)[tree.function]
    arguments = tuple(_compile(argument, scalar) for argument in tree.arguments)
    if len(arguments) == 1:
        [only] = arguments
        return lambda context: function(only(context))
    if len(arguments) == 2:
        first, second = arguments
        return lambda context: function(first(context), second(context))
    return lambda context: function(*(argument(context) for argument in arguments))


def _compile_amount(
    amount: str | Table, scalar: bool = False, parsed: Callable[[str], Expr] = parse
) -> Compiled:
    """A formula, or a table of formulas chosen at evaluation time by an answer or the approach."""
    if isinstance(amount, str):
        return _compile(parsed(amount), scalar)
    cases = {key: _compile(parsed(formula), scalar) for key, formula in amount.cases.items()}
    default = _compile(parsed(amount.default), scalar) if amount.default is not None else None
    by = amount.by

    def chosen(context: _Context) -> Value:
        key = context.values.get(by)
        formula = cases.get(str(key)) if key is not None else None
        if formula is None:
            formula = default
        return 0.0 if formula is None else formula(context)

    return chosen


# --- draws -------------------------------------------------------------------------------------


def _shares(name: str, count: int) -> list[float]:
    """A Latin hypercube column of shares: the middle of each of ``count`` equal slices of 0 to 1,
    in an order fixed by the name, so that every run draws the same."""
    rng = random.Random(name)  # a text seed is hashed with SHA-512: the same on every run
    keys = [rng.random() for _ in range(count)]
    return [(slot + 0.5) / count for slot in sorted(range(count), key=keys.__getitem__)]


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
            """Each formula parsed once, though compiled twice (for draws and for single numbers)."""
            tree = trees.get(formula)
            if tree is None:
                tree = trees[formula] = parse(formula)
            return tree

        self.quantities = tuple((q.id, _compile_amount(q.amount, parsed=parsed)) for q in costs.quantities)
        terms = Terms(kinds={q.id: q.kind for q in kb.questions}, numbers=kb.numbers)
        self.lines: tuple[tuple[CostLine, Check | None, Compiled], ...] = tuple(
            (
                line,
                None if line.when is None else compile_condition(line.when, terms),
                _compile_amount(line.amount, parsed=parsed),
            )
            for line in costs.lines
        )
        self._shares = {name: _shares(name, self.count) for name in (*self.defaults, *self.cited)}
        self._default_draws = self.draws(self.defaults)
        self._needs = _needs(kb, parsed)
        """Quantity or line id -> the answers it depends on: what :meth:`repriced` recomputes."""
        self._scalar_quantities = tuple(
            (q.id, _compile_amount(q.amount, scalar=True, parsed=parsed)) for q in costs.quantities
        )
        self._scalar_lines = tuple(
            _compile_amount(line.amount, scalar=True, parsed=parsed) for line in costs.lines
        )
        """The same formulas for single numbers: :meth:`point` and :meth:`repriced`, run for every
        what-if, evaluate them."""
        self._shared = tuple((n, c) for n, c in self.quantities if APPROACH not in self._needs[n])
        """The quantities the same for every approach (the model's size, GPUs): worked out once."""
        self._own = tuple((n, c) for n, c in self.quantities if APPROACH in self._needs[n])
        self._shared_names = frozenset(n for n, _ in self._shared)

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
        if assumed is self.defaults and hasattr(self, "_default_draws"):
            return self._default_draws
        draws = {name: _draws(self._shares[name], low, high) for name, (low, high) in assumed.items()}
        draws.update(
            {name: _draws(self._shares[name], low, high) for name, (low, high) in self.cited.items()}
        )
        return draws

    def middle(self, assumed: Mapping[str, Pair]) -> dict[str, float]:
        """Every assumption and cited figure at the median of its draws."""
        middle = {name: _middle(low, high) for name, (low, high) in assumed.items()}
        middle.update({name: _middle(low, high) for name, (low, high) in self.cited.items()})
        return middle

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
            shows = None
            if line.shows is not None:
                shows = Spread.of(context.values[line.shows], low, high)
            lines_by_category[line.category].append(
                LineCost(
                    line,
                    Spread.of(amount, low, high),
                    tuple(
                        dict.fromkeys(
                            (*line.claims, *(self.cited_claims[n] for n in line_reads if n in self.cited))
                        )
                    ),
                    tuple(name for name in line_reads if name in self.defaults),
                    tuple(name for name in line_reads if name in self.defaults or name in self.cited),
                    shows,
                )
            )
            amounts[line.category].append(amount)
        totals: Value = 0.0
        categories = []
        for category in CATEGORIES:
            summed = _sum(amounts[category])
            totals = _OPERATIONS["+"](totals, summed)
            categories.append(
                CategoryCost(category, Spread.of(summed, low, high), tuple(lines_by_category[category]))
            )
        vector = totals if isinstance(totals, list) else [float(totals)] * self.count
        return CostEstimate(
            approach,
            Spread.of(vector, low, high),
            tuple(categories),
            _Spreads({name: context.values[name] for name, _ in self.quantities}, self.shares),
            tuple(vector),
        )

    def category_amounts(
        self, approach: ApproachId, values: Mapping[str, Any], draws: Mapping[str, Value]
    ) -> dict[Category, Value]:
        """Each category's dollars, draw by draw."""
        context, reads = self.evaluate(approach, values, draws, track=False)
        amounts: dict[Category, list[Value]] = {category: [] for category in CATEGORIES}
        for line, amount, _ in self._lines(approach, values, context, reads):
            amounts[line.category].append(amount)
        return {category: _sum(parts) for category, parts in amounts.items()}

    def evaluate(
        self,
        approach: ApproachId,
        values: Mapping[str, Any],
        draws: Mapping[str, Value],
        *,
        track: bool = True,
        base: _Base | None = None,
    ) -> tuple[_Context, dict[str, set[str]]]:
        """Every quantity for one approach; returns the context and (when tracked) what each read.
        ``base`` is :meth:`_base` for the same answers and draws, shared by the approaches."""
        shared, shared_reads = self._base(values, draws, track) if base is None else base
        context = _Context({**shared, APPROACH: approach}, track)
        reads = dict(shared_reads)
        self._quantities(self._own, context, reads)
        return context, reads

    def _base(self, values: Mapping[str, Any], draws: Mapping[str, Value], track: bool) -> _Base:
        """The quantities that do not depend on the approach, worked out once for all three."""
        # Answers first: numbers for formulas, choices for tables; then what may not be shadowed.
        context = _Context({**values, **self.constants, **draws}, track)
        reads: dict[str, set[str]] = {}
        self._quantities(self._shared, context, reads)
        return context.values, reads

    def _quantities(
        self, quantities: Sequence[tuple[str, Compiled]], context: _Context, reads: dict[str, set[str]]
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
        context: _Context,
        reads: Mapping[str, set[str]],
    ) -> Iterable[tuple[CostLine, Value, tuple[str, ...]]]:
        for line, when, compiled in self.lines:
            if approach not in line.approaches or (when is not None and when(values) is not None):
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
        context = _Context({**values, **self.constants, **middle, APPROACH: approach}, track=False)
        for name, compiled in self._scalar_quantities:
            context.values[name] = compiled(context)
        amounts: list[float | None] = []
        for (line, when, _), compiled in zip(self.lines, self._scalar_lines, strict=True):
            applies = approach in line.approaches and (when is None or when(values) is None)
            amounts.append(cast(float, compiled(context)) if applies else None)
        total = sum(amount for amount in amounts if amount is not None)
        return Point(approach, context.values, tuple(amounts), float(total))

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
        shared = _Context({**first.values, **values}, track=False)
        redone = {}
        for name, compiled in self._scalar_quantities:
            if name in self._shared_names and needs[name] & changed:
                redone[name] = shared.values[name] = compiled(shared)
        totals = {}
        for approach, point in points.items():
            context = _Context({**point.values, **values, **redone}, track=False)
            for name, compiled in self._scalar_quantities:
                if name not in self._shared_names and needs[name] & changed:
                    context.values[name] = compiled(context)
            total = 0.0
            lines = zip(self.lines, self._scalar_lines, point.amounts, strict=True)
            for (line, when, _), compiled, kept in lines:
                if needs[line.id] & changed:
                    if approach in line.approaches and (when is None or when(values) is None):
                        total += cast(float, compiled(context))
                elif kept is not None:
                    total += kept
            totals[approach] = total
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
        """The total for given values of every assumption (one number each, or one per scenario)."""
        context, _ = self.evaluate(approach, values, points, track=False, base=base)
        amounts = [amount for _, amount, _ in self._lines(approach, values, context, {})]
        return _sum(amounts)


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


def _needs(kb: KnowledgeBase, parsed: Callable[[str], Expr] = parse) -> dict[str, frozenset[str]]:
    """For each quantity and cost line, the answers it depends on, through the quantities it uses."""
    answers = {*kb.question, MODEL_PARAMS, APPROACH}
    needs: dict[str, frozenset[str]] = {}

    def of(amount: str | Table, when: Any = None) -> frozenset[str]:
        formulas = (
            [amount] if isinstance(amount, str) else [*amount.cases.values(), *filter(None, [amount.default])]
        )
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


def _sum(amounts: Sequence[Value]) -> Value:
    total: Value = 0.0
    for amount in amounts:
        total = _OPERATIONS["+"](total, amount)
    return total
