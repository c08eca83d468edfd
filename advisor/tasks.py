"""A task description read as a practitioner reads it: what the model produces, from what, where.

"flag fraudulent transactions" is a category (*flag*) from tables (*transactions*) in
finance; "summarise call transcripts" is text written from text; "grade student essays"
is text, and a question: a score, or a grade band? :func:`read_task` reads a line with
the words of the knowledge base's vocabulary (:mod:`advisor.kb.vocabulary`) into a
:class:`TaskReading`, and never refuses one: what it cannot decide becomes one
clarifying question (its field and choices), never an error.

How a line is read:

1. Its words are lemmatised (:func:`advisor.text.lemma`) and matched left to right,
   longest phrase first ("hate speech" before "speech"), a word right after a negation
   left out; a word that matches nothing is matched fuzzily (a typo: "segmentaion"),
   with :class:`advisor.text.Vocabulary`'s cutoff and margin, a bounded number of times.
2. The kind of data: one kind named is the data; two different kinds are ``mixed`` (a
   photo and its description); a word that leaves it open (a PDF: text or a scan) is
   settled by another word ("scanned"), else asked.
3. The output: a word that names one names it; words that leave it open ("grade": a
   number or a category) are settled by a word that names one ("with a score"), else
   asked; two named, the more specific wins (the vocabulary's ``precedence``), else asked.
   A line that names no output asks one, with the outputs its words make likely.
4. No data named: the data the output implies (a transcription is of audio), else asked.

The work is linear in the length of the line: one pass over its words, each looked up
in a dictionary for each phrase length, and at most :data:`MAX_FUZZY` fuzzy look-ups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field

from advisor.kb.vocabulary import Family, TaskVocabulary
from advisor.records import dataclass
from advisor.text import Vocabulary, clean, lemma, lemmas

__all__ = ["MAX_FUZZY", "Clarify", "TaskReading", "read_task"]

MAX_FUZZY = 24
"""Words of one line matched fuzzily at most (each is compared with every single word of the
vocabulary): what bounds the work on a long paste."""

_SHORTEST_FUZZY = 5
"""Shorter words are matched exactly only: "ner" is no typo of "nlp"."""


@dataclass(frozen=True, slots=True)
class Clarify:
    """A clarifying question: the field asked about, and the choices offered, in order."""

    field: str
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TaskReading:
    """What a task description says, each field a value or ``None`` (not said, or asked)."""

    output: str | None = None
    data: str | None = None
    domain: str | None = None
    clarify: Clarify | None = None
    """The one question to ask next, if the line leaves a field open; never about a field read."""
    words: Mapping[str, str] = field(default_factory=dict)
    """The words each field was read from, by field, as the line wrote them (cleaned:
    ``"chest x-rays"``), for a reply that says what it read."""


@dataclass(frozen=True, slots=True)
class _Hit:
    """A family met in the line, and the words that named it."""

    section: str
    family: Family
    words: str


class _Index:
    """A vocabulary ready to read lines with: phrases by their lemmas, and the single words for
    fuzzy matching."""

    def __init__(self, vocabulary: TaskVocabulary) -> None:
        self.vocabulary = vocabulary
        self.phrases: dict[tuple[str, ...], tuple[str, Family]] = {}
        for section, family in vocabulary.families:
            for word in family.words:
                self.phrases.setdefault(lemmas(word), (section, family))
        self.longest = max((len(key) for key in self.phrases), default=1)
        self.negations = frozenset(lemma(word) for word in vocabulary.negations)
        self.plain = frozenset(lemma(word) for word in vocabulary.plain_words)
        self.fuzzy: Vocabulary[tuple[str, ...]] = Vocabulary(
            (key[0], key) for key in self.phrases if len(key) == 1 and len(key[0]) >= _SHORTEST_FUZZY
        )
        self.yields: dict[tuple[str, str], frozenset[str]] = {
            (rule.field, rule.value): frozenset(rule.yields_to) for rule in vocabulary.precedence
        }

    def hits(self, text: str) -> list[_Hit]:
        """The families the line's words name, in order, left to right, longest phrase first."""
        written = clean(text).split()
        tokens = tuple(lemma(word) for word in written)
        hits: list[_Hit] = []
        fuzzy_left = MAX_FUZZY
        index = 0
        while index < len(tokens):
            found: tuple[str, Family] | None = None
            width = 1
            for width in range(min(self.longest, len(tokens) - index), 0, -1):
                found = self.phrases.get(tokens[index : index + width])
                if found is not None:
                    break
            token = tokens[index]
            if found is None and fuzzy_left and self._may_be_misspelt(token):
                fuzzy_left -= 1
                match = self.fuzzy.match(token, cutoff=85.0, margin=8.0, prefix=False)
                found = None if match is None else self.phrases[match.thing]
            if found is not None and not (index and tokens[index - 1] in self.negations):
                section, family = found
                hits.append(_Hit(section, family, " ".join(written[index : index + width])))
            index += width
        return hits

    def _may_be_misspelt(self, token: str) -> bool:
        return len(token) >= _SHORTEST_FUZZY and token.isalpha() and token not in self.plain

    def most_specific(self, field_name: str, values: Sequence[str]) -> list[str]:
        """``values`` without those that yield to another of them, in order, each once."""
        present = list(dict.fromkeys(values))
        return [
            value
            for value in present
            if not (self.yields.get((field_name, value), frozenset()) & set(present))
        ]


