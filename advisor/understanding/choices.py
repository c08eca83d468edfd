"""The choices a line names: "support tickets" (text), "none labeled" (unlabeled), "BERT" (small).

An alias names its choice wherever it stands; a reply ("yes", "big") only at
its own question or in a clause that mentions the question ("a big model").
A choice written after "not" is taken back ("images, not text"). A question
with a subject is read by what the clauses say of it (:mod:`advisor.scope`),
and only then by the phrases they hold.
"""

from __future__ import annotations

from advisor.kb.base import KnowledgeBase
from advisor.kb.models import KnownModel, Question
from advisor.reading import Reader
from advisor.records import dataclass
from advisor.scope import scoped_choice, unsure
from advisor.text import Vocabulary, clean
from advisor.understanding.clauses import Clause

__all__ = ["ChoiceReading", "Choices"]

_TAKEN_BACK = frozenset({"not", "no", "never", "nor", "isnt", "arent"})


@dataclass(frozen=True, slots=True)
class ChoiceReading:
    """A choice found in a line."""

    value: str
    words: str
    firm: bool
    """Said of the question itself (its subject, a mention, its own reply), not a phrase met
    in passing ("labelled *pics*" names images in passing)."""
    fraction: float | None = None
    """For "some of it": the share named ("half", "30%")."""


class Choices:
    """Reads the choice questions of a knowledge base in a line's clauses."""

    def __init__(self, kb: KnowledgeBase, reader: Reader) -> None:
        self.reader = reader
        self.questions = tuple(q for q in kb.questions if q.choices)
        self._aliases: dict[str, Vocabulary[str]] = {
            q.id: Vocabulary((phrase, c.value) for c in q.choices for phrase in c.aliases)
            for q in self.questions
        }
        self._models: dict[str, Vocabulary[KnownModel]] = {
            q.id: Vocabulary((phrase, m) for m in q.models for phrase in (m.name, *m.aliases))
            for q in self.questions
            if q.models
        }
        self._replies: dict[str, Vocabulary[str]] = {
            q.id: Vocabulary(
                (phrase, c.value) for c in q.choices for phrase in (c.value, c.label, *c.aliases, *c.replies)
            )
            for q in self.questions
        }

    def read(
        self, question: Question, clauses: tuple[Clause, ...], *, own: bool
    ) -> tuple[ChoiceReading | None, str | None]:
        """The choice the clauses name for ``question`` (``own``: it is the question on screen),
        and a problem when they name two equally."""
        replies = self._replies[question.id]
        if question.subject:
            scoped = scoped_choice(
                question,
                [clause.text for clause in clauses],
                bare=own,
                reply=lambda text: replies.exact(text),
            )
            if scoped is not None and scoped.conflicting:
                return None, f"I could not tell what you meant about the {question.name}"
            if scoped is not None:
                words = ", ".join(clause.text.strip() for clause in clauses)
                return ChoiceReading(scoped.value, words, True, scoped.fraction), None
        found: list[tuple[int, str, str, bool]] = []
        for clause in clauses:
            mentioned = own or self.reader.mentions(question, clause.text)
            vocabulary = replies if mentioned else self._aliases[question.id]
            exact = vocabulary.exact(clause.text) if mentioned else None
            if exact is not None:
                found.append((len(clause.cleaned) + 100, exact, clause.text.strip(), True))
                continue
            if unsure(clause.text):  # "not sure if they are labeled" says nothing for sure
                continue
            for match in vocabulary.spotted(clause.text):
                if clause.word_before(match.phrase) in _TAKEN_BACK:
                    continue
                found.append((len(match.phrase), match.thing, match.phrase, mentioned))
        if not found:
            return None, None
        longest = max(length for length, _, _, _ in found)
        best = [item for item in found if item[0] == longest]
        if len({value for _, value, _, _ in best}) > 1:
            names = " or ".join(dict.fromkeys(self._label(question, value) for _, value, _, _ in best))
            return None, f"“{best[0][2]}” could mean {names}"
        _, value, words, firm = best[0]
        return ChoiceReading(value, words, firm), None

    def model(
        self, question: Question, clauses: tuple[Clause, ...], *, own: bool = False
    ) -> tuple[KnownModel, str] | None:
        """A model named by name ("fine-tune BERT", "mistral"): its parameter count is the answer.
        At its own question a line that is just a name may be misspelt ("bertt")."""
        models = self._models.get(question.id)
        if models is None:
            return None
        if own and len(clauses) == 1:
            match = models.match(clauses[0].cleaned, cutoff=85, margin=8, prefix=False)
            if match is not None:
                return match.thing, clauses[0].text.strip()
        found: list[tuple[KnownModel, str]] = []
        for clause in clauses:
            for match in models.spotted(clause.text):
                if clause.word_before(match.phrase) not in _TAKEN_BACK:
                    found.append((match.thing, match.phrase))
        if not found:
            return None
        longest = max(len(phrase) for _, phrase in found)
        best = {model.name: (model, phrase) for model, phrase in found if len(phrase) == longest}
        return next(iter(best.values())) if len(best) == 1 else None

    def named_by(self, word: str) -> tuple[Question, str] | None:
        """The question and choice label a single word names by an alias ("RTX": GPU)."""
        for question in self.questions:
            value = self._aliases[question.id].exact(word)
            if value is not None:
                return question, self._label(question, value)
        return None

    def whole(self, question: Question, text: str) -> ChoiceReading | None:
        """The whole line as one answer to its own question: a typo ("labled"), a prefix."""
        match = self._replies[question.id].match(clean(text), cutoff=88, margin=8)
        if match is None:
            match = self._replies[question.id].closest(clean(text), cutoff=80, margin=8)
        return None if match is None else ChoiceReading(match.thing, text.strip(), True)

    @staticmethod
    def _label(question: Question, value: str) -> str:
        return next((c.label for c in question.choices if c.value == value), value)
