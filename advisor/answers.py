"""Answers: an answers file (or the chat's answers) checked and made canonical.

:func:`normalize` reads a mapping of field: value with the knowledge base's
questions (:class:`~advisor.reading.Reader`), skips the questions that are
not asked (no example count for unlabeled data), and reports every problem at
once. The result, :class:`Answers`, holds a canonical value for every
question: what the engine decides on. :func:`to_file` turns it back into an
answers file that reproduces it, and :func:`answers_schema` describes that
file as a JSON Schema, both from the questions themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from advisor.bounds import LARGEST, SMALLEST, NumberError, allowed, as_number, within, written
from advisor.conditions import Terms, describe_condition, holds
from advisor.errors import AnswersError, Problem, YamlError
from advisor.files import NotARegularFile, read_bounded
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import ASSUMED, ASSUMPTIONS, BUDGET, DATA, INTERVAL, LABELED_EXAMPLES
from advisor.kb.models import Assumption, Question
from advisor.reading import Reader, Reading, Unreadable, shown
from advisor.records import dataclass
from advisor.text import Vocabulary, clause_spans, clean, singular

__all__ = [
    "UNSURE",
    "Answers",
    "Normalized",
    "Override",
    "answers_schema",
    "assumed_value",
    "assumes",
    "load_answers",
    "normalize",
    "to_file",
    "unsure",
    "unsure_only",
]

MAX_ANSWERS_BYTES = 256 * 1024

Override = float | tuple[float, float]
"""An assumption's value as a person gives it: a number, or a low-high range."""


