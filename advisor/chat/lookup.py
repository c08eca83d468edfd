"""Answering a newcomer's question from the FAQ and the glossary.

"what is transfer learning?", "whats TL", "what does labeled mean?", "why is
fine-tuning so expensive": a typed question is matched against every FAQ
question and its phrasings, and against every glossary term and alias once
the question words are stripped ("what does X mean" -> "X"). Matching is on
whole phrases with a cutoff (:class:`~advisor.text.Vocabulary`), so small talk
finds nothing rather than a wrong answer.
"""

from __future__ import annotations

import re

from advisor.kb.base import KnowledgeBase
from advisor.kb.models import FaqEntry, Term
from advisor.records import dataclass
from advisor.text import Vocabulary, clean

__all__ = ["Found", "Lookup", "looks_like_question"]

_QUESTION_START = re.compile(
    r"^(what|whats|what's|why|how|which|who|when|where|can|could|should|is|are|do|does|did|"
    r"will|would|explain|define|tell me|meaning of)\b",
    re.IGNORECASE,
)
_TERM_FRAME = re.compile(
    r"^(?:what do you mean by|what does|what do|what(?:'s| is| are|s)?|define|explain|meaning of|"
    r"tell me about)\s+(?:an?\s+|the\s+)?(?P<core>.+?)(?:\s+mean(?:s)?)?\s*\??$",
    re.IGNORECASE,
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
        return self.entry.question if isinstance(self.entry, FaqEntry) else self.entry.term

    @property
    def text(self) -> str:
        return self.entry.answer if isinstance(self.entry, FaqEntry) else self.entry.definition

    @property
    def claims(self) -> tuple[str, ...]:
        return self.entry.claims


class Lookup:
    """The FAQ and glossary of a knowledge base, indexed for matching."""

    FAQ_CUTOFF = 72.0
    TERM_CUTOFF = 86.0

    def __init__(self, kb: KnowledgeBase) -> None:
        self._faq: Vocabulary[FaqEntry] = Vocabulary(
            (phrase, entry) for entry in kb.faq for phrase in (entry.question, *entry.aliases)
        )
        self._terms: Vocabulary[Term] = Vocabulary(
            (phrase, term) for term in kb.terms for phrase in (term.term, *term.aliases)
        )

    def term(self, text: str) -> Found | None:
        """A glossary term named by ``text`` ("labeled", "what is a TPU?")."""
        frame = _TERM_FRAME.match(text.strip())
        core = clean(frame["core"] if frame else text)
        if not core:
            return None
        match = self._terms.match(core, cutoff=self.TERM_CUTOFF, margin=0, prefix=False)
        if match is not None:
            return Found(match.thing, match.score)
        # "labeled" for "labeled data": a whole-word start of a term.
        if len(core) >= 4:
            for phrase, term in self._terms.things.items():
                if phrase.startswith(core + " "):
                    return Found(term, 90.0)
        return None

    def faq(self, text: str) -> Found | None:
        """The FAQ entry closest to ``text``, if close enough."""
        if len(clean(text)) < 3:
            return None
        match = self._faq.closest(text, cutoff=self.FAQ_CUTOFF, margin=0)
        return None if match is None else Found(match.thing, match.score)

    def answer(self, text: str) -> Found | None:
        """The best answer to a typed question: a close FAQ entry, else a term, else a looser FAQ."""
        faq = self.faq(text)
        if faq is not None and faq.score >= 88:
            return faq
        term = self.term(text)
        if term is not None:
            return term
        return faq
