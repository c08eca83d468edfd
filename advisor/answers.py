"""Answers: from what a person typed (a file or a chat line) to canonical values.

One reader per question kind, shared by answers files and the chat, so both
read "2k labelled pics" the same way. A reader returns a :class:`Reading`
(the canonical value, plus a note when it had to interpret) or raises
:class:`Unreadable` with the closest valid values.

Choices are matched the careful way (see PITFALLS: rapidfuzz's defaults tie
short labels): exact (casefolded) value, label or alias; then a unique
prefix; then an alias spotted as whole words inside a longer sentence; then
fuzzy, with a cutoff and a margin over the runner-up. Otherwise we ask.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args

from advisor import safeyaml
from advisor.conditions import describe_condition, holds
from advisor.errors import AnswersError, Problem, YamlError
from advisor.knowledge import KnowledgeBase
from advisor.models import Question
from advisor.schema import Strict

__all__ = [
    "ANSWER_FIELDS",
    "Answers",
    "AnswersFile",
    "Normalized",
    "Reading",
    "Unreadable",
    "format_usd",
    "load_answers",
    "normalize",
    "read_answer",
    "visible_questions",
]

MAX_ANSWERS_BYTES = 256 * 1024

ANSWER_FIELDS = ("task", "labels", "labeled_examples", "model_size", "budget_usd", "hardware")


Labels = Literal["labeled", "partially-labeled", "unlabeled"]
ModelSize = Literal["small", "medium", "large"]
Hardware = Literal["gpu", "tpu", "cpu"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Answers:
    """Normalized answers: what the engine decides on.

    :func:`normalize` makes them from what a person wrote; ``__post_init__``
    keeps a hand-built one (tests, benchmarks) to the same values.
    """

    task: str
    """The kind of task: a value of the task question (``text``, ``images``, ``other``)."""
    labels: Labels
    """Whether the data has labels."""
    labeled_examples: int = 0
    """How many labeled examples there are (0 for unlabeled data)."""
    model_size: ModelSize
    """Under 1B, 1B to 30B, or 30B parameters and more."""
    budget_usd: float
    """The whole project's budget in US dollars."""
    hardware: Hardware | None = None
    """What the training runs on, if known."""
    assumptions: dict[str, float | tuple[float, float]] = field(default_factory=dict)
    """Cost-model assumptions overridden by the person, by id."""

    def __post_init__(self) -> None:
        for name, allowed in (
            ("labels", get_args(Labels)),
            ("model_size", get_args(ModelSize)),
            ("hardware", (*get_args(Hardware), None)),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} is {getattr(self, name)!r}, not one of {allowed}")
        if self.labeled_examples < 0 or self.budget_usd < 0:
            raise ValueError("labeled_examples and budget_usd cannot be negative")

    def values(self) -> dict[str, Any]:
        """The answer fields as a plain dict, for the engine."""
        return {
            "task": self.task,
            "labels": self.labels,
            "labeled_examples": self.labeled_examples,
            "model_size": self.model_size,
            "budget_usd": self.budget_usd,
            "hardware": self.hardware,
        }

    def to_file(self) -> dict[str, Any]:
        """An answers file that reproduces these answers exactly."""
        data: dict[str, Any] = {
            "task": self.task,
            "labels": self.labels,
            "labeled_examples": self.labeled_examples,
            "model_size": self.model_size,
            "budget_usd": int(self.budget_usd)
            if self.budget_usd == int(self.budget_usd)
            else self.budget_usd,
        }
        if self.labels == "unlabeled":
            del data["labeled_examples"]
        if self.hardware is not None:
            data["hardware"] = self.hardware
        if self.assumptions:
            data["assumptions"] = {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in self.assumptions.items()
            }
        return data


