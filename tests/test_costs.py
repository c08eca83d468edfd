"""The cost model: the documents' anchors reproduced on the categories their sources cover, costs
that follow the project (model, data, method, hardware, team), paying only for what is missing,
overrides, and every dollar traced to a claim or a named assumption."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from advisor.answers import Answers, normalize
from advisor.costs import CostEstimate
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.kb.models import APPROACHES, CATEGORIES

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
