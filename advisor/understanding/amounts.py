"""Which answer each number of a line is: the budget, a model size, the labeled examples, or all the data.

A number says what it is by what stands beside it: a money mark ("$3k",
"3000 dollars", "10 grand"), a scale of billions or the word "parameters"
("7B"), the budget's words ("budget 3000"), the labels' subject ("5k labelled
tickets"), or a data noun or "out of" for all the data ("10k images, half
labeled"). A number with none of these is *loose*: it answers the question on
screen ("2k" at the count), or the count a "yes" opens ("yes, 2k").
"""

from __future__ import annotations

import re
from typing import Literal

from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import BUDGET, LABELED_EXAMPLES, MODEL_SIZE, TEAM_SIZE
from advisor.kb.models import Question
from advisor.numbers import Number
from advisor.reading import Reader
from advisor.records import dataclass
from advisor.text import clean, singular
from advisor.understanding.clauses import Clause

__all__ = ["Amounts", "Placed", "Role"]

Role = Literal["money", "params", "labeled", "total", "share", "loose", "people", "rate"]

_PARAMS = re.compile(r"\bparam(?:eter)?s?\b", re.IGNORECASE)
_TOTAL_BEFORE = re.compile(r"(?:out of|of (?:the|our|my|all|those|these)|of|total(?: of)?|in all)\s*~?$")
_TOTAL_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:total|in total|overall|altogether|in all)\b")
_PEOPLE_BEFORE = re.compile(r"(?:team of|group of|crew of|staff of|we are|there are|were)\s*~?$")
MOST_PEOPLE = 100_000
"""More than this is no team: "100k engineers" is read as something else."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A number of a line and the answer it is for."""

    number: Number
    role: Role
    clause: Clause


class Amounts:
    """Places the numbers of a line."""

    def __init__(self, kb: KnowledgeBase, reader: Reader) -> None:
        self.reader = reader
        self.budget: Question = kb.question[BUDGET]
        self.count: Question = kb.question[LABELED_EXAMPLES]
        self.model_size: Question = kb.question[MODEL_SIZE]
        people = kb.question.get(TEAM_SIZE)
        self.people: Question | None = people
        self._people_words = frozenset(singular(clean(word)) for word in (people.mentions if people else ()))
        """Who a number counts when it counts people ("2 ML engineers", "4 people")."""
        depends_on = {leaf.field for leaf in iter_leaves(self.count.ask_when)}
        self.subject = frozenset(
            singular(clean(word))
            for question in kb.questions
            if question.id in depends_on
            for word in question.subject
        )
        """The words of what the count counts ("labeled", "tagged"), from the question it depends on."""

    def role(self, number: Number, clause: Clause, text: str) -> Role:
        """What ``number`` (in ``clause`` of ``text``) is for."""
        if number.percent:
            return "share"
        if number.per is not None:
            return "rate"
        if self.counts_people(number, clause, text):
            return "people"
        if number.money:
            return "money"
        mentions = self.reader.mentions
        counted = mentions(self.count, clause.text)
        labeled = any(clause.has(word) for word in self.subject)
        model = mentions(self.model_size, clause.text)
        if _PARAMS.search(clause.text) or (number.billions and not ((counted or labeled) and not model)):
            return "params"
        if number.scale in ("m", "mm", "mn", "mio", "million") and model and not (counted or labeled):
            return "params"
        if mentions(self.budget, clause.text):
            return "money"
        before = clean(text[clause.start : number.start])
        after = clean(text[number.end : clause.end])
        if _TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(after):
            return "total"
        if labeled:
            return "labeled"
        if counted:
            return "total"
        return "loose"

    def counts_people(self, number: Number, clause: Clause, text: str) -> bool:
        """Whether ``number`` is a number of people: a person follows it ("2 ML engineers", "two
        senior developers") or a team comes before it ("a team of 5")."""
        if self.people is None or number.money or number.currency or number.scale or number.high is not None:
            return False
        if not 1 <= number.value <= MOST_PEOPLE or number.value != int(number.value):
            return False
        words = singular(clean(text[number.end : clause.end])).split()[:3]
        for first in (0, 1):  # one word may stand between: "2 senior engineers"
            for length in (1, 2):
                if (
                    first + length <= len(words)
                    and " ".join(words[first : first + length]) in self._people_words
                ):
                    return True
        return _PEOPLE_BEFORE.search(clean(text[clause.start : number.start])) is not None

    def place(self, numbers: list[Number], clauses: tuple[Clause, ...], text: str) -> list[Placed]:
        """Each number (in one of the clauses) with its role."""
        placed = []
        for number in numbers:
            clause = next((c for c in clauses if c.start <= number.start < c.end), None)
            if clause is not None:
                placed.append(Placed(number, self.role(number, clause, text), clause))
        return placed