# Only its JSON Schema is used (``advisor schema``): answers files are read by
# normalize(), which understands free text that no schema can describe.
@dataclass(frozen=True, slots=True, kw_only=True)
class AnswersFile(Strict):
    """An answers file for ``advisor recommend`` (YAML or JSON). Free text is accepted where noted."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **Strict.__pydantic_config__,
        "use_attribute_docstrings": True,
        "title": "Answers file",
    }

    task: str
    """What the model should do, in free text ("medical imaging"); mapped to text, images or other."""
    labels: str | bool
    """labeled, partially-labeled or unlabeled; aliases and typos are mapped ("labelled", "no, raw logs")."""
    labeled_examples: int | str | None = None
    """How many labeled examples: 1000, "1k", "about 1,000 images". Not needed for unlabeled data."""
    model_size: str | float
    """small, medium or large, a parameter count ("110M", "7B", 175e9), or a model name ("BERT", "GPT-3")."""
    budget_usd: float | str
    """The budget in US dollars: 10000, "$10k", "10,000 USD"."""
    hardware: str | None = None
    """Optional: gpu, tpu or cpu."""
    assumptions: dict[str, float | list[float]] | None = None
    """Optional: override cost-model assumptions by id (see the report's assumptions)."""


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


@dataclass(frozen=True, slots=True)
class Normalized:
    """Answers read from a file, with what was read fuzzily."""

    answers: Answers
    warnings: tuple[str, ...]


# --- formatting -----------------------------------------------------------------


def format_usd(amount: float) -> str:
    """``$1,234`` for whole dollars, ``$4.60`` for small amounts with cents."""
    if amount < 100 and amount != int(amount):
        return f"${amount:,.2f}"
    return f"${round(amount):,}"


def _shown(raw: Any) -> str:
    """A value as we quote it back: short, one line, never markup-interpreted (callers escape)."""
    text = raw if isinstance(raw, str) else json.dumps(raw, default=str)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


# --- choices --------------------------------------------------------------------

_NON_WORD = re.compile(r"[^\w$.+-]+")


def _clean(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.casefold().replace("’", "'").replace("'", "")).split())


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """Every way to say each choice of a question, cleaned once."""

    question: Question
    """Held so that its ``id()``, the cache key, cannot be reused by another object."""
    exact: dict[str, str]
    phrases: tuple[tuple[str, str, str], ...]
    """(cleaned phrase, its :func:`_singular`, value), longest first: for spotting inside sentences."""


_VOCABULARIES: dict[int, _Vocabulary] = {}


def _vocabulary(question: Question) -> _Vocabulary:
    vocab = _VOCABULARIES.get(id(question))
    if vocab is None or vocab.question is not question:
        exact: dict[str, str] = {}
        for choice in question.choices:
            for phrase in (choice.value, choice.label, *choice.aliases):
                exact.setdefault(_clean(phrase), choice.value)
        phrases = tuple(
            (phrase, _singular(phrase), value)
            for phrase, value in sorted(exact.items(), key=lambda item: -len(item[0]))
        )
        vocab = _VOCABULARIES[id(question)] = _Vocabulary(question, exact, phrases)
    return vocab


def _choice_labels(question: Question) -> tuple[str, ...]:
    return tuple(choice.value for choice in question.choices)