@dataclass(frozen=True, slots=True)
class Answers:
    """Canonical answers: what the engine decides on.

    ``values`` holds a value for every question of the knowledge base: the
    person's answer, or the question's default where it was not asked or was
    skipped. :func:`normalize` makes them from what a person wrote.
    """

    values: Mapping[str, Any]
    """Question id -> canonical value."""
    assumptions: Mapping[str, Override] = field(default_factory=dict)
    """Cost-model assumptions overridden by the person, by id."""
    interval: tuple[float, float] | None = None
    """The percentiles the ranges should state, when the person asks for others than the
    knowledge base's (``(5, 95)``)."""
    assumed: tuple[str, ...] = ()
    """The fields whose value was assumed because the person was not sure ("idk"): each holds
    the value its question's ``unsure`` states (a small model; no budget)."""

    @property
    def budget_usd(self) -> float | None:
        """The budget; ``None`` when the person gave none (not sure, "as cheap as possible")."""
        budget = self.values.get(BUDGET)
        return None if budget is None else float(budget)

    @property
    def labeled_examples(self) -> int:
        return int(self.values.get(LABELED_EXAMPLES) or 0)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Answers read from a file or the chat, with what was read fuzzily."""

    answers: Answers
    warnings: tuple[str, ...]


UNSURE: Vocabulary[bool] = Vocabulary(
    (phrase, True)
    for phrase in (
        "not sure", "not sure yet", "unsure", "idk", "dunno", "dont know", "dont know yet",
        "i dont know", "i dont know yet", "no idea", "i have no idea", "no clue", "not a clue",
        "im not sure", "i am not sure", "not certain", "hard to say", "skip", "pass", "unknown",
        "not decided", "not decided yet", "undecided", "tbd", "no preference", "whatever",
        "whatever you recommend", "whatever you think", "whatever you suggest", "whatever is usual",
        "whatever is best", "the usual", "you pick", "you choose", "you decide", "up to you",
        "your call", "you tell me", "still dont know", "still not sure", "still no idea",
    )
)  # fmt: skip
"""What people say when they do not know an answer: at a question with a default, the default
is taken and marked as assumed."""


def unsure(question: Question, text: Any) -> bool:
    """Whether ``text`` says the person does not know the answer to ``question``: every clause
    of it is "not sure" or "whatever you recommend", or it holds one of the question's own
    phrases for it and no number ("as cheap as possible", "no budget yet")."""
    if not isinstance(text, str):
        return False
    if unsure_only(text):
        return True
    cleaned = clean(text)
    about = _UNSURE_ABOUT.match(cleaned)
    if about is not None and UNSURE.exact(about.group("unsure")) and _names(question, about.group("what")):
        return True  # "no idea about the model", at the model's question
    words = question.unsure.words if question.unsure else ()
    if not words or any(char.isdigit() for char in cleaned):
        return False
    padded = f" {cleaned} "
    return any(f" {clean(phrase)} " in padded for phrase in words)


_UNSURE_ABOUT = re.compile(r"^(?P<unsure>.+?) (?:about|on|of|re) (?:the |our |my |a |an )?(?P<what>[a-z]+)$")
""""no idea about the model": not knowing, said of one thing."""


def _names(question: Question, word: str) -> bool:
    """Whether ``word`` names what ``question`` asks about ("model" at the model's size)."""
    return singular(word) in {singular(w) for w in (*question.name.split(), *question.mentions)}


def unsure_only(text: str) -> bool:
    """Whether every clause of ``text`` says only that the person does not know ("not sure,
    whatever you recommend"), at any question."""
    clauses = [clean(text[start:end]) for start, end in clause_spans(text)]
    clauses = [clause.removeprefix("still ").removeprefix("honestly ") for clause in clauses if clause]
    return bool(clauses) and all(UNSURE.exact(clause) for clause in clauses)


def assumes(question: Question) -> bool:
    """Whether an unsure answer to ``question`` takes a value: an optional question's default,
    or the value its ``unsure`` states."""
    return question.optional or (question.unsure is not None and question.unsure.said is not None)


def assumed_value(question: Question) -> Any:
    """The value an unsure answer takes (see :func:`assumes`)."""
    if question.unsure is not None and question.unsure.said is not None:
        return question.unsure.value
    return question.default


def asked(question: Question, values: Mapping[str, Any], terms: Terms | None = None) -> bool:
    """Whether ``question`` is asked, given the answers before it (``terms``: named thresholds)."""
    return holds(question.ask_when, values, terms)


def normalize(
    raw: Any,
    kb: KnowledgeBase,
    *,
    strict: bool = False,
    name: str = "answers",
    reader: Reader | None = None,
) -> Normalized:
    """Validate and normalize an answers mapping; every problem is reported at once."""
    required = [q.id for q in kb.questions if not q.optional and q.ask_when is None]
    if raw is None:
        raise AnswersError(Problem(f"is empty; it needs {_and(required)}", name))
    if not isinstance(raw, dict):
        raise AnswersError(Problem(f"must be a mapping of field: value, not a {type(raw).__name__}", name))
    reader = reader or Reader(kb)
    problems: list[Problem] = []
    warnings: list[str] = []
    known = [*kb.question, ASSUMPTIONS, INTERVAL, ASSUMED]
    for key in raw:
        if key not in known:
            close = Vocabulary((field, field) for field in known).closest(str(key), cutoff=60, margin=0)
            hint = f"; did you mean {close.thing!r}?" if close else f"; fields are {', '.join(known)}"
            problems.append(Problem(f"{shown(key)!r} is not a field{hint}", name))
    values: dict[str, Any] = {}
    described: dict[str, Any] = {}
    pinned: dict[str, Override] = {}
    """Assumptions a reading relied on (the exchange rate of "budget_usd: €20k")."""
    """What the task description says of the fields it fills, where the file does not say them."""
    listed = _read_assumed(raw.get(ASSUMED), kb, name, problems)
    assumed: list[str] = []
    for question in kb.questions:
        given = raw.get(question.id)
        values[question.id] = question.default
        if question.id in described and (given is None or (isinstance(given, str) and not given.strip())):
            values[question.id] = described[question.id]
            continue
        if not asked(question, values, Terms(numbers=kb.numbers)):
            if given not in (None, 0, "0"):
                warnings.append(
                    f"{question.id}: ignored ({shown(given)!r}), since it is not asked "
                    f"when not ({describe_condition(question.ask_when)})"  # type: ignore[arg-type]
                )
            continue
        # "not sure", "budget_usd: null", or listed in `assumed:` without a value: the value
        # the question assumes for someone who does not know, marked as assumed.
        left_open = given is None and (
            question.id in listed or (question.id in raw and not question.optional)
        )
        if assumes(question) and (left_open or (not strict and unsure(question, given))):
            values[question.id] = assumed_value(question)
            assumed.append(question.id)
            continue
        if given is None or (isinstance(given, str) and not given.strip()):
            if not question.optional:
                problems.append(Problem(f"{question.id}: missing; {_expected(question)}", name))
            continue
        if not strict and unsure(question, given):
            problems.append(
                Problem(f"{question.id}: {shown(given)!r} leaves it open; {_rough(question)}", name)
            )
            continue
        try:
            reading = reader.read(question, given, strict=strict)
        except Unreadable as error:
            problems.append(Problem(f"{question.id}: {error.message}; {_expected(question, error)}", name))
            continue
        values[question.id] = reading.value
        if question.id in listed:
            assumed.append(question.id)
        if reading.note:
            warnings.append(f"{question.id}: {reading.note}")
        if question.kind == "task":
            described.update(_described(kb, reading, raw, warnings))
        pinned.update(reading.pins)
    for field_id in assumed:
        warnings.append(f"{field_id}: {_assumed_words(kb.question[field_id], values[field_id])}")
    overrides = _read_assumptions(raw.get(ASSUMPTIONS), kb, name, problems, warnings, strict)
    overrides = {**pinned, **overrides}  # a rate the file sets itself wins over the one read with
    interval = _read_interval(raw.get(INTERVAL), kb, name, problems)
    if problems:
        raise AnswersError(problems)
    return Normalized(Answers(values, overrides, interval, tuple(assumed)), tuple(warnings))


def _read_assumed(raw: Any, kb: KnowledgeBase, name: str, problems: list[Problem]) -> frozenset[str]:
    """``assumed: [model_size]``: the fields whose answer is an assumption (the chat writes it
    for "not sure"); a field listed without a value takes the value its question assumes."""
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        problems.append(Problem(f"{ASSUMED}: expected a list of fields, such as [model_size]", name))
        return frozenset()
    listed = frozenset(raw)
    for item in raw:
        question = kb.question.get(item)
        if question is None:
            problems.append(Problem(f"{ASSUMED}: {shown(item)!r} is not a field", name))
        elif not assumes(question):
            problems.append(
                Problem(f"{ASSUMED}: {item} has no value to assume; answer it ({_rough(question)})", name)
            )
    return listed


def _assumed_words(question: Question, value: Any) -> str:
    """ "small (assumed: you were not sure)", "no budget given (assumed: you were not sure)"."""
    if value is None:
        said = f"no {question.name} given"
    else:
        label = next((c.label for c in question.choices if c.value == value), None)
        said = label or str(value)
    return f"{said} (assumed: you were not sure)"


def _rough(question: Question) -> str:
    """What to write instead of "not sure" at a question that assumes nothing."""
    rough = question.unsure.rough if question.unsure else ()
    if rough:
        shown_values = ", ".join(str(r.value) for r in rough if r.value is not None)
        return f"a rough answer is fine, such as {shown_values}"
    return "a rough answer is fine; " + _expected(question)


def _described(
    kb: KnowledgeBase, reading: Reading, raw: Mapping[str, Any], warnings: list[str]
) -> dict[str, Any]:
    """The fields a task description fills that the file leaves out; a field it leaves open takes
    the likeliest of the choices the chat would ask, and the warnings say so."""
    filled = {name: value for name, value in reading.also.items() if name in kb.question and name not in raw}
    said = [
        f"{name}: {_said(kb.question[name], value)}"
        for name, value in filled.items()
        if name != "domain" or value != kb.question[name].default
    ]
    bare = DATA in kb.question and reading.value in {c.value for c in kb.question[DATA].choices}
    if said and not bare:  # "task: images", as answers files said it before there was `data`
        warnings.append(f"task: read {shown(reading.value)!r} as {'; '.join(said)}")
    clarify = reading.clarify
    if clarify is not None and clarify.field in kb.question and clarify.field not in raw:
        question = kb.question[clarify.field]
        valid = [value for value in clarify.choices if value in {c.value for c in question.choices}]
        value = valid[0] if valid else question.default
        if value is not None:
            filled[clarify.field] = value
            others = ", ".join(valid[1:]) if len(valid) > 1 else ""
            also = f" (it could also be {others})" if others else ""
            warnings.append(
                f"{clarify.field}: the task does not say; assumed {value}{also}: "
                f"add {clarify.field}: to the file to say"
            )
    return filled


def _said(question: Question, value: Any) -> str:
    """A choice as words: "a label (category) for each input", "images"."""
    for choice in question.choices:
        if choice.value == value:
            return choice.said_as or choice.label.lower()
    return str(value)


MIN_TAIL_DRAWS = 5
"""An end of the interval needs at least this many of the cost model's draws beyond it: a
percentile further out would be one or two draws, not an estimate."""


def _read_interval(
    raw: Any, kb: KnowledgeBase, name: str, problems: list[Problem]
) -> tuple[float, float] | None:
    """``interval: [5, 95]``: the percentiles the ranges state, within what the draws can estimate."""
    if raw is None:
        return None
    samples = kb.costs.interval.samples
    edge = math.ceil(100 * MIN_TAIL_DRAWS / (samples - 1))
    ends = [_finite(item) for item in raw] if isinstance(raw, list) and len(raw) == 2 else None
    if ends is None or ends[0] is None or ends[1] is None:
        problems.append(
            Problem(
                f"{INTERVAL}: expected [low, high] percentiles, such as [10, 90]; got {shown(raw)!r}", name
            )
        )
        return None
    low, high = ends[0], ends[1]
    if low >= high:
        problems.append(
            Problem(f"{INTERVAL}: the low percentile ({low:g}) must be below the high one ({high:g})", name)
        )
        return None
    if low < edge or high > 100 - edge:
        problems.append(
            Problem(
                f"{INTERVAL}: {shown(raw)} asks for percentiles the cost model cannot estimate from its "
                f"{samples} draws; choose ends between {edge} and {100 - edge}",
                name,
            )
        )
        return None
    return (low, high)


def _finite(item: Any) -> float | None:
    """A finite number, or ``None`` (booleans, text and infinities are not numbers here)."""
    if isinstance(item, bool) or not isinstance(item, int | float):
        return None
    try:
        return as_number(item)[0]
    except NumberError:
        return None


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def _expected(question: Question, error: Unreadable | None = None) -> str:
    options = ", ".join(c.value for c in question.choices)
    if question.kind == "choice" or (question.kind == "model_size" and error is None):
        closest = ", ".join(error.suggestions) if error and error.suggestions else ""
        if closest and closest != options:
            return f"closest: {closest} (valid: {options})"
        return f"valid: {options}"
    examples = ", ".join(repr(e) for e in question.examples)
    if question.kind == "model_size":
        return f"say {options}, a parameter count or a model's name ({examples})"
    return f"for example {examples}"


def _read_assumptions(
    raw: Any, kb: KnowledgeBase, name: str, problems: list[Problem], warnings: list[str], strict: bool
) -> dict[str, Override]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(f"{ASSUMPTIONS}: must be a mapping of assumption id: number", name))
        return {}
    result: dict[str, Override] = {}
    for key, value in raw.items():
        assumption = kb.assumption.get(str(key))
        if assumption is None:
            close = Vocabulary((a, a) for a in kb.assumption).closest(str(key), cutoff=50, margin=0)
            hint = f"; did you mean {close.thing!r}?" if close else ""
            problems.append(Problem(f"{ASSUMPTIONS}: {shown(key)!r} is not an assumption{hint}", name))
            continue
        try:
            parsed, notes = _assumption_value(
                value,
                assumption,
                single=key in kb.numbers,
                signed=key in kb.weights,
                strict=strict,
                divisor=key in kb.divisors,
            )
        except NumberError as error:
            problems.append(Problem(f"{ASSUMPTIONS}.{key}: {error.message}", name))
            continue
        result[str(key)] = parsed
        warnings.extend(f"{ASSUMPTIONS}.{key}: {note}" for note in notes)
    return result


