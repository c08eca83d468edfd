"""Reading what a person wrote as an answer: "2k labelled pics", "$10k", "BERT-base (110M)".

One :class:`Reader` per knowledge base, shared by answers files and the chat,
so both read an answer the same way. A reading returns a :class:`Reading`
(the canonical value, plus a note when it had to interpret) or raises
:class:`Unreadable` with the closest valid values.

Choices are matched with the knowledge base's own words (each choice's value,
label and aliases, :class:`~advisor.text.Vocabulary`): exactly, by a unique
prefix, a whole phrase with a typo, a phrase spotted inside a sentence, then
fuzzily with a margin over the runner-up. Numbers are read by
:mod:`advisor.numbers` ("1.5k", "10,000", "two thousand", "2.000"), in US
dollars for money. A whole sentence with several answers is read by
:mod:`advisor.understanding`, which uses this reader for each answer.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from advisor.bounds import LARGEST_ANSWER, SMALLEST, NumberError, as_number, written
from advisor.formatting import format_params, format_usd, format_value
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import DATA, DOMAIN, OUTPUT, USD_PER
from advisor.kb.models import KnownModel, Question
from advisor.numbers import MOST_NUMBERS, numbers_in
from advisor.records import dataclass
from advisor.text import Vocabulary, clause_spans, clean, erased, singular

if TYPE_CHECKING:
    from advisor.kb.vocabulary import TaskVocabulary
    from advisor.scope import Scoped
    from advisor.tasks import Clarify

__all__ = [
    "NOTHING",
    "Reader",
    "Reading",
    "Unreadable",
    "band_of",
    "foreign_currency",
    "read_count",
    "read_money",
    "shown",
]


@dataclass(frozen=True, slots=True)
class Reading:
    """A canonical value read from what a person wrote."""

    value: Any
    note: str | None = None
    """How the text was interpreted, when it was not canonical ("read 'labelled' as 'labeled'")."""
    also: Mapping[str, Any] = field(default_factory=dict)
    """Other answers the same words give: a task description's output, data and domain."""
    clarify: Clarify | None = None
    """For a task description: the one field it leaves open, and the choices to ask about."""
    words: Mapping[str, str] = field(default_factory=dict)
    """For a task description: the words each field was read from ("chest x-rays")."""
    pins: Mapping[str, float] = field(default_factory=dict)
    """Assumptions the reading relied on, by id, at the value used: the exchange rate an amount in
    euros was converted at (``usd_per_eur``), so the report names it and the file reproduces it."""


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
                for phrase in (choice.value, choice.label, *choice.aliases, *choice.replies)
            )
            for question in kb.questions
            if question.choices
        }
        """Every phrase of every choice: for a whole answer ("yes", "labled")."""

    # The vocabularies below are for answers that are not a choice's own words: an answers
    # file of canonical values never needs them, so they are made on first use (1 to 2 ms).

    @cached_property
    def _spotting(self) -> dict[str, Vocabulary[str]]:
        """The phrases that name a choice inside a longer answer: not the replies ("not *sure*")."""
        return {
            question.id: Vocabulary(
                (phrase, choice.value)
                for choice in question.choices
                for phrase in (choice.value, choice.label, *choice.aliases)
            )
            for question in self.kb.questions
            if question.choices
        }

    @cached_property
    def _models(self) -> dict[str, Vocabulary[KnownModel]]:
        """Known models by name and alias ("BERT-base", "GPT-3")."""
        return {
            question.id: Vocabulary(
                (alias, model) for model in question.models for alias in (model.name, *model.aliases)
            )
            for question in self.kb.questions
            if question.models
        }

    @cached_property
    def _mentions(self) -> dict[str, frozenset[str]]:
        """The words that mention each question's answer ("budget", "GPUs")."""
        return {
            question.id: frozenset(singular(clean(word)) for word in question.mentions)
            for question in self.kb.questions
        }

    def read(self, question: Question, raw: Any, *, strict: bool = False) -> Reading:
        """Read ``raw`` as an answer to ``question``, whatever its kind."""
        if question.kind == "choice":
            return self.choice(question, raw, strict=strict)
        if question.kind == "task":
            return self.task(question, raw)
        if question.kind == "count":
            return read_count(raw, strict=strict, examples=question.examples)
        if question.kind == "money":
            if isinstance(raw, str) and not any(number.money for number in numbers_in(raw)):
                for other in self.kb.questions:
                    if other.kind == "model_size" and self.mentions(other, raw):
                        raise Unreadable(
                            "that looks like a model size, not an amount of money", question.examples
                        )
            converted = None if strict else self._in_dollars(raw)
            return converted or read_money(raw, strict=strict, examples=question.examples)
        return self.model_size(question, raw, strict=strict)

    def _in_dollars(self, raw: Any) -> Reading | None:
        """ "€20k": in dollars at the knowledge base's named, dated rate (``usd_per_eur``), which
        the note names; ``None`` when ``raw`` names no other currency with a rate, or also gives a
        dollar figure ("30k euros, so ~32k dollars": the dollars said win)."""
        if not isinstance(raw, str):
            return None
        numbers = [number for number in numbers_in(raw) if not number.negated]
        foreign = [number for number in numbers if number.currency]
        dollars = [number for number in numbers if number.money and not number.currency]
        if foreign and len(dollars) == 1 and 0 <= dollars[0].value <= LARGEST_ANSWER:
            said = f"read {shown(raw)!r} as {format_usd(dollars[0].value)}, the amount said in dollars"
            return Reading(dollars[0].value, said)
        if len(foreign) != 1 or dollars:
            return None
        number = foreign[0]
        rate = self.kb.assumption.get(USD_PER.get(number.currency or "", ""))
        if rate is None or number.per is not None or number.value < 0:
            return None
        value = number.value * rate.low
        if value > LARGEST_ANSWER:
            return None
        when = f", as of {rate.as_of}" if rate.as_of else ""
        note = f"read {shown(raw)!r} as {format_usd(value)} at {rate.low:g} {rate.unit} ({rate.id}{when})"
        return Reading(value, note, pins={rate.id: rate.low})

    def mentions(self, question: Question, text: str) -> bool:
        """Whether ``text`` uses one of the question's ``mentions`` words ("budget", "GPUs")."""
        words = self._mentions[question.id]
        if not words:
            return False
        cleaned = singular(clean(text))
        padded = f" {cleaned} "
        return any(
            f" {word} " in padded or (not word.isalnum() and _written(word, cleaned)) for word in words
        )

    # --- task descriptions --------------------------------------------------------------

    @cached_property
    def vocabulary(self) -> TaskVocabulary:
        """The task vocabulary of the knowledge base's folder, read on the first description."""
        from advisor.kb.vocabulary import load_vocabulary

        return load_vocabulary(self.kb.directory)

    def task(self, question: Question, raw: Any, *, known: Mapping[str, Any] | None = None) -> Reading:
        """A task in the person's words: kept as written, with the output, data and domain it says.

        Never refused for its words: what it leaves open is :attr:`Reading.clarify`."""
        from advisor.tasks import read_task

        if isinstance(raw, bool) or not isinstance(raw, str):
            raise Unreadable(f"expected a few words that describe the task, not a {type(raw).__name__}")
        text = " ".join(erased(raw).split())
        if not any(character.isalpha() for character in text):
            said = "is empty" if not text else f"{shown(text)!r} has no words in it"
            raise Unreadable(said, question.examples)
        reading = read_task(text, self.vocabulary, known=known)
        also = {
            name: value
            for name, value in ((OUTPUT, reading.output), (DATA, reading.data), (DOMAIN, reading.domain))
            if value is not None
        }
        return Reading(text, None, also, reading.clarify, reading.words)

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
            said = "is empty" if not text.strip() else f"{shown(text)!r} has no words or numbers in it"
            raise Unreadable(said, values)
        vocabulary = self._choices[question.id]
        exact = vocabulary.exact(cleaned)
        if exact is not None:
            return Reading(exact, None if cleaned == exact else _note(text, exact))
        if question.subject:
            from advisor.scope import hedged  # only for a sentence: canonical answers never need it

            # "they aren't labeled", "only half": what is said of the subject, before any
            # phrase inside the sentence ("labeled") or a near miss ("they are labeled").
            scoped = self.scoped(question, text, bare=True)
            if scoped is not None:
                if scoped.conflicting:
                    raise Unreadable(f"{shown(text)!r} says more than one thing", values)
                return Reading(scoped.value, _note(text, scoped.value))
            if hedged(text):
                raise Unreadable(f"{shown(text)!r} sounds unsure", values)
        found = vocabulary.match(cleaned, cutoff=88, margin=8)
        if found is not None:
            return Reading(found.thing, None if cleaned == found.thing else _note(text, found.thing))
        # A phrase spotted inside a sentence: "none, only raw logs", "medical imaging analysis",
        # plurals included ("spot tumours in xrays" has the alias "xray"). The longest wins.
        spotted = self._spotting[question.id].spotted(cleaned)
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

    def scoped(self, question: Question, text: str, *, bare: bool) -> Scoped | None:
        """The choice that what ``text`` says of ``question``'s subject picks (:mod:`advisor.scope`)."""
        from advisor.scope import scoped_choice

        vocabulary = self._choices[question.id]
        clauses = [text[start:end] for start, end in clause_spans(text)]
        return scoped_choice(question, clauses, bare=bare, reply=vocabulary.exact)

    def _closest(self, question: Question, cleaned: str) -> tuple[str, ...]:
        """Up to three values whose phrases are most like ``cleaned``: for the message."""
        ranked = self._choices[question.id].ranked(cleaned)
        close = tuple(match.thing for match in ranked[:3] if match.score >= 60)
        return close or tuple(choice.value for choice in question.choices)

    # --- model sizes ----------------------------------------------------------------------

    def model_size(self, question: Question, raw: Any, *, strict: bool = False) -> Reading:
        """A size band, a parameter count (``"7B"``, ``175e9``) or a model's name (``"GPT-3"``).

        A count or a known model's name reads as the number of parameters; a size
        reads as its band (``"small"``), whose typical count the cost model assumes.
        """
        values = tuple(choice.value for choice in question.choices)

        def band(params: float) -> str:
            return band_of(question, params)

        if isinstance(raw, int | float) and not isinstance(raw, bool):
            try:
                params = as_number(raw)[0]
            except NumberError:
                raise Unreadable(_not_finite(raw, "a parameter count"), values) from None
            if params < 1e5:
                raise Unreadable(
                    f"{params:g} parameters is too few for a model; write the unit, such as 7B or 110M",
                    values,
                )
            if params > LARGEST_ANSWER:
                raise Unreadable(f"{params:g} is too large to be a parameter count", values)
            return Reading(params)
        if strict:
            return self.choice(question, raw, strict=True)
        if isinstance(raw, str):
            # A choice's own value or label first: "Medium (1B to 30B)" is the button's label.
            exact = self._choices[question.id].exact(raw)
            if exact is not None:
                return Reading(exact, None if clean(raw) == exact else _note(raw, exact))
            # An explicit count wins over a name: "BERT-base (110M)".
            counts = [
                number
                for number in numbers_in(raw)
                if not number.negated
                and not number.percent
                and (number.scale not in ("", "grand") or number.value >= 1e5)
            ]
            distinct = {number.value for number in counts}
            if len(distinct) == 1:
                params = counts[0].value
                if not math.isfinite(params) or params > LARGEST_ANSWER:
                    raise Unreadable(f"{shown(raw)!r} is too large to be a parameter count", values)
                if params < 1e5:
                    raise Unreadable(f"{shown(counts[0].words)} parameters is too few for a model", values)
                named = self._named_model(question, raw)
                if named is not None and 0.5 <= named.params / params <= 2:  # "Llama 3 70B": its name too
                    said = f"{named.name}, {format_params(params)} parameters ({band(params)})"
                else:
                    said = f"{format_params(params)} parameters ({band(params)})"
                return Reading(params, f"read {shown(raw)!r} as {said}")
            if len(distinct) > 1:
                raise Unreadable(f"{shown(raw)!r} has more than one size; give one", values)
            model = self._named_model(question, raw)
            if model is not None:
                return Reading(
                    model.params,
                    f"read {shown(raw)!r} as {model.name}, {format_params(model.params)} parameters",
                )
        return self.choice(question, raw)

    def _named_model(self, question: Question, raw: str) -> KnownModel | None:
        """The one known model ``raw`` names, if it names one."""
        models = self._models.get(question.id)
        if models is None:
            return None
        known = models.match(raw, cutoff=90, margin=8, prefix=False)
        spotted = [known] if known is not None else models.spotted(raw)
        return spotted[0].thing if len({match.thing for match in spotted}) == 1 else None


