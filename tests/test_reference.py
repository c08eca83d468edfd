"""The cost model against references that share none of its code, over random answers.

- A plain interpreter of ``costs.yaml``'s formulas (a recursive walk of the parsed tree, on
  single numbers) gives the same total as the cost model's vectorized evaluation.
- The stated percentiles of a range sit at their levels in a brute-force Monte Carlo sample of
  the same assumptions (3,000 plain random draws against the 128 stratified ones, over 40 profiles).
- Compute never falls as the model or the data grows, the method held fixed.
- Every assumption the report names as changing the recommendation does change it when an
  answers file sets it there.
"""

from __future__ import annotations

import bisect
import math
import random
import statistics
from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import Answers, Normalized
from advisor.conditions import holds
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.kb.expressions import Call, Expr, Name, Number, Operation, parse
from advisor.kb.fields import APPROACH, LABELED_EXAMPLES, METHOD, MODEL_SIZE
from advisor.kb.models import APPROACHES, Table
from advisor.report import explain

# --- a plain interpreter ------------------------------------------------------------------


def interpret(tree: Expr, env: Mapping[str, Any]) -> float:
    """A formula on single numbers, by the grammar's meaning alone."""
    if isinstance(tree, Number):
        return tree.value
    if isinstance(tree, Name):
        return float(env[tree.name])
    if isinstance(tree, Operation):
        left, right = interpret(tree.left, env), interpret(tree.right, env)
        return {
            "+": lambda: left + right,
            "-": lambda: left - right,
            "*": lambda: left * right,
            "/": lambda: left / right if right else 0.0,
            "<": lambda: float(left < right),
            "<=": lambda: float(left <= right),
            ">": lambda: float(left > right),
            ">=": lambda: float(left >= right),
        }[tree.op]()
    assert isinstance(tree, Call)
    if tree.function == "given":
        first = tree.arguments[0]
        answer = env.get(first.name) if isinstance(first, Name) else None
        return interpret(tree.arguments[1], env) if answer is None else float(answer)
    args = [interpret(argument, env) for argument in tree.arguments]
    functions = {
        "max": lambda: max(args),
        "min": lambda: min(args),
        "ceil": lambda: float(math.ceil(args[0])),
        "log10": lambda: math.log10(args[0]) if args[0] > 0 else 0.0,
    }
    return functions[tree.function]()


def amount(kb_amount: str | Table, env: Mapping[str, Any]) -> float:
    if isinstance(kb_amount, str):
        return interpret(parse(kb_amount), env)
    chosen = kb_amount.cases.get(str(env.get(kb_amount.by)), kb_amount.default)
    return 0.0 if chosen is None else interpret(parse(chosen), env)


def reference_total(
    kb: KnowledgeBase, approach: str, values: Mapping[str, Any], point: Mapping[str, float]
) -> float:
    env: dict[str, Any] = {
        **values,
        **{c.id: c.value for c in kb.costs.constants},
        **point,
        APPROACH: approach,
    }
    for quantity in kb.costs.quantities:
        env[quantity.id] = amount(quantity.amount, env)
    total = 0.0
    for line in kb.costs.lines:
        if approach not in line.approaches:
            continue
        if not holds(line.when, values):
            continue
        total += amount(line.amount, env)
    return total


# --- random answers --------------------------------------------------------------------------


@st.composite
def answers(draw: st.DrawFn, engine: Engine) -> Answers:
    """Any answers: each choice, and counts and budgets anywhere in their realistic range."""
    values: dict[str, Any] = {}
    for question in engine.kb.questions:
        if question.choices:
            options: list[Any] = [choice.value for choice in question.choices]
            if question.optional:
                options.append(None)
            values[question.id] = draw(st.sampled_from(options))
        elif question.kind == "count":
            values[question.id] = draw(st.integers(min_value=0, max_value=2_000_000))
        else:
            values[question.id] = draw(st.floats(min_value=100, max_value=2e6, allow_nan=False))
    if draw(st.booleans()):
        values[MODEL_SIZE] = draw(st.sampled_from([6.6e7, 1.1e8, 1.5e9, 7e9, 1.3e10, 7e10, 1.75e11]))
    return Answers(engine.space.visible(values))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_vectorized_cost_model_equals_a_plain_interpreter(
    kb: KnowledgeBase, engine: Engine, data: st.DataObject
) -> None:
    profile = data.draw(answers(engine))
    model = engine.cost_model
    values = engine.space.complete(profile.values, model.defaults)
    point = model.middle(model.defaults)
    for approach in APPROACHES:
        mine = model.total_at(approach, values, point)
        assert isinstance(mine, float)
        assert math.isclose(mine, reference_total(kb, approach, values, point), rel_tol=1e-9, abs_tol=1e-6)


RANK_TOLERANCE = 0.10
"""How far a stated percentile may sit from its level in the brute-force sample. The draws are
a Latin hypercube: each assumption's column is stratified, but the columns are paired by fixed
orders, and their chance correlations widen or narrow every total a little. Measured over 450
totals of 150 varied profiles with six different orders: the median end sits 0 to 2 points from
its level, and the worst 9 points. A tolerance on ranks, not dollars: where a total has a step
(a GPU more or less), a percentile a point off can be a quarter off in dollars, and both are
right."""

MEDIAN_TOLERANCE = 0.03
"""How far the median rank of the stated ends, over many profiles, may sit from the levels."""


