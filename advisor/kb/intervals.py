"""What the cost model's formulas can come to, over every answer and every assumption's range.

The cost model reads ``x / 0`` as 0 and the logarithm of 0 or less as 0 (:mod:`advisor.decision.formulas`),
so a formula that divides by something that can be 0, or takes the logarithm of something that
can be 0 or less, says nothing there, silently; and a cost line that can be negative puts a
negative price in a report. This module finds all three before any report is made, by interval
arithmetic: every name a formula uses is given the range of values it can take (an answer: 0
to :data:`~advisor.bounds.LARGEST_ANSWER`; an assumption: its stated range; a constant: its
value; a claim's figure: its amount or range), each quantity the range of its formula (over
every case of a table), and each operation the range of its result. Interval arithmetic never
misses a value a formula can take; it can see one that no answers reach (``x - x`` runs from
``-x`` to ``x``), and a formula it refuses can always be written so that the range shows what
is meant (``max(1, ...)`` below a division, ``max(0, ...)`` around a cost).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

from advisor.bounds import LARGEST_ANSWER
from advisor.errors import Problem
from advisor.kb.base import KnowledgeBase
from advisor.kb.expressions import Call, Expr, Name, Number, Operation, parse
from advisor.kb.fields import APPROACH, MODEL_PARAMS
from advisor.kb.models import APPROACHES, Table
from advisor.records import dataclass

__all__ = ["Interval", "formula_problems", "name_ranges", "show"]

SMALLEST_PARAMS = 1e5
"""The fewest parameters a model's size is read as (:mod:`advisor.reading`)."""


@dataclass(frozen=True, slots=True)
class Interval:
    """Every value a formula can take lies from ``low`` to ``high``."""

    low: float
    high: float

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high

    def __str__(self) -> str:
        if self.low == self.high:
            return f"it is always {self.low:g}"
        return f"it runs from {self.low:g} to {self.high:g}"


def _hull(*intervals: Interval) -> Interval:
    return Interval(min(i.low for i in intervals), max(i.high for i in intervals))


def _checked(low: float, high: float) -> Interval:
    """Where the arithmetic overflowed into NaN (infinity minus infinity), every number: a
    division by it, or a cost made of it, is then refused rather than passed unseen."""
    if math.isnan(low) or math.isnan(high):
        return Interval(-math.inf, math.inf)
    return Interval(low, high)


def _times(a: float, b: float) -> float:
    """A product in which 0 wins over infinity (a range bound at 0 times one that overflowed)."""
    return 0.0 if a == 0 or b == 0 else a * b


def name_ranges(kb: KnowledgeBase) -> dict[str, Interval]:
    """The range of every name a formula may use but a quantity: answers, assumptions,
    constants and claims' figures. A negative assumption or constant that is no rule's weight
    is left out (unknown): it is refused on its own, and what is built on it is not reported
    again."""
    ranges: dict[str, Interval] = {}
    for question in kb.questions:
        if question.kind in ("count", "money"):
            ranges[question.id] = Interval(0.0, LARGEST_ANSWER)
        elif question.kind == "model_size":
            ranges[question.id] = Interval(SMALLEST_PARAMS, LARGEST_ANSWER)
    ranges[MODEL_PARAMS] = Interval(SMALLEST_PARAMS, LARGEST_ANSWER)
    for assumption in kb.costs.assumptions:
        if assumption.low >= 0 or assumption.id in kb.weights:
            ranges[assumption.id] = Interval(assumption.low, assumption.high)
    for constant in kb.costs.constants:
        if constant.value >= 0 or constant.id in kb.weights:
            ranges[constant.id] = Interval(constant.value, constant.value)
    for cited in kb.costs.cited:
        claim = kb.claim.get(cited.claim)
        if claim is not None and cited.figure < len(claim.figures):
            figure = claim.figures[cited.figure]
            high = figure.amount if figure.amount_high is None else figure.amount_high
            ranges[cited.id] = Interval(min(figure.amount, high), max(figure.amount, high))
    return ranges


