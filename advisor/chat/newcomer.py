"""For someone new to fine-tuning: the offer to explain as we go, why each question matters
(with the person's own answers as the example), and at the recommendation a picture of the
three approaches and the four cost categories in the person's own numbers.

Whether to explain is the person's preference, kept in :class:`~advisor.settings.Settings`
(``"explain": true``): a person who answered the offer once is not asked again, and can turn it
on or off at any time ("explain as we go", "stop explaining", or the chat's settings). The why
of each question is the knowledge base's (``why_new`` in ``questions.yaml``); the picture only
reads the report: every figure in it is one the report states.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, Literal

from advisor.chat.given import Given
from advisor.formatting import format_value, usd_range
from advisor.kb.models import Question, why_slots
from advisor.settings import Settings
from advisor.text import Vocabulary

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = [
    "EXPLAIN_KEY",
    "OFFER",
    "Newcomer",
    "Offered",
    "offer_answer",
    "picture",
    "switch",
    "why",
]

EXPLAIN_KEY: Final = "explain"
"""The preference's key in the settings file."""

OFFER: Final = (
    "New to fine-tuning? I can explain as we go: why each question matters, and at the end "
    "what the three approaches and the four kinds of cost mean for your project. Shall I?"
)
ON: Final = "I'll explain as we go. Say “stop explaining” any time, or type help at a question for more."
OFF: Final = "Fine, I'll keep it short. Say “explain as we go” any time if you want the why of each question."
UNSURE: Final = "Then I'll explain as we go; say “stop explaining” any time and I'll keep it short."

Offered = Literal["yes", "no", "unsure"]
"""An answer to the offer: explain (remembered), keep it short (remembered), or explain in
this chat only (the person was not sure: asked again next time)."""

_OFFER_MEANINGS: Final[dict[Offered, tuple[str, ...]]] = {
        "yes": (
            "yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "please", "yes please", "please do",
            "explain", "explain please", "please explain", "yes explain", "yes please explain",
            "explain as we go", "explain as you go", "yes explain as we go", "yes explain as you go",
            "new", "im new", "i am new", "im new here", "im new to this", "i am new to this",
            "new to this", "im new to fine tuning", "i am new to fine tuning", "new to fine tuning",
            "im new to fine-tuning", "i am new to fine-tuning", "new to fine-tuning",
            "yes im new", "yes i am new", "beginner", "im a beginner", "i am a beginner",
            "total beginner", "total beginner here", "complete beginner", "never done this",
            "never done this before", "ive never done this", "first time", "its my first time",
        ),
        "unsure": (
            "idk", "i dont know", "dont know", "not sure", "no idea", "maybe", "kind of", "kinda",
            "a bit", "a little", "sort of", "somewhat", "a little bit",
        ),
        "no": (
            "no", "n", "nope", "nah", "no thanks", "no thank you", "no need", "no i know this",
            "i know this", "i know what im doing", "ive done this before", "i have done this before",
            "done this before", "not new", "im not new", "no im not new", "no i am not new",
            "expert", "im an expert", "i am an expert", "skip", "keep it short", "no explanations",
        ),
}  # fmt: skip
_OFFER_WORDS: Final[Vocabulary[Offered]] = Vocabulary(
    (word, meaning) for meaning, words in _OFFER_MEANINGS.items() for word in words
)
"""Answers to the offer, matched whole (after :func:`~advisor.text.clean`): a line that only
starts with "no" ("no labels yet") is an answer to the first question, never a no."""

_SWITCH: Final[Vocabulary[bool]] = Vocabulary(
    (word, on)
    for on, words in {
        True: ("explain as we go", "explain as you go", "please explain as we go", "im new",
               "i am new", "im new to this", "i am new to this", "im new to fine tuning",
               "im new to fine-tuning", "i am new to fine-tuning",
               "start explaining", "explain more", "explain each question"),
        False: ("stop explaining", "no more explanations", "dont explain", "keep it short",
                "shorter please", "i know this", "fewer explanations"),
    }.items()
    for word in words
)  # fmt: skip
"""What turns the explanations on or off at any point of the chat."""


def offer_answer(text: str) -> Offered | None:
    """What a line says to the offer; ``None``: it is no answer to it (a project described).
    A line of several parts is an answer when every part is one, and they agree: "yes please,
    I am new"."""
    whole = _OFFER_WORDS.exact(text.rstrip("!. "))
    if whole is not None:
        return whole
    parts = [part.strip(" !.") for part in re.split(r"[,;]|\band\b", text) if part.strip(" !.")]
    meanings = {_OFFER_WORDS.exact(part) for part in parts}
    return meanings.pop() if len(parts) > 1 and len(meanings) == 1 and None not in meanings else None


