"""What an approach would cost: percentile intervals of the total, by category and by line.

An estimate reports the total's ``interval.low``-th to ``interval.high``-th percentiles (10th
to 90th by default), each category's and line's own percentiles (they do not add up:
percentiles of a sum are not sums of percentiles), and the median.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import field

from advisor.decision.formulas import Value
from advisor.kb.models import ApproachId, Category, CostLine
from advisor.records import dataclass

__all__ = [
    "CategoryCost",
    "CostEstimate",
    "LineCost",
    "Pair",
    "Spread",
    "Spreads",
    "percentile",
]

Pair = tuple[float, float]
"""A low-high range."""


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


class Spreads(Mapping[str, Spread]):
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

    @property
    def weeks(self) -> str | None:
        """The weeks of work a personnel line shows ("2.0 – 3.7", "1.5"), if any."""
        for category in self.categories:
            for line in category.lines:
                if line.shows is not None:
                    low, high = line.shows.low, line.shows.high
                    return f"{low:.1f}" if round(low, 1) == round(high, 1) else f"{low:.1f} – {high:.1f}"
        return None
