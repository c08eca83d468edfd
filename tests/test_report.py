"""The report and its JSON form against DESIGN.md's contract: every key with
the right type, the cost shape, budget verdicts, alternatives, citations that
cover every claim referenced, the trace, and the assumptions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers import JSON_CONTRACT_KEYS, sample_points

import advisor
from advisor.answers import Answers, Normalized, normalize
from advisor.decision.engine import Engine
from advisor.formatting import format_usd
from advisor.kb import KnowledgeBase
from advisor.kb.models import APPROACHES, CATEGORIES
from advisor.outline import outline_of
from advisor.render import to_dict, to_json, to_text
from advisor.report import Report, build_report

NUMBER = (int, float)


@pytest.fixture(scope="module")
def medical(kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]) -> Report:
    return build_report(kb, engine, normalize(case_answers("medical-imaging"), kb))


@pytest.fixture(scope="module")
def medical_json(medical: Report) -> dict[str, Any]:
    return json.loads(to_json(medical))


POINTS = 12_000
"""Points of the answer space the report sweeps draw from: the space (every output, kind of data,
domain, data situation, size, team and hardware) has millions."""


def every_answers(engine: Engine, step: int = 1) -> Iterator[Answers]:
    """Every ``step``-th of :data:`POINTS` points spread over the discretized answer space (every
    point when it has no more)."""
    space = engine.space.grid()
    points = {}
    for point in sample_points(space, POINTS):
        values = engine.space.visible(point)
        points[tuple(values.values())] = values
    for values in list(points.values())[::step]:
        yield Answers(values)


def every_report(
    kb: KnowledgeBase, engine: Engine, step: int = 1
) -> Iterator[tuple[Answers, dict[str, Any]]]:
    """The JSON report of each of :func:`every_answers`."""
    for answers in every_answers(engine, step):
        yield answers, to_dict(build_report(kb, engine, Normalized(answers, ())))


def claim_ids(node: Any) -> set[str]:
    """Every claim id referenced under ``node`` (any ``claims`` list, at any depth)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "claims" and isinstance(value, list):
                found.update(value)
            else:
                found |= claim_ids(value)
    elif isinstance(node, list):
        for item in node:
            found |= claim_ids(item)
    return found


def assert_reasons(reasons: Any) -> None:
    assert isinstance(reasons, list)
    for reason in reasons:
        assert isinstance(reason["text"], str) and reason["text"]
        assert isinstance(reason["claims"], list)
        assert all(isinstance(c, str) for c in reason["claims"])


def assert_cost(cost: Any) -> None:
    assert isinstance(cost["low_usd"], NUMBER) and isinstance(cost["high_usd"], NUMBER)
    assert 0 <= cost["low_usd"] <= cost["median_usd"] <= cost["high_usd"]
    breakdown = cost["breakdown"]
    assert [b["category"] for b in breakdown] == list(CATEGORIES)
    for item in breakdown:
        assert isinstance(item["low_usd"], NUMBER) and isinstance(item["high_usd"], NUMBER)
        assert 0 <= item["low_usd"] <= item["high_usd"]
        assert isinstance(item["claims"], list) and isinstance(item["assumptions"], list)
        # Each category is its own percentile interval: they do not add up to the total's, but
        # no category exceeds the total draw by draw, so none of its percentiles does either.
        assert item["low_usd"] <= cost["low_usd"] + 0.01
        assert item["high_usd"] <= cost["high_usd"] + 0.01


# --- the contract's shape -------------------------------------------------------------------------


def test_json_report_has_every_top_level_key_of_the_contract(
    medical_json: dict[str, Any], kb: KnowledgeBase
) -> None:
    report = medical_json
    for key in JSON_CONTRACT_KEYS:
        assert key in report, key
    assert isinstance(report["schema_version"], int)
    assert report["advisor_version"] == advisor.__version__
    assert report["knowledge_version"] == kb.version
    assert isinstance(report["warnings"], list) and all(isinstance(w, str) for w in report["warnings"])


def test_json_answers_are_the_normalized_answers_actually_used(medical_json: dict[str, Any]) -> None:
    # The case file says "medical imaging", "no data yet", "ResNet-50", "$15k", and no prices of its own.
    assert medical_json["answers"] == {
        "task": "medical imaging",
        "output": "category",  # assumed: the words do not say
        "data": "images",
        "domain": "medical",
        "data_location": "anywhere",
        "labels": "none-yet",  # nothing is owned: what is needed is gathered
        "labeled_examples": 0,
        "model_size": 25_600_000,
        "budget_usd": 15000,
    }
    # ... and each fuzzy reading is a warning, the reading of the task and the output assumed too.
    assert len(medical_json["warnings"]) == 5


