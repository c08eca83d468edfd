"""The way forward for someone who does not know an answer, or who presses Enter on nothing.

A question that may not be skipped still has one (:func:`when_unsure`): the value its
``unsure`` assumes, said ("I'll assume a small model like BERT"), after a clarifying question
with rough answers where it has one ("about $1,000, $10,000 or $100,000?"); a count with
nothing to assume asks roughly until it gets a figure; a choice with nothing to assume offers
its choices again, each explained. An optional question is skipped, saying what that assumes.
These are decisions only: the conversation (:mod:`advisor.chat.conversation`) makes the move.
"""

from __future__ import annotations

from typing import Literal

from advisor.answers import assumes
from advisor.chat.wording import closest_choice, empty_line, not_sure_skip, skipped
from advisor.kb.models import Question
from advisor.records import dataclass

__all__ = ["ROUGHLY_AGAIN", "Forward", "when_empty", "when_unsure"]

ROUGHLY_AGAIN = "Any rough guess is fine: pick the closest, or type a number."
"""Said when someone is still unsure at a clarifying question that has nothing to assume."""


@dataclass(frozen=True, slots=True)
class Forward:
    """What to say, and the move: take the value the question assumes (``assume``), skip an
    optional question (``skip``), ask the clarifying question whose rough answers become the
    options (``clarify``), or keep the question open (``again``)."""

    said: str
    move: Literal["assume", "skip", "clarify", "again"]


def when_unsure(question: Question, *, clarified: bool, at_once: bool) -> Forward:
    """Someone does not know the answer to ``question``; ``clarified``: the clarifying question
    was asked already; ``at_once``: they said so in the question's own words ("as cheap as
    possible"), which needs no clarifying question."""
    unsure = question.unsure
    ask = unsure.ask if unsure is not None else None
    if assumes(question):
        if ask is not None and not (clarified or at_once):
            return Forward(ask, "clarify")
        said = unsure.said if unsure is not None and unsure.said else not_sure_skip(question)
        return Forward(said, "assume")
    if ask is not None:
        return Forward(ROUGHLY_AGAIN if clarified else ask, "clarify")
    return Forward(closest_choice(question), "again")


def when_empty(question: Question) -> Forward:
    """Enter on nothing at ``question``: an optional one is skipped and said so; at a required
    one, what to do."""
    if question.optional:
        return Forward(skipped(question), "skip")
    return Forward(empty_line(question), "again")
