"""The cost model against the documents' three anchors (BERT fine-tuning
$100-$1,000; medical imaging about $10,000; e-commerce GPT-3 about $50,000),
annotation, overrides, traceability of every number, and monotonicity."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import Answers, normalize
from advisor.costs import CostEstimate, LineCost
from advisor.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.kb.models import APPROACHES, CATEGORIES
from advisor.report import build_report


def answers(**values: Any) -> Answers:
    base: dict[str, Any] = {
        "task": "text",
        "labels": "labeled",
        "labeled_examples": 20000,
        "model_size": "small",
        "budget_usd": 10000,
        "hardware": "gpu",
    }
    return Answers({**base, **values})


def estimate(engine: Engine, approach: str, a: Answers) -> CostEstimate:
    return engine.decide(a).costs[approach]  # type: ignore[index]


def category(cost: CostEstimate, name: str) -> tuple[float, float]:
    [found] = [c for c in cost.categories if c.category == name]
    return found.low, found.high


def line(cost: CostEstimate, line_id: str) -> LineCost | None:
    found = [item for c in cost.categories for item in c.lines if item.line.id == line_id]
    return found[0] if found else None


def within_factor(value: float, target: float, factor: float) -> bool:
    return target / factor <= value <= target * factor


# --- the documents' anchors --------------------------------------------------------------


def test_bert_size_supervised_compute_is_the_documented_100_to_1000_dollars(
    kb: KnowledgeBase, engine: Engine
) -> None:
    figure = kb.claim["bert-finetune-cost"].figures[0]
    assert (figure.amount, figure.amount_high, figure.unit) == (100, 1000, "USD")
    compute = category(estimate(engine, "supervised", answers(model_size="small", hardware="gpu")), "compute")
    assert 100 <= compute[0] <= compute[1] <= 1000
    assert compute == (figure.amount, figure.amount_high)


def test_bert_size_compute_cites_the_bert_claim(engine: Engine) -> None:
    cost = estimate(engine, "supervised", answers(model_size="small"))
    compute = line(cost, "fine-tuning-compute")
    assert compute is not None
    assert "bert-finetune-cost" in compute.claims


def test_medical_imaging_case_is_transfer_learning_near_ten_thousand_dollars(
    kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    documented = kb.claim["case-medical-imaging"].figures[0]
    assert (documented.amount, documented.unit) == (10000, "USD")
    raw = case_answers("medical-imaging")
    normalized = normalize(raw, kb)
    assert normalized.answers.labeled_examples == 1000
    decision = engine.decide(normalized.answers)
    assert decision.winner == "transfer-learning"
    assert within_factor(decision.costs["transfer-learning"].midpoint, documented.amount, 3)


def test_ecommerce_case_is_supervised_near_fifty_thousand_dollars(
    kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    documented = kb.claim["case-ecommerce"].figures[0]
    assert (documented.amount, documented.unit) == (50000, "USD")
    normalized = normalize(case_answers("ecommerce-recommendations"), kb)
    assert normalized.answers.values["model_size"] == "large"
    decision = engine.decide(normalized.answers)
    assert decision.winner == "supervised"
    assert within_factor(decision.costs["supervised"].midpoint, documented.amount, 3)


def test_transfer_learning_is_the_cheapest_for_the_medical_case(
    kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    # The documents' tiers: transfer $, unsupervised $-$$, supervised $$-$$$.
    costs = engine.decide(normalize(case_answers("medical-imaging"), kb).answers).costs
    assert costs["transfer-learning"].midpoint < costs["unsupervised"].midpoint < costs["supervised"].midpoint


# --- annotation -------------------------------------------------------------------------------


def test_annotation_is_zero_when_labels_already_exceed_the_target(engine: Engine) -> None:
    for approach in ("supervised", "transfer-learning"):
        cost = estimate(engine, approach, answers(labels="labeled", labeled_examples=1_000_000))
        annotation = line(cost, "data-annotation")
        assert annotation is not None
        assert (annotation.low, annotation.high) == (0, 0)
        assert cost.examples_to_label == (0, 0)


def test_annotation_is_positive_for_unlabeled_data_for_approaches_that_need_labels(engine: Engine) -> None:
    unlabeled = answers(labels="unlabeled", labeled_examples=0)
    for approach in ("supervised", "transfer-learning"):
        cost = estimate(engine, approach, unlabeled)
        annotation = line(cost, "data-annotation")
        assert annotation is not None
        assert 0 < annotation.low <= annotation.high
        assert cost.examples_to_label[0] > 0


def test_unsupervised_never_pays_for_annotation(engine: Engine) -> None:
    cost = estimate(engine, "unsupervised", answers(labels="unlabeled", labeled_examples=0))
    annotation = line(cost, "data-annotation")
    assert annotation is None or annotation.high == 0


def test_transfer_learning_labels_only_what_is_missing_from_the_documented_1000(
    kb: KnowledgeBase, engine: Engine
) -> None:
    target = kb.claim["case-medical-imaging"].figures[1]
    assert (target.amount, target.unit) == (1000, "labeled images")
    cost = estimate(engine, "transfer-learning", answers(labels="partially-labeled", labeled_examples=400))
    assert cost.examples_to_label == (600, 600)


def test_more_labels_never_cost_more_to_annotate(engine: Engine) -> None:
    previous = None
    for have in (0, 100, 1000, 5000, 10000, 50000):
        cost = estimate(engine, "supervised", answers(labeled_examples=have))
        annotation = line(cost, "data-annotation")
        assert annotation is not None
        if previous is not None:
            assert annotation.low <= previous.low and annotation.high <= previous.high
        previous = annotation


# --- assumptions -------------------------------------------------------------------------------


def test_assumption_override_changes_the_estimate_and_is_reported_as_overridden(
    kb: KnowledgeBase, engine: Engine
) -> None:
    raw = {"task": "images", "labels": "unlabeled", "model_size": "small", "budget_usd": 10000}
    plain = build_report(kb, engine, normalize(raw, kb))
    overridden = build_report(
        kb, engine, normalize({**raw, "assumptions": {"annotation_usd_per_label": 5}}, kb)
    )
    before = line(plain.decision.costs["transfer-learning"], "data-annotation")
    after = line(overridden.decision.costs["transfer-learning"], "data-annotation")
    assert before is not None and after is not None
    # 1,000 images to label (the documented set) at $5 each
    assert (after.low, after.high) == (5000, 5000)
    assert after.high > before.high
    flags = {a.id: (value, mine) for a, value, mine in overridden.assumptions}
    assert flags["annotation_usd_per_label"] == ((5, 5), True)
    assert all(not mine for key, (_, mine) in flags.items() if key != "annotation_usd_per_label")
    assert not any(mine for _, _, mine in plain.assumptions)


def test_assumption_range_override_is_used_as_low_and_high(engine: Engine) -> None:
    base = answers(labels="unlabeled", labeled_examples=0)
    cost = engine.decide(dataclasses.replace(base, assumptions={"data_storage_usd": (10.0, 20.0)})).costs[
        "supervised"
    ]
    storage = line(cost, "data-storage")
    assert storage is not None
    assert (storage.low, storage.high) == (10, 20)


def test_overrides_do_not_leak_into_later_estimates(engine: Engine) -> None:
    base = answers()
    before = estimate(engine, "supervised", base)
    engine.decide(dataclasses.replace(base, assumptions={"data_storage_usd": 1e6}))
    after = estimate(engine, "supervised", base)
    assert (before.low, before.high) == (after.low, after.high)


# --- traceability and shape -----------------------------------------------------------------------


def _space(engine: Engine) -> list[dict[str, Any]]:
    space = engine.answer_space()
    points = {}
    for combination in itertools.product(*space.values()):
        values = engine.visible(dict(zip(space, combination, strict=True)))
        points[tuple(values.values())] = values
    return list(points.values())


def test_every_number_of_every_line_traces_to_a_claim_or_an_assumption(
    kb: KnowledgeBase, engine: Engine
) -> None:
    for values in _space(engine):
        for approach in APPROACHES:
            cost = engine.cost_model.estimate(approach, values, engine.cost_model.defaults)
            for cat in cost.categories:
                for item in cat.lines:
                    assert item.claims or item.assumptions, (item.line.id, values)
                    assert set(item.claims) <= set(kb.claim)
                    assert set(item.assumptions) <= set(kb.assumption)


def test_a_large_model_on_tpus_cites_every_factor_of_its_compute(engine: Engine) -> None:
    cost = estimate(engine, "supervised", answers(model_size="large", hardware="tpu"))
    compute = line(cost, "fine-tuning-compute")
    assert compute is not None
    assert "gpt2-hourly-cost" in compute.claims
    assert {"large_finetune_hours", "tpu_cost_factor"} <= set(compute.assumptions)


def test_categories_are_exactly_the_four_and_add_up(engine: Engine) -> None:
    for values in _space(engine)[::7]:
        for approach in APPROACHES:
            cost = engine.cost_model.estimate(approach, values, engine.cost_model.defaults)
            assert tuple(c.category for c in cost.categories) == CATEGORIES
            assert cost.low == pytest.approx(sum(c.low for c in cost.categories))
            assert cost.high == pytest.approx(sum(c.high for c in cost.categories))
            for cat in cost.categories:
                assert 0 <= cat.low <= cat.high
                assert cat.low == pytest.approx(sum(item.low for item in cat.lines))


# --- monotonic in model size -----------------------------------------------------------------------

SIZES = ("small", "medium", "large")


def _assert_monotonic(engine: Engine, values: dict[str, Any]) -> None:
    for approach in APPROACHES:
        costs = [
            engine.cost_model.estimate(approach, {**values, "model_size": size}, engine.cost_model.defaults)
            for size in SIZES
        ]
        for smaller, larger in itertools.pairwise(costs):
            assert smaller.low <= larger.low, (approach, values)
            assert smaller.high <= larger.high, (approach, values)
            for name in CATEGORIES:
                assert category(smaller, name)[0] <= category(larger, name)[0]
                assert category(smaller, name)[1] <= category(larger, name)[1]


def test_larger_models_never_cost_less_over_the_answer_space(engine: Engine) -> None:
    for values in _space(engine):
        _assert_monotonic(engine, values)


@settings(max_examples=200, deadline=None)
@given(
    labels=st.sampled_from(["labeled", "partially-labeled", "unlabeled"]),
    have=st.integers(min_value=0, max_value=10**7),
    hardware=st.sampled_from(["gpu", "tpu", "cpu", None]),
    budget=st.floats(min_value=0, max_value=1e7),
    task=st.sampled_from(["text", "images", "other"]),
)
def test_larger_models_never_cost_less_for_any_answers(
    engine: Engine, labels: str, have: int, hardware: str | None, budget: float, task: str
) -> None:
    values = engine.visible(
        {
            "task": task,
            "labels": labels,
            "labeled_examples": have,
            "model_size": "small",
            "budget_usd": budget,
            "hardware": hardware,
        }
    )
    _assert_monotonic(engine, values)
