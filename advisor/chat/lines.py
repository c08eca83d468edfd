"""What a typed line means: one that cannot be read at all, an answer to the offer to resume,
and a line that is neither a command nor a yes or no to a reading.

After the recommendation, such a line may be a what-if; else it is read whole
(:mod:`advisor.understanding`): every answer it holds, what it asks (answered by
:mod:`advisor.chat.followups`, never recorded), and whether it corrects an earlier answer
("actually …"). Readings that look wrong (2 labeled images, a budget of $5) are confirmed
first. :class:`Lines` decides what to say; the moves between modes are the conversation's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from advisor.answers import Override, unsure, unsure_only
from advisor.chat import intents
from advisor.chat.given import Given
from advisor.chat.lookup import Lookup, looks_like_question
from advisor.chat.modes import Asking, Event, Mode, OfferingResume, Reading
from advisor.chat.replies import Asked, Compared, Confirm, Explained, Reply, Said, Unclear
from advisor.chat.whatif import changes_of
from advisor.chat.wording import RESUME_WORDS, answer_words, change_words, read_back, skip_assumes
from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Question
from advisor.reading import Reader, Unreadable, shown
from advisor.terminal import printable
from advisor.text import Vocabulary, clean

if TYPE_CHECKING:
    from advisor.chat.followups import Followups
    from advisor.report import Report
    from advisor.understanding import Heard, Understander, Understanding

__all__ = ["FRONT_LOADED", "MAX_LINE", "Chat", "Lines", "unreadable"]

MAX_LINE = 20_000
"""Longest line read as an answer: a paragraph of several answers is read like any line (the
readers' work grows with a line's length, and is bounded by the numbers read in it); a pasted
document is asked again in a few sentences."""

FRONT_LOADED = 3
"""A line that gives this many answers at once ("5k labelled tickets, BERT, $3k") is from
someone who wants the recommendation: the optional questions left are skipped, and said so."""


def unreadable(typed: str) -> tuple[str, str | None]:
    """A line as the chat reads it (without escape codes, stripped), and why it cannot be
    read at all, if it cannot: too long, or no words and no numbers in it."""
    text = printable(typed).strip()
    if not text and typed.strip():  # only escape codes, pasted from a terminal
        return text, "Sorry, I couldn't read that: there is no text in it."
    if len(text) > MAX_LINE:
        return text, "That is a very long message; please give me your answers in a few sentences."
    if text and not clean(text) and intents.command(text) is None:  # "🙂", "!!": no words, no numbers
        return text, (
            f"Sorry, I couldn't read that: I found no words or numbers in “{text}”. "
            "Please answer in words (or type help)."
        )
    return text, None


class Chat(Protocol):
    """What reading a line needs of the conversation (:class:`~advisor.chat.conversation.Conversation`)."""

    kb: KnowledgeBase
    given: Given
    reader: Reader
    mode: Mode

    @property
    def lookup(self) -> Lookup: ...
    @property
    def current(self) -> Question | None: ...
    @property
    def report(self) -> Report | None: ...
    @property
    def done(self) -> bool: ...
    def again(self) -> list[Reply]: ...
    def act(self, event: Event, value: str | None = None, label: str | None = None) -> list[Reply]: ...
    def unsure(self, *, at_once: bool) -> list[Reply]: ...
    def command(self, word: str) -> list[Reply] | None: ...
    def confirm(self, reading: Reading, text: str) -> Confirm: ...
    def what_if(self, changes: Mapping[str, Any]) -> Reply: ...
    def apply(
        self,
        values: Mapping[str, Any],
        said: Mapping[str, str],
        assumptions: Mapping[str, Override] | None = None,
        assumed: frozenset[str] = frozenset(),
        wanted: Mapping[str, tuple[str, ...]] | None = None,
    ) -> list[Reply]: ...


_DEFINING = re.compile(r"^(?:what is|what are|whats|what does|what do|define|meaning of)\b")
"""How a question asking what a word means starts."""


class Lines:
    """Reads the typed lines of one conversation."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.kb = chat.kb
        self.given = chat.given

    # The sentence reader and the answers to questions are made when the first line comes:
    # the first question is on screen before their modules are imported.

    @cached_property
    def understander(self) -> Understander:
        from advisor.understanding import Understander

        return Understander(self.kb, self.chat.reader)

    @cached_property
    def followups(self) -> Followups:
        from advisor.chat.followups import Followups

        return Followups(self.kb, self.chat.lookup)

    def not_read(self, why: str) -> list[Reply]:
        """What could not be read, said; then the question again, or the offer to resume."""
        if isinstance(self.chat.mode, OfferingResume):
            return [Unclear(why, ()), *self.answer_offer("")]
        return [Unclear(why, ()), *self.chat.again()]

    def answer_offer(self, text: str) -> list[Reply]:
        """While offering to resume, only "resume" or "start over" (typos allowed) move on;
        a question is answered, anything else gets the offer again."""
        chat = self.chat
        choice = intents.RESUME_OFFER.match(text, cutoff=80, margin=0) if text else None
        if choice is not None:
            return chat.act("resume" if choice.thing == "resume" else "restart")
        offer = Unclear("Shall I pick up where we left off? Type resume, or start over.", RESUME_WORDS)
        command = intents.command(text) if text else None
        if command in ("quit", "help"):  # quit: the saved answers stay as they were, for next time
            return chat.act("quit" if command == "quit" else "explain")
        if looks_like_question(text):
            found = chat.lookup.answer(text)
            if found is not None:
                return [Explained(found.title, found.text, found.claims), offer]
        return [offer]

    def read(self, text: str) -> list[Reply]:
        """A line that is not a command: a what-if after the recommendation, else read whole."""
        chat = self.chat
        what_if = intents.what_if(text)
        if what_if is not None and chat.report is not None:
            if chat.current is None:
                return self._what_if_text(what_if)
            return [Said("Let's finish this question first; then ask me what if."), *chat.again()]
        correcting, rest = intents.correction(text)
        question = chat.current
        if question is not None and question.kind == "task" and _DEFINING.match(clean(text)):
            # "what is transfer learning", with no "?": a task is rarely described so, and a
            # term or FAQ entry that matches says it is a question ("what is in these photos"
            # finds none, and is read as the task).
            found = chat.lookup.answer(text)
            if found is not None:
                return [Explained(found.title, found.text, found.claims), *chat.again()]
        if question is not None and not correcting:
            if isinstance(chat.mode, Asking) and chat.mode.unsure:
                picked = self._rough(question, text)
                if picked is not None:
                    return picked
            if unsure(question, text):  # "dunno", "as cheap as possible": the way forward
                again = clean(text).startswith("still ")  # "still don't know": asked before
                return chat.unsure(at_once=again or not unsure_only(text))
        understanding = self._understand(rest, correcting)
        if understanding.empty and understanding.question is None and not understanding.refusal:
            unsaid = self._unsaid(rest, correcting)  # "actually, no budget": an answer taken back
            if unsaid is not None:
                return unsaid
        return self._respond(text, understanding, correcting)

    def _unsaid(self, text: str, correcting: bool) -> list[Reply] | None:
        """An earlier answer taken back in its question's own words for not knowing ("actually,
        no budget yet"; "there is no budget" after the advice): the value it assumes, said. Only
        a correction, or a statement that names the answer ("budget"), takes one back: "what is
        the cheapest approach?" changes nothing."""
        if unsure_only(text):
            return None  # "not sure" alone names no answer
        for question in self.given.questions:
            stated = question.unsure
            if stated is None or not stated.words or stated.said is None or not unsure(question, text):
                continue
            if not correcting and (
                looks_like_question(text) or not self.chat.reader.mentions(question, text)
            ):
                continue
            if question.id in self.given.assumed and self.given.values.get(question.id) == stated.value:
                return None  # nothing to change: read as any other line
            value = {question.id: stated.value}
            return [Said(stated.said), *self.chat.apply(value, {question.id: text}, assumed=frozenset(value))]
        return None

    def _rough(self, question: Question, text: str) -> list[Reply] | None:
        """A rough answer to a clarifying question typed in words ("thousands"), if it is one."""
        rough = question.unsure.rough if question.unsure else ()
        found = Vocabulary((r.label, r) for r in rough).match(clean(text), cutoff=85, margin=8)
        if found is None:
            return None
        if found.thing.value is None:
            return self.chat.unsure(at_once=True)
        return self.chat.act("choose", str(found.thing.value), found.thing.label)

    def _understand(self, text: str, correcting: bool) -> Understanding:
        understand, current = self.understander.understand, self.chat.current
        understanding = understand(
            text, at=None if correcting else current, known=self.given.values, correcting=correcting
        )
        if correcting and understanding.empty and not understanding.refusal and not understanding.question:
            # "make that 10k": the most recent answer that can take it.
            for field in [*reversed(self.given.recent), *([current.id] if current else [])]:
                again = understand(text, at=self.kb.question[field], known=self.given.values, correcting=True)
                if again.heard or again.assumed:
                    return again
        return understanding

    def _respond(self, text: str, understanding: Understanding, correcting: bool) -> list[Reply]:
        chat = self.chat
        if understanding.refusal:
            return [Unclear(understanding.refusal, ()), *chat.again()]
        if understanding.question is None and understanding.checks and text.rstrip().endswith("?"):
            known = self.followups.recognize(text, chat.report)
            if known is not None:  # "gpu or tpu?": a question after all
                return [*known, *chat.again()]
        if understanding.question is not None:
            answer = self.followups.answer(understanding.question, chat.report, chat.current)
            if understanding.heard or understanding.assumed:
                return [*answer, self._confirm(understanding, text, correcting, "you also asked something")]
            return [*answer, *chat.again()]
        if understanding.relative and chat.done and not correcting:
            return self._what_if(understanding)
        if understanding.relative and not understanding.heard and not understanding.assumed:
            return self._nothing_read(text, understanding)  # a what-if before the recommendation
        if understanding.empty:
            return self._nothing_read(text, understanding)
        if understanding.checks:
            reasons = "; ".join(dict.fromkeys(h.check for h in understanding.checks if h.check))
            return [self._confirm(understanding, text, correcting, reasons)]
        return self.record(understanding, text)

    def record(self, understanding: Understanding, text: str) -> list[Reply]:
        """Use what a line said: say what was read or changed, then go on."""
        given, current = self.given, self.chat.current
        values = {h.field: h.value for h in understanding.heard}
        assumptions: dict[str, Override] = {a.id: a.value for a in understanding.assumed}
        passed = self._passed_over(current, values)
        if understanding.total is not None:
            given.total = understanding.total
        wanted: dict[str, tuple[str, ...]] = {}
        if understanding.clarify is not None:
            wanted[understanding.clarify.field] = understanding.clarify.choices
        changed = {f: v for f, v in values.items() if f in given.values and given.values[f] != v}
        new = {f: v for f, v in values.items() if f not in given.values}
        said: list[Reply] = []
        plain = not changed and list(new) == [current.id if current else None]
        plain = plain and self._plainly(current, text)
        if new and not plain:
            said.append(Said(read_back(self.kb, new, understanding.notes)))
        for assumed in understanding.assumed:
            unit = self.kb.assumption[assumed.id].unit
            meaning = assumed.meaning or f"{assumed.id} = {assumed.value:g} {unit}"
            said.append(Said(f"Noted: {meaning}."))
        if understanding.problems and not values and not assumptions:
            problem = understanding.problems[0]
            ending = "" if problem.endswith(("?", ".")) else "."
            said.append(Unclear(f"Sorry, I couldn't read that: {problem}{ending}", ()))
        elif understanding.problems:  # read what it could; name the rest
            problems = "; ".join(dict.fromkeys(understanding.problems))
            said.append(Said(f"I kept the rest, but {problems}{'' if problems.endswith('?') else '.'}"))
        changes = "; ".join(change_words(self.kb.question[f], given.values[f], v) for f, v in changed.items())
        if values or assumptions:
            given.restarted = None
        answered = set(given.values)
        said_as = dict.fromkeys(values, text)
        if passed is not None:  # an optional question answered past: it takes its default
            values[passed.id] = passed.default
            said_as[passed.id] = "skipped"
            said.append(Said(f"I skipped the {passed.name} (you can still tell me)."))
        replies = self.chat.apply(values, said_as, assumptions, wanted=wanted)
        # "We have 10k photos", then "yes, labeled": say where the count came from.
        placed = {
            f: v for f, v in given.values.items() if f not in answered and f not in values and v is not None
        }
        if placed and given.total is not None:
            counts = "; ".join(answer_words(self.kb.question[f], v) for f, v in placed.items())
            said.append(Said(f"So: {counts}, all of the data you mentioned."))
        left = [q for q in given.questions if q.id not in given.values]
        if (
            len(values) >= FRONT_LOADED
            and left
            and all(q.optional and q.id not in given.wanted for q in left)
        ):
            replies = self._skip_optional(left, replies)
        if changes and not any(isinstance(reply, Compared) for reply in replies):
            said.insert(0, Said(f"Changed the {changes}."))
        return [*said, *replies]

    def _passed_over(self, current: Question | None, values: Mapping[str, Any]) -> Question | None:
        """The optional question on screen, when the line leaves it and answers a later one
        ("GPUs" asked how many people work on it): it is skipped, not asked again."""
        if current is None or not current.optional or current.id in values or not values:
            return None
        order = [question.id for question in self.kb.questions]
        later = order[order.index(current.id) + 1 :]
        return current if any(field in later for field in values) else None

    def _skip_optional(self, skipped: list[Question], replies: list[Reply]) -> list[Reply]:
        """Skip the optional questions left, all at once, and recommend; the person is told
        which, what a skip assumes, and that an answer to any still counts."""
        kept = [reply for reply in replies if not isinstance(reply, Asked)]
        replies = self.chat.apply(
            {question.id: question.default for question in skipped},
            {question.id: "skipped" for question in skipped},
        )
        names = ", ".join(f"the {question.name}" for question in skipped)
        # What a skip assumes, in each question's own help: "If you skip, I count a market rate."
        assumed = [text for question in skipped if (text := skip_assumes(question)) is not None]
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
            return self.chat.reader.read(question, text).note is None
        except Unreadable:
            return False

    def words(self, heard: Iterable[Heard]) -> list[str]:
        """Answers found in a line, in words: "the labels “Yes, labeled”", "2 labeled examples"."""
        return [
            f"the {question.name} {answer_words(question, h.value)}"
            if question.choices
            else answer_words(question, h.value)
            for h in heard
            for question in (self.kb.question[h.field],)
        ]

    def unchecked(self, understanding: Understanding) -> Understanding | None:
        """What a line said beside the answers it was asked about ("only 2 labeled examples?"):
        kept when the person says no to those. ``None`` when nothing is left, or when the whole
        line was asked about (it also asked a question)."""
        from advisor.understanding import Understanding  # made only once a line is read

        if not understanding.checks:
            return None
        heard = tuple(h for h in understanding.heard if not h.check)
        if not heard and not understanding.assumed:
            return None
        notes = {f: n for f, n in understanding.notes.items() if any(h.field == f for h in heard)}
        return Understanding(heard=heard, assumed=understanding.assumed, notes=notes)

    def _confirm(self, understanding: Understanding, text: str, correcting: bool, reason: str) -> Reply:
        words = self.words(understanding.heard)
        words += [f"{a.id} = {a.value:g}" for a in understanding.assumed]
        kept = self.unchecked(understanding)
        no = (
            f"no to leave out {'; '.join(self.words(understanding.checks))} and keep the rest"
            if kept is not None
            else "no to leave it"
        )
        return self.chat.confirm(
            Reading(understanding, text, correcting),
            f"Just to check, I read {'; '.join(words)}: {reason}. Is that right? Say yes to use it, "
            f"{no}, or give the right answer.",
        )

    def _nothing_read(self, text: str, understanding: Understanding) -> list[Reply]:
        chat = self.chat
        command = intents.command(text) or intents.fuzzy_command(text)
        if command is not None and (replies := chat.command(command)) is not None:
            return replies
        question = chat.current
        if question is not None and (understanding.relative or intents.what_if(text) is not None):
            return [Said("Let's finish the questions first; then ask me what if."), *chat.again()]
        if question is not None and command == "skip":
            return chat.act("skip")  # a required question: its way forward
        if command == "keep":
            return chat.act("keep")  # there is no what-if to keep
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
        found = chat.lookup.answer(text) if len(text.split()) > 2 else None
        if found is not None and found.score >= 90:
            return [Explained(found.title, found.text, found.claims), *chat.again()]
        problem = understanding.problems[0] if understanding.problems else None
        try:
            self.chat.reader.read(question, text)
            missing = f"I found no {question.name} in that"
            if question.kind == "task":  # said back as typed: the words it could not tell apart
                missing = f"I could not tell what the model should do from “{shown(text)}”"
            error = Unreadable(problem or missing, question.examples)
        except Unreadable as unreadable:
            error = Unreadable(problem or unreadable.message, unreadable.suggestions)
        return [_unclear(question, error), *chat.again()]

    # --- what-ifs ------------------------------------------------------------------------

    def _what_if_text(self, text: str) -> list[Reply]:
        _, rest = intents.correction(text)
        understanding = self.understander.understand(rest, known=self.given.values, correcting=True)
        if understanding.refusal:
            return [Unclear(understanding.refusal, ())]
        return self._what_if(understanding)

    def _what_if(self, understanding: Understanding) -> list[Reply]:
        changes = changes_of(self.given, understanding)
        return [changes if isinstance(changes, Unclear) else self.chat.what_if(changes)]


def _unclear(question: Question, error: Unreadable) -> Unclear:
    if question.kind in ("choice", "model_size"):
        labels = {c.value: c.label for c in question.choices}
        options = [labels.get(s, s) for s in error.suggestions] or list(labels.values())
        return Unclear(
            f"Sorry, I couldn't read that: {error.message}. Pick one of the choices, or say it another way.",
            tuple(options),
        )
    ending = "" if error.message.endswith(("?", ".")) else "."
    return Unclear(f"Sorry, I couldn't read that: {error.message}{ending}", question.examples)
