"""The chat as a plain state machine: which question is next, what a typed line means.

A view (the Textual chat, ``advisor ask``) passes on what the person typed or
clicked and shows the :data:`~advisor.chat.replies.Reply` items that come
back. Answers go through the same :class:`~advisor.reading.Reader` and the
same :func:`~advisor.answers.normalize` as answers files, so the chat and
``advisor recommend`` always agree.

A typed line is, in this order: a command (help, back, restart, why, skip,
export, keep), a "what if ..." or a change of an earlier answer, a question
for the FAQ or the glossary, or else an answer to the current question
(:mod:`advisor.chat.intents`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml

from advisor.answers import Normalized, asked, normalize, to_file
from advisor.chat import intents
from advisor.chat.lookup import Found, Lookup, looks_like_question
from advisor.chat.replies import (
    Asked,
    Compared,
    Explained,
    Exported,
    Recommended,
    Reply,
    Said,
    Traced,
    Unclear,
)
from advisor.chat.store import SessionStore
from advisor.chat.trace import trace_lines
from advisor.engine import Engine
from advisor.errors import AnswersError
from advisor.formatting import format_value, usd_range
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.models import Question
from advisor.reading import Reader, Unreadable
from advisor.render import to_markdown
from advisor.report import Report, build_report

__all__ = ["Conversation"]

MAX_LINE = 500
"""Longest line read as an answer; a longer one is asked again in a sentence or two."""


class Conversation:
    """One chat: the answers so far, the current question, the latest report."""

    def __init__(
        self,
        kb: KnowledgeBase,
        engine: Engine | None = None,
        store: SessionStore | None = None,
    ) -> None:
        self.kb = kb
        self.engine = engine or Engine(kb)
        self.reader = Reader(kb)
        self.lookup = Lookup(kb)
        self.store = store
        self.values: dict[str, Any] = {}
        """Canonical answers given so far (a skipped optional question holds ``None``)."""
        self.said: dict[str, str] = {}
        """What the person typed or chose for each answer, as they wrote it."""
        self.current: Question | None = None
        self.report: Report | None = None
        self.pending: dict[str, Any] | None = None
        """A what-if's answers, until the person keeps them."""
        self.offering_resume: dict[str, Any] | None = None
        self._commands: dict[str, Callable[[], list[Reply]]] = {
            "help": self.help,
            "back": self.back,
            "restart": self.restart,
            "why": self.why,
            "export": self.export,
        }

    # --- the sequence ---------------------------------------------------------

    @property
    def questions(self) -> list[Question]:
        """The questions that apply given the answers so far."""
        return [q for q in self.kb.questions if asked(q, self.values)]

    @property
    def done(self) -> bool:
        return self.current is None and self.report is not None

    def answered(self) -> list[tuple[Question, str]]:
        """The answers so far, in question order, as the person gave them."""
        return [
            (q, self.said.get(q.id, self.shown(q, self.values[q.id])))
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
            if asked(q, self.values) or any(leaf.field not in self.values for leaf in iter_leaves(q.ask_when))
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
        self._save()
        if question is not None:
            return [self._ask(question)]
        self.current = None
        return self._recommend()

    def _forget_hidden(self) -> None:
        """Drop answers to questions that no longer apply (a count for data now unlabeled)."""
        visible = {q.id for q in self.questions}
        for field in list(self.values):
            if field not in visible:
                del self.values[field]
                self.said.pop(field, None)

    # --- starting -------------------------------------------------------------------

    def start(self, *, resume: bool = True) -> list[Reply]:
        """The greeting, then the first question, or an offer to resume a saved chat."""
        greeting = Said(
            "Hi! I'll help you choose how to fine-tune a model, estimate what it will cost, "
            "and show you the sources. A few quick questions: answer with the buttons or in "
            "your own words. Type help to have a question explained, back to go back, or ask "
            'me anything, like "what is transfer learning?".'
        )
        saved = self.store.load() if (resume and self.store is not None) else None
        restored = self._restore(saved) if saved else None
        if restored:
            self.offering_resume = restored
            count = len(restored["values"])
            return [
                greeting,
                Said(
                    f"Welcome back: you had answered {count} question{'s' if count != 1 else ''} "
                    "last time. Resume where you left off, or start over?"
                ),
            ]
        return [greeting, *self._advance()]

    def _restore(self, saved: Mapping[str, Any]) -> dict[str, Any] | None:
        """Saved answers, checked again; ``None`` if nothing usable was saved."""
        values = saved.get("values")
        said = saved.get("said")
        if not isinstance(values, dict) or not values or not isinstance(said, dict):
            return None
        checked: dict[str, Any] = {}
        for question in self.kb.questions:
            if question.id not in values:
                continue
            value = values[question.id]
            if value is None and question.optional:
                checked[question.id] = None
                continue
            try:
                checked[question.id] = self.reader.read(question, value, strict=True).value
            except Unreadable:
                continue
        if not checked:
            return None
        return {
            "values": checked,
            "said": {k: str(v)[:200] for k, v in said.items() if k in checked},
        }

    def resume(self) -> list[Reply]:
        """Take up the saved answers."""
        restored, self.offering_resume = self.offering_resume, None
        if restored is None:
            return self._advance()
        self.values = dict(restored["values"])
        self.said = dict(restored["said"])
        return [Said("Here is where we were."), *self._advance()]

    def restart(self) -> list[Reply]:
        """Forget every answer and ask again from the first question."""
        self.values.clear()
        self.said.clear()
        self.report = None
        self.pending = None
        self.offering_resume = None
        if self.store is not None:
            self.store.clear()
        return [Said("Starting over."), *self._advance()]

    # --- answering --------------------------------------------------------------------

    def choose(self, value: Any, label: str | None = None) -> list[Reply]:
        """A quick reply: the canonical value of a choice of the current question."""
        if self.current is None:
            return [Said("There is no open question; type restart to start over.")]
        question = self.current
        return self._set_many({question.id: value}, {question.id: label or self.shown(question, value)})

    def _set_many(self, values: Mapping[str, Any], said: Mapping[str, str]) -> list[Reply]:
        """Record answers; after a recommendation, show what the change moved."""
        before = self.report
        changed = [f for f, v in values.items() if f in self.values and self.values[f] != v]
        self.values.update(values)
        self.said.update(said)
        replies = self._advance()
        if before is not None and changed and self.report is not None and self.current is None:
            notes = tuple(
                f"{self.kb.question[f].name}: {self.shown(self.kb.question[f], values[f])}" for f in changed
            )
            return [self._compare(before, self.report, kept=True, changes=notes)]
        return replies

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

    def skip(self) -> list[Reply]:
        question = self.current
        if question is None:
            return [Said("There is no open question to skip.")]
        if not question.optional:
            return [
                Said(
                    f"I need an answer about the {question.name} to give you a recommendation; "
                    "type help if the question is unclear."
                ),
                self._ask(question),
            ]
        return self._set_many({question.id: question.default}, {question.id: "skipped"})

    def help(self) -> list[Reply]:
        """Explain the current question (or what can be done after the recommendation)."""
        question = self.current
        if question is None:
            return [
                Explained(
                    "What you can do now",
                    "Ask why? to see how I decided; ask what if my budget were $50k? (or any other "
                    "answer) to compare; click an answer on the left or type back to change it; type "
                    "export to save the report and your answers; restart to start over.",
                    (),
                )
            ]
        return [Explained(question.prompt, question.help, question.claims), self._ask(question)]

    def handle(self, text: str) -> list[Reply]:
        """Whatever the person typed."""
        text = text.strip()
        if not text:
            return self._asking()
        if len(text) > MAX_LINE:
            return [Said("That is a long message; please answer in a sentence or two.")]
        if self.offering_resume is not None:
            return self._answer_resume_offer(text)
        command = intents.command(text)
        if command in self._commands:
            return self._commands[command]()
        if command == "keep" and self.pending is not None:
            return self.keep()
        if command == "skip" and self.current is not None and self.current.optional:
            return self.skip()
        if intents.is_what_if(text):
            return self._what_if_text(text)
        if intents.is_change(text):
            return self._change_text(text)
        if looks_like_question(text):
            found = self.lookup.answer(text)
            if found is not None:
                return self._explain(found)
            if text.casefold().startswith("why") and self.report is not None:
                return self.why()
        if self.current is None:
            return self._change_text(text, quiet_if_unknown=True)
        return self._answer(self.current, text)

    def _answer_resume_offer(self, text: str) -> list[Reply]:
        """While offering to resume, only "resume" or "start over" (typos allowed) move on;
        a question is answered, anything else gets the offer again."""
        choice = intents.RESUME_OFFER.match(text, cutoff=80, margin=0)
        if choice is not None and choice.thing == "resume":
            return self.resume()
        if choice is not None and choice.thing == "restart":
            return self.restart()
        offer = Unclear(
            "Shall I pick up where we left off? Type resume, or start over.", ("resume", "start over")
        )
        if looks_like_question(text):
            found = self.lookup.answer(text)
            if found is not None:
                return [Explained(found.title, found.text, found.claims), offer]
        return [offer]

    def _answer(self, question: Question, text: str) -> list[Reply]:
        try:
            reading = self.reader.read(question, text)
        except Unreadable as error:
            found = self.lookup.answer(text) if len(text.split()) > 2 else None
            if found is not None and found.score >= 90:
                return self._explain(found)
            return [self._unclear(question, error), self._ask(question)]
        values = {question.id: reading.value}
        said = {question.id: text}
        also = self._also_answered(question, text, reading.value)
        values.update(also)
        said.update(dict.fromkeys(also, text))
        replies: list[Reply] = []
        if reading.note or also:
            shown = self.shown(question, reading.value)
            if question.choices:
                shown = f"“{shown}”"
            extra = "".join(
                f", with {self.shown(self.kb.question[f], v)} {self.kb.question[f].name}"
                for f, v in also.items()
            )
            replies.append(Said(f"I read that as {shown}{extra}."))
        replies.extend(self._set_many(values, said))
        return replies

    def _also_answered(self, question: Question, text: str, value: Any) -> dict[str, Any]:
        """ "We have about 2k labelled images" answers the count too: the later questions
        that become asked by this answer and that the same line answers."""
        also: dict[str, Any] = {}
        before = {**self.values, question.id: value}
        for later in self.kb.questions:
            if later.kind != "count" or later.id in self.values or not asked(later, before):
                continue
            if question.id not in {leaf.field for leaf in iter_leaves(later.ask_when)}:
                continue
            try:
                also[later.id] = self.reader.read(later, text).value
            except Unreadable:
                continue
        return also

    def _unclear(self, question: Question, error: Unreadable) -> Unclear:
        if question.kind in ("choice", "model_size"):
            labels = {c.value: c.label for c in question.choices}
            options = [labels.get(s, s) for s in error.suggestions] or list(labels.values())
            return Unclear(
                f"Sorry, I couldn't read that: {error.message}. Pick one of the buttons, or say it "
                "another way.",
                tuple(options),
            )
        return Unclear(f"Sorry, I couldn't read that: {error.message}.", question.examples)

    def _explain(self, found: Found) -> list[Reply]:
        return [Explained(found.title, found.text, found.claims), *self._asking()]

    # --- after the recommendation -------------------------------------------------------

    def _normalized(self, values: Mapping[str, Any]) -> Normalized:
        raw = {k: v for k, v in values.items() if v is not None}
        return normalize(raw, self.kb, strict=True, name="chat", reader=self.reader)

    def _recommend(self) -> list[Reply]:
        try:
            normalized = self._normalized(self.values)
        except AnswersError as error:  # pragma: no cover - every value was read strictly
            return [Said(f"Something in the answers cannot be used: {error}")]
        self.report = build_report(self.kb, self.engine, normalized)
        self.pending = None
        self._save()
        replies: list[Reply] = [Recommended(self.report)]
        if self.store is not None and self.store.error:
            replies.append(Said(f"Note: {self.store.error}."))
        return replies

    def why(self) -> list[Reply]:
        """The decision in plain language: scores, the rules that fired, those that did not."""
        if self.report is None:
            return [
                Said(
                    "I will explain my reasons once I have a recommendation; let's finish "
                    "the questions first."
                ),
                *self._asking(),
            ]
        return [Traced(self.report, trace_lines(self.report))]

    def _changes(self, text: str) -> intents.Changes:
        return intents.read_changes(text, self.kb, self.reader, self.values, self.shown)

    def _what_if_text(self, text: str) -> list[Reply]:
        if self.report is None:
            return [Said("Let's finish the questions first; then ask me what if."), *self._asking()]
        changes = self._changes(text)
        if not changes.values:
            hint = f" ({changes.problems[0].message})" if changes.problems else ""
            return [
                Unclear(
                    f"I couldn't tell which answer to change{hint}. Try: what if my budget were $50k, "
                    "what if we had 20k labeled examples, what if we used a 7B model.",
                    ("what if my budget were $50k", "what if we had 20k labeled examples"),
                )
            ]
        return [self.what_if(changes.values, list(changes.notes))]

    def what_if(self, changes: Mapping[str, Any], notes: list[str] | None = None) -> Compared:
        """The recommendation with some answers changed, without keeping the change."""
        assert self.report is not None
        values = self.engine.visible({**self.values, **changes})
        after = build_report(self.kb, self.engine, self._normalized(values))
        self.pending = dict(changes)
        described = tuple(notes or [f"{f}: {v}" for f, v in changes.items()])
        return self._compare(self.report, after, kept=False, changes=described)

    def keep(self) -> list[Reply]:
        """Keep the answers of the last what-if."""
        if self.pending is None:
            return [Said("There is no what-if to keep.")]
        changes, self.pending = self.pending, None
        return [
            Said("Kept."),
            *self._set_many(changes, {f: self.shown(self.kb.question[f], v) for f, v in changes.items()}),
        ]

    def _change_text(self, text: str, *, quiet_if_unknown: bool = False) -> list[Reply]:
        changes = self._changes(text)
        if not changes.values:
            if quiet_if_unknown:
                return [
                    Said(
                        "I have given my recommendation. You can ask why?, ask what if my budget were "
                        '$50k?, change an answer ("set the budget to $20k"), type export, or restart.'
                    )
                ]
            hint = f" ({changes.problems[0].message})" if changes.problems else ""
            return [
                Unclear(
                    f"I couldn't tell which answer to change{hint}. Click an answer on the "
                    "left to change it, or type back.",
                    (),
                )
            ]
        return self._set_many(
            changes.values, {f: self.shown(self.kb.question[f], v) for f, v in changes.values.items()}
        )

    def _compare(
        self, before: Report, after: Report, *, kept: bool, changes: tuple[str, ...] = ()
    ) -> Compared:
        moved: list[str] = []
        if before.approach != after.approach:
            moved.append(f"The recommendation changes from {before.name.lower()} to {after.name.lower()}.")
        else:
            moved.append(f"The recommendation stays {after.name.lower()}.")
        if (round(before.cost.low), round(before.cost.high)) != (
            round(after.cost.low),
            round(after.cost.high),
        ):
            moved.append(
                f"Cost: {usd_range(before.cost.low, before.cost.high)} becomes "
                f"{usd_range(after.cost.low, after.cost.high)}."
            )
        if (
            before.budget.level != after.budget.level
            or before.normalized.answers.budget_usd != after.normalized.answers.budget_usd
        ):
            moved.append(f"Budget: it {after.budget.text}.")
        return Compared(before, after, changes, tuple(moved), kept)

    # --- export and saving ----------------------------------------------------------------

    def export(self) -> list[Reply]:
        """The report as Markdown and the answers as a file ``advisor recommend`` reproduces it from."""
        if self.report is None:
            return [Said("There is nothing to export yet: the recommendation comes after the questions.")]
        answers = to_file(self.report.normalized.answers, self.kb)
        return [
            Exported(
                to_markdown(self.report),
                "# Answers from the advisor chat: `advisor recommend` on this file reproduces the report.\n"
                + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True),
            )
        ]

    def _save(self) -> None:
        if self.store is None:
            return
        self.store.save(
            {
                "knowledge_version": self.kb.version,
                "values": self.values,
                "said": self.said,
                "current": self.current.id if self.current else None,
            }
        )

    def summary_line(self) -> str:
        """One line for the footer: how far along the questions are."""
        if self.offering_resume is not None:
            count = len(self.offering_resume["values"])
            return f"{count} saved answer{'s' if count != 1 else ''}: resume, or start over"
        if self.report is not None and self.current is None:
            cost = self.report.cost
            return f"Recommendation: {self.report.name} · {usd_range(cost.low, cost.high)}"
        expected = self._expected()
        if self.current is not None and self.current in expected:
            number = expected.index(self.current) + 1
        else:
            number = min(sum(1 for q in expected if q.id in self.values) + 1, len(expected))
        return f"Question {number} of {len(expected)}"
