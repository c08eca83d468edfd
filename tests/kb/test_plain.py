"""Dataclasses to plain data and back (advisor.plain), the knowledge cache's fast path:
a round trip through JSON gives back equal values of the exact same types, and
data of any other shape is refused (Unfit), never built into something else."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from advisor.kb import FILES, KnowledgeBase
from advisor.kb.models import Amount, Assumption, Condition, CostModel, Effect, Leaf, Not, Question, Rule
from advisor.kb.plain import Unfit, builder, field_types, from_plain, to_plain
from advisor.kb.validation import validate


def through_json(value: Any) -> Any:
    return json.loads(json.dumps(to_plain(value)))


def test_every_part_of_the_bundled_knowledge_base_comes_back_equal_with_the_same_types(
    kb: KnowledgeBase,
) -> None:
    types = field_types(KnowledgeBase)
    for part in FILES.values():
        value = getattr(kb, part)
        rebuilt = from_plain(types[part], through_json(value))
        assert rebuilt == value, part
        assert repr(rebuilt) == repr(value), part  # repr tells 1 from 1.0 and a list from a tuple


def test_plain_data_uses_the_keys_of_the_files() -> None:
    leaf = validate(Leaf, {"field": "labels", "in": ["labeled"]})
    assert to_plain(leaf) == {
        "field": "labels",
        "equals": None,
        "in": ["labeled"],
        "below": None,
        "at_least": None,
    }
    assert to_plain(Not(not_=leaf))["not"]["in"] == ["labeled"]
    assert to_plain(Effect(favor="supervised", weight="w"))["weight"] == "w"


def test_unions_of_dataclasses_come_back_as_the_right_member() -> None:
    condition = validate(
        Rule,
        {
            "id": "r",
            "when": {
                "any": [{"not": {"field": "labels", "equals": "x"}}, {"all": [{"field": "a", "below": 1}]}]
            },
            "effects": [{"caveat": "c"}],
            "claims": ["c"],
            "explanation": "e",
        },
    ).when
    assert from_plain(Condition, through_json(condition)) == condition  # type: ignore[arg-type]


def test_numbers_keep_their_types() -> None:
    leaf = validate(Leaf, {"field": "labels", "in": ["x", 1, 1.5, True]})
    assert from_plain(Leaf, through_json(leaf)).in_ == ("x", 1, 1.5, True)
    assert [type(v) for v in from_plain(Leaf, through_json(leaf)).in_ or ()] == [str, int, float, bool]
    single = validate(Assumption, {"id": "a", "value": 3, "unit": "USD", "why": "w"})
    ranged = validate(Assumption, {"id": "a", "value": [1, 2], "unit": "USD", "why": "w"})
    assert from_plain(Assumption, through_json(single)).value == 3.0
    assert from_plain(Assumption, through_json(ranged)).value == (1.0, 2.0)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (Leaf, {"field": "labels", "equals": "x", "typo": 1}),  # a key the class does not have
        (Leaf, {"equals": "x"}),  # a missing field
        (Leaf, {"field": "labels"}),  # fails the class's own check
        (Leaf, {"field": 3, "equals": "x"}),  # a number where text belongs
        (Leaf, ["field", "labels"]),  # not a mapping
        (Leaf, {"field": "labels", "in": "x"}),  # text where a list belongs
        (Leaf, {"field": "labels", "below": [5]}),  # a list where a number or a name belongs
        (Leaf, {"field": "labels", "below": True}),  # a bool is not a number here
        (Question, {"id": "labels", "name": "n", "prompt": "p", "help": "h", "kind": "nope"}),  # a literal
        (Condition, {"all": [[1]]}),  # a member of a union that is no member
        (Amount, {"figure": 1}),  # neither a formula nor a table
        (Assumption, {"id": "a", "value": [1.0, 2.0, 3.0], "unit": "u", "why": "w"}),  # a pair of three
        (Assumption, {"id": "a", "value": "1", "unit": "u", "why": "w"}),
        (CostModel, {"assumptions": [], "label_targets": [], "lines": [], "tie_order": [], "tie_claims": []}),
        (CostModel, {"assumptions": [], "lines": [], "interval": "10-90", "tie_order": [], "tie_claims": []}),
    ],
)
def test_data_of_another_shape_is_unfit(kind: Any, data: Any) -> None:
    with pytest.raises(Unfit):
        from_plain(kind, data)


def test_field_types_resolve_annotations_in_the_declaring_module() -> None:
    types = field_types(Rule)
    assert types["effects"] == field_types(Rule)["effects"]
    assert "Limits" in repr(types["effects"])  # Annotated metadata kept
    assert field_types(KnowledgeBase)["claims"].__args__[0].__name__ == "Claim"


@dataclass(frozen=True)
class _Plain:
    name: str
    kind: Literal["a", "b"] = "a"
    count: int | None = None
    mapping: dict[str, float] = dataclasses.field(default_factory=dict)
    anything: Any = None


def test_a_dataclass_outside_the_schema_round_trips_too() -> None:
    value = _Plain(name="x", kind="b", count=2, mapping={"k": 1.5}, anything={"free": [1, "form"]})
    assert from_plain(_Plain, through_json(value)) == value
    with pytest.raises(Unfit):
        from_plain(_Plain, {"name": "x", "kind": "c"})
    with pytest.raises(Unfit):
        from_plain(_Plain, {"name": "x", "mapping": {"k": "1"}})


def test_a_type_the_schema_should_not_use_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="no plain-data builder"):
        builder(set[int])
