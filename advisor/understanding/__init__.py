"""Understanding a whole line: every answer it holds, what it asks, what it takes back.

"I have 5k labelled support tickets, want to fine-tune BERT, budget 3000
dollars" answers five questions at once: the task (text), the labels
(labeled), how many (5,000), the model size (small) and the budget ($3,000).
:class:`Understander` reads every answer of a line, each with the words it
came from, and says which ones to confirm before they are used (2 labeled
images, a budget of $5, "7B" where a count was asked). It never records
anything: the conversation (:mod:`advisor.chat`) decides what to do with it.

The pieces: :mod:`.clauses` cuts the line and finds the part that asks;
:mod:`.line` reads it step by step into :mod:`.results`;
:mod:`.choices` reads the choice questions (with :mod:`advisor.scope` for
"nobody tagged them"); :mod:`.amounts` places each number; :mod:`.assumptions`
reads cost assumptions said in words; :mod:`.relative` reads "10x the data",
"half the budget" and "a bigger model". :mod:`.people` reads numbers of people (never money)
and rates for their time, :mod:`.money` converts other currencies at the knowledge base's named
rates, and :mod:`.counts` works out what the counts of a line say of its labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Question
from advisor.reading import Reader, Unreadable
from advisor.understanding.amounts import Amounts
from advisor.understanding.assumptions import Assumed, AssumptionWords
from advisor.understanding.choices import Choices
from advisor.understanding.clauses import split_line
from advisor.understanding.hearing import Parts
from advisor.understanding.line import LineReading
from advisor.understanding.money import Money
from advisor.understanding.relative import Relative
from advisor.understanding.results import Heard, Understanding

__all__ = ["Assumed", "Heard", "Relative", "Understander", "Understanding"]


class Understander:
    """Reads whole lines with a knowledge base's questions."""

    def __init__(self, kb: KnowledgeBase, reader: Reader | None = None) -> None:
        self.kb = kb
        self.reader = reader or Reader(kb)
        self.parts = Parts(
            kb,
            self.reader,
            Choices(kb, self.reader),
            Amounts(kb, self.reader),
            AssumptionWords(kb),
            Money(kb),
        )
        self._labels: dict[str, dict[str, str]] = {
            question.id: {_folded(choice.label): choice.value for choice in question.choices}
            for question in kb.questions
            if question.choices
        }
        """Each choice's label as the chat shows it, folded, by question: typed back, it is that
        choice, whatever numbers or names it holds ("Medium (1B to 30B)", "Large (GPT-3)")."""

    def understand(
        self,
        text: str,
        *,
        at: Question | None = None,
        known: Mapping[str, Any] | None = None,
        correcting: bool = False,
    ) -> Understanding:
        """What ``text`` says. ``at``: the question on screen (a bare "2k" answers it);
        ``known``: the answers so far; ``correcting``: the line changes an earlier answer
        ("actually …"), so a phrase met in passing may change one too."""
        known = dict(known or {})
        if at is not None and at.id in self._labels:
            value = self._labels[at.id].get(_folded(text))
            if value is not None:
                return Understanding(heard=(Heard(at.id, value, text.strip()),))
        line = split_line(text)
        if at is not None and at.kind == "task" and line.question and self._describes(at, text):
            line = split_line(text, telling=True)  # "which students will drop out, from grades"
        return LineReading(self.parts, line, at, known, correcting).result()

    def _describes(self, at: Question, text: str) -> bool:
        """Whether ``text``, without a question mark, says what a model should do."""
        if text.rstrip().endswith("?"):
            return False
        try:
            return bool(self.reader.task(at, text).also)
        except Unreadable:
            return False


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())