def override(kb: KnowledgeBase, assumption_id: str, value: Any) -> Override:
    """``value`` as an override of an assumption, held to the number policy as in an answers
    file; raises :class:`NumberError` saying what is wrong with it."""
    parsed, _ = _assumption_value(
        value,
        kb.assumption[assumption_id],
        single=assumption_id in kb.numbers,
        signed=assumption_id in kb.weights,
        strict=False,
        divisor=assumption_id in kb.divisors,
    )
    return parsed


def _assumption_value(
    value: Any, assumption: Assumption, *, single: bool, signed: bool, strict: bool, divisor: bool = False
) -> tuple[Override, list[str]]:
    """An override as a number or a ``(low, high)`` range, and notes on how it was read; raises
    :class:`NumberError` saying what is wrong with it (the number policy, :mod:`advisor.bounds`).

    ``single``: the assumption is one number the rules use (a weight, a threshold), never a range.
    ``signed``: a rule weighs with it, so it may be negative (a weight below 0 disfavors).
    ``divisor``: a cost formula divides by it, so it must be above 0.
    Each number is within the assumption's own range widened (:func:`advisor.bounds.allowed`).
    """
    unit = assumption.unit
    bounds = allowed(assumption.low, assumption.high, unit, divisor=divisor, signed=signed)
    expected = f"expected a number or [low, high] in {unit}, got {shown(value)!r}"
    notes: list[str] = []

    def number(item: Any, end: str) -> float:
        def at_end(message: str) -> str:
            if not end:
                return message
            joined = " " if message.startswith(("is ", "cannot ", "must ")) else ": "
            return f"its {end} end{joined}{message}"

        if isinstance(item, str):
            try:
                is_number = written(item) is not None  # 0500: the loader keeps YAML 1.1's octal as text
            except NumberError as error:  # 0x10, 0b1010
                raise NumberError(at_end(error.message)) from None
        else:
            is_number = isinstance(item, int | float) and not isinstance(item, bool)
        if not is_number:
            raise NumberError(expected)
        try:
            read, note = as_number(item, notes=not strict)
            if read == 0 or abs(read) >= SMALLEST:  # a tiny one is refused with the range below
                within(read, low=-LARGEST if signed else 0, positive=divisor, what=unit)
            bounds.check(read)
        except NumberError as error:
            finite = isinstance(item, float) and not math.isfinite(item)
            raise NumberError(
                at_end(error.message) + (f"; give a finite number in {unit}" if finite else "")
            ) from None
        if note:
            notes.append(note)
        return read

    if isinstance(value, list) and len(value) == 2:
        low, high = number(value[0], "low"), number(value[1], "high")
        if low > high:
            raise NumberError(f"the low end ({low:g}) is above the high end ({high:g})")
        if single and low != high:
            raise NumberError(f"is one number the rules use ({unit}); give one number, not a range")
        return (low, high), notes
    if isinstance(value, list | dict):
        raise NumberError(expected)
    return number(value, ""), notes


