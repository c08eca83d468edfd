"""The sweep's properties of the budget and of "would win if": the grid spans the answers a
practitioner meets, the bundled knowledge base scores 0 on each, and each count catches the
defect it is named for when one is put in."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest

import advisor.decision.engine as engine_module
import advisor.decision.what_if as what_if_module
from advisor.decision.engine import Engine
from advisor.decision.estimates import CostEstimate
from advisor.decision.ranking import LEVELS, Policy, Ranking, Standing, rank
from advisor.kb import KnowledgeBase
from advisor.kb.models import APPROACHES, ApproachId
from advisor.sweep import BUDGETS, FINDINGS, profiles, sweep

PROPERTIES = (
    "budget_flip_back",
    "interval_changes_decision",
    "contradictory_moves",
    "more_money_cheaper_plan",
    "none_fits_not_cheapest",
    "would_not_win",
)


def test_the_grid_spans_the_new_fields_with_at_least_three_thousand_profiles(kb: KnowledgeBase) -> None:
    grid = list(profiles(kb))
    assert len(grid) >= 3000
    for field in ("output", "data", "domain", "data_location", "labels", "team", "model_size"):
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


@pytest.mark.parametrize("step", [pytest.param(3, marks=pytest.mark.slow, id="every-3rd"), 41])
def test_a_smaller_budget_beside_another_change_is_caught(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    """With the guard on extra money lifted, the search pairs changes with any budget: the sweep
    sees the contradictory pairs and the money asked for cheaper plans."""
    monkeypatch.setattr(what_if_module, "_more_money", lambda *args: True)
    result = sweep(kb, grid=itertools.islice(profiles(kb), 0, None, step))
    assert result.counts["contradictory_moves"] + result.counts["more_money_cheaper_plan"] > 0