def read_choice(question: Question, raw: Any, *, strict: bool = False) -> Reading:
    """Read a choice: exact, alias, unique prefix, spotted phrase, then careful fuzzy."""
    values = _choice_labels(question)
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if not isinstance(raw, str | int | float):
        raise Unreadable(f"expected one of {', '.join(values)}, not a {type(raw).__name__}", values)
    text = str(raw)
    if strict:
        if text in values:
            return Reading(text)
        raise Unreadable(
            f"{_shown(text)!r} is not one of {', '.join(values)} (--strict accepts only these)",
            values,
        )
    cleaned = _clean(text)
    if not cleaned:
        raise Unreadable("is empty", values)
    vocab = _vocabulary(question)
    if cleaned in vocab.exact:
        value = vocab.exact[cleaned]
        return Reading(value, None if cleaned == value else _note(text, value))
    # A unique prefix of a canonical value or alias: "part" -> partially-labeled.
    if len(cleaned) >= 3:
        starts = {value for phrase, value in vocab.exact.items() if phrase.startswith(cleaned)}
        if len(starts) == 1:
            value = starts.pop()
            return Reading(value, _note(text, value))
    # A whole phrase with a typo: "partialy labeled" (before "labeled" is spotted inside it).
    close = _similar(cleaned, list(vocab.exact), limit=3, cutoff=88)
    close_values = {vocab.exact[phrase] for phrase, _ in close}
    if len(close_values) == 1:
        value = close_values.pop()
        return Reading(value, _note(text, value))
    # A phrase spotted inside a sentence: "none, only raw logs", "medical imaging analysis",
    # plurals included ("spot tumours in xrays" has the alias "xray").
    padded = f" {cleaned} "
    padded_singular = f" {_singular(cleaned)} "
    spotted: dict[str, int] = {}
    for phrase, singular, value in vocab.phrases:
        if len(phrase) >= 2 and (f" {phrase} " in padded or f" {singular} " in padded_singular):
            spotted[value] = max(spotted.get(value, 0), len(phrase))
    if spotted:
        ranked = sorted(spotted.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            return Reading(ranked[0][0], _note(text, ranked[0][0]))
        tied = tuple(value for value, length in ranked if length == ranked[0][1])
        raise Unreadable(f"{_shown(text)!r} could mean {' or '.join(tied)}", tied)
    # Fuzzy: typos such as "labled" or "partialy". Whole phrases only, with a margin.
    matches = _similar(cleaned, list(vocab.exact), limit=8, cutoff=60)
    best: dict[str, float] = {}
    for phrase, score in matches:
        value = vocab.exact[phrase]
        best[value] = max(best.get(value, 0.0), score)
    ranked_fuzzy = sorted(best.items(), key=lambda item: -item[1])
    if (
        ranked_fuzzy
        and ranked_fuzzy[0][1] >= 80
        and (len(ranked_fuzzy) == 1 or ranked_fuzzy[0][1] - ranked_fuzzy[1][1] >= 8)
    ):
        value = ranked_fuzzy[0][0]
        return Reading(value, _note(text, value))
    closest = tuple(value for value, _ in ranked_fuzzy[:3]) or values
    raise Unreadable(f"{_shown(text)!r} is not something I can read as {question.name}", closest)


def _singular(text: str) -> str:
    """Cleaned words with a plural "s" dropped ("xrays" -> "xray"); applied to both sides
    of a comparison, so a crude rule is enough ("this" -> "thi" on both sides too)."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in text.split()
    )


def _similar(text: str, phrases: Sequence[str], *, limit: int, cutoff: float) -> list[tuple[str, float]]:
    """The phrases most like ``text``, best first: at most ``limit``, each scoring at least
    ``cutoff`` (rapidfuzz's ratio, 0 to 100).

    rapidfuzz is imported here rather than with the module: it costs about 10 ms, a
    good part of ``advisor recommend``'s start, and answers written with canonical
    values (what scripts write) never need it.
    """
    from rapidfuzz import fuzz, process

    found = process.extract(text, phrases, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
    return [(phrase, score) for phrase, score, _ in found]


def _note(raw: str, value: str) -> str:
    return f"read {_shown(raw)!r} as {value!r}"


# --- numbers --------------------------------------------------------------------

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
    "zero": 0,
    "none": 0,
    "no": 0,
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
    "few": None,
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


def _numbers(text: str) -> list[tuple[float, str]]:
    """Every number in ``text`` with its scale applied, and the words it was written as."""
    found: list[tuple[float, str]] = []
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,_ ]", "", match["num"])
        value = float(digits)
        scale = (match["scale"] or "").lower()
        value *= _SCALES.get(scale, 1.0)
        found.append((value, match.group(0).strip()))
    for match in _WORD_NUMBER.finditer(text):
        base = _WORDS[match["word"].lower()]
        assert base is not None
        found.append((base * _SCALES[match["scale"].lower()], match.group(0)))
    return found


def _one_number(raw: Any, what: str, examples: tuple[str, ...]) -> tuple[float, bool]:
    """The single number in ``raw`` and whether it was written plainly."""
    if isinstance(raw, bool):
        raise Unreadable(f"expected {what}, not {str(raw).lower()}", examples)
    if isinstance(raw, int | float):
        try:
            number = float(raw)
        except OverflowError:
            raise Unreadable(f"{_shown(raw)} is too large to be {what}", examples) from None
        if not math.isfinite(number):
            raise Unreadable(f"expected {what}, not {_shown(raw)}", examples)
        return number, True
    if not isinstance(raw, str):
        raise Unreadable(f"expected {what}, not a {type(raw).__name__}", examples)
    text = raw.strip()
    numbers = _numbers(text)
    if any(not math.isfinite(value) for value, _ in numbers):
        raise Unreadable(f"{_shown(text)!r} is too large to be {what}", examples)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text), True
    if not numbers:
        if _clean(text) in ("none", "zero", "no", "nothing", "no labels"):
            return 0.0, False
        raise Unreadable(f"I could not find a number in {_shown(text)!r}", examples)
    distinct = {value for value, _ in numbers}
    if len(distinct) > 1:
        shown = " and ".join(words for _, words in numbers[:2])
        raise Unreadable(f"{_shown(text)!r} has more than one number ({shown}); give one", examples)
    if re.search(r"(?<![\w])-\s*\d", text):
        raise Unreadable(f"{what} cannot be negative", examples)
    return numbers[0][0], False


def read_count(raw: Any, *, strict: bool = False, examples: tuple[str, ...] = ()) -> Reading:
    """A whole number of examples: ``1000``, ``"1k"``, ``"about 1,000 images"``."""
    if strict and not (isinstance(raw, int) and not isinstance(raw, bool)):
        raise Unreadable(f"{_shown(raw)!r} is not a whole number (--strict)", examples)
    value, plain = _one_number(raw, "a count", examples)
    if value < 0:
        raise Unreadable("a count cannot be negative", examples)
    if value != int(value):
        raise Unreadable(f"{_shown(raw)!r} is not a whole number", examples)
    if value > 1e12:
        raise Unreadable(f"{value:,.0f} examples is more than I can believe; check the number", examples)
    count = int(value)
    return Reading(count, None if plain else f"read {_shown(raw)!r} as {count:,}")


def read_money(raw: Any, *, strict: bool = False, examples: tuple[str, ...] = ()) -> Reading:
    """US dollars: ``10000``, ``"$10k"``, ``"10,000 USD"``."""
    if strict and not (isinstance(raw, int | float) and not isinstance(raw, bool)):
        raise Unreadable(f"{_shown(raw)!r} is not a number of US dollars (--strict)", examples)
    if isinstance(raw, str):
        lowered = raw.casefold()
        for mark, name in _CURRENCIES.items():
            if re.search(rf"(?<![a-z]){re.escape(mark)}(?![a-z])", lowered):
                raise Unreadable(f"I work in US dollars; please give the amount in USD, not {name}", examples)
        if _clean(raw) in ("unlimited", "no limit", "no budget", "infinite", "any"):
            raise Unreadable("I need a number to compare costs with; a rough ceiling is fine", examples)
        if re.search(r"param|bert|gpt|resnet|llama|mistral|\d\s*b\b", lowered):
            raise Unreadable("that looks like a model size, not an amount of money", examples)
    value, plain = _one_number(raw, "an amount in US dollars", examples)
    if value < 0:
        raise Unreadable("a budget cannot be negative", examples)
    if value > 1e12:
        raise Unreadable(f"{format_usd(value)} is more than I can believe; check the number", examples)
    return Reading(value, None if plain else f"read {_shown(raw)!r} as {format_usd(value)}")


def read_model_size(question: Question, raw: Any, *, strict: bool = False) -> Reading:
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
                f"{raw:g} parameters is too few for a model; write the unit, such as 7B or 110M",
                values,
            )
        try:
            params = float(raw)
        except OverflowError:
            params = math.inf
        if not math.isfinite(params):
            raise Unreadable(f"{_shown(raw)} is too large to be a parameter count", values)
        value = band(params)
        return Reading(value, f"read {_shown(raw)} parameters as {value!r}")
    if strict:
        return read_choice(question, raw, strict=True)
    if isinstance(raw, str):
        # An explicit count wins over a name: "BERT-base (110M)".
        counts = [
            (value, words)
            for value, words in _numbers(raw)
            if re.search(r"[kmbt]|thousand|million|billion|trillion", words, re.IGNORECASE) or value >= 1e5
        ]
        distinct = {value for value, _ in counts}
        if len(distinct) == 1:
            params = counts[0][0]
            if not math.isfinite(params):
                raise Unreadable(f"{_shown(raw)!r} is too large to be a parameter count", values)
            if params < 1e5:
                raise Unreadable(f"{counts[0][1]} parameters is too few for a model", values)
            value = band(params)
            return Reading(value, f"read {_shown(raw)!r} as {_params(params)} parameters: {value!r}")
        if len(distinct) > 1:
            raise Unreadable(f"{_shown(raw)!r} has more than one size; give one", values)
    return read_choice(question, raw)


def _params(count: float) -> str:
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if count >= scale:
            return f"{count / scale:g}{unit}"
    return f"{count:g}"


def read_answer(question: Question, raw: Any, *, strict: bool = False) -> Reading:
    """Read ``raw`` as an answer to ``question``, whatever its kind."""
    if question.kind == "choice":
        return read_choice(question, raw, strict=strict)
    if question.kind == "count":
        return read_count(raw, strict=strict, examples=question.examples)
    if question.kind == "money":
        return read_money(raw, strict=strict, examples=question.examples)
    return read_model_size(question, raw, strict=strict)


# --- whole answers ----------------------------------------------------------------


def visible_questions(kb: KnowledgeBase, values: Mapping[str, Any]) -> list[Question]:
    """The questions that apply given the answers so far (``ask_when``)."""
    return [q for q in kb.questions if holds(q.ask_when, values)]


def normalize(raw: Any, kb: KnowledgeBase, *, strict: bool = False, name: str = "answers") -> Normalized:
    """Validate and normalize an answers mapping; every problem is reported at once."""
    if raw is None:
        raise AnswersError(Problem("is empty; it needs task, labels, model_size and budget_usd", name))
    if not isinstance(raw, dict):
        raise AnswersError(Problem(f"must be a mapping of field: value, not a {type(raw).__name__}", name))
    problems: list[Problem] = []
    warnings: list[str] = []
    known = (*ANSWER_FIELDS, "assumptions")
    for key in raw:
        if key not in known:
            close = _similar(str(key), known, limit=1, cutoff=60)
            hint = f"; did you mean {close[0][0]!r}?" if close else f"; fields are {', '.join(known)}"
            problems.append(Problem(f"{_shown(key)!r} is not a field{hint}", name))
    values: dict[str, Any] = {}
    for question in kb.questions:
        asked = holds(question.ask_when, values)
        given = raw.get(question.id)
        if not asked:
            if given not in (None, 0, "0"):
                warnings.append(
                    f"{question.id}: ignored ({_shown(given)!r}), since it is not asked "
                    f"when {_describe_ask_when(question)}"
                )
            values[question.id] = question.default
            continue
        if given is None or (isinstance(given, str) and not given.strip()):
            if question.optional:
                values[question.id] = question.default
                continue
            problems.append(Problem(f"{question.id}: missing; {_expected(question)}", name))
            values[question.id] = question.default
            continue
        try:
            reading = read_answer(question, given, strict=strict)
        except Unreadable as error:
            problems.append(Problem(f"{question.id}: {error.message}; {_expected(question, error)}", name))
            values[question.id] = question.default
            continue
        values[question.id] = reading.value
        if reading.note:
            warnings.append(f"{question.id}: {reading.note}")
    overrides = _read_assumptions(raw.get("assumptions"), kb, name, problems)
    if problems:
        raise AnswersError(problems)
    try:
        answers = Answers(
            task=values["task"],
            labels=values["labels"],
            labeled_examples=values.get("labeled_examples") or 0,
            model_size=values["model_size"],
            budget_usd=values["budget_usd"],
            hardware=values.get("hardware"),
            assumptions=overrides,
        )
    except (TypeError, ValueError) as error:  # pragma: no cover - every field was read above
        raise AnswersError(Problem(f"cannot be used: {error}", name)) from None
    return Normalized(answers, tuple(warnings))


def _describe_ask_when(question: Question) -> str:
    assert question.ask_when is not None
    return "not (" + describe_condition(question.ask_when) + ")"


def _expected(question: Question, error: Unreadable | None = None) -> str:
    if question.kind == "choice" or (question.kind == "model_size" and error is None):
        options = ", ".join(c.value for c in question.choices)
        closest = ", ".join(error.suggestions) if error and error.suggestions else ""
        if closest and closest != options:
            return f"closest: {closest} (valid: {options})"
        return f"valid: {options}"
    if question.kind == "model_size":
        return "say small, medium or large, a count such as 110M or 7B, or a name such as BERT"
    examples = ", ".join(repr(e) for e in question.examples)
    return f"for example {examples}"


def _read_assumptions(
    raw: Any, kb: KnowledgeBase, name: str, problems: list[Problem]
) -> dict[str, float | tuple[float, float]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem("assumptions: must be a mapping of assumption id: number", name))
        return {}
    result: dict[str, float | tuple[float, float]] = {}
    for key, value in raw.items():
        assumption = kb.assumption.get(str(key))
        if assumption is None:
            close = _similar(str(key), list(kb.assumption), limit=1, cutoff=50)
            hint = f"; did you mean {close[0][0]!r}?" if close else ""
            problems.append(Problem(f"assumptions: {_shown(key)!r} is not an assumption{hint}", name))
            continue
        parsed = _assumption_value(value)
        if parsed is None:
            problems.append(
                Problem(
                    f"assumptions.{key}: expected a number or [low, high] in {assumption.unit}, "
                    f"got {_shown(value)!r}",
                    name,
                )
            )
            continue
        result[str(key)] = parsed
    return result


def _assumption_value(value: Any) -> float | tuple[float, float] | None:
    def number(item: Any) -> float | None:
        if isinstance(item, bool) or not isinstance(item, int | float):
            return None
        return float(item) if math.isfinite(item) and item >= 0 else None

    if isinstance(value, list) and len(value) == 2:
        low, high = number(value[0]), number(value[1])
        if low is None or high is None or low > high:
            return None
        return (low, high)
    return number(value)


def load_answers(path: str, kb: KnowledgeBase, *, strict: bool = False, stdin: Any = None) -> Normalized:
    """Read an answers file (YAML or JSON; ``-`` for standard input) and normalize it."""
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            stream = stdin.buffer if hasattr(stdin, "buffer") else stdin
            data = stream.read(MAX_ANSWERS_BYTES + 1)
            loaded = safeyaml.load(data, name=name, max_bytes=MAX_ANSWERS_BYTES, plain_words=True)
        else:
            file = Path(path)
            if file.is_dir():
                raise AnswersError(Problem("is a folder; give an answers file", name))
            loaded = _load_file(file, name)
    except YamlError as error:
        raise AnswersError(list(error.problems)) from None
    return normalize(loaded.data, kb, strict=strict, name=name)


def _load_file(file: Path, name: str) -> safeyaml.Loaded:
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError:
        raise AnswersError(Problem("no such file", name)) from None
    except OSError as error:
        raise AnswersError(Problem(f"cannot be read ({error.strerror or error})", name)) from None
    return safeyaml.load(data, name=name, max_bytes=MAX_ANSWERS_BYTES, plain_words=True)
