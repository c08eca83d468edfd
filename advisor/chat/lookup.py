"""Answering a newcomer's question from the FAQ and the glossary, by one matching policy.

"what is LoRA?", "whats a GPU-hour", "what does percentile mean?", "what costs are
there?": a typed question is answered by the first of these steps that finds an
entry, each a :class:`~advisor.text.Vocabulary` look-up:

1. **A term asked about.** "what is X?", "what does X mean?", "explain X", "X?":
   when X is a glossary term or alias (plurals folded), its definition, or the FAQ
   entry that ``defines`` that term.
2. **A FAQ phrasing, exactly** (case, punctuation and apostrophes aside).
3. **The same topic in other words.** The question and every phrasing are cut to
   their content words (lemmas without "what", "is", "do", "I", "the"...), so
   "what does percentile mean?" is "percentile" and no longer looks like "what does
   labeled mean?". They are compared word by word (a typo of a long word still
   counts), each word weighted by how rare it is among the phrasings: "colab" says
   more than "model", and a word no phrasing has ("weather") weighs most and
   matches nothing. The closest entry wins if it scores the cutoff and beats every
   other entry by the margin. Terms are left to step 1: "do I need a graphics
   card?" asks the FAQ about GPUs, not for the definition of a GPU.
4. **A term misspelled** ("what is quantisaton?"): close in letters, with a margin.

A question that none of these answers gets no answer (:meth:`Lookup.answer` is
``None``), and :meth:`Lookup.topics` names the three closest entries instead: the
chat says it has no answer and lists them, never answering another question.
"""

from __future__ import annotations

import math
import re

from advisor.kb.base import KnowledgeBase
from advisor.kb.models import FaqEntry, Term
from advisor.records import dataclass
from advisor.text import Vocabulary, clean, lemma, lemmas

__all__ = ["Found", "Lookup", "content", "looks_like_question"]

_QUESTION_START = re.compile(
    r"^(what|whats|what's|why|how|which|who|when|where|can|could|should|is|are|do|does|did|"
    r"will|would|explain|define|tell me|meaning of|"
    r"(?:y|wat|waht|wht|hw|hows)\s+(?:is|are|do|does|did|can|would|should|so|much|many|long))\b",
    re.IGNORECASE,
)
_TERM_FRAME = re.compile(
    r"^(?:what do you mean by|what is meant by|what does|what do|what(?:'s| is| are|s| r)?|define|explain|"
    r"meaning of|tell me about|(?:i )?(?:dont|don't) (?:know|understand) (?:what )?)\s+"
    r"(?:an?\s+|the\s+)?(?P<core>.+?)"
    r"(?:\s+(?:mean(?:s)?|is|are|stand for|stands for|anyway|exactly|again|here|then|actually))?\s*\??$",
    re.IGNORECASE,
)
_BARE = re.compile(r"^(?P<core>[^?]{2,60}?)\s*(?:\?|\s+meaning\??)$", re.IGNORECASE)
""""LoRA?", "percentile meaning": a term alone, asked."""

_STOP_WORDS = (
    "what whats is are was were be been being do does did doing done i im ive id we our ours us my "
    "me mine you your yours it its this that these those there here the a an of to in on for with about "
    "by at from and or as so just even really actually please tell explain define mean means meaning "
    "meant know want wanna would could should can cant cannot will shall may might must how which who "
    "when where why if then than any some get got have has had go going say said thing "
    "things one ones exactly again also still am all everything anything something make makes happen "
    "happens use used using able difference differences between vs versus anyway"
)
_STOP = frozenset(lemma(word) for word in _STOP_WORDS.split())
"""Words that frame a question rather than say what it is about, compared as lemmas. "need",
"not", "no" and "cost" are not among them: they change what is asked."""


