"""Text from people, made comparable: one cleaner and one way to match phrases.

:func:`clean` is how every typed line, answer value, alias, FAQ phrase and
command word is compared: case folded, apostrophes dropped ("don't" and
"dont" are one word), punctuation turned into spaces except inside words and
numbers ("x-ray", "1.5k", "gpt-3").

:class:`Vocabulary` holds the phrases that name some things (the aliases of a
choice, the phrasings of a FAQ entry, the words of a command) and matches a
text against them the careful way (see PITFALLS: rapidfuzz's defaults tie
short labels): exactly, then by a unique prefix, then fuzzily with a cutoff
and a margin over the runner-up; otherwise it finds nothing, and the caller
asks again.

rapidfuzz is imported on the first fuzzy match, not with this module: text
written in canonical words (what scripts write) never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Generic, TypeVar

from advisor.records import dataclass

__all__ = [
    "Match",
    "Vocabulary",
    "clause_spans",
    "clean",
    "fold_whitespace",
    "lemma",
    "lemmas",
    "printable",
    "singular",
]

T = TypeVar("T", bound=Hashable)

_APOSTROPHES = str.maketrans("", "", "'’‘`")
# Anything but a word character, $, %, + ... and "." or "-" unless inside a word or number.
_SEPARATORS = re.compile(r"[^\w$%+.-]+|(?<!\w)[.-]+|[.-]+(?!\w)")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=64)
def clean(text: str) -> str:
    """``"Don't know?"`` -> ``"dont know"``; ``"X-rays, 1.5k."`` -> ``"x-rays 1.5k"``. Kept for the
    texts cleaned last: an answer is cleaned again by each phrase list it is held against."""
    return " ".join(_SEPARATORS.sub(" ", text.casefold().translate(_APOSTROPHES)).split())


_CLAUSE_BREAK = re.compile(
    r"(?<!\d),|,(?!\d)|[;!?]|\.(?=\s|$)|\s[-–—]\s|\n"
    r"|\b(?:and|but|with|plus|so|though|although|whereas|while|however|also)\b",
    re.IGNORECASE,
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where the clauses of a sentence are: split at commas (not "1,000"), semicolons, sentence
    ends and joining words ("and", "but", "with"): "5k labelled tickets, BERT and $3k" has three.
    Each span is (start, end) in ``text``; empty clauses are left out."""
    spans = []
    start = 0
    for found in _CLAUSE_BREAK.finditer(text):
        if text[start : found.start()].strip():
            spans.append((start, found.start()))
        start = found.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def fold_whitespace(text: str) -> str:
    """Runs of whitespace as one space: how quotes are compared with their sources."""
    return _WHITESPACE.sub(" ", text).strip()


_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: a colour, a cursor move ("ESC[31m")
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: a window title, a link
    r"|\x1b[@-_]?"  # any other escape
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """A line a person typed or pasted, without what a terminal would act on rather than show:
    escape sequences (a colour or a window title copied with the text) are dropped, and other
    control characters (a tab, a backspace, a bell) become spaces. ``"\\x1b[31m5k\\x1b[0m"`` is
    ``"5k"``: the 31 of the colour is no number. :func:`advisor.terminal.printable` drops the
    bidirectional controls of the knowledge base's table too: use that one for what is shown."""
    return _CONTROL.sub(" ", erased(_ESCAPE_SEQUENCE.sub("", text)))


def erased(text: str) -> str:
    """``text`` with what its backspaces erase erased ("text\\b\\b\\b\\bimages" is "images")."""
    if "\b" not in text:
        return text
    kept: list[str] = []
    for character in text:
        if character == "\b":
            if kept:
                kept.pop()
        else:
            kept.append(character)
    return "".join(kept)


def singular(text: str) -> str:
    """Cleaned words with a plural "s" dropped ("xrays" -> "xray"). Applied to both sides
    of a comparison, so a crude rule is enough ("this" -> "thi" on both sides too)."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in text.split()
    )


_BRITISH = (("isation", "ization"), ("is", "iz"), ("ys", "yz"), ("our", "or"), ("ogu", "og"))
"""British endings of a stem and their American spelling, tried after the inflection is gone:
"summarising" -> "summaris" -> "summariz", "tumour" -> "tumor", "catalogue" -> "catalog"."""

_UNDOUBLED = frozenset("bdfgkmnprtv")


def lemma(word: str) -> str:
    """One cleaned word as the vocabulary compares it: hyphens joined ("x-rays" -> "xrays"), a
    plural or an -ing/-ed ending dropped, a final "e" dropped and British spellings made
    American, so that "summarise", "summarizing" and "summarised" are one word, and "grade"
    and "grading" too. Crude, and applied to both sides of every comparison: "note" and
    "notes" agree, whatever a dictionary would call them."""
    word = word.replace("-", "")
    if len(word) <= 3:
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4:
        word = _undouble(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 5:
        for british, american in _BRITISH:
            if word.endswith(british):
                return word[: -len(british)] + american
    return word


def _undouble(stem: str) -> str:
    """ "flagg" -> "flag", "labell" -> "label"; "call" and "fill" stay."""
    if (
        len(stem) > 2
        and stem[-1] == stem[-2]
        and (stem[-1] in _UNDOUBLED or (stem[-1] == "l" and len(stem) > 5))
    ):
        return stem[:-1]
    return stem


def lemmas(text: str) -> tuple[str, ...]:
    """The lemmas of a text's cleaned words (:func:`clean`, :func:`lemma`), in order."""
    return tuple(lemma(word) for word in clean(text).split())


