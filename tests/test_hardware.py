"""Hardware the plan runs on, and what running the model costs a month.

A plan the hardware named cannot run (a 70B model on CPUs only, adapters on TPUs, more memory
than one's own GPU holds) is refused as a plan on that hardware: the report says why at once,
prices the nearest plan that works on rented GPUs and says its budget verdict is for them. A
plan that runs on the person's own processors or GPU (a laptop, Colab) costs nothing to compute.
Serving is shown beside the cost, outside the budget verdict, from named assumptions.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from advisor.answers import normalize
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.outline import method_sentence
from advisor.render import to_json, to_markdown, to_text
from advisor.report import SCHEMA_VERSION, Report, build_report

REPLIES = {
    "task": "draft replies to customers",
    "labels": "labeled",
    "labeled_examples": 2000,
    "budget_usd": 200_000,
}
TICKETS = {
    "task": "classify support tickets",
    "labels": "labeled",
    "labeled_examples": 1000,
    "model_size": "DistilBERT",
    "budget_usd": 5000,
}


def report(kb: KnowledgeBase, engine: Engine, answers: dict[str, Any]) -> Report:
    return build_report(kb, engine, normalize(answers, kb))


def compute(report: Report) -> tuple[float, float]:
    category = next(c for c in report.cost.categories if c.category == "compute")
    return category.low, category.high


def assumed(kb: KnowledgeBase, name: str) -> tuple[float, float]:
    assumption = kb.assumption[name]
    return assumption.low, assumption.high


@pytest.fixture(scope="module")
def big_on_cpu(kb: KnowledgeBase, engine: Engine) -> Report:
    return report(kb, engine, {**REPLIES, "model_size": "70B", "hardware": "cpu"})


def test_a_70b_model_on_cpus_only_is_refused_with_the_plan_that_works(big_on_cpu: Report) -> None:
    hardware = big_on_cpu.hardware
    assert not hardware.feasible and not hardware.own
    assert hardware.priced_on == "rented-gpus"
    assert hardware.text is not None
    assert hardware.text.startswith("A model of 70B parameters cannot be fine-tuned with QLoRA on CPUs only")
    assert "The nearest plan that works rents 1 GPU of 80 GB for QLoRA" in hardware.text
    # It fits the budget as priced on rented GPUs, and says so in the verdict itself.
    assert big_on_cpu.budget.fits
    assert big_on_cpu.budget.text.endswith("priced on rented GPUs (not on CPUs only)")
    assert compute(big_on_cpu)[0] > 0
    sentence = method_sentence(big_on_cpu.method)
    assert "on 1 rented GPU of 80 GB" in sentence and "CPUs" not in sentence


def test_the_refusal_comes_on_the_first_screen_and_opens_the_plan_in_every_rendering(
    big_on_cpu: Report,
) -> None:
    """The first screen says the plan is priced on rented GPUs (in the verdict, or in a line of
    its own without a budget); the plan's section opens with why, and the plan that works."""
    assert big_on_cpu.hardware.text is not None
    opening = big_on_cpu.hardware.text[:60]
    text = to_text(big_on_cpu)
    assert text.startswith("Recommendation: ")
    first_screen = " ".join("\n".join(text.splitlines()[:24]).split())
    assert "priced on rented GPUs (not on CPUs only)" in first_screen
    plan = text.split("\nThe plan\n")[1].splitlines()
    assert " ".join(plan[:2]).strip().startswith(opening[:40])
    markdown = to_markdown(big_on_cpu).split("## The plan\n\n")[1]
    assert markdown.startswith(opening)
    answers = {**REPLIES, "model_size": "70B", "hardware": "cpu", "budget_usd": "not sure"}
    unsaid = report(big_on_cpu.kb, big_on_cpu.decision.engine, answers)
    assert "It cannot run on CPUs only: it is priced on 1 rented GPU of 80 GB." in to_text(unsaid)
    data = json.loads(to_json(big_on_cpu))
    assert data["schema_version"] == SCHEMA_VERSION >= 5
    assert data["recommendation"]["hardware"] == {
        "named": "cpu",
        "feasible": False,
        "own": False,
        "priced_on": "rented-gpus",
        "text": big_on_cpu.hardware.text,
    }


def test_a_small_model_on_a_laptop_computes_for_nothing(kb: KnowledgeBase, engine: Engine) -> None:
    laptop = report(kb, engine, {**TICKETS, "hardware": "my laptop"})
    assert laptop.normalized.answers.values["hardware"] == "cpu"
    assert laptop.hardware.feasible and laptop.hardware.own
    assert laptop.hardware.priced_on == "own-hardware"
    assert compute(laptop) == (0.0, 0.0)
    rented = report(kb, engine, TICKETS)
    assert compute(rented)[1] > 0 and rented.hardware.text is None
    sentence = method_sentence(laptop.method)
    assert sentence.endswith("on CPUs only: no GPUs rented.") and "GPU of" not in sentence
    assert "priced on rented GPUs" not in laptop.budget.text


