"""Schema rules no single YAML test reaches: exactly one operator or effect,
ordered ranges, unknown keys refused, frozen values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from advisor.models import Assumption, Effect, Figure, Leaf, Question, Rule


def test_leaf_needs_exactly_one_operator() -> None:
    with pytest.raises(ValidationError, match="exactly one of equals, in, below, at_least"):
        Leaf.model_validate({"field": "labels"})
    with pytest.raises(ValidationError, match=r"got equals, below"):
        Leaf.model_validate({"field": "budget_usd", "equals": 1, "below": 2})
    assert Leaf.model_validate({"field": "labels", "in": ["labeled"]}).operator == "in"


def test_effect_needs_exactly_one_kind_and_weight_only_with_favor() -> None:
    with pytest.raises(ValidationError):
        Effect.model_validate({})
    with pytest.raises(ValidationError, match="weight goes only with favor"):
        Effect.model_validate({"exclude": "supervised", "weight": 2})
    with pytest.raises(ValidationError):
        Effect.model_validate({"favor": "supervised", "weight": 11})
    with pytest.raises(ValidationError):
        Effect.model_validate({"favor": "fine-tuning"})


def test_ranges_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="amount_high is below amount"):
        Figure.model_validate({"amount": 10, "amount_high": 5, "unit": "USD", "measures": "x"})
    with pytest.raises(ValidationError, match="low end is above its high end"):
        Assumption.model_validate({"id": "a", "value": [2, 1], "unit": "USD", "why": "because"})
    assumption = Assumption.model_validate({"id": "a", "value": [1, 2], "unit": "USD", "why": "because"})
    assert (assumption.low, assumption.high) == (1, 2)


@pytest.mark.parametrize(
    "data",
    [
        {"id": "Bad_Id", "effects": [{"caveat": "x"}], "claims": ["c"], "explanation": "x"},
        {"id": "r", "effects": [], "claims": ["c"], "explanation": "x"},
        {"id": "r", "effects": [{"caveat": "x"}], "claims": [], "explanation": "x"},
        {"id": "r", "effects": [{"caveat": "x"}], "claims": ["c"], "explanation": "x", "extra": 1},
        {"id": "r", "when": [1], "effects": [{"caveat": "x"}], "claims": ["c"], "explanation": "x"},
    ],
)
def test_rules_refuse_bad_ids_empty_lists_unknown_keys_and_bad_conditions(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Rule.model_validate(data)


def test_choice_questions_need_choices() -> None:
    with pytest.raises(ValidationError, match="needs choices"):
        Question.model_validate(
            {"id": "labels", "name": "labels", "prompt": "p", "help": "h", "kind": "choice"}
        )


def test_models_are_frozen() -> None:
    leaf = Leaf.model_validate({"field": "labels", "equals": "labeled"})
    with pytest.raises(ValidationError):
        leaf.field = "task"
