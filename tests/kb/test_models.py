"""Schema rules no single YAML test reaches: exactly one operator or effect,
ordered ranges, unknown keys refused, frozen values; and the markers that
carry pydantic's checks on stdlib dataclasses (advisor.schema)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from pydantic import TypeAdapter

from advisor.kb.models import (
    Assumption,
    Condition,
    CostLine,
    CostModel,
    Effect,
    Figure,
    Leaf,
    Not,
    Quantity,
    Question,
    Rule,
    Table,
)
from advisor.kb.schema import Limits, OneOf
from advisor.kb.validation import ValidationError, adapter, validate


def test_leaf_needs_exactly_one_operator() -> None:
    with pytest.raises(ValidationError, match="exactly one of equals, in, below, at_least"):
        validate(Leaf, {"field": "labels"})
    with pytest.raises(ValidationError, match=r"got equals, below"):
        validate(Leaf, {"field": "budget_usd", "equals": 1, "below": 2})
    assert validate(Leaf, {"field": "labels", "in": ["labeled"]}).operator == "in"


def test_leaf_and_not_take_their_keyword_keys_and_their_python_names() -> None:
    assert validate(Leaf, {"field": "labels", "in": ["labeled"]}).in_ == ("labeled",)
    assert validate(Leaf, {"field": "labels", "in_": ["labeled"]}).in_ == ("labeled",)
    negated = validate(Not, {"not": {"field": "labels", "equals": "labeled"}})
    assert negated.not_ == Leaf(field="labels", equals="labeled")


def test_effect_needs_exactly_one_kind_and_weight_only_with_favor() -> None:
    with pytest.raises(ValidationError):
        validate(Effect, {})
    with pytest.raises(ValidationError, match="weight goes only with favor"):
        validate(Effect, {"exclude": "supervised", "weight": "w"})
    with pytest.raises(ValidationError):
        validate(Effect, {"favor": "fine-tuning", "weight": "w"})


def test_favor_needs_a_named_weight() -> None:
    with pytest.raises(ValidationError, match="favor needs a weight"):
        validate(Effect, {"favor": "supervised"})
    assert (
        validate(Effect, {"favor": "supervised", "weight": "weight_fits_the_data"}).weight
        == "weight_fits_the_data"
    )


def test_ranges_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="amount_high is below amount"):
        validate(Figure, {"amount": 10, "amount_high": 5, "unit": "USD", "measures": "x"})
    with pytest.raises(ValidationError, match="low end is above its high end"):
        validate(Assumption, {"id": "a", "value": [2, 1], "unit": "USD", "why": "because"})
    assumption = validate(Assumption, {"id": "a", "value": [1, 2], "unit": "USD", "why": "because"})
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
        validate(Rule, data)


def test_choice_questions_need_choices() -> None:
    with pytest.raises(ValidationError, match="needs choices"):
        validate(Question, {"id": "labels", "name": "labels", "prompt": "p", "help": "h", "kind": "choice"})


def test_models_are_frozen() -> None:
    leaf = validate(Leaf, {"field": "labels", "equals": "labeled"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        leaf.field = "task"  # type: ignore[misc]


def test_cross_field_checks_also_hold_for_values_built_in_python() -> None:
    with pytest.raises(ValueError, match="exactly one of equals, in, below, at_least"):
        Leaf(field="labels")
    with pytest.raises(ValueError, match="weight goes only with favor"):
        Effect(exclude="supervised", weight="w")


# --- the markers pydantic reads (advisor.schema) ------------------------------------------------


def test_limits_give_pydantic_s_own_messages() -> None:
    with pytest.raises(ValidationError, match="String should match pattern"):
        validate(Rule, {"id": "Bad_Id", "effects": [{"caveat": "x"}], "claims": ["c"], "explanation": "x"})
    with pytest.raises(ValidationError, match="Tuple should have at least 1 item"):
        validate(Rule, {"id": "r", "effects": [], "claims": ["c"], "explanation": "x"})
    with pytest.raises(ValidationError, match="greater than or equal to 51"):
        validate(
            CostModel,
            {"assumptions": [], "lines": [], "interval": {"high": 50}, "tie_order": [], "tie_claims": []},
        )


def test_limits_keep_only_the_constraints_given() -> None:
    assert Limits(min_length=1, max_length=4000).constraints == {"min_length": 1, "max_length": 4000}
    assert repr(Limits(ge=0)) == "Limits(ge=0)"


def test_a_condition_is_chosen_by_its_key_and_anything_else_names_the_shapes() -> None:
    conditions: TypeAdapter[Any] = adapter(Condition)  # type: ignore[arg-type]
    assert type(conditions.validate_python({"all": [{"field": "labels", "equals": "x"}]})).__name__ == "AllOf"
    assert type(conditions.validate_python({"field": "labels", "equals": "x"})).__name__ == "Leaf"
    with pytest.raises(ValidationError, match="a condition is a mapping"):
        conditions.validate_python([1])


def test_an_amount_is_a_formula_or_a_table_of_formulas() -> None:
    quantity = validate(Quantity, {"id": "q", "text": "t", "unit": "u", "amount": "a * b"})
    assert quantity.amount == "a * b"
    table = validate(
        Quantity, {"id": "q", "text": "t", "unit": "u", "amount": {"by": "task", "cases": {"text": "a"}}}
    )
    assert isinstance(table.amount, Table) and table.amount.cases == {"text": "a"}


@pytest.mark.parametrize("formula", ["a *", "a $ b", "max(a)", "f(a, b)", "(a + b", "", "a b"])
def test_a_formula_that_cannot_be_read_is_refused_where_it_stands(formula: str) -> None:
    line = {"id": "l", "category": "compute", "text": "t", "amount": formula}
    with pytest.raises(ValidationError):
        validate(CostLine, line)
    with pytest.raises(ValidationError):
        validate(CostLine, {**line, "amount": {"by": "task", "cases": {"text": formula or "("}}})


def test_one_of_tags_mappings_by_key_and_instances_by_class() -> None:
    one_of = OneOf({"not": Not, "leaf": Leaf}, default="leaf", error_type="t", message="m")
    assert one_of.tag({"not": {}}) == "not"
    assert one_of.tag({"field": "x"}) == "leaf"
    assert one_of.tag(Leaf(field="x", equals=1)) == "leaf"
    assert one_of.tag([1]) is None
    assert OneOf({"by": Not}, error_type="t", message="m").tag({"x": 1}) is None


def test_validated_instances_validate_again() -> None:
    leaf = validate(Leaf, {"field": "labels", "equals": "labeled"})
    assert adapter(Condition).validate_python(leaf) == leaf  # type: ignore[arg-type]


def test_the_schema_of_a_knowledge_type_uses_the_file_s_keys() -> None:
    schema = adapter(Leaf).json_schema()
    assert "in" in schema["properties"] and "in_" not in schema["properties"]
    assert schema["additionalProperties"] is False
    json.dumps(adapter(Rule).json_schema())  # recursive conditions and all
