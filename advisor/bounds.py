"""One policy for every number a person or a file gives the advisor.

A number read from an answers file, typed into the chat, or written in a
knowledge file is finite, within a stated range, and not negative where that
means nothing:

=========================================  ============================================
the number                                 its range
=========================================  ============================================
labeled or unlabeled examples (an answer)  a whole number from 0 to :data:`LARGEST_ANSWER`
a budget (an answer)                       0 to :data:`LARGEST_ANSWER` US dollars
a parameter count (an answer)              10^5 to :data:`LARGEST_ANSWER`
an assumption in the knowledge base, and   -:data:`LARGEST` to :data:`LARGEST`, and not
a constant                                 below 0 unless a rule weighs with it (a weight
                                           below 0 disfavors: ``KnowledgeBase.weights``)
an assumption overridden (an answers       its own stated range widened :data:`WIDEN`
file, the chat, a saved chat)              times either way (:func:`allowed`): above 0
                                           where a formula divides by it, else 0 too
any other number in a knowledge file       -:data:`LARGEST` to :data:`LARGEST`; above 0
                                           or not below 0 where the field says so
                                           (documented costs, parameter counts)
=========================================  ============================================

Every number other than 0 is at least :data:`SMALLEST` either way: ``5e-324`` and
``1e-310`` are floats, but ``1 / 5e-324`` is infinity and ``inf * 0`` is NaN. With the
widened ranges, the cost model's formulas, its percentiles, the chart's log scale, the
sensitivity and the what-ifs stay finite for every value this policy accepts (a test sets
every assumption at the ends of its range, the divisors at their floors).

:func:`as_number` turns what was written into a float or says why it cannot
(``true``, ``.nan``, ``.inf``, an integer of 400 digits, ``0x10``);
:func:`within` holds it to a range. Their :class:`NumberError` is a sentence a
person can act on. The answers (:mod:`advisor.reading`, :mod:`advisor.answers`)
and the knowledge base's schema (:mod:`advisor.kb.schema`) both use them.

YAML 1.1 integers: PyYAML reads ``0500`` as octal 320, ``0x10`` as 16 and
``0b1010`` as 10, silently. :mod:`advisor.kb.safeyaml` keeps such a number as
the text written, and :func:`as_number` reads it: a leading zero is read as the
decimal a person meant (``0500`` is 500) with a note saying so, or refused
where notes cannot be shown (knowledge files); hexadecimal, octal and binary
are refused with the decimal they stand for, since nobody writes a budget in
hexadecimal on purpose.
"""

from __future__ import annotations

import math
import re

from advisor.records import dataclass

__all__ = [
    "LARGEST",
    "LARGEST_ANSWER",
    "SMALLEST",
    "WIDEN",
    "Allowed",
    "NumberError",
    "allowed",
    "as_number",
    "within",
    "written",
]

LARGEST_ANSWER = 1e12
"""No count of examples, budget or parameter count is believable beyond this."""

LARGEST = 1e18
"""No other number is larger than this (a billion billion): far above any price, count or
factor, and small enough that the cost model's products of a few of them stay finite."""

SMALLEST = 1e-9
"""No number other than 0 is nearer to 0 than this (a billionth): far below any price, share or
factor, and far above the tiny floats (``5e-324``) whose quotients are infinite."""

WIDEN = 1000.0
"""How far an assumption may be overridden beyond its own stated range, either way: a
thousandth of its low end to a thousand times its high end. A price, a speed or a count
that far off is a typo or a unit mistaken (TFLOP/s for FLOP/s), not a different project."""

_DECIMAL = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
"""A decimal number as JSON and YAML 1.2 write it; PyYAML leaves ``1e5`` (no dot) as text."""
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_BASES = {"x": (16, "hexadecimal"), "o": (8, "octal"), "b": (2, "binary")}
_PREFIXED = re.compile(r"[-+]?0([xob])([0-9a-f_]+)", re.IGNORECASE)
_MAX_DIGITS = 30
"""Longer than this, a number is quoted by its length only (a message stays one short line)."""