_SYNONYMS = {
    "nothing": "no",
    "none": "no",
    "without": "no",
    "dont": "no",
    "doesnt": "no",
    "necessary": "need",
    "required": "need",
    "require": "need",
    "expensive": "cost",
    "costly": "cost",
    "cheaper": "cheap",
    "cheapest": "cheap",
    "lower": "cut",
    "reduce": "cut",
    "decrease": "cut",
    "spend": "cost",
    "price": "cost",
    "priced": "cost",
    "pricing": "cost",
    "fee": "cost",
    "big": "size",
    "bigger": "size",
    "pc": "computer",
    "laptop": "computer",
    "server": "machine",
    "servers": "machine",
    "premises": "premise",
    "secure": "safe",
    "safety": "safe",
    "private": "safe",
    "privacy": "safe",
    "estimate": "number",
    "estimates": "number",
    "figures": "number",
    "pdf": "document",
    "pdfs": "document",
    "file": "document",
    "files": "document",
    "docs": "document",
    "on-premise": "premise",
    "on-premises": "premise",
    "on-prem": "premise",
}
_SAME = {lemma(word): lemma(same) for word, same in _SYNONYMS.items()}
"""Words that ask the same here, as one lemma: "lower the cost" is "cut the cost"."""


def content(text: str) -> str:
    """The words a question is about, as lemmas: "What costs are there?" -> "cost"."""
    return " ".join(
        _SAME.get(word, word) for word in lemmas(text) if word not in _STOP and not word[:1].isdigit()
    )


def looks_like_question(text: str) -> bool:
    """Whether a line reads as a question rather than an answer."""
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped))


@dataclass(frozen=True, slots=True)
class Found:
    """A FAQ entry or a glossary term that answers a question."""

    entry: FaqEntry | Term
    score: float

    @property
    def title(self) -> str:
        return title(self.entry)

    @property
    def text(self) -> str:
        return self.entry.answer if isinstance(self.entry, FaqEntry) else self.entry.definition

    @property
    def claims(self) -> tuple[str, ...]:
        return self.entry.claims


def title(entry: FaqEntry | Term) -> str:
    """How an entry is named to a person: the FAQ's question, or the term."""
    return entry.question if isinstance(entry, FaqEntry) else entry.term


class _Words:
    """How much two texts of content words say the same: the harmonic mean of the weighted share
    of each text's words that the other has, 0 to 100. A word weighs ``log(1 + n / f)``, ``f`` the
    number of the ``n`` entries whose phrasings hold it (a word none holds: ``f`` = 1/2)."""

    def __init__(self, phrases: list[tuple[str, object]]) -> None:
        holders: dict[str, set[int]] = {}
        entries: dict[int, int] = {}
        for phrase, entry in phrases:
            index = entries.setdefault(id(entry), len(entries))
            for word in phrase.split():
                holders.setdefault(word, set()).add(index)
        self._count = max(len(entries), 1)
        self._weight = {word: self.weigh(len(held)) for word, held in holders.items()}

    def weigh(self, holders: float) -> float:
        return math.log(1 + self._count / holders)

    def weight(self, word: str) -> float:
        return self._weight.get(word) or self.weigh(0.5)

    @staticmethod
    def same(a: str, b: str) -> bool:
        """One word, or a typo of a long one ("percentil", "quantisation" after its lemma)."""
        if a == b:
            return True
        if min(len(a), len(b)) < 7:  # "produc" is no typo of "product"
            return False
        from rapidfuzz import fuzz

        return fuzz.ratio(a, b) >= 85

    def __call__(self, text: str, phrase: str) -> float:
        asked, named = text.split(), phrase.split()
        if not asked or not named:
            return 0.0
        found = sum(self.weight(w) for w in asked if any(self.same(w, n) for n in named))
        covered = sum(self.weight(n) for n in named if any(self.same(w, n) for w in asked))
        if not found or not covered:
            return 0.0
        recall = found / sum(self.weight(w) for w in asked)
        precision = covered / sum(self.weight(n) for n in named)
        return 200 * recall * precision / (recall + precision)