def test_json_recommendation_matches_the_contract(medical_json: dict[str, Any]) -> None:
    recommendation = medical_json["recommendation"]
    assert recommendation["approach"] == "transfer-learning"
    assert recommendation["approach"] in APPROACHES
    assert_cost(recommendation["cost"])
    assert isinstance(recommendation["fits_budget"], bool)
    assert_reasons(recommendation["rationale"])
    assert recommendation["rationale"]


def test_json_alternatives_are_the_two_other_approaches(medical_json: dict[str, Any]) -> None:
    alternatives = medical_json["alternatives"]
    assert len(alternatives) == 2
    assert {a["approach"] for a in alternatives} | {medical_json["recommendation"]["approach"]} == set(
        APPROACHES
    )
    for alternative in alternatives:
        assert_cost(alternative["cost"])
        assert isinstance(alternative["fits_budget"], bool)
        assert_reasons(alternative["why_not"])
        assert alternative["why_not"], "an alternative needs at least one reason"
        would = alternative["would_win_if"]
        assert would is None or (isinstance(would["text"], str) and would["text"])


def test_json_citations_trace_and_assumptions_shapes(medical_json: dict[str, Any], kb: KnowledgeBase) -> None:
    for citation in medical_json["citations"]:
        for key in ("claim", "source", "title", "quote"):
            assert isinstance(citation[key], str) and citation[key]
    assert [t["rule"] for t in medical_json["trace"]] == [r.id for r in kb.rules]
    for entry in medical_json["trace"]:
        assert isinstance(entry["fired"], bool)
        assert (entry["failed_condition"] is None) == entry["fired"]
    for assumption in medical_json["assumptions"]:
        assert assumption["id"] in kb.assumption
        assert isinstance(assumption["value"], int | float | list)
        assert isinstance(assumption["unit"], str) and assumption["unit"]
        assert isinstance(assumption["text"], str) and assumption["text"]


def test_json_report_is_plain_json(medical: Report) -> None:
    text = to_json(medical)
    assert json.loads(text) == json.loads(json.dumps(to_dict(medical)))
    assert "NaN" not in text and "Infinity" not in text


def test_citation_quote_is_the_claims_quote_and_title_the_sources(
    medical_json: dict[str, Any], kb: KnowledgeBase
) -> None:
    claims = [c["claim"] for c in medical_json["citations"]]
    assert len(claims) == len(set(claims)), "a claim is cited twice"
    for citation in medical_json["citations"]:
        claim = kb.claim[citation["claim"]]
        assert citation["quote"] == claim.quote
        assert citation["source"] == claim.source
        assert citation["title"] == kb.source[claim.source].title


def test_the_medical_rationale_cites_the_medical_case(medical_json: dict[str, Any]) -> None:
    cited = claim_ids(medical_json["recommendation"]["rationale"])
    assert "case-medical-imaging" in cited


def test_would_win_if_for_supervised_mentions_labeled_examples(kb: KnowledgeBase, engine: Engine) -> None:
    # A few hundred labels of support tickets: transfer learning, unless there were many more.
    normalized = normalize(
        {
            "task": "text",
            "labels": "labeled",
            "labeled_examples": 300,
            "model_size": "BERT-base",
            "budget_usd": 50000,
        },
        kb,
    )
    report = to_dict(build_report(kb, engine, normalized))
    assert report["recommendation"]["approach"] == "transfer-learning"
    [supervised] = [a for a in report["alternatives"] if a["approach"] == "supervised"]
    assert supervised["would_win_if"] is not None
    assert "labeled examples" in supervised["would_win_if"]["text"]


def test_nothing_the_medical_case_could_choose_makes_supervised_win(
    medical_json: dict[str, Any],
) -> None:
    # With no data, labels alone do not make it win: the count and the budget would both change.
    [supervised] = [a for a in medical_json["alternatives"] if a["approach"] == "supervised"]
    assert supervised["would_win_if"] is None


# --- over the whole answer space ---------------------------------------------------------------


