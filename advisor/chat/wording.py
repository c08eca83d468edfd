"""How the chat says back what it read, what changed, and what a change moved.

Choices are named by their button labels, so the person sees the words of
the buttons they could have pressed; numbers with their question's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from advisor.chat.replies import Compared
from advisor.formatting import format_value, usd_range, with_article
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import TASK_FIELDS
from advisor.kb.models import Question

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = [
    "GREETING",
    "HELP_AFTER",
    "HELP_OFFER",
    "OPEN_ELSEWHERE",
    "RESUME_WORDS",
    "answer_words",
    "change_words",
    "closest_choice",
    "empty_line",
    "not_sure_skip",
    "read_back",
    "skip_assumes",
    "skipped",
    "welcome_back",
    "what_moved",
]

GREETING = (
    "Hi! I'll help you choose how to fine-tune a model, estimate what it will cost, "
    "and show you the sources. A few quick questions: pick an option or answer in "
    "your own words, several at once if you like (“5k labelled tickets, BERT, $3k”). "
    'Type help to have a question explained, back to go back, or ask me anything, like "what '
    'is transfer learning?".'
)
OPEN_ELSEWHERE = (
    "Another advisor chat is open, in another window or terminal: this one keeps "
    "its answers apart from it, so that neither overwrites the other."
)
RESUME_WORDS = ("resume", "start over")
HELP_OFFER = (
    "You answered some questions in an earlier chat. Resume takes them up where you "
    "left off; start over asks every question again (undo brings the answers back). "
    "Quit leaves them saved as they are."
)
HELP_AFTER = (
    "Ask why? or why not supervised? to see how I decided; ask what if my budget "
    "were $50k? or what about a bigger model? to compare; what would supervised "
    "cost?; correct an answer in words (“actually, only half are labeled”); type "
    "export to save the report and your answers; restart to start over; quit to leave."
)


def welcome_back(answers: int) -> str:
    """The offer to resume a saved chat of ``answers`` answers."""
    plural = "s" if answers != 1 else ""
    return (
        f"Welcome back: you had answered {answers} question{plural} last time. "
        "Resume where you left off, or start over?"
    )


def empty_line(question: Question) -> str:
    """What to do at a question that may not be skipped, after Enter on an empty line."""
    if question.choices:
        return "Type an answer, pick one of the choices, or say “not sure”."
    return "Type an answer (a rough one is fine), or say “not sure”."


_NOT_SURE = "Not sure is fine: "


def skip_assumes(question: Question) -> str | None:
    """What skipping an optional question assumes, in its own help ("If you skip, I count a
    market rate."): "I count a market rate"; else in what it says to someone unsure."""
    for sentence in " ".join(question.help.split()).split(". "):
        if sentence.startswith("If you skip, "):
            return sentence.removeprefix("If you skip, ").rstrip(".")
    said = " ".join(question.unsure.said.split()) if question.unsure and question.unsure.said else ""
    if said.startswith(_NOT_SURE) and said.count(". ") == 0:  # one sentence: "I'll assume …"
        return said.removeprefix(_NOT_SURE).rstrip(".")
    return None


def not_sure_skip(question: Question) -> str:
    """ "Not sure is fine: I count a market rate.": said when someone unsure skips a question."""
    assumes = skip_assumes(question)
    if assumes is not None:
        return f"Not sure is fine: {assumes}."
    return f"Not sure is fine: I'll leave the {question.name} out. You can tell me later."


def skipped(question: Question) -> str:
    """ "Skipped the team: I count a market rate.": said when Enter on an empty line skips."""
    assumes = skip_assumes(question)
    return f"Skipped the {question.name}" + (f": {assumes}." if assumes else ".")


def closest_choice(question: Question) -> str:
    """A clarifying question for someone unsure at a question with nothing to assume (the task,
    the labels): which choice is closest, each with the first sentence of its help ("“Some of it”
    (A part has answers, the rest is raw)")."""
    labels = [f"“{choice.label}”" + _gloss(choice.help) for choice in question.choices]
    if len(labels) > 1:
        closest = f"{', '.join(labels[:-1])} or {labels[-1]}"
        return f"No problem, a rough answer is fine. Which is closest: {closest}?"
    examples = ", ".join(question.examples)
    return "No problem, a rough answer is fine" + (f", such as {examples}." if examples else ".")


def _gloss(help_text: str | None) -> str:
    """ " (a part has answers, the rest is raw)": a choice's help, its first sentence."""
    if not help_text:
        return ""
    first = help_text.split(". ")[0].rstrip(".")
    return f" ({first})"


def answer_words(question: Question, value: Any) -> str:
    """One answer in words: “Yes, labeled”, 5,000 labeled examples, a $3,000 budget."""
    if value is None:
        return f"no {question.name} given"
    label = next((choice.label for choice in question.choices if choice.value == value), None)
    if label is not None:
        return f"“{label}”"
    if question.kind == "count":
        return f"{format_value(value, 'count')} {_one(question.name) if value == 1 else question.name}"
    if question.kind == "money":
        return f"{with_article(format_value(value, 'money'))} {question.name}"
    return format_value(value, question.kind)


_SINGULAR = {"people": "person", "examples": "example"}


def _one(name: str) -> str:
    """A count's name for one: "1 person working on it", "1 labeled example"."""
    return " ".join(_SINGULAR.get(word, word) for word in name.split())


def read_back(kb: KnowledgeBase, values: Mapping[str, Any], notes: Mapping[str, str] | None = None) -> str:
    """ "I read: “Text”; “Yes, labeled”; 5,000 labeled examples; a $3,000 budget." in question order."""
    notes = notes or {}
    parts = []
    described = any(name in values for name in TASK_FIELDS)
    for question in kb.questions:
        if question.id not in values or (question.kind == "task" and described):
            continue  # a task is read back as what it says: "output: “A label per input”"
        note = f" ({notes[question.id]})" if question.id in notes else ""
        words = answer_words(question, values[question.id])
        named = question.id in TASK_FIELDS or question.kind == "task"
        parts.append((f"{question.name}: " if named else "") + words + note)
    return "I read: " + "; ".join(parts) + "."


def change_words(question: Question, before: Any, after: Any) -> str:
    """ "budget: $5,000 → $10,000", "labels: “Yes, labeled” → “Some of it”"."""
    return f"{question.name}: {_short(question, before)} → {_short(question, after)}"


def _short(question: Question, value: Any) -> str:
    if value is None:
        return "not given"
    label = next((choice.label for choice in question.choices if choice.value == value), None)
    return f"“{label}”" if label is not None else format_value(value, question.kind)


def what_moved(before: Report, after: Report, *, kept: bool, changes: tuple[str, ...] = ()) -> Compared:
    """A changed answer or a what-if: what the change did to the recommendation, cost and budget."""
    moved: list[str] = []
    if before.approach != after.approach:
        moved.append(f"The recommendation changes from {before.name.lower()} to {after.name.lower()}.")
    else:
        moved.append(f"The recommendation stays {after.name.lower()}.")
    if (round(before.cost.low), round(before.cost.high)) != (round(after.cost.low), round(after.cost.high)):
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
