"""Conditions: compiled checks return None when they hold, or the failed test
and the value it saw; descriptions read as plain words."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from advisor.conditions import Terms, compile_condition, describe_condition, holds
from advisor.formatting import format_value
from advisor.kb.models import Condition

TERMS = Terms(
    kinds={"budget_usd": "money", "labeled_examples": "count", "labels": "choice"},
    numbers={"ample_budget": 50000, "small_budget": 5000, "enough_labels": 10000},
)


def condition(data: dict[str, Any]) -> Condition:
    return TypeAdapter(Condition).validate_python(data)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("data", "values", "holds_"),
    [
        ({"field": "labels", "equals": "labeled"}, {"labels": "labeled"}, True),
        ({"field": "labels", "equals": "labeled"}, {"labels": "unlabeled"}, False),
        ({"field": "labels", "in": ["labeled", "partially-labeled"]}, {"labels": "partially-labeled"}, True),
        ({"field": "budget_usd", "below": 5000}, {"budget_usd": 4999.99}, True),
        ({"field": "budget_usd", "below": 5000}, {"budget_usd": 5000}, False),
        ({"field": "budget_usd", "at_least": 5000}, {"budget_usd": 5000}, True),
        ({"field": "budget_usd", "at_least": 5000}, {"budget_usd": None}, False),
        ({"field": "budget_usd", "below": 5000}, {}, False),
        ({"not": {"field": "hardware", "in": ["gpu", "tpu"]}}, {"hardware": None}, True),
        ({"any": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"a": 0, "b": 2}, True),
        ({"any": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"a": 0, "b": 0}, False),
        ({"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"a": 1, "b": 2}, True),
    ],
)
def test_conditions_hold_as_their_operators_say(
    data: dict[str, Any], values: dict[str, Any], holds_: bool
) -> None:
    assert holds(condition(data), values) is holds_
    assert (compile_condition(condition(data))(values) is None) is holds_


def test_no_condition_always_holds() -> None:
    assert holds(None, {})


def test_failure_names_the_first_failed_test_and_the_value_seen() -> None:
    check = compile_condition(
        condition(
            {
                "all": [
                    {"field": "labels", "equals": "labeled"},
                    {"field": "budget_usd", "at_least": "ample_budget"},
                ]
            }
        ),
        TERMS,
    )
    test, seen = check({"labels": "labeled", "budget_usd": 1200.0})  # type: ignore[misc]
    assert (test.field, test.operator, test.expected, seen) == ("budget_usd", "at_least", 50000, 1200.0)
    assert test.threshold == "ample_budget"
    assert "$50,000" in test.text


def test_a_threshold_is_the_number_its_name_has_when_compiled() -> None:
    leaf = condition({"field": "labeled_examples", "at_least": "enough_labels"})
    assert compile_condition(leaf, TERMS)({"labeled_examples": 10000}) is None
    stricter = Terms(numbers={"enough_labels": 20000})
    assert compile_condition(leaf, stricter)({"labeled_examples": 10000}) is not None
    with pytest.raises(KeyError):
        compile_condition(leaf)  # a name nobody gave a number: a knowledge-base defect kb check refuses


def test_descriptions_format_money_and_counts() -> None:
    assert (
        describe_condition(condition({"field": "budget_usd", "below": "small_budget"}), TERMS)
        == "budget_usd is below $5,000"
    )
    assert describe_condition(condition({"field": "labeled_examples", "at_least": 10000}), TERMS).endswith(
        "10,000"
    )
    described = describe_condition(
        condition({"not": {"any": [{"field": "a", "equals": 1}, {"field": "b", "in": [2, 3]}]}})
    )
    assert described == "a is not 1 and b is none of 2, 3"  # a negation said in words
    negated = describe_condition(
        condition({"not": {"field": "unlabeled_examples", "below": 1000}}),
        Terms(kinds={"unlabeled_examples": "count"}),
    )
    assert negated == "unlabeled_examples is at least 1,000"
    assert format_value(None, "money") == "not given"
