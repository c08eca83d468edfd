"""The state of a chat and its sequence: the answers, which question is next, the report.

:class:`Session` holds what a conversation knows and moves it on: ask the
next unanswered question, or recommend once every question is answered;
save the answers after each one; resume a saved chat; start over (with undo);
go back; compare a changed answer's report with the one before. Reading what
a person typed is :class:`~advisor.chat.conversation.Conversation`'s part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from advisor.answers import Normalized, Override, asked, to_file
from advisor.chat import intents
from advisor.chat.lookup import Lookup, looks_like_question
from advisor.chat.replies import (
    Asked,
    Compared,
    Explained,
    Exported,
    Goodbye,
    Recommended,
    Reply,
    Said,
    Unclear,
)
from advisor.chat.store import SessionStore, restore
from advisor.chat.wording import change_words, what_moved
from advisor.errors import AnswersError
from advisor.formatting import format_amount, format_value, usd_range
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.models import Question
from advisor.reading import Reader
from advisor.records import dataclass

if TYPE_CHECKING:
    from advisor.engine import Engine
    from advisor.report import Report

__all__ = ["Session", "Snapshot"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The answers before a restart, for undo."""

    values: dict[str, Any]
    said: dict[str, str]
    assumptions: dict[str, Override]
    recent: list[str] = field(default_factory=list)