def band_of(question: Question, params: float) -> str:
    """The size a parameter count falls in (``small`` for 110M), by the choices' ``below_params``."""
    bands = sorted(question.choices, key=lambda c: math.inf if c.below_params is None else c.below_params)
    for choice in bands:
        if choice.below_params is None or params < choice.below_params:
            return choice.value
    return bands[-1].value


# --- numbers ----------------------------------------------------------------------------

NOTHING = frozenset(
    {
        "none",
        "none yet",
        "zero",
        "no",
        "nothing",
        "nothing yet",
        "no labels",
        "no data",
        "no data yet",
        "we have no data",
        "we have no data yet",
        "we have none",
        "free",
        "for free",
        "nada",
        "nil",
    }
)
"""Words that mean 0 where a count or an amount is asked."""
_NO_LIMIT = frozenset({"unlimited", "no limit", "no budget", "infinite", "any", "whatever it takes"})


def _one_number(raw: Any, what: str, examples: tuple[str, ...]) -> tuple[float, str | None]:
    """The single number in ``raw``, and how it was written when not plainly: the start of a
    note that the value completes ("read '5-10k' as its low end, ")."""
    if isinstance(raw, bool):
        raise Unreadable(f"expected {what}, not {str(raw).lower()}", examples)
    if isinstance(raw, int | float):
        try:
            return as_number(raw)[0], None
        except NumberError:
            raise Unreadable(_not_finite(raw, what), examples) from None
    if not isinstance(raw, str):
        raise Unreadable(f"expected {what}, not a {type(raw).__name__}", examples)
    text = raw.strip()
    try:
        yaml_form = written(text)  # "0500": YAML 1.1 would have read it as octal 320
    except NumberError as error:
        raise Unreadable(error.message, examples) from None
    if yaml_form is not None:
        return yaml_form[0], f"read {shown(raw)!r} (a leading zero, not octal) as "
    if re.fullmatch(r"\d+", text) and math.isfinite(float(text)):
        return float(text), None
    found = [number for number in numbers_in(raw) if not number.negated]
    if any(not math.isfinite(number.value) for number in found):
        raise Unreadable(f"{shown(text)!r} is too large to be {what}", examples)
    if not found:
        if clean(text) in NOTHING:
            return 0.0, f"read {shown(raw)!r} as "
        raise Unreadable(f"I could not find a number in {shown(text)!r}", examples)
    if len(found) >= MOST_NUMBERS:  # read for its first thousand: what follows is unknown
        raise Unreadable(f"{shown(text)!r} holds more than {MOST_NUMBERS:,} numbers; give one", examples)
    if len({number.value for number in found}) > 1:
        both = " and ".join(shown(number.words) for number in found[:2])
        raise Unreadable(f"{shown(text)!r} has more than one number ({both}); give one", examples)
    number = found[0]
    if number.negative:
        raise Unreadable(f"{what} cannot be negative", examples)
    if number.percent:
        raise Unreadable(f"{shown(number.words)} is a share, not {what}", examples)
    if number.high is not None:
        return number.value, f"read {shown(raw)!r} as its low end, "
    return number.value, f"read {shown(raw)!r} as "


