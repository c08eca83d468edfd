"""Which answer each number of a line is: the budget, a model size, the labeled examples, or all the data.

A number says what it is by what stands beside it: a money mark ("$3k",
"3000 dollars", "10 grand"), a scale of billions or the word "parameters"
("7B"), the budget's words ("budget 3000"), the labels' subject ("5k labelled
tickets"), or a data noun or "out of" for all the data ("10k images, half
labeled"). A number with none of these is *loose*: it answers the question on
screen ("2k" at the count), or the count a "yes" opens ("yes, 2k").
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import BUDGET, LABELED_EXAMPLES, MODEL_SIZE, TEAM, TEAM_SIZE, UNLABELED_EXAMPLES
from advisor.kb.models import Question
from advisor.numbers import Number
from advisor.reading import Reader
from advisor.records import dataclass
from advisor.scope import stance_of
from advisor.text import clean, singular
from advisor.understanding.clauses import Clause

__all__ = ["Amounts", "Placed", "Role"]

Role = Literal["money", "params", "labeled", "raw", "total", "share", "loose", "people", "rate", "aside"]
"""``aside``: a number none of the answers takes ("3 years of orders", "2 annotators")."""

_TIME = re.compile(r"^(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b")
"""How long, not how many ("3 years of orders"): at a count question, asked about instead."""
_ASIDE = re.compile(r"^(?:annotators?|labell?ers?|raters?|graders?|reviewers?|moderators?|volunteers?)\b")
"""People who label rather than build ("2 annotators"): never a count, a budget or the team."""


_MODEL_NAME = re.compile(r"(?:(?:rtx|gtx|quadro|tesla|radeon|geforce|titan)\s*|\b[ahvtl])$", re.IGNORECASE)
"""A GPU's model name before a number ("RTX 4090", "A100"): the number names a card, never an amount."""


def names_a_model(number: Number, text: str) -> bool:
    """Whether ``number`` follows a GPU's model name ("RTX 4090", "A100")."""
    return not number.money and _MODEL_NAME.search(text[: number.start]) is not None


def is_time(number: Number, clause: Clause, text: str) -> bool:
    """Whether ``number`` says how long ("3 years of orders", "40 hours of recordings")."""
    return _TIME.match(clean(_after(text, number, clause))) is not None


_PARAMS = re.compile(r"\bparam(?:eter)?s?\b", re.IGNORECASE)
_TOTAL_BEFORE = re.compile(r"(?:out of|of (?:the|our|my|all|those|these)|of|total(?: of)?|in all)\s*~?$")
_TOTAL_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:total|in total|overall|altogether|in all)\b")
_PEOPLE_BEFORE = re.compile(r"(?:team of|group of|crew of|staff of|we are|there are|were)\s*~?$")
MEASURES = frozenset(
    (
        "reading", "measurement", "data point", "datapoint", "point", "token", "word", "character",
        "char", "byte", "kb", "mb", "gb", "tb", "hour", "minute", "second", "frame", "pixel",
        "sample per second", "tick", "event", "log line", "line",
    )
)  # fmt: skip
"""What measures data without counting examples: "2 million readings" of a sensor are a few
thousand windows, "3 hours of speech" some hundreds of clips. A count said in them is read back."""

_FEW = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a couple": 2,
}  # fmt: skip
"""Small numbers in words, which :func:`~advisor.numbers.numbers_in` leaves to the words around
them ("one of them"): beside a person they count people ("two data scientists")."""
_FEW_PEOPLE = re.compile(rf"(?<![\w-])({'|'.join(sorted(_FEW, key=len, reverse=True))})\s+", re.IGNORECASE)
_ME_AND = re.compile(r"(?<![\w-])me and (?:a|an|one) (?=\w)", re.IGNORECASE)
""""me and a student": two people."""
_ALONE = re.compile(
    r"(?<![\w-])(?:(?:just|only) me(?!\s+and)|myself|on my own(?!\s+(?:gpus?|machine|computer|laptop|pc|"
    r"server|hardware|workstation|data|time))|me alone|solo)(?![\w-])",
    re.IGNORECASE,
)
""""just me": one person; "on my own GPU" is hardware."""

_RATE_WORDS = re.compile(
    r"(?<![a-z])(?:rate|rates|salary|salaries|wage|wages|fee|fees|charges?|takes|paid|pay|costs? us|"
    r"per head|retainer|invoice|bills?)(?![a-z])",
    re.IGNORECASE,
)
"""Words that say an amount per period is what someone's time costs, not a budget per month."""

