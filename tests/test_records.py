"""advisor.records makes the class the standard ``@dataclass(frozen=True, slots=True)`` makes."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from advisor import records
from advisor.kb.models import Figure, Leaf


def _classes(decorator: Callable[..., Any]) -> tuple[Any, Any]:
    @decorator(frozen=True, slots=True, kw_only=True)
    class Named:
        """Keyword-only fields, defaults, a factory, a field left out of comparisons, a check."""

        count: int
        name: str = "a"
        items: list[int] = dataclasses.field(default_factory=list)
        note: int = dataclasses.field(default=3, repr=False, compare=False)

        def __post_init__(self) -> None:
            if self.count < 0:
                raise ValueError("count is below 0")

    @decorator(frozen=True, slots=True)
    class Pair:
        """Positional fields, a field not in ``__init__``, a field not hashed."""

        low: int
        high: tuple[int, ...] = ()
        fixed: int = dataclasses.field(init=False, default=7)
        extra: dict[str, int] = dataclasses.field(default_factory=dict, hash=False)

    return Named, Pair


STANDARD = _classes(dataclasses.dataclass)
OURS = _classes(records.dataclass)


def _outcome(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Exception as error:  # the type and the message are what must match
        return type(error).__name__, str(error).replace("STANDARD", "").replace("OURS", "")


def _behaviour(named: Any, pair: Any) -> list[Any]:
    one = named(count=1)
    both = pair(1, (2,))
    return [
        repr(one),
        repr(both),
        one == named(count=1, note=9),
        one == named(count=2),
        one == (1,),
        hash(named(count=1, items=None)) == hash(named(count=1, items=None, note=5)),
        hash(pair(1)) == hash(pair(1, extra={"a": 1})),
        both.fixed,
        pair.__match_args__,
        [field.name for field in dataclasses.fields(named)],
        _outcome(lambda: setattr(one, "count", 2)),
        _outcome(lambda: delattr(one, "count")),
        _outcome(lambda: object.__getattribute__(one, "__dict__")),
        _outcome(lambda: named(1)),
        _outcome(lambda: named(count=-1)),
        _outcome(lambda: pair(1, fixed=2)),
        _outcome(lambda: pair()),
        named(count=1).items is not named(count=1).items,
        repr(dataclasses.replace(one, name="b")),
        dataclasses.asdict(both),
        copy.deepcopy(both) == both,
        copy.copy(one) == one,
        dataclasses.is_dataclass(named),
    ]


def test_a_record_behaves_as_a_standard_frozen_slotted_dataclass() -> None:
    assert _behaviour(*OURS) == _behaviour(*STANDARD)


def test_records_pickle_and_keep_their_methods_names() -> None:
    figure = Figure(amount=1.0, unit="USD", measures="a cost")
    assert pickle.loads(pickle.dumps(figure)) == figure
    assert Leaf.__init__.__qualname__ == "Leaf.__init__"
    assert Leaf.__eq__.__qualname__ == "Leaf.__eq__"


def test_a_method_the_class_defines_is_kept() -> None:
    @records.dataclass(frozen=True, slots=True)
    class Shown:
        value: int

        def __repr__(self) -> str:
            return "shown"

        def __eq__(self, other: object) -> bool:
            return True

    assert repr(Shown(1)) == "shown"
    assert Shown(1) == Shown(2)
    assert hash(Shown(1)) == hash(Shown(1))  # an __eq__ of its own still gets a __hash__, as the standard one


def test_only_frozen_slotted_classes_are_made() -> None:
    with pytest.raises(TypeError, match="frozen, slotted"):
        records.dataclass(frozen=False, slots=True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot overwrite attribute __setattr__"):

        @records.dataclass(frozen=True, slots=True)
        class Settable:
            value: int

            def __setattr__(self, name: str, value: Any) -> None:
                pass


def test_a_class_without_a_docstring_gets_its_signature_as_the_standard_one_does() -> None:
    @records.dataclass(frozen=True, slots=True)
    class Plain:
        value: int
        name: str = "a"

    assert Plain.__doc__ == "Plain(value, name='a')"
