"""A sweep of the answer space, reading every report as a practitioner would.

``kb check`` runs it on a grid of realistic profiles (what the model must produce
from which kind of data, in which domain and where the data may go; labeled,
partly labeled and unlabeled data in small and large amounts, and no data at
all; every model size; no budget, small, middling and large budgets; a hired or
an in-house team; rented GPUs, CPUs only, one's own GPU or TPUs) and counts what a
practitioner would not sign:

- **budget ignored**: the recommendation is over the budget while an approach
  that was not ruled out fits it;
- **none fits, not the cheapest**: nothing fits and the recommendation is not
  the cheapest approach open;
- **budget flip-back**: swept over every budget that changes a verdict (each
  approach's median cost, and just under it), the advice comes back to an
  approach it had left, or moves to a plan with a lower median cost as the
  budget grows;
- **interval changes the decision**: the same answers with other percentiles
  shown (5th to 95th) get another recommendation, order or budget level;
- **reason for a loser**: a reason listed for the recommendation whose rule
  favors another approach more;
- **advice against the costs**: a caveat or next step quoting a dollar figure
  that the recommended cost lines do not come near (within a factor of 2);
- **gives something up**: a "would win if" that takes away labels or data,
  or changes the task;
- **would not win**: a "would win if" that does not make its approach the
  recommendation when applied;
- **labels without cost**: a "would win if" your data were labeled, for data
  without labels, that does not say how many to label and what it costs;
- **contradictory moves**: a "would win if" of two changes, one of them a
  smaller budget;
- **more money, cheaper plan**: a "would win if" that asks for more money for a
  plan that would cost no more than the recommendation;
- **cost falls as the project grows**: the recommended compute is lower with a
  larger model (same method) or ten times the labeled data;
- **no model for the task**: a plan for a task whose model learns from labels
  (a classifier, an extractor, a transcriber) that ends with unsupervised
  fine-tuning, which gives no such model;
- **data unpriced**: a plan that must gather or label examples (to train on or
  to test with) with nothing in its data category;
- **wrong starting model**: advice for another kind of project: a step that says to start from
  a BERT-style model for writing, tables, audio or time series (or a ResNet for anything but
  images), a "small model" tip for a model that must write (a medium or large one for masks,
  tables or series), cloud GPUs for data that must stay on the person's own machines, "no
  pre-trained model" for speech, text, images, code or time series, or the documents'
  medical-imaging case given as a reason for data that is not images;
- **infeasible fits**: a plan the hardware named cannot run (a billion parameters
  or more on CPUs only, adapters on TPUs, more memory than one's own GPU holds, in
  every draw) reported as running on that hardware, or as fitting the budget
  without saying that it is priced on rented GPUs;
- **own hardware billed**: a plan that runs on one's own processors or GPU in every
  draw with compute to pay, or a method line that rents GPUs for it;
- the median width of the recommended interval (its high end over its low end).

Costs do not depend on the budget, so each profile's costs are worked out once
and every budget of the grid is a re-ranking of them; the full report (reasons,
advice, "would win if") is read for every profile.

The shipped knowledge base scores 0 on every count, with a median width of at
most :data:`MAX_WIDTH`; a test keeps it so.
"""

from __future__ import annotations

import itertools
import multiprocessing
import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from advisor.answers import Answers, Normalized
from advisor.decision.engine import Decision, Engine
from advisor.formatting import format_usd
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import BUDGET, HARDWARE, INFEASIBLE, LABELED_EXAMPLES, METHOD, MODEL_SIZE
from advisor.kb.models import ApproachId
from advisor.outline import method_sentence
from advisor.reading import band_of
from advisor.report import Report, explain

__all__ = ["FINDINGS", "MAX_WIDTH", "Sweep", "sweep"]

NEEDS_LABELS = "needs_labels"
"""The cost model's quantity that says the task's model learns from labels."""
MISSING = ("to_collect", "to_label", "to_label_eval")
"""The cost model's quantities of examples still to gather or label."""