class Session:
    """What a chat knows, and which question comes next."""

    def __init__(
        self, kb: KnowledgeBase, engine: Engine | None = None, store: SessionStore | None = None
    ) -> None:
        self.kb = kb
        self._engine = engine
        self.reader = Reader(kb)
        self.store = store
        self.values: dict[str, Any] = {}
        """Canonical answers given so far (a skipped optional question holds ``None``)."""
        self.said: dict[str, str] = {}
        """What the person typed or chose for each answer, as they wrote it."""
        self.assumptions: dict[str, Override] = {}
        """Cost assumptions the person set ("we'll do it in-house"), by id."""
        self.recent: list[str] = []
        """The answers in the order they were last given: what "make that 10k" corrects."""
        self.total: int | None = None
        """All the data the person mentioned ("we have 2k images"), before saying how much is labeled."""
        self.current: Question | None = None
        self.report: Report | None = None
        self.pending: dict[str, Any] | None = None
        """A what-if's answers, until the person keeps them."""
        self.offering_resume: dict[str, Any] | None = None
        self.restarted: Snapshot | None = None
        """The answers before the last restart, until undo or a new answer."""
        self.changes: list[str] = []
        """Answers changed since the last report, to say with the next one what moved."""
        self.save_problem: str | None = None
        """Why the answers could not be saved, as last told to the person."""

    @cached_property
    def lookup(self) -> Lookup:
        """The FAQ and the glossary, indexed when first asked."""
        return Lookup(self.kb)

    @property
    def engine(self) -> Engine:
        """The decision's engine, made when first needed: the first question is asked (and
        shown) before the engine and the report are even imported."""
        if self._engine is None:
            from advisor.engine import Engine

            self._engine = Engine(self.kb)
        return self._engine

    # --- the sequence ---------------------------------------------------------

    @property
    def questions(self) -> list[Question]:
        """The questions that apply given the answers so far: those the chat asks in turn, and any
        other the person answered in passing ("with LoRA")."""
        return [q for q in self.kb.questions if (q.guided or q.id in self.values) and asked(q, self.values)]

    @property
    def done(self) -> bool:
        return self.current is None and self.report is not None

    def answered(self) -> list[tuple[Question, str]]:
        """The answers so far, in question order, as the person gave them."""
        return [
            (q, self.said.get(q.id) or self.shown(q, self.values[q.id]))
            for q in self.questions
            if q.id in self.values
        ]

    def shown(self, question: Question, value: Any) -> str:
        """An answer in words: the choice's label, ``$10,000``, ``skipped``."""
        if value is None:
            return "skipped"
        label = next((c.label for c in question.choices if c.value == value), None)
        return label or format_value(value, question.kind)

    def _next_unanswered(self) -> Question | None:
        return next((q for q in self.questions if q.id not in self.values), None)

    def _expected(self) -> list[Question]:
        """The questions that apply, counting one that may yet apply once an earlier
        answer is in (the example count before the labels are known), so that
        "1 of 6" does not become "3 of 6" after "1 of 5"."""
        return [
            q
            for q in self.kb.questions
            if (q.guided or q.id in self.values)
            and (
                asked(q, self.values)
                or any(leaf.field not in self.values for leaf in iter_leaves(q.ask_when))
            )
        ]

    def _ask(self, question: Question) -> Asked:
        self.current = question
        expected = self._expected()
        number = expected.index(question) + 1
        previous = self.said.get(question.id) if question.id in self.values else None
        return Asked(question, number, len(expected), previous)

    def _asking(self) -> list[Reply]:
        """The current question again, if there is one."""
        return [self._ask(self.current)] if self.current else []

    def _advance(self) -> list[Reply]:
        """Ask the next unanswered question, or recommend when all are answered."""
        self._forget_hidden()
        question = self._next_unanswered()
        saving = self._save()
        if question is not None:
            return [*saving, self._ask(question)]
        self.current = None
        return [*saving, *self.recommend()]

    def _forget_hidden(self) -> None:
        """Drop answers to questions that no longer apply (a count for data now unlabeled)."""
        visible = {q.id for q in self.questions}
        for name in list(self.values):
            if name not in visible:
                del self.values[name]
                self.said.pop(name, None)
                if name in self.recent:
                    self.recent.remove(name)

    def apply(
        self,
        values: Mapping[str, Any],
        said: Mapping[str, str],
        assumptions: Mapping[str, Override] | None = None,
    ) -> list[Reply]:
        """Record answers (and assumptions) and go on; after a recommendation, show what moved."""
        before = self.report
        assumptions = dict(assumptions or {})
        changed = [f for f, v in values.items() if f in self.values and self.values[f] != v]
        if before is not None:
            self.changes += [change_words(self.kb.question[f], self.values[f], values[f]) for f in changed]
            for name, value in assumptions.items():
                if self.assumptions.get(name) != value:
                    amount = format_amount(*value) if isinstance(value, tuple) else f"{value:g}"
                    self.changes.append(f"{name} = {amount} {self.kb.assumption[name].unit}")
        self.values.update(values)
        self.said.update({f: text for f, text in said.items() if text})
        self.assumptions.update(assumptions)
        for name in values:
            if name in self.recent:
                self.recent.remove(name)
            self.recent.append(name)
        self._fill_from_total()
        replies = self._advance()
        after = self.report
        if before is not None and after is not None and self.changes and after is not before and self.done:
            changes, self.changes = tuple(self.changes), []
            return [what_moved(before, after, kept=True, changes=changes)]
        return replies

    def _fill_from_total(self) -> None:
        """ "We have 2k images" then "all labeled": the count is the data mentioned before."""
        if self.total is None:
            return
        for question in self.questions:
            if question.kind == "count" and question.id not in self.values:
                depends = [self.kb.question[leaf.field] for leaf in iter_leaves(question.ask_when)]
                affirmed = {c.value for q in depends for c in q.choices if c.stance == "affirmed"}
                if any(self.values.get(q.id) in affirmed for q in depends):
                    self.values[question.id] = self.total
                    self.said[question.id] = f"{self.total:,} (all of the data you mentioned)"

    # --- starting over, going back ------------------------------------------------------

    def start(self, *, resume: bool = True) -> list[Reply]:
        """The greeting, then the first question, or an offer to resume a saved chat."""
        greeting = Said(
            "Hi! I'll help you choose how to fine-tune a model, estimate what it will cost, "
            "and show you the sources. A few quick questions: pick an option or answer in "
            "your own words, several at once if you like (“5k labelled tickets, BERT, $3k”). "
            'Type help to have a question explained, back to go back, or ask me anything, like "what '
            'is transfer learning?".'
        )
        restored = self._restored() if resume else None
        replies: list[Reply] = [greeting]
        if self.store is not None and self.store.open_elsewhere:
            replies.append(
                Said(
                    "Another advisor chat is open, in another window or terminal: this one keeps "
                    "its answers apart from it, so that neither overwrites the other."
                )
            )
        if restored:
            self.offering_resume = restored
            count = _given(restored)
            return [
                *replies,
                Said(
                    f"Welcome back: you had answered {count} question{'s' if count != 1 else ''} "
                    "last time. Resume where you left off, or start over?"
                ),
            ]
        return [*replies, *self._advance()]

    def _restored(self) -> dict[str, Any] | None:
        """The saved chat to offer, checked again; one that cannot be used is set aside."""
        saved = self.store.load() if self.store is not None else None
        if not saved:
            return None
        try:
            return restore(saved, self.kb, self.reader)
        except Exception:  # data of a shape no check foresaw: set aside, never fatal
            if self.store is not None:
                self.store.set_aside()
            return None

    def resume(self) -> list[Reply]:
        """Take up the saved answers."""
        restored, self.offering_resume = self.offering_resume, None
        if restored is None:
            return self._advance()
        self.values = dict(restored["values"])
        self.said = dict(restored["said"])
        self.assumptions = dict(restored["assumptions"])
        self.recent = list(restored["recent"])
        self.total = restored["total"]
        dropped = [
            Said(f"I left out a cost you had set, which I no longer accept: {why}")
            for why in restored.get("dropped", ())
        ]
        return [Said("Here is where we were."), *dropped, *self._advance()]

    def restart(self) -> list[Reply]:
        """Forget every answer and ask again from the first question; undo brings them back."""
        had = bool(self.values or self.assumptions)
        if had:
            self.restarted = Snapshot(
                dict(self.values), dict(self.said), dict(self.assumptions), list(self.recent)
            )
        self.values.clear()
        self.said.clear()
        self.assumptions.clear()
        self.recent.clear()
        self.total = None
        self.report = None
        self.pending = None
        self.changes = []
        self.offering_resume = None
        if self.store is not None:
            self.store.clear()
        note = " Type undo to get your answers back." if had else ""
        return [Said(f"Starting over.{note}"), *self._advance()]

    def undo(self) -> list[Reply]:
        """Bring back the answers of before the last restart."""
        snapshot, self.restarted = self.restarted, None
        if snapshot is None:
            return [Said("There is nothing to undo."), *self._asking()]
        self.values = dict(snapshot.values)
        self.said = dict(snapshot.said)
        self.assumptions = dict(snapshot.assumptions)
        self.recent = list(snapshot.recent)
        return [Said("Your answers are back."), *self._advance()]

    def edit(self, field: str) -> list[Reply]:
        """Ask an earlier question again (the person clicked its answer)."""
        question = self.kb.question.get(field)
        if question is None or question not in self.questions:
            return [Said("That question does not apply any more.")]
        self.pending = None
        return [self._ask(question)]

    def back(self) -> list[Reply]:
        """Go to the question before the current one (or the last one, after the recommendation)."""
        visible = self.questions
        if self.current is None:
            if not visible:
                return self._advance()
            return [self._ask(visible[-1])]
        index = visible.index(self.current)
        if index == 0:
            return [Said("This is the first question."), self._ask(self.current)]
        return [self._ask(visible[index - 1])]

    def help(self) -> list[Reply]:
        """Explain the current question (or what can be done after the recommendation)."""
        question = self.current
        if question is None:
            return [
                Explained(
                    "What you can do now",
                    "Ask why? or why not supervised? to see how I decided; ask what if my budget "
                    "were $50k? or what about a bigger model? to compare; what would supervised "
                    "cost?; correct an answer in words (“actually, only half are labeled”) or click "
                    "it on the left; type export to save the report and your answers; restart to "
                    "start over; quit to leave.",
                    (),
                )
            ]
        return [Explained(question.prompt, question.help, question.claims), self._ask(question)]

    def _answer_resume_offer(self, text: str) -> list[Reply]:
        """While offering to resume, only "resume" or "start over" (typos allowed) move on;
        a question is answered, anything else gets the offer again."""
        choice = intents.RESUME_OFFER.match(text, cutoff=80, margin=0) if text else None
        if choice is not None and choice.thing == "resume":
            return self.resume()
        if choice is not None and choice.thing == "restart":
            return self.restart()
        offer = Unclear(
            "Shall I pick up where we left off? Type resume, or start over.", ("resume", "start over")
        )
        command = intents.command(text) if text else None
        if command == "quit":  # the saved answers stay as they were, for next time
            return [self.goodbye()]
        if command == "help":
            return [
                Explained(
                    "Resume or start over",
                    "You answered some questions in an earlier chat. Resume takes them up where you "
                    "left off; start over asks every question again (undo brings the answers back). "
                    "Quit leaves them saved as they are.",
                    (),
                ),
                offer,
            ]
        if looks_like_question(text):
            found = self.lookup.answer(text)
            if found is not None:
                return [Explained(found.title, found.text, found.claims), offer]
        return [offer]

    # --- the recommendation ---------------------------------------------------------

    def normalized(self, values: Mapping[str, Any]) -> Normalized:
        raise NotImplementedError

    def recommend(self) -> list[Reply]:
        """The recommendation for the answers so far; a missing answer is asked, never a crash."""
        try:
            normalized = self.normalized(self.values)
        except AnswersError as error:
            question = self._next_unanswered() or (self.questions[0] if self.questions else None)
            note = Said(f"I still need something before I can recommend: {error.problems[0].message}.")
            return [note, self._ask(question)] if question is not None else [note]
        from advisor.report import build_report

        self.report = build_report(self.kb, self.engine, normalized)
        self.pending = None
        return [Recommended(self.report)]

    def compare(
        self, before: Report, after: Report, *, kept: bool, changes: tuple[str, ...] = ()
    ) -> Compared:
        return what_moved(before, after, kept=kept, changes=changes)

    # --- export and saving ----------------------------------------------------------------

    def export(self) -> list[Reply]:
        """The report as Markdown and the answers as a file ``advisor recommend`` reproduces it from."""
        if self.report is None or self.current is not None:
            return [Said("There is nothing to export yet: the recommendation comes after the questions.")]
        import yaml  # written only on export: the chat starts without the YAML library

        from advisor.outline import outline_of

        answers = to_file(self.report.normalized.answers, self.kb)
        return [
            Exported(
                outline_of(self.report),
                "# Answers from the advisor chat: `advisor recommend` on this file reproduces the report.\n"
                + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True),
            )
        ]

    def _save(self) -> list[Reply]:
        """Save the answers (after every one: a chat killed at any point loses none); say at once
        when they could not be saved, and when they can be again."""
        if self.store is None or not (self.values or self.assumptions or self.total is not None):
            return []
        self.store.save(
            {
                "knowledge_version": self.kb.version,
                "values": self.values,
                "said": self.said,
                "assumptions": self.assumptions,  # numbers: the chat sets no ranges
                "recent": self.recent,
                "total": self.total,
                "current": self.current.id if self.current else None,
            }
        )
        problem, self.save_problem = self.save_problem, self.store.error
        if self.store.error is not None and problem is None:
            return [
                Said(
                    f"Note: I {self.store.error}. Until I can, they last only as long as this chat: "
                    "export keeps them in a file once you have the recommendation."
                )
            ]
        if self.store.error is None and problem is not None:
            return [Said("Your answers are saved again.")]
        return []

    @property
    def answers_kept(self) -> bool:
        """Whether there are answers and they are saved for a next chat: never said otherwise
        (in a browser nothing is saved; before the first answer there is nothing to save)."""
        if self.store is None or self.store.error is not None:
            return False
        return bool(self.values or self.assumptions or self.total is not None or self.offering_resume)

    def goodbye(self) -> Goodbye:
        """Bye, and whether the answers will be there next time."""
        if self.store is not None and self.store.error is not None:
            return Goodbye(f"Bye! I {self.store.error}, so they will not be there next time.")
        return Goodbye() if self.answers_kept else Goodbye("Bye!")

    def summary_line(self) -> str:
        """One line for the footer: how far along the questions are."""
        if self.offering_resume is not None:
            count = _given(self.offering_resume)
            return f"{count} saved answer{'s' if count != 1 else ''}: resume, or start over"
        unsaved = f" · Not saved: {self.store.reason}" if self.store is not None and self.store.reason else ""
        if self.report is not None and self.current is None:
            cost = self.report.cost
            return f"Recommendation: {self.report.name} · {usd_range(cost.low, cost.high)}{unsaved}"
        expected = self._expected()
        if self.current is not None and self.current in expected:
            number = expected.index(self.current) + 1
        else:
            number = min(sum(1 for q in expected if q.id in self.values) + 1, len(expected))
        return f"Question {number} of {len(expected)}{unsaved}"


def _given(restored: Mapping[str, Any]) -> int:
    """How many answers a saved chat holds: its answers, the costs set, all the data mentioned."""
    return len(restored["values"]) + len(restored["assumptions"]) + (restored["total"] is not None)
