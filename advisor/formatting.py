"""Numbers as a person reads them: dollars, counts, parameter counts, ranges.

One place for every number the advisor prints, so the report, the chat and
the messages about answers all write ``$10,000``, ``2,000`` and ``7B`` alike.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["format_amount", "format_params", "format_usd", "format_value", "usd_range", "with_article"]

_WHOLE_UP_TO = 1e15
"""Beyond this an amount is written with an exponent (``$1e+18``), not with 19 digits."""


def format_usd(amount: float) -> str:
    """``$1,234``: whole dollars (an estimate's cents are noise), and ``under $1`` for less.

    Any float is shown, though the number policy (:mod:`advisor.bounds`) keeps the odd ones
    out of every report: ``-$460``, ``$1e+308``, ``an unknown amount`` (NaN), ``an unbounded
    amount`` (infinity).
    """
    amount = _float(amount)
    if math.isnan(amount):
        return "an unknown amount"
    if math.isinf(amount):
        return "an unbounded amount" if amount > 0 else "a negative unbounded amount"
    if 0 < amount < 0.5:
        return "under $1"
    sign = "-" if amount <= -0.5 else ""
    if abs(amount) >= _WHOLE_UP_TO:
        return f"{sign}${abs(amount):.3g}"
    return f"{sign}${round(abs(amount)):,}"


def _float(value: float) -> float:
    """``value`` as a float; an integer too large for one (10**400) as infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def usd_range(low: float, high: float) -> str:
    """``$1,000 – $5,000``, or one amount when both ends agree."""
    low, high = _float(low), _float(high)
    if format_usd(low) == format_usd(high) or (
        math.isfinite(low) and math.isfinite(high) and round(low) == round(high)
    ):
        return format_usd(low)
    return f"{format_usd(low)} – {format_usd(high)}"


def format_params(count: float) -> str:
    """A parameter count the way people write it: ``110M``, ``7B``, ``1.5T``."""
    count = _float(count)
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if math.isfinite(count) and count >= scale:
            return f"{count / scale:g}{unit}"
    return f"{count:g}"


def format_amount(low: float, high: float) -> str:
    """An assumption's value: ``0.5``, or ``0.25 to 2`` for a range."""
    low, high = _float(low), _float(high)
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"


def format_value(value: Any, kind: str | None) -> str:
    """An answer value as a person reads it: ``$10,000``, ``2,000``, ``labeled``, ``not given``.

    ``kind`` is the question's kind (``money``, ``count``...), when known.
    """
    if value is None:
        return "not given"
    if kind == "money" and isinstance(value, int | float):
        return format_usd(value)
    if kind == "count" and isinstance(value, int | float):
        value = _float(value)
        return f"{value:,.0f}" if abs(value) < _WHOLE_UP_TO or not math.isfinite(value) else f"{value:.3g}"
    if kind == "model_size" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{format_params(value)} parameters"
    if isinstance(value, tuple | list | frozenset):
        return ", ".join(format_value(item, kind) for item in value)
    return str(value)


def with_article(amount: str) -> str:
    """An amount with its article, as it is said: "a 7B", "an 8B", "an 11B", "a 110M", "an $8,000"."""
    digits = amount.lstrip("$").split(".")[0].replace(",", "")
    whole = len(digits) if digits.isdigit() else len(digits.rstrip("KMBTkmbt"))
    spoken_an = digits.startswith("8") or (digits[:2] in ("11", "18") and whole % 3 == 2)
    return f"{'an' if spoken_an else 'a'} {amount}"
