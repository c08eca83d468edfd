"""The chat's modes: what it waits for now, one at a time, and what a person can do in each.

A conversation is in exactly one :data:`Mode`. :data:`MOVES` lists the events each mode
takes (any other is answered with why it cannot be done now), and the options a person has
(:func:`options`) and the hint of what to type (:func:`hint`) come from the mode alone, so
that no view works them out again::

    mode             waits for                                  moves to
    Starting         nothing yet: the greeting comes first       OfferingResume, OfferingHelp, Asking
    OfferingHelp     yes or no to "explain as we go?"            Asking
    OfferingResume   resume, or start over                       Asking, Advising
    Asking           an answer to its question                   Asking, Confirming, Advising
    Confirming       yes or no to a reading that looks wrong     the mode it came from, and on
    Advising         why?, a what-if, a changed answer, export   TryingWhatIf, Asking, Confirming
    TryingWhatIf     keep it, or carry on                        Advising, Asking, Confirming

A new mode is one dataclass here, added to :data:`Mode`, with its row in :data:`MOVES`,
its options in :func:`options` and its hint in :func:`hint`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeGuard, get_args

from advisor.chat.given import Given, answers_in
from advisor.formatting import usd_range
from advisor.kb.models import Question
from advisor.records import dataclass

if TYPE_CHECKING:
    from advisor.report import Report
    from advisor.understanding import Understanding

__all__ = [
    "KEEPS_READING",
    "MOVES",
    "NOT_NOW",
    "Action",
    "Advising",
    "Asking",
    "Confirming",
    "Event",
    "Mode",
    "OfferingHelp",
    "OfferingResume",
    "Option",
    "Reading",
    "Starting",
    "TryingWhatIf",
    "hint",
    "is_event",
    "options",
    "question_of",
    "report_of",
    "status",
]


@dataclass(frozen=True, slots=True)
class Reading:
    """A line's answers read but not yet used: waiting for a yes."""

    understanding: Understanding
    text: str
    """The line as typed: kept as what the person said for each answer it gives."""
    correcting: bool


@dataclass(frozen=True, slots=True)
class Starting:
    """Before the greeting: the chat has said nothing yet."""


@dataclass(frozen=True, slots=True)
class OfferingResume:
    """A saved chat is offered: resume it, or start over."""

    saved: Mapping[str, Any]
    """The saved answers, checked again (:func:`advisor.chat.store.restore`)."""


@dataclass(frozen=True, slots=True)
class OfferingHelp:
    """Before the first question: "New to fine-tuning? I can explain as we go": yes or no."""


@dataclass(frozen=True, slots=True)
class Asking:
    """A question is open."""

    question: Question
    report: Report | None = None
    """The recommendation made before, when a question is asked again after it."""
    unsure: bool = False
    """The person said "not sure" and was asked a clarifying question: its rough answers
    ("Thousands", "About $10,000") are the options now."""


@dataclass(frozen=True, slots=True)
class Advising:
    """The recommendation is given: the chat answers why?, what-ifs and changed answers."""

    report: Report


@dataclass(frozen=True, slots=True)
class TryingWhatIf:
    """A what-if is shown: its answers are kept only if the person says so."""

    answers: Mapping[str, Any]
    """The answers the what-if changed, as they would be kept."""
    report: Report
    """The recommendation the what-if was compared with."""


@dataclass(frozen=True, slots=True)
class Confirming:
    """A reading that looks wrong ("only 2 labeled images?") waits for a yes or a no."""

    reading: Reading
    then: Asking | Advising | TryingWhatIf
    """The mode the reading came in, and goes back to on a no."""


Mode = Starting | OfferingResume | OfferingHelp | Asking | Confirming | Advising | TryingWhatIf
"""Every mode of the chat."""

Event = Literal[
    "choose", "skip", "unsure", "explain", "back", "edit", "why", "export", "keep", "yes", "no", "resume",
    "restart", "undo", "quit",
]  # fmt: skip
"""What a person can ask for, by a button, a key or a typed command."""


