"""Frozen, slotted dataclasses that cost a quarter as much to define.

``@dataclass(frozen=True, slots=True)`` from this module makes the class the
standard library's decorator makes, with the same fields (``dataclasses.fields``,
``replace``, ``asdict`` and pydantic read them), ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__match_args__``, pickling, and frozen
``__setattr__`` and ``__delattr__``. What differs is the cost of defining one: on
Python 3.11 the standard decorator writes and compiles six methods per class,
about 0.4 ms, and ``advisor recommend`` defines some ninety classes before it
reads a file. Here only ``__init__`` is compiled (it is called most, and stays
as fast as the standard one), about 0.1 ms a class; the other methods are
functions closed over the class's fields, which cost nothing to make, and
compare and hash through attribute getters written in C (a tenth of a
microsecond slower a call).

Only frozen, slotted classes are made here; for anything else, use the
standard library's decorator.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError
from operator import attrgetter
from typing import Any, Literal, TypeVar, dataclass_transform

__all__ = ["dataclass"]

T = TypeVar("T")

_FACTORY = object()
"""The default of an argument whose field has a ``default_factory``: make a fresh value."""


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, Field))
def dataclass(
    *, frozen: Literal[True] = True, slots: Literal[True] = True, kw_only: bool = False
) -> Callable[[type[T]], type[T]]:
    """``dataclasses.dataclass(frozen=True, slots=True, kw_only=kw_only)``, made cheaply."""
    if frozen is not True or slots is not True:
        raise TypeError("advisor.records makes frozen, slotted dataclasses only")

    def make(cls: type[T]) -> type[T]:
        # The standard decorator with every generated method off compiles nothing: it
        # collects the fields and makes the slotted class, and the methods are added here.
        undocumented = not cls.__doc__
        if undocumented:  # else it works out a signature of object's __init__ (its first use: 6 ms)
            cls.__doc__ = cls.__name__
        made: Any = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=True, kw_only=kw_only)
        fields = dataclasses.fields(made)
        names = [field.name for field in fields]
        own = vars(made)
        for name in ("__setattr__", "__delattr__"):
            if name in own:
                raise TypeError(f"cannot overwrite attribute {name} in class {made.__name__}")
        methods: dict[str, Callable[..., Any]] = {
            "__init__": _init(made, fields),
            "__repr__": _repr([field.name for field in fields if field.repr]),
            "__eq__": _eq(_getter([field.name for field in fields if field.compare])),
            "__setattr__": _setattr(made, frozenset(names)),
            "__delattr__": _delattr(made, frozenset(names)),
            "__getstate__": _getstate(names),
            "__setstate__": _setstate(names),
        }
        for name, method in methods.items():
            if name not in own:  # a method the class defines itself is kept, as the standard one does
                _set_method(made, name, method)
        # An __eq__ in the class body leaves __hash__ None; the standard decorator then adds one too.
        if own.get("__hash__") is None:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            _set_method(made, "__hash__", _hash(_getter(hashed)))
        if undocumented:  # as the standard decorator does, from the __init__ made here
            made.__doc__ = made.__name__ + str(inspect.signature(made)).replace(" -> None", "")
        result: type[T] = made
        return result

    return make


def _set_method(cls: type, name: str, method: Callable[..., Any]) -> None:
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, method)


def _init(cls: type, fields: tuple[Field[Any], ...]) -> Callable[..., None]:
    """The ``__init__`` the standard decorator would write (without annotations), compiled."""
    namespace: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    positional: list[str] = []
    keywords: list[str] = []
    body: list[str] = []
    for field in fields:
        default = f"_default_{field.name}"
        if field.default_factory is not MISSING:
            namespace[default] = field.default_factory
            value = (
                f"{default}() if {field.name} is _FACTORY else {field.name}" if field.init else f"{default}()"
            )
            parameter = f"{field.name}=_FACTORY"
        elif field.default is not MISSING:
            namespace[default] = field.default
            value = field.name if field.init else default
            parameter = f"{field.name}={default}"
        else:
            value = field.name
            parameter = field.name
        if field.init:
            (keywords if field.kw_only else positional).append(parameter)
        if field.init or field.default is not MISSING or field.default_factory is not MISSING:
            body.append(f"    _set(self, {field.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
    source = f"def __init__({parameters}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)
    init: Callable[..., None] = namespace["__init__"]
    return init


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function of an instance to the tuple of its ``names``' values."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])
        return lambda instance: (get(instance),)
    return lambda instance: ()


def _repr(names: list[str]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _eq(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, object], Any]:
    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _setattr(cls: type[Any], names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _delattr(cls: type[Any], names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__


def _getstate(names: list[str]) -> Callable[[Any], list[Any]]:
    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    return __getstate__


def _setstate(names: list[str]) -> Callable[[Any, list[Any]], None]:
    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    return __setstate__
