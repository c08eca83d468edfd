"""One line read step by step: the choices, the numbers placed, the assumptions, what to confirm.

:class:`LineReading` reads one line for :class:`~advisor.understanding.Understander`, with
the state of :mod:`.hearing`; what the counts imply is :mod:`.counts`, people and their rates
:mod:`.people`.
"""

from __future__ import annotations

import bisect
import re

from advisor.answers import asked, override
from advisor.bounds import NumberError
from advisor.formatting import format_params, format_value
from advisor.kb.base import iter_leaves
from advisor.kb.fields import TEAM, TEAM_SIZE
from advisor.kb.models import Question
from advisor.numbers import Number, numbers_in
from advisor.reading import NOTHING, Unreadable
from advisor.scope import hedged, unsure
from advisor.tasks import Clarify
from advisor.text import clean
from advisor.understanding.amounts import Placed, is_time, names_a_model
from advisor.understanding.assumptions import Assumed
from advisor.understanding.choices import ChoiceReading
from advisor.understanding.clauses import MOST_CLAUSES, Clause
from advisor.understanding.counts import derive, none_labeled, rest_is_raw, some_of_each
from advisor.understanding.hearing import Hearing
from advisor.understanding.people import hear_people, rates_said
from advisor.understanding.relative import relative_changes
from advisor.understanding.results import Heard, Understanding

__all__ = ["LineReading"]

_LEAST_UNKNOWN_WORDS = 4
"""A line in which no word names an output, data or domain is a task when it has this many words
("an app for my bakery customers": then asked what it should produce); "something else" is not."""


