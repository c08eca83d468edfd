"""The cost model: the documents' anchors reproduced on the categories their sources cover, costs
that follow the project (model, data, method, hardware, team), paying only for what is missing,
overrides, and every dollar traced to a claim or a named assumption."""

from __future__ import annotations

import dataclasses
import json
import math
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from advisor import render
from advisor.answers import Answers, normalize
from advisor.bounds import LARGEST_ANSWER, allowed
from advisor.decision.engine import Engine
from advisor.decision.estimates import CostEstimate
from advisor.errors import KnowledgeError
from advisor.kb import KnowledgeBase
from advisor.kb.models import APPROACHES, CATEGORIES
from advisor.render import to_dict
from advisor.report import build_report

BASE: dict[str, Any] = {
    "task": "text",
    "labels": "labeled",
    "labeled_examples": 5000,
    "unlabeled_examples": None,
    "model_size": 1.1e8,
    "budget_usd": 10000,
    "team": None,
    "hardware": None,
    "method": None,
}


def answers(assumptions: dict[str, Any] | None = None, **values: Any) -> Answers:
    return Answers({**BASE, **values}, assumptions or {})


def estimate(engine: Engine, approach: str, a: Answers) -> CostEstimate:
    return engine.decide(a).costs[approach]  # type: ignore[index]


def category(cost: CostEstimate, name: str) -> tuple[float, float]:
    found = next(c for c in cost.categories if c.category == name)
    return found.low, found.high


def line(cost: CostEstimate, line_id: str) -> Any:
    return next((line for c in cost.categories for line in c.lines if line.line.id == line_id), None)


# --- the documents' anchors (kb check holds the cases to them too) ----------------------------


def test_a_bert_fine_tune_costs_about_the_documented_100_to_1000_dollars_of_compute(engine: Engine) -> None:
    low, high = category(estimate(engine, "supervised", answers()), "compute")
    assert low >= 50 and high <= 2000
    assert low < 1000 and high > 100


