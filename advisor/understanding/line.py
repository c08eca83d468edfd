"""One line read step by step: the choices, the numbers placed, the assumptions, what to confirm.

:class:`LineReading` holds what has been heard so far while
:class:`~advisor.understanding.Understander` reads one line; :class:`Parts` are
the readers it uses, made once per knowledge base.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from advisor.answers import asked, override
from advisor.bounds import NumberError
from advisor.formatting import format_params, format_value
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import OWN_TEAM, TEAM, TEAM_SIZE, UNLABELED_EXAMPLES
from advisor.kb.models import Question
from advisor.numbers import Number, numbers_in
from advisor.reading import NOTHING, Reader, Unreadable
from advisor.records import dataclass
from advisor.scope import hedged, stance_of, unsure
from advisor.text import clean
from advisor.understanding.amounts import Amounts, Placed
from advisor.understanding.assumptions import Assumed, AssumptionWords
from advisor.understanding.choices import ChoiceReading, Choices
from advisor.understanding.clauses import MOST_CLAUSES, Clause, Line
from advisor.understanding.money import Money
from advisor.understanding.relative import relative_changes
from advisor.understanding.results import Heard, Understanding

__all__ = ["LineReading", "Parts"]


@dataclass(frozen=True, slots=True)
class Parts:
    """The readers of one knowledge base that a line is read with."""

    kb: KnowledgeBase
    reader: Reader
    choices: Choices
    amounts: Amounts
    assumptions: AssumptionWords
    money: Money


class LineReading:
    """One line being read: the state shared by the steps of
    :meth:`~advisor.understanding.Understander.understand`."""

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

    def result(self) -> Understanding:
        line = self.line
        text = line.answer_text
        clauses = line.clauses
        if len(clauses) >= MOST_CLAUSES and line.question is None:
            self.problems.append(f"that is a very long message: I read its first {MOST_CLAUSES} parts")
        guesses = [c for c in clauses if unsure(c.text) or c.has("ratio")]  # "not sure, maybe 2k"
        numbers = [
            n
            for n in numbers_in(text)
            if not n.negated and not any(c.start <= n.start < c.end for c in guesses)
        ]
        relative, used = relative_changes(self.kb, self.parts.reader, clauses, text, self.known)
        numbers = [n for n in numbers if not any(start <= n.start < end for start, end in used)]
        converted = self.parts.money.convert(numbers)
        self.problems += converted.problems
        # People and rates first: no budget and no cost assumption said in words takes them.
        about_people = self.at_id in (TEAM, TEAM_SIZE)
        early = self.parts.amounts.place(converted.numbers, clauses, text, people=about_people)
        aside = [item for item in early if item.role in ("people", "rate")]
        aside += self.parts.amounts.spelled_people(clauses, text)
        numbers = [item.number for item in early if item.role not in ("people", "rate")]
        assumed = self._assumptions(numbers)
        fractions = self._choices()
        placed = self.parts.amounts.place(numbers, clauses, text)
        for item in [item for item in placed if item.number.indian and self._is_money(item)]:
            self.problems.append(
                f"I can't convert rupees ({item.number.words}) to US dollars; "
                "please give that amount in US dollars"
            )
            placed.remove(item)
        total = self._numbers(placed, fractions)
        self._people([item for item in aside if item.role == "people"])
        rates = self._rates([item for item in aside if item.role == "rate"])
        if any(item.role == "money" or self._is_money(item) for item in placed) or rates:
            assumed += converted.rates  # the exchange rate a dollar figure came from
        assumed += rates
        self._nothing()
        self._keep_given()
        self._unasked()
        self._checks()
        return Understanding(
            heard=tuple(self.heard.values()),
            assumed=tuple(assumed),
            relative=tuple(relative),
            question=line.question,
            problems=tuple(self.problems),
            total=total,
            notes=self.notes,
        )

    # --- the steps --------------------------------------------------------------------

    def _assumptions(self, numbers: list[Number]) -> list[Assumed]:
        assumed = []
        by_clause: dict[int, list[Number]] = {}
        for number in numbers:
            clause = _clause_of(self.line.clauses, number.start)
            if clause is not None:
                by_clause.setdefault(clause.start, []).append(number)
        for clause in self.line.clauses:
            inside = by_clause.get(clause.start, [])
            found, took = self.parts.assumptions.read(clause, inside)
            if found is None:
                continue
            if took is not None:
                numbers.remove(took)
            try:  # "set gpu_hour_usd to 1e300" is refused now, not once all is answered
                override(self.kb, found.id, found.value)
            except NumberError as error:
                self.problems.append(f"{found.id}: {error.message}")
                continue
            assumed.append(found)
        return assumed

    def _choices(self) -> dict[str, float]:
        """Read every choice question; the shares named for "some of it", by field."""
        fractions: dict[str, float] = {}
        for question in self.parts.choices.questions:
            own = question is self.at
            named = self.parts.choices.model(question, self.line.clauses, own=own)
            if named is not None:  # "fine-tune BERT": its parameters (a count said outright wins)
                model, words = named
                self.hear(Heard(question.id, model.params, words, True))
                self.notes[question.id] = model.name
                continue
            reading, problem = self.parts.choices.read(question, self.line.clauses, own=own)
            if reading is None and own and problem is None and len(self.line.clauses) <= 1:
                reading = self.parts.choices.whole(question, self.line.answer_text)
            if problem and own:
                self.problems.append(problem)
            if reading is not None:
                self._choice(question, reading)
                if reading.fraction is not None:
                    fractions[question.id] = reading.fraction
        return fractions

    def _choice(self, question: Question, reading: ChoiceReading) -> None:
        self.hear(Heard(question.id, reading.value, reading.words, reading.firm))

    def _people(self, people: list[Placed]) -> None:
        """A number of people is the team's size, never money ("we have 2 ML engineers")."""
        question = self.parts.amounts.people
        if question is None or not people:
            return
        if len({item.number.value for item in people}) > 1:
            text = self.line.answer_text
            only = [
                item
                for item in people
                if text[: item.number.start].rstrip().lower().endswith(("only", "just"))
            ]
            if len(only) == 1:  # "a team of 5, but only 2 know ML"
                people = only
        if len({item.number.value for item in people}) > 1:
            both = " and ".join(item.number.words for item in people[:2])
            self.problems.append(f"I read two numbers of people ({both}); how many will work on it?")
            return
        number = people[0].number
        words = people[0].clause.text.strip()
        self.hear(Heard(question.id, int(number.value), words))
        team = self.kb.question.get(TEAM)
        unsaid = team is not None and TEAM not in self.heard and TEAM not in self.known
        # People counted with no word of hiring are the person's own ("3 data scientists").
        if unsaid and team is not None and any(choice.value == OWN_TEAM for choice in team.choices):
            self.hear(Heard(TEAM, OWN_TEAM, words))

    def _rates(self, rates: list[Placed]) -> list[Assumed]:
        """A rate for people's time sets the weekly cost of whoever does the work, never the budget."""
        team = self.heard[TEAM].value if TEAM in self.heard else self.known.get(TEAM)
        found: dict[str, Assumed] = {}
        for item in rates:
            if item.number.negative or item.number.value <= 0:
                continue
            weekly = self.parts.money.weekly(item.number, team)
            if weekly is None:
                continue
            if weekly.id in found and found[weekly.id].value != weekly.value:
                self.problems.append(
                    f"I read two rates ({found[weekly.id].words} and {weekly.words}); which is it?"
                )
                del found[weekly.id]
                continue
            found[weekly.id] = weekly
        return list(found.values())

    def _is_money(self, item: Placed) -> bool:
        return item.role == "money" or (
            item.role == "loose" and self.at is not None and self.at.kind == "money"
        )

    def _nothing(self) -> None:
        """ "none", "zero", "free" where a count or an amount is asked: 0."""
        at = self.at
        asking = at is not None and at.kind in ("count", "money") and at.id not in self.heard
        if at is not None and asking and clean(self.line.answer_text) in NOTHING:
            self.hear(Heard(at.id, 0, self.line.answer_text.strip()))

    def _unasked(self) -> None:
        """Forget what answers a question the line itself makes unasked ("no labels, but we
        could label 500": no count for unlabeled data)."""
        values = {**self.known, **{h.field: h.value for h in self.heard.values()}}
        for name in list(self.heard):
            if not asked(self.kb.question[name], values):
                del self.heard[name]

    def _numbers(self, placed: list[Placed], fractions: dict[str, float]) -> int | None:
        amounts = self.parts.amounts
        by_role: dict[str, list[Placed]] = {}
        for item in placed:
            by_role.setdefault(item.role, []).append(item)
        shares = [item.number.value / 100 for item in by_role.get("share", []) if 0 < item.number.value < 100]
        self.share = shares[0] if len(shares) == 1 else None  # "30% of 20k" at the count question
        for item in by_role.get("money", []):
            self._number(amounts.budget, item)
        for item in by_role.get("params", []):
            self._number(amounts.model_size, item)
        # "we could label 500": a plan, not the labels there are.
        labeled = [item for item in by_role.get("labeled", []) if not hedged(item.clause.text)]
        totals = [item for item in by_role.get("total", []) if item.number.value >= 1]
        raw = by_role.get("raw", [])
        if not labeled and totals and amounts.labels is not None and self._rest_is_raw():
            # "3000 photos, around 400 of them marked, the rest nobody looked at": the part is labeled
            text = self.line.answer_text
            parts = [item for item in by_role.get("loose", []) if _OF_THEM.match(text, item.number.end)]
            if len(parts) == 1:
                labeled = parts
                by_role["loose"] = [item for item in by_role["loose"] if item not in parts]
        if raw and amounts.raw is not None:
            self._number(amounts.raw, raw[0])
            if not labeled and by_role.get("loose") and amounts.labels is not None:
                # "only those 150 summaries, the other 80k are raw": the one left is the labeled part
                others = [item for item in by_role["loose"] if item.clause is not raw[0].clause]
                if len(others) == 1:
                    labeled = others
                    by_role["loose"] = [item for item in by_role["loose"] if item not in others]
        if labeled:
            self._number(amounts.count, labeled[0])
            totals += labeled[1:]
        total = int(max(item.number.value for item in totals)) if totals else None
        loose = by_role.get("loose", [])
        if loose:
            self._loose(loose)
        self._some_of_each()
        return self._derive(total, fractions)

    def _rest_is_raw(self) -> bool:
        """Whether a clause says the rest of the data has no labels ("the rest nobody looked at",
        "the rest are raw", "the rest not labeled")."""
        labels, raw = self.parts.amounts.labels, self.parts.amounts.raw
        for clause in self.line.clauses:
            if not (clause.has("rest") or clause.has("others") or clause.has("remainder")):
                continue
            if (
                clause.has("nobody")
                or clause.has("no one")
                or (raw and self.parts.reader.mentions(raw, clause.text))
            ):
                return True
            said = stance_of(labels, clause.text, bare=True) if labels else None
            if said is not None and said.stance == "negated":
                return True
        return False

    def _some_of_each(self) -> None:
        """A count of labeled examples and one of raw ones: some of the data is labeled, whatever
        single word of the line said otherwise ("800 labeled fakes, 40k unlabeled")."""
        amounts = self.parts.amounts
        labels, raw = amounts.labels, amounts.raw
        if labels is None or raw is None:
            return
        labeled, unlabeled = self.heard.get(amounts.count.id), self.heard.get(raw.id)
        partial = next((c.value for c in labels.choices if c.stance == "partial"), None)
        if labeled is None or unlabeled is None or partial is None:
            return
        if labeled.value and unlabeled.value:
            self.hear(Heard(labels.id, partial, f"{labeled.words}, {unlabeled.words}", True))
            self.derived.add(labels.id)

    def _number(self, question: Question, item: Placed) -> None:
        """Read a number as the answer to ``question``; two different ones are a problem."""
        if item.number.negative:
            self.problems.append(f"the {question.name} cannot be negative")
            return
        try:
            reading = self.parts.reader.read(
                question, item.number.words if question.kind == "model_size" else _plain(item.number)
            )
        except Unreadable as error:
            if question is self.at or question.kind != "model_size":
                self.problems.append(error.message)
            return
        earlier = self.heard.get(question.id)
        if (
            earlier is not None
            and earlier.value != reading.value
            and earlier.firm
            and question.kind != "model_size"
        ):
            self.problems.append(
                f"I read two {question.name}s ({earlier.words} and {item.number.words}); which is it?"
            )
            del self.heard[question.id]
            return
        words = item.number.words
        check = None
        measure = self.parts.amounts.measure(item.number, item.clause, self.line.answer_text)
        if question.kind == "count" and measure is not None:
            check = f"{measure}s may not be examples (is each {measure} one?)"
        if question.kind == "model_size" and self.at is not None and self.at.kind in ("count", "money"):
            check = (
                f"“{words}” looks like a model size ({format_params(item.number.value)} parameters), "
                f"not {'a budget' if self.at.kind == 'money' else 'a number of examples'}"
            )
        self.hear(Heard(question.id, reading.value, words, True, check))

    def _loose(self, loose: list[Placed]) -> None:
        """Numbers that say nothing of themselves: the question on screen, or the count a "yes" opens."""
        target = self.at
        if target is None or target.kind == "choice":
            target = self._opened_count()
        if target is None:
            if self.at is None:
                return
            self.problems.append(self._not_understood(loose[0]))
            return
        if target.kind == "model_size":
            loose = [item for item in loose if item.number.scale]
            if not loose:
                return
        if target.kind == "count" and loose[0].number.billions:
            self._number(self.parts.amounts.model_size, loose[0])
            return
        if len({item.number.value for item in loose}) > 1 and target.id not in self.heard:
            both = " and ".join(item.number.words for item in loose[:2])
            self.problems.append(f"I found more than one number ({both}); which is the {target.name}?")
            return
        if target.id not in self.heard:
            self._number(target, loose[0])

    def _not_understood(self, item: Placed) -> str:
        """A number not read, named, with what it may be: the model of a thing the word before it
        names ("RTX 4090": a GPU)."""
        text = self.line.answer_text
        words = item.number.words
        before = text[: item.number.start].split()[-1:]
        named = self.parts.choices.named_by(before[0]) if before else None
        if named is not None:
            _, label = named
            return f"I did not understand “{words}”: is that your {label}, an {before[0]} {words}?"
        return f"I did not understand “{words}”: what is it for?"

    def _opened_count(self) -> Question | None:
        """The count question this line's answers make asked ("yes, 2k" at the labels)."""
        values = {**self.known, **{h.field: h.value for h in self.heard.values()}}
        count = self.parts.amounts.count
        depends = {leaf.field for leaf in iter_leaves(count.ask_when)}
        if self.at_id in depends and asked(count, values):
            return count
        return None

    def _derive(self, total: int | None, fractions: dict[str, float]) -> int | None:
        """The counts from all the data: the labeled count, then the unlabeled one."""
        left = self._derive_labeled(total, fractions)
        if total is not None:
            self._derive_unlabeled(total)
        return left

    def _derive_unlabeled(self, total: int) -> None:
        """The examples without labels from all the data: all of it when none is labeled ("3,000
        x-rays, nobody tagged them"), the rest when some is ("2k of our 10k are labeled")."""
        question = self.kb.question.get(UNLABELED_EXAMPLES)
        if question is None or question.id in self.heard:
            return
        values = {**self.known, **{h.field: h.value for h in self.heard.values()}}
        if not asked(question, values):
            return
        scoped = next(
            (
                self.kb.question[leaf.field]
                for leaf in iter_leaves(question.ask_when)
                if leaf.field in self.kb.question
            ),
            None,
        )
        if scoped is None:
            return
        stance = next((c.stance for c in scoped.choices if c.value == values.get(scoped.id)), None)
        labeled = values.get(self.parts.amounts.count.id)
        if stance == "negated":
            unlabeled = total
        elif stance == "partial" and isinstance(labeled, int | float) and total > labeled:
            unlabeled = int(total - labeled)
        else:
            return
        self.hear(Heard(question.id, unlabeled, f"{unlabeled:,}", True))
        if unlabeled != total:
            self.notes[question.id] = f"{total:,} in all, less the labeled"

    def _derive_labeled(self, total: int | None, fractions: dict[str, float]) -> int | None:
        """The labeled count from all the data: "10k images, all labeled" is 10,000 labeled;
        "half of 10k" is 5,000; 2,000 labeled of 10,000 is some of it labeled."""
        count = self.parts.amounts.count
        depends = [
            self.kb.question[f] for f in dict.fromkeys(leaf.field for leaf in iter_leaves(count.ask_when))
        ]
        scoped = next((q for q in depends if q.subject), None)
        if scoped is None:
            return total
        stances = {choice.stance: choice.value for choice in scoped.choices if choice.stance}
        labels = self.heard.get(scoped.id)
        value = labels.value if labels else self.known.get(scoped.id)
        labeled = self.heard.get(count.id)
        if (
            labeled is not None
            and total is not None
            and labeled.value < total
            and value in (None, stances.get("affirmed"))
        ):
            self.hear(Heard(scoped.id, stances.get("partial"), labeled.words, True))
            self.derived.add(scoped.id)
            return None
        if labeled is not None or total is None:
            return total
        if value == stances.get("affirmed"):
            self.hear(Heard(count.id, total, f"{total:,}", True))
            self.notes[count.id] = f"all of the {total:,}"
            return None
        fraction = fractions.get(scoped.id, self.share)
        if value == stances.get("partial") and fraction is not None:
            share = round(total * fraction)
            self.hear(Heard(count.id, share, f"{share:,}", True))
            self.notes[count.id] = f"{fraction:.0%} of {total:,}"
            return None
        return total

    def _keep_given(self) -> None:
        """An answer already given changes only when the line clearly says so: it corrects
        ("actually …"), it names the answer's question ("make the budget 8k"), or its own counts
        imply it. Said at a count, what a clause says of the labels is said of the examples
        counted ("40k not labeled"), not of all the data: the labels given stay. Anything else
        that would change an answer is read back first."""
        if self.correcting:
            return
        text = self.line.answer_text
        for name, heard in list(self.heard.items()):
            if name == self.at_id or name not in self.known or name in self.derived:
                continue
            if self.known[name] == heard.value or self.known[name] is None:
                continue  # the same answer, or one skipped and now given
            question = self.kb.question[name]
            if self.at is not None and self.at.kind == "count" and question is self.parts.amounts.labels:
                del self.heard[name]
            elif heard.check is None and not self._names(question, heard, text):
                before = self.known[name]
                label = next((c.label for c in question.choices if c.value == before), None)
                was = f"“{label}”" if label else format_value(before, question.kind)
                self.heard[name] = Heard(
                    name,
                    heard.value,
                    heard.words,
                    heard.firm,
                    f"you told me {was} for the {question.name} before",
                )

    def _names(self, question: Question, heard: Heard, text: str) -> bool:
        """Whether the line names ``question`` beside the words its answer was read from: "make
        the budget 8k" names the budget; in "the labels are on a laptop", the laptop is all that
        speaks of the hardware."""
        rest = text.replace(heard.words, " ") if heard.words and heard.words in text else text
        return self.parts.reader.mentions(question, rest)

    def _checks(self) -> None:
        """Readings to confirm: numbers outside what is plausible, a zero count, a line ending in "?"."""
        for heard in list(self.heard.values()):
            question = self.kb.question[heard.field]
            check = heard.check
            if check is None and question.plausible is not None and isinstance(heard.value, int | float):
                low, high = question.plausible
                if question.kind == "count" and heard.value == 0:
                    self._none_labeled(heard)
                    continue
                if 0 < heard.value < low:
                    check = "that is very little" if question.kind == "money" else "that is very few"
                elif heard.value > high:
                    check = "that is far more than I would expect"
            if check is None and self.line.tentative:
                check = "you wrote it as a question"
            if check is not None:
                self.heard[heard.field] = Heard(heard.field, heard.value, heard.words, heard.firm, check)

    def _none_labeled(self, heard: Heard) -> None:
        """No labeled examples: the question it depends on says so ("none" at the count)."""
        count = self.kb.question[heard.field]
        del self.heard[heard.field]
        for name in dict.fromkeys(leaf.field for leaf in iter_leaves(count.ask_when)):
            question = self.kb.question[name]
            negated = next((c.value for c in question.choices if c.stance == "negated"), None)
            if negated is not None:
                self.heard[name] = Heard(
                    name, negated, heard.words, True, f"no {count.name} means {_statement(question, negated)}"
                )


def _clause_of(clauses: tuple[Clause, ...], start: int) -> Clause | None:
    """The clause (in order, none overlapping) that holds ``start``: found by halving."""
    at = bisect.bisect_right([clause.start for clause in clauses], start) - 1
    return clauses[at] if at >= 0 and start < clauses[at].end else None


_OF_THEM = re.compile(r"\s+of\s+(?:them|those|these|which|it)\b", re.IGNORECASE)
"""After a number, a part of the data said before ("400 of them")."""


def _plain(number: Number) -> str:
    """A number as the readers take it: its value, written plainly."""
    return f"{number.value:.15g}" if number.value == int(number.value) else repr(number.value)


def _statement(question: Question, value: Any) -> str:
    choice = next((c for c in question.choices if c.value == value), None)
    if choice is not None and choice.statement:
        return choice.statement
    return f"{question.name}: {value}"