def load_answers(
    path: str, kb: KnowledgeBase, *, strict: bool = False, stdin: TextIO | BinaryIO | None = None
) -> Normalized:
    """Read an answers file (YAML or JSON; ``-`` for standard input) and normalize it."""
    from advisor.kb import safeyaml  # the YAML parser, only where a file is read

    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            if stdin is None:  # file descriptor 0 closed (`<&-`)
                raise AnswersError(
                    Problem("standard input is closed: pipe the answers in, or name a file", name)
                )
            stream: Any = getattr(stdin, "buffer", stdin)
            data = stream.read(MAX_ANSWERS_BYTES + 1)
        else:
            data = read_bounded(Path(path), MAX_ANSWERS_BYTES)
        loaded = safeyaml.load(data, name=name, max_bytes=MAX_ANSWERS_BYTES)
    except FileNotFoundError:
        raise AnswersError(Problem("no such file", name)) from None
    except NotARegularFile:
        raise AnswersError(Problem(safeyaml.not_a_file(Path(path)), name)) from None
    except OSError as error:
        raise AnswersError(Problem(f"cannot be read ({error.strerror or error})", name)) from None
    except YamlError as error:
        raise AnswersError(list(error.problems)) from None
    return normalize(loaded.data, kb, strict=strict, name=name)


