"""The cost model's formulas, compiled once into closures that evaluate on vectors of draws.

A value is a float (the same in every draw: answers, constants, an assumption at one point) or
a list with one float per draw. Every operation takes either, so the same compiled formula
prices a percentile interval (128 draws), every sensitivity scenario at once (one column per
scenario) and a what-if at the assumptions' medians (single numbers): there is one evaluator.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

from advisor.kb.expressions import Call, Expr, Name, Number, Operation, parse
from advisor.kb.models import Table

__all__ = ["Compiled", "Context", "Value", "add", "compile_amount", "compile_formula", "total"]

Value = float | list[float]
"""A number the same in every draw, or one number per draw."""


class Context:
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


Compiled = Callable[[Context], Value]
"""A formula compiled: its value in a context."""

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


def compile_formula(tree: Expr) -> Compiled:
    """A formula as nested closures over a context."""
    if isinstance(tree, Number):
        number = tree.value
        return lambda context: number
    if isinstance(tree, Name):
        name = tree.name
        return lambda context: context.read(name)
    if isinstance(tree, Operation):
        left, right = compile_formula(tree.left), compile_formula(tree.right)
        apply = _OPERATIONS[tree.op]
        return lambda context: apply(left(context), right(context))
    assert isinstance(tree, Call)
    function = _FUNCTIONS[tree.function]
    arguments = tuple(compile_formula(argument) for argument in tree.arguments)
    if len(arguments) == 1:
        [only] = arguments
        return lambda context: function(only(context))
    if len(arguments) == 2:
        first, second = arguments
        return lambda context: function(first(context), second(context))
    return lambda context: function(*(argument(context) for argument in arguments))


def compile_amount(amount: str | Table, parsed: Callable[[str], Expr] = parse) -> Compiled:
    """A formula, or a table of formulas chosen at evaluation time by an answer or the approach."""
    if isinstance(amount, str):
        return compile_formula(parsed(amount))
    cases = {key: compile_formula(parsed(formula)) for key, formula in amount.cases.items()}
    default = compile_formula(parsed(amount.default)) if amount.default is not None else None
    by = amount.by

    def chosen(context: Context) -> Value:
        key = context.values.get(by)
        formula = cases.get(str(key)) if key is not None else None
        if formula is None:
            formula = default
        return 0.0 if formula is None else formula(context)

    return chosen


def add(left: Value, right: Value) -> Value:
    """The sum of two values, draw by draw."""
    return _OPERATIONS["+"](left, right)


def total(amounts: Sequence[Value]) -> Value:
    """The sum of values, draw by draw, added in order."""
    result: Value = 0.0
    for amount in amounts:
        result = add(result, amount)
    return result