def _brute_force(engine: Engine, decision: Any, count: int = 3000) -> dict[str, Any]:
    """Every assumption drawn ``count`` times at random from its own range: independently, except
    those that move together (``moves_with``), which share their random shares."""
    rng = random.Random(7)
    draws: dict[str, Any] = {}
    columns: dict[str, list[float]] = {}
    for name, (low, high) in {**decision.assumed, **engine.cost_model.cited}.items():
        assumption = engine.kb.assumption.get(name)
        group = assumption.moves_with if assumption is not None and assumption.moves_with else f"own:{name}"
        shares = columns.setdefault(group, [rng.random() for _ in range(count)])
        draws[name] = (
            float(low)
            if low == high
            else [low + (high - low) * s for s in shares]
            if low <= 0
            else [low * (high / low) ** s for s in shares]
        )
    return draws


def test_the_stated_percentiles_sit_at_their_levels_in_a_brute_force_sample(engine: Engine) -> None:
    """The draws (the formulas are checked above; here only the sampling) against 3,000 plain
    random ones, over 40 varied profiles: each stated end sits near its percentile of the brute-force
    sample, and over all of them the ends sit at their levels."""
    rng = random.Random(11)
    model = engine.cost_model
    stated_interval = engine.kb.costs.interval  # what the report says the range is
    low_share, high_share = stated_interval.low / 100, stated_interval.high / 100
    lows: list[float] = []
    highs: list[float] = []
    for profile in _seeded_profiles(engine, rng, 40):
        decision = engine.decide(profile)
        draws = _brute_force(engine, decision)
        for approach in APPROACHES:
            totals = model.total_at(approach, decision.values, draws)
            stated = decision.costs[approach]
            if not isinstance(totals, list) or min(totals) == max(totals):
                assert stated.low == stated.high
                continue
            ordered = sorted(totals)
            lows.append(_rank(ordered, stated.low))
            highs.append(_rank(ordered, stated.high))
    assert len(lows) > 80
    assert max(abs(rank - low_share) for rank in lows) <= RANK_TOLERANCE
    assert max(abs(rank - high_share) for rank in highs) <= RANK_TOLERANCE
    assert abs(statistics.median(lows) - low_share) <= MEDIAN_TOLERANCE
    assert abs(statistics.median(highs) - high_share) <= MEDIAN_TOLERANCE


def _seeded_profiles(engine: Engine, rng: random.Random, count: int) -> list[Answers]:
    """Answers drawn like :func:`answers`, from a seeded generator: the same on every run."""
    profiles = []
    for _ in range(count):
        values: dict[str, Any] = {}
        for question in engine.kb.questions:
            if question.choices:
                options: list[Any] = [choice.value for choice in question.choices]
                if question.optional:
                    options.append(None)
                values[question.id] = rng.choice(options)
            elif question.kind == "count":
                values[question.id] = round(10 ** rng.uniform(0, 6.3))
            else:
                values[question.id] = 10 ** rng.uniform(2, 6.3)
        profiles.append(Answers(engine.space.visible(values)))
    return profiles


def _rank(ordered: list[float], value: float) -> float:
    """The share of the sample below ``value`` (ties count half)."""
    below = bisect.bisect_left(ordered, value)
    at = bisect.bisect_right(ordered, value) - below
    return (below + at / 2) / len(ordered)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_compute_never_falls_as_the_model_or_the_data_grows(engine: Engine, data: st.DataObject) -> None:
    profile = data.draw(answers(engine))
    model = engine.cost_model
    draws = model.draws(model.defaults)
    values = engine.space.complete(profile.values, model.defaults)
    fixed = {METHOD: values[METHOD]}
    larger = engine.space.complete(
        {**profile.values, MODEL_SIZE: float(values["model_params"]) * 3, **fixed}, model.defaults
    )
    # From labels the person has: with none at all, the plan gathers the full first set (the
    # "goal"), while a few are only topped up to what the method needs (the "floor"), by design.
    owned = int(values.get(LABELED_EXAMPLES) or 0)
    more = engine.space.complete(
        {**profile.values, LABELED_EXAMPLES: max(owned, 1) * 10, **fixed},
        model.defaults,
    )
    for approach in APPROACHES:
        compute = _compute(model.estimate(approach, values, draws))
        assert _compute(model.estimate(approach, larger, draws)) >= compute * 0.999
        if owned > 0 and more.get(LABELED_EXAMPLES) != values.get(LABELED_EXAMPLES):
            assert _compute(model.estimate(approach, more, draws)) >= compute * 0.999


def _compute(estimate: Any) -> float:
    return next(c.spread.median for c in estimate.categories if c.category == "compute")


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_named_flip_flips_when_applied(kb: KnowledgeBase, engine: Engine, data: st.DataObject) -> None:
    profile = data.draw(answers(engine))
    report = explain(kb, Normalized(profile, ()), engine.decide(profile))
    for flip in report.flips:
        applied = engine.decide(Answers(profile.values, {flip.assumption.id: flip.value}))
        assert applied.winner == flip.approach != report.approach


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_repricing_a_changed_answer_equals_pricing_it_afresh(engine: Engine, data: st.DataObject) -> None:
    """The what-ifs re-price only what a changed answer moves: the same totals as from scratch."""
    before = data.draw(answers(engine))
    after = data.draw(answers(engine))
    model = engine.cost_model
    middle = model.middle(model.defaults)
    old = engine.space.complete(before.values, model.defaults)
    new = engine.space.complete(after.values, model.defaults)
    points = {approach: model.point(approach, old, middle) for approach in APPROACHES}
    for approach, total in model.repriced(points, new).items():
        assert math.isclose(total, model.point(approach, new, middle).total, rel_tol=1e-9, abs_tol=1e-6)
