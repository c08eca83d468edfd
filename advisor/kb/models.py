"""The knowledge base's schema: what each YAML file in ``knowledge/`` may say.

Every type is a frozen, slotted dataclass (made by :mod:`advisor.records`, which
defines one for a quarter of the standard decorator's cost): ``advisor recommend``
builds them from the knowledge cache without pydantic (:mod:`advisor.kb.plain`),
which is what keeps its start fast. Pydantic validates them when a file is parsed
(:mod:`advisor.kb.validation`), rejecting unknown keys, so a typo in a knowledge
file fails at load time with its file and line instead of being ignored. The
constraints pydantic checks are written on the types with :mod:`advisor.kb.schema`
(``Limits``, ``OneOf``); checks across fields are ``__post_init__`` methods, whose
``ValueError`` pydantic reports at the item's place in the file.

Cross-references between files (a claim's source, a rule's claims, a
condition's field and values) are checked by :mod:`advisor.kb.references`, which
sees all the files at once.
"""

from __future__ import annotations

import dataclasses
import string
from typing import Annotated, Any, ClassVar, Literal

from advisor.kb.schema import Bounded, Limits, OneOf, Strict
from advisor.records import dataclass

__all__ = [
    "APPROACHES",
    "CATEGORIES",
    "AllOf",
    "Amount",
    "AnyOf",
    "Approach",
    "ApproachId",
    "Assumption",
    "Case",
    "CaseCost",
    "CaseExpectation",
    "Category",
    "Choice",
    "Cited",
    "Claim",
    "Condition",
    "Constant",
    "CostLine",
    "CostModel",
    "Effect",
    "FaqEntry",
    "Figure",
    "Formula",
    "Glossary",
    "Index",
    "Interval",
    "KnownModel",
    "Leaf",
    "Not",
    "Quantity",
    "Question",
    "Rough",
    "Rule",
    "SaidAs",
    "Source",
    "Stance",
    "Table",
    "Term",
    "Then",
    "Unsure",
    "why_slots",
]

ApproachId = Literal["supervised", "unsupervised", "transfer-learning"]
APPROACHES: tuple[ApproachId, ...] = ("supervised", "unsupervised", "transfer-learning")

Category = Literal["compute", "data", "personnel", "tooling"]
CATEGORIES: tuple[Category, ...] = ("compute", "data", "personnel", "tooling")

