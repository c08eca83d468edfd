"""The engine's memoized fast paths against a direct evaluation, over random answers.

The cost model plans estimates once per discrete key (advisor/costs.py) and
the engine memoizes what the rules make of a cell of the answer space
(advisor/engine.py). Both promise results identical to evaluating everything
afresh. The references below do exactly that, plainly: every factor tree of
``costs.yaml`` multiplied out for each estimate, every rule condition compiled
and tested for each set of answers. Random answers (any numbers, numbers on
the thresholds, assumption overrides) must give equal results, both on a
first decision and on a repeat that hits the memos.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import Answers
from advisor.conditions import compile_condition, holds
from advisor.costs import CostEstimate
from advisor.engine import Decision, Engine
from advisor.kb import KnowledgeBase, default_knowledge_dir, load_knowledge
from advisor.kb.models import (
    APPROACHES,
    CATEGORIES,
    AnswerFactor,
    ApproachId,
    AssumptionFactor,
    ByFactor,
    ClaimFactor,
    Factor,
)

# --- the references ---------------------------------------------------------------------

Amount = tuple[float, float, list[str], list[str]]


def reference_estimate(
    kb: KnowledgeBase, approach: ApproachId, values: Mapping[str, Any], assumed: Mapping[str, Any]
) -> tuple[Any, ...]:
    """An estimate as nested tuples, every factor evaluated now, in the order of ``costs.yaml``."""

    def product(factors: tuple[Factor, ...], context: Mapping[str, Any]) -> Amount | None:
        low = high = 1.0
        claims: list[str] = []
        assumptions: list[str] = []
        for factor in factors:
            amount = one(factor, context)
            if amount is None:
                return None
            low *= amount[0]
            high *= amount[1]
            claims += amount[2]
            assumptions += amount[3]
        return (low, high, claims, assumptions)

    def one(factor: Factor, context: Mapping[str, Any]) -> Amount | None:
        if isinstance(factor, ClaimFactor):
            figure = kb.claim[factor.claim].figures[factor.figure]
            high = figure.amount if figure.amount_high is None else figure.amount_high
            return (figure.amount, high, [factor.claim], [])
        if isinstance(factor, AssumptionFactor):
            low, high = assumed[factor.assumption]
            return (low, high, [], [factor.assumption])
        if isinstance(factor, AnswerFactor):
            value = context[factor.answer]
            if isinstance(value, tuple):  # examples_to_label: a range with its sources
                return (value[0], value[1], list(value[2]), list(value[3]))
            return (float(value), float(value), [], [])
        assert isinstance(factor, ByFactor)
        chosen = approach if factor.by == "approach" else context.get(factor.by)
        case = factor.cases.get(chosen, factor.default)
        return None if case is None else product(case, context)

    to_label: tuple[float, float, list[str], list[str]] = (0.0, 0.0, [], [])
    factors = kb.costs.label_targets.get(approach)
    wanted = None if factors is None else product(factors, values)
    if wanted is not None:
        have = values.get("labeled_examples") or 0
        to_label = (max(0.0, wanted[0] - have), max(0.0, wanted[1] - have), wanted[2], wanted[3])
    context = {**values, "examples_to_label": to_label}
    categories = []
    for category in CATEGORIES:
        lines = []
        for line in kb.costs.lines:
            if line.category != category or approach not in line.approaches:
                continue
            if not holds(line.when, context):
                continue
            amount = product(line.factors, context)
            if amount is not None:
                claims = tuple(dict.fromkeys(amount[2]))
                assumptions = tuple(dict.fromkeys(amount[3]))
                lines.append((line.id, amount[0], amount[1], claims, assumptions))
        categories.append((category, sum(item[1] for item in lines), sum(item[2] for item in lines), lines))
    return (
        approach,
        sum(item[1] for item in categories),
        sum(item[2] for item in categories),
        categories,
        (to_label[0], to_label[1]),
    )


def flat(cost: CostEstimate) -> tuple[Any, ...]:
    """An estimate in the reference's shape."""
    return (
        cost.approach,
        cost.low,
        cost.high,
        [
            (
                category.category,
                category.low,
                category.high,
                [
                    (item.line.id, item.low, item.high, item.claims, item.assumptions)
                    for item in category.lines
                ],
            )
            for category in cost.categories
        ],
        cost.examples_to_label,
    )