def _takes(*events: Event) -> frozenset[Event]:
    return frozenset(events)


_ANSWERED: Final = ("explain", "restart", "undo", "quit", "back", "edit")  # once the questions have begun

MOVES: Final[Mapping[type[Mode], frozenset[Event]]] = {
    Starting: _takes(),
    OfferingResume: _takes("resume", "restart", "explain", "quit"),
    OfferingHelp: _takes("yes", "no", "quit"),
    Asking: _takes(*_ANSWERED, "choose", "skip", "unsure"),
    Confirming: _takes("yes", "no"),  # and every event of the mode it came from
    Advising: _takes(*_ANSWERED, "why", "export"),
    TryingWhatIf: _takes(*_ANSWERED, "why", "export", "keep"),
}
"""The events each mode takes."""

KEEPS_READING: Final = _takes("explain", "why", "export", "quit")
"""The events that only say something: a reading waiting for a yes still waits after them;
any other leaves it, as a line that is neither yes nor no does."""

NOT_NOW: Final[Mapping[Event, tuple[str, bool]]] = {
    "choose": ("There is no open question; type restart to start over.", True),
    "skip": ("There is no open question to skip.", True),
    "unsure": ("There is no open question: change any answer in words, or type restart.", False),
    "why": (
        "I will explain my reasons once I have a recommendation; let's finish the questions first.",
        True,
    ),
    "export": ("There is nothing to export yet: the recommendation comes after the questions.", False),
    "keep": ("There is no what-if to keep.", True),
}
"""What is said of an event the mode does not take, and whether the open question is asked
again after it (an event missing here: only the question again). While a resume is offered,
the offer is made again instead."""


def is_event(name: str) -> TypeGuard[Event]:
    """Whether ``name`` is an event (an option's action may be the view's own)."""
    return name in get_args(Event)


def question_of(mode: Mode) -> Question | None:
    """The open question, if any (a reading waiting for a yes keeps it open)."""
    if isinstance(mode, Confirming):
        return question_of(mode.then)
    return mode.question if isinstance(mode, Asking) else None


def report_of(mode: Mode) -> Report | None:
    """The latest recommendation, in any mode that has one."""
    if isinstance(mode, Confirming):
        return report_of(mode.then)
    if isinstance(mode, Asking | Advising | TryingWhatIf):
        return mode.report
    return None


Action = Literal[
    "choose", "skip", "unsure", "explain", "yes", "no", "resume", "restart", "undo", "why", "what_if",
    "export", "copy_report", "download_answers", "keep",
]  # fmt: skip
"""What an option does. ``download_answers`` is offered by a view in a browser only, where the
answers file is a download of its own."""


@dataclass(frozen=True, slots=True)
class Option:
    """Something a person can do now: a button in the chat, a numbered choice in ``advisor ask``."""

    label: str
    action: Action
    value: str | None = None
    """The choice's canonical value (``choose``), or the words a what-if starts with (``what_if``)."""
    closed: bool = False
    """One of a closed set of answers to what the chat asks (a choice, yes or no, resume or
    start over): a line holding only its number can mean nothing else."""


_AFTER = (
    Option("Why?", "why"),
    Option("What if…", "what_if", "what if my budget were $"),
    Option("Export", "export"),
    Option("Copy", "copy_report"),
    Option("Restart", "restart"),
)


def options(mode: Mode, *, undo: bool, first: tuple[str, ...] = ()) -> tuple[Option, ...]:
    """The options a person has in ``mode``; ``undo``: a restart can be undone; ``first``: the
    choices to offer first (those a task description makes likely)."""
    found: tuple[Option, ...] = ()
    if isinstance(mode, OfferingResume):
        found = (Option("Resume", "resume", closed=True), Option("Start over", "restart", closed=True))
    elif isinstance(mode, Confirming):
        found = (Option("Yes", "yes", closed=True), Option("No", "no", closed=True))
    elif isinstance(mode, OfferingHelp):
        found = (
            Option("Yes, explain as we go", "yes", closed=True),
            Option("No, I know this", "no", closed=True),
        )
    elif isinstance(mode, Asking):
        found = _rough(mode.question) if mode.unsure else _answers(mode.question, first)
    elif isinstance(mode, Advising):
        found = _AFTER
    elif isinstance(mode, TryingWhatIf):
        found = (Option("Keep it", "keep"), *_AFTER)
    return (Option("Undo restart", "undo"), *found) if undo else found