@pytest.mark.parametrize("step", [pytest.param(1, marks=pytest.mark.slow, id="every-point"), 89])
def test_contract_holds_for_every_point_of_the_answer_space(
    kb: KnowledgeBase, engine: Engine, step: int
) -> None:
    count = 0
    for answers, report in every_report(kb, engine, step=step):
        count += 1
        recommendation = report["recommendation"]
        assert recommendation["approach"] in APPROACHES
        # fits_budget is exactly "the high end is within the budget"
        assert recommendation["fits_budget"] == (recommendation["cost"]["high_usd"] <= answers.budget_usd)
        assert {a["approach"] for a in report["alternatives"]} == set(APPROACHES) - {
            recommendation["approach"]
        }
        for alternative in report["alternatives"]:
            assert alternative["fits_budget"] == (alternative["cost"]["high_usd"] <= answers.budget_usd)
        # citations cover every claim referenced anywhere: rationale, why_not, breakdown,
        # caveats, next steps, assumptions (and the summary)
        cited = {c["claim"] for c in report["citations"]}
        referenced = claim_ids({k: v for k, v in report.items() if k != "citations"})
        assert referenced <= cited, (answers, referenced - cited)
        # every assumption id in a breakdown is listed in assumptions[]
        used = {
            a
            for part in (recommendation, *report["alternatives"])
            for b in part["cost"]["breakdown"]
            for a in b["assumptions"]
        }
        assert used <= {a["id"] for a in report["assumptions"]}
        assert len(report["trace"]) == len(kb.rules)
    assert count > 100 // step


@pytest.mark.parametrize("step", [pytest.param(5, marks=pytest.mark.slow, id="every-fifth"), 97])
def test_fired_rules_that_favor_the_winner_are_in_its_rationale(
    kb: KnowledgeBase, engine: Engine, step: int
) -> None:
    for answers, report in every_report(kb, engine, step=step):
        winner = report["recommendation"]["approach"]
        texts = {r["text"] for r in report["recommendation"]["rationale"]}
        fired = {t["rule"] for t in report["trace"] if t["fired"]}
        for rule in kb.rules:
            weights = engine.rules.weights[rule.id]
            favors = weights.get(winner, 0.0)  # type: ignore[call-overload]
            if rule.id in fired and favors > 0 and all(favors >= w for w in weights.values()):
                assert rule.explanation in texts, (rule.id, answers)
            elif rule.explanation in texts:
                # Every reason listed under the winner argues for it at least as much as for any other.
                assert favors > 0 and all(favors >= w for w in weights.values()), (rule.id, answers)


def test_excluded_alternative_says_why(kb: KnowledgeBase, engine: Engine) -> None:
    normalized = normalize(
        {"task": "text", "labels": "unlabeled", "model_size": "small", "budget_usd": 8000}, kb
    )
    report = build_report(kb, engine, normalized)
    [supervised] = [a for a in report.alternatives if a.approach == "supervised"]
    assert supervised.excluded
    assert any(r.text.startswith("Ruled out") for r in supervised.why_not)


def test_over_budget_recommendation_gets_a_hint(kb: KnowledgeBase, engine: Engine) -> None:
    normalized = normalize(
        {
            "task": "text",
            "labels": "labeled",
            "labeled_examples": 50000,
            "model_size": "large",
            "budget_usd": 100,
        },
        kb,
    )
    report = build_report(kb, engine, normalized)
    assert not report.budget.fits
    assert report.budget.level == "over"
    assert report.fit_hint
    assert report.fit_hint.startswith("Nothing fits $100:")


def test_a_budget_between_the_median_and_the_high_end_is_tight_not_over(
    kb: KnowledgeBase, engine: Engine
) -> None:
    """The median fits, the fixed upper percentile does not: it fits, and the report says it is tight."""
    answers = {"task": "text", "labels": "labeled", "labeled_examples": 5000, "model_size": "small"}
    rich = build_report(kb, engine, normalize({**answers, "budget_usd": 10**6}, kb))
    upper = engine.upper(rich.cost)
    budget = round((rich.cost.median + upper) / 2)
    report = build_report(kb, engine, normalize({**answers, "budget_usd": budget}, kb))
    assert report.approach == rich.approach
    assert report.budget.level == "tight" and report.budget.fits
    assert "tight" in report.budget.text
    assert report.fit_hint is None or not report.fit_hint.startswith("Nothing fits")