def reference_rules(engine: Engine, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every rule's condition compiled and tested now; scores, exclusions and ranking from them."""
    failures = [
        None
        if rule.when is None
        else compile_condition(rule.when, engine.kinds, engine.names, engine.kb.question)(values)
        for rule in engine.kb.rules
    ]
    scores = dict.fromkeys(APPROACHES, 0.0)
    excluded: dict[str, tuple[str, ...]] = {}
    for rule, failure in zip(engine.kb.rules, failures, strict=True):
        if failure is not None:
            continue
        for effect in rule.effects:
            if effect.favor is not None:
                scores[effect.favor] += effect.weight
            if effect.exclude is not None:
                excluded[effect.exclude] = (*excluded.get(effect.exclude, ()), rule.id)
    order = engine.kb.costs.tie_order
    ranking = tuple(sorted(APPROACHES, key=lambda a: (a in excluded, -scores[a], order.index(a))))
    winner = None if ranking[0] in excluded else ranking[0]
    shown = order[0] if winner is None else winner
    return {
        "failures": tuple(failures),
        "scores": scores,
        "excluded": excluded,
        "ranking": ranking,
        "winner": winner,
        "decided": shown,
        "tied": ranking[1] not in excluded and scores[ranking[1]] == scores[shown],
    }


def assert_decision_is_the_reference(engine: Engine, decision: Decision) -> None:
    values = decision.answers.values
    expected = reference_rules(engine, values)
    assert decision.failures == expected["failures"]
    assert [entry.failure for entry in decision.trace] == list(expected["failures"])
    assert dict(decision.scores) == expected["scores"]
    assert dict(decision.excluded) == expected["excluded"]
    assert decision.ranking == expected["ranking"]
    assert decision.winner == expected["decided"]
    assert decision.tied == expected["tied"]
    assert engine.winner(values) == expected["winner"]
    assumed = engine.cost_model.assumed(decision.answers.assumptions)
    assert list(decision.costs) == list(APPROACHES)
    for approach in APPROACHES:
        assert flat(decision.costs[approach]) == reference_estimate(engine.kb, approach, values, assumed)


# --- random answers ---------------------------------------------------------------------


@st.composite
def overrides(draw: st.DrawFn, kb: KnowledgeBase) -> dict[str, float | tuple[float, float]]:
    ids = draw(st.lists(st.sampled_from([a.id for a in kb.costs.assumptions]), max_size=4, unique=True))
    number = st.floats(min_value=0, max_value=1e6, allow_nan=False)
    chosen: dict[str, float | tuple[float, float]] = {}
    for name in ids:
        low, high = sorted((draw(number), draw(number)))
        chosen[name] = draw(st.sampled_from([low, (low, high)]))
    return chosen


@st.composite
def answers(draw: st.DrawFn, engine: Engine) -> Answers:
    """Any valid answers: each choice, numbers anywhere or on a rule's thresholds, some overrides."""
    space = engine.answer_space()
    values: dict[str, Any] = {}
    for question in engine.kb.questions:
        if question.choices:
            values[question.id] = draw(st.sampled_from(space[question.id]))
        elif question.kind == "count":
            anywhere = st.integers(min_value=0, max_value=10**7)
            values[question.id] = draw(st.one_of(st.sampled_from(space[question.id]), anywhere))
        else:
            anywhere_money = st.floats(min_value=0, max_value=1e8, allow_nan=False)
            values[question.id] = draw(st.one_of(st.sampled_from(space[question.id]), anywhere_money))
    values = engine.visible(values)
    return Answers(values, draw(overrides(engine.kb)))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_decisions_equal_a_direct_evaluation(engine: Engine, data: st.DataObject) -> None:
    profile = data.draw(answers(engine))
    first = engine.decide(profile)
    assert_decision_is_the_reference(engine, first)
    # The same answers again: now from the memos of outcomes and cost plans.
    assert_decision_is_the_reference(engine, engine.decide(profile))


# A cost line with what the bundled one lacks: a condition on a number, several claims out of
# alphabetical order, several factors in a table's case (so that multiplying in a different order
# would round differently), answers as factors, and a table with no case for some answers.
SYNTHETIC_LINE = """
  - id: synthetic-mix
    category: compute
    text: A line that exercises every kind of factor
    when: {field: budget_usd, at_least: 1000}
    claims: [compute-training-duration]
    factors:
      - {claim: gpt2-hourly-cost}
      - by: model_size
        cases:
          small: [{claim: bert-finetune-cost}, {assumption: tpu_cost_factor}]
          large:
            - {assumption: large_finetune_hours}
            - {claim: gpt2-hourly-cost}
            - {assumption: cpu_cost_factor}
      - {answer: labeled_examples}
      - {claim: bert-finetune-cost}
      - by: hardware
        cases:
          cpu: [{answer: examples_to_label}, {assumption: cpu_cost_factor}, {answer: budget_usd}]
        default: [{assumption: tpu_cost_factor}, {assumption: medium_model_factor}]
"""


@pytest.fixture(scope="module")
def synthetic_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = tmp_path_factory.mktemp("synthetic") / "knowledge"
    shutil.copytree(default_knowledge_dir(), folder)
    costs = folder / "costs.yaml"
    costs.write_text(costs.read_text().rstrip("\n") + "\n" + SYNTHETIC_LINE)
    engine = Engine(load_knowledge(folder))
    assert "synthetic-mix" in [line.id for line in engine.kb.costs.lines]
    return engine


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_line_with_every_kind_of_factor_equals_a_direct_evaluation(
    synthetic_engine: Engine, data: st.DataObject
) -> None:
    engine = synthetic_engine
    profile = data.draw(answers(engine))
    assert_decision_is_the_reference(engine, engine.decide(profile))
    assert_decision_is_the_reference(engine, engine.decide(profile))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_estimates_equal_a_direct_evaluation_for_any_mapping_of_assumptions(
    engine: Engine, data: st.DataObject
) -> None:
    # A mapping not built by CostModel.assumed (new tuples throughout) must give the same numbers.
    profile = data.draw(answers(engine))
    values = profile.values
    assumed = engine.cost_model.assumed(profile.assumptions)
    rebuilt = {name: (float(low), float(high)) for name, (low, high) in assumed.items()}
    for approach in APPROACHES:
        expected = reference_estimate(engine.kb, approach, values, assumed)
        assert flat(engine.cost_model.estimate(approach, values, rebuilt)) == expected
        assert flat(engine.cost_model.estimate(approach, values, assumed)) == expected


def test_memos_that_start_over_give_the_same_decisions(
    kb: KnowledgeBase, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = Engine(kb)
    monkeypatch.setattr(small, "MEMO_SIZE", 3)
    monkeypatch.setattr(small.cost_model, "MEMO_SIZE", 2)
    budgets = (100.0, 4999.0, 7300.5, 50000.0, 2e6)
    for model_size in ("small", "medium", "large"):
        for hardware in ("gpu", "tpu", "cpu", None):
            for budget in budgets:
                profile = Answers(
                    {
                        "task": "images",
                        "labels": "partially-labeled",
                        "labeled_examples": int(budget) % 12000,
                        "model_size": model_size,
                        "budget_usd": budget,
                        "hardware": hardware,
                    }
                )
                assert_decision_is_the_reference(small, small.decide(profile))


def test_a_failure_shows_each_decisions_own_number(engine: Engine) -> None:
    # Two budgets in one cell (both below every threshold but the first): the same rules fire,
    # and each trace shows its own budget.
    shown = []
    for budget in (7300.0, 7301.0):
        decision = engine.decide(
            Answers(
                {
                    "task": "text",
                    "labels": "labeled",
                    "labeled_examples": 20000,
                    "model_size": "small",
                    "budget_usd": budget,
                    "hardware": None,
                }
            )
        )
        shown.append({seen for entry in decision.trace if entry.failure for test, seen in [entry.failure]})
    assert 7300.0 in shown[0] and 7300.0 not in shown[1]
    assert 7301.0 in shown[1] and 7301.0 not in shown[0]
