"""Cost assumptions set in words: "we'll do it in-house", "our engineers cost $1,500 a week",
"set engineer_usd_per_week to 0".

Which words set which assumption is the knowledge base's (``said_as`` in
``costs.yaml``): a phrase with a value means that value ("in-house": 0); a
phrase without one takes the amount said with it. An assumption's id, typed
with a number, always works.
"""

from __future__ import annotations

from advisor.kb.base import KnowledgeBase
from advisor.kb.models import SaidAs
from advisor.numbers import Number
from advisor.records import dataclass
from advisor.text import Vocabulary
from advisor.understanding.clauses import Clause

__all__ = ["Assumed", "AssumptionWords"]


@dataclass(frozen=True, slots=True)
class Assumed:
    """A cost assumption a line sets."""

    id: str
    value: float
    words: str
    meaning: str | None = None
    """What the advisor understood, in plain words (from ``said_as``)."""


class AssumptionWords:
    """The phrases of a knowledge base's assumptions."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._phrases: Vocabulary[tuple[str, SaidAs | None]] = Vocabulary(
            [
                *((a.id, (a.id, None)) for a in kb.costs.assumptions),
                *(
                    (phrase, (a.id, said))
                    for a in kb.costs.assumptions
                    for said in a.said_as
                    for phrase in said.phrases
                ),
            ]
        )

    def read(self, clause: Clause, numbers: list[Number]) -> tuple[Assumed | None, Number | None]:
        """The assumption a clause sets, and the number it took for its value (if it took one)."""
        for match in self._phrases.spotted(clause.text):
            assumption, said = match.thing
            if said is not None and said.value is not None:
                return Assumed(assumption, said.value, match.phrase, said.meaning), None
            amounts = [n for n in numbers if not n.percent and not n.negative and n.currency is None]
            if amounts:
                amount = amounts[0]
                meaning = said.meaning if said is not None else None
                return Assumed(assumption, amount.value, f"{match.phrase} … {amount.words}", meaning), amount
        return None, None
