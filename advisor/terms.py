"""The glossary's terms where a text uses them: every word the reports use, one step from its meaning.

A term is found by its ``term`` and each of its ``aliases`` (:class:`~advisor.kb.models.Term`),
case-insensitively, as whole words: "model" is not found in "models" nor in "remodel", and
"GPU" is not found in "GPU-hours" (a hyphen joins words), but "LoRA" is found in "LoRA's".
Where phrases overlap the longest wins ("labeled data" before "data"), and a text is read once,
left to right. The text report and Markdown list the terms a report uses in a last section
(:mod:`advisor.outline`); the chat's card makes a term's first use in each part a link to its
definition.

:class:`~advisor.text.Vocabulary` matches what a person types against phrases (fuzzily, plurals
folded); this module finds phrases inside a longer text and says where, which is what a link or
a list in order of first use needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from advisor.kb.models import Term
from advisor.records import dataclass

__all__ = ["Terms", "Use"]

_BEFORE = r"(?<![\w])(?<![\w]-)"
"""Not inside a word: no letter or digit before, nor one joined by a hyphen."""
_AFTER = r"(?![\w])(?!-[\w])"


@dataclass(frozen=True, slots=True)
class Use:
    """Where a text uses a term: ``text[start:end]`` names it."""

    term: Term
    start: int
    end: int


class Terms:
    """The terms of a glossary, ready to be found in texts."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._by_phrase: dict[str, Term] = {}
        phrases: list[str] = []
        for term in terms:
            for phrase in (term.term, *term.aliases):
                key = _key(phrase)
                if key and key not in self._by_phrase:  # the first term to claim a phrase keeps it
                    self._by_phrase[key] = term
                    phrases.append(" ".join(_words(phrase)))
        phrases.sort(key=len, reverse=True)  # where phrases overlap, the longest
        alternatives = "|".join(_GAP.join(re.escape(word) for word in _words(phrase)) for phrase in phrases)
        # The lookahead for a phrase's first character halves the time of a scan (measured on
        # a report: 10 ms instead of 21): most places in a text start no phrase at all.
        starts = "".join(sorted({re.escape(phrase[0]) for phrase in phrases}))
        self._pattern = (
            re.compile(f"(?=[{starts}]){_BEFORE}(?:{alternatives}){_AFTER}", re.IGNORECASE)
            if phrases
            else None
        )

    def uses(self, text: str) -> Iterator[Use]:
        """Every use of a term in ``text``, left to right, none overlapping another."""
        if self._pattern is None:
            return
        for found in self._pattern.finditer(text):
            term = self._by_phrase.get(_key(found.group()))
            if term is not None:
                yield Use(term, found.start(), found.end())

    def used(self, texts: Iterable[str]) -> tuple[Term, ...]:
        """The terms ``texts`` use, each once, in the order of their first use."""
        seen: dict[str, Term] = {}
        for text in texts:
            for use in self.uses(text):
                seen.setdefault(use.term.id, use.term)
        return tuple(seen.values())


_GAP = r"[\s-]+"
"""Between the words of a phrase: spaces or a hyphen ("fine tuning", "fine-tuning")."""


def _words(phrase: str) -> list[str]:
    return [word for word in re.split(_GAP, phrase) if word]


def _key(phrase: str) -> str:
    """A phrase as it is looked up: casefolded, its words one space apart."""
    return " ".join(_words(phrase.casefold()))
