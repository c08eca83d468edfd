"""What if: the smallest change a person could choose that makes another approach win, the
choices that would bring the plan's cost down, and what full fine-tuning would cost instead.

Only changes a person could choose (:func:`options`): a larger count, a choice listed before
the current one for "more" questions (never giving up labels or data), any model size,
method, team or hardware, and any budget; never the task. Every verdict is the engine's own
ranking (:func:`advisor.decision.ranking.rank`), so a change found here makes its approach
win when the decision is made again.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, cast

from advisor.answers import Answers, asked
from advisor.conditions import holds, plain_value
from advisor.decision.costs import Point
from advisor.decision.engine import Decision, Engine, Verdict, budget_free
from advisor.decision.estimates import Spread
from advisor.decision.ranking import Standing, budget_of
from advisor.formatting import format_usd, format_value
from advisor.kb.fields import BUDGET, LABELED_EXAMPLES, METHOD, MODEL_PARAMS, UNLABELED_EXAMPLES
from advisor.kb.models import APPROACHES, ApproachId, Question
from advisor.reading import band_of
from advisor.records import dataclass

__all__ = [
    "Change",
    "Saving",
    "WouldWinIf",
    "counterfactuals",
    "describe_change",
    "full_fine_tuning",
    "options",
    "savings",
    "would_win_if",
]

LABELS = "labels"
"""The question of whether the data is labeled: a change to it is a labeling job, with its price."""
UNLABELED = ("unlabeled", "partially-labeled")
"""The answers to it under which some of the person's own data could be labeled."""

SAVING_SHARE = 0.97
"""A change saves only if it brings the plan's high end below this share of what it was."""


@dataclass(frozen=True, slots=True)
class Change:
    """One answer changed by a counterfactual."""

    field: str
    before: Any
    after: Any
    text: str
    """In words: ``a budget of at least $48,000``, ``labeled data``."""
    less: bool = False
    """A lower budget: a choice to spend less, stated as such."""
    also: tuple[tuple[str, Any], ...] = ()
    """Other answers the change sets with it: labeling part of the data sets the counts, and
    takes what the labeling costs out of the budget."""


@dataclass(frozen=True, slots=True)
class WouldWinIf:
    """The smallest change a person could choose that makes an approach the recommendation."""

    approach: ApproachId
    changes: tuple[Change, ...]

    @property
    def text(self) -> str:
        return " and ".join(change.text for change in self.changes)


@dataclass(frozen=True, slots=True)
class Saving:
    """A choice that would bring the recommended plan's cost down."""

    text: str
    cost: Spread


Candidate = tuple[float, tuple[Change, ...]]
"""A change found, and how far it is from the person's answers."""


def counterfactuals(decision: Decision) -> dict[ApproachId, WouldWinIf | None]:
    """For each approach that did not win, the smallest change a person could choose that makes
    it the recommendation, or ``None``.

    One answer changes, or one answer and the budget; the smallest change wins (a choice counts
    1, a number changed tenfold counts 1). Candidates are found with each approach's interval
    scaled by its median cost under the change, then confirmed by deciding again exactly.
    """
    engine = decision.engine
    model = engine.cost_model
    others = [a for a in decision.ranking if a != decision.winner]
    money = engine.kb.question[BUDGET]
    before = decision.values.get(BUDGET)
    given = budget_of(decision.values)
    key = budget_free(decision.answers)
    middle = model.middle(decision.assumed)
    points = engine.remember(
        ("points", *key), lambda: {a: model.point(a, decision.values, middle) for a in APPROACHES}
    )
    medians = decision.medians
    found: dict[ApproachId, list[Candidate]] = {a: [] for a in others}
    for approach, budget in _budgets(engine, decision.values, medians).items():
        if approach in found:
            change = describe_change(money, before, budget)
            found[approach].append((_distance(money, decision.values, budget), (change,)))
    nearest = sorted(
        (
            (_distance(question, decision.values, value), question, value)
            for question, value in options(decision)
        ),
        key=lambda item: item[0],
    )
    for approach, distance, change in _labeling(decision):
        if approach in found:
            found[approach].append((distance, (change,)))
    for distance, question, value in nearest:
        # Every option from here on is at least this far: stop once each approach has a nearer one.
        if all(_has_nearer(found[a], distance) for a in others):
            break
        if question.id == LABELS or (
            question.id == LABELED_EXAMPLES and decision.values.get(LABELS) in UNLABELED
        ):
            continue  # labeling the person's own raw data is a job with a price: see _labeling
        values = _changed(decision, question, value)

        def judged(values: dict[str, Any] = values) -> tuple[dict[ApproachId, float], Standing | None]:
            scaled = _scaled(medians, points, model.repriced(points, values))
            return scaled, None if engine.rules.tests_budget else engine.rules.standing(values)

        scaled, standing = engine.remember(("option", *key, question.id, repr(value)), judged)
        change = describe_change(question, decision.values.get(question.id), value)
        winner = engine.ranked(values, scaled, standing).winner
        if winner in found:
            found[winner].append((distance, (change,)))
        # This change and a budget: only for approaches without a change as near already.
        wanting = [a for a in others if not _has_nearer(found[a], distance)]
        if not wanting or given is None:
            continue
        for approach, budget in _budgets(engine, values, scaled, standing).items():
            # With another answer changed, only more money than the person's own budget (a
            # smaller one beside another change would be two moves that pull apart), and only
            # for a plan that then costs more than the recommendation: never more money for a
            # cheaper plan.
            if approach in wanting and _more_money(decision, given, budget, scaled[approach]):
                extra = describe_change(money, before, budget)
                found[approach].append(
                    (distance + _distance(money, decision.values, budget), (change, extra))
                )
    return {approach: _confirmed(decision, approach, found[approach]) for approach in others}


