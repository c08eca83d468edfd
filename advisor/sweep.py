"""A sweep of the answer space, reading every report as a practitioner would.

``kb check`` runs it on a grid of realistic profiles (every task; labeled,
partly labeled and unlabeled data in small and large amounts, and no data at
all; every model size; small, middling and large budgets; a hired or an
in-house team) and counts what a practitioner would not sign:

- **budget ignored**: the recommendation may not fit (or does not) while an
  approach that was not ruled out fits better;
- **reason for a loser**: a reason listed for the recommendation whose rule
  favors another approach more;
- **advice against the costs**: a caveat or next step quoting a dollar figure
  that the recommended cost lines do not come near (within a factor of 2);
- **gives something up**: a "would win if" that takes away labels or data,
  or changes the task;
- **would not win**: a "would win if" that does not make its approach the
  recommendation when applied;
- **cost falls as the project grows**: the recommended compute is lower with a
  larger model (same method) or ten times the labeled data;
- the median width of the recommended interval (its high end over its low end).

The shipped knowledge base scores 0 on every count, with a median width of at
most :data:`MAX_WIDTH`; a test keeps it so.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from advisor.answers import Answers, Normalized
from advisor.decision.engine import Decision, Engine
from advisor.formatting import format_usd
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import BUDGET, DATA, LABELED_EXAMPLES, METHOD, MODEL_SIZE, TASK
from advisor.reading import band_of
from advisor.report import Report, explain

__all__ = ["FINDINGS", "MAX_WIDTH", "Sweep", "sweep"]

MAX_WIDTH = 3.0
"""The largest median high/low ratio of a recommended interval a practitioner can decide with."""

FINDINGS = {
    "budget_ignored": "budget ignored while another approach fits better",
    "reason_for_loser": "reasons listed for the recommendation that favor another approach more",
    "advice_against_costs": "caveats or next steps whose dollar figures the cost lines do not come near",
    "gives_something_up": '"would win if" asking to give up data or labels, or to change the task',
    "would_not_win": '"would win if" that does not make its approach win when applied',
    "cost_falls": "recommended compute that falls as the model or the data grows",
}
"""Each count the sweep keeps, and what it means."""

_GRID: dict[str, tuple[Any, ...]] = {
    "budget_usd": (2_000, 20_000, 200_000),
    "team": (None, "in-house"),
}
_DATA: tuple[dict[str, Any], ...] = (
    {"labels": "labeled", "labeled_examples": 500},
    {"labels": "labeled", "labeled_examples": 5_000},
    {"labels": "labeled", "labeled_examples": 50_000},
    {"labels": "partially-labeled", "labeled_examples": 500, "unlabeled_examples": 0},
    {"labels": "partially-labeled", "labeled_examples": 500, "unlabeled_examples": 50_000},
    {"labels": "partially-labeled", "labeled_examples": 5_000, "unlabeled_examples": 500_000},
    {"labels": "unlabeled", "unlabeled_examples": 0},
    {"labels": "unlabeled", "unlabeled_examples": 5_000},
    {"labels": "unlabeled", "unlabeled_examples": 1_000_000},
    {"labels": "none-yet"},
)
"""The situations people are in: how much data, how much of it labeled."""


@dataclass
class Sweep:
    """What the sweep counted, with one example of each finding."""

    profiles: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FINDINGS, 0))
    examples: dict[str, str] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    wins: dict[str, int] = field(default_factory=dict)
    """How many profiles each approach is recommended for."""
    seconds: float = 0.0

    @property
    def median_width(self) -> float:
        return statistics.median(self.widths) if self.widths else 0.0

    def note(self, finding: str, profile: dict[str, Any], detail: str) -> None:
        self.counts[finding] += 1
        if finding not in self.examples:
            shown = ", ".join(f"{k}={v}" for k, v in profile.items() if v is not None)
            self.examples[finding] = f"{shown}: {detail}"


def profiles(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """The grid of answers the sweep reads (see the module's docstring)."""
    kinds = [choice.value for choice in kb.question[DATA].choices] if DATA in kb.question else [None]
    sizes = [choice.value for choice in kb.question[MODEL_SIZE].choices]
    for kind, data, size, budget, team in itertools.product(
        kinds, _DATA, sizes, _GRID["budget_usd"], _GRID["team"]
    ):
        profile = {TASK: f"classify {kind}", DATA: kind, **data, MODEL_SIZE: size, BUDGET: float(budget)}
        if "team" in kb.question:
            profile["team"] = team
        yield {key: value for key, value in profile.items() if key in kb.question}


def sweep(
    kb: KnowledgeBase, engine: Engine | None = None, grid: Iterator[dict[str, Any]] | None = None
) -> Sweep:
    """Read the report of every profile of the grid (:func:`profiles` by default); count what a
    practitioner would not sign."""
    engine = engine or Engine(kb)
    result = Sweep()
    started = time.perf_counter()
    for profile in grid if grid is not None else profiles(kb):
        values = engine.space.visible(
            {question.id: profile.get(question.id, question.default) for question in kb.questions}
        )
        answers = Answers(values)
        decision = engine.decide(answers)
        report = explain(kb, Normalized(answers, ()), decision)
        result.profiles += 1
        result.wins[decision.winner] = result.wins.get(decision.winner, 0) + 1
        if report.cost.low > 0:
            result.widths.append(report.cost.high / report.cost.low)
        _budget(result, profile, report)
        _reasons(result, profile, report)
        _advice(result, profile, report)
        _counterfactuals(result, profile, engine, report)
        _growth(result, profile, engine, decision)
    result.seconds = time.perf_counter() - started
    return result


def _budget(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """The recommendation is over the budget while another approach, not ruled out, fits it."""
    decision = report.decision
    if decision.levels[decision.winner] != "over":
        return
    for other in decision.ranking:
        if other != decision.winner and other not in decision.excluded and decision.levels[other] != "over":
            result.note(
                "budget_ignored",
                profile,
                f"{decision.winner} {decision.levels[decision.winner]}, {other} {decision.levels[other]}",
            )
            return


def _reasons(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    decision = report.decision
    explained = {reason.text for reason in report.rationale}
    weights_of = decision.weights  # read once per rule: there may be thousands
    for rule in decision.fired:
        if rule.explanation not in explained:
            continue
        weights = weights_of[rule.id]
        mine = weights.get(decision.winner, 0.0)
        if any(weights.get(other, 0.0) > mine for other in decision.ranking):
            result.note("reason_for_loser", profile, f"{rule.id} is listed for {decision.winner}")
            return


def _advice(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """A caveat or next step that quotes a project cost ("$100 to $1,000 of cloud compute") must
    come within a factor of 2 of the recommended estimate of the categories that figure covers."""
    for reason in (*report.caveats, *report.next_steps):
        for claim_id in reason.claims:
            for figure in report.kb.claim[claim_id].figures:
                if not figure.covers or format_usd(figure.amount) not in reason.text:
                    continue
                low, high = figure.amount, figure.amount_high or figure.amount
                covered = [c for c in report.cost.categories if c.category in figure.covers]
                spent_low, spent_high = sum(c.low for c in covered), sum(c.high for c in covered)
                if spent_high < low / 2 or spent_low > high * 2:
                    result.note(
                        "advice_against_costs",
                        profile,
                        f"{claim_id} says {format_usd(low)} to {format_usd(high)}; the estimate's "
                        f"{' + '.join(figure.covers)} is {format_usd(spent_low)} to {format_usd(spent_high)}",
                    )
                    return


def _counterfactuals(result: Sweep, profile: dict[str, Any], engine: Engine, report: Report) -> None:
    decision = report.decision
    kb = report.kb
    for alternative in report.alternatives:
        would = alternative.would_win_if
        if would is None:
            continue
        for change in would.changes:
            question = kb.question[change.field]
            if _gives_up(question, change.before, change.after):
                result.note("gives_something_up", profile, f"{alternative.approach} with {change.text}")
        applied = engine.with_answers(decision, {change.field: change.after for change in would.changes})
        if applied.winner != alternative.approach:
            result.note(
                "would_not_win", profile, f"{alternative.approach} with {would.text}: {applied.winner} wins"
            )


def _gives_up(question: Any, before: Any, after: Any) -> bool:
    if question.what_if == "never":
        return True
    if question.what_if != "more":
        return False
    if question.kind == "count":
        return isinstance(before, int | float) and isinstance(after, int | float) and after < before
    order = [choice.value for choice in question.choices]
    return before in order and after in order and order.index(after) > order.index(before)


def _growth(result: Sweep, profile: dict[str, Any], engine: Engine, decision: Decision) -> None:
    winner = decision.winner
    model = engine.cost_model
    draws = model.draws(decision.assumed)
    compute = _compute_median(model.estimate(winner, decision.values, draws))
    question = engine.kb.question[MODEL_SIZE]
    bands = [choice.value for choice in question.choices]
    band = band_of(question, float(decision.values.get("model_params") or 0.0))
    fixed = {METHOD: decision.values.get(METHOD)}
    if band in bands and bands.index(band) + 1 < len(bands):
        bigger = engine.space.complete(
            {**decision.answers.values, MODEL_SIZE: bands[bands.index(band) + 1], **fixed}, decision.assumed
        )
        grown = _compute_median(model.estimate(winner, bigger, draws))
        if grown < compute * 0.999:
            result.note(
                "cost_falls", profile, f"compute ${compute:,.0f} falls to ${grown:,.0f} with a larger model"
            )
            return
    have = decision.values.get(LABELED_EXAMPLES)
    if isinstance(have, int | float) and have > 0:
        more = engine.space.complete(
            {**decision.answers.values, LABELED_EXAMPLES: have * 10, **fixed}, decision.assumed
        )
        grown = _compute_median(model.estimate(winner, more, draws))
        if grown < compute * 0.999:
            result.note(
                "cost_falls",
                profile,
                f"compute ${compute:,.0f} falls to ${grown:,.0f} with ten times the data",
            )


def _compute_median(estimate: Any) -> float:
    return next((c.spread.median for c in estimate.categories if c.category == "compute"), 0.0)
