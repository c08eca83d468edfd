"""Reading what a person wrote as an answer: "2k labelled pics", "$10k", "BERT-base (110M)".

One :class:`Reader` per knowledge base, shared by answers files and the chat,
so both read an answer the same way. A reading returns a :class:`Reading`
(the canonical value, plus a note when it had to interpret) or raises
:class:`Unreadable` with the closest valid values.

Choices are matched with the knowledge base's own words (each choice's value,
label and aliases, :class:`~advisor.text.Vocabulary`): exactly, by a unique
prefix, a whole phrase with a typo, a phrase spotted inside a sentence, then
fuzzily with a margin over the runner-up. Numbers are read from digits with
their scale ("1.5k", "10,000", "two thousand"), in US dollars for money.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from advisor.formatting import format_params, format_usd
from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Question
from advisor.text import Vocabulary, clean, singular

__all__ = ["Reader", "Reading", "Unreadable", "read_count", "read_money", "shown"]

LARGEST = 1e12
"""No count of examples, budget or parameter count is believable beyond this."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A canonical value read from what a person wrote."""

    value: Any
    note: str | None = None
    """How the text was interpreted, when it was not canonical ("read 'labelled' as 'labeled'")."""


class Unreadable(Exception):
    """A value that maps to nothing, or to two things equally."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


def shown(raw: Any) -> str:
    """A value as we quote it back: short and on one line (it is shown as text, never as markup)."""
    text = raw if isinstance(raw, str) else json.dumps(raw, default=str)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _note(raw: Any, value: Any) -> str:
    return f"read {shown(raw)!r} as {value!r}"


class Reader:
    """Reads answers to a knowledge base's questions."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._choices: dict[str, Vocabulary[str]] = {
            question.id: Vocabulary(
                (phrase, choice.value)
                for choice in question.choices
                for phrase in (choice.value, choice.label, *choice.aliases)
            )
            for question in kb.questions
            if question.choices
        }
        self._mentions: dict[str, frozenset[str]] = {
            question.id: frozenset(singular(clean(word)) for word in question.mentions)
            for question in kb.questions
        }

    def read(self, question: Question, raw: Any, *, strict: bool = False) -> Reading:
        """Read ``raw`` as an answer to ``question``, whatever its kind."""
        if question.kind == "choice":
            return self.choice(question, raw, strict=strict)
        if question.kind == "count":
            return read_count(raw, strict=strict, examples=question.examples)
        if question.kind == "money":
            if isinstance(raw, str) and not _MONEY_MARK.search(raw):
                for other in self.kb.questions:
                    if other.kind == "model_size" and self.mentions(other, raw):
                        raise Unreadable(
                            "that looks like a model size, not an amount of money", question.examples
                        )
            return read_money(raw, strict=strict, examples=question.examples)
        return self.model_size(question, raw, strict=strict)

    def mentions(self, question: Question, text: str) -> bool:
        """Whether ``text`` uses one of the question's ``mentions`` words ("budget", "GPUs")."""
        words = self._mentions[question.id]
        if not words:
            return False
        cleaned = singular(clean(text))
        padded = f" {cleaned} "
        return any(f" {word} " in padded or (not word.isalnum() and word in cleaned) for word in words)

    # --- choices ----------------------------------------------------------------------

    def choice(self, question: Question, raw: Any, *, strict: bool = False) -> Reading:
        """A choice: exact, unique prefix, a whole phrase with a typo, a spotted phrase, then fuzzy."""
        values = tuple(choice.value for choice in question.choices)
        if isinstance(raw, bool):
            raw = "yes" if raw else "no"
        if not isinstance(raw, str | int | float):
            raise Unreadable(f"expected one of {', '.join(values)}, not a {type(raw).__name__}", values)
        text = str(raw)
        if strict:
            if text in values:
                return Reading(text)
            raise Unreadable(
                f"{shown(text)!r} is not one of {', '.join(values)} (--strict accepts only these)", values
            )
        cleaned = clean(text)
        if not cleaned:
            raise Unreadable("is empty", values)
        vocabulary = self._choices[question.id]
        found = vocabulary.match(cleaned, cutoff=88, margin=8)
        if found is not None:
            return Reading(found.thing, None if cleaned == found.thing else _note(text, found.thing))
        # A phrase spotted inside a sentence: "none, only raw logs", "medical imaging analysis",
        # plurals included ("spot tumours in xrays" has the alias "xray"). The longest wins.
        spotted = vocabulary.spotted(cleaned)
        if spotted:
            longest = len(spotted[0].phrase)
            tied = tuple(match.thing for match in spotted if len(match.phrase) == longest)
            if len(tied) > 1:
                raise Unreadable(f"{shown(text)!r} could mean {' or '.join(tied)}", tied)
            return Reading(tied[0], _note(text, tied[0]))
        # Fuzzy: typos such as "labled" or "partialy". Whole phrases only, with a margin.
        found = vocabulary.closest(cleaned, cutoff=80, margin=8)
        if found is not None:
            return Reading(found.thing, _note(text, found.thing))
        raise Unreadable(
            f"{shown(text)!r} is not something I can read as {question.name}",
            self._closest(question, cleaned),
        )

    def _closest(self, question: Question, cleaned: str) -> tuple[str, ...]:
        """Up to three values whose phrases are most like ``cleaned``: for the message."""
        ranked = self._choices[question.id].ranked(cleaned)
        close = tuple(match.thing for match in ranked[:3] if match.score >= 60)
        return close or tuple(choice.value for choice in question.choices)

    # --- model sizes ----------------------------------------------------------------------

    def model_size(self, question: Question, raw: Any, *, strict: bool = False) -> Reading:
        """A size band, a parameter count (``"7B"``, ``175e9``) or a model's name (``"GPT-3"``)."""
        bands = sorted(question.choices, key=lambda c: math.inf if c.below_params is None else c.below_params)
        values = tuple(choice.value for choice in question.choices)

        def band(params: float) -> str:
            for choice in bands:
                if choice.below_params is None or params < choice.below_params:
                    return choice.value
            return bands[-1].value

        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if raw < 1e5:
                raise Unreadable(
                    f"{raw:g} parameters is too few for a model; write the unit, such as 7B or 110M", values
                )
            try:
                params = float(raw)
            except OverflowError:
                params = math.inf
            if not math.isfinite(params) or params > LARGEST:
                raise Unreadable(f"{shown(raw)} is too large to be a parameter count", values)
            value = band(params)
            return Reading(value, f"read {shown(raw)} parameters as {value!r}")
        if strict:
            return self.choice(question, raw, strict=True)
        if isinstance(raw, str):
            # An explicit count wins over a name: "BERT-base (110M)".
            counts = [
                (value, words)
                for value, words in numbers_in(raw)
                if re.search(r"[kmbt]|thousand|million|billion|trillion", words, re.IGNORECASE)
                or value >= 1e5
            ]
            distinct = {value for value, _ in counts}
            if len(distinct) == 1:
                params = counts[0][0]
                if not math.isfinite(params) or params > LARGEST:
                    raise Unreadable(f"{shown(raw)!r} is too large to be a parameter count", values)
                if params < 1e5:
                    raise Unreadable(f"{counts[0][1]} parameters is too few for a model", values)
                value = band(params)
                return Reading(value, f"read {shown(raw)!r} as {format_params(params)} parameters: {value!r}")
            if len(distinct) > 1:
                raise Unreadable(f"{shown(raw)!r} has more than one size; give one", values)
        return self.choice(question, raw)