def to_file(answers: Answers, kb: KnowledgeBase) -> dict[str, Any]:
    """An answers file that reproduces ``answers`` exactly: the questions asked and answered."""
    data: dict[str, Any] = {}
    for question in kb.questions:
        value = answers.values.get(question.id)
        if not asked(question, answers.values, Terms(numbers=kb.numbers)):
            continue
        if value is None:
            if question.id in answers.assumed and not question.optional:
                data[question.id] = None  # "budget_usd: null": none given, on purpose
            continue
        if isinstance(value, float) and value == int(value):
            value = int(value)
        data[question.id] = value
    if answers.assumptions:
        data[ASSUMPTIONS] = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in answers.assumptions.items()
        }
    if answers.interval is not None:
        data[INTERVAL] = [int(end) if end == int(end) else end for end in answers.interval]
    if answers.assumed:
        data[ASSUMED] = list(answers.assumed)
    return data


_JSON_TYPES = {
    "choice": ["string", "boolean"],
    "count": ["integer", "string"],
    "money": ["number", "string"],
    "model_size": ["string", "number"],
    "task": ["string"],
}
_FREE_TEXT = {
    "choice": "one of the values below, or your own words (aliases and typos are read with a warning)",
    "count": 'a whole number, or text such as "2k" or "about 1,000 images"',
    "money": 'US dollars: a number, or text such as "$10k" or "10,000 USD"',
    "model_size": 'a size, a parameter count ("110M", "7B", 175e9) or a model\'s name',
    "task": (
        'a few words in your own terms, such as "flag fraudulent card payments"; they fill '
        "output, data and domain where those are not given"
    ),
}