_LEAST_SCORE = 40.0
"""A similarity below this is reported as 0: every cutoff is 50 or more and every margin 10 or
less, so no match, and no "closest" of a message, changes."""


def _score(text: str, phrase: str) -> float:
    """0 to 100: the better of the plain and the word-order-blind similarity, of two cleaned texts
    (:func:`clean`). A text far longer than the phrase cannot reach :data:`_LEAST_SCORE` and is
    not compared at all: 256 KB against each phrase took seconds."""
    shorter, longer = sorted((len(text), len(phrase)))
    # Both similarities are 100 * (1 - distance / total length), and the distance is at least
    # the difference of the lengths (the word-sorted texts of cleaned texts are as long).
    if longer and 200 * shorter / (shorter + longer) < _LEAST_SCORE:
        return 0.0
    from rapidfuzz import fuzz

    return max(fuzz.ratio(text, phrase), fuzz.token_sort_ratio(text, phrase))


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """What a text was matched to, and how."""

    thing: T
    phrase: str
    """The phrase it matched (cleaned)."""
    score: float
    """100 for an exact match or a unique prefix; the similarity otherwise."""


class Vocabulary(Generic[T]):
    """Phrases that each name a thing; the first phrase given for a text wins."""

    def __init__(self, named: Iterable[tuple[str, T]]) -> None:
        self.things: dict[str, T] = {}
        """Cleaned phrase -> the thing it names."""
        for phrase, thing in named:
            cleaned = clean(phrase)
            if cleaned:
                self.things.setdefault(cleaned, thing)
        self._longest_first = sorted(self.things, key=len, reverse=True)

    def exact(self, text: str) -> T | None:
        return self.things.get(clean(text))

    def match(
        self, text: str, *, cutoff: float = 80.0, margin: float = 8.0, prefix: bool = True
    ) -> Match[T] | None:
        """Exactly; else the only thing whose phrase starts with ``text`` (three letters at
        least); else the most similar phrase, if it scores ``cutoff`` or more and beats the
        best phrase of every other thing by ``margin``."""
        cleaned = clean(text)
        if not cleaned:
            return None
        found = self.things.get(cleaned)
        if found is not None:
            return Match(found, cleaned, 100.0)
        if prefix and len(cleaned) >= 3:
            starting = [phrase for phrase in self.things if phrase.startswith(cleaned)]
            if starting and len({self.things[p] for p in starting}) == 1:
                return Match(self.things[starting[0]], starting[0], 100.0)
        return self.closest(cleaned, cutoff=cutoff, margin=margin)

    def ranked(self, text: str, scorer: Callable[[str, str], float] | None = None) -> list[Match[T]]:
        """Each thing with its most similar phrase, most similar first. ``scorer`` (0 to 100, of
        two cleaned texts) replaces the similarity of letters, e.g. by one of weighted words."""
        cleaned = clean(text)
        score_of = scorer or _score
        best: dict[T, Match[T]] = {}
        for phrase, thing in self.things.items():
            score = score_of(cleaned, phrase)
            if thing not in best or score > best[thing].score:
                best[thing] = Match(thing, phrase, score)
        return sorted(best.values(), key=lambda match: -match.score)

    def closest(
        self, text: str, *, cutoff: float, margin: float, scorer: Callable[[str, str], float] | None = None
    ) -> Match[T] | None:
        """The fuzzy step alone: the most similar thing, if it scores ``cutoff`` or more and
        beats every other thing by ``margin``."""
        ranked = self.ranked(text, scorer)
        if not ranked or ranked[0].score < cutoff:
            return None
        if len(ranked) > 1 and ranked[0].score - ranked[1].score < margin:
            return None
        return ranked[0]

    def spotted(self, text: str) -> list[Match[T]]:
        """Every thing one of whose phrases stands as whole words inside ``text`` (plurals
        folded), longest phrase first, one match a thing."""
        padded = f" {clean(text)} "
        padded_singular = f" {singular(padded)} "
        found: dict[T, Match[T]] = {}
        for phrase in self._longest_first:
            thing = self.things[phrase]
            if thing in found:
                continue
            if f" {phrase} " in padded or f" {singular(phrase)} " in padded_singular:
                found[thing] = Match(thing, phrase, 100.0)
        return list(found.values())
