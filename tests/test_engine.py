"""The decision's semantics, on small synthetic rule sets (weights add up, exclusions beat scores,
ties follow tie_order, the budget is a constraint, the trace, "would win if"), then on the
bundled knowledge base with realistic answers."""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, sample_points

import advisor.decision.rules as rules_module
from advisor.answers import Answers, normalize
from advisor.checks import explore_answer_space
from advisor.decision.engine import Engine
from advisor.decision.ranking import Policy, Standing, rank
from advisor.decision.what_if import counterfactuals, would_win_if
from advisor.kb import KnowledgeBase, load_knowledge, safeyaml
from advisor.kb.models import APPROACHES

EngineFactory = Callable[..., Engine]

RICH = 1e9
"""A budget every approach fits: the rules alone decide."""


def answers(assumptions: dict[str, Any] | None = None, **values: Any) -> Answers:
    base: dict[str, Any] = {
        "task": "classify documents",
        "output": "category",
        "data": "text",
        "domain": "general",
        "data_location": "anywhere",
        "labels": "unlabeled",
        "labeled_examples": 0,
        "unlabeled_examples": None,
        "model_size": "small",
        "budget_usd": RICH,
        "team": None,
        "hardware": None,
        "method": None,
    }
    return Answers({**base, **values}, assumptions or {})


def rule(rule_id: str, *effects: dict[str, Any], when: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule_id,
        "effects": list(effects),
        "claims": ["transfer-tier"],
        "explanation": f"Synthetic rule {rule_id}.",
    }
    if when is not None:
        data["when"] = when
    return data


def favor(approach: str, weight: float) -> dict[str, Any]:
    """A weight as a number: the fixture names it, as every number in a rule must be."""
    return {"favor": approach, "weight": weight}


_NEVER = {"all": [{"field": "data", "equals": "text"}, {"not": {"field": "data", "equals": "text"}}]}


