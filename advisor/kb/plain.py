"""Frozen dataclasses to plain data (JSON) and back, without validation: the knowledge cache.

The knowledge cache holds a knowledge base that pydantic has validated, as
JSON. Reading it back needs no second validation (the cache is keyed by the
files' contents, the schema and the advisor's version), only the shapes: which
class a mapping becomes, which member of a union, which lists are tuples.
:func:`from_plain` reads those from the dataclasses' type hints, once per type,
so a cache hit builds the knowledge base without importing pydantic.

It is strict about shape, not about values: a key the class does not have, a
missing field, a string where a number belongs, raises :class:`Unfit`, and the
loader parses the YAML files instead. Constraints (patterns, lengths, bounds)
are not checked again; the dataclasses' own ``__post_init__`` checks do run,
and so does the one check of text that protects the terminal: a string with a
control character (:mod:`advisor.kb.controls`) is unfit too.
"""

from __future__ import annotations

import dataclasses
import sys
import types
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from advisor.kb.controls import CONTROL
from advisor.kb.schema import OneOf, alias_of

__all__ = ["Unfit", "builder", "field_types", "from_plain", "to_plain"]

T = TypeVar("T")

Builder = Callable[[Any], Any]
"""Builds a value of one type from plain data, or raises :class:`Unfit`."""


class Unfit(ValueError):
    """Plain data that does not have the shape of the type asked for."""