# --- numbers ----------------------------------------------------------------------------

_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "mio": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "trillion": 1e12,
}
_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
}
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:[,_ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)"
    r"\s*(?P<scale>thousand|million|billion|trillion|grand|mio|mm|mn|bn|k|m|b|t)?(?![a-z])",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(
    r"\b(?P<word>a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred|hundred)"
    r"\s+(?P<scale>thousand|million|billion|grand)\b",
    re.IGNORECASE,
)
_MONEY_MARK = re.compile(r"\$|\busd\b|\bdollars?\b|\bbucks\b", re.IGNORECASE)
_CURRENCIES = {
    "€": "euros",
    "£": "pounds",
    "¥": "yen",
    "eur": "euros",
    "euro": "euros",
    "euros": "euros",
    "gbp": "pounds",
    "pounds": "pounds",
    "jpy": "yen",
    "yen": "yen",
    "inr": "rupees",
    "rupees": "rupees",
    "cad": "Canadian dollars",
    "aud": "Australian dollars",
}
_NOTHING = frozenset({"none", "zero", "no", "nothing", "no labels"})


def numbers_in(text: str) -> list[tuple[float, str]]:
    """Every number in ``text`` with its scale applied, and the words it was written as."""
    found: list[tuple[float, str]] = []
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,_ ]", "", match["num"])
        value = float(digits) * _SCALES.get((match["scale"] or "").lower(), 1.0)
        found.append((value, match.group(0).strip()))
    for match in _WORD_NUMBER.finditer(text):
        found.append((_WORDS[match["word"].lower()] * _SCALES[match["scale"].lower()], match.group(0)))
    return found


