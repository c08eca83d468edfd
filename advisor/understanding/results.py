"""What a line says, read and not yet used: :class:`Understanding` and the :class:`Heard` answers."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from advisor.records import dataclass
from advisor.tasks import Clarify
from advisor.understanding.assumptions import Assumed
from advisor.understanding.relative import Relative

__all__ = ["Heard", "Understanding"]


@dataclass(frozen=True, slots=True)
class Heard:
    """One answer found in a line."""

    field: str
    value: Any
    words: str
    """The words it came from, as typed."""
    firm: bool = True
    """Said of the question itself; a phrase met in passing changes no earlier answer."""
    check: str | None = None
    """Why to confirm it before it is used ("only 2 labeled examples"), if it needs confirming."""


@dataclass(frozen=True, slots=True)
class Understanding:
    """Everything a line says, nothing recorded yet."""

    heard: tuple[Heard, ...] = ()
    assumed: tuple[Assumed, ...] = ()
    relative: tuple[Relative, ...] = ()
    question: str | None = None
    """The words that ask something, to be answered, never recorded."""
    refusal: str | None = None
    """Why nothing of the line can be used. An amount in another currency is converted or, without
    a named rate, left out with a problem: the rest of the line is read."""
    problems: tuple[str, ...] = ()
    """What looked like an answer but could not be read."""
    total: int | None = None
    """All the data, when the line says how much there is but not how much is labeled."""
    notes: dict[str, str] = field(default_factory=dict)
    """How a value was worked out, by field ("half of 10,000")."""
    clarify: Clarify | None = None
    """What a task description leaves open: the field to ask about next, with its likely choices."""

    @property
    def values(self) -> dict[str, Any]:
        return {heard.field: heard.value for heard in self.heard}

    @property
    def checks(self) -> tuple[Heard, ...]:
        return tuple(heard for heard in self.heard if heard.check)

    @property
    def empty(self) -> bool:
        return not (self.heard or self.assumed or self.relative)
