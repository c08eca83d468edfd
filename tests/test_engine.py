"""The decision's semantics, on small synthetic rule sets (weights add up,
exclusions beat scores, ties follow tie_order, the trace, "would win if"),
then on the bundled knowledge base with realistic answers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.answers import Answers, normalize
from advisor.engine import Engine
from advisor.kb import KnowledgeBase, load_knowledge, safeyaml
from advisor.kb.models import APPROACHES

EngineFactory = Callable[..., Engine]


def answers(**values: Any) -> Answers:
    base: dict[str, Any] = {
        "task": "text",
        "labels": "unlabeled",
        "labeled_examples": 0,
        "model_size": "small",
        "budget_usd": 5000,
        "hardware": None,
    }
    return Answers({**base, **values})


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
    return {"favor": approach, "weight": weight}


@pytest.fixture
def synthetic(kb_dir: Path) -> EngineFactory:
    """An engine over the bundled knowledge base with ``rules.yaml`` replaced.

    Every claim must stay cited, so a last rule with only a caveat (no score,
    no exclusion) cites the claims the original rules cited.
    """
    original = safeyaml.load_path(kb_dir / "rules.yaml").data["rules"]
    cited = sorted({claim for item in original for claim in item["claims"]})

    def make(*rules: dict[str, Any], tie_order: list[str] | None = None) -> Engine:
        keeper = {
            "id": "keep-claims-cited",
            "effects": [{"caveat": "A caveat with no effect on the decision."}],
            "claims": cited,
            "explanation": "Keeps every claim cited.",
        }
        # JSON is YAML, and never writes anchors or aliases.
        (kb_dir / "rules.yaml").write_text(json.dumps({"rules": [*rules, keeper]}, indent=1))
        if tie_order is not None:
            costs = kb_dir / "costs.yaml"
            text = costs.read_text()
            old = "tie_order: [transfer-learning, unsupervised, supervised]"
            assert old in text
            costs.write_text(text.replace(old, f"tie_order: [{', '.join(tie_order)}]"))
        return Engine(load_knowledge(kb_dir))

    return make


# --- scores, exclusions, ties ------------------------------------------------------------------


def test_weights_of_fired_rules_add_up(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("a", favor("supervised", 1), when={"field": "labels", "equals": "labeled"}),
        rule(
            "b", favor("supervised", 2.5), favor("unsupervised", 1), when={"field": "task", "equals": "text"}
        ),
        rule("c", favor("unsupervised", 3)),
        rule("d", favor("transfer-learning", 7), when={"field": "task", "equals": "images"}),
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


def test_tie_goes_to_the_first_of_tie_order_and_is_reported(synthetic: EngineFactory) -> None:
    rules = (rule("both", favor("supervised", 1), favor("unsupervised", 1)),)
    decision = synthetic(*rules).decide(answers())
    # bundled tie_order: transfer-learning, unsupervised, supervised
    assert decision.winner == "unsupervised"
    assert decision.tied


def test_tie_order_is_read_from_the_knowledge_base(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("both", favor("supervised", 1), favor("unsupervised", 1)),
        tie_order=["supervised", "transfer-learning", "unsupervised"],
    )
    decision = engine.decide(answers())
    assert decision.winner == "supervised"
    assert decision.tied


def test_no_tie_when_the_runner_up_is_excluded(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("both", favor("supervised", 1), favor("unsupervised", 1)),
        rule("out", {"exclude": "unsupervised"}),
    )
    decision = engine.decide(answers())
    assert decision.winner == "supervised"
    assert not decision.tied


def test_clear_winner_is_not_tied(synthetic: EngineFactory) -> None:
    decision = synthetic(rule("a", favor("supervised", 2), favor("unsupervised", 1))).decide(answers())
    assert decision.winner == "supervised"
    assert not decision.tied


def test_every_approach_excluded_still_answers_but_winner_reports_none(synthetic: EngineFactory) -> None:
    engine = synthetic(rule("none", *({"exclude": a} for a in APPROACHES)))
    assert engine.winner(answers().values) is None
    assert engine.decide(answers()).winner in APPROACHES


# --- the trace ------------------------------------------------------------------------------------


def test_trace_has_one_entry_per_rule_with_the_first_failed_condition(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("always", favor("transfer-learning", 1)),
        rule(
            "labeled-and-rich",
            favor("supervised", 1),
            when={
                "all": [{"field": "labels", "equals": "labeled"}, {"field": "budget_usd", "at_least": 50000}]
            },
        ),
        rule("images", favor("transfer-learning", 1), when={"field": "task", "in": ["images"]}),
        rule("not-cpu", favor("unsupervised", 1), when={"not": {"field": "hardware", "equals": "cpu"}}),
    )
    decision = engine.decide(answers(labels="labeled", labeled_examples=5, budget_usd=1000, hardware="cpu"))
    trace = decision.trace
    assert [entry.rule.id for entry in trace] == [r.id for r in engine.kb.rules]
    by_id = {entry.rule.id: entry for entry in trace}
    assert by_id["always"].fired and by_id["always"].failure is None
    assert by_id["keep-claims-cited"].fired

    # all: labels holds, so the first failed test is the budget, with the value it saw.
    test, seen = by_id["labeled-and-rich"].failure  # type: ignore[misc]
    assert (test.field, test.operator, test.expected, seen) == ("budget_usd", "at_least", 50000, 1000)
    assert "budget" in test.text and "$50,000" in test.text

    test, seen = by_id["images"].failure  # type: ignore[misc]
    assert (test.field, test.operator, seen) == ("task", "in", "text")

    test, seen = by_id["not-cpu"].failure  # type: ignore[misc]
    assert (test.field, test.operator, seen) == ("hardware", "not", "cpu")
    assert decision.fired == tuple(e.rule for e in trace if e.fired)


def test_trace_reports_the_first_failing_part_of_an_all(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule(
            "labeled-and-rich",
            favor("supervised", 1),
            when={
                "all": [{"field": "labels", "equals": "labeled"}, {"field": "budget_usd", "at_least": 50000}]
            },
        ),
    )
    [entry] = [e for e in engine.decide(answers(labels="unlabeled")).trace if e.rule.id == "labeled-and-rich"]
    test, seen = entry.failure  # type: ignore[misc]
    assert (test.field, seen) == ("labels", "unlabeled")


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


# --- would win if ----------------------------------------------------------------------------------


@pytest.fixture
def budget_rules(synthetic: EngineFactory) -> Engine:
    return synthetic(
        rule("base", favor("transfer-learning", 1)),
        rule("rich", favor("supervised", 2), when={"field": "budget_usd", "at_least": 20000}),
        rule("very-rich", favor("supervised", 5), when={"field": "budget_usd", "at_least": 80000}),
        rule("labeled", favor("supervised", 2), when={"field": "labels", "equals": "labeled"}),
    )


def test_would_win_if_finds_the_smallest_budget_threshold(budget_rules: Engine) -> None:
    decision = budget_rules.decide(answers(budget_usd=5000))
    assert decision.winner == "transfer-learning"
    change = budget_rules.would_win_if(decision, "supervised")
    assert change is not None
    [only] = change.changes
    # 20,000 is nearer to 5,000 than 80,000, and a budget 4x larger is a smaller change
    # than switching labels (a choice counts as a tenfold change).
    assert (only.field, only.before, only.after) == ("budget_usd", 5000, 20000)
    assert "$20,000" in change.text


def test_would_win_if_prefers_a_choice_to_a_far_number(budget_rules: Engine) -> None:
    decision = budget_rules.decide(answers(budget_usd=100))
    change = budget_rules.would_win_if(decision, "supervised")
    assert change is not None
    [only] = change.changes
    assert (only.field, only.after) == ("labels", "labeled")


def test_would_win_if_combines_two_answers_when_one_is_not_enough(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("base", favor("transfer-learning", 1)),
        rule(
            "labeled-and-rich",
            favor("supervised", 2),
            when={
                "all": [{"field": "labels", "equals": "labeled"}, {"field": "budget_usd", "at_least": 20000}]
            },
        ),
    )
    decision = engine.decide(answers(budget_usd=5000))
    change = engine.would_win_if(decision, "supervised")
    assert change is not None
    assert {c.field: c.after for c in change.changes} == {"labels": "labeled", "budget_usd": 20000}


def test_would_win_if_is_none_when_no_one_or_two_changes_help(budget_rules: Engine) -> None:
    # Nothing favors unsupervised, and transfer learning always scores 1.
    decision = budget_rules.decide(answers())
    assert budget_rules.would_win_if(decision, "unsupervised") is None


def test_would_win_if_is_none_for_the_winner(budget_rules: Engine) -> None:
    decision = budget_rules.decide(answers())
    assert budget_rules.would_win_if(decision, decision.winner) is None


def test_would_win_if_never_changes_the_task(synthetic: EngineFactory) -> None:
    engine = synthetic(
        rule("base", favor("transfer-learning", 1)),
        rule("other-data", favor("unsupervised", 5), when={"field": "task", "equals": "other"}),
    )
    decision = engine.decide(answers(task="text"))
    assert engine.decide(answers(task="other")).winner == "unsupervised"  # a task change would do it
    assert engine.would_win_if(decision, "unsupervised") is None


# --- the bundled knowledge base ----------------------------------------------------------------------


def test_each_approach_is_recommended_for_realistic_answers(kb: KnowledgeBase, engine: Engine) -> None:
    realistic = {
        # DESIGN/claims: transfer learning on a small labeled image set (the medical case)
        "transfer-learning": {
            "task": "medical imaging",
            "labels": "labeled",
            "labeled_examples": "1,000",
            "model_size": "ResNet-50",
            "budget_usd": "$10k",
        },
        # plenty of labels and money for a big model (the e-commerce case)
        "supervised": {
            "task": "product recommendations",
            "labels": "labeled",
            "labeled_examples": "50k",
            "model_size": "GPT-3",
            "budget_usd": "$80k",
        },
        # raw text, no labels at all
        "unsupervised": {
            "task": "support tickets",
            "labels": "none, only raw logs",
            "model_size": "small",
            "budget_usd": "$8k",
        },
    }
    for expected, raw in realistic.items():
        decision = engine.decide(normalize(raw, kb).answers)
        assert decision.winner == expected, (raw, dict(decision.scores))


def test_unlabeled_data_never_gets_supervised(kb: KnowledgeBase, engine: Engine) -> None:
    space = engine.answer_space()
    for combination in itertools.product(*space.values()):
        values = engine.visible(dict(zip(space, combination, strict=True)))
        if values["labels"] == "unlabeled":
            assert engine.winner(values) != "supervised", values


def test_medical_imaging_gets_transfer_learning_and_supervised_needs_more_labels(
    kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]
) -> None:
    decision = engine.decide(normalize(case_answers("medical-imaging"), kb).answers)
    assert decision.winner == "transfer-learning"
    change = engine.would_win_if(decision, "supervised")
    assert change is not None
    assert "labeled_examples" in [c.field for c in change.changes]
    assert "labeled examples" in change.text
    more = next(c for c in change.changes if c.field == "labeled_examples")
    assert more.after > more.before


def test_would_win_if_results_really_make_the_approach_win(engine: Engine) -> None:
    space = engine.answer_space()
    for combination in itertools.product(*space.values()):
        values = engine.visible(dict(zip(space, combination, strict=True)))
        decision = engine.decide(Answers(values))
        for approach in APPROACHES:
            change = engine.would_win_if(decision, approach)
            if change is None:
                continue
            assert 1 <= len(change.changes) <= 2
            assert "task" not in [c.field for c in change.changes]
            changed = dict(values)
            for c in change.changes:
                assert c.before == values[c.field]
                changed[c.field] = c.after
            assert engine.winner(engine.visible(changed)) == approach, (values, change)


def test_decide_is_deterministic(kb: KnowledgeBase) -> None:
    a, b = Engine(kb), Engine(kb)
    values = answers(task="images", labels="partially-labeled", labeled_examples=300, budget_usd=3000)
    first, second = a.decide(values), b.decide(values)
    assert (first.winner, dict(first.scores), first.failures) == (
        second.winner,
        dict(second.scores),
        second.failures,
    )