Id = Annotated[str, Limits(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
"""Ids of claims, rules, terms...: lowercase words joined by hyphens."""

SnakeId = Annotated[str, Limits(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""Ids that people type in answers files (assumptions): snake_case."""

Text = Annotated[str, Limits(min_length=1, max_length=4000)]
Scalar = str | int | float | bool

Number = Annotated[float, Bounded()]
"""Any number of a knowledge file: finite, within the number policy (:mod:`advisor.bounds`)."""
Positive = Annotated[float, Bounded(positive=True)]
"""A number above 0: a parameter count, a documented cost."""
NotNegative = Annotated[float, Bounded(low=0)]
"""A number that counts something, 0 included."""


# --- sources and claims -----------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Index(Strict):
    """``index.yaml``: what this knowledge base is."""

    version: Annotated[str, Limits(min_length=1, max_length=40)]
    """The knowledge base's own version, reported as ``knowledge_version``."""
    title: Text
    """A one-line name for the knowledge base."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(Strict):
    """A document the claims are taken from."""

    id: Id
    """How claims refer to this source."""
    title: Text
    """The document's title, as it is shown in citations."""
    file: Annotated[str, Limits(pattern=r"^[^/\\]+$")]
    """The document's file name in the sources folder (``--sources``)."""
    kind: Literal["article", "guide", "news digest", "report"]
    """What sort of document it is, so a reader can weigh it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure(Strict):
    """A number a claim states, in a form the cost model can use."""

    amount: Number
    """The number; the low end when the document gives a range."""
    amount_high: Number | None = None
    """The high end of a range (``$100 to $1000``), if the document gives one."""
    unit: Text
    """What the number counts: ``USD``, ``USD per hour``, ``parameters``, ``images``, ``percent``."""
    year: Annotated[int, Limits(ge=1000, le=9999)] | None = None
    """The year the figure is for, where the document says."""
    measures: Text
    """What the figure measures, in a few words."""
    qualifier: Literal["exact", "about", "over", "up to"] = "exact"
    """How the document hedges it: ``about $10,000``, ``over 14 million``, ``up to 80%``."""
    covers: tuple[Category, ...] = ()
    """For a fine-tuning project's cost: the cost categories it covers (``[data, compute]``)."""

    def __post_init__(self) -> None:
        if self.amount_high is not None and self.amount_high < self.amount:
            raise ValueError("amount_high is below amount")


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim(Strict):
    """One statement of a source, in our words, with the words it came from."""

    id: Id
    """How rules, costs, questions and answers cite this claim."""
    text: Text
    """The claim in the project's own words."""
    quote: Annotated[str, Limits(min_length=8, max_length=400)]
    """A short verbatim quote (a sentence or less) from the source; checked by ``kb check --sources``."""
    source: Id
    """The id of the source the quote is from."""
    figures: tuple[Figure, ...] = ()
    """Numbers the claim states, if any."""
    scope: ApproachId | None = None
    """The one approach the source says this is about ("If using supervised learning, ..."):
    ``kb check`` refuses it as a reason for, or a cost of, another approach."""


# --- approaches and questions ------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Then(Strict):
    """A second step of a plan, with another of the three approaches."""

    approach: ApproachId
    """The approach of the second step."""
    when: SnakeId
    """A quantity of the cost model: the plan takes the step when it is above 0 at the middle of
    its range (``needs_labels``: the task's model learns from labels)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Approach(Strict):
    """One of the three ways to fine-tune."""

    id: ApproachId
    """Fixed vocabulary: the JSON report's ``recommendation.approach``."""
    name: Text
    """How a person says it: ``Transfer learning``."""
    summary: Text
    """What it is, in one or two plain sentences."""
    needs: Text
    """What it needs from the person: data, model, money."""
    tier: Literal["$", "$ – $$", "$$ – $$$"]
    """The documents' relative cost tier."""
    claims: Annotated[tuple[Id, ...], Limits(min_length=1)]
    """The claims behind the summary and the tier."""
    aliases: tuple[str, ...] = ()
    """Other ways people name it ("supervised", "TL"): how "why not supervised?" finds it."""
    then: Then | None = None
    """A second step the plan takes when the task needs it (adapting on raw data, then training
    on a small labeled set)."""


Stance = Literal["affirmed", "negated", "partial"]
"""How a sentence about a question's subject stands: "they are labeled" affirms it, "nobody
tagged them" negates it, "only half are labeled" affirms part of it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice(Strict):
    """One canonical answer to a choice question."""

    value: Annotated[str, Limits(pattern=r"^[a-z][a-z0-9-]*$")]
    """The canonical value written in answers files."""
    label: Text
    """What the quick-reply button says."""
    aliases: tuple[str, ...] = ()
    """Other ways people say it (matched exactly, then fuzzily). An alias names this choice
    wherever it stands in a sentence ("5k labelled *support tickets*"), so it must not be a
    word of everyday talk: those are :attr:`replies`."""
    replies: tuple[str, ...] = ()
    """Short replies that mean this choice only as an answer to its question, or in a
    sentence that mentions the question: "yes", "some", "big" (a "big budget" is no model size)."""
    help: str | None = None
    """One line explaining this choice."""
    below_params: Positive | None = None
    """For model sizes: a parameter count below which a model has this size (for display)."""
    statement: str | None = None
    """This answer said of the person's project, to complete "you said …", "it applies when …"
    and "it would win if …": "some of your data is labeled"."""
    stance: Stance | None = None
    """For a question with a :attr:`Question.subject`: the stance of a sentence that means
    this choice. "nobody tagged them" is ``negated``: the choice that says "no labels"."""
    params: SnakeId | None = None
    """For model sizes: the assumption that gives a typical model of this size, in parameters."""
    said_as: Text | None = None
    """How a sentence says this choice ("labeled data", "your own team"): "it would win with
    labeled data". The label, when absent."""
    default_from_params: SnakeId | None = None
    """The assumption (a parameter count) from which this choice is the default when the
    question is not answered: fine-tuning methods by model size. The largest that applies wins."""
    suggest_when: Condition | None = None
    """Suggest this choice as a change ("it would win with…", ways to save) only when this holds:
    a model under a billion parameters is no saving for a model that must write."""
    cannot: str | None = None
    """For hardware: why a plan the cost model flags as ``infeasible`` cannot run on it, as a
    clause ("from about a billion parameters, fine-tuning on ordinary processors takes weeks per
    pass"); the report adds the plan that works instead."""


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownModel(Strict):
    """A model people name by name ("BERT", "GPT-3"), with its parameter count from its model card."""

    name: Annotated[str, Limits(min_length=1, max_length=60)]
    params: Positive
    aliases: tuple[str, ...] = ()
    data: Literal["text", "images", "audio", "video", "tables", "time-series", "code", "mixed"] | None = None
    """The kind of data it works from: a model named says what the data is when nothing else does."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rough(Strict):
    """A rough answer offered to someone who does not know ("Thousands")."""

    label: Annotated[str, Limits(min_length=1, max_length=40)]
    """What its button says."""
    value: Scalar | None = None
    """The answer it gives (``None``: the question left open, as an unsure answer leaves it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unsure(Strict):
    """What an answer of "not sure", "idk" or "skip" does at a question that may not be skipped:
    a clarifying question with rough answers first (:attr:`ask`), and the value assumed (said
    with :attr:`said`) when the person still does not know or there is nothing to ask."""

    said: Text | None = None
    """Said when the value is assumed: "I'll assume a small model like BERT, as most projects
    start there". ``None``: nothing is assumed; the clarifying question is asked again."""
    value: Scalar | None = None
    """The value assumed (``None``: left open, such as no budget)."""
    ask: Text | None = None
    """A short clarifying question, asked before anything is assumed."""
    rough: tuple[Rough, ...] = ()
    """The rough answers the clarifying question offers."""
    words: tuple[str, ...] = ()
    """Phrases that mean "not sure" at this question only ("as cheap as possible"): they take
    the assumed value at once, without the clarifying question."""

    def __post_init__(self) -> None:
        if self.said is None and self.ask is None:
            raise ValueError("unsure needs `said` (what is assumed) or `ask` (a clarifying question)")
        if self.rough and self.ask is None:
            raise ValueError("rough answers go with a clarifying question (`ask`)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Question(Strict):
    """A guided question of the chat, and a field of the answers file."""

    id: SnakeId
    """The answers-file field this question fills (``budget_usd``)."""
    name: Annotated[str, Limits(min_length=1, max_length=40)]
    """A short name for the answer: ``budget``, ``labeled examples``."""
    prompt: Text
    """What the chat asks, in plain language for a newcomer."""
    help: Text
    """The explanation shown on ``help``: what the terms mean and why we ask."""
    kind: Literal["choice", "count", "money", "model_size", "task"]
    """How a typed answer is read; a ``task`` is a description in the person's words, read with
    the task vocabulary into the fields it fills (:data:`advisor.kb.fields.TASK_FIELDS`)."""
    choices: tuple[Choice, ...] = ()
    """Canonical answers, for ``choice`` and ``model_size`` questions; for "more" what-ifs,
    listed from the most (``labeled``) to the least."""
    models: tuple[KnownModel, ...] = ()
    """For model sizes: models a person may name, read as their parameter counts."""
    ask_when: Condition | None = None
    """Ask only when this holds for the answers so far (no example count for unlabeled data)."""
    optional: bool = False
    """Whether the person may skip it."""
    offer_when: Condition | None = None
    """Ask it in turn only when this holds (where the data may go, for medical or legal data);
    unlike ``ask_when``, an answer given otherwise still counts."""
    guided: bool = True
    """Whether the chat asks it in turn; otherwise it is set only when the person mentions it
    ("what if we used LoRA?") or in an answers file."""
    what_if: Literal["any", "more", "never"] = "any"
    """Which changes "would win if" may suggest: any, only more (a larger count, a later choice:
    never giving up data or labels the person has), or never (the task itself)."""
    default: Scalar | None = None
    """The value used when the question is not asked or is skipped."""
    examples: tuple[str, ...] = ()
    """Sample answers shown as a hint under the input."""
    mentions: tuple[str, ...] = ()
    """Words that show a sentence is about this answer ("budget", "spend"): how the chat
    tells which answer "what if we had 20k?" or "actually, make it $5k" changes."""
    claims: tuple[Id, ...] = ()
    """Claims the help text draws on."""
    subject: tuple[str, ...] = ()
    """Words that name what the choices affirm or deny ("labeled", "tagged", "annotated"). A
    sentence that uses one is read by the negations and quantities in its scope ("nobody
    tagged them", "only half are labeled", "all of it is annotated"), each choice standing for
    one :attr:`Choice.stance`."""
    plausible: tuple[NotNegative, NotNegative] | None = None
    """For count and money questions: answers outside ``[low, high]`` are read back and
    confirmed before they are used ("only 2 labeled examples?", "a budget of $5?")."""
    unsure: Unsure | None = None
    """What "not sure" does at this question when it may not be skipped: the way forward for
    someone who does not know. Absent: the chat asks again with the question's choices."""
    why_new: tuple[Text, ...] = ()
    """For someone new to fine-tuning: why the question matters, in two sentences. The chat
    says the first whose ``{slots}`` (question ids) the answers so far fill, with those
    answers in it ("You want to {task}: ..."); the last has no slot, so one always applies."""

    def __post_init__(self) -> None:
        for text in self.why_new:
            why_slots(text)  # each slot a plain name in braces
        if self.why_new and why_slots(self.why_new[-1]):
            raise ValueError("the last why_new text must have no {slot}: it is said when no answer is known")
        if self.plausible is not None:
            if self.kind not in ("count", "money"):
                raise ValueError("plausible is for count and money questions")
            if not 0 <= self.plausible[0] < self.plausible[1]:
                raise ValueError("plausible must be [low, high] with 0 <= low < high")
        wants = self.kind in ("choice", "model_size")
        if wants and not self.choices:
            raise ValueError(f"a {self.kind} question needs choices")
        if not wants and self.choices:
            raise ValueError(f"a {self.kind} question has no choices")


def why_slots(text: str) -> tuple[str, ...]:
    """The ``{slots}`` of a ``why_new`` text, in order; a stray brace or a slot with a format
    ("{budget:.2f}") is an error."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        raise ValueError(f"why_new: {error} in {text[:60]!r}") from None
    slots = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not name or spec or conversion or not name.isidentifier():
            raise ValueError(
                f"why_new: a slot is a question id in braces, such as {{budget_usd}}: {text[:60]!r}"
            )
        slots.append(name)
    return tuple(slots)


# --- conditions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf(Strict):
    """A test of one answer field. Exactly one of the operators is given."""

    field: str
    """An answer field (a question id) or a derived field such as ``labeled_examples``."""
    equals: Scalar | None = None
    """The field equals this value."""
    in_: tuple[Scalar, ...] | None = dataclasses.field(default=None, metadata={"alias": "in"})
    """The field is one of these values (``in:`` in the file: ``in`` is a Python keyword)."""
    below: Number | SnakeId | None = None
    """The field is a number strictly below this: the name of an assumption (a bare number is
    refused by ``kb check``: every number is named)."""
    at_least: Number | SnakeId | None = None
    """The field is a number at least this (an assumption's name, like ``below``)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {**Strict.__pydantic_config__, "populate_by_name": True}

    def __post_init__(self) -> None:
        given = [
            name
            for name, value in (
                ("equals", self.equals),
                ("in", self.in_),
                ("below", self.below),
                ("at_least", self.at_least),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a condition needs exactly one of equals, in, below, at_least"
                + (f" (got {', '.join(given)})" if given else "")
            )

    @property
    def operator(self) -> Literal["equals", "in", "below", "at_least"]:
        if self.equals is not None:
            return "equals"
        if self.in_ is not None:
            return "in"
        if self.below is not None:
            return "below"
        return "at_least"

    @property
    def operand(self) -> Any:
        return getattr(self, "in_" if self.operator == "in" else self.operator)


@dataclass(frozen=True, slots=True, kw_only=True)
class AllOf(Strict):
    """Every condition holds."""

    all: Annotated[tuple[Condition, ...], Limits(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyOf(Strict):
    """At least one condition holds."""

    any: Annotated[tuple[Condition, ...], Limits(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Not(Strict):
    """The condition does not hold."""

    not_: Condition = dataclasses.field(metadata={"alias": "not"})
    """The condition that must not hold (``not:`` in the file: ``not`` is a Python keyword)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {**Strict.__pydantic_config__, "populate_by_name": True}


Condition = Annotated[
    Leaf | AllOf | AnyOf | Not,
    OneOf(
        {"all": AllOf, "any": AnyOf, "not": Not, "leaf": Leaf},
        default="leaf",
        error_type="condition",
        message=(
            "a condition is a mapping: {field, equals|in|below|at_least}, "
            "{all: [...]}, {any: [...]} or {not: ...}"
        ),
    ),
]
"""A condition tree: ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``, or a leaf test."""


# --- rules ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Effect(Strict):
    """What a rule does when it fires. Exactly one of favor, exclude, caveat, next_step, try_first."""

    favor: ApproachId | None = None
    """Add ``weight`` to this approach's score."""
    weight: Number | SnakeId | None = None
    """How strongly to favor (negative: disfavor), as the name of an assumption. Only with
    ``favor``, and required there (a bare number is refused by ``kb check``)."""
    exclude: ApproachId | None = None
    """Rule this approach out, whatever its score."""
    caveat: Text | None = None
    """A warning to show with the recommendation."""
    next_step: Text | None = None
    """Something to do next, shown with the recommendation."""
    try_first: Text | None = None
    """A path a practitioner would try before fine-tuning (retrieval over the person's own
    documents, a model used as is), shown before the plan. Practice beyond the documents: it
    names its public ``reference`` and the month it is ``as_of``, as prices do."""
    reference: Text | None = None
    """For ``try_first``: where the practice is described, so a person can check it."""
    as_of: Annotated[str, Limits(pattern=r"^\d{4}-\d{2}$")] | None = None
    """For ``try_first``: the month (``2026-11``) the reference was read."""

    def __post_init__(self) -> None:
        kinds = ("favor", "exclude", "caveat", "next_step", "try_first")
        given = [name for name in kinds if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("an effect needs exactly one of favor, exclude, caveat, next_step, try_first")
        if self.try_first is not None and (self.reference is None or self.as_of is None):
            raise ValueError(
                "try_first needs a reference and an as_of month: it is practice beyond the documents"
            )
        if self.try_first is None and (self.reference is not None or self.as_of is not None):
            raise ValueError("reference and as_of go only with try_first")
        if self.favor is None and self.weight is not None:
            raise ValueError("weight goes only with favor")
        if self.favor is not None and self.weight is None:
            raise ValueError("favor needs a weight: the name of an assumption")


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule(Strict):
    """A declarative rule: when the condition holds, apply the effects."""

    id: Id
    """Shown in the trace."""
    when: Condition | None = None
    """When the rule fires; absent means always. Rules that only add caveats or next steps
    may also test the recommended ``approach`` and its cost model's quantities."""
    effects: Annotated[tuple[Effect, ...], Limits(min_length=1)]
    """What firing does."""
    claims: Annotated[tuple[Id, ...], Limits(min_length=1)]
    """The claims that justify the rule."""
    explanation: Text
    """Why, in plain language; used in the rationale and in "why not"."""

    @property
    def advice(self) -> bool:
        """Whether it only adds caveats and next steps (it may test the outcome, not decide it)."""
        return all(effect.favor is None and effect.exclude is None for effect in self.effects)


# --- costs ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SaidAs(Strict):
    """How people state an assumption in a sentence."""

    phrases: Annotated[tuple[str, ...], Limits(min_length=1)]
    """Words that show a sentence sets this assumption ("in-house", "our engineers")."""
    value: NotNegative | None = None
    """What the phrase means ("in-house": 0); absent, the amount said with it
    ("our engineers cost *$1,500* a week")."""
    meaning: str | None = None
    """What the advisor tells the person it understood, in plain words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Assumption(Strict):
    """A number the documents do not give, named so that a person can see and change it."""

    id: SnakeId
    """What an answers file writes under ``assumptions:`` to override it."""
    name: Text | None = None
    """What it is in a few plain words ("GPU hours a week of development"), said before its id."""
    value: Annotated[float | tuple[float, float], Bounded(pairs=True)]
    """A number, or a ``[low, high]`` range the estimate draws from. Not negative unless a rule
    weighs with it (``kb check``, :mod:`advisor.kb.references`)."""
    unit: Text
    """What the number counts."""
    why: Text
    """Why this value: the reasoning, and what in the documents it leans on."""
    claims: tuple[Id, ...] = ()
    """Claims the value leans on, if any."""
    said_as: tuple[SaidAs, ...] = ()
    """How a person sets it in the chat, in words ("we'll do it in-house"); by its id always works."""
    as_of: Annotated[str, Limits(pattern=r"^\d{4}-\d{2}$")] | None = None
    """For prices: the month (``2025-06``) the figure is from; ``kb check`` warns when it is
    more than 18 months old."""
    reference: Text | None = None
    """For prices: where such figures are published, so a person can check today's."""
    moves_with: SnakeId | None = None
    """A name shared by assumptions that move together (a project that goes badly takes more
    weeks, more training runs and more reruns): they are drawn at the same share of their ranges."""

    def __post_init__(self) -> None:
        if isinstance(self.value, tuple) and self.value[0] > self.value[1]:
            raise ValueError("the range's low end is above its high end")

    @property
    def named(self) -> str:
        """Its name in words, then its id for an override: "Training runs (training_runs)"."""
        return f"{self.name} ({self.id})" if self.name else self.id

    @property
    def low(self) -> float:
        return self.value[0] if isinstance(self.value, tuple) else self.value

    @property
    def high(self) -> float:
        return self.value[1] if isinstance(self.value, tuple) else self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class Constant(Strict):
    """A fact a formula needs (seconds in an hour, FLOPs per parameter per token): not overridable."""

    id: SnakeId
    value: Number
    """Not negative unless a rule weighs with it, as for an assumption."""
    unit: Text
    why: Text
    reference: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Cited(Strict):
    """A claim's figure under a name a formula can use (a range when the figure is one)."""

    id: SnakeId
    claim: Id
    figure: Annotated[int, Limits(ge=0)] = 0
    """Which of the claim's figures, counting from 0."""
    why: Text
    """Why this figure stands here."""


Formula = Annotated[str, Limits(min_length=1, max_length=600)]
"""Arithmetic over names (:mod:`advisor.kb.expressions`): ``gpus * rental_hours * gpu_hour_usd``."""


def _check_formula(text: str) -> None:
    from advisor.kb.expressions import ParseError, parse

    try:
        parse(text)
    except ParseError as error:
        raise ValueError(f"the formula {text[:60]!r} cannot be read: {error}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Table(Strict):
    """A formula chosen by an answer (or by ``approach``)."""

    by: SnakeId
    """An answer field, or ``approach``."""
    cases: dict[str, Formula]
    """For each value, its formula."""
    default: Formula | None = None
    """The formula for any other value (or no answer); absent: ``0``."""

    def __post_init__(self) -> None:
        for formula in (*self.cases.values(), *([self.default] if self.default else [])):
            _check_formula(formula)


Amount = Formula | Table
"""A formula, or a table of formulas chosen by an answer."""


def _check_amount(amount: Formula | Table) -> None:
    if isinstance(amount, str):
        _check_formula(amount)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity(Strict):
    """A number the cost lines share (GPUs needed, engineer-weeks), computed per approach."""

    id: SnakeId
    text: Text
    """What it is, in plain words."""
    unit: Text
    amount: Amount

    def __post_init__(self) -> None:
        _check_amount(self.amount)


@dataclass(frozen=True, slots=True, kw_only=True)
class CostLine(Strict):
    """One line of a cost breakdown: a formula in US dollars, summed by category."""

    id: Id
    """Shown in the report next to the amount."""
    category: Category
    """Compute, data, personnel or tooling."""
    text: Text
    """What the money pays for, in plain words."""
    approaches: tuple[ApproachId, ...] = APPROACHES
    """The approaches this line applies to."""
    when: Condition | None = None
    """Apply the line only when this holds (a test of the answers)."""
    amount: Amount
    """The line's dollars; every name in it is an answer, an assumption, a constant, a cited
    figure or a quantity."""
    shows: SnakeId | None = None
    """A quantity shown beside the dollars (the engineer-weeks of the personnel line)."""
    claims: tuple[Id, ...] = ()
    """Claims that say this cost exists."""

    def __post_init__(self) -> None:
        _check_amount(self.amount)


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval(Strict):
    """What a cost range means: a percentile interval of the total, drawn from the assumptions."""

    low: Annotated[int, Limits(ge=1, le=49)] = 10
    """The lower percentile shown."""
    high: Annotated[int, Limits(ge=51, le=99)] = 90
    """The upper percentile shown."""
    samples: Annotated[int, Limits(ge=16, le=4096)] = 128
    """How many draws of the assumptions (a Latin hypercube: stratified, the same every run)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CostModel(Strict):
    """``costs.yaml``: named numbers, the quantities they make, and the cost lines."""

    assumptions: tuple[Assumption, ...]
    """Named numbers a person can override: prices, efforts, and the decision's weights and thresholds."""
    constants: tuple[Constant, ...] = ()
    """Facts the formulas need."""
    cited: tuple[Cited, ...] = ()
    """Claims' figures under names the formulas use."""
    quantities: tuple[Quantity, ...] = ()
    """Computed in order, per approach; a quantity may use those before it."""
    lines: Annotated[tuple[CostLine, ...], Limits(min_length=1)]
    """The cost lines, summed by category."""
    interval: Interval = Interval()
    """What a range means."""
    tie_order: Annotated[tuple[ApproachId, ...], Limits(min_length=3, max_length=3)]
    """Which approach wins a tie of scores: the first in this order."""
    tie_claims: Annotated[tuple[Id, ...], Limits(min_length=1)]
    """The claims behind the tie order."""


# --- glossary, faq, cases --------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Term(Strict):
    """A word a newcomer may not know."""

    id: Id
    term: Text
    """The word as it is usually written."""
    aliases: tuple[str, ...] = ()
    """Other spellings and phrasings."""
    definition: Text
    """What it means, in plain words."""
    claims: tuple[Id, ...] = ()
    """Claims the definition draws on."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Glossary(Strict):
    """``glossary.yaml``: the terms, and the jargon the advisor's texts may use only with a term."""

    terms: tuple[Term, ...]
    jargon: tuple[Annotated[str, Limits(min_length=2, max_length=60)], ...] = ()
    """Words a newcomer may not know, as the texts spell them ("LoRA", "GPU-hour"): ``kb check``
    fails when a question, a rule, a FAQ answer, a cost assumption or a case's report uses one
    that no term or alias covers."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FaqEntry(Strict):
    """A question a newcomer asks, answered from claims."""

    id: Id
    question: Text
    """The question as a person asks it."""
    aliases: tuple[str, ...] = ()
    """Other phrasings, for matching what a person types."""
    answer: Text
    """The answer, from the claims."""
    claims: Annotated[tuple[Id, ...], Limits(min_length=1)]
    """The claims the answer rests on."""
    defines: Id | None = None
    """The glossary term this entry explains at more length: "what is X?" of that term gets
    this entry rather than the term's definition."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseCost(Strict):
    """A cost the documents give for a case, and exactly what it covers."""

    covers: Annotated[tuple[Category, ...], Limits(min_length=1)]
    """The categories the source's figure covers ("data collection and computational resources")."""
    usd: Number | None = None
    """A single figure ("around $10,000"): the estimate's median of those categories must be
    within ``within_factor`` of it."""
    low_usd: Number | None = None
    high_usd: Number | None = None
    """A range ("between $100 to $1000"): the estimate's median within ``within_factor`` of the
    range's geometric middle, and the two ranges meeting."""
    within_factor: Annotated[float, Limits(gt=1, le=4)] = 2.0
    approach: ApproachId | None = None
    """The approach whose cost it is, when not the recommended one."""

    def __post_init__(self) -> None:
        if (self.usd is None) == (self.low_usd is None or self.high_usd is None):
            raise ValueError("give usd, or low_usd and high_usd")
        for amount in (self.usd, self.low_usd, self.high_usd):
            if amount is not None and not amount > 0:
                raise ValueError("a documented cost is a positive number of dollars")


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseExpectation(Strict):
    """What a case must produce."""

    approach: ApproachId
    """The recommended approach."""
    cost: CaseCost | None = None
    """A cost the documents give for this case, on the categories it covers."""
    fits_budget: bool | None = None
    """Whether the recommendation must fit (or not fit) the budget."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Case(Strict):
    """``cases/*.yaml``: answers with the recommendation they must get."""

    description: Text
    """What situation this is."""
    answers: dict[str, Any]
    """An answers file, as a person would write it."""
    expect: CaseExpectation
    claims: tuple[Id, ...] = ()
    """Claims the case comes from (the documents' case studies)."""