_INDEXES: dict[int, _Index] = {}


def _index(vocabulary: TaskVocabulary) -> _Index:
    """The index of a vocabulary, built once (the index holds the vocabulary: its id stays its own)."""
    found = _INDEXES.get(id(vocabulary))
    if found is None or found.vocabulary is not vocabulary:
        if len(_INDEXES) >= 4:
            _INDEXES.clear()
        found = _INDEXES[id(vocabulary)] = _Index(vocabulary)
    return found


def read_task(
    text: str, vocabulary: TaskVocabulary, *, known: Mapping[str, object] | None = None
) -> TaskReading:
    """What the task description ``text`` says; ``known``: answers given before (by field), never
    asked again. Never raises for any text, and never refuses: an empty line asks the output."""
    index = _index(vocabulary)
    known = known or {}
    hits = index.hits(text)
    words: dict[str, str] = {}

    data, data_choices = _data(index, hits, words)
    output, output_choices = _output(index, hits, data, words)
    if data is None and not data_choices:
        data, data_choices = _implied_data(index, hits, output, words)
    domains = list(dict.fromkeys(h.family.domain for h in hits if h.family.domain))
    domain = domains[0] if len(domains) == 1 else None
    if domain is not None:
        words["domain"] = next(h.words for h in hits if h.family.domain == domain)

    clarify = None
    said = any(h.family.output or h.family.data or h.section == "outputs" for h in hits)
    if output is None and "output" not in known:
        clarify = Clarify("output", output_choices)
    elif data is None and data_choices and "data" not in known and (said or "output" not in known):
        clarify = Clarify("data", data_choices)
    elif len(domains) > 1 and "domain" not in known:
        clarify = Clarify("domain", tuple(d for d in domains if d))
    return TaskReading(output=output, data=data, domain=domain, clarify=clarify, words=words)


def _choices(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


def _data(index: _Index, hits: list[_Hit], words: dict[str, str]) -> tuple[str | None, tuple[str, ...]]:
    """The kind of data the nouns of the line name: one kind, ``mixed``, or the choices to ask."""
    named = [h for h in hits if h.section != "outputs" and isinstance(h.family.data, str)]
    kinds = index.most_specific("data", [h.family.data for h in named if isinstance(h.family.data, str)])
    if kinds:
        value = "mixed" if len(kinds) > 1 or "mixed" in kinds else kinds[0]
        words["data"] = ", ".join(dict.fromkeys(h.words for h in named if h.family.data in kinds))
        return value, ()
    open_sets = [h for h in hits if h.section != "outputs" and isinstance(h.family.data, tuple)]
    if not open_sets:
        return None, ()
    choices = _common([_choices(h.family.data) for h in open_sets])
    implied = [_choices(h.family.data) for h in hits if h.section == "outputs" and h.family.data]
    settled = [c for c in choices if any(found == (c,) for found in implied)]
    if len(choices) == 1 or settled:
        words["data"] = open_sets[0].words
        return (settled or list(choices))[0], ()
    return None, choices


def _common(sets: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The choices every set allows, in the first set's order; the first set if none is common."""
    common = [value for value in sets[0] if all(value in other for other in sets[1:])]
    return tuple(common) if common else sets[0]


def _output(
    index: _Index, hits: list[_Hit], data: str | None, words: dict[str, str]
) -> tuple[str | None, tuple[str, ...]]:
    """What the model produces, or the choices to ask about it."""
    named: list[tuple[str, _Hit]] = []
    for hit in hits:
        output = hit.family.output
        if isinstance(output, str):
            named.append((_output_for(hit.family, output, data), hit))
    values = index.most_specific("output", [value for value, _ in named])
    if len(values) == 1:
        words["output"] = next(hit.words for value, hit in named if value == values[0])
        return values[0], ()
    if values:
        return None, tuple(values)
    open_sets = [_choices(hit.family.output) for hit in hits if isinstance(hit.family.output, tuple)]
    if open_sets:
        choices = _common(open_sets)
        if len(choices) == 1:
            words["output"] = next(h.words for h in hits if isinstance(h.family.output, tuple))
            return choices[0], ()
        return None, choices
    likely = next((hit.family.likely for hit in hits if hit.family.likely), ())
    return None, likely or index.vocabulary.ask.output


def _output_for(family: Family, output: str, data: str | None) -> str:
    """A family's output with the data read: "find" in photos is segmentation."""
    return next((instead for kind, instead in family.by_data.items() if kind == data), output)


def _implied_data(
    index: _Index, hits: list[_Hit], output: str | None, words: dict[str, str]
) -> tuple[str | None, tuple[str, ...]]:
    """No kind of data named: what the output's words imply, else what its output needs asked."""
    implied = next((_choices(h.family.data) for h in hits if h.section == "outputs" and h.family.data), ())
    if not implied and output is not None:
        implied = next((kinds for asked, kinds in index.vocabulary.ask.data.items() if asked == output), ())
    if len(implied) == 1:
        words["data"] = f"implied by {output}" if output else "implied"
        return implied[0], ()
    return None, implied