def _more_money(decision: Decision, given: float, budget: float, median: float) -> bool:
    """Whether a budget beside another change asks for more money, for a plan that then costs
    more than the recommendation does today."""
    return budget > given and median > decision.costs[decision.winner].median


def _has_nearer(found: list[Candidate], distance: float) -> bool:
    """Whether a candidate is already as near as ``distance``."""
    return any(d <= distance for d, _ in found)


def _scaled(
    medians: Mapping[ApproachId, float],
    points: Mapping[ApproachId, Point],
    totals: Mapping[ApproachId, float],
) -> dict[ApproachId, float]:
    """Each approach's median scaled by how far its cost moved from ``points`` to ``totals``."""
    scaled = {}
    for approach, total in totals.items():
        ratio = total / points[approach].total if points[approach].total > 0 else 1.0
        scaled[approach] = medians[approach] * ratio
    return scaled


def would_win_if(decision: Decision, approach: ApproachId) -> WouldWinIf | None:
    """The smallest change a person could choose that makes ``approach`` the recommendation."""
    return None if approach == decision.winner else counterfactuals(decision)[approach]


def _confirmed(decision: Decision, approach: ApproachId, found: list[Candidate]) -> WouldWinIf | None:
    """The smallest candidate that really makes ``approach`` win, its budget set exactly."""
    engine = decision.engine
    money = engine.kb.question[BUDGET]
    given = budget_of(decision.values)
    for _, changes in sorted(found, key=lambda item: item[0])[:4]:
        if any(c.also for c in changes):  # a labeling job, decided exactly when it was found
            return WouldWinIf(approach, changes)
        answer_changes = [c for c in changes if c.field != BUDGET]
        changed = {**decision.answers.values, **{c.field: c.after for c in answer_changes}}
        exact = (
            engine.verdict(Answers(engine.space.visible(changed), decision.answers.assumptions))
            if answer_changes
            else Verdict(decision.values, decision.intervals, decision.medians, decision.winner)
        )
        if exact.winner == approach and answer_changes:
            return WouldWinIf(approach, tuple(answer_changes))
        budget = _budgets(engine, exact.values, exact.medians).get(approach)
        if budget is None or given is None:
            continue
        if answer_changes and not _more_money(decision, given, budget, exact.medians[approach]):
            continue
        change = describe_change(money, decision.values.get(BUDGET), budget)
        return WouldWinIf(approach, (*answer_changes, change))
    return None