class Lookup:
    """The FAQ and glossary of a knowledge base, indexed for the one matching policy."""

    CUTOFF = 60.0
    """The least similarity of content words that answers (0 to 100)."""
    MARGIN = 8.0
    """How much the best entry must beat every other entry by."""
    TERM_CUTOFF = 86.0
    """The least similarity of letters of a misspelled term."""

    def __init__(self, kb: KnowledgeBase) -> None:
        defined_by = {entry.defines: entry for entry in kb.faq if entry.defines}
        self._terms: Vocabulary[FaqEntry | Term] = Vocabulary(
            (phrase, defined_by.get(term.id, term))
            for term in kb.terms
            for phrase in (term.term, *term.aliases)
        )
        self._faq: Vocabulary[FaqEntry | Term] = Vocabulary(
            (phrase, entry) for entry in kb.faq for phrase in (entry.question, *entry.aliases)
        )
        naming: dict[str, set[FaqEntry | Term]] = {}
        for phrase, entry in self._faq.things.items():
            naming.setdefault(content(phrase), set()).add(entry)
        # Content two entries share ("what does it cost", "what costs are there": "cost") names
        # neither: those are told apart by their whole phrasings only.
        self._content: Vocabulary[FaqEntry | Term] = Vocabulary(
            (words, entries.pop()) for words, entries in naming.items() if len(entries) == 1
        )
        self._words = _Words(list(self._content.things.items()))
        self._topics: Vocabulary[FaqEntry | Term] = Vocabulary(
            [*self._content.things.items(), *((content(p) or p, t) for p, t in self._terms.things.items())]
        )

    def term(self, text: str) -> Found | None:
        """The glossary term a question asks about ("what is a TPU?", "LoRA?", "labeled"), or
        the FAQ entry that defines it: the asked words exactly a term or an alias, plurals and
        spelling variants folded."""
        stripped = text.strip()
        frame = _TERM_FRAME.match(stripped) or _BARE.match(stripped)
        core = clean(frame["core"] if frame else stripped)
        if not core:
            return None
        found = self._terms.exact(core)
        if found is None:  # "epochs", "GPU hours", "adapters": the same lemmas as a phrase
            wanted = lemmas(core)
            found = next((t for p, t in self._terms.things.items() if lemmas(p) == wanted), None)
        if found is None and len(core) >= 4:  # "labeled" for "labeled data": the one term it starts
            starting = {t for p, t in self._terms.things.items() if p.startswith(core + " ")}
            found = starting.pop() if len(starting) == 1 else None
        return None if found is None else Found(found, 100.0)

    def faq(self, text: str) -> Found | None:
        """The FAQ entry one of whose phrasings ``text`` is, exactly."""
        found = self._faq.exact(text)
        return None if found is None else Found(found, 100.0)

    def answer(self, text: str) -> Found | None:
        """The answer to a typed question, by the policy of this module; ``None`` if none is
        close enough, or two are equally close."""
        found = self.term(text) or self.faq(text)
        if found is not None:
            return found
        words = content(text)
        if len(words) < 3:
            return None
        same = self._content.exact(words)
        if same is not None:
            return Found(same, 100.0)
        match = self._content.closest(words, cutoff=self.CUTOFF, margin=self.MARGIN, scorer=self._words)
        if match is not None:
            return Found(match.thing, match.score)
        return self._misspelled_term(text)

    def _misspelled_term(self, text: str) -> Found | None:
        """A term asked about with a typo ("what is quantisaton?"): close in letters, and clearly
        closer than any other term."""
        frame = _TERM_FRAME.match(text.strip()) or _BARE.match(text.strip())
        if frame is None:
            return None
        match = self._terms.closest(frame["core"], cutoff=self.TERM_CUTOFF, margin=self.MARGIN)
        return None if match is None else Found(match.thing, match.score)

    def topics(self, text: str, count: int = 3) -> list[str]:
        """The titles of the ``count`` entries closest to ``text``: what a person can ask instead."""
        words = content(text) or clean(text)
        ranked = [m for m in self._topics.ranked(words, self._words) if m.score > 0] if words else []
        titles = list(dict.fromkeys(title(match.thing) for match in ranked))
        for entry in self._faq.things.values():  # nothing close ("what's the weather"): the first FAQ
            if len(titles) >= count:
                break
            if title(entry) not in titles:
                titles.append(title(entry))
        return titles[:count]