MOST_CHOICES = 4
"""Choices offered as buttons at most: a question of more (the nine outputs) offers the likely
ones, or its first; the others are answered in words, as every choice can be."""


def _answers(question: Question, first: tuple[str, ...] = ()) -> tuple[Option, ...]:
    """A question's choices (``first``, those a task makes likely, ahead of the others; at most
    :data:`MOST_CHOICES`), Skip when it may be skipped, and Explain."""
    closed = bool(question.choices)
    ordered = sorted(question.choices, key=lambda c: first.index(c.value) if c.value in first else len(first))
    likely = [c for c in ordered if c.value in first]
    shown = (likely or ordered)[:MOST_CHOICES]
    found = [Option(c.label, "choose", c.value, closed=True) for c in shown]
    if question.optional:
        found.append(Option("Skip", "skip", closed=closed))
    return (*found, Option("Explain", "explain"))


def _rough(question: Question) -> tuple[Option, ...]:
    """The rough answers of a clarifying question ("Thousands"), and Explain; one without a value
    ("No budget yet") says not sure again."""
    rough = question.unsure.rough if question.unsure else ()
    found = [
        Option(r.label, "unsure", closed=True)
        if r.value is None
        else Option(r.label, "choose", str(r.value), closed=True)
        for r in rough
    ]
    return (*found, Option("Explain", "explain")) if found else _answers(question)


def hint(mode: Mode) -> str:
    """What the person may type now, in a few words (the chat's input shows it when empty)."""
    if isinstance(mode, OfferingResume):
        return "Type resume or start over…"
    if isinstance(mode, Confirming):
        return "Yes, no, or the right answer…"
    if isinstance(mode, OfferingHelp):
        return "Yes, no, or tell me about your project…"
    if isinstance(mode, Asking) and mode.unsure:
        return "Pick the closest, or type a rough answer…"
    if isinstance(mode, Asking):
        return _with_examples(mode.question.examples)
    if isinstance(mode, Advising | TryingWhatIf):
        return "Ask why?, what if my budget were $50k?, or any question…"
    return "Type an answer, or a question…"


def _with_examples(examples: Sequence[str], room: int = 60) -> str:
    """ "Type an answer (2k, about 10,000) or a question…", with as many examples as fit in
    ``room`` characters, so that it is not cut off at 80 columns."""
    shown: list[str] = []
    for example in examples[:3]:
        if len(", ".join([*shown, example])) > room - len("Type an answer () or a question…"):
            break
        shown.append(example)
    return f"Type an answer ({', '.join(shown)}) or a question…" if shown else "Type an answer or a question…"


def status(mode: Mode, given: Given, unsaved: str = "") -> str:
    """One line for a footer: how far along the questions are (``unsaved``: why the answers
    are not saved, for the line's end)."""
    if isinstance(mode, OfferingResume):
        count = answers_in(mode.saved)
        return f"{count} saved answer{'s' if count != 1 else ''}: resume, or start over"
    report, current = report_of(mode), question_of(mode)
    if report is not None and current is None:
        return f"Recommendation: {report.name} · {usd_range(report.cost.low, report.cost.high)}{unsaved}"
    plan = given.plan()
    if current is not None and current in plan:
        number = plan.index(current) + 1
    else:
        number = min(sum(1 for q in plan if q.id in given.values) + 1, len(plan))
    return f"Question {number} of {len(plan)}{unsaved}"