MOST_PEOPLE = 100_000
"""More than this is no team: "100k engineers" is read as something else."""


_REACH = 64
"""How far from a number the words that say what it is are read: "around 400 of them", "2 senior
ML engineers", "a team of 5". Read near the number only, a line is read in time linear in its
length, however many numbers it holds."""
_FACTS_KEPT = 256
"""The clauses whose facts are kept between numbers (each line holds a few)."""


def _before(text: str, number: Number, clause: Clause) -> str:
    return text[max(clause.start, number.start - _REACH) : number.start]


def _after(text: str, number: Number, clause: Clause) -> str:
    return text[number.end : min(clause.end, number.end + _REACH)]


@dataclass(frozen=True, slots=True)
class _Facts:
    """What one clause says of the questions a number may answer."""

    counted: bool
    labeled: bool
    model: bool
    params: bool
    budget: bool
    raw: bool


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
        self.raw: Question | None = kb.question.get(UNLABELED_EXAMPLES)
        depends = [
            kb.question[leaf.field] for leaf in iter_leaves(self.count.ask_when) if leaf.field in kb.question
        ]
        self.labels: Question | None = next((q for q in depends if q.subject), None)
        """The question the labeled count depends on, read by what a clause says of its subject."""
        people = kb.question.get(TEAM_SIZE)
        self.people: Question | None = people
        self._people_words = frozenset(singular(clean(word)) for word in (people.mentions if people else ()))
        """Who a number counts when it counts people ("2 ML engineers", "4 people")."""
        team = kb.question.get(TEAM)
        self._team_words = frozenset(
            singular(clean(word))
            for word in (
                *(team.mentions if team else ()),
                *(alias for choice in (team.choices if team else ()) for alias in choice.aliases),
            )
        )
        depends_on = {leaf.field for leaf in iter_leaves(self.count.ask_when)}
        self.subject = frozenset(
            singular(clean(word))
            for question in kb.questions
            if question.id in depends_on
            for word in question.subject
        )
        """The words of what the count counts ("labeled", "tagged"), from the question it depends on."""
        self._seen: dict[Clause, _Facts] = {}
        self._people_in: tuple[str | None, bool] = (None, False)

    def role(self, number: Number, clause: Clause, text: str, *, people: bool = False) -> Role:
        """What ``number`` (in ``clause`` of ``text``) is for."""
        if number.percent:
            return "share"
        if number.per is not None and (people or self._prices_time(number, clause, text)):
            return "rate"
        after = clean(_after(text, number, clause))
        if not number.money and not number.scale and (_TIME.match(after) or _ASIDE.match(after)):
            return "aside"
        if names_a_model(number, text):
            return "aside"
        if self.counts_people(number, clause, text):
            return "people"
        if number.money:
            return "money"
        facts = self._facts(clause)
        counted, labeled, model = facts.counted, facts.labeled, facts.model
        if facts.params or (number.billions and not ((counted or labeled) and not model)):
            return "params"
        if number.scale in ("m", "mm", "mn", "mio", "million") and model and not (counted or labeled):
            return "params"
        if facts.budget:
            return "money"
        if _TOTAL_BEFORE.search(clean(_before(text, number, clause))) or _TOTAL_AFTER.match(
            clean(_after(text, number, clause))
        ):
            return "total"
        if facts.raw:
            return "raw"
        if labeled:
            return "labeled"
        if counted:
            return "total"
        return "loose"

    def _facts(self, clause: Clause) -> _Facts:
        """What a clause says of the questions, read once for all its numbers (a clause of a
        thousand numbers is read once, not a thousand times)."""
        found = self._seen.get(clause)
        if found is None:
            mentions = self.reader.mentions
            labeled = any(clause.has(word) for word in self.subject)
            found = _Facts(
                counted=mentions(self.count, clause.text),
                labeled=labeled,
                model=mentions(self.model_size, clause.text),
                params=_PARAMS.search(clause.text) is not None,
                budget=mentions(self.budget, clause.text),
                raw=self._raw(clause, labeled),
            )
            if len(self._seen) > _FACTS_KEPT:
                self._seen.clear()
            self._seen[clause] = found
        return found

    def _raw(self, clause: Clause, labeled: bool) -> bool:
        """Whether a clause counts examples without labels: "40k unlabeled", "the other 80k are
        just raw text", "40k not labeled"."""
        if self.raw is None or self.labels is None:
            return False
        if self.reader.mentions(self.raw, clause.text) and not (labeled and not clause.has("unlabeled")):
            return True
        if clause.has("nobody") or clause.has("no one"):  # "50k from the camera nobody looked at"
            return True
        said = stance_of(self.labels, clause.text, bare=True)
        return said is not None and said.stance == "negated" and bool(clause.cleaned.split()[1:])

    def measure(self, number: Number, clause: Clause, text: str) -> str | None:
        """The measure a count is said in, when it is not examples ("readings", "hours")."""
        words = singular(clean(_after(text, number, clause))).split()[:3]
        if words and words[0] in ("of", "more"):
            words = words[1:]
        for length in (2, 1):
            if len(words) >= length and " ".join(words[:length]) in MEASURES:
                return " ".join(words[:length])
        return None

    def _prices_time(self, number: Number, clause: Clause, text: str) -> bool:
        """Whether an amount per period prices someone's time: by the hour or the day always;
        by the week, month or year when the line speaks of people or of a rate ("$5k a month for
        a contractor", "a week is 3.250"), not a budget spread over months ("$5k/month")."""
        if number.per in ("hour", "day"):
            return True
        before = clean(_before(text, number, clause)).split()
        if number.per in before[-3:] or (number.per or "") + "s" in before[-3:]:
            return True  # "so week is 3.250": the period said first
        return self._speaks_of_people(text)

    def _speaks_of_people(self, text: str) -> bool:
        """Whether a line speaks of people or of what their time costs (read once per line)."""
        if self._people_in[0] != text:
            words = f" {singular(clean(text))} "
            said = _RATE_WORDS.search(text) is not None or any(
                f" {word} " in words for word in self._people_words | self._team_words
            )
            self._people_in = (text, said)
        return self._people_in[1]

    def spelled_people(self, clauses: tuple[Clause, ...], text: str) -> list[Placed]:
        """People counted in words ("two data scientists", "just me", "me and a student")."""
        found: list[Placed] = []
        if self.people is None:
            return found

        def clause_of(start: int) -> Clause | None:
            return next((c for c in clauses if c.start <= start < c.end), None)

        for match in _FEW_PEOPLE.finditer(text):
            clause = clause_of(match.start(1))
            number = Number(
                float(_FEW[match[1].lower()]), match[1], match.start(1), match.end(1), spelled=True
            )
            if clause is not None and self.counts_people(number, clause, text):
                found.append(Placed(number, "people", clause))
        for match in _ME_AND.finditer(text):  # "me and a student": the student's clause is after "and"
            clause = clause_of(match.end())
            number = Number(2.0, match[0].strip(), match.start(), match.end(), spelled=True)
            if clause is not None and self.counts_people(number, clause, text):
                found.append(Placed(number, "people", clause))
        if not found:
            for match in _ALONE.finditer(text):
                clause = clause_of(match.start())
                if clause is not None:
                    found.append(
                        Placed(
                            Number(1.0, match[0], match.start(), match.end(), spelled=True), "people", clause
                        )
                    )
        return found

    def counts_people(self, number: Number, clause: Clause, text: str) -> bool:
        """Whether ``number`` is a number of people: a person follows it ("2 ML engineers", "two
        senior developers") or a team comes before it ("a team of 5")."""
        if self.people is None or number.money or number.currency or number.scale or number.high is not None:
            return False
        if not 1 <= number.value <= MOST_PEOPLE or number.value != int(number.value):
            return False
        words = singular(clean(_after(text, number, clause))).split()[:3]
        for first in (0, 1):  # one word may stand between: "2 senior engineers"
            for length in (1, 2):
                if (
                    first + length <= len(words)
                    and " ".join(words[first : first + length]) in self._people_words
                ):
                    return True
        before = clean(_before(text, number, clause))
        if words[:1] in (["know"], ["knows"]) and before.endswith(("only", "just")):
            return True  # "only 2 know ML"
        return _PEOPLE_BEFORE.search(before) is not None

    def place(
        self, numbers: list[Number], clauses: tuple[Clause, ...], text: str, *, people: bool = False
    ) -> list[Placed]:
        """Each number (in one of the clauses) with its role; ``people``: the question on screen is
        about people ("$9k a month" at the team is what they cost)."""
        placed = []
        starts = [clause.start for clause in clauses]
        for number in numbers:
            at = bisect.bisect_right(starts, number.start) - 1
            clause = clauses[at] if at >= 0 and number.start < clauses[at].end else None
            if clause is not None:
                placed.append(Placed(number, self.role(number, clause, text, people=people), clause))
        return placed
