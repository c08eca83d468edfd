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
an assumption, in the knowledge base or    -:data:`LARGEST` to :data:`LARGEST`, and not
overridden in an answers file, and a       below 0 unless a rule weighs with it (a weight
constant                                   below 0 disfavors: ``KnowledgeBase.weights``)
any other number in a knowledge file       -:data:`LARGEST` to :data:`LARGEST`; above 0
                                           or not below 0 where the field says so
                                           (documented costs, parameter counts)
=========================================  ============================================

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

__all__ = ["LARGEST", "LARGEST_ANSWER", "NumberError", "as_number", "within", "written"]

LARGEST_ANSWER = 1e12
"""No count of examples, budget or parameter count is believable beyond this."""

LARGEST = 1e18
"""No other number is larger than this (a billion billion): far above any price, count or
factor, and small enough that the cost model's products of a few of them stay finite."""

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
