"""What a sentence says of a question's subject: yes, no, or some of it.

"nobody tagged them", "they aren't labeled", "not yet", "none labeled": no.
"only half are labeled", "about 30%", "we labeled a few", "not all of them": some.
"all of it is annotated", "they are tagged": yes.

A question with a ``subject`` (the labels: "labeled", "tagged", "annotated")
is read by the words in scope of its subject words, within one clause: a
negation (:data:`NEGATIONS`), a part (:data:`PARTS`, or a percentage under
100), or a whole (:data:`WHOLES`). A negated whole is a part ("not all of them
are labeled"), and so is a negated part ("we don't have labels for most").
A clause that hedges (:data:`HEDGES`: "not sure if", "we could label") says
nothing. At the question itself, a short clause needs no subject word: "only
half", "not yet", "they're not".

Which choice each stance stands for is the knowledge base's
(:attr:`~advisor.kb.models.Choice.stance`); the words here are English grammar.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.kb.models import Question, Stance
from advisor.numbers import Number, numbers_in
from advisor.records import dataclass
from advisor.text import Vocabulary, clean, singular

__all__ = [
    "HEDGES",
    "NEGATIONS",
    "PARTS",
    "UNSURE",
    "WHOLES",
    "Said",
    "Scoped",
    "hedged",
    "scoped_choice",
    "stance_of",
    "unsure",
]

NEGATIONS = (
    "no",
    "not",
    "none",
    "nobody",
    "no one",
    "nothing",
    "never",
    "without",
    "neither",
    "nor",
    "zero",
    "yet to",
    "nope",
    "nah",
    "aren't",
    "isn't",
    "wasn't",
    "weren't",
    "haven't",
    "hasn't",
    "hadn't",
    "don't",
    "doesn't",
    "didn't",
    "can't",
    "cannot",
    "won't",
    "ain't",
)
"""Words that deny what they are said of ("n't" after clean(): "arent", "havent")."""

PARTS = {
    "some": None,
    "half": 0.5,
    "a third": 1 / 3,
    "a quarter": 0.25,
    "a few": None,
    "few": None,
    "a couple": None,
    "a handful": None,
    "part": None,
    "partly": None,
    "partially": None,
    "partial": None,
    "portion": None,
    "fraction": None,
    "subset": None,
    "most": None,
    "mostly": None,
    "majority": None,
    "minority": None,
    "several": None,
    "a bit": None,
    "a little": None,
    "semi": None,
}
"""Words that say "some of it", with the share they name where they name one."""

WHOLES = ("all", "every", "each", "fully", "entirely", "completely", "everything", "whole", "every single")
"""Words that say "all of it"."""

UNSURE = ("not sure", "unsure", "no idea", "don't know", "do not know", "idk", "no clue", "not certain", "if")
"""Words that say a clause is a guess: "not sure if they're labeled"."""

HEDGES = (
    *UNSURE,
    "could",
    "would",
    "might",
    "will",
    "plan to",
    "planning to",
    "going to",
    "want to",
    "hope to",
)
"""Words that make a clause say nothing for sure of the subject: a guess, or a plan ("we could
label 500", "we want to label them")."""

_INTENSIFIERS = (" at all ", " or not ", " or no ", " yes or no ")
"""Phrases that strengthen a negation without being a quantity ("not labelled at all"), or name
the label itself ("tagged angry or not": a yes-or-no label, not a missing one)."""

_FILLERS = frozenset(
    [
        "they",
        "theyre",
        "it",
        "its",
        "them",
        "those",
        "these",
        "we",
        "i",
        "our",
        "have",
        "has",
        "had",
        "do",
        "did",
        "are",
        "is",
        "were",
        "was",
        "be",
        "been",
        "of",
        "the",
        "a",
        "an",
        "only",
        "just",
        "about",
        "around",
        "roughly",
        "approximately",
        "maybe",
        "perhaps",
        "yet",
        "so",
        "far",
        "still",
        "but",
        "yes",
        "really",
        "actually",
        "um",
        "well",
        "ok",
        "percent",
    ]
)
"""Words that may stand beside the qualifiers of a clause read without its subject: "they're not"."""


@dataclass(frozen=True, slots=True)
class Said:
    """What one clause says of the subject."""

    stance: Stance
    fraction: float | None = None
    """The share it names, when it names one ("half": 0.5, "30%": 0.3)."""
    subject: bool = True
    """Whether the clause named the subject ("labeled"), or only qualified it ("only half")."""


def _phrases(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(clean(word) for word in words))


_NEGATIONS = _phrases(NEGATIONS)
_WHOLES = _phrases(WHOLES)
_HEDGES = _phrases(HEDGES)
_UNSURE = _phrases(UNSURE)
_PARTS = {clean(word): share for word, share in PARTS.items()}
_SPELLED = tuple(word for word in (*_NEGATIONS, *_WHOLES, *_PARTS) if " " not in word and len(word) >= 5)
"""The qualifiers a typo is put right to ("partialy", "nothin")."""


def _yes_or_no(question: Question) -> bool:
    """Whether a question is answered yes or no ("Do you have labeled examples?"): its negated
    choice takes "no" for a reply. Only such a question is answered by "not yet" or "only half"."""
    return any(choice.stance == "negated" and "no" in choice.replies for choice in question.choices)


def _only_qualifiers(padded: str) -> bool:
    """Whether a clause holds nothing but qualifiers and small words ("only half", "not yet",
    "most of them"): at its question, such a clause is about the subject without naming it."""
    rest = padded
    for phrase in sorted((*_NEGATIONS, *_WHOLES, *_PARTS), key=len, reverse=True):
        rest = rest.replace(f" {phrase} ", "  ")
    words = [word for word in rest.split() if not re.fullmatch(r"[\d.,%]+", word)]
    return len(words) < len(padded.split()) and all(word in _FILLERS for word in words)


def _has(padded: str, phrases: tuple[str, ...] | dict[str, float | None]) -> list[str]:
    return [phrase for phrase in phrases if f" {phrase} " in padded]


def hedged(clause: str) -> bool:
    """Whether a clause hedges ("not sure if", "we could"), so that it says nothing for sure."""
    return bool(_has(f" {clean(clause)} ", _HEDGES))


def unsure(clause: str) -> bool:
    """Whether a clause is a guess ("not sure if", "no idea"): no answer is read from it."""
    return bool(_has(f" {clean(clause)} ", _UNSURE))


def _corrected(words: list[str], known: frozenset[str]) -> list[str]:
    """Typos of the subject and qualifier words put right ("partialy", "labled", "nothin")."""
    fixed = []
    subject = Vocabulary((word, word) for word in known if len(word) >= 5)
    spelling = Vocabulary((word, word) for word in _SPELLED)
    for word in words:
        if len(word) >= 5 and word not in known and word not in spelling.things:
            match = subject.closest(word, cutoff=85, margin=0) or spelling.closest(word, cutoff=85, margin=0)
            # A typo, not another word: "unlabelled" is no misspelt "labelled".
            if match is not None and abs(len(match.thing) - len(word)) <= 1:
                word = match.thing
        fixed.append(word)
    return fixed


def _without_numbers(clause: str, numbers: list[Number]) -> str:
    """The clause with its numbers (but percentages) left out, each with the "not" said of it
    ("3k labeled, not 2k"): "a couple hundred are labeled" is a count, not "a couple". The
    pieces between are joined once, so a clause of many numbers is read in linear time."""
    pieces: list[str] = []
    kept = 0
    for number in numbers:
        if number.percent:
            continue
        piece = clause[kept : number.start]
        if number.negated:  # the word before it, "not" or "nor", goes with it
            head = piece.rstrip()
            piece = head[: len(head) - len(head.rsplit(None, 1)[-1])] if head else head
        pieces.append(piece)
        kept = number.end
    pieces.append(clause[kept:])
    return " ".join(pieces)


def stance_of(question: Question, clause: str, *, bare: bool = False) -> Said | None:
    """What ``clause`` says of ``question``'s subject, if anything.

    ``bare``: the clause answers this question (it is on screen), so a short clause
    without the subject word is read too ("only half", "not yet").
    """
    if not question.subject:
        return None
    subject = frozenset(singular(clean(word)) for word in question.subject)
    numbers = numbers_in(clause)
    cleaned = clean(_without_numbers(clause, numbers))
    if not cleaned or hedged(cleaned):
        return None
    words = _corrected(singular(cleaned).split(), subject)
    padded = f" {' '.join(words)} "
    for intensifier in _INTENSIFIERS:
        padded = padded.replace(intensifier, " ")
    named = any(f" {word} " in padded for word in subject)
    if named and len(words) == 1:
        return None  # "labels" alone says nothing of them (an exact choice, "labelled", was read before)
    if not named and not (bare and _yes_or_no(question) and _only_qualifiers(padded)):
        return None
    negated = bool(_has(padded, _NEGATIONS))
    parts = _has(padded, _PARTS)
    fraction = next((_PARTS[part] for part in parts if _PARTS[part] is not None), None)
    whole = bool(_has(padded, _WHOLES))
    for number in numbers:
        if number.percent and 0 < number.value < 100:
            parts.append(number.words)
            fraction = number.value / 100
        elif number.percent and number.value >= 100:
            whole = True
        elif number.value == 0:
            negated = True
    if negated:
        stance: Stance = "partial" if (whole or parts) else "negated"
    elif parts:
        stance = "partial"
    elif named or whole:
        stance = "affirmed"
    else:
        return None
    return Said(stance, fraction if stance == "partial" else None, named)


@dataclass(frozen=True, slots=True)
class Scoped:
    """The choice a sentence picks for a question with a subject, and how firmly."""

    value: str
    fraction: float | None
    strength: int
    """3: a clause named the subject ("none labeled"); 2: it only qualified it at the question
    ("only half"); 1: a reply ("yes", "nope")."""
    conflicting: bool = False
    """Clauses of the same strength picked different choices: ask rather than guess."""


def scoped_choice(
    question: Question,
    clauses: list[str],
    *,
    bare: bool,
    reply: Callable[[str], str | None],
) -> Scoped | None:
    """The choice the clauses of a sentence pick for ``question``: each clause by what it says
    of the subject (:func:`stance_of`), else by a reply it is (``reply``: "yes", "nope"); the
    firmest reading wins ("yes, but only half" is some of it)."""
    by_stance = {choice.stance: choice.value for choice in question.choices if choice.stance}
    found: list[Scoped] = []
    for clause in clauses:
        named = _named_outright(question, clause)
        if named is not None:
            found.append(Scoped(named, None, 3))
            continue
        said = stance_of(question, clause, bare=bare)
        value = by_stance.get(said.stance) if said is not None else None
        if said is not None and value is None and said.stance == "partial":
            value = by_stance.get("affirmed")  # a question without a "some" choice: "some GPUs"
        if said is not None and value is not None:
            found.append(Scoped(value, said.fraction, 3 if said.subject else 2))
        elif bare and (replied := _reply(clause, reply)) is not None:
            found.append(Scoped(replied, None, 1))
    if not found:
        return None
    stances = {item.value for item in found if item.strength >= 2}
    partial = by_stance.get("partial")
    if partial is not None and {by_stance.get("affirmed"), by_stance.get("negated")} <= stances:
        # "800 labeled, 40k not", "some tagged, the rest raw": some of it, said in two clauses
        return Scoped(partial, None, 3)
    strongest = max(item.strength for item in found)
    top = [item for item in found if item.strength == strongest]
    fraction = next((item.fraction for item in top if item.fraction is not None), None)
    conflicting = len({item.value for item in top}) > 1
    return Scoped(top[0].value, fraction, strongest, conflicting)


def _named_outright(question: Question, clause: str) -> str | None:
    """A choice without a stance whose own phrase of several words the clause holds: "on my own
    GPU" names the own GPU more closely than the stance its subject word takes ("GPU": affirmed)."""
    padded = f" {clean(clause)} "
    for choice in question.choices:
        if choice.stance is None and any(
            " " in alias and f" {clean(alias)} " in padded for alias in choice.aliases
        ):
            return choice.value
    return None


def _reply(clause: str, reply: Callable[[str], str | None]) -> str | None:
    """The reply a clause is: all of it ("nope"), or its first word before a number ("yes, about 1500")."""
    whole = reply(clause)
    if whole is not None:
        return whole
    first, _, rest = clean(clause).partition(" ")
    return reply(first) if rest and numbers_in(rest) else None