def test_when_nothing_fits_the_cheapest_is_recommended_saying_how_far_over(
    kb: KnowledgeBase, engine: Engine
) -> None:
    answers = {"task": "text", "labels": "labeled", "labeled_examples": 50_000, "model_size": "7B"}
    rich = build_report(kb, engine, normalize({**answers, "budget_usd": 10**7}, kb))
    medians = rich.decision.medians
    open_ = [a for a in APPROACHES if a not in rich.decision.excluded]
    cheapest = min(open_, key=medians.__getitem__)
    budget = round(medians[cheapest] / 3)
    report = build_report(kb, engine, normalize({**answers, "budget_usd": budget}, kb))
    assert report.approach == cheapest
    assert report.budget.level == "over" and report.budget.fits is False
    assert report.fit_hint is not None and report.fit_hint.startswith("Nothing fits")
    assert format_usd(medians[cheapest] - budget) in report.budget.text  # how far over, said once
    assert format_usd(medians[cheapest] - budget) not in report.fit_hint
    assert format_usd(medians[cheapest]) in report.fit_hint  # the budget it would fit


def test_citation_numbers_follow_first_use(medical: Report) -> None:
    """The first screen's reasons cite first; a reader meets [1], then [2], and so on."""
    first = next(claim for reason in medical.deciding for claim in reason.claims)
    assert medical.number(first) == 1
    assert medical.cite((first,)) == "[1]"
    glance = to_text(outline_of(medical).through("glance"))
    met = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", glance)))
    assert met == list(range(1, len(met) + 1))
    assert [medical.number(c.id) for c in medical.citations] == list(range(1, len(medical.citations) + 1))


# --- no budget given ------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [pytest.param(29, marks=pytest.mark.slow, id="every-29th"), 89])
def test_without_a_budget_the_rules_decide_and_the_rest_are_ordered_by_cost(
    kb: KnowledgeBase, engine: Engine, step: int
) -> None:
    """A budget left unsaid ("not sure", "as cheap as possible"): nothing is judged against one,
    the rules' scores pick the winner (equal scores: the cheaper), the others follow cheapest
    first, and the JSON report has no verdict that pretends."""
    count = 0
    for answers in every_answers(engine, step=step):
        values = {**answers.values, "budget_usd": None}
        report = build_report(kb, engine, Normalized(Answers(values, assumed=("budget_usd",)), ()))
        decision = report.decision
        count += 1
        open_ = [a for a in APPROACHES if a not in decision.excluded] or list(APPROACHES)
        best = max(decision.scores[a] for a in open_)
        tied = [a for a in open_ if decision.scores[a] == best]
        assert report.approach in tied
        assert decision.costs[report.approach].median == min(decision.costs[a].median for a in tied)
        rest = [a for a in decision.ranking[1:] if a not in decision.excluded]
        assert [decision.costs[a].median for a in rest] == sorted(decision.costs[a].median for a in rest)
        data = to_dict(report)
        assert data["answers"]["budget_usd"] is None and data["answers"]["assumed"] == ["budget_usd"]
        recommendation = data["recommendation"]
        assert recommendation["fits_budget"] is None and recommendation["budget_verdict"] is None
        assert "not judged against a budget" in recommendation["budget_text"]
        assert recommendation["fit_hint"] is None and recommendation["savings"] == []
        for alternative in data["alternatives"]:
            assert alternative["fits_budget"] is None and alternative["budget_verdict"] is None
            changes = (alternative["would_win_if"] or {}).get("changes", [])
            assert all(change["field"] != "budget_usd" for change in changes)
            assert not any("budget" in reason["text"] for reason in alternative["why_not"])
    assert count > 10


def test_ways_to_save_say_each_change_once_as_a_condition(kb: KnowledgeBase, engine: Engine) -> None:
    """ "with you have at least 1,600 labeled examples", then 8,000, then 10,000, read as three
    savings of one kind: each question offers its smallest change that saves, as an "if"."""
    answers = {
        "task": "summarise clinical notes for discharge letters",
        "labels": "partially labeled",
        "labeled_examples": 800,
        "unlabeled_examples": 40000,
        "model_size": "7B",
        "budget_usd": 60000,
        "domain": "medical",
        "data_location": "on-premise",
    }
    report = build_report(kb, engine, normalize(answers, kb))
    texts = [saving.text for saving in report.savings]
    assert texts and all(text.startswith("if ") for text in texts)
    assert sum("labeled examples" in text for text in texts) <= 1
    assert all(saving.cost.high < report.cost.high for saving in report.savings)