def switch(text: str) -> bool | None:
    """``True``/``False`` for a line that turns the explanations on or off, else ``None``."""
    return _SWITCH.exact(text.rstrip("!. "))


class Newcomer:
    """Whether this chat explains as it goes, and the person's preference behind it."""

    def __init__(self, settings: Settings | None) -> None:
        self.settings = settings
        """Where the preference is kept; ``None``: nothing is kept and nothing is offered (a
        script, a test, a browser visit), and the chat is terse unless asked to explain."""
        remembered = settings.flag(EXPLAIN_KEY) if settings is not None else None
        self.explaining = bool(remembered)
        self.offer_due = settings is not None and remembered is None
        """Whether to offer at the start: there are settings, and they do not say yet."""

    def set(self, on: bool, *, remember: bool = True) -> str | None:
        """Explain from now on, or not; remembered unless ``remember`` is false. What went
        wrong keeping it, if anything."""
        self.explaining = on
        self.offer_due = False
        if remember and self.settings is not None and not self.settings.change(EXPLAIN_KEY, on):
            return self.settings.error
        return None


def why(question: Question, given: Given) -> str | None:
    """Why ``question`` matters, in two sentences: the first of its ``why_new`` texts whose
    slots the answers so far fill, with those answers in it."""
    for text in question.why_new:
        words = {name: _words(given, name) for name in why_slots(text)}
        if all(value is not None for value in words.values()):
            return " ".join(text.format_map(words).split())
    return None


def _words(given: Given, field: str) -> str | None:
    """An answer as a why text says it: "5,000", "$3,000", "text", "a model of 110M parameters"."""
    value = given.values.get(field)
    question = given.kb.question.get(field)
    if value is None or question is None:
        return None
    choice = next((c for c in question.choices if c.value == value), None)
    if choice is not None:
        return choice.said_as or choice.label.lower()
    if question.kind == "task":
        text = " ".join(str(value).split())
        return text if len(text) <= 60 else text[:57].rstrip(" ,.;") + "…"
    if question.kind == "model_size":
        return f"a model of {format_value(value, 'model_size')}"
    return format_value(value, question.kind)


_APPROACHES: Final = (
    "Three approaches: supervised fine-tuning trains a pre-trained model on examples with the "
    "right answer attached, unsupervised fine-tuning trains it on raw data without labels, and "
    "transfer learning adapts a model already trained for a related task with a small dataset"
)
_CATEGORIES: Final = (
    "Every plan costs in four categories: compute (the machines' time), data (collecting, "
    "labeling and storing it), personnel (the people's time) and tooling (software and "
    "infrastructure)"
)


def picture(report: Report) -> str:
    """The three approaches and the four cost categories, in three sentences with the report's
    own figures: what each approach costs here, and which category weighs most and least."""
    costs = [f"{report.name.lower()} costs {usd_range(report.cost.low, report.cost.high)}"]
    for alternative in report.alternatives:
        name = alternative.name.lower()
        name = f"“{name}”" if "," in name else name  # a plan of two steps, one item of the list
        if alternative.excluded:
            costs.append(f"{name} is ruled out here")
        else:
            costs.append(f"{name} {usd_range(alternative.cost.low, alternative.cost.high)}")
    first = f"{_APPROACHES}; here {_listed(costs)}."
    categories = sorted(report.cost.categories, key=lambda c: -c.high)
    most = categories[0]
    total = usd_range(report.cost.low, report.cost.high)
    third = f"Of the {total} for {report.name.lower()}, {most.category} is most: {_range(most)}"
    weeks = report.cost.weeks
    if most.category == "personnel" and weeks:
        third += f" ({weeks} weeks of an engineer's time)"
    compute = next((c for c in report.cost.categories if c.category == "compute"), None)
    other = compute if compute is not None and compute is not most else categories[-1]
    third += f"; {other.category} is {_range(other)}"
    if other.category == "compute" and report.method.params:
        third += f", for a model of {format_value(report.method.params, 'model_size')}"
    return f"{first} {_CATEGORIES}. {third}."


def _range(category: Any) -> str:
    return usd_range(category.low, category.high)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
