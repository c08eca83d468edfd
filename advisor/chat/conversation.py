"""The chat as a plain state machine: which question is next, what a typed line means.

A view (the Textual chat, ``advisor ask``) passes on what the person typed or
clicked and shows the :data:`~advisor.chat.replies.Reply` items that come
back. Answers go through the same :class:`~advisor.reading.Reader` and the
same :func:`~advisor.answers.normalize` as answers files, so the chat and
``advisor recommend`` always agree.

A typed line is, in this order: a command (help, back, restart, undo, why,
skip, export, keep, quit); a yes or no to a reading being confirmed; after the
recommendation, a what-if; then it is read whole (:mod:`advisor.understanding`):
every answer it holds, what it asks (answered by :mod:`advisor.chat.followups`,
never recorded), and whether it corrects an earlier answer ("actually …").
Readings that look wrong (2 labeled images, a budget of $5) are confirmed first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from advisor.answers import Normalized, Override, asked, normalize
from advisor.bounds import NumberError
from advisor.chat import intents
from advisor.chat.replies import Asked, Compared, Confirm, Explained, Reply, Said, Traced, Unclear
from advisor.chat.session import Session
from advisor.chat.store import SessionStore
from advisor.chat.trace import trace_lines
from advisor.chat.wording import answer_words, change_words, read_back, what_moved
from advisor.errors import AnswersError
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import ASSUMPTIONS
from advisor.kb.models import Question
from advisor.reading import Unreadable
from advisor.records import dataclass
from advisor.terminal import printable
from advisor.text import clean

if TYPE_CHECKING:
    from advisor.chat.followups import Followups
    from advisor.engine import Engine
    from advisor.understanding import Understander, Understanding

__all__ = ["Conversation", "Pending"]

MAX_LINE = 500
"""Longest line read as an answer; a longer one is asked again in a sentence or two."""

FRONT_LOADED = 3
"""A line that gives this many answers at once ("5k labelled tickets, BERT, $3k") is from
someone who wants the recommendation: the optional questions left are skipped, and said so."""


@dataclass(frozen=True, slots=True)
class Pending:
    """A line's answers read but not yet used: waiting for a yes."""

    understanding: Understanding
    text: str
    correcting: bool