class NumberError(ValueError):
    """A value that is not a number the policy accepts, and why, in words for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _quoted(text: str) -> str:
    text = text.strip()
    if len(text) > _MAX_DIGITS:
        return f"a number of {len(text):,} characters"  # 5,000 digits, or digits and more
    return repr(text)


def written(text: str) -> tuple[float, str] | None:
    """A number written in a YAML 1.1 form other than plain decimal, read as the decimal a person
    meant, and a note that says so; ``None`` for any other text. Raises :class:`NumberError` for
    hexadecimal, octal and binary forms."""
    text = text.strip()
    if _LEADING_ZERO.fullmatch(text):
        value = float(text.replace("_", ""))
        return value, f"read {_quoted(text)} as {_decimal(value)} (a leading zero does not make it octal)"
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed:
        base, name = _BASES[prefixed[1].lower()]
        try:
            value = int(prefixed[2].replace("_", ""), base)
        except ValueError:
            raise NumberError(f"{_quoted(text)} is not a number") from None
        decimal = _decimal(-value if text.startswith("-") else value)
        raise NumberError(f"{_quoted(text)} is {name} for {decimal}; write it in decimal: {decimal}")
    return None


def _decimal(value: float) -> str:
    return f"{value:,.0f}" if abs(value) < 1e15 else f"{value:.3g}"


def as_number(value: object, *, notes: bool = True) -> tuple[float, str | None]:
    """``value`` (a number, or a number written as text) as a finite float, and a note when it
    was read from a YAML 1.1 form (``0500``). ``notes=False`` refuses such forms instead, for
    files whose readers are not shown notes (knowledge files).

    Raises :class:`NumberError` for anything else.
    """
    if isinstance(value, bool):
        raise NumberError(f"expected a number, not {str(value).lower()}")
    if isinstance(value, int):
        try:
            return _finite(float(value), str(value)), None
        except OverflowError:
            digits = len(str(abs(value)))
            raise NumberError(
                f"a number of {digits:,} digits is far too large (at most {LARGEST:g})"
            ) from None
    if isinstance(value, float):
        return _finite(value, repr(value)), None
    if isinstance(value, str):
        found = written(value)
        if found is not None:
            if not notes:
                raise NumberError(
                    f"{_quoted(value)} has a leading zero, which YAML 1.1 reads as octal; "
                    f"write {_decimal(found[0])}"
                )
            return found
        if _DECIMAL.fullmatch(value.strip()):
            return _finite(float(value), value), None
        raise NumberError(f"expected a number, not the text {_quoted(value)}")
    raise NumberError(f"expected a number, not a {type(value).__name__}")


def _finite(value: float, text: str) -> float:
    if math.isnan(value):
        raise NumberError("expected a number, not NaN (not a number)")
    if math.isinf(value):
        if _DECIMAL.fullmatch(text.strip()):
            raise NumberError(f"{_quoted(text)} is far too large (at most {LARGEST:g})")
        raise NumberError("is infinite (or too large to hold)")
    return value


def within(
    value: float,
    *,
    low: float = -LARGEST,
    high: float = LARGEST,
    positive: bool = False,
    what: str = "",
) -> float:
    """``value`` when it is in the range, else :class:`NumberError`: from ``low`` (0: not
    negative) to ``high``, and above 0 when ``positive``. ``what`` names what the number counts
    ("USD per GPU-hour"), for the message."""
    counts = f": it is {what}" if what else ""
    if value != 0 and -SMALLEST < value < SMALLEST:
        for_what = f" for {what}" if what else ""
        or_zero = "" if positive else ", or 0"
        raise NumberError(
            f"{_as_written(value)} is too near 0{for_what}: give at least {SMALLEST:g}{or_zero}"
        )
    if positive and not value > 0:
        raise NumberError(f"must be more than 0{counts} (got {value:g})")
    if value < low:
        if low == 0:
            raise NumberError(f"cannot be negative{counts} (got {value:g})")
        raise NumberError(f"must be at least {low:g} (got {value:g})")
    if value > high:
        if what:
            limit = "far more than any" if high == LARGEST else f"more than {high:g}, the most believable for"
            raise NumberError(f"{value:g} is {limit} {what}")
        raise NumberError(f"{value:g} is more than {high:g}, the largest number accepted here")
    return value


@dataclass(frozen=True, slots=True)
class Allowed:
    """The values an assumption may be overridden with: ``low`` to ``high`` in ``unit``, and 0
    too when ``zero`` (nothing divides by it)."""

    low: float
    high: float
    unit: str
    zero: bool = False

    def __str__(self) -> str:
        if self.zero and self.low <= SMALLEST:
            return f"0 to {_shown(self.high)} {self.unit}"
        span = f"{_shown(self.low)} to {_shown(self.high)} {self.unit}"
        return f"0, or {span}" if self.zero else span

    def check(self, value: float) -> float:
        """``value`` when it is allowed, else :class:`NumberError` naming the value, the range
        and the unit."""
        if (value == 0 and self.zero) or self.low <= value <= self.high:
            return value
        return self._refuse(value)

    def _refuse(self, value: float) -> float:
        side = "below" if value < self.low else "above"
        raise NumberError(f"{_as_written(value)} is {side} the range I accept: {self}")


def allowed(low: float, high: float, unit: str, *, divisor: bool = False, signed: bool = False) -> Allowed:
    """What an assumption stated as ``low`` to ``high`` (in ``unit``) may be overridden with: its
    range widened :data:`WIDEN` times either way, within :data:`SMALLEST` and :data:`LARGEST`.

    ``divisor``: a cost formula divides by it, so its floor is above 0 and 0 is refused.
    ``signed``: a rule weighs with it, so it may be as far below 0 as above.
    An assumption stated as 0 alone (your own team's cost, not counted) may be set to anything
    up to :data:`LARGEST_ANSWER`, the most believable budget.
    """
    largest = max(abs(low), abs(high))
    high_end = min(LARGEST, largest * WIDEN) if largest > 0 else LARGEST_ANSWER
    if signed:
        return Allowed(-high_end, high_end, unit)
    low_end = max(SMALLEST, low / WIDEN) if low > 0 else SMALLEST  # a range from 0: from 0
    return Allowed(low_end, high_end, unit, zero=not divisor)


def _as_written(value: float) -> str:
    """A value refused, as short as it was likely written: ``5e-324``, not ``4.94066e-324``."""
    short, exact = f"{value:g}", repr(value)
    return short if float(short) == value and len(short) <= len(exact) else exact


def _shown(value: float) -> str:
    """A bound as a person reads it: ``0.1``, ``300,000``, ``1e+12``."""
    if value == 0 or 1e-4 <= abs(value) < 1e9:
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return f"{value:.3g}"
