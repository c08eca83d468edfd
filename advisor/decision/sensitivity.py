"""What moves the cost: every approach priced with each assumption moved alone.

One evaluation of the cost model prices every *scenario* at once: everything at its median,
then each assumption (and cited figure) at the low and at the high end of its range, or at half
and twice a single number. From the scenarios come:

- which assumptions move each cost line's dollars (the report cites those, not every name a
  formula reads);
- the swings: the recommended total with each assumption at either end, the others at their
  medians, largest first;
- the worst case: every assumption at its costliest end;
- the flips: assumptions that, at one end of their own range, change the recommendation. Each
  approach's interval is shifted by the assumption's effect to find candidates; each is
  confirmed by deciding again with the assumption at that end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from advisor.answers import Answers
from advisor.decision.engine import Decision, budget_free
from advisor.kb.models import ApproachId, Assumption, CostLine
from advisor.records import dataclass

__all__ = ["Flip", "Sensitivity", "Swing", "sensitivity"]

LEAST_SWING = 0.5
"""A swing of less than this many dollars is no swing."""


@dataclass(frozen=True, slots=True)
class Swing:
    """How far one assumption moves the recommended total across its own range."""

    assumption: Assumption
    at_low: float
    at_high: float
    """The total with this assumption at its low and high end, every other at its median."""

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


@dataclass(frozen=True, slots=True)
class Flip:
    """An assumption that, at one end of its own range, changes the recommendation."""

    assumption: Assumption
    value: float
    approach: ApproachId
    """What would be recommended instead."""


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """What moves the cost of a decision, and what would change it."""

    uses: Mapping[ApproachId, Mapping[str, tuple[str, ...]]]
    """Per approach and cost line, the assumptions and cited figures that move its dollars."""
    swings: tuple[Swing, ...]
    """The assumptions that move the recommended total, the largest swing first."""
    worst_case: float
    """The recommended total with every assumption at its costliest end."""
    flips: tuple[Flip, ...]


@dataclass(frozen=True, slots=True)
class _Scenarios:
    """Every approach priced with each assumption (and cited figure) moved alone."""

    names: tuple[str, ...]
    """Scenario 0 has everything at its median; 2i+1 and 2i+2 move ``names[i]`` down and up."""
    lines: Mapping[ApproachId, list[tuple[CostLine, list[float]]]]
    """Per approach, each applicable cost line with its dollars in every scenario."""
    totals: Mapping[ApproachId, list[float]]
    index: Mapping[str, int]
    """Each name's place in :attr:`names`."""

    def matters(self, approach: ApproachId, line_id: str, reads: Iterable[str]) -> tuple[str, ...]:
        """Of the names a line reads, those that move its dollars."""
        index = self.index
        for line, column in self.lines[approach]:
            if line.id == line_id:
                middle = column[0]
                near = 1e-9 * max(1.0, abs(middle))
                return tuple(
                    name
                    for name in reads
                    if (i := index.get(name)) is not None
                    and (abs(column[2 * i + 1] - middle) > near or abs(column[2 * i + 2] - middle) > near)
                )
        return ()


def sensitivity(decision: Decision) -> Sensitivity:
    """The swings, the worst case and the flips of a decision (see the module's docstring)."""
    engine = decision.engine
    key = budget_free(decision.answers)
    scenarios: _Scenarios = engine.remember(("scenarios", *key), lambda: _scenarios(decision))
    # What moves each line, the swings and the worst case do not depend on the budget either.
    every_use = engine.remember(("uses", *key), lambda: _uses(decision, scenarios))
    ranged = frozenset(
        name
        for name in scenarios.names
        if name in decision.assumed and decision.assumed[name][0] < decision.assumed[name][1]
    )

    def moves() -> tuple[tuple[Swing, ...], float]:
        swings = _swings(decision, scenarios, ranged)
        ranked = sorted((s for s in swings if s.swing > LEAST_SWING), key=lambda s: -s.swing)
        return tuple(ranked), _worst_case(decision, swings)

    swings, worst_case = engine.remember(("swings", decision.winner, *key), moves)
    uses = {approach: every_use[approach] for approach in decision.ranking}
    return Sensitivity(uses, swings, worst_case, _flips(decision, scenarios, ranged))


def _uses(decision: Decision, scenarios: _Scenarios) -> dict[ApproachId, dict[str, tuple[str, ...]]]:
    """Per approach and cost line, the names that move its dollars."""
    return {
        approach: {
            line.line.id: scenarios.matters(approach, line.line.id, line.reads)
            for category in cost.categories
            for line in category.lines
        }
        for approach, cost in decision.costs.items()
    }