@pytest.fixture
def synthetic(kb_dir: Path) -> EngineFactory:
    """An engine over the bundled knowledge base with the given rules in front of its own.

    The bundled rules stay, under a condition that never holds, so that every claim stays cited
    and every weight and threshold stays used; numbers written in the synthetic rules become
    assumptions of their own (``synthetic_1``...), as a knowledge base must name them.
    """
    original = safeyaml.load_path(kb_dir / "rules.yaml").data["rules"]
    asleep = [
        {**item, "when": {"all": [_NEVER, item["when"]]} if "when" in item else _NEVER} for item in original
    ]

    def make(*rules: dict[str, Any], tie_order: list[str] | None = None) -> Engine:
        numbers: dict[float, str] = {}

        def named(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return value
            return numbers.setdefault(float(value), f"synthetic_{len(numbers) + 1}")

        def walk(node: Any) -> Any:
            if isinstance(node, dict):
                return {
                    k: named(v) if k in ("weight", "below", "at_least") else walk(v) for k, v in node.items()
                }
            if isinstance(node, list):
                return [walk(item) for item in node]
            return node

        # JSON is YAML, and never writes anchors or aliases.
        (kb_dir / "rules.yaml").write_text(json.dumps({"rules": [*walk(list(rules)), *asleep]}, indent=1))
        costs = kb_dir / "costs.yaml"
        text = costs.read_text()
        extra = "".join(
            f"\n  - id: {name}\n    value: {value!r}\n    unit: points\n    why: A synthetic number.\n"
            for value, name in numbers.items()
        )
        text = text.replace("\nassumptions:\n", f"\nassumptions:\n{extra}", 1)
        if tie_order is not None:
            old = "tie_order: [transfer-learning, unsupervised, supervised]"
            assert old in text
            text = text.replace(old, f"tie_order: [{', '.join(tie_order)}]")
        costs.write_text(text)
        return Engine(load_knowledge(kb_dir, use_cache=False))

    return make


# --- scores, exclusions, ties ------------------------------------------------------------------


def test_weights_of_fired_rules_add_up(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("a", favor("supervised", 1), when={"field": "labels", "equals": "labeled"}),
        rule(
            "b", favor("supervised", 2.5), favor("unsupervised", 1), when={"field": "data", "equals": "text"}
        ),
        rule("c", favor("unsupervised", 3)),
        rule("d", favor("transfer-learning", 7), when={"field": "data", "equals": "images"}),
    )
    decision = engine.decide(answers(labels="labeled", labeled_examples=10))
    assert dict(decision.scores) == {"supervised": 3.5, "unsupervised": 4.0, "transfer-learning": 0.0}
    assert decision.winner == "unsupervised"
    assert decision.ranking == ("unsupervised", "supervised", "transfer-learning")
    assert not decision.tied


def test_negative_weight_counts_against(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("a", favor("supervised", 2)),
        rule("b", favor("supervised", -3)),
        rule("c", favor("unsupervised", 0.5)),
    )
    decision = engine.decide(answers())
    assert decision.scores["supervised"] == -1
    assert decision.winner == "unsupervised"


def test_a_weight_is_a_number_a_person_can_override(synthetic: EngineFactory) -> None:
    engine = synthetic(rule("a", favor("supervised", 2)), rule("b", favor("unsupervised", 1)))
    assert engine.decide(answers()).winner == "supervised"
    overridden = engine.decide(answers({"synthetic_2": 5.0}))  # the second number named: 1
    assert overridden.scores["unsupervised"] == 5.0
    assert overridden.winner == "unsupervised"


def test_an_exclusion_beats_a_higher_score(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("loves-supervised", favor("supervised", 10)),
        rule("some-transfer", favor("transfer-learning", 1)),
        rule("no-supervised-on-cpu", {"exclude": "supervised"}, when={"field": "hardware", "equals": "cpu"}),
    )
    assert engine.decide(answers(hardware="gpu")).winner == "supervised"
    decision = engine.decide(answers(hardware="cpu"))
    assert decision.scores["supervised"] == 10
    assert decision.winner == "transfer-learning"
    assert decision.excluded == {"supervised": ("no-supervised-on-cpu",)}
    assert decision.ranking[-1] == "supervised"


def test_a_tie_of_scores_goes_to_the_cheaper_plan_and_is_reported(synthetic: EngineFactory) -> None:
    decision = synthetic(rule("both", favor("supervised", 1), favor("unsupervised", 1))).decide(answers())
    medians = decision.medians
    cheaper = min(("supervised", "unsupervised"), key=medians.__getitem__)
    assert medians["supervised"] != medians["unsupervised"]
    assert decision.winner == cheaper
    assert decision.tied


@pytest.mark.parametrize(
    ("tie_order", "winner"),
    [
        (("transfer-learning", "unsupervised", "supervised"), "unsupervised"),
        (("supervised", "transfer-learning", "unsupervised"), "supervised"),
    ],
)
def test_equal_scores_at_equal_cost_go_to_the_first_of_tie_order(tie_order: Any, winner: str) -> None:
    standing = Standing({"supervised": 1.0, "unsupervised": 1.0, "transfer-learning": 0.0}, {})
    medians = dict.fromkeys(APPROACHES, 500.0)
    for budget in (None, 1000.0):
        ranking = rank(standing, medians, budget, Policy(tie_order))
        assert ranking.winner == winner and ranking.tied


def test_no_tie_when_the_runner_up_is_excluded(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("both", favor("supervised", 1), favor("unsupervised", 1)),
        rule("out", {"exclude": "unsupervised"}),
    )
    decision = engine.decide(answers())
    assert decision.winner == "supervised"
    assert not decision.tied


def test_every_approach_excluded_still_answers(synthetic: EngineFactory) -> None:
    engine = synthetic(rule("none", *({"exclude": a} for a in APPROACHES)))
    excluded = engine.ruled_out(answers().values)
    assert set(excluded) == set(APPROACHES)
    assert engine.decide(answers()).winner == engine.policy.tie_order[0]


# --- the budget --------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [1, 4, 40])
def test_the_budget_filters_however_much_the_rules_prefer_what_does_not_fit(
    synthetic: EngineFactory, weight: int
) -> None:
    engine = synthetic(rule("prefer-supervised", favor("supervised", weight)))
    rich = engine.decide(answers())
    assert rich.winner == "supervised"
    medians = rich.medians
    assert medians["transfer-learning"] < medians["supervised"]
    # A budget between the two medians: supervised does not fit, transfer learning does.
    budget = (medians["transfer-learning"] + medians["supervised"]) / 2
    decision = engine.decide(answers(budget_usd=budget))
    assert decision.levels["supervised"] == "over"
    assert decision.winner != "supervised"
    assert decision.levels[decision.winner] in ("fits", "tight")
    # Enough for supervised's median: the rules decide again.
    assert engine.decide(answers(budget_usd=medians["supervised"])).winner == "supervised"


def test_among_the_plans_that_fit_the_rules_best_wins_not_the_cheapest(synthetic: EngineFactory) -> None:
    engine = synthetic(rule("prefer-supervised", favor("supervised", 1)))
    rich = engine.decide(answers())
    budget = max(rich.medians.values()) * 1.01
    decision = engine.decide(answers(budget_usd=budget))
    assert decision.winner == "supervised"
    assert rich.medians["supervised"] > min(rich.medians.values())


def test_when_nothing_fits_the_cheapest_wins_whatever_the_rules_say(synthetic: EngineFactory) -> None:
    engine = synthetic(rule("prefer-supervised", favor("supervised", 40)))
    rich = engine.decide(answers())
    open_ = [a for a in APPROACHES if a not in rich.excluded]
    cheapest = min(open_, key=rich.medians.__getitem__)
    decision = engine.decide(answers(budget_usd=1.0))
    assert all(decision.levels[a] == "over" for a in APPROACHES)
    assert decision.winner == cheapest


def test_tight_is_judged_on_fixed_percentiles_of_the_draws(synthetic: EngineFactory) -> None:
    engine = synthetic(rule("prefer-transfer", favor("transfer-learning", 1)))
    rich = engine.decide(answers())
    cost = rich.costs["transfer-learning"]
    upper = engine.upper(cost)
    assert cost.median < upper
    between = engine.decide(answers(budget_usd=(cost.median + upper) / 2))
    assert between.levels["transfer-learning"] == "tight"
    assert between.winner == "transfer-learning"
    assert engine.decide(answers(budget_usd=upper)).levels["transfer-learning"] == "fits"


def test_the_interval_shown_never_changes_the_decision(kb: KnowledgeBase, engine: Engine) -> None:
    """The same answers with other percentiles shown: the same winner, order and levels at every
    budget, including budgets at each approach's interval ends and medians."""
    base = answers(labels="labeled", labeled_examples=20_000, team="hired", budget_usd=None)
    rich = engine.decide(base)
    budgets = sorted(
        {end for cost in rich.costs.values() for end in (cost.low, cost.median, cost.high)}
        | {end * 1.001 for cost in rich.costs.values() for end in (cost.low, cost.median, cost.high)}
    )
    for budget in budgets:
        decisions = [
            engine.decide(Answers({**base.values, "budget_usd": budget}, interval=interval))
            for interval in (None, (5.0, 95.0), (40.0, 60.0), (25.0, 75.0))
        ]
        first = decisions[0]
        for other in decisions[1:]:
            assert (other.winner, other.ranking, dict(other.levels)) == (
                first.winner,
                first.ranking,
                dict(first.levels),
            ), budget


def test_a_growing_budget_never_comes_back_to_an_approach_nor_buys_a_cheaper_plan(
    kb: KnowledgeBase, engine: Engine
) -> None:
    """The issue's example (BERT, 20k labels, hired) and a few others, swept over budgets."""
    profiles = [
        answers(labels="labeled", labeled_examples=20_000, team="hired"),
        answers(labels="labeled", labeled_examples=500, model_size="large"),
        answers(labels="partially-labeled", labeled_examples=500, unlabeled_examples=50_000),
        answers(labels="unlabeled", unlabeled_examples=1_000_000, model_size="medium"),
    ]
    for profile in profiles:
        left: set[str] = set()
        previous: tuple[str, float] | None = None
        for step in range(60):
            budget = 500 * 1.2**step
            decision = engine.decide(Answers({**profile.values, "budget_usd": budget}))
            winner, median = decision.winner, decision.medians[decision.winner]
            if previous is not None and winner != previous[0]:
                left.add(previous[0])
                assert winner not in left, (profile.values, budget)
                assert median > previous[1], (profile.values, budget)
            previous = (winner, median)


# --- the trace ------------------------------------------------------------------------------------


def test_trace_has_one_entry_per_rule_with_the_first_failed_condition(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("always", favor("transfer-learning", 1)),
        rule(
            "labeled-and-many",
            favor("supervised", 1),
            when={
                "all": [
                    {"field": "labels", "equals": "labeled"},
                    {"field": "labeled_examples", "at_least": 50000},
                ]
            },
        ),
        rule("images", favor("transfer-learning", 1), when={"field": "data", "in": ["images"]}),
        rule("not-cpu", favor("unsupervised", 1), when={"not": {"field": "hardware", "equals": "cpu"}}),
    )
    decision = engine.decide(answers(labels="labeled", labeled_examples=5, hardware="cpu"))
    trace = decision.trace
    assert [entry.rule.id for entry in trace] == [r.id for r in engine.kb.rules]
    by_id = {entry.rule.id: entry for entry in trace}
    assert by_id["always"].fired and by_id["always"].failure is None

    # all: labels holds, so the first failed test is the count, with the value it saw.
    test, seen = by_id["labeled-and-many"].failure  # type: ignore[misc]
    assert (test.field, test.operator, test.expected, seen) == ("labeled_examples", "at_least", 50000, 5)
    assert test.threshold is not None and "50,000" in test.text

    test, seen = by_id["images"].failure  # type: ignore[misc]
    assert (test.field, test.operator, seen) == ("data", "in", "text")

    test, seen = by_id["not-cpu"].failure  # type: ignore[misc]
    assert (test.field, test.operator, seen) == ("hardware", "not", "cpu")
    assert decision.fired == tuple(e.rule for e in trace if e.fired)


def test_caveats_and_next_steps_come_only_from_fired_rules(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("warn-cpu", {"caveat": "CPUs are slow."}, when={"field": "hardware", "equals": "cpu"}),
        rule("step", {"next_step": "Label a sample."}, when={"field": "labels", "equals": "unlabeled"}),
    )
    on_cpu = engine.decide(answers(hardware="cpu"))
    assert "CPUs are slow." in [text for text, _ in on_cpu.caveats]
    assert [text for text, _ in on_cpu.next_steps] == ["Label a sample."]
    on_gpu = engine.decide(answers(hardware="gpu", labels="labeled", labeled_examples=5))
    assert "CPUs are slow." not in [text for text, _ in on_gpu.caveats]
    assert on_gpu.next_steps == ()


def test_advice_may_test_the_recommendation_and_its_quantities(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("prefer-transfer", favor("transfer-learning", 1)),
        rule(
            "labeling",
            {"caveat": "You will label some data."},
            when={
                "all": [
                    {"field": "approach", "equals": "transfer-learning"},
                    {"field": "to_label", "at_least": 1},
                ]
            },
        ),
    )
    assert "You will label some data." in [t for t, _ in engine.decide(answers()).caveats]
    plenty = engine.decide(answers(labels="labeled", labeled_examples=5000))
    assert "You will label some data." not in [t for t, _ in plenty.caveats]


# --- would win if ----------------------------------------------------------------------------------


def test_would_win_if_proposes_more_labels_never_fewer(kb: KnowledgeBase, engine: Engine) -> None:
    decision = engine.decide(
        normalize(
            {
                "task": "text",
                "labels": "labeled",
                "labeled_examples": 2000,
                "model_size": "BERT",
                "budget_usd": 20000,
            },
            kb,
        ).answers
    )
    assert decision.winner == "transfer-learning"
    change = would_win_if(decision, "supervised")
    assert change is not None
    more = next(c for c in change.changes if c.field == "labeled_examples")
    assert more.after > more.before
    assert "labeled examples" in change.text


def test_would_win_if_never_takes_labels_away(kb: KnowledgeBase, engine: Engine) -> None:
    decision = engine.decide(
        normalize(
            {
                "task": "text",
                "labels": "labeled",
                "labeled_examples": 100_000,
                "model_size": "BERT",
                "budget_usd": 60_000,
            },
            kb,
        ).answers
    )
    assert decision.winner == "supervised"
    for approach in ("unsupervised", "transfer-learning"):
        change = would_win_if(decision, approach)
        for c in change.changes if change else ():
            assert c.field != "labels"
            assert not (c.field == "labeled_examples" and c.after < c.before)


def test_a_cheaper_alternative_is_offered_as_a_choice_to_spend_less(
    kb: KnowledgeBase, engine: Engine
) -> None:
    decision = engine.decide(
        normalize(
            {
                "task": "text",
                "labels": "labeled",
                "labeled_examples": 50_000,
                "model_size": "BERT",
                "budget_usd": 100_000,
            },
            kb,
        ).answers
    )
    change = would_win_if(decision, "transfer-learning")
    assert change is not None
    [only] = change.changes
    assert only.field == "budget_usd" and only.less and only.after < only.before
    assert "budget is under" in only.text


def test_would_win_if_is_none_for_the_winner(engine: Engine) -> None:
    decision = engine.decide(answers())
    assert would_win_if(decision, decision.winner) is None


def test_would_win_if_never_changes_the_task(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("base", favor("transfer-learning", 1)),
        rule("other-data", favor("unsupervised", 5), when={"field": "data", "equals": "audio"}),
    )
    decision = engine.decide(answers(data="text"))
    assert engine.decide(answers(data="audio")).winner == "unsupervised"  # a task change would do it
    assert would_win_if(decision, "unsupervised") is None


def test_would_win_if_results_really_make_the_approach_win(kb: KnowledgeBase, engine: Engine) -> None:
    profiles = itertools.product(
        ("text", "images"),
        (("labeled", 500), ("labeled", 50_000), ("partially-labeled", 2000), ("unlabeled", 0)),
        ("small", "large"),
        (3000, 60_000),
    )
    for task, (labels, count), size, budget in profiles:
        values = engine.space.visible(
            {
                **answers().values,
                "data": task,
                "labels": labels,
                "labeled_examples": count,
                "model_size": size,
                "budget_usd": float(budget),
            }
        )
        decision = engine.decide(Answers(values))
        for approach, change in counterfactuals(decision).items():
            if change is None:
                continue
            assert 1 <= len(change.changes) <= 2
            assert not {"task", "output", "data", "domain"} & {c.field for c in change.changes}
            applied = engine.with_answers(decision, {c.field: c.after for c in change.changes})
            assert applied.winner == approach, (values, change)


# --- the bundled knowledge base ----------------------------------------------------------------------


def test_each_approach_is_recommended_for_realistic_answers(kb: KnowledgeBase, engine: Engine) -> None:
    realistic = {
        "transfer-learning": {  # a small labeled image set, as in the medical case
            "task": "medical imaging",
            "labels": "labeled",
            "labeled_examples": "1,000",
            "model_size": "ResNet-50",
            "budget_usd": "$10k",
        },
        "supervised": {  # plenty of labels and money
            "task": "product recommendations",
            "labels": "labeled",
            "labeled_examples": "50k",
            "model_size": "7B",
            "budget_usd": "$80k",
        },
        "unsupervised": {  # a lot of raw text, no labels at all, and a model that writes
            "task": "write replies in our house style",
            "labels": "none, only raw logs",
            "unlabeled_examples": "1 million",
            "model_size": "7B",
            "budget_usd": "$80k",
        },
    }
    for expected, raw in realistic.items():
        decision = engine.decide(normalize(raw, kb).answers)
        assert decision.winner == expected, (raw, dict(decision.scores), dict(decision.levels))


def test_unlabeled_data_never_gets_supervised(engine: Engine) -> None:
    space = engine.space.grid()
    for point in sample_points(space, 50_000):
        values = engine.space.visible(point)
        if values["labels"] == "unlabeled":
            assert "supervised" in engine.ruled_out(values), values


def test_decide_is_deterministic(kb: KnowledgeBase) -> None:
    a, b = Engine(kb), Engine(kb)
    values = answers(data="images", labels="partially-labeled", labeled_examples=300, budget_usd=3000)
    first, second = a.decide(values), b.decide(values)
    assert (first.winner, dict(first.scores), first.failures, first.costs) == (
        second.winner,
        dict(second.scores),
        second.failures,
        second.costs,
    )


# --- rules read in groups, once per place ----------------------------------------------------------


def _rule_by_rule(engine: Engine, values: dict[str, Any]) -> tuple[Any, dict[str, float], dict[str, Any]]:
    """What the deciding rules make of completed answers, each rule evaluated on its own."""
    failures: list[Any] = []
    scores = dict.fromkeys(APPROACHES, 0.0)
    excluded: dict[str, list[str]] = {}
    for compiled in engine.rules.compiled:
        failure = None if compiled.advice or compiled.check is None else compiled.check(values)
        failures.append(failure)
        if failure is None and not compiled.advice:
            for approach, weight in compiled.weights.items():
                scores[approach] += weight
            for approach in compiled.exclude:
                excluded.setdefault(approach, []).append(compiled.rule.id)
    return tuple(failures), scores, {approach: tuple(ids) for approach, ids in excluded.items()}


@pytest.mark.parametrize("memo_limit", [1, 4096], ids=["forgetful", "remembering"])
def test_rules_read_in_groups_decide_exactly_as_each_rule_alone(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, memo_limit: int
) -> None:
    """Answers in the same place (the same side of every threshold) share an outcome; the
    failures still show each answer's own value, and nothing else differs from reading every
    rule on its own: at thresholds, just under them, far from them, with no number at all."""
    monkeypatch.setattr("advisor.decision.rule_groups.MEMO_LIMIT", memo_limit)
    engine = Engine(kb)
    rng = random.Random(11)
    near: list[Any] = [None, "many", 0, -1, 1e300, float("nan"), True]
    for name in {bound for leaves in engine.rules.thresholds.values() for bound in leaves}:
        limit = engine.numbers[name]
        near += [limit, limit - 1, limit - 1e-9, limit + 0.5, int(limit), limit * 10]
    choices = {q.id: [c.value for c in q.choices] + [None] for q in kb.questions}
    for _ in range(3000):
        values = {
            field: rng.choice(options) if options[:-1] else rng.choice(near)
            for field, options in choices.items()
        }
        values["model_params"] = rng.choice(near)
        if values["budget_usd"] == "many":
            values["budget_usd"] = None  # the budget is a number or nothing by the time rules read it
        read, standing = engine.rules.scored(values)
        failures, scores, excluded = _rule_by_rule(engine, values)
        assert repr(read) == repr(failures)  # repr: NaN seen in a failure equals itself
        assert standing.scores == scores
        assert standing.excluded == excluded


def test_exploring_the_answer_space_grows_with_the_rules_not_with_their_thresholds_product(
    kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty copies of the rules, each copy with thresholds of its own: the space of every
    threshold together has millions of points, but kb check tries each rule a few times (over
    the answers that decide what it reads) and reads exclusions where they can change."""
    rules = kb_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    body = text[text.index("rules:\n") + len("rules:\n") :]
    named = ("enough_labels_for_supervised", "min_raw_for_unsupervised")
    copies, assumptions = [], []
    for n in range(19):
        copy = body.replace("  - id: ", f"  - id: copy{n}-")
        for name in named:
            copy = copy.replace(name, f"{name}_{n}")
            assumptions.append(
                f"  - id: {name}_{n}\n    value: {1000 + 37 * n}\n    unit: examples\n    why: A copy.\n"
            )
        copies.append(copy)
    rules.write_text(text + "".join(copies), encoding="utf-8")
    edit(kb_dir / "costs.yaml", "\nassumptions:\n", "\nassumptions:\n" + "".join(assumptions))
    kb = load_knowledge(kb_dir, use_cache=False)
    assert len(kb.rules) >= 500
    whole = Engine(kb).space.grid()
    assert math.prod(len(options) for options in whole.values()) > 2_000_000

    calls = 0
    compile_condition = rules_module.compile_condition

    def counting(condition: Any, terms: Any = None) -> Any:
        check = compile_condition(condition, terms)

        def counted(values: Any) -> Any:
            nonlocal calls
            calls += 1
            return check(values)

        return counted

    monkeypatch.setattr(rules_module, "compile_condition", counting)
    points, _, problems = explore_answer_space(kb)
    assert not problems
    assert points < 10_000
    assert calls <= 20 * len(kb.rules), calls  # point by point, it would be millions of times each


def test_would_win_if_for_unlabeled_data_says_how_many_to_label_and_what_it_costs(
    kb: KnowledgeBase, engine: Engine
) -> None:
    """Never a bare "if your data is labeled": a labeling job on the person's own raw examples,
    its price paid out of the budget, that really makes the approach win."""
    raw = {
        "task": "classify support tickets",
        "labels": "unlabeled",
        "unlabeled_examples": 50_000,
        "model_size": "small",
        "budget_usd": 100_000,
    }
    decision = engine.decide(normalize(raw, kb).answers)
    found = [change for change in counterfactuals(decision).values() if change is not None]
    labeling = [c for change in found for c in change.changes if c.field == "labels"]
    assert labeling
    for change in labeling:
        assert change.text.startswith("you label ") and "$" in change.text
        also = dict(change.also)
        assert 0 < also["labeled_examples"] <= 50_000
        assert also["budget_usd"] < 100_000  # the labeling is paid out of the budget
    for approach, change in counterfactuals(decision).items():
        if change is None:
            continue
        changed = dict(decision.answers.values)
        for c in change.changes:
            changed.update({c.field: c.after, **dict(c.also)})
        assert engine.decide(Answers(engine.space.visible(changed))).winner == approach
