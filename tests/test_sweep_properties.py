"""The sweep's properties of the budget and of "would win if": the grid spans the answers a
practitioner meets, the bundled knowledge base scores 0 on each, and each count catches the
defect it is named for when one is put in."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path

import pytest
from helpers import edit

import advisor.decision.engine as engine_module
import advisor.decision.what_if as what_if_module
from advisor.decision.engine import Engine
from advisor.decision.estimates import CostEstimate
from advisor.decision.ranking import LEVELS, Policy, Ranking, Standing, rank
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.kb.models import APPROACHES, ApproachId
from advisor.sweep import BUDGETS, FINDINGS, profiles, sweep

PROPERTIES = (
    "budget_flip_back",
    "interval_changes_decision",
    "contradictory_moves",
    "more_money_cheaper_plan",
    "none_fits_not_cheapest",
    "would_not_win",
    "no_model_for_task",
    "data_unpriced",
    "wrong_starting_model",
    "infeasible_fits",
    "own_hardware_billed",
)


def test_the_grid_spans_the_new_fields_with_at_least_three_thousand_profiles(kb: KnowledgeBase) -> None:
    grid = list(profiles(kb))
    assert len(grid) >= 3000
    for field in ("output", "data", "domain", "data_location", "labels", "team", "model_size", "hardware"):
        seen = {profile.get(field) for profile in grid}
        assert len(seen) >= 2, field
    assert "none-yet" in {profile["labels"] for profile in grid}
    assert {profile["budget_usd"] for profile in grid} == set(BUDGETS)
    assert set(PROPERTIES) <= set(FINDINGS)


@pytest.mark.parametrize("step", [pytest.param(11, marks=pytest.mark.slow, id="every-11th"), 53])
def test_a_slice_of_the_bundled_grid_scores_zero_on_each_property(kb: KnowledgeBase, step: int) -> None:
    result = sweep(kb, grid=itertools.islice(profiles(kb), 0, None, step))
    assert result.profiles >= 3000 // step
    assert {name: result.counts[name] for name in PROPERTIES} == dict.fromkeys(PROPERTIES, 0), result.examples


def _voting(
    standing: Standing,
    medians: Mapping[ApproachId, float],
    budget: float | None,
    policy: Policy,
    uppers: Mapping[ApproachId, float] | None = None,
) -> Ranking:
    """The policy before the budget filtered: each budget level added three points to the score."""
    filtered = rank(standing, medians, budget, policy, uppers)
    levels = filtered.levels
    totals = {
        a: standing.scores[a] + 3 * (LEVELS.index(levels[a]) if levels[a] in LEVELS else 0)
        for a in APPROACHES
    }
    order = sorted(APPROACHES, key=lambda a: (a in standing.excluded, -totals[a], policy.tie_order.index(a)))
    return Ranking(levels, totals, tuple(order), order[0], False)


@pytest.mark.parametrize("step", [pytest.param(5, marks=pytest.mark.slow, id="every-5th"), 41])
def test_a_budget_that_votes_is_caught_flipping_back(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    monkeypatch.setattr(engine_module, "rank", _voting)
    result = sweep(kb, engine=Engine(kb), grid=itertools.islice(profiles(kb), 0, None, step))
    assert result.counts["budget_flip_back"] > 0
    assert "budget_flip_back" in result.examples


@pytest.mark.parametrize("step", [pytest.param(5, marks=pytest.mark.slow, id="every-5th"), 29])
def test_levels_read_from_the_interval_shown_are_caught(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    def shown_high(self: Engine, cost: CostEstimate) -> float:
        return cost.high  # the percentile the report shows, not a fixed one

    monkeypatch.setattr(Engine, "upper", shown_high)
    result = sweep(kb, grid=itertools.islice(profiles(kb), 0, None, step))
    assert result.counts["interval_changes_decision"] > 0


@pytest.mark.parametrize("step", [pytest.param(3, marks=pytest.mark.slow, id="every-3rd"), 13])
def test_a_smaller_budget_beside_another_change_is_caught(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    """With the guard on extra money lifted, the search pairs changes with any budget: the sweep
    sees the contradictory pairs and the money asked for cheaper plans."""
    monkeypatch.setattr(what_if_module, "_more_money", lambda *args: True)
    result = sweep(kb, grid=itertools.islice(profiles(kb), 0, None, step))
    assert result.counts["contradictory_moves"] + result.counts["more_money_cheaper_plan"] > 0


def _sample(kb: KnowledgeBase) -> itertools.islice[dict[str, object]]:
    return itertools.islice(profiles(kb), 0, None, 29)


def test_adapting_on_raw_data_without_a_labeled_step_is_caught(kb_dir: Path) -> None:
    """Without its second step, unsupervised fine-tuning is a plan for classifiers with no labels."""
    approaches = kb_dir / "approaches.yaml"
    text = approaches.read_text(encoding="utf-8")
    second_step = "then: {approach: transfer-learning, when: needs_labels}"
    assert second_step in text
    approaches.write_text(text.replace(second_step, ""), "utf-8")
    broken = load_knowledge(kb_dir)
    result = sweep(broken, grid=_sample(broken))
    assert result.counts["no_model_for_task"] > 0


def test_a_test_set_labeled_for_free_is_caught(kb_dir: Path) -> None:
    """Without the line that prices the test set, labels are missing and nothing pays for them."""
    costs = kb_dir / "costs.yaml"
    text = costs.read_text(encoding="utf-8")
    assert "amount: to_label_eval * label_usd" in text
    costs.write_text(text.replace("amount: to_label_eval * label_usd", 'amount: "0"'), "utf-8")
    broken = load_knowledge(kb_dir)
    result = sweep(broken, grid=_sample(broken))
    assert result.counts["data_unpriced"] > 0


_WRITING_STEP = """          Start from an open instruction-tuned language model such as Llama"""

ANOTHER_KIND_OF_PROJECT = {
    "a BERT-style start for replies": (
        "draft replies to customers",
        _WRITING_STEP,
        "          Start from a BERT-style model for text; it is the usual start. Or Llama",
        "a BERT-style start",
    ),
    "an ImageNet start for captions": (
        "caption product images",
        "          Start from a vision-language model, which pairs",
        "          Start from a ResNet pre-trained on ImageNet, which pairs",
        "an image-model start",
    ),
    "an ImageNet reason for captions": (
        "caption product images",
        "        - not: {field: output, in: [captioning, generation, document-qa]}\n",
        "",
        "an ImageNet reason",
    ),
    "a small model for replies": (
        "draft replies to customers",
        _WRITING_STEP,
        "          Use a small model to save money. Start from an open instruction-tuned model such as Llama",
        "a small-model tip",
    ),
    "cloud GPUs for scans that stay on-premise": (
        "classify chest x-rays",
        "        - {field: data_location, equals: anywhere}\n",
        "",
        "cloud GPUs",
    ),
    "no pre-trained model for speech": (
        "transcribe calls",
        "    when: {field: data, in: [tables, mixed]}",
        "    when: {field: data, in: [audio, tables, mixed]}",
        "no pre-trained model",
    ),
    "the medical images case for tickets": (
        "classify support tickets",
        "    claims: [transfer-learning-small-dataset]\n",
        "    claims: [transfer-learning-small-dataset, case-medical-imaging]\n",
        "case-medical-imaging given",
    ),
}
"""Advice put back as it was for another kind of project: which task shows it, the edit, and
what the sweep says of it."""


@pytest.mark.parametrize("name", ANOTHER_KIND_OF_PROJECT)
def test_advice_for_another_kind_of_project_is_caught(kb_dir: Path, name: str) -> None:
    task, old, new, said = ANOTHER_KIND_OF_PROJECT[name]
    edit(kb_dir / "rules.yaml", old, new)
    broken = load_knowledge(kb_dir)
    grid = [p for p in itertools.islice(profiles(broken), 0, None, 3) if p["task"] == task]
    result = sweep(broken, grid=iter(grid))
    assert result.counts["wrong_starting_model"] > 0, name
    example = result.examples["wrong_starting_model"]
    assert task in example
    assert said in example


def test_a_small_model_saving_for_a_model_that_writes_is_caught(kb_dir: Path) -> None:
    """Ways to save and "would win if" never offer a model under a billion parameters to a
    project whose model must write: without the guard on the choice, the sweep sees them."""
    edit(
        kb_dir / "questions.yaml",
        "suggest_when: {not: {field: output, in: [generation, document-qa, captioning]}}",
        "",
    )
    broken = load_knowledge(kb_dir)
    writing = ("draft replies to customers", "answer questions about our policies")
    grid = [p for p in itertools.islice(profiles(broken), 0, None, 2) if p["task"] in writing]
    result = sweep(broken, grid=iter(grid))
    assert result.counts["wrong_starting_model"] > 0


def _hardware_sample(kb: KnowledgeBase) -> itertools.islice[dict[str, object]]:
    """Every 7th of the profiles without a budget or with $1,000,000: each hardware meets each model
    size (the grid shifts the hardware at each data situation)."""
    return itertools.islice((p for p in profiles(kb) if p["budget_usd"] in (None, 1_000_000.0)), 0, None, 7)


def test_the_bundled_plans_run_where_they_say(kb: KnowledgeBase) -> None:
    result = sweep(kb, grid=_hardware_sample(kb))
    met = {(p.get("hardware"), p["model_size"]) for p in _hardware_sample(kb)}
    assert len(met) == 4 * len(kb.question["model_size"].choices)
    assert result.counts["infeasible_fits"] == 0, result.examples
    assert result.counts["own_hardware_billed"] == 0, result.examples


def test_a_70b_model_priced_as_running_on_cpus_is_caught(kb_dir: Path) -> None:
    """With nothing flagged infeasible, a 70B model on CPUs only is priced on the person's own
    processors, for nothing: the sweep reads that the plan cannot run there."""
    costs = kb_dir / "costs.yaml"
    text = costs.read_text(encoding="utf-8")
    flag = "cpu: params >= cpu_params_limit"
    assert flag in text
    costs.write_text(text.replace(flag, "cpu: 0 * cpu_params_limit"), "utf-8")
    broken = load_knowledge(kb_dir)
    result = sweep(broken, grid=_hardware_sample(broken))
    assert result.counts["infeasible_fits"] > 0
    assert "hardware=" in result.examples["infeasible_fits"]


def test_ones_own_processors_billed_as_rented_is_caught(kb_dir: Path) -> None:
    costs = kb_dir / "costs.yaml"
    text = costs.read_text(encoding="utf-8")
    factor = '        cpu: infeasible\n        own-gpu: infeasible\n      default: "1"\n\n  - id: cloud'
    assert factor in text
    costs.write_text(text.replace(factor, '        cpu: "1"\n      default: "1"\n\n  - id: cloud'), "utf-8")
    broken = load_knowledge(kb_dir)
    result = sweep(broken, grid=_hardware_sample(broken))
    assert result.counts["own_hardware_billed"] > 0


def test_the_sweep_read_in_parts_counts_what_it_counts_in_one(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kb check` reads parts of the grid on each processor: the same profiles, each priced and
    checked once (a budget-voting policy put in, so that there are findings to count)."""
    monkeypatch.setattr(engine_module, "rank", _voting)
    grid = list(itertools.islice(profiles(kb), 0, 640, 2))  # every set of answers split over two
    one = sweep(kb, engine=Engine(kb), grid=iter(grid))
    parts = sweep(kb, grid=iter(grid), workers=2)
    assert parts.profiles == one.profiles == len(grid)
    assert sum(one.counts.values()) > 0
    assert parts.counts == one.counts
    assert parts.wins == one.wins
    assert sorted(parts.widths) == sorted(one.widths)
    assert set(parts.examples) == set(one.examples)


def test_a_saving_that_swaps_in_a_model_of_billions_for_masks_or_tables_is_caught(kb_dir: Path) -> None:
    """A medium model is no way to save on a segmentation network or a model of tables: without
    the guard on the choices, the sweep sees the tip."""
    guard = "not: {any: [{field: output, equals: segmentation}, {field: data, in: [tables, time-series]}]}"
    path = kb_dir / "questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"suggest_when:\n          {guard}", ""))
    broken = load_knowledge(kb_dir)
    grid = [
        p
        for p in itertools.islice(profiles(broken), 0, None, 2)
        if p.get("output") == "segmentation" or p.get("data") in ("tables", "time-series")
    ]
    assert grid
    result = sweep(broken, grid=iter(grid))
    assert result.counts["wrong_starting_model"] > 0
    assert "a model of billions" in result.examples["wrong_starting_model"]