def test_the_medical_case_reproduces_about_10000_dollars_of_data_and_compute(
    kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    decision = engine.decide(normalize(case_answers("medical-imaging"), kb).answers)
    assert decision.winner == "transfer-learning"
    data, compute = (
        category(decision.costs["transfer-learning"], "data"),
        category(decision.costs["transfer-learning"], "compute"),
    )
    middle = ((data[0] + compute[0]) * (data[1] + compute[1])) ** 0.5
    assert 5000 <= middle <= 20000


def test_the_ecommerce_case_reproduces_about_50000_dollars_of_data_and_compute(
    kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    decision = engine.decide(normalize(case_answers("ecommerce-recommendations"), kb).answers)
    assert decision.winner == "supervised"
    cost = decision.costs["supervised"]
    data, compute = category(cost, "data"), category(cost, "compute")
    middle = ((data[0] + compute[0]) * (data[1] + compute[1])) ** 0.5
    assert 25000 <= middle <= 100000
    assert cost.quantities["gpus"].median > 8  # all of GPT-3's weights: several machines


def test_a_small_fine_tune_on_labels_you_have_fits_2000_dollars_in_house(engine: Engine) -> None:
    decision = engine.decide(answers(budget_usd=2000, team="in-house"))
    assert decision.winner == "transfer-learning"
    assert decision.levels["transfer-learning"] == "fits"


# --- costs follow the project ---------------------------------------------------------------


@pytest.mark.parametrize("approach", APPROACHES)
def test_compute_grows_with_the_model_for_a_fixed_method(engine: Engine, approach: str) -> None:
    computes = [
        category(estimate(engine, approach, answers(model_size=size, method="lora")), "compute")[1]
        for size in (1.1e8, 1.5e9, 7e9, 7e10, 1.75e11)
    ]
    assert computes == sorted(computes)
    assert computes[-1] > computes[0] * 5


def test_a_70b_model_costs_less_than_gpt3_size_at_full_fine_tuning(engine: Engine) -> None:
    seventy = category(estimate(engine, "supervised", answers(model_size=7e10, method="full")), "compute")
    gpt3 = category(estimate(engine, "supervised", answers(model_size=1.75e11, method="full")), "compute")
    assert seventy[1] < gpt3[1]


def test_compute_grows_with_the_data(engine: Engine) -> None:
    small = estimate(engine, "supervised", answers(model_size=7e9, labeled_examples=10_000))
    large = estimate(engine, "supervised", answers(model_size=7e9, labeled_examples=1_000_000))
    assert category(large, "compute")[0] > category(small, "compute")[0]


def test_adapters_cost_less_compute_and_fewer_gpus_than_full_fine_tuning(engine: Engine) -> None:
    full = estimate(engine, "supervised", answers(model_size=7e10, method="full"))
    lora = estimate(engine, "supervised", answers(model_size=7e10, method="lora"))
    qlora = estimate(engine, "supervised", answers(model_size=7e10, method="qlora"))
    assert (
        full.quantities["gpus"].median > lora.quantities["gpus"].median > qlora.quantities["gpus"].median == 1
    )
    assert category(qlora, "compute")[1] < category(full, "compute")[0]


def test_the_method_defaults_by_size(engine: Engine) -> None:
    for size, method in ((1.1e8, "full"), (7e9, "lora"), (7e10, "qlora")):
        assert engine.decide(answers(model_size=size)).values["method"] == method
    assert engine.decide(answers(model_size=7e10, method="full")).values["method"] == "full"


@pytest.mark.parametrize(("hardware", "cheaper"), [("tpu", False), ("cpu", False)])
def test_hardware_changes_compute_only(engine: Engine, hardware: str, cheaper: bool) -> None:
    gpu = estimate(engine, "supervised", answers(hardware="gpu"))
    other = estimate(engine, "supervised", answers(hardware=hardware))
    assert category(other, "compute")[1] > category(gpu, "compute")[1]
    for name in ("data", "personnel", "tooling"):
        assert category(other, name) == category(gpu, name)


# --- pay only for what is missing -------------------------------------------------------------


def test_labels_you_have_are_not_bought_again(engine: Engine) -> None:
    assert line(estimate(engine, "supervised", answers(labeled_examples=50_000)), "labeling").high == 0
    assert (
        line(estimate(engine, "transfer-learning", answers(labeled_examples=1500)), "labeling-small-set").high
        == 0
    )


def test_transfer_learning_labels_only_what_is_missing_from_the_documented_1000(engine: Engine) -> None:
    cost = estimate(engine, "transfer-learning", answers(labeled_examples=400))
    assert cost.quantities["to_label"].median == 600


def test_data_you_have_is_not_gathered_again(engine: Engine) -> None:
    raw = {"labels": "unlabeled", "labeled_examples": 0}
    rich = estimate(engine, "transfer-learning", answers(**raw, unlabeled_examples=50_000))
    assert line(rich, "data-collection").high == 0  # the 1,000 to label come from the pool
    empty = estimate(engine, "transfer-learning", answers(**raw, unlabeled_examples=0))
    assert line(empty, "data-collection").low > 0


def test_unsupervised_never_pays_for_labels(engine: Engine) -> None:
    for labels in ("labeled", "partially-labeled", "unlabeled"):
        cost = estimate(engine, "unsupervised", answers(labels=labels))
        assert line(cost, "labeling") is None and line(cost, "labeling-small-set") is None


def test_an_in_house_team_is_counted_in_weeks_not_dollars(engine: Engine) -> None:
    hired = estimate(engine, "supervised", answers())
    own = estimate(engine, "supervised", answers(team="in-house"))
    assert line(own, "engineering").high == 0
    assert line(own, "engineering").shows == line(hired, "engineering").shows
    assert line(own, "engineering").shows.low > 0
    assert line(own, "upskilling") is not None and line(hired, "upskilling") is None


def test_an_in_house_rate_counts_the_weeks(engine: Engine) -> None:
    own = estimate(engine, "supervised", answers({"inhouse_usd_per_week": 2000.0}, team="in-house"))
    weeks = line(own, "engineering").shows
    assert line(own, "engineering").low == pytest.approx(weeks.low * 2000, rel=1e-9)


# --- overrides -----------------------------------------------------------------------------------


def test_an_override_moves_the_estimate_and_a_range_is_drawn_from(engine: Engine) -> None:
    cheap = estimate(engine, "supervised", answers({"gpu_hour_usd": 1.0}))
    dear = estimate(engine, "supervised", answers({"gpu_hour_usd": (8.0, 9.0)}))
    assert category(dear, "compute")[0] > category(cheap, "compute")[1]
    assert category(cheap, "personnel") == category(dear, "personnel")


def test_overrides_do_not_leak_into_later_estimates(engine: Engine) -> None:
    before = estimate(engine, "supervised", answers())
    estimate(engine, "supervised", answers({"gpu_hour_usd": 100.0}))
    assert estimate(engine, "supervised", answers()) == before


def test_an_estimate_is_the_same_on_every_run(kb: KnowledgeBase) -> None:
    first, second = Engine(kb), Engine(kb)
    assert first.decide(answers()).costs == second.decide(answers()).costs


# --- every dollar traced -----------------------------------------------------------------------


def test_every_line_names_the_assumptions_and_claims_it_reads(kb: KnowledgeBase, engine: Engine) -> None:
    for approach in APPROACHES:
        for category_cost in estimate(engine, approach, answers()).categories:
            for line_cost in category_cost.lines:
                assert set(line_cost.assumptions) <= set(kb.assumption)
                assert set(line_cost.claims) <= set(kb.claim)
                assert line_cost.line.claims  # every line says which claims say the cost exists


def test_categories_are_exactly_the_four_and_the_interval_is_ordered(engine: Engine) -> None:
    for approach in APPROACHES:
        cost = estimate(engine, approach, answers())
        assert tuple(c.category for c in cost.categories) == CATEGORIES
        assert 0 <= cost.low <= cost.median <= cost.high
        for category_cost in cost.categories:
            assert 0 <= category_cost.low <= category_cost.high
        # Percentiles of a sum are no sums of percentiles, but they stay within their bounds.
        assert cost.low >= sum(c.low for c in cost.categories) * 0.5
        assert cost.high <= sum(c.high for c in cost.categories) * 1.0001


def test_an_estimate_is_frozen(engine: Engine) -> None:
    cost = estimate(engine, "supervised", answers())
    with pytest.raises(dataclasses.FrozenInstanceError):
        cost.approach = "unsupervised"  # type: ignore[misc]


# --- numbers that stay finite: tiny divisors, the ends of every range ----------------------------

EXTREME_ANSWERS: dict[str, Any] = {
    "task": "classify support tickets",
    "labels": "labeled",
    "labeled_examples": 1_000,
    "model_size": "small",
    "budget_usd": 10_000,
}


@pytest.mark.parametrize(
    ("assumption", "value", "says"),
    [
        ("gpu_effective_tflops", 5e-324, "5e-324 is below the range I accept: 0.1 to 300,000 TFLOP/s"),
        ("gpu_memory_gb", 1e-310, "1e-310 is below the range I accept: 0.08 to 80,000 GB of memory per GPU"),
        ("gpu_memory_gb", 2.2250738585072014e-308, "is below the range I accept: 0.08 to 80,000 GB"),
        ("gpu_effective_tflops", 0.0999, "0.0999 is below the range I accept: 0.1 to 300,000"),
        ("gpu_effective_tflops", 300_001, "300001 is above the range I accept: 0.1 to 300,000"),
        ("gpu_effective_tflops", 0, "must be more than 0"),
        ("gpu_hour_usd", 4001, "4001 is above the range I accept: 0, or 0.0015 to 4,000 USD per GPU-hour"),
        ("annotation_usd_per_label", 1e-12, "1e-12 is below the range I accept: 0, or 0.0001 to 1,000"),
        ("inhouse_usd_per_week", 2e12, "2e+12 is above the range I accept: 0 to 1e+12 USD"),
    ],
)
def test_a_value_outside_an_assumptions_range_is_refused_naming_the_range_and_unit(
    cli: Callable[..., Any], write_answers: Callable[..., Any], assumption: str, value: float, says: str
) -> None:
    # 5e-324 TFLOP/s made the chart crash on NaN and the JSON report hold a bare NaN; 1e-310 GB
    # made ceil() overflow: both tracebacks.
    for format in ("text", "json"):
        path = write_answers(yaml.safe_dump({**EXTREME_ANSWERS, "assumptions": {assumption: value}}))
        run = cli("recommend", path, "--format", format)
        assert run.code == 2, run.err
        assert f"assumptions.{assumption}: " in run.err and says in run.err
        assert "Traceback" not in run.err and run.out == ""


@pytest.mark.parametrize(
    ("assumption", "value"),
    [
        ("gpu_effective_tflops", 0.1),
        ("gpu_effective_tflops", 300_000),
        ("gpu_memory_gb", 0.08),
        ("gpu_hour_usd", 0),
    ],
)
def test_a_value_just_inside_the_range_is_accepted(
    cli: Callable[..., Any], write_answers: Callable[..., Any], assumption: str, value: float
) -> None:
    path = write_answers(yaml.safe_dump({**EXTREME_ANSWERS, "assumptions": {assumption: value}}))
    run = cli("recommend", path, "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out, parse_constant=_refuse_constant)["answers"]


def _refuse_constant(name: str) -> float:
    raise AssertionError(f"the JSON report holds a bare {name}")


def _corners(kb: KnowledgeBase, seed: int) -> dict[str, float]:
    """Every assumption at one end of its accepted range: ``seed`` 0 at the costliest corner (each
    divisor at its floor, everything else at its ceiling), 1 at the floor, 2 at the ceiling, and
    others at random ends."""
    rng = random.Random(seed)
    chosen = {}
    for assumption in kb.costs.assumptions:
        divisor = assumption.id in kb.divisors
        bounds = allowed(
            assumption.low,
            assumption.high,
            assumption.unit,
            divisor=divisor,
            signed=assumption.id in kb.weights,
        )
        if seed == 0:
            low = divisor
        elif seed in (1, 2):
            low = seed == 1
        else:
            low = rng.random() < 0.5
        chosen[assumption.id] = bounds.low if low else bounds.high
    return chosen


def _extreme_answers(seed: int) -> dict[str, Any]:
    if seed % 2:
        return EXTREME_ANSWERS
    return {
        **EXTREME_ANSWERS,
        "labeled_examples": LARGEST_ANSWER,
        "unlabeled_examples": LARGEST_ANSWER,
        "model_size": LARGEST_ANSWER,
        "budget_usd": LARGEST_ANSWER,
        "hardware": "cpu",
    }


def _every_number_finite(value: Any) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for item in value.values():
            _every_number_finite(item)
    elif isinstance(value, list):
        for item in value:
            _every_number_finite(item)


def _check_corner(
    kb: KnowledgeBase, cli: Callable[..., Any], write_answers: Callable[..., Any], seed: int
) -> None:
    path = write_answers(yaml.safe_dump({**_extreme_answers(seed), "assumptions": _corners(kb, seed)}))
    report = cli("recommend", path, "--format", "json")
    assert report.code == 0, report.err
    _every_number_finite(json.loads(report.out, parse_constant=_refuse_constant))
    for format in ("text", "markdown"):
        run = cli("recommend", path, "--format", format)
        assert run.code == 0, run.err
        assert not re.search(r"\b(?:nan|inf|infinity)\b", run.out, re.IGNORECASE)


@pytest.mark.parametrize("seed", range(4))
def test_every_assumption_at_the_ends_of_its_range_keeps_every_number_finite(
    kb: KnowledgeBase, cli: Callable[..., Any], write_answers: Callable[..., Any], seed: int
) -> None:
    """The costs, the chart, the sensitivity, the would-win-ifs and the JSON, with every
    assumption at an end of the range the policy accepts and the answers at theirs."""
    _check_corner(kb, cli, write_answers, seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4, 40))
def test_every_assumption_at_random_ends_of_its_range_keeps_every_number_finite(
    kb: KnowledgeBase, cli: Callable[..., Any], write_answers: Callable[..., Any], seed: int
) -> None:
    _check_corner(kb, cli, write_answers, seed)


def test_a_number_that_is_not_finite_never_reaches_the_json_report(
    kb: KnowledgeBase, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last guard: should a knowledge base's own formulas overflow, the JSON report is refused
    in words (exit code 3), never written with a bare NaN that JSON readers reject."""
    normalized = normalize(EXTREME_ANSWERS, kb)
    report = build_report(kb, engine, normalized)
    data = to_dict(report)
    data["recommendation"]["cost"]["low_usd"] = math.nan
    monkeypatch.setattr(render, "to_dict", lambda _: data)
    with pytest.raises(KnowledgeError) as refused:
        render.to_json(report)
    message = str(refused.value)
    assert "recommendation.cost.low_usd = nan" in message and "costs.yaml" in message
    assert refused.value.exit_code == 3


@pytest.mark.parametrize("budget", [5e-324, 1e-310, "$5e-324"])
def test_a_budget_too_near_0_is_refused(
    cli: Callable[..., Any], write_answers: Callable[..., Any], budget: float | str
) -> None:
    run = cli("recommend", write_answers(yaml.safe_dump({**EXTREME_ANSWERS, "budget_usd": budget})))
    assert run.code == 2 and "budget_usd: " in run.err
    assert "is too near 0: give 0 or at least 1e-09" in run.err