def _labeling(decision: Decision) -> list[tuple[ApproachId, float, Change]]:
    """Labeling part of the person's own raw examples: for each count a rule tests or a plan
    labels up to, the approach that would then win, with the labeling paid out of the budget.

    What labeling costs comes from the cost model: the plan that labels the most, priced as it
    stands (labeling included) and again with its labels already done; the difference, per
    label, is the price of a label with the work of running the labeling."""
    engine = decision.engine
    values = decision.values
    if values.get(LABELS) not in UNLABELED:
        return []
    have = int(values.get(LABELED_EXAMPLES) or 0)
    raw_given = values.get(UNLABELED_EXAMPLES)
    raw = int(raw_given) if isinstance(raw_given, int | float) else None
    targets = {a: decision.costs[a].quantities["labeled_target"].median for a in APPROACHES}
    labeler = max(APPROACHES, key=lambda a: targets[a])
    target = int(targets[labeler]) - have
    if target <= 0 or (raw is not None and raw <= 0):
        return []
    done = engine.verdict(_labeled(decision, have, raw, target, None))
    per_label = max(0.0, decision.medians[labeler] - done.medians[labeler]) / target
    counts = {int(engine.numbers[name]) for name in engine.rules.thresholds.get(LABELED_EXAMPLES, ())}
    counts |= {int(t) for t in targets.values()} | {count * 2 for count in counts}
    if raw is not None:
        counts.add(have + raw)  # all of it
    given = budget_of(values)
    found = []
    for total in sorted(counts):
        count = total - have
        if count <= 0 or (raw is not None and count > raw):
            continue
        spent = per_label * count
        budget = None if given is None else given - spent
        if budget is not None and budget <= 0:
            continue
        labeled = _labeled(decision, have, raw, count, budget)
        winner = engine.verdict(labeled).winner
        if winner == decision.winner:
            continue
        of = (
            f"all {count:,} of your unlabeled examples"
            if raw == count
            else f"{count:,} of your {raw:,} unlabeled examples"
            if raw
            else f"{count:,} of your raw examples"
        )
        paid = " out of your budget" if given is not None else ""
        text = f"you label {of} (about {format_usd(spent)}{paid})"
        before = decision.answers.values
        also = tuple((k, v) for k, v in labeled.values.items() if k != LABELS and before.get(k) != v)
        change = Change(LABELS, values.get(LABELS), labeled.values[LABELS], text, also=also)
        found.append((winner, 1.0 + _distance(engine.kb.question[LABELED_EXAMPLES], values, total), change))
    return found


def _labeled(decision: Decision, have: int, raw: int | None, count: int, budget: float | None) -> Answers:
    """The person's answers once ``count`` of their raw examples are labeled."""
    engine = decision.engine
    left = None if raw is None else raw - count
    changed = {
        **decision.answers.values,
        LABELS: "labeled" if left == 0 else "partially-labeled",
        LABELED_EXAMPLES: have + count,
        UNLABELED_EXAMPLES: left,
    }
    if budget is not None:
        changed[BUDGET] = budget
    return Answers(engine.space.visible(changed), decision.answers.assumptions)


def _budgets(
    engine: Engine,
    values: Mapping[str, Any],
    medians: Mapping[ApproachId, float],
    standing: Standing | None = None,
) -> dict[ApproachId, float]:
    """For each approach that some budget makes the winner, the budget closest to the person's
    (on a log scale). Verdicts change only at the median costs, so the budget is tried once
    between each two: at the lower end of a stretch above the person's budget, and just under
    the upper end of one below it."""
    given = budget_of(values)
    if given is None:  # no budget given: the advice is not a matter of one, so none is suggested
        return {}
    budget = max(given, 1.0)
    edges = sorted({math.ceil(median) for median in medians.values() if median > 0})
    stretches = list(zip([0, *edges], [*edges, math.inf], strict=True))
    # The budget is the only answer that changes: read the rules once, unless one tests it.
    if standing is None and not engine.rules.tests_budget:
        standing = engine.rules.standing(values)
    best: dict[ApproachId, float] = {}
    for start, end in stretches:
        if start <= budget < end:
            continue  # the person's own budget
        candidate = float(start) if start > budget else float(end - 1)
        if candidate < 1:
            continue
        winner = engine.ranked({**values, BUDGET: candidate}, medians, standing).winner
        if winner not in best or abs(math.log10(candidate / budget)) < abs(math.log10(best[winner] / budget)):
            best[winner] = candidate
    return best


