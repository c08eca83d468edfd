"""The chat as a plain state machine: one mode at a time, and the moves between them.

A view (the Textual chat, ``advisor ask``) passes on what the person typed (:meth:`handle`)
or picked (:meth:`Conversation.pick`, one of :attr:`Conversation.options`) and shows the
:data:`~advisor.chat.replies.Reply` items that come back, then the options the person has
now. The conversation is in one :data:`~advisor.chat.modes.Mode`; the events each mode takes
are in :data:`~advisor.chat.modes.MOVES`, and only this class changes the mode.

Its parts, each with one job: :class:`~advisor.chat.given.Given` (the answers and their
history), :class:`~advisor.chat.saving.Saving` (kept for the next chat),
:class:`~advisor.chat.lines.Lines` (what a typed line means), :class:`~advisor.chat.newcomer.Newcomer`
(whether to explain as we go, for someone new to fine-tuning). Answers go through the same
:class:`~advisor.reading.Reader` and :func:`~advisor.answers.normalize` as answers files, so
the chat and ``advisor recommend`` always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from advisor.answers import Override, assumed_value
from advisor.chat import intents, newcomer
from advisor.chat.export import export_of
from advisor.chat.forward import Forward, when_empty, when_unsure
from advisor.chat.given import Given, answers_in
from advisor.chat.lines import MAX_LINE, Lines, unreadable
from advisor.chat.lookup import Lookup, looks_like_question
from advisor.chat.modes import (
    KEEPS_READING,
    MOVES,
    NOT_NOW,
    Advising,
    Asking,
    Confirming,
    Event,
    Mode,
    OfferingHelp,
    OfferingResume,
    Option,
    Reading,
    Starting,
    TryingWhatIf,
    hint,
    is_event,
    options,
    question_of,
    report_of,
    status,
)
from advisor.chat.newcomer import Newcomer
from advisor.chat.replies import (
    Asked,
    Compared,
    Confirm,
    Explained,
    Goodbye,
    Recommended,
    Reply,
    Said,
    Traced,
    Unclear,
)
from advisor.chat.saving import Saving
from advisor.chat.store import SessionStore
from advisor.chat.trace import trace_lines
from advisor.chat.whatif import compare
from advisor.chat.wording import (
    GREETING,
    HELP_AFTER,
    HELP_OFFER,
    OPEN_ELSEWHERE,
    answer_words,
    welcome_back,
    what_moved,
)
from advisor.errors import AnswersError
from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Question
from advisor.reading import Reader, Unreadable
from advisor.settings import Settings

if TYPE_CHECKING:
    from advisor.decision.engine import Engine
    from advisor.report import Report

__all__ = ["MAX_LINE", "Conversation"]


class Conversation:
    """One chat: what the person has given, the mode it is in, the options they have now."""

    def __init__(
        self,
        kb: KnowledgeBase,
        engine: Engine | None = None,
        store: SessionStore | None = None,
        settings: Settings | None = None,
    ) -> None:
        """``settings``: where the person's preferences are kept; by default, with a store of
        the person's own folder, their own settings (a chat with neither is terse and offers
        nothing: a script's, a test's)."""
        self.kb = kb
        self._engine = engine
        self.reader = Reader(kb)
        self.given = Given(kb, self.reader)
        self.saving = Saving(store)
        if settings is None and store is not None and store.own:
            settings = Settings()
        self.newcomer = Newcomer(settings)
        """Whether the chat explains as it goes (:mod:`advisor.chat.newcomer`)."""
        self.mode: Mode = Starting()
        """What the chat waits for now: the one place its state is."""
        self.lines = Lines(self)

    # --- its parts, made when first needed (the first question is on screen before the
    # engine, the report, the sentence reader or the FAQ are imported) ---------------------

    @property
    def store(self) -> SessionStore | None:
        return self.saving.store

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from advisor.decision.engine import Engine

            self._engine = Engine(self.kb)
        return self._engine

    @cached_property
    def lookup(self) -> Lookup:
        """The FAQ and the glossary, indexed when first asked."""
        return Lookup(self.kb)

    # --- the mode, read ------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        """The open question, if any (a reading waiting for a yes keeps it open)."""
        return question_of(self.mode)

    @property
    def report(self) -> Report | None:
        """The latest recommendation."""
        return report_of(self.mode)

    @property
    def done(self) -> bool:
        """Whether the recommendation is given and no question is open."""
        return self.current is None and self.report is not None

    @property
    def options(self) -> tuple[Option, ...]:
        """What the person can do now: the chat's buttons, ``advisor ask``'s numbers."""
        current = self.current
        first = self.given.wanted.get(current.id, ()) if current is not None else ()
        return options(self.mode, undo=self.given.restarted is not None, first=first)

    @property
    def hint(self) -> str:
        return hint(self.mode)

    @property
    def answers_kept(self) -> bool:
        """Whether there are answers, saved for a next chat."""
        offered = self.mode.saved if isinstance(self.mode, OfferingResume) else None
        return self.saving.kept(self.given, offered)

    # --- what the person does --------------------------------------------------------

    def handle(self, text: str) -> list[Reply]:
        """Whatever the person typed."""
        text, why = unreadable(text)
        if why is not None:
            return self.not_read(why)
        if not text:
            return self.empty()
        if isinstance(self.mode, Starting):
            return [*self.start(resume=False), *self.handle(text)]
        if isinstance(self.mode, OfferingResume):
            return self.lines.answer_offer(text)
        if isinstance(self.mode, OfferingHelp):
            return self._answer_help(text)
        on = newcomer.switch(text)
        if on is not None and not isinstance(self.mode, Confirming):
            return self.explain_as_we_go(on)
        command = intents.command(text)
        if command == "skip" and self.current is not None and not intents.plain_skip(text):
            return self.act("unsure")  # "not sure", "no idea": a skip that says why, marked as assumed
        if command is not None and (replies := self.command(command)) is not None:
            return replies
        if isinstance(self.mode, Confirming):
            answer = intents.confirmation(text)
            if answer is not None:
                return self.act("yes" if answer else "no")
            self.mode = self.mode.then  # anything else is read afresh: likely the right answer
        return self.lines.read(text)

    def not_read(self, why: str) -> list[Reply]:
        """What a view could not read (a line too long, nothing in words): said, then the
        question again, or the offer to resume; nothing a person typed goes unanswered."""
        return self.lines.not_read(why)

    def command(self, word: str) -> list[Reply] | None:
        """A typed command (:data:`~advisor.chat.intents.COMMANDS`); ``None``: the line is read
        as an answer instead ("skip" a question that may not be skipped, "keep" with no what-if)."""
        if word == "undo" and self.given.restarted is None:
            word = "back"
        settled = self.mode.then if isinstance(self.mode, Confirming) else self.mode
        if word == "keep" and not isinstance(settled, TryingWhatIf):
            return None
        if word == "skip" and self.current is None:
            return None
        if word == "skip" and not self.current.optional:  # type: ignore[union-attr]
            word = "unsure"  # a question that may not be skipped: its way forward
        event = "explain" if word == "help" else word
        return self.act(event) if is_event(event) else None

    def pick(self, option: Option) -> list[Reply]:
        """One of :attr:`options`, picked (a button, a number). A what-if, a copy and a download
        are the view's to do: they are about its medium."""
        if not is_event(option.action):
            raise ValueError(f"the view does {option.action!r} itself")
        return self.act(option.action, option.value, option.label)

    def act(self, event: Event, value: str | None = None, label: str | None = None) -> list[Reply]:
        """Do ``event`` if the mode takes it (:data:`~advisor.chat.modes.MOVES`); else say why not.
        A reading waiting for a yes stays through what only says something, and is left for
        any other move."""
        mode = self.mode
        if isinstance(mode, Confirming) and event not in MOVES[Confirming]:
            if event not in KEEPS_READING:
                self.mode = mode.then
            mode = mode.then
        if event not in MOVES[type(mode)]:
            return self._not_now(event)
        moves: dict[Event, Callable[[], list[Reply]]] = {
            "choose": lambda: self._choose(value, label),
            "skip": self._skip,
            "unsure": lambda: self._unsure(at_once=False),
            "explain": self._explain,
            "back": self._back,
            "edit": lambda: self._edit(value or ""),
            "why": self._why,
            "export": self._export,
            "keep": self._keep,
            "yes": lambda: self._yes(True),
            "no": lambda: self._yes(False),
            "resume": self._resume,
            "restart": self._restart,
            "undo": self._undo,
            "quit": lambda: [self.goodbye()],
        }
        return moves[event]()

    def _yes(self, yes: bool) -> list[Reply]:
        """Yes or no: to the offer to explain as we go, or to a reading that looks wrong."""
        if isinstance(self.mode, OfferingHelp):
            return self._offered("yes" if yes else "no")
        return self._confirmed(yes)

    def _not_now(self, event: Event) -> list[Reply]:
        if isinstance(self.mode, Starting):
            return self.start(resume=False)
        if isinstance(self.mode, OfferingHelp):
            return [Unclear(newcomer.OFFER, ())]
        if isinstance(self.mode, OfferingResume):
            return self.lines.answer_offer("")
        said, again = NOT_NOW.get(event, ("", True))
        return [*([Said(said)] if said else []), *(self.again() if again else [])]

    # --- the moves between modes -----------------------------------------------------

    def start(self, *, resume: bool = True) -> list[Reply]:
        """The greeting, then the first question, or an offer to resume a saved chat."""
        offered = self.saving.offer(self.given) if resume else None  # says if one is open elsewhere
        replies: list[Reply] = [Said(GREETING)]
        if self.saving.open_elsewhere:
            replies.append(Said(OPEN_ELSEWHERE))
        if not offered and self.newcomer.offer_due:
            self.mode = OfferingHelp()
            return [*replies, Said(newcomer.OFFER)]
        if not offered:
            return [*replies, *self._advance()]
        self.mode = OfferingResume(offered)
        return [*replies, Said(welcome_back(answers_in(offered)))]

    def _resume(self) -> list[Reply]:
        assert isinstance(self.mode, OfferingResume)
        saved = self.mode.saved
        self.given.resume(saved)
        dropped = [
            Said(f"I left out a cost you had set, which I no longer accept: {why}")
            for why in saved.get("dropped", ())
        ]
        return [Said("Here is where we were."), *dropped, *self._advance()]

    def _restart(self) -> list[Reply]:
        """Forget every answer and ask again from the first question; undo brings them back."""
        had = self.given.restart()
        self.mode = Starting()
        self.saving.clear()
        note = " Type undo to get your answers back." if had else ""
        return [Said(f"Starting over.{note}"), *self._advance()]

    def _undo(self) -> list[Reply]:
        if not self.given.undo():
            return [Said("There is nothing to undo."), *self.again()]
        return [Said("Your answers are back."), *self._advance()]

    def _advance(self) -> list[Reply]:
        """Ask the next unanswered question, or recommend when all are answered."""
        self.given.forget_hidden()
        question = self.given.next_unanswered()
        saving = self.saving.save(self.given, question)
        if question is None:
            return [*saving, *self._recommend()]
        return [*saving, *self._likely(question), *self._why_new(question), self._ask(question)]

    # --- for someone new to fine-tuning ---------------------------------------------------

    def _answer_help(self, text: str) -> list[Reply]:
        """A line at the offer to explain as we go: yes, no or not sure; a question, answered
        (and the offer made again); anything else answers the first question, in the terse flow,
        and nothing is remembered."""
        answer = newcomer.offer_answer(text)
        if answer is not None:
            return self._offered(answer)
        if intents.command(text) == "quit":
            return [self.goodbye()]
        if looks_like_question(text):
            found = self.lookup.answer(text)
            if found is not None:
                return [Explained(found.title, found.text, found.claims), Unclear(newcomer.OFFER, ())]
        self.newcomer.offer_due = False
        self.mode = Starting()
        self._advance()  # the first question opens, and the line answers it
        return self.handle(text)

    def _offered(self, answer: newcomer.Offered) -> list[Reply]:
        """The offer answered: explain as we go or not, remembered unless the person was unsure."""
        on = answer != "no"
        problem = self.newcomer.set(on, remember=answer != "unsure")
        said = {"yes": newcomer.ON, "no": newcomer.OFF, "unsure": newcomer.UNSURE}[answer]
        note = [Said(f"Note: this is not remembered: I {problem}.")] if problem else []
        self.mode = Starting()
        return [Said(said), *note, *self._advance()]

    def explain_as_we_go(self, on: bool) -> list[Reply]:
        """Turn the explanations on or off (typed, or from the chat's settings), remembered."""
        if isinstance(self.mode, OfferingHelp):  # switched in the settings while offered: the answer
            return self._offered("yes" if on else "no")
        was = self.newcomer.explaining
        problem = self.newcomer.set(on)
        if on:
            said = "I'll explain as we go." if not was else "I am explaining as we go already."
        else:
            said = "OK, I'll keep it short." if was else "I am keeping it short already."
        note = [Said(f"Note: this is not remembered: I {problem}.")] if problem else []
        question = self.current
        if on and not was and question is not None:
            return [Said(said), *note, *self._why_new(question), *self.again()]
        if on and not was and self.report is not None:
            return [Said(said), *note, Said(newcomer.picture(self.report))]
        return [Said(said), *note, *self.again()]

    def _why_new(self, question: Question) -> list[Reply]:
        """Why ``question`` matters, with the answers so far, for someone new to it."""
        if not self.newcomer.explaining:
            return []
        text = newcomer.why(question, self.given)
        return [Said(text)] if text else []

    def _likely(self, question: Question) -> list[Reply]:
        """Before a question the task left open, what it could be: "From what you wrote, it could
        be a label (category) for each input or written text." """
        likely = [
            c
            for value in self.given.wanted.get(question.id, ())
            for c in question.choices
            if c.value == value
        ]
        if question.id in self.given.values or not likely:
            return []
        words = [choice.said_as or choice.label.lower() for choice in likely]
        listed = ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else words[0]
        return [Said(f"From what you wrote, the {question.name} could be {listed}.")]

    def _ask(self, question: Question) -> Asked:
        """Open ``question``."""
        self.mode = Asking(question, self.report)
        return self._asked(question)

    def again(self) -> list[Reply]:
        """The open question again, if there is one."""
        return [self._asked(self.current)] if self.current else []

    def _asked(self, question: Question) -> Asked:
        number, total = self.given.show(question)
        previous = self.given.said.get(question.id) if question.id in self.given.values else None
        return Asked(question, number, total, previous)

    def empty(self) -> list[Reply]:
        """An empty line (Enter on nothing): an optional question is skipped, and said so; a
        required one says what to do; anywhere else, what can be done now."""
        if isinstance(self.mode, OfferingResume):
            return self.lines.answer_offer("")
        if isinstance(self.mode, Confirming):
            return [Unclear("Say yes to use it, no to leave it, or give the right answer.", ())]
        if isinstance(self.mode, Asking):
            return self._forward(self.mode, when_empty(self.mode.question))
        if isinstance(self.mode, Advising | TryingWhatIf):
            return [Said(self.hint.rstrip("…") + "; type export to save it, or quit.")]
        return self.again()

    def _recommend(self) -> list[Reply]:
        """The recommendation for the answers so far; a missing answer is asked, never a crash."""
        try:
            normalized = self.given.normalized()
        except AnswersError as error:
            question = self.given.next_unanswered() or next(iter(self.given.questions), None)
            note = Said(f"I still need something before I can recommend: {error.problems[0].message}.")
            return [note, self._ask(question)] if question is not None else [note]
        from advisor.report import build_report

        self.mode = Advising(build_report(self.kb, self.engine, normalized))
        picture = [Said(newcomer.picture(self.mode.report))] if self.newcomer.explaining else []
        return [Recommended(self.mode.report), *picture]

    def apply(
        self,
        values: Mapping[str, Any],
        said: Mapping[str, str],
        assumptions: Mapping[str, Override] | None = None,
        assumed: frozenset[str] = frozenset(),
        wanted: Mapping[str, tuple[str, ...]] | None = None,
    ) -> list[Reply]:
        """Record answers (and assumptions) and go on; after a recommendation, show what moved.
        ``assumed``: answers taken because the person was not sure; ``wanted``: questions the
        line left open, with their likely choices. When the answers add questions to ask
        ("some of it": how many are not labeled?), the next one says why."""
        before, plan = self.report, self.given.plan()
        self.given.wanted.update(wanted or {})
        self.given.take(values, said, dict(assumptions or {}), reported=before is not None, assumed=assumed)
        replies = self._advance()
        added = self.given.added(plan)
        if added is not None and replies and isinstance(replies[-1], Asked):
            at = len(replies) - 1
            if at and replies[at - 1] in self._why_new(replies[-1].question):
                at -= 1  # "One more question, since …" before the why of that question
            replies.insert(at, Said(added))
        after = self.report
        if before is None or after is None or after is before or not self.done or not self.given.changes:
            return replies
        return [what_moved(before, after, kept=True, changes=self.given.moved())]

    def confirm(self, reading: Reading, text: str) -> Confirm:
        """Hold a reading that looks wrong until the person says yes."""
        assert isinstance(self.mode, Asking | Advising | TryingWhatIf)
        self.mode = Confirming(reading, self.mode)
        return Confirm(text)

    def _confirmed(self, yes: bool) -> list[Reply]:
        assert isinstance(self.mode, Confirming)
        reading, self.mode = self.mode.reading, self.mode.then
        if yes:
            return self.lines.record(reading.understanding, reading.text)
        kept = self.lines.unchecked(reading.understanding)
        if kept is None:
            return [Said("OK, I haven't noted it."), *self.again()]
        # Only what was checked is left out; the rest of the line was read right, and is kept.
        left = "; ".join(self.lines.words(reading.understanding.checks))
        return [Said(f"OK, I left out {left}."), *self.lines.record(kept, reading.text)]

    def _choose(self, value: str | None, label: str | None) -> list[Reply]:
        """A quick reply: the canonical value of a choice of the open question, or a rough
        answer ("About $10,000") to its clarifying question."""
        question = self.current
        assert question is not None
        answer: Any = value
        if question.kind in ("count", "money") and value is not None:
            try:
                answer = self.reader.read(question, value).value
            except Unreadable as error:
                ending = "" if error.message.endswith(("?", ".")) else "."
                return [Unclear(f"Sorry, I couldn't read that: {error.message}{ending}", question.examples)]
        rough = isinstance(self.mode, Asking) and self.mode.unsure
        replies = self.apply(
            {question.id: answer}, {question.id: label or self.given.shown(question, answer)}
        )
        if rough:  # "Thousands": said back as the figure it stands for
            return [Said(f"I'll take {answer_words(question, answer)} as a rough figure."), *replies]
        return replies

    def _skip(self) -> list[Reply]:
        question = self.current
        assert question is not None
        if not question.optional:
            return self._unsure(at_once=False)
        # A question the task left open: the likeliest of the choices it named, as a file takes.
        likely = [
            v for v in self.given.wanted.get(question.id, ()) if v in {c.value for c in question.choices}
        ]
        value = likely[0] if likely else question.default
        return self.apply({question.id: value}, {question.id: "skipped"})

    def unsure(self, *, at_once: bool) -> list[Reply]:
        """The person does not know the answer to the open question ("not sure", "idk"); with
        ``at_once``, they said so in the question's own words ("as cheap as possible")."""
        if not isinstance(self.mode, Asking):
            return self.act("unsure")  # said why not
        return self._unsure(at_once=at_once)

    def _unsure(self, *, at_once: bool) -> list[Reply]:
        """The way forward for someone who does not know (:mod:`advisor.chat.forward`)."""
        mode = self.mode
        assert isinstance(mode, Asking)
        return self._forward(mode, when_unsure(mode.question, clarified=mode.unsure, at_once=at_once))

    def _forward(self, mode: Asking, forward: Forward) -> list[Reply]:
        """Make the move of a way forward: an assumed answer is marked as such in the answers,
        the answers file and the report; a clarifying question's rough answers are the options."""
        question = mode.question
        if forward.move == "assume":
            value = {question.id: assumed_value(question)}
            return [
                Said(forward.said),
                *self.apply(value, {question.id: "not sure"}, assumed=frozenset(value)),
            ]
        if forward.move == "skip":
            return [Said(forward.said), *self._skip()]
        if forward.move == "clarify":
            self.mode = Asking(question, mode.report, unsure=True)
        return [Unclear(forward.said, ())]

    def _edit(self, field: str) -> list[Reply]:
        """Ask an earlier question again (the person clicked its answer)."""
        question = self.kb.question.get(field)
        if question is None or question not in self.given.questions:
            return [Said("That question does not apply any more.")]
        return [self._ask(question)]

    def _back(self) -> list[Reply]:
        """The question numbered before the open one (or the last one, after the recommendation);
        one answered in passing is changed in words, or by clicking its answer."""
        plan, current = self.given.plan(), self.current
        if current is None:
            return [self._ask(plan[-1])] if plan else self._advance()
        index = plan.index(current) if current in plan else len(plan)
        if index == 0:
            return [Said("This is the first question."), *self.again()]
        return [self._ask(plan[index - 1])]

    def _explain(self) -> list[Reply]:
        """Explain the open question, the offer to resume, or what can be done now."""
        if isinstance(self.mode, OfferingResume):
            return [Explained("Resume or start over", HELP_OFFER, ()), *self.lines.answer_offer("")]
        question = self.current
        if question is None:
            return [Explained("What you can do now", HELP_AFTER, ())]
        return [Explained(question.prompt, question.help, question.claims), self._asked(question)]

    # --- after the recommendation -------------------------------------------------------

    def what_if(self, changes: Mapping[str, Any]) -> Reply:
        """The recommendation with some answers changed, without keeping the change."""
        report = self.report
        assert report is not None
        compared = compare(report, self.engine, self.given, changes)
        if isinstance(compared, Compared):
            self.mode = TryingWhatIf(dict(changes), report)
        return compared

    def _keep(self) -> list[Reply]:
        """Keep the answers of the last what-if."""
        assert isinstance(self.mode, TryingWhatIf)
        changes = self.mode.answers
        self.mode = Advising(self.mode.report)
        shown = {f: self.given.shown(self.kb.question[f], v) for f, v in changes.items()}
        return [Said("Kept."), *self.apply(changes, shown)]

    def _why(self) -> list[Reply]:
        """The decision in plain language: scores, the rules that fired, those that did not."""
        assert self.report is not None
        return [Traced(self.report, trace_lines(self.report))]

    def _export(self) -> list[Reply]:
        """The report as Markdown and the answers as a file ``advisor recommend`` reproduces it from."""
        assert self.report is not None
        return [export_of(self.report)]

    def goodbye(self) -> Goodbye:
        """Bye, and whether the answers will be there next time."""
        return self.saving.goodbye(self.answers_kept)

    def summary_line(self) -> str:
        """One line for the footer: how far along the questions are."""
        return status(self.mode, self.given, self.saving.unsaved)
