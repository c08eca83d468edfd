"""From a decision to what a person reads: the recommendation, its reasons and sources.

:func:`build_report` turns an engine :class:`~advisor.engine.Decision` into a
:class:`Report`: the winner with its rationale, the two alternatives with
"why not" and "would win if", the budget verdicts, caveats, next steps,
assumptions, and every cited claim numbered in order of first use. The
renderers (:mod:`advisor.render`) and the chat both read this one structure,
so the chat, the text, the Markdown and the JSON always say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from advisor.answers import Normalized
from advisor.costs import CostEstimate
from advisor.engine import Decision, Engine, WouldWinIf
from advisor.formatting import format_usd, usd_range
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import MODEL_SIZE
from advisor.kb.models import ApproachId, Assumption, Claim

__all__ = [
    "SCHEMA_VERSION",
    "Alternative",
    "Budget",
    "Reason",
    "Report",
    "build_report",
]

SCHEMA_VERSION = 1
"""Version of the JSON report's shape; bumped only on incompatible changes."""


@dataclass(frozen=True, slots=True)
class Reason:
    """A sentence of rationale and the claims behind it."""

    text: str
    claims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Budget:
    """How a cost range compares with the budget."""

    fits: bool
    """The whole range is within the budget."""
    level: Literal["fits", "tight", "over"]
    """fits: high end within budget; tight: only the low end is; over: even the low end is not."""
    text: str

    @classmethod
    def judge(cls, cost: CostEstimate, budget: float) -> Budget:
        if cost.high <= budget:
            spare = budget - cost.high
            return cls(
                True,
                "fits",
                f"fits your budget of {format_usd(budget)} ({format_usd(spare)} to spare at the high end)",
            )
        if cost.low <= budget:
            return cls(
                False,
                "tight",
                f"may fit your budget of {format_usd(budget)}: the low end "
                f"fits, the high end is {format_usd(cost.high - budget)} over",
            )
        return cls(
            False,
            "over",
            f"is over your budget of {format_usd(budget)} by at least {format_usd(cost.low - budget)}",
        )


