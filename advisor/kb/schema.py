"""How the schema's dataclasses tell pydantic what to check, without importing it.

The knowledge base's types (:mod:`advisor.kb.models`) and the answers are plain
frozen dataclasses, so that ``advisor recommend`` can build them from the
knowledge cache without pydantic: ``from pydantic import BaseModel`` alone
costs about 45 ms, and creating some 35 models another 80 to 140 ms, several
times the rest of the command. Pydantic validates those same dataclasses when
data comes from people (:mod:`advisor.kb.validation`), and reads from them:

- ``__pydantic_config__`` on the class (:class:`Strict`): unknown keys refused;
- ``Annotated[..., Limits(...)]``: constraints on a value (pattern, lengths, bounds);
- ``Annotated[float, Bounded(...)]``: a number held to the number policy (:mod:`advisor.bounds`);
- ``Annotated[A | B, OneOf(...)]``: a union whose member is chosen by a key of the data;
- ``dataclasses.field(metadata={"alias": "in"})``: the key of a field whose name
  is a Python keyword (pydantic passes a stdlib dataclass field's metadata on to
  ``pydantic.Field``; :mod:`advisor.kb.plain` reads the same alias).

:class:`Limits` and :class:`OneOf` implement pydantic's documented
``__get_pydantic_core_schema__`` hook and import pydantic inside it: defining
the schema costs nothing, and only validating imports pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Union

from advisor.bounds import LARGEST, NumberError, as_number, within

if TYPE_CHECKING:
    from dataclasses import Field

    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["Bounded", "Limits", "OneOf", "Strict", "alias_of"]


class Strict:
    """Base of the schema's dataclasses: pydantic refuses keys the class does not have.

    A typo in a knowledge file then fails at load time, with its file and line,
    instead of being ignored. (Frozen is the ``@dataclass`` decorator's part.)
    """

    __slots__ = ()
    # Typed as a plain dict: pydantic's ConfigDict is a TypedDict, so a dict is one, and
    # naming ConfigDict would need pydantic imported wherever this annotation is evaluated.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


def alias_of(field: Field[Any]) -> str:
    """The key a ``dataclasses.Field`` has in the data: its alias, or its name."""
    return str(field.metadata.get("alias", field.name))


class Limits:
    """Constraints on a value, checked by pydantic: the constraining arguments of ``pydantic.Field``.

    ``Annotated[str, Limits(pattern=r"^[a-z]+$", max_length=64)]`` validates as
    ``Annotated[str, Field(pattern=r"^[a-z]+$", max_length=64)]``, with the same
    error messages and JSON Schema.
    """

    __slots__ = ("constraints",)

    def __init__(
        self,
        *,
        pattern: str | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        gt: float | None = None,
        ge: float | None = None,
        le: float | None = None,
    ) -> None:
        given = {
            "pattern": pattern,
            "min_length": min_length,
            "max_length": max_length,
            "gt": gt,
            "ge": ge,
            "le": le,
        }
        self.constraints: dict[str, Any] = {name: value for name, value in given.items() if value is not None}

    def __repr__(self) -> str:
        return f"Limits({', '.join(f'{name}={value!r}' for name, value in self.constraints.items())})"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic import Field

        return handler(Annotated[source, Field(**self.constraints)])


class Bounded:
    """A number of a knowledge file held to the number policy (:mod:`advisor.bounds`): finite,
    at most :data:`~advisor.bounds.LARGEST` either way, not below ``low``, above 0 when
    ``positive``; never written as YAML 1.1's octal (``0500``) or in hexadecimal.

    ``Annotated[float, Bounded()]`` is checked before pydantic's own float, so a refusal says
    why in the policy's words. With ``pairs``, ``[low, high]`` is checked end by end too (an
    assumption's value: ``Annotated[float | tuple[float, float], Bounded(pairs=True)]``).
    Whether a number may be negative for what it means (a rule's weight) is for
    :mod:`advisor.kb.references`, which sees the rules.
    """

    __slots__ = ("low", "pairs", "positive")

    def __init__(self, *, low: float = -LARGEST, positive: bool = False, pairs: bool = False) -> None:
        self.low = low
        self.positive = positive
        self.pairs = pairs

    def __repr__(self) -> str:
        return f"Bounded(low={self.low:g}, positive={self.positive}, pairs={self.pairs})"

    def number(self, value: Any) -> float:
        """``value`` as a float within the policy; :class:`~advisor.bounds.NumberError` (a
        ``ValueError``, which pydantic reports at the value's place) otherwise."""
        read, _ = as_number(value, notes=False)
        return within(read, low=self.low, positive=self.positive)

    def check(self, value: Any) -> Any:
        if self.pairs and isinstance(value, list | tuple):
            if len(value) != 2:
                raise NumberError(f"expected a number or [low, high], not a list of {len(value)}")
            ends = []
            for end, item in zip(("low", "high"), value, strict=True):
                try:
                    ends.append(self.number(item))
                except NumberError as error:
                    raise NumberError(f"its {end} end: {error.message}") from None
            return tuple(ends)
        return self.number(value)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.check, handler(source))


class OneOf:
    """A union of dataclasses whose member is chosen by the data: the first of ``members``
    whose tag is a key of the mapping, else ``default``.

    ``{all: [...]}`` is an ``AllOf``, ``{field: ..., equals: ...}`` (no tag among
    its keys) a ``Leaf``. Pydantic validates it as a discriminated union, so an
    error names only the chosen member's fields (and a value that is no member
    at all gets ``message``); :mod:`advisor.kb.plain` chooses the same way.
    """

    __slots__ = ("by_class", "default", "error_type", "members", "message")

    def __init__(
        self,
        members: Mapping[str, type],
        *,
        default: str | None = None,
        error_type: str,
        message: str,
    ) -> None:
        self.members = dict(members)
        self.default = default
        self.error_type = error_type
        self.message = message
        self.by_class = {member: tag for tag, member in self.members.items()}

    def __repr__(self) -> str:
        return f"OneOf({', '.join(self.members)})"

    def tag(self, value: Any) -> str | None:
        """The member's tag for a mapping or an instance, or ``None`` when it is neither."""
        if isinstance(value, dict):
            return next((tag for tag in self.members if tag in value), self.default)
        return self.by_class.get(type(value))

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic import Discriminator, Tag

        tagged = tuple(Annotated[member, Tag(tag)] for tag, member in self.members.items())
        discriminator = Discriminator(
            self.tag, custom_error_type=self.error_type, custom_error_message=self.message
        )
        # Union[tuple] builds the union of a variable number of members.
        return handler(Annotated[Union[tagged], discriminator])  # noqa: UP007