def _not_finite(raw: float, what: str) -> str:
    """Why a number the policy refuses (NaN, infinity, 10**400) is not ``what``."""
    if isinstance(raw, int):
        return f"a number of {len(str(abs(raw))):,} digits is too large to be {what}"
    return f"expected {what}, not {shown(raw)}"


def _not_plain(raw: Any, what: str) -> str:
    """Why ``--strict`` refuses ``raw`` where a plain number belongs: "0500" has a leading zero."""
    if isinstance(raw, str):
        try:
            found = written(raw)
        except NumberError as error:
            return error.message  # 0x10: refused with or without --strict
        if found is not None:
            try:
                as_number(raw, notes=False)
            except NumberError as error:  # "'0500' has a leading zero ...; write 500"
                return f"{error.message} (--strict)"
    return f"{shown(raw)!r} is not {what} (--strict)"


def read_count(raw: Any, *, strict: bool = False, examples: tuple[str, ...] = ()) -> Reading:
    """A whole number of examples: ``1000``, ``"1k"``, ``"about 1,000 images"``, ``"two thousand"``."""
    if strict and not (isinstance(raw, int) and not isinstance(raw, bool)):
        raise Unreadable(_not_plain(raw, "a whole number"), examples)
    value, note = _one_number(raw, "a count", examples)
    if value < 0:
        raise Unreadable("a count cannot be negative", examples)
    if value != int(value):
        raise Unreadable(f"{shown(raw)!r} is not a whole number", examples)
    if value > LARGEST_ANSWER:
        raise Unreadable(
            f"{format_value(value, 'count')} examples is more than I can believe; check the number", examples
        )
    count = int(value)
    return Reading(count, f"{note}{count:,}" if note else None)