@pytest.mark.parametrize("said", ["colab", "Kaggle notebook", "my own GPU", "my gaming pc"])
def test_a_free_notebook_or_ones_own_gpu_is_read_and_costs_nothing(
    kb: KnowledgeBase, engine: Engine, said: str
) -> None:
    own = report(kb, engine, {**TICKETS, "hardware": said})
    assert own.normalized.answers.values["hardware"] == "own-gpu"
    assert own.hardware.own and compute(own) == (0.0, 0.0)
    assert (
        own.hardware.text
        == "It runs on your own GPU or a free notebook: no GPUs to rent, so compute costs nothing."
    )


def test_a_model_too_big_for_ones_own_gpu_is_priced_on_rented_ones(kb: KnowledgeBase, engine: Engine) -> None:
    big = report(kb, engine, {**REPLIES, "model_size": "70B", "hardware": "colab"})
    assert not big.hardware.feasible
    assert big.hardware.text is not None and "more GPU memory than such a GPU holds" in big.hardware.text
    assert compute(big)[0] > 0
    on_rented = report(kb, engine, {**REPLIES, "model_size": "70B"})
    assert compute(big) == compute(on_rented)


def test_adapters_on_tpus_are_priced_on_rented_gpus(kb: KnowledgeBase, engine: Engine) -> None:
    tpu = report(kb, engine, {**REPLIES, "model_size": "13B", "hardware": "tpu"})
    gpu = report(kb, engine, {**REPLIES, "model_size": "13B", "hardware": "gpu"})
    assert not tpu.hardware.feasible and "TPUs" in (tpu.hardware.text or "")
    assert compute(tpu) == compute(gpu)
    full = report(kb, engine, {**REPLIES, "model_size": "13B", "hardware": "tpu", "method": "full"})
    assert full.hardware.feasible and full.hardware.priced_on == "rented-tpu"


def test_serving_a_small_classifier_is_a_cpu_machine_from_its_assumption(
    kb: KnowledgeBase, engine: Engine
) -> None:
    small = report(kb, engine, TICKETS)
    low, high = assumed(kb, "cpu_serving_usd_per_month")
    assert low <= small.serving.spread.low <= small.serving.spread.high <= high
    assert small.serving.text.startswith("Running it: about $")
    assert "a CPU machine" in small.serving.text and small.serving.text.endswith(
        "outside the budget verdict."
    )
    assert "cpu_serving_usd_per_month" in small.serving.assumptions
    listed = {assumption.id for assumption, _, _ in small.assumptions}
    assert set(small.serving.assumptions) <= listed


def test_serving_a_7b_model_is_one_always_on_24_gb_gpu(kb: KnowledgeBase, engine: Engine) -> None:
    seven = report(kb, engine, {**REPLIES, "model_size": "7B"})
    hours = next(c.value for c in kb.costs.constants if c.id == "hours_per_month")
    low, high = assumed(kb, "small_gpu_hour_usd")
    assert hours * low <= seven.serving.spread.low <= seven.serving.spread.high <= hours * high
    assert "24 GB GPU" in seven.serving.text
    assert {"small_gpu_hour_usd", "small_gpu_memory_gb"} <= set(seven.serving.assumptions)
    big = report(kb, engine, {**REPLIES, "model_size": "70B"})
    assert big.serving.spread.low > seven.serving.spread.high
    assert "gpu_hour_usd" in big.serving.assumptions


def test_serving_is_shown_beside_the_cost_in_every_rendering_and_not_judged(
    kb: KnowledgeBase, engine: Engine
) -> None:
    seven = report(kb, engine, {**REPLIES, "model_size": "7B", "budget_usd": 1000})
    assert seven.serving.text in " ".join(to_text(seven).split())
    assert seven.serving.text in to_markdown(seven)
    data = json.loads(to_json(seven))["recommendation"]
    serving = data["serving_usd_per_month"]
    assert serving["low"] <= serving["median"] <= serving["high"]
    assert data["serving_text"] == seven.serving.text
    listed = {entry["id"] for entry in json.loads(to_json(seven))["assumptions"]}
    assert set(serving["assumptions"]) <= listed
    # The verdict and the cost are the fine-tune's alone: the same with serving far dearer.
    small = report(kb, engine, {**TICKETS, "budget_usd": 20_000})
    dearer = report(
        kb, engine, {**TICKETS, "budget_usd": 20_000, "assumptions": {"cpu_serving_usd_per_month": 1e5}}
    )
    assert dearer.serving.spread.low > 20_000 > small.serving.spread.high
    assert small.budget.fits and dearer.budget.fits
    assert (dearer.cost.low, dearer.cost.high, dearer.approach) == (
        small.cost.low,
        small.cost.high,
        small.approach,
    )