def _scenarios(decision: Decision) -> _Scenarios:
    model = decision.engine.cost_model
    read = dict.fromkeys(
        name
        for estimate in decision.costs.values()
        for category in estimate.categories
        for line in category.lines
        for name in line.reads
    )
    ranges = {**decision.assumed, **model.cited}
    names = tuple(name for name in read if name in ranges)
    middle = model.middle(decision.assumed)
    count = 1 + 2 * len(names)
    points: dict[str, Any] = dict(middle)
    for index, name in enumerate(names):
        low, high = ranges[name]
        if low == high:
            low, high = low / 2, high * 2
        column = [middle[name]] * count
        column[2 * index + 1], column[2 * index + 2] = low, high
        points[name] = column
    lines: dict[ApproachId, list[tuple[CostLine, list[float]]]] = {}
    totals: dict[ApproachId, list[float]] = {}
    for approach, amounts in model.line_amounts(decision.ranking, decision.values, points).items():
        priced = [
            (line, amount if isinstance(amount, list) else [float(amount)] * count)
            for line, amount in amounts
        ]
        lines[approach] = priced
        totals[approach] = [sum(scenario) for scenario in zip(*(column for _, column in priced), strict=True)]
    return _Scenarios(names, lines, totals, {name: i for i, name in enumerate(names)})


def _swings(decision: Decision, scenarios: _Scenarios, ranged: frozenset[str]) -> list[Swing]:
    """The recommended total with each assumption that has a range at either end."""
    column = scenarios.totals[decision.winner]
    assumption = decision.engine.kb.assumption
    return [
        Swing(assumption[name], column[2 * i + 1], column[2 * i + 2])
        for i, name in enumerate(scenarios.names)
        if name in ranged and column[2 * i + 1] != column[2 * i + 2]
    ]


def _worst_case(decision: Decision, swings: list[Swing]) -> float:
    """The recommended total with every assumption at its costliest end (never below the interval)."""
    model = decision.engine.cost_model
    costliest = dict(model.middle(decision.assumed))
    for swing in swings:
        low, high = decision.assumed[swing.assumption.id]
        costliest[swing.assumption.id] = high if swing.at_high >= swing.at_low else low
    worst = model.total_at(decision.winner, decision.values, costliest)
    return max(max(worst) if isinstance(worst, list) else float(worst), decision.costs[decision.winner].high)


def _flips(decision: Decision, scenarios: _Scenarios, ranged: frozenset[str]) -> tuple[Flip, ...]:
    """The assumptions that change the recommendation at one end of their range."""
    engine = decision.engine
    judge = engine.judging(decision.values)
    ends, shifts = engine.remember(
        ("shifts", *budget_free(decision.answers)), lambda: _shifts(decision, scenarios, ranged)
    )
    moved = [judge(shifted) != decision.winner for shifted in shifts]
    flips: list[Flip] = []
    for name, end, shift in ends:
        if not moved[shift]:  # no verdict moved
            continue
        value = decision.assumed[name][end]
        answers = Answers(decision.answers.values, {**decision.answers.assumptions, name: value})
        changed = engine.verdict(answers)
        if changed.winner != decision.winner:
            flips.append(Flip(engine.kb.assumption[name], value, changed.winner))
    return tuple(flips)


def _shifts(
    decision: Decision, scenarios: _Scenarios, ranged: frozenset[str]
) -> tuple[list[tuple[str, int, int]], list[dict[ApproachId, float]]]:
    """Each ranged assumption at each end (0 low, 1 high), in order, with the index of its shifted
    medians: each approach's median moved by the assumption's effect (the budget is judged by
    medians only). Many assumptions shift them alike: each set is listed once, to be judged once."""
    ends: list[tuple[str, int, int]] = []
    index_of: dict[tuple[float, ...], int] = {}
    shifts: list[dict[ApproachId, float]] = []
    for index, name in enumerate(scenarios.names):
        if name not in ranged:
            continue
        for end, scenario in ((0, 2 * index + 1), (1, 2 * index + 2)):
            shifted = {
                approach: cost.median + scenarios.totals[approach][scenario] - scenarios.totals[approach][0]
                for approach, cost in decision.costs.items()
            }
            seen = tuple(shifted.values())
            if seen not in index_of:
                index_of[seen] = len(shifts)
                shifts.append(shifted)
            ends.append((name, end, index_of[seen]))
    return ends, shifts
