"""The state of one line being read: the readers it is read with (:class:`Parts`) and what has been
heard so far (:class:`Hearing`), shared by the steps of :mod:`.line`, :mod:`.counts` and
:mod:`.people`."""

from __future__ import annotations

from typing import Any

from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Question
from advisor.reading import Reader
from advisor.records import dataclass
from advisor.understanding.amounts import Amounts
from advisor.understanding.assumptions import AssumptionWords
from advisor.understanding.choices import Choices
from advisor.understanding.clauses import Line
from advisor.understanding.money import Money
from advisor.understanding.results import Heard

__all__ = ["Hearing", "Parts"]


@dataclass(frozen=True, slots=True)
class Parts:
    """The readers of one knowledge base that a line is read with."""

    kb: KnowledgeBase
    reader: Reader
    choices: Choices
    amounts: Amounts
    assumptions: AssumptionWords
    money: Money


class Hearing:
    """What one line has been heard to say so far: the state the steps of reading it share
    (:class:`~advisor.understanding.line.LineReading`, :mod:`.counts`, :mod:`.people`)."""

    def __init__(
        self,
        parts: Parts,
        line: Line,
        at: Question | None,
        known: dict[str, Any],
        correcting: bool,
    ) -> None:
        self.parts = parts
        self.kb = parts.kb
        self.line = line
        self.at = at
        self.known = known
        self.correcting = correcting
        self.heard: dict[str, Heard] = {}
        self.share: float | None = None
        """The one percentage the line names ("about 30%"), as a share of all the data."""
        self.problems: list[str] = []
        self.conflicting: set[str] = set()
        """Answers the line gives two different values of ("$1k, $2k"): asked about, none taken."""
        self.notes: dict[str, str] = {}
        self.derived: set[str] = set()
        """Answers the line's own counts imply ("800 labeled, 40k raw": some of it labeled)."""

    def hear(self, heard: Heard) -> None:
        if heard.field in self.known and not heard.firm and not self.correcting and heard.field != self.at_id:
            return  # "labelled pics" at the labels question changes no task already given
        self.heard[heard.field] = heard

    @property
    def at_id(self) -> str | None:
        return self.at.id if self.at else None