class _Evaluation:
    """One formula's range, and what can go wrong in it: a division by a range holding 0, a
    logarithm of a range reaching 0 or below. After such a problem the range is unknown
    (``None``), and nothing built on it is reported again."""

    def __init__(self, ranges: Mapping[str, Interval | None]) -> None:
        self.ranges = ranges
        self.problems: list[str] = []

    def of(self, tree: Expr) -> Interval | None:
        if isinstance(tree, Number):
            return Interval(tree.value, tree.value)
        if isinstance(tree, Name):
            return self.ranges.get(tree.name)
        if isinstance(tree, Operation):
            return self.operation(tree)
        return self.call(tree)

    def operation(self, tree: Operation) -> Interval | None:
        left, right = self.of(tree.left), self.of(tree.right)
        if left is None or right is None:
            return None
        if tree.op == "+":
            return _checked(left.low + right.low, left.high + right.high)
        if tree.op == "-":
            return _checked(left.low - right.high, left.high - right.low)
        if tree.op == "*":
            return _product(left, right)
        if tree.op == "/":
            if right.holds(0.0):
                self.problems.append(
                    f"divides by {show(tree.right)!r}, which can be 0 ({right}); keep what it divides "
                    "by above 0, with max(1, ...) or an assumption whose range is above 0"
                )
                return None
            return _product(left, Interval(1 / right.high, 1 / right.low))
        return _comparison(tree.op, left, right)

    def call(self, tree: Call) -> Interval | None:
        arguments = [self.of(argument) for argument in tree.arguments]
        if tree.function == "given":
            known = [argument for argument in arguments if argument is not None]
            return _hull(*known) if len(known) == len(arguments) else None
        if any(argument is None for argument in arguments):
            return None
        values = [argument for argument in arguments if argument is not None]
        if tree.function == "max":
            return _checked(max(v.low for v in values), max(v.high for v in values))
        if tree.function == "min":
            return _checked(min(v.low for v in values), min(v.high for v in values))
        [only] = values
        if tree.function == "ceil":
            return Interval(_ceil(only.low), _ceil(only.high))
        if only.low <= 0:
            self.problems.append(
                f"takes log10 of {show(tree.arguments[0])!r}, which can be 0 or less ({only}); keep it "
                "above 0, with max(1, ...)"
            )
            return None
        return _checked(math.log10(only.low), math.log10(only.high))


def _product(left: Interval, right: Interval) -> Interval:
    corners = [_times(a, b) for a in (left.low, left.high) for b in (right.low, right.high)]
    return _checked(min(corners), max(corners))


def _comparison(op: str, left: Interval, right: Interval) -> Interval:
    """1 where the comparison surely holds, 0 where it surely fails, else 0 to 1."""
    always = {
        "<": left.high < right.low,
        "<=": left.high <= right.low,
        ">": left.low > right.high,
        ">=": left.low >= right.high,
    }[op]
    never = {
        "<": left.low >= right.high,
        "<=": left.low > right.high,
        ">": left.high <= right.low,
        ">=": left.high < right.low,
    }[op]
    return Interval(0.0 if not always else 1.0, 1.0 if not never else 0.0)


def _ceil(value: float) -> float:
    return value if math.isinf(value) else float(math.ceil(value))


def show(tree: Expr, inner: bool = False) -> str:
    """A tree written back as a formula (parenthesized where it is part of a larger one)."""
    if isinstance(tree, Number):
        return f"{tree.value:g}"
    if isinstance(tree, Name):
        return tree.name
    if isinstance(tree, Call):
        return f"{tree.function}({', '.join(show(argument) for argument in tree.arguments)})"
    text = f"{show(tree.left, True)} {tree.op} {show(tree.right, True)}"
    return f"({text})" if inner else text


def _formulas(amount: str | Table) -> list[str]:
    if isinstance(amount, str):
        return [amount]
    return [*amount.cases.values(), *([amount.default] if amount.default is not None else [])]


def _reaches_no_case(kb: KnowledgeBase, table: Table) -> bool:
    """Whether a table without a default can find no case (then the amount is 0)."""
    if table.default is not None:
        return False
    if table.by == APPROACH:
        return not set(APPROACHES) <= set(table.cases)
    return True  # an answer may be skipped, or take a value the table leaves out


def formula_problems(kb: KnowledgeBase) -> Iterator[Problem]:
    """Every division by a range holding 0, every logarithm of a range reaching 0 or below,
    and every cost line whose range goes below 0, with its file, line and id."""
    ranges: dict[str, Interval | None] = dict(name_ranges(kb))
    items = [("quantity", q.id, q.amount) for q in kb.costs.quantities]
    items += [("cost line", line.id, line.amount) for line in kb.costs.lines]
    for kind, item_id, amount in items:
        evaluation = _Evaluation(ranges)
        found = [evaluation.of(parse(formula)) for formula in _formulas(amount)]
        if isinstance(amount, Table) and _reaches_no_case(kb, amount):
            found.append(Interval(0.0, 0.0))
        result = None if any(r is None for r in found) else _hull(*(r for r in found if r is not None))
        line = kb.lines.get((kind, item_id))
        for message in dict.fromkeys(evaluation.problems):
            yield Problem(f"{kind} {item_id!r} {message}", "costs.yaml", line)
        if kind == "quantity":
            ranges[item_id] = result
        elif result is not None and result.low < 0:
            yield Problem(
                f"cost line {item_id!r} can be negative (as low as {result.low:g} over the answers and "
                "the assumptions' ranges); a cost is 0 or more: write it as max(0, ...), or check "
                "what it subtracts",
                "costs.yaml",
                line,
            )