@dataclass(frozen=True, slots=True)
class Alternative:
    """An approach that did not win, and why."""

    approach: ApproachId
    name: str
    cost: CostEstimate
    budget: Budget
    score: float
    excluded: bool
    why_not: tuple[Reason, ...]
    would_win_if: WouldWinIf | None

    @property
    def would_win(self) -> str:
        """The counterfactual as a sentence."""
        if self.would_win_if is None:
            return "No change of one or two answers would make it win."
        return f"It would win if {self.would_win_if.text}."


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a rendering shows, built once."""

    kb: KnowledgeBase
    normalized: Normalized
    decision: Decision
    approach: ApproachId
    name: str
    summary: Reason
    cost: CostEstimate
    budget: Budget
    fit_hint: str | None
    """When the winner does not fit: what would (a smaller model, another approach)."""
    rationale: tuple[Reason, ...]
    tie_policy: str
    alternatives: tuple[Alternative, ...]
    caveats: tuple[Reason, ...]
    next_steps: tuple[Reason, ...]
    assumptions: tuple[tuple[Assumption, tuple[float, float], bool], ...]
    """Each assumption used, the value in force, and whether the person overrode it."""
    citations: tuple[Claim, ...]
    """Every claim referenced, in order of first use: citation n is ``citations[n - 1]``."""

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.normalized.warnings

    _numbers: dict[str, int] = field(init=False, repr=False, compare=False)
    """Citation number by claim id, made once from ``citations``."""

    def __post_init__(self) -> None:
        numbers = {claim.id: index for index, claim in enumerate(self.citations, start=1)}
        object.__setattr__(self, "_numbers", numbers)

    def number(self, claim_id: str) -> int:
        """The citation number of a claim (1-based)."""
        return self._numbers[claim_id]

    def numbered(self, claim_id: str) -> int | None:
        """The citation number of a claim, or ``None`` if the report does not cite it."""
        return self._numbers.get(claim_id)

    def cite(self, claim_ids: Iterable[str]) -> str:
        """``[1][4]`` for these claims."""
        numbers = self._numbers
        return "".join(f"[{numbers[c]}]" for c in dict.fromkeys(claim_ids) if c in numbers)


def build_report(kb: KnowledgeBase, engine: Engine, normalized: Normalized) -> Report:
    """Decide and explain: the full report, with counterfactuals for both alternatives."""
    decision = engine.decide(normalized.answers)
    return explain(kb, engine, normalized, decision)


def explain(kb: KnowledgeBase, engine: Engine, normalized: Normalized, decision: Decision) -> Report:
    """The report for a decision already made."""
    answers = normalized.answers
    winner = decision.winner
    approach = kb.approach[winner]
    cost = decision.costs[winner]
    budget = Budget.judge(cost, answers.budget_usd)
    tie_names = ", then ".join(kb.approach[a].name.lower() for a in engine.tie_order)
    tie_policy = f"When scores tie, the approach the documents rank cheaper wins: {tie_names}."

    rationale: list[Reason] = []
    favoring = sorted(
        (rule for rule in decision.fired if decision.weight(rule, winner) > 0),
        key=lambda rule: -decision.weight(rule, winner),
    )
    rationale.extend(Reason(rule.explanation, rule.claims) for rule in favoring)
    if decision.tied:
        runner_up = kb.approach[decision.ranking[1]].name.lower()
        rationale.append(Reason(f"It tied with {runner_up} on the rules. {tie_policy}", kb.costs.tie_claims))
    rationale.append(
        Reason(
            f"Estimated at {usd_range(cost.low, cost.high)}, which {budget.text}.",
            _cost_claims(cost),
        )
    )

    alternatives = tuple(
        _alternative(kb, engine, decision, other) for other in decision.ranking if other != winner
    )
    caveats = tuple(Reason(text, rule.claims) for text, rule in decision.caveats)
    next_steps = tuple(Reason(text, rule.claims) for text, rule in decision.next_steps)

    used_ids = dict.fromkeys(
        a
        for estimate in decision.costs.values()
        for category in estimate.categories
        for a in category.assumptions
    )
    assumptions = tuple((kb.assumption[a], decision.assumed[a], a in answers.assumptions) for a in used_ids)

    summary = Reason(approach.summary, approach.claims)
    cited: dict[str, None] = {}
    for reason in (summary, *rationale):
        cited.update(dict.fromkeys(reason.claims))
    cited.update(dict.fromkeys(_cost_claims(cost)))
    for alternative in alternatives:
        for reason in alternative.why_not:
            cited.update(dict.fromkeys(reason.claims))
    for reason in (*caveats, *next_steps):
        cited.update(dict.fromkeys(reason.claims))
    for assumption, _, _ in assumptions:
        cited.update(dict.fromkeys(assumption.claims))

    return Report(
        kb=kb,
        normalized=normalized,
        decision=decision,
        approach=winner,
        name=approach.name,
        summary=summary,
        cost=cost,
        budget=budget,
        fit_hint=None if budget.fits else _fit_hint(kb, engine, decision),
        rationale=tuple(rationale),
        tie_policy=tie_policy,
        alternatives=alternatives,
        caveats=caveats,
        next_steps=next_steps,
        assumptions=assumptions,
        citations=tuple(kb.claim[c] for c in cited),
    )


def _cost_claims(cost: CostEstimate) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for category in cost.categories for c in category.claims))


def _alternative(kb: KnowledgeBase, engine: Engine, decision: Decision, other: ApproachId) -> Alternative:
    winner = decision.winner
    winner_name = kb.approach[winner].name.lower()
    answers = decision.answers
    cost = decision.costs[other]
    budget = Budget.judge(cost, answers.budget_usd)
    reasons: list[Reason] = []
    for rule_id in decision.excluded.get(other, ()):
        rule = kb.rule[rule_id]
        reasons.append(Reason(f"Ruled out: {rule.explanation}", rule.claims))
    for rule in decision.fired:
        if decision.weight(rule, other) < 0:
            reasons.append(Reason(f"Counts against it: {rule.explanation}", rule.claims))
    gaps = sorted(
        (
            (decision.weight(rule, winner) - decision.weight(rule, other), rule)
            for rule in decision.fired
            if decision.weight(rule, winner) > max(0.0, decision.weight(rule, other))
        ),
        key=lambda item: -item[0],
    )
    for _, rule in gaps[:2]:
        reasons.append(Reason(f"Counts more for {winner_name}: {rule.explanation}", rule.claims))
    if other not in decision.excluded and decision.scores[other] == decision.scores[winner]:
        reasons.append(
            Reason(
                f"It tied with {winner_name} on the rules; "
                "ties go to the approach the documents rank cheaper.",
                kb.costs.tie_claims,
            )
        )
    winner_cost = decision.costs[winner]
    if cost.low + cost.high > winner_cost.low + winner_cost.high:
        reasons.append(
            Reason(
                f"It would cost more: {usd_range(cost.low, cost.high)}, against "
                f"{usd_range(winner_cost.low, winner_cost.high)} (the documents rank it "
                f"{kb.approach[other].tier}, {winner_name} {kb.approach[winner].tier}).",
                (*kb.approach[other].claims, *kb.approach[winner].claims),
            )
        )
    return Alternative(
        approach=other,
        name=kb.approach[other].name,
        cost=cost,
        budget=budget,
        score=decision.scores[other],
        excluded=other in decision.excluded,
        why_not=tuple(reasons),
        would_win_if=engine.would_win_if(decision, other),
    )


def _fit_hint(kb: KnowledgeBase, engine: Engine, decision: Decision) -> str | None:
    """What would fit the budget: the recommendation with a smaller model first."""
    answers = decision.answers
    budget = answers.budget_usd
    winner = decision.winner
    sizes = [c.value for c in kb.question[MODEL_SIZE].choices]
    chosen = answers.values.get(MODEL_SIZE)
    current = sizes.index(chosen) if chosen in sizes else len(sizes)
    for size in reversed(sizes[:current]):
        estimate = engine.cost_model.estimate(winner, {**decision.values, MODEL_SIZE: size}, decision.assumed)
        if estimate.high <= budget:
            return (
                f"With a {size} model instead, {kb.approach[winner].name.lower()} would cost "
                f"{usd_range(estimate.low, estimate.high)}, within your budget."
            )
    for other in decision.ranking[1:]:
        estimate = decision.costs[other]
        if estimate.high <= budget:
            return (
                f"{kb.approach[other].name} would cost {usd_range(estimate.low, estimate.high)}, "
                "within your budget."
            )
    floor = min(
        engine.cost_model.estimate(winner, {**decision.values, MODEL_SIZE: size}, decision.assumed).low
        for size in sizes
    )
    if floor > budget:
        return (
            f"Even the cheapest setup for {kb.approach[winner].name.lower()} starts at about "
            f"{format_usd(floor)}; a budget near that is needed, or lower assumptions that fit your case."
        )
    return None
