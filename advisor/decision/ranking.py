"""The ranking: how the approaches are ordered once the rules have spoken and the costs are known.

:func:`rank` is the one place the order is decided. The decision, its trace, the verdicts
of the what-if search and the flips of the sensitivity analysis all ask it, so they cannot
disagree. The policy:

1. An approach a rule rules out comes after every other, whatever its score.
2. Each approach's cost interval is judged against the budget: it *fits* (even the high end
   is within the budget), it is *tight* (only the low end is), or it is *over*.
3. Each level is worth ``budget_points`` points (fits two, tight one, over none), added to
   what the rules scored; the highest total wins.
4. Equal totals go to the first of ``tie_order`` (the documents rank transfer learning cheapest).
5. Were every approach ruled out (a defect ``kb check`` reports), the first of ``tie_order``
   still wins, so that a person gets an answer.
6. With no budget (the person was not sure, or wants it "as cheap as possible"), no interval
   is judged (every level is ``unset``, worth no points): the rules' scores decide, equal
   scores go to the cheaper estimate (the lower high end, then the lower low end) before
   ``tie_order``, and the approaches after the winner are ordered by cost, cheapest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from advisor.decision.estimates import Pair
from advisor.kb.fields import BUDGET
from advisor.kb.models import APPROACHES, ApproachId
from advisor.records import dataclass

__all__ = [
    "LEVELS",
    "BudgetLevel",
    "Policy",
    "Ranking",
    "Standing",
    "budget_of",
    "level_of",
    "points",
    "rank",
]

BudgetLevel = Literal["fits", "tight", "over", "unset"]
LEVELS: tuple[BudgetLevel, ...] = ("over", "tight", "fits")
"""The budget levels, worst first: a level's index is the points it is worth. ``unset`` (no
budget given) is none of them, and worth no points."""


def level_of(low: float, high: float, budget: float | None) -> BudgetLevel:
    """fits: the whole interval is within the budget; tight: its low end is; over: not even that;
    unset: there is no budget to judge it against."""
    if budget is None:
        return "unset"
    if high <= budget:
        return "fits"
    if low <= budget:
        return "tight"
    return "over"


def points(level: BudgetLevel) -> int:
    """How many budget levels ``level`` is worth (``unset``: none)."""
    return LEVELS.index(level) if level in LEVELS else 0


def budget_of(values: Mapping[str, Any]) -> float | None:
    """The budget of completed answers; ``None`` when the person gave none."""
    budget = values.get(BUDGET)
    return None if budget is None else float(budget)


@dataclass(frozen=True, slots=True)
class Standing:
    """What the deciding rules make of answers, before any cost is known."""

    scores: Mapping[ApproachId, float]
    """What the fired rules add up to, for each approach."""
    excluded: Mapping[ApproachId, tuple[str, ...]]
    """The approaches ruled out, each with the rules that rule it out."""


@dataclass(frozen=True, slots=True)
class Policy:
    """The knowledge base's numbers that the ranking reads."""

    budget_points: float
    """What one budget level is worth, in the rules' points."""
    tie_order: tuple[ApproachId, ...]
    """Who wins a tie: the first listed."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """The approaches in order, and what ordered them."""

    levels: Mapping[ApproachId, BudgetLevel]
    totals: Mapping[ApproachId, float]
    """Scores plus the budget's points."""
    order: tuple[ApproachId, ...]
    """All three approaches, best first (those ruled out last)."""
    winner: ApproachId
    tied: bool
    """Whether the winner's total equals the runner-up's, and the tie order decided."""


def rank(
    standing: Standing, intervals: Mapping[ApproachId, Pair], budget: float | None, policy: Policy
) -> Ranking:
    """Order the approaches by the policy in this module's docstring."""
    scores, excluded = standing.scores, standing.excluded
    levels = {approach: level_of(*intervals[approach], budget) for approach in APPROACHES}
    totals = {a: scores[a] + policy.budget_points * points(levels[a]) for a in APPROACHES}

    def cost(approach: ApproachId) -> tuple[float, float]:
        """Without a budget, the cheaper estimate first; with one, the budget has judged cost."""
        return (intervals[approach][1], intervals[approach][0]) if budget is None else (0.0, 0.0)

    order = tuple(
        sorted(APPROACHES, key=lambda a: (a in excluded, -totals[a], cost(a), policy.tie_order.index(a)))
    )
    winner = policy.tie_order[0] if order[0] in excluded else order[0]
    if budget is None:  # after the winner, cheapest first (those ruled out last)
        rest = sorted((a for a in order if a != winner), key=lambda a: (a in excluded, cost(a)))
        order = (winner, *rest)
    tied = any(
        a != winner and a not in excluded and totals[a] == totals[winner] and cost(a) == cost(winner)
        for a in APPROACHES
    )
    return Ranking(levels, totals, order, winner, tied)