class LineReading(Hearing):
    """One line being read, step by step (:meth:`~advisor.understanding.Understander.understand`)."""

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
        for item in placed:  # "RTX 4090": never an amount; said back, with what it may be
            if item.role == "aside" and names_a_model(item.number, text):
                self.problems.append(self._not_understood(item))
        if self.at is not None and self.at.kind == "count":  # "40 hours of recordings": asked about
            placed = [
                Placed(p.number, "loose", p.clause)
                if p.role == "aside" and is_time(p.number, p.clause, text)
                else p
                for p in placed
            ]
        for item in [item for item in placed if item.number.indian and self._is_money(item)]:
            self.problems.append(
                f"I can't convert rupees ({item.number.words}) to US dollars; "
                "please give that amount in US dollars"
            )
            placed.remove(item)
        total = self._numbers(placed, fractions)
        hear_people(self, [item for item in aside if item.role == "people"])
        rates = rates_said(self, [item for item in aside if item.role == "rate"])
        if any(item.role == "money" or self._is_money(item) for item in placed) or rates:
            assumed += converted.rates  # the exchange rate a dollar figure came from
        assumed += rates
        clarify = self._task()  # after the numbers: a line of amounts alone is no task
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
            clarify=clarify if clarify is not None and clarify.field not in self.heard else None,
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

    def _task(self) -> Clarify | None:
        """At the task question, the line as a description of the task: what the model produces,
        from what data, in which domain (:func:`~advisor.tasks.read_task`). The line
        is the task unless it only answers other questions ("5k labelled, $3k")."""
        at = self.at
        if at is None or at.kind != "task":
            return None
        text = self.line.answer_text
        try:
            reading = self.parts.reader.task(at, text, known=self.known)
        except Unreadable:
            return None
        prose = sum(c.isalpha() or c.isspace() or c in ",.'-" for c in text) >= 0.9 * len(text)
        unknown = self.heard or self.correcting or len(text.split()) < _LEAST_UNKNOWN_WORDS or not prose
        if not reading.also and unknown:
            return None  # "5k labelled, $3k" answers other questions; "something else" says nothing
        self.hear(Heard(at.id, reading.value, text.strip()))
        self._not_a_verb()
        clarify = reading.clarify
        if clarify is not None and clarify.field == "data" and (model := self._named_data()) is not None:
            self.hear(Heard("data", model[1], model[0]))  # "fine-tune Whisper on our calls": audio
            return None
        if reading.clarify is not None:
            # Left open by the description: asked, not guessed from an answer's alias ("chatbot").
            self.heard.pop(reading.clarify.field, None)
        words = reading.words
        for name, value in reading.also.items():
            if name in self.kb.question:
                self.hear(Heard(name, value, words.get(name, text.strip())))
        return reading.clarify

    def _not_a_verb(self) -> None:
        """ "grade student essays", "tag tickets by topic": at the task, a word of the labels that
        starts the line says what the model should do, not that the data is labeled."""
        first = clean(self.line.answer_text).split()[:1]
        if not first or first[0].endswith(("ed", "ing")):
            return  # "labelled pics": a participle says the data is labeled
        for name, heard in list(self.heard.items()):
            question = self.kb.question.get(name)
            words = clean(heard.words).split()[:1]
            # The verb of a labels word: "grade" (graded), "tag" (tagged), "label" (labeled).
            verb = question is not None and words == first
            if verb and question is not None and any(w.startswith(first[0]) for w in question.subject):
                del self.heard[name]

    def _named_data(self) -> tuple[str, str] | None:
        """The model the line names and the kind of data it works from, if it names one that says."""
        for question in self.kb.questions:
            name = self.notes.get(question.id)
            model = next((m for m in question.models if m.name == name), None) if name else None
            if model is not None and model.data is not None:
                return model.name, model.data
        return None

    def _choice(self, question: Question, reading: ChoiceReading) -> None:
        self.hear(Heard(question.id, reading.value, reading.words, reading.firm))

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
        if not labeled and totals and amounts.labels is not None and rest_is_raw(self):
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
        loose = by_role.get("loose", [])
        if (
            not labeled
            and not totals
            and len(loose) == 1
            and amounts.labels is not None
            and fractions.get(amounts.labels.id) is not None
        ):
            # "5,000 of them, about half tagged": the number is all the data, the share is labeled
            totals, loose = loose, []
        total = int(max(item.number.value for item in totals)) if totals else None
        if total is None and labeled and amounts.raw is not None:
            # "our nurses tagged 300 of them": of the examples without labels said before
            said_before = self.known.get(amounts.raw.id)
            of_them = _OF_THEM.match(self.line.answer_text, labeled[0].number.end)
            if of_them and isinstance(said_before, int | float) and said_before > labeled[0].number.value:
                total = int(said_before)
        if loose:
            self._loose(loose)
        some_of_each(self)
        return derive(self, total, fractions)

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
        if question.id in self.conflicting:
            return  # two different ones were said already: asked about, and no third taken
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
            self.conflicting.add(question.id)
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
            what = f"number of {target.name}" if target.kind == "count" else target.name
            self.problems.append(f"I found more than one number ({both}); which is the {what}?")
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
        # The labeled count first ("yes, 2k"), else any other count it opens ("none, about 30k").
        counts = [self.parts.amounts.count, *(q for q in self.kb.questions if q.kind == "count")]
        for count in counts:
            depends = {leaf.field for leaf in iter_leaves(count.ask_when)}
            if self.at_id in depends and asked(count, values):
                return count
        return None

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
                    none_labeled(self, heard)
                    continue
                if 0 < heard.value < low:
                    check = "that is very little" if question.kind == "money" else "that is very few"
                elif heard.value > high:
                    check = "that is far more than I would expect"
            if check is None and self.line.tentative:
                check = "you wrote it as a question"
            if check is not None:
                self.heard[heard.field] = Heard(heard.field, heard.value, heard.words, heard.firm, check)


def _clause_of(clauses: tuple[Clause, ...], start: int) -> Clause | None:
    """The clause (in order, none overlapping) that holds ``start``: found by halving."""
    at = bisect.bisect_right([clause.start for clause in clauses], start) - 1
    return clauses[at] if at >= 0 and start < clauses[at].end else None


_OF_THEM = re.compile(r"\s+of\s+(?:them|those|these|which|it)\b", re.IGNORECASE)
"""After a number, a part of the data said before ("400 of them")."""


def _plain(number: Number) -> str:
    """A number as the readers take it: its value, written plainly."""
    return f"{number.value:.15g}" if number.value == int(number.value) else repr(number.value)