def _override_schema(assumption: Assumption, kb: KnowledgeBase) -> dict[str, Any]:
    """An assumption's override: a number within its own range widened (0 too unless a formula
    divides by it), or a range of two unless the rules use it as one number."""
    bounds = allowed(
        assumption.low,
        assumption.high,
        assumption.unit,
        divisor=assumption.id in kb.divisors,
        signed=assumption.id in kb.weights,
    )
    number: dict[str, Any] = {"type": "number", "minimum": bounds.low, "maximum": bounds.high}
    if bounds.zero:
        number = {"anyOf": [{"const": 0}, number]}
    options = [number]
    if assumption.id not in kb.numbers:
        options.append({"type": "array", "items": number, "minItems": 2, "maxItems": 2})
    return {
        "description": f"{assumption.unit} (default {assumption.low:g} to {assumption.high:g}; "
        f"accepted: {bounds})",
        "anyOf": options,
    }


def answers_schema(kb: KnowledgeBase) -> dict[str, Any]:
    """The JSON Schema of an answers file, from the knowledge base's questions."""
    properties: dict[str, Any] = {}
    for question in kb.questions:
        text = " ".join(question.prompt.split())
        prop: dict[str, Any] = {
            "type": _JSON_TYPES[question.kind],
            "description": f"{text} Accepted: {_FREE_TEXT[question.kind]}.",
        }
        if question.choices:
            prop["examples"] = [choice.value for choice in question.choices]
        elif question.examples:
            prop["examples"] = list(question.examples)
        if question.optional or question.ask_when is not None or assumes(question):
            prop["type"] = [*prop["type"], "null"]
        if question.choices:
            # The values an editor suggests, while the person's own words stay valid.
            values: list[Any] = [choice.value for choice in question.choices]
            prop["anyOf"] = [{"enum": values}, {"type": prop.pop("type")}]
        if assumes(question) and not question.optional:
            prop["description"] += (
                f' null, or "not sure": {_assumed_words(question, assumed_value(question))}'
                + (
                    "; the report then judges no plan against a budget (no fits_budget verdict) and "
                    "lists the approaches cheapest first."
                    if question.id == BUDGET
                    else "."
                )
            )
        properties[question.id] = prop
    stated = ", ".join(
        f"{q.id}: {'none' if assumed_value(q) is None else assumed_value(q)}"
        for q in kb.questions
        if assumes(q) and not q.optional
    )
    properties[ASSUMED] = {
        "type": ["array", "null"],
        "description": (
            "The fields whose answer is an assumption, because the person was not sure: each takes "
            f"the value its question assumes when it has no value here ({stated}; an optional "
            "question: skipped). The report marks them as assumed."
        ),
        "items": {"enum": [q.id for q in kb.questions if assumes(q)]},
        "uniqueItems": True,
    }
    properties[ASSUMPTIONS] = {
        "type": ["object", "null"],
        "description": "Override cost-model assumptions by id (the report lists them).",
        "properties": {
            assumption.id: _override_schema(assumption, kb) for assumption in kb.costs.assumptions
        },
        "additionalProperties": False,
    }
    edge = math.ceil(100 * MIN_TAIL_DRAWS / (kb.costs.interval.samples - 1))
    properties[INTERVAL] = {
        "type": ["array", "null"],
        "description": (
            "The percentiles the cost ranges state, low and high "
            f"(default [{kb.costs.interval.low}, {kb.costs.interval.high}])."
        ),
        "items": {"type": "number", "minimum": edge, "maximum": 100 - edge},
        "minItems": 2,
        "maxItems": 2,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Answers file",
        "description": (
            "An answers file for `advisor recommend` (YAML or JSON). Free text is accepted where noted."
        ),
        "type": "object",
        "properties": properties,
        "required": [q.id for q in kb.questions if not q.optional and q.ask_when is None],
        "additionalProperties": False,
    }