class Conversation(Session):
    """One chat: the answers so far, the current question, the latest report."""

    def __init__(
        self,
        kb: KnowledgeBase,
        engine: Engine | None = None,
        store: SessionStore | None = None,
    ) -> None:
        super().__init__(kb, engine, store)
        self.confirming: Pending | None = None
        """Answers read from a line that asked to be confirmed ("only 2 labeled images?")."""
        self._commands: dict[str, Callable[[], list[Reply]]] = {
            "help": self.help,
            "back": self.back,
            "restart": self.restart,
            "undo": self.undo,
            "why": self.why,
            "export": self.export,
            "quit": lambda: [self.goodbye()],
        }

    # The sentence reader and the answers to questions are made when the first line comes:
    # the first question is on screen before their modules are imported.

    @cached_property
    def understander(self) -> Understander:
        from advisor.understanding import Understander

        return Understander(self.kb, self.reader)

    @cached_property
    def followups(self) -> Followups:
        from advisor.chat.followups import Followups

        return Followups(self.kb, self.lookup)

    # --- answering --------------------------------------------------------------------

    def choose(self, value: Any, label: str | None = None) -> list[Reply]:
        """A quick reply: the canonical value of a choice of the current question."""
        self.confirming = None
        if self.current is None:
            return [Said("There is no open question; type restart to start over.")]
        question = self.current
        return self.apply({question.id: value}, {question.id: label or self.shown(question, value)})

    def skip(self) -> list[Reply]:
        question = self.current
        if question is None:
            return [Said("There is no open question to skip.")]
        if not question.optional:
            return [
                Unclear(
                    f"I need an answer about the {question.name} to give you a recommendation; "
                    "a rough one is fine. Type help if the question is unclear.",
                    (),
                ),
                self._ask(question),
            ]
        return self.apply({question.id: question.default}, {question.id: "skipped"})

    def handle(self, text: str) -> list[Reply]:
        """Whatever the person typed."""
        typed, text = text, printable(text).strip()
        if not text:
            if typed.strip():  # only escape codes, pasted from a terminal
                return self.not_read("Sorry, I couldn't read that: there is no text in it.")
            return self._asking()
        if len(text) > MAX_LINE:
            return self.not_read("That is a long message; please answer in a sentence or two.")
        if not clean(text) and intents.command(text) is None:  # "🙂", "!!": no words, no numbers
            return self.not_read(
                f"Sorry, I couldn't read that: I found no words or numbers in “{text}”. "
                "Please answer in words (or type help)."
            )
        if self.offering_resume is not None:
            return self._answer_resume_offer(text)
        command = intents.command(text)
        if command is not None and (replies := self._command(command)) is not None:
            return replies
        if self.confirming is not None:
            answer = intents.confirmation(text)
            if answer is not None:
                return self._confirmed(answer)
            self.confirming = None  # anything else is read afresh: likely the right answer
        what_if = intents.what_if(text)
        if what_if is not None and self.report is not None:
            if self.current is None:
                return self._what_if_text(what_if)
            return [Said("Let's finish this question first; then ask me what if."), *self._asking()]
        correcting, rest = intents.correction(text)
        understanding = self._understand(rest, correcting)
        return self._respond(text, understanding, correcting)

    def not_read(self, why: str) -> list[Reply]:
        """What a view could not read (a line too long, nothing in words): said, then the
        question again, or the offer to resume; nothing a person typed goes unanswered."""
        if self.offering_resume is not None:
            return [Unclear(why, ()), *self._answer_resume_offer("")]
        return [Unclear(why, ()), *self._asking()]

    def _command(self, command: str) -> list[Reply] | None:
        if command in self._commands:
            if command == "undo" and self.restarted is None:
                return self.back()
            return self._commands[command]()
        if command == "keep" and self.pending is not None:
            return self.keep()
        if command == "skip" and self.current is not None and self.current.optional:
            return self.skip()
        return None

    def _understand(self, text: str, correcting: bool) -> Understanding:
        understand = self.understander.understand
        understanding = understand(
            text, at=None if correcting else self.current, known=self.values, correcting=correcting
        )
        if correcting and understanding.empty and not understanding.refusal and not understanding.question:
            # "make that 10k": the most recent answer that can take it.
            for field in [*reversed(self.recent), *([self.current.id] if self.current else [])]:
                again = understand(text, at=self.kb.question[field], known=self.values, correcting=True)
                if again.heard or again.assumed:
                    return again
        return understanding

    def _respond(self, text: str, understanding: Understanding, correcting: bool) -> list[Reply]:
        if understanding.refusal:
            return [Unclear(understanding.refusal, ()), *self._asking()]
        if understanding.question is None and understanding.checks and text.rstrip().endswith("?"):
            known = self.followups.recognize(text, self.report)
            if known is not None:  # "gpu or tpu?": a question after all
                return [*known, *self._asking()]
        if understanding.question is not None:
            answer = self.followups.answer(understanding.question, self.report, self.current)
            if understanding.heard or understanding.assumed:
                return [*answer, self._confirm(understanding, text, correcting, "you also asked something")]
            return [*answer, *self._asking()]
        done = self.report is not None and self.current is None
        if understanding.relative and done and not correcting:
            return self._what_if(understanding, "")
        if understanding.relative and not understanding.heard and not understanding.assumed:
            return self._nothing_read(text, understanding)  # a what-if before the recommendation
        if understanding.empty:
            return self._nothing_read(text, understanding)
        if understanding.checks:
            reasons = "; ".join(dict.fromkeys(h.check for h in understanding.checks if h.check))
            return [self._confirm(understanding, text, correcting, reasons)]
        return self._record(understanding, text)

    def _record(self, understanding: Understanding, text: str) -> list[Reply]:
        """Use what a line said: say what was read or changed, then go on."""
        values = {h.field: h.value for h in understanding.heard}
        assumptions: dict[str, Override] = {a.id: a.value for a in understanding.assumed}
        if understanding.total is not None:
            self.total = understanding.total
        changed = {f: v for f, v in values.items() if f in self.values and self.values[f] != v}
        new = {f: v for f, v in values.items() if f not in self.values}
        said: list[Reply] = []
        plain = (
            not changed
            and list(new) == [self.current.id if self.current else None]
            and self._plainly(self.current, text)
        )
        if new and not plain:
            said.append(Said(read_back(self.kb, new, understanding.notes)))
        for assumed in understanding.assumed:
            unit = self.kb.assumption[assumed.id].unit
            said.append(
                Said(
                    f"Noted: {assumed.meaning}."
                    if assumed.meaning
                    else f"Noted: {assumed.id} = {assumed.value:g} {unit}."
                )
            )
        if understanding.problems and not values and not assumptions:
            said.append(Unclear(f"Sorry, I couldn't read that: {understanding.problems[0]}.", ()))
        changes = "; ".join(change_words(self.kb.question[f], self.values[f], v) for f, v in changed.items())
        if values or assumptions:
            self.restarted = None
        answered = set(self.values)
        replies = self.apply(values, dict.fromkeys(values, text), assumptions)
        # "We have 10k photos", then "yes, labeled": say where the count came from.
        placed = {
            f: v for f, v in self.values.items() if f not in answered and f not in values and v is not None
        }
        if placed and self.total is not None:
            counts = "; ".join(answer_words(self.kb.question[f], v) for f, v in placed.items())
            said.append(Said(f"So: {counts}, all of the data you mentioned."))
        left = [q for q in self.questions if q.id not in self.values]
        if len(values) >= FRONT_LOADED and left and all(q.optional for q in left):
            replies = self._skip_optional(left, replies)
        if changes and not any(isinstance(reply, Compared) for reply in replies):
            said.insert(0, Said(f"Changed the {changes}."))
        return [*said, *replies]

    def _skip_optional(self, skipped: list[Question], replies: list[Reply]) -> list[Reply]:
        """Skip the optional questions left, all at once, and recommend; the person is told
        which, what a skip assumes, and that an answer to any still counts."""
        kept = [reply for reply in replies if not isinstance(reply, Asked)]
        replies = self.apply(
            {question.id: question.default for question in skipped},
            {question.id: "skipped" for question in skipped},
        )
        names = ", ".join(f"the {question.name}" for question in skipped)
        # What a skip assumes, in each question's own help: "If you skip, I count a market rate."
        assumed = [
            sentence.removeprefix("If you skip, ").rstrip(".")
            for question in skipped
            for sentence in question.help.split(". ")
            if sentence.startswith("If you skip, ")
        ]
        said = Said(
            f"That is enough for a recommendation, so I skipped the optional questions ({names})"
            + (f": {'; '.join(assumed)}" if assumed else "")
            + ". Tell me any of them and I will update the estimate."
        )
        return [*kept, said, *replies]

    def _plainly(self, question: Question | None, text: str) -> bool:
        """Whether ``text`` is a plain answer to ``question`` that needs no reading back."""
        if question is None:
            return False
        try:
            return self.reader.read(question, text).note is None
        except Unreadable:
            return False

    def _confirm(self, understanding: Understanding, text: str, correcting: bool, reason: str) -> Confirm:
        self.confirming = Pending(understanding, text, correcting)
        words = [
            f"the {question.name} {answer_words(question, h.value)}"
            if question.choices
            else answer_words(question, h.value)
            for h in understanding.heard
            for question in (self.kb.question[h.field],)
        ]
        words += [f"{a.id} = {a.value:g}" for a in understanding.assumed]
        return Confirm(
            f"Just to check, I read {'; '.join(words)}: {reason}. Is that right? Say yes to use it, "
            "no to leave it, or give the right answer."
        )

    def _confirmed(self, yes: bool) -> list[Reply]:
        pending, self.confirming = self.confirming, None
        assert pending is not None
        if not yes:
            return [Said("OK, I haven't noted it."), *self._asking()]
        return self._record(pending.understanding, pending.text)

    def _nothing_read(self, text: str, understanding: Understanding) -> list[Reply]:
        command = intents.command(text) or intents.fuzzy_command(text)
        if command is not None and (replies := self._command(command)) is not None:
            return replies
        question = self.current
        if question is not None and (understanding.relative or intents.what_if(text) is not None):
            return [Said("Let's finish the questions first; then ask me what if."), *self._asking()]
        if question is not None and command == "skip":
            return self.skip()  # "I need an answer about …": not optional
        if command == "keep":
            return [Said("There is no what-if to keep."), *self._asking()]
        if question is None:
            hint = f" ({understanding.problems[0]})" if understanding.problems else ""
            return [
                Unclear(
                    f"I have given my recommendation{hint}. You can ask why? or why not supervised?, "
                    'ask what if my budget were $50k?, change an answer ("actually, the budget is $20k"), '
                    "type export, or restart.",
                    (),
                )
            ]
        found = self.lookup.answer(text) if len(text.split()) > 2 else None
        if found is not None and found.score >= 90:
            return [Explained(found.title, found.text, found.claims), *self._asking()]
        problem = understanding.problems[0] if understanding.problems else None
        try:
            self.reader.read(question, text)
            error = Unreadable(problem or f"I found no {question.name} in that", question.examples)
        except Unreadable as unreadable:
            error = Unreadable(problem or unreadable.message, unreadable.suggestions)
        return [self._unclear(question, error), self._ask(question)]

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

    # --- after the recommendation -------------------------------------------------------

    def normalized(self, values: Mapping[str, Any]) -> Normalized:
        """The answers as ``advisor recommend`` reads them from the exported file."""
        raw: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
        if self.assumptions:
            raw[ASSUMPTIONS] = {
                k: list(v) if isinstance(v, tuple) else v for k, v in self.assumptions.items()
            }
        return normalize(raw, self.kb, strict=True, name="chat", reader=self.reader)

    def why(self) -> list[Reply]:
        """The decision in plain language: scores, the rules that fired, those that did not."""
        if self.report is None or self.current is not None:
            return [
                Said(
                    "I will explain my reasons once I have a recommendation; let's finish "
                    "the questions first."
                ),
                *self._asking(),
            ]
        return [Traced(self.report, trace_lines(self.report))]

    def _what_if_text(self, text: str) -> list[Reply]:
        _, rest = intents.correction(text)
        understanding = self.understander.understand(rest, known=self.values, correcting=True)
        if understanding.refusal:
            return [Unclear(understanding.refusal, ())]
        return self._what_if(understanding, rest)

    def _what_if(self, understanding: Understanding, text: str) -> list[Reply]:
        changes = {h.field: h.value for h in understanding.heard if self.values.get(h.field) != h.value}
        for relative in understanding.relative:
            question = self.kb.question[relative.field]
            before = self.values.get(relative.field)
            try:
                after = relative.apply(question, before)
            except NumberError as error:  # "1e300x the data"
                return [Unclear(f"{error.message}. Say a smaller change, or an amount.", ())]
            if after is None or after == before:
                # "ten times more labeled data" with none: nothing to multiply, and nothing else
                # of the line is meant on its own ("labeled" was said of the data to multiply).
                have = answer_words(question, before) if before else f"no {question.name}"
                example = question.examples[-1] if question.examples else "more"
                return [
                    Unclear(
                        f"You have {have}, so {relative.words} changes nothing. Say an amount "
                        f"instead, for example: what if we had {example} {question.name}?",
                        (),
                    )
                ]
            changes[relative.field] = after
        for field in list(changes):
            for other, value in intents.making_asked(
                self.kb.question[field], {**self.values, **changes}
            ).items():
                changes.setdefault(other, value)
        for question in self.kb.questions:
            values = {**self.values, **changes}
            if question.id not in values and asked(question, values) and not question.optional:
                changes[question.id] = (
                    self.total if self.total is not None and question.kind == "count" else question.default
                )
        if not changes:
            hint = f" ({understanding.problems[0]})" if understanding.problems else ""
            return [
                Unclear(
                    f"I couldn't tell which answer to change{hint}. Try: what if my budget were $50k, "
                    "what if we had 10x the data, what about a bigger model.",
                    ("what if my budget were $50k", "what if we had 20k labeled examples"),
                )
            ]
        described = [change_words(self.kb.question[f], self.values.get(f), v) for f, v in changes.items()]
        return [self.what_if(changes, described)]

    def what_if(self, changes: Mapping[str, Any], notes: list[str] | None = None) -> Reply:
        """The recommendation with some answers changed, without keeping the change."""
        assert self.report is not None
        from advisor.report import build_report

        values = self.engine.visible({**self.values, **changes})
        try:
            after = build_report(self.kb, self.engine, self.normalized(values))
        except AnswersError as error:
            return Unclear(f"I can't compare that: {error.problems[0].message}.", ())
        self.pending = dict(changes)
        described = tuple(notes or [f"{f}: {v}" for f, v in changes.items()])
        return what_moved(self.report, after, kept=False, changes=described)

    def keep(self) -> list[Reply]:
        """Keep the answers of the last what-if."""
        if self.pending is None:
            return [Said("There is no what-if to keep.")]
        changes, self.pending = self.pending, None
        return [
            Said("Kept."),
            *self.apply(changes, {f: self.shown(self.kb.question[f], v) for f, v in changes.items()}),
        ]