def to_plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses as mappings keyed by alias, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {alias_of(field): to_plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return value


def from_plain(kind: type[T], data: Any) -> T:
    """Build a ``kind`` from what :func:`to_plain` made of one (after a trip through JSON)."""
    built: T = builder(kind)(data)
    return built


_BUILDERS: dict[Any, Builder] = {}


def builder(kind: Any) -> Builder:
    """The builder of a type (a dataclass, or a type hint such as ``tuple[Rule, ...]``), made once."""
    found = _BUILDERS.get(kind)
    if found is None:
        found = _BUILDERS[kind] = _make_builder(kind)
    return found


def _make_builder(kind: Any) -> Builder:
    origin, args = get_origin(kind), get_args(kind)
    if origin is Annotated:
        one_of = next((meta for meta in kind.__metadata__ if isinstance(meta, OneOf)), None)
        return _one_of(one_of) if one_of is not None else builder(args[0])
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _Dataclass(kind)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _tuple_of(builder(args[0]))
        return _fixed_tuple(tuple(builder(arg) for arg in args))
    if origin is dict:
        return _dict_of(builder(args[0]), builder(args[1]))
    if origin is Union or origin is types.UnionType:
        return _union(args)
    if origin is Literal:
        return _literal(args)
    if kind is Any:
        return _anything
    if kind in (str, int, float, bool, type(None)):
        return _exactly(kind)
    raise TypeError(f"no plain-data builder for {kind!r}")  # a type the schema should not use


class _Dataclass:
    """Builds a dataclass from a mapping keyed by its fields' aliases.

    The fields' builders are looked up on first use, not when this is made, so
    that recursive types (a condition inside a condition) need no special care.
    """

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.fields: dict[str, tuple[str, Builder]] | None = None
        """Key in the data -> (field name, the field's builder)."""

    def _resolve(self) -> dict[str, tuple[str, Builder]]:
        types = field_types(self.cls)
        return {
            alias_of(field): (field.name, builder(types[field.name]))
            for field in dataclasses.fields(self.cls)
            if field.init
        }

    def __call__(self, data: Any) -> Any:
        if type(data) is not dict:
            raise Unfit(f"{self.cls.__name__}: expected a mapping, not {type(data).__name__}")
        if self.fields is None:
            self.fields = self._resolve()
        values = {}
        for key, item in data.items():
            found = self.fields.get(key)
            if found is None:
                raise Unfit(f"{self.cls.__name__} has no field {key!r}")
            name, build = found
            values[name] = build(item)
        try:
            return self.cls(**values)
        except (TypeError, ValueError) as error:  # a missing field, or a failed __post_init__ check
            raise Unfit(f"{self.cls.__name__}: {error}") from error


def field_types(cls: type) -> dict[str, Any]:
    """The types of a dataclass's fields, by name.

    Under ``from __future__ import annotations`` a field's type is the text of
    its annotation, evaluated in the module of the class that declares it, as
    ``typing.get_type_hints`` does; but the same few dozen texts (``Text``,
    ``tuple[Id, ...]``) recur across the schema's classes, and evaluating each
    once per module instead of once per field saves milliseconds of every start.
    """
    types = {}
    for field in dataclasses.fields(cls):
        if isinstance(field.type, str):
            owner = next(base for base in cls.__mro__ if field.name in vars(base).get("__annotations__", {}))
            types[field.name] = _evaluate(owner.__module__, field.type)
        else:
            types[field.name] = field.type
    return types


_TYPES: dict[tuple[str, str], Any] = {}


def _evaluate(module: str, annotation: str) -> Any:
    key = (module, annotation)
    if key not in _TYPES:
        # Our own source's annotations, in our own module's namespace: what get_type_hints evaluates.
        _TYPES[key] = eval(annotation, vars(sys.modules[module]))
    return _TYPES[key]


def _one_of(one_of: OneOf) -> Builder:
    members = {tag: builder(member) for tag, member in one_of.members.items()}

    def build(data: Any) -> Any:
        tag = one_of.tag(data)
        if tag is None:
            raise Unfit(f"not one of {', '.join(members)}")
        return members[tag](data)

    return build


def _tuple_of(item: Builder) -> Builder:
    def build(data: Any) -> tuple[Any, ...]:
        if type(data) is not list:
            raise Unfit(f"expected a list, not {type(data).__name__}")
        return tuple(item(value) for value in data)

    return build


def _fixed_tuple(items: tuple[Builder, ...]) -> Builder:
    def build(data: Any) -> tuple[Any, ...]:
        if type(data) is not list or len(data) != len(items):
            raise Unfit(f"expected a list of {len(items)}")
        return tuple(item(value) for item, value in zip(items, data, strict=True))

    return build


def _dict_of(key: Builder, value: Builder) -> Builder:
    def build(data: Any) -> dict[Any, Any]:
        if type(data) is not dict:
            raise Unfit(f"expected a mapping, not {type(data).__name__}")
        return {key(k): value(v) for k, v in data.items()}

    return build


def _union(members: tuple[Any, ...]) -> Builder:
    """The first member that fits. Members are told apart by shape (``float | tuple[float, float]``,
    ``str | int | float | bool``); unions of dataclasses are tagged (:class:`OneOf`)."""
    optional = type(None) in members
    builders = tuple(builder(member) for member in members if member is not type(None))

    def build(data: Any) -> Any:
        if data is None and optional:
            return None
        for member in builders:
            try:
                return member(data)
            except Unfit:
                continue
        raise Unfit(f"{data!r:.40} fits none of {', '.join(map(repr, members))}")

    return build


def _literal(values: tuple[Any, ...]) -> Builder:
    kinds = {type(value) for value in values}  # so that True is not taken for 1

    def build(data: Any) -> Any:
        if type(data) not in kinds or data not in values:
            raise Unfit(f"{data!r:.40} is not one of {values}")
        return data

    return build


def _exactly(kind: type) -> Builder:
    """The JSON type itself: no conversions (an ``int`` is not a ``float`` here, nor a ``bool`` an ``int``);
    :func:`to_plain` of a validated value gives the exact type."""
    if kind is str:
        return _text

    def build(data: Any) -> Any:
        if type(data) is not kind:
            raise Unfit(f"expected {kind.__name__}, not {type(data).__name__}")
        return data

    return build


def _text(data: Any) -> str:
    if type(data) is not str:
        raise Unfit(f"expected str, not {type(data).__name__}")
    if CONTROL.search(data):
        raise Unfit("a text holds a control character")
    return data


def _anything(data: Any) -> Any:
    return data