def read_money(raw: Any, *, strict: bool = False, examples: tuple[str, ...] = ()) -> Reading:
    """US dollars: ``10000``, ``"$10k"``, ``"10,000 USD"``, ``"ten grand"``."""
    if strict and not (isinstance(raw, int | float) and not isinstance(raw, bool)):
        raise Unreadable(_not_plain(raw, "a number of US dollars"), examples)
    if isinstance(raw, str):
        other = foreign_currency(raw) or (
            "rupees (lakh and crore)" if any(number.indian for number in numbers_in(raw)) else None
        )
        if other:
            raise Unreadable(f"I work in US dollars; please give the amount in USD, not {other}", examples)
        if clean(raw) in _NO_LIMIT:
            raise Unreadable("I need a number to compare costs with; a rough ceiling is fine", examples)
        if re.search(r"param", raw, re.IGNORECASE) or any(
            number.billions and not number.money for number in numbers_in(raw)
        ):
            raise Unreadable("that looks like a model size, not an amount of money", examples)
    value, note = _one_number(raw, "an amount in US dollars", examples)
    if value < 0:
        raise Unreadable("a budget cannot be negative", examples)
    if 0 < value < SMALLEST:  # the number policy: no number but 0 is nearer to 0 than this
        raise Unreadable(f"{value:g} US dollars is too near 0: give 0 or at least {SMALLEST:g}", examples)
    if value > LARGEST_ANSWER:
        raise Unreadable(f"{format_usd(value)} is more than I can believe; check the number", examples)
    return Reading(value, f"{note}{format_usd(value)}" if note else None)


_CURRENCY_WORDS = re.compile(r"(?<![a-z])(€|£|¥|₹|eur|euros?|gbp|pounds?|rupees?|inr|yen|jpy|chf)(?![a-z])")


def _written(sign: str, cleaned: str) -> bool:
    """Whether a mention that is no plain word ("$", "in-house") is written in a cleaned text: also
    against a number ("$3k"), never against letters ("ar$6m3" is keys mashed, not dollars)."""
    return re.search(rf"(?<![^\W_]){re.escape(sign)}(?![^\W\d_])", cleaned) is not None


def foreign_currency(text: str) -> str | None:
    """The currency other than US dollars that ``text`` names ("euros", "rupees"), if any."""
    for number in numbers_in(text):
        if number.currency:
            return number.currency
    found = _CURRENCY_WORDS.search(text.casefold())
    if found:
        return next(n.currency for n in numbers_in(f"1 {found[1]}") if n.currency) or found[1]
    return None