MAX_WIDTH = 3.0
"""The largest median high/low ratio of a recommended interval a practitioner can decide with."""

FINDINGS = {
    "budget_ignored": "budget ignored while another approach fits better",
    "reason_for_loser": "reasons listed for the recommendation that favor another approach more",
    "advice_against_costs": "caveats or next steps whose dollar figures the cost lines do not come near",
    "gives_something_up": '"would win if" asking to give up data or labels, or to change the task',
    "would_not_win": '"would win if" that does not make its approach win when applied',
    "labels_without_cost": '"would win if" your data were labeled, without what labeling takes and costs',
    "contradictory_moves": '"would win if" pairing another change with a smaller budget',
    "more_money_cheaper_plan": '"would win if" asking more money for a plan that costs no more',
    "none_fits_not_cheapest": "nothing fits and the recommendation is not the cheapest open approach",
    "budget_flip_back": "a growing budget coming back to an approach, or moving to a cheaper plan",
    "interval_changes_decision": "other percentiles shown changing the recommendation, order or levels",
    "cost_falls": "recommended compute that falls as the model or the data grows",
    "no_model_for_task": "a plan ending in unsupervised fine-tuning for a model that learns from labels",
    "data_unpriced": "examples to gather or label with no data cost",
    "wrong_starting_model": "advice for another kind of project: a starting model, a small-model "
    "saving, cloud GPUs or a case study that does not fit the output, the data or where it may go",
    "infeasible_fits": "a plan the hardware named cannot run, reported as running on it or fitting as is",
    "own_hardware_billed": "a plan on one's own processors or GPU with compute to pay or GPUs rented",
}
"""Each count the sweep keeps, and what it means."""

BUDGETS: tuple[float | None, ...] = (
    None,
    500.0,
    2_000.0,
    5_000.0,
    20_000.0,
    50_000.0,
    200_000.0,
    1_000_000.0,
)
"""No budget, and small to large ones."""
OTHER_INTERVAL = (5.0, 95.0)
"""The percentiles shown instead, to check that they never change the decision."""
_TASKS: tuple[dict[str, Any], ...] = (
    {"task": "classify support tickets", "output": "category", "data": "text"},
    {"task": "sort photos of products", "output": "category", "data": "images"},
    {
        "task": "classify chest x-rays",
        "output": "category",
        "data": "images",
        "domain": "medical",
        "data_location": "on-premise",
    },
    {"task": "extract parties from contracts", "output": "extraction", "data": "text", "domain": "legal"},
    {"task": "draft replies to customers", "output": "generation", "data": "text"},
    {"task": "answer questions about our policies", "output": "document-qa", "data": "text"},
    {
        "task": "forecast demand",
        "output": "number",
        "data": "time-series",
        "domain": "financial",
        "data_location": "in-region",
    },
    {"task": "flag fraudulent payments", "output": "category", "data": "tables", "domain": "financial"},
    {"task": "transcribe calls", "output": "transcription", "data": "audio"},
    {"task": "caption product images", "output": "captioning", "data": "images"},
    {"task": "segment tumours in scans", "output": "segmentation", "data": "images", "domain": "medical"},
    {"task": "recommend products", "output": "ranking", "data": "mixed"},
)
"""What the model must produce, from which data, where: one of each output, across domains."""
_TEAMS: tuple[str | None, ...] = ("hired", "in-house")
_HARDWARE: tuple[str | None, ...] = (None, "cpu", "own-gpu", "tpu")
"""What the work runs on: not said (rented GPUs), CPUs only, one's own GPU or a free notebook,
TPUs."""
_DATA: tuple[dict[str, Any], ...] = (
    {"labels": "labeled", "labeled_examples": 500},
    {"labels": "labeled", "labeled_examples": 5_000},
    {"labels": "labeled", "labeled_examples": 20_000},
    {"labels": "labeled", "labeled_examples": 50_000},
    {"labels": "partially-labeled", "labeled_examples": 500, "unlabeled_examples": 0},
    {"labels": "partially-labeled", "labeled_examples": 500, "unlabeled_examples": 50_000},
    {"labels": "partially-labeled", "labeled_examples": 5_000, "unlabeled_examples": 500_000},
    {"labels": "unlabeled", "unlabeled_examples": 0},
    {"labels": "unlabeled", "unlabeled_examples": 5_000},
    {"labels": "unlabeled", "unlabeled_examples": 1_000_000},
    {"labels": "none-yet"},
)
"""The situations people are in: how much data, how much of it labeled, or none yet."""


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