def options(decision: Decision) -> Iterator[tuple[Question, Any]]:
    """Each single change a person could choose, by the questions' ``what_if``."""
    engine = decision.engine
    values = decision.values
    for question in engine.kb.questions:
        if question.what_if == "never" or not asked(question, values, engine.terms):
            continue
        current = values.get(question.id)
        if question.choices and question.kind == "choice":
            order = [choice.value for choice in question.choices]
            allowed = (
                order
                if question.what_if == "any"
                else order[: order.index(current)]
                if current in order
                else []
            )
            suggested = {c.value for c in question.choices if holds(c.suggest_when, values, engine.terms)}
            for value in allowed:
                if value != current and value in suggested:
                    yield question, value
        elif question.kind == "model_size":
            band = band_of(question, values.get(MODEL_PARAMS, 0.0))
            for choice in question.choices:
                if choice.value != band and holds(choice.suggest_when, values, engine.terms):
                    yield question, choice.value
        elif question.kind == "count":
            have = float(current or 0)
            candidates = {engine.numbers[name] for name in engine.rules.thresholds.get(question.id, ())}
            candidates |= {max(have, 100.0) * factor for factor in (2, 10)}
            for count in sorted(c for c in candidates if c > have):
                yield question, int(count)


def _changed(decision: Decision, question: Question, value: Any) -> dict[str, Any]:
    """The decision's answers with one changed, the unasked reset, completed."""
    space = decision.engine.space
    return space.complete(space.visible({**decision.answers.values, question.id: value}), decision.assumed)


def _distance(question: Question, values: Mapping[str, Any], value: Any) -> float:
    """How far a change goes: a choice counts 1, a number changed tenfold counts 1."""
    before = values.get(question.id)
    if question.kind in ("count", "money") and isinstance(before, int | float):
        return abs(math.log10((float(value) + 1) / (float(before) + 1)))
    return 1.0


def describe_change(question: Question, before: Any, after: Any) -> Change:
    """The change in the person's terms: "you have at least 10,000 labeled examples"."""
    kind = question.kind
    if kind in ("count", "money") and isinstance(after, int | float):
        if kind == "money":
            if isinstance(before, int | float) and after < before:
                amount = format_value(after + 1, kind)
                return Change(
                    question.id, before, after, f"your {question.name} is under {amount}", less=True
                )
            amount = format_value(after, kind)
            return Change(question.id, before, after, f"your {question.name} is at least {amount}")
        amount = format_value(after, kind)
        return Change(question.id, before, after, f"you have at least {amount} {question.name}")
    return Change(question.id, before, after, plain_value(question, after))


def savings(decision: Decision) -> tuple[Saving, ...]:
    """The choices that would bring the recommended plan's high end down, cheapest first."""
    engine = decision.engine
    winner = decision.winner
    # What the plan would cost with each choice does not depend on the budget: worked out once.
    found = engine.remember(("savings", winner, *budget_free(decision.answers)), lambda: _savings(decision))
    return tuple(found)


def _savings(decision: Decision) -> tuple[Saving, ...]:
    engine = decision.engine
    model = engine.cost_model
    winner = decision.winner
    current = decision.costs[winner]
    point = model.point(winner, decision.values, model.middle(decision.assumed))
    draws = model.draws(decision.assumed)
    found: list[Saving] = []
    saved: set[str] = set()  # one saving a question: the smallest change of it that saves
    for question, value in options(decision):
        if question.id == BUDGET or question.id in saved:
            continue
        values = _changed(decision, question, value)
        if model.repriced({winner: point}, values)[winner] >= point.total * SAVING_SHARE:
            continue
        estimate = model.spread(winner, values, draws)
        if estimate.high < current.high * SAVING_SHARE:
            change = describe_change(question, decision.values.get(question.id), value)
            found.append(Saving(f"if {change.text}", estimate))
            saved.add(question.id)
    return tuple(sorted(found, key=lambda saving: saving.cost.high))


def full_fine_tuning(decision: Decision) -> Spread | None:
    """The recommended approach's total with full fine-tuning, when another method is in force."""
    question = decision.engine.kb.question.get(METHOD)
    full = (
        next((c.value for c in question.choices if c.default_from_params is None), None) if question else None
    )
    if full is None or decision.values.get(METHOD) == full:
        return None
    engine = decision.engine
    model = engine.cost_model
    values = {**decision.values, METHOD: full}
    return cast(
        Spread,
        engine.remember(
            ("full", decision.winner, *budget_free(decision.answers)),
            lambda: model.spread(decision.winner, values, model.draws(decision.assumed)),
        ),
    )
