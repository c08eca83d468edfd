"""The cost model's arithmetic: ``gpus * rental_hours * gpu_hour_usd``, parsed, never evaluated by Python.

Cost lines and quantities in ``costs.yaml`` are written as small formulas over
names: answers (``labeled_examples``), named assumptions (``gpu_hour_usd``),
constants with a stated reason (``seconds_per_hour``), claims' figures given a
name (``transfer_label_target``) and quantities defined before them. This
module turns such a formula into a tree (:data:`Expr`) with a small
recursive-descent parser: the grammar below, and nothing else. There is no
``eval``; a formula can only name things and combine them.

::

    expr        := comparison
    comparison  := sum (("<" | "<=" | ">" | ">=") sum)?      true is 1, false is 0
    sum         := product (("+" | "-") product)*
    product     := unary (("*" | "/") unary)*
    unary       := "-" unary | atom
    atom        := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"
    functions   := max, min, ceil, log10 (of a positive number), given(answer, otherwise)

Numbers other than 0 and 1 are refused by ``kb check``: every figure is named. A formula
nested more than :data:`MAX_DEPTH` levels deep (parentheses, calls, signs, or a long chain of
operations) is refused while it is parsed: the parser, and everything that walks the tree,
recurse once a level, and Python's stack has room for about a thousand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.records import dataclass

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "Call",
    "Expr",
    "Name",
    "Number",
    "Operation",
    "ParseError",
    "depth",
    "divisors",
    "names",
    "numbers",
    "parse",
]

FUNCTIONS = {"max": (2, None), "min": (2, None), "ceil": (1, 1), "log10": (1, 1), "given": (2, 2)}
"""Function name -> (fewest, most) arguments; ``None``: any number. ``given(answer, otherwise)``
is the answer when the person gave one, else ``otherwise``."""


MAX_DEPTH = 40
"""The deepest formula read: its tree's depth, and the parser's nesting while reading it. The
cost model's formulas are at most about a dozen deep; a longer one is better split into quantities."""


class ParseError(ValueError):
    """A formula that does not follow the grammar; the message says where."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number written in the formula."""

    value: float


@dataclass(frozen=True, slots=True)
class Name:
    """An assumption, a constant, a quantity or an answer, by its name."""

    name: str


@dataclass(frozen=True, slots=True)
class Operation:
    """``left op right``; a comparison gives 1 or 0."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Call:
    """``function(arguments)``, one of :data:`FUNCTIONS`."""

    function: str
    arguments: tuple[Expr, ...]


Expr = Number | Name | Operation | Call

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?(?:e[+-]?\d+)?)|(?P<name>[a-z_][a-z0-9_]*)|(?P<op><=|>=|[-+*/()<>,]))",
    re.IGNORECASE,
)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ParseError(f"unexpected {text[position : position + 12]!r} at character {position + 1}")
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind), match.start(kind)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    def enter(self) -> None:
        """One level deeper (a parenthesis, a call's argument, a sign): refused past the limit."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(_too_deep())

    def peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str, int]:
        if self.index >= len(self.tokens):
            raise ParseError(
                f"{self.text!r} ends too soon" + (f": {expected!r} expected" if expected else "")
            )
        token = self.tokens[self.index]
        if expected is not None and token[1] != expected:
            raise ParseError(f"{expected!r} expected at character {token[2] + 1}, not {token[1]!r}")
        self.index += 1
        return token

    def expression(self) -> Expr:
        self.enter()
        left = self.sum()
        if self.peek() in ("<", "<=", ">", ">="):
            op = self.take()[1]
            left = Operation(op, left, self.sum())
        self.depth -= 1
        return left

    def sum(self) -> Expr:
        left = self.product()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            left = Operation(op, left, self.product())
        return left

    def product(self) -> Expr:
        left = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            left = Operation(op, left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.peek() == "-":
            self.take()
            self.enter()
            operand = self.unary()
            self.depth -= 1
            return Operation("-", Number(0.0), operand)
        return self.atom()

    def atom(self) -> Expr:
        kind, value, where = self.take()
        if kind == "number":
            return Number(float(value))
        if kind == "name":
            if self.peek() != "(":
                return Name(value)
            if value not in FUNCTIONS:
                raise ParseError(f"{value!r} is not a function (functions: {', '.join(FUNCTIONS)})")
            self.take("(")
            arguments = [self.expression()]
            while self.peek() == ",":
                self.take()
                arguments.append(self.expression())
            self.take(")")
            fewest, most = FUNCTIONS[value]
            if len(arguments) < fewest or (most is not None and len(arguments) > most):
                raise ParseError(
                    f"{value}() takes {fewest if most == fewest else f'{fewest} or more'} arguments"
                )
            return Call(value, tuple(arguments))
        if value == "(":
            inner = self.expression()
            self.take(")")
            return inner
        raise ParseError(f"unexpected {value!r} at character {where + 1}")


def parse(text: str) -> Expr:
    """The tree of a formula; raises :class:`ParseError` naming what is wrong and where."""
    if not text.strip():
        raise ParseError("the formula is empty")
    parser = _Parser(text)
    tree = parser.expression()
    if parser.index != len(parser.tokens):
        _, value, where = parser.tokens[parser.index]
        raise ParseError(f"unexpected {value!r} at character {where + 1}")
    if depth(tree) > MAX_DEPTH:
        raise ParseError(_too_deep())
    return tree


def _too_deep() -> str:
    return (
        f"it is nested more than {MAX_DEPTH} levels deep (parentheses, functions, signs and "
        "operations in a row); split it into quantities"
    )


def depth(tree: Expr) -> int:
    """How deep the tree is (a name or a number: 1), without recursing."""
    deepest = 0
    stack: list[tuple[Expr, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, Operation):
            stack.extend(((node.left, level + 1), (node.right, level + 1)))
        elif isinstance(node, Call):
            stack.extend((argument, level + 1) for argument in node.arguments)
    return deepest


def _walk(tree: Expr) -> Iterator[Expr]:
    yield tree
    if isinstance(tree, Operation):
        yield from _walk(tree.left)
        yield from _walk(tree.right)
    elif isinstance(tree, Call):
        for argument in tree.arguments:
            yield from _walk(argument)


def names(tree: Expr) -> list[str]:
    """Every name a formula uses, in order, without repeats."""
    return list(dict.fromkeys(node.name for node in _walk(tree) if isinstance(node, Name)))


def numbers(tree: Expr) -> list[float]:
    """Every number in a formula (a leading minus counts as ``0 -``: 0 is always allowed)."""
    return [node.value for node in _walk(tree) if isinstance(node, Number)]


def divisors(tree: Expr) -> list[str]:
    """The names a formula divides by (anywhere right of a ``/``), in order, without repeats:
    0 there makes the formula say nothing (the cost model reads ``x / 0`` as 0)."""
    return list(
        dict.fromkeys(
            name
            for node in _walk(tree)
            if isinstance(node, Operation) and node.op == "/"
            for name in names(node.right)
        )
    )