def _one_number(raw: Any, what: str, examples: tuple[str, ...]) -> tuple[float, bool]:
    """The single number in ``raw`` and whether it was written plainly."""
    if isinstance(raw, bool):
        raise Unreadable(f"expected {what}, not {str(raw).lower()}", examples)
    if isinstance(raw, int | float):
        try:
            number = float(raw)
        except OverflowError:
            raise Unreadable(f"{shown(raw)} is too large to be {what}", examples) from None
        if not math.isfinite(number):
            raise Unreadable(f"expected {what}, not {shown(raw)}", examples)
        return number, True
    if not isinstance(raw, str):
        raise Unreadable(f"expected {what}, not a {type(raw).__name__}", examples)
    text = raw.strip()
    numbers = numbers_in(text)
    if any(not math.isfinite(value) for value, _ in numbers):
        raise Unreadable(f"{shown(text)!r} is too large to be {what}", examples)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text), True
    if not numbers:
        if clean(text) in _NOTHING:
            return 0.0, False
        raise Unreadable(f"I could not find a number in {shown(text)!r}", examples)
    if len({value for value, _ in numbers}) > 1:
        both = " and ".join(words for _, words in numbers[:2])
        raise Unreadable(f"{shown(text)!r} has more than one number ({both}); give one", examples)
    if re.search(r"(?<![\w])-\s*\d", text):
        raise Unreadable(f"{what} cannot be negative", examples)
    return numbers[0][0], False


def read_count(raw: Any, *, strict: bool = False, examples: tuple[str, ...] = ()) -> Reading:
    """A whole number of examples: ``1000``, ``"1k"``, ``"about 1,000 images"``."""
    if strict and not (isinstance(raw, int) and not isinstance(raw, bool)):
        raise Unreadable(f"{shown(raw)!r} is not a whole number (--strict)", examples)
    value, plain = _one_number(raw, "a count", examples)
    if value < 0:
        raise Unreadable("a count cannot be negative", examples)
    if value != int(value):
        raise Unreadable(f"{shown(raw)!r} is not a whole number", examples)
    if value > LARGEST:
        raise Unreadable(f"{value:,.0f} examples is more than I can believe; check the number", examples)
    count = int(value)
    return Reading(count, None if plain else f"read {shown(raw)!r} as {count:,}")


def read_money(raw: Any, *, strict: bool = False, examples: tuple[str, ...] = ()) -> Reading:
    """US dollars: ``10000``, ``"$10k"``, ``"10,000 USD"``."""
    if strict and not (isinstance(raw, int | float) and not isinstance(raw, bool)):
        raise Unreadable(f"{shown(raw)!r} is not a number of US dollars (--strict)", examples)
    if isinstance(raw, str):
        lowered = raw.casefold()
        for mark, name in _CURRENCIES.items():
            if re.search(rf"(?<![a-z]){re.escape(mark)}(?![a-z])", lowered):
                raise Unreadable(f"I work in US dollars; please give the amount in USD, not {name}", examples)
        if clean(raw) in ("unlimited", "no limit", "no budget", "infinite", "any"):
            raise Unreadable("I need a number to compare costs with; a rough ceiling is fine", examples)
        if re.search(r"param|\d\s*b\b", lowered):
            raise Unreadable("that looks like a model size, not an amount of money", examples)
    value, plain = _one_number(raw, "an amount in US dollars", examples)
    if value < 0:
        raise Unreadable("a budget cannot be negative", examples)
    if value > LARGEST:
        raise Unreadable(f"{format_usd(value)} is more than I can believe; check the number", examples)
    return Reading(value, None if plain else f"read {shown(raw)!r} as {format_usd(value)}")