def bases(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """The grid's profiles without a budget: each is priced once. Who does the work alternates
    (hired, in-house), and so does the hardware, shifted by one at each task and data situation so
    that every model size meets every hardware across the grid."""
    sizes = [choice.value for choice in kb.question[MODEL_SIZE].choices]
    combinations = itertools.product(_TASKS, _DATA, sizes)
    for index, (task, data, size) in enumerate(combinations):
        hardware = _HARDWARE[(index // len(sizes) + index % len(sizes)) % len(_HARDWARE)]
        profile = {
            **task,
            **data,
            MODEL_SIZE: size,
            "team": _TEAMS[index % len(_TEAMS)],
            HARDWARE: hardware,
        }
        yield {key: value for key, value in profile.items() if key in kb.question}


def profiles(kb: KnowledgeBase) -> Iterator[dict[str, Any]]:
    """The grid of answers the sweep reads (see the module's docstring)."""
    for base in bases(kb):
        for budget in BUDGETS:
            yield {**base, BUDGET: budget}


def sweep(
    kb: KnowledgeBase,
    engine: Engine | None = None,
    grid: Iterator[dict[str, Any]] | None = None,
    workers: int = 1,
) -> Sweep:
    """Read the report of every profile of the grid (:func:`profiles` by default); count what a
    practitioner would not sign. ``workers`` above 1 reads parts of the grid in forked processes
    (where the platform forks), with the same counts."""
    if workers > 1 and engine is None and "fork" in multiprocessing.get_all_start_methods():
        return _in_parallel(kb, list(grid if grid is not None else profiles(kb)), workers)
    engine = engine or Engine(kb)
    other = Engine(kb, interval=OTHER_INTERVAL)
    result = Sweep()
    started = time.perf_counter()
    priced: dict[tuple[Any, ...], tuple[Decision, Decision]] = {}
    for profile in grid if grid is not None else profiles(kb):
        values = engine.space.visible(
            {question.id: profile.get(question.id, question.default) for question in kb.questions}
        )
        key = _budget_free(values)
        if key not in priced:
            first = engine.decide(Answers(values))
            shown = other.decide(Answers(values, interval=OTHER_INTERVAL))
            priced[key] = (first, shown)
            _flip_back(result, profile, engine, first)
            _growth(result, profile, engine, first)
        first, shown = priced[key]
        decision = engine.with_answers(first, {BUDGET: values.get(BUDGET)})
        _interval(result, profile, decision, other.with_answers(shown, {BUDGET: values.get(BUDGET)}))
        report = explain(kb, Normalized(decision.answers, ()), decision)
        result.profiles += 1
        result.wins[decision.winner] = result.wins.get(decision.winner, 0) + 1
        if report.cost.low > 0:
            result.widths.append(report.cost.high / report.cost.low)
        _budget(result, profile, report)
        _reasons(result, profile, report)
        _advice(result, profile, report)
        _counterfactuals(result, profile, engine, report)
        _model_for_task(result, profile, report)
        _data_priced(result, profile, report)
        _starting_model(result, profile, report)
        _hardware(result, profile, report)
    result.seconds = time.perf_counter() - started
    return result


_PARTS: list[list[dict[str, Any]]] = []
"""The parts of the grid a forked worker reads (set before forking: nothing is pickled in)."""
_PARTS_KB: list[KnowledgeBase] = []


def _in_parallel(kb: KnowledgeBase, grid: list[dict[str, Any]], workers: int) -> Sweep:
    """The sweep of ``grid`` in ``workers`` forked processes, each over whole profiles (all the
    budgets of one set of answers stay in one part, so each is priced and checked once), merged
    in the grid's order."""
    started = time.perf_counter()
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for profile in grid:
        groups.setdefault(_budget_free(profile), []).append(profile)
    ordered = list(groups.values())
    size = -(-len(ordered) // workers)
    _PARTS[:] = [
        [profile for group in ordered[start : start + size] for profile in group]
        for start in range(0, len(ordered), size)
    ]
    _PARTS_KB[:] = [kb]
    try:
        with multiprocessing.get_context("fork").Pool(len(_PARTS)) as pool:
            parts = pool.map(_part, range(len(_PARTS)))
    finally:
        _PARTS.clear()
        _PARTS_KB.clear()
    result = Sweep()
    for part in parts:
        result.profiles += part.profiles
        for finding, count in part.counts.items():
            result.counts[finding] += count
        for finding, example in part.examples.items():
            result.examples.setdefault(finding, example)
        result.widths += part.widths
        for approach, wins in part.wins.items():
            result.wins[approach] = result.wins.get(approach, 0) + wins
    result.seconds = time.perf_counter() - started
    return result


def _part(index: int) -> Sweep:
    """One part of the grid, read in a forked worker."""
    return sweep(_PARTS_KB[0], grid=iter(_PARTS[index]))


def _budget_free(profile: dict[str, Any]) -> tuple[Any, ...]:
    """A set of answers without its budget: what is priced once, and kept in one part."""
    return tuple(sorted((k, repr(v)) for k, v in profile.items() if k != BUDGET))


def _flip_back(result: Sweep, profile: dict[str, Any], engine: Engine, decision: Decision) -> None:
    """Every budget at which a verdict can change, in order: the winner never comes back to an
    approach it left, and never moves to a plan with a lower median cost."""
    medians = decision.medians
    ladder = sorted({b for m in medians.values() for b in (m * 0.999, m, m * 1.001)} | {1.0, 1e9})
    standing = None if engine.rules.tests_budget else engine.rules.standing(decision.values)
    left: set[ApproachId] = set()
    previous: ApproachId | None = None
    for budget in ladder:
        winner = engine.ranked({**decision.values, BUDGET: budget}, medians, standing).winner
        if previous is not None and winner != previous:
            if winner in left or medians[winner] <= medians[previous]:
                result.note(
                    "budget_flip_back",
                    {**profile, BUDGET: budget},
                    f"{previous} (median {format_usd(medians[previous])}) to {winner} "
                    f"(median {format_usd(medians[winner])}) at {format_usd(budget)}",
                )
                return
            left.add(previous)
        previous = winner


def _interval(result: Sweep, profile: dict[str, Any], decision: Decision, shown: Decision) -> None:
    """Other percentiles shown: the same recommendation, order and levels."""
    mine = (decision.winner, decision.ranking, dict(decision.levels))
    theirs = (shown.winner, shown.ranking, dict(shown.levels))
    if mine != theirs:
        result.note("interval_changes_decision", profile, f"{mine} with the default, {theirs} with 5-95")


def _budget(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """The recommendation is over the budget while another approach, not ruled out, fits it; or
    nothing fits and it is not the cheapest."""
    decision = report.decision
    if decision.levels[decision.winner] != "over":
        return
    open_ = [a for a in decision.ranking if a not in decision.excluded]
    for other in open_:
        if other != decision.winner and decision.levels[other] != "over":
            result.note(
                "budget_ignored",
                profile,
                f"{decision.winner} {decision.levels[decision.winner]}, {other} {decision.levels[other]}",
            )
            return
    medians = decision.medians
    if open_ and medians[decision.winner] > min(medians[a] for a in open_):
        result.note("none_fits_not_cheapest", profile, f"{decision.winner} of {open_}")


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
        if len(would.changes) > 1 and any(change.less for change in would.changes):
            result.note("contradictory_moves", profile, f"{alternative.approach} with {would.text}")
        changed = {**decision.answers.values}
        for change in would.changes:
            changed.update({change.field: change.after, **dict(change.also)})
            if _unpriced_labels(change):
                result.note("labels_without_cost", profile, f"{alternative.approach} with {change.text}")
        applied = engine.verdict(Answers(engine.space.visible(changed), decision.answers.assumptions))
        if applied.winner != alternative.approach:
            result.note(
                "would_not_win", profile, f"{alternative.approach} with {would.text}: {applied.winner} wins"
            )
        more = any(c.field == BUDGET and not c.less for c in would.changes)
        if more and applied.medians[alternative.approach] <= decision.medians[decision.winner]:
            result.note(
                "more_money_cheaper_plan",
                profile,
                f"{alternative.approach} with {would.text}: "
                f"{format_usd(applied.medians[alternative.approach])} against "
                f"{format_usd(decision.medians[decision.winner])}",
            )


def _unpriced_labels(change: Any) -> bool:
    """A change to labeled data from data without labels (or none) that does not say what the
    labeling costs."""
    return (
        change.field == "labels"
        and change.before in ("unlabeled", "none-yet")
        and change.after in ("labeled", "partially-labeled")
        and "$" not in change.text
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


def _model_for_task(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """A task whose model learns from labels gets a plan whose last step trains on labels."""
    needs = report.cost.quantities.get(NEEDS_LABELS)
    if needs is not None and needs.median > 0 and report.steps[-1] == "unsupervised":
        result.note("no_model_for_task", profile, f"{report.name} for a model that learns from labels")


def _data_priced(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """Examples to gather or label, to train on or test with, cost something in every plan: the
    lines whose formulas read how many are missing are not all $0."""
    for approach, cost in report.decision.costs.items():
        missing = sum(cost.quantities[name].median for name in MISSING if name in cost.quantities)
        paid = sum(
            line.spread.median
            for category in cost.categories
            for line in category.lines
            if any(name in str(line.line.amount) for name in MISSING)
        )
        if missing >= 1 and paid <= 0:
            result.note("data_unpriced", profile, f"{approach}: {missing:,.0f} to get, no data cost")


_START = re.compile(r"\bstart (?:from|with)\b(?P<what>.*)", re.IGNORECASE)
"""A sentence that names a starting model; what follows a "not" or "rather than" is warned against."""
_AGAINST = re.compile(r"\bnot\b|\brather than\b", re.IGNORECASE)
_ENCODER = re.compile(r"\bBERT\b|BERT-style", re.IGNORECASE)
_IMAGE_MODEL = re.compile(r"\bResNet|\bImageNet\b", re.IGNORECASE)
_CLOUD = re.compile(r"\brent GPUs\b|\bcloud GPUs\b|\bin the cloud\b", re.IGNORECASE)
_NO_BASE = re.compile(r"\bno pre-trained model\b", re.IGNORECASE)
_SMALL = re.compile(r"\bsmall model\b", re.IGNORECASE)
_BILLIONS = re.compile(r"\b(?:medium|large) model\b", re.IGNORECASE)
_NOT_FOR_BILLIONS = frozenset({"tables", "time-series"})
"""Data no model of billions of parameters is started from (nor is a segmentation network)."""
_WRITES = frozenset({"generation", "document-qa", "captioning", "transcription"})
"""Outputs a model writes: an encoder or an image classifier does not produce them."""
_WRITES_TEXT = frozenset({"generation", "document-qa"})
"""Outputs that need a language model that writes: a small model (under a billion parameters)
rarely writes well."""
_NOT_FOR_ENCODERS = frozenset({"tables", "audio", "time-series", "images", "video"})
_HAVE_BASES = frozenset({"text", "images", "video", "audio", "time-series", "code"})
_CASE = "case-medical-imaging"


def _recommended(text: str) -> str:
    """What a piece of advice says to start from, without what it warns against."""
    found = []
    for sentence in re.split(r"(?<=[.;])\s+", text):
        start = _START.search(sentence)
        if start is not None:
            found.append(_AGAINST.split(start.group("what"), maxsplit=1)[0])
    return " ".join(found)


def _starting_model(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """Advice that fits the project: the model family by what the model produces from which data,
    tips that keep a model able to do the job, GPUs where the data may go, cases where they apply."""
    values = report.decision.values
    output, data = values.get("output"), values.get("data")
    advice = [reason.text for reason in (*report.caveats, *report.next_steps)]
    advice += [first.text for first in report.first]
    reasons = [*report.rationale, *(r for a in report.alternatives for r in a.why_not)]
    wrong: list[str] = []
    for text in advice:
        start = _recommended(text)
        if _ENCODER.search(start) and (
            output in _WRITES or data in _NOT_FOR_ENCODERS or (output == "ranking" and data != "text")
        ):
            wrong.append(f"a BERT-style start for {output} from {data}: {text}")
        if _IMAGE_MODEL.search(start) and (output in _WRITES or data not in ("images", "video")):
            wrong.append(f"an image-model start for {output} from {data}: {text}")
        if values.get("data_location") == "on-premise" and _CLOUD.search(text):
            wrong.append(f"cloud GPUs for data that must stay on-premise: {text}")
        if data in _HAVE_BASES and _NO_BASE.search(text):
            wrong.append(f"no pre-trained model said for {data}: {text}")
    tips = [saving.text for saving in report.savings]
    tips += [a.would_win_if.text for a in report.alternatives if a.would_win_if is not None]
    if output in _WRITES_TEXT:
        wrong += [f"a small-model tip for {output}: {text}" for text in advice + tips if _SMALL.search(text)]
    if output == "segmentation" or data in _NOT_FOR_BILLIONS:
        wrong += [
            f"a model of billions for {output} from {data}: {text}" for text in tips if _BILLIONS.search(text)
        ]
    if data != "images":
        cases = {rule.explanation for rule in report.decision.fired if _CASE in rule.claims}
        wrong += [f"{_CASE} given for {data}: {r.text}" for r in reasons if r.text in cases]
    if output in _WRITES:
        wrong += [
            f"an ImageNet reason for {output}: {r.text}" for r in reasons if _IMAGE_MODEL.search(r.text)
        ]
    if wrong:
        result.note("wrong_starting_model", profile, wrong[0])


def _cannot_run(report: Report) -> bool:
    """Whether the hardware named cannot run the plan in any draw, read from what the plan needs
    (its parameters, adapters, memory), not from the cost model's own verdict."""
    hardware = report.decision.values.get(HARDWARE)
    quantities = report.cost.quantities
    assumed = report.decision.assumed
    if hardware == "cpu":
        return quantities["params"].low >= assumed["cpu_params_limit"][1]
    if hardware == "tpu":
        return quantities["peft"].low > 0
    if hardware == "own-gpu":
        return quantities["model_gb"].low > assumed["own_gpu_memory_gb"][1]
    return False


def _hardware(result: Sweep, profile: dict[str, Any], report: Report) -> None:
    """A plan the hardware named cannot run is said to be priced on rented GPUs; a plan that runs
    on one's own hardware pays no compute and rents no GPUs."""
    hardware = report.hardware
    if _cannot_run(report) and (
        hardware.feasible or hardware.own or (report.budget.fits and "rented GPUs" not in report.budget.text)
    ):
        result.note("infeasible_fits", profile, f"{report.name} on {hardware.said_as}: {report.budget.text}")
    if hardware.own and report.cost.quantities[INFEASIBLE].high <= 0:
        compute = _compute_median(report.cost)
        rented = method_sentence(report.method)
        if compute > 0 or " GPU of " in rented or " GPUs of " in rented:
            result.note(
                "own_hardware_billed",
                profile,
                f"compute {format_usd(compute)} on {hardware.said_as}: {rented}",
            )
