"""The ranking: how the approaches are ordered once the rules have spoken and the costs are known.

:func:`rank` is the one place the order is decided. The decision, its trace, the verdicts
of the what-if search and the flips of the sensitivity analysis all ask it, so they cannot
disagree. The budget filters; it does not vote. The policy:

1. An approach a rule rules out comes after every other, whatever its score.
2. Each approach's cost is judged against the budget by one fixed statistic of its cost draws,
   the **median**: it *fits* the budget when its median is within it. The percentiles a report
   shows (``interval:`` in an answers file) are never read here, so they cannot change the
   decision. A plan that fits is *tight* when a fixed upper percentile of its draws
   (``budget_tight_percentile``, not the shown interval either) is over the budget: a warning
   the report gives, never a reason in the decision.
3. Among the approaches that fit, the rules' highest score wins; equal scores go to the cheaper
   median, then to the first of ``tie_order`` (the documents rank transfer learning cheapest).
4. When none fits, the cheapest median wins (equal medians: the higher score, then
   ``tie_order``), and the report says by how much it is over.
5. Were every approach ruled out (a defect ``kb check`` reports), the first of ``tie_order``
   still wins, so that a person gets an answer.
6. With no budget (the person was not sure, or wants it "as cheap as possible"), every level is
   ``unset``: the rules' scores decide, equal scores go to the cheaper median before
   ``tie_order``, and the approaches after the winner are ordered by cost, cheapest first.

What this guarantees as the budget grows, everything else equal (``kb check``'s sweep counts
each at 0): the set of approaches that fit only grows, and the winner is the best of that set
by one fixed order (score, then cheaper, then ``tie_order``), or the cheapest while the set is
empty, which is the first to join it. So

- **no flip-back**: the budgets at which an approach is recommended form one unbroken stretch;
  once the advice leaves an approach as the budget grows, it never comes back to it;
- **more money never buys a cheaper plan**: the recommended median cost never falls as the
  budget grows; a change of recommendation with more money is always to a plan that did not
  fit before and costs more;
- **the interval does not count**: the same answers with other display percentiles get the same
  recommendation, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

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
    "fits",
    "level_of",
    "rank",
]

BudgetLevel = Literal["fits", "tight", "over", "unset"]
LEVELS: tuple[BudgetLevel, ...] = ("over", "tight", "fits")
"""The budget levels, worst first. ``unset`` (no budget given) is none of them."""


def fits(median: float, budget: float | None) -> bool:
    """Whether a plan of this median cost fits the budget (any plan fits when there is none)."""
    return budget is None or median <= budget


def level_of(median: float, upper: float, budget: float | None) -> BudgetLevel:
    """fits: the median and the fixed upper percentile are within the budget; tight: only the
    median is; over: the median is not; unset: there is no budget to judge it against."""
    if budget is None:
        return "unset"
    if median > budget:
        return "over"
    return "fits" if upper <= budget else "tight"


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

    tie_order: tuple[ApproachId, ...]
    """Who wins a tie: the first listed."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """The approaches in order, and what ordered them."""

    levels: Mapping[ApproachId, BudgetLevel]
    totals: Mapping[ApproachId, float]
    """The rules' scores (the budget adds nothing: it filters)."""
    order: tuple[ApproachId, ...]
    """All three approaches, best first (those ruled out last)."""
    winner: ApproachId
    tied: bool
    """Whether another approach that fits scored the same as the winner: the cheaper median (then
    the tie order) decided."""


def rank(
    standing: Standing,
    medians: Mapping[ApproachId, float],
    budget: float | None,
    policy: Policy,
    uppers: Mapping[ApproachId, float] | None = None,
) -> Ranking:
    """Order the approaches by the policy in this module's docstring: ``medians`` decide,
    ``uppers`` (each approach's fixed upper percentile) only tell ``fits`` from ``tight``."""
    scores, excluded = standing.scores, standing.excluded
    upper = uppers or medians
    levels = {a: level_of(medians[a], upper[a], budget) for a in APPROACHES}
    fitting = [a for a in APPROACHES if a not in excluded and (budget is None or medians[a] <= budget)]
    tie = policy.tie_order.index
    # The rules' best of those that fit; equal scores: the cheaper, then tie_order.
    ordered = sorted(fitting, key=lambda a: (-scores[a], medians[a], tie(a)))
    # Over the budget: the cheapest first, since it is the first that a larger budget admits.
    over = sorted(
        (a for a in APPROACHES if a not in excluded and a not in fitting),
        key=lambda a: (medians[a], -scores[a], tie(a)),
    )
    out = sorted((a for a in APPROACHES if a in excluded), key=tie)
    order = (*ordered, *over, *out)
    winner = policy.tie_order[0] if not ordered and not over else order[0]
    if budget is None:  # after the winner, cheapest first (those ruled out last)
        rest = sorted((a for a in order if a != winner), key=lambda a: (a in excluded, medians[a]))
        order = (winner, *rest)
    elif winner != order[0]:
        order = (winner, *(a for a in order if a != winner))
    tied = winner in fitting and any(a != winner and scores[a] == scores[winner] for a in fitting)
    return Ranking(levels, dict(scores), order, winner, tied)
