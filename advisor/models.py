"""The knowledge base's schema: what each YAML file in ``knowledge/`` may say.

Every model is frozen and rejects unknown keys, so a typo in a knowledge file
fails at load time with its file and line instead of being ignored. Field
docstrings become the descriptions of the JSON Schema.

Cross-references between files (a claim's source, a rule's claims, a
condition's field and values) are checked by :mod:`advisor.knowledge`, which
knows all the files at once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

__all__ = [
    "APPROACHES",
    "CATEGORIES",
    "AllOf",
    "AnswerFactor",
    "AnyOf",
    "Approach",
    "ApproachId",
    "Assumption",
    "AssumptionFactor",
    "ByFactor",
    "Case",
    "CaseExpectation",
    "Category",
    "Choice",
    "Claim",
    "ClaimFactor",
    "Condition",
    "CostLine",
    "CostModel",
    "Effect",
    "Factor",
    "FaqEntry",
    "Figure",
    "Index",
    "Leaf",
    "Not",
    "Question",
    "Rule",
    "Source",
    "Term",
]

ApproachId = Literal["supervised", "unsupervised", "transfer-learning"]
APPROACHES: tuple[ApproachId, ...] = ("supervised", "unsupervised", "transfer-learning")

Category = Literal["compute", "data", "personnel", "tooling"]
CATEGORIES: tuple[Category, ...] = ("compute", "data", "personnel", "tooling")

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
"""Ids of claims, rules, terms...: lowercase words joined by hyphens."""

SnakeId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""Ids that people type in answers files (assumptions): snake_case."""

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Scalar = str | int | float | bool


class Strict(BaseModel):
    """Frozen, unknown keys rejected, field docstrings kept as descriptions."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


# --- sources and claims -----------------------------------------------------


class Index(Strict):
    """``index.yaml``: what this knowledge base is."""

    version: Annotated[str, Field(min_length=1, max_length=40)]
    """The knowledge base's own version, reported as ``knowledge_version``."""
    title: Text
    """A one-line name for the knowledge base."""


class Source(Strict):
    """A document the claims are taken from."""

    id: Id
    """How claims refer to this source."""
    title: Text
    """The document's title, as it is shown in citations."""
    file: Annotated[str, Field(pattern=r"^[^/\\]+$")]
    """The document's file name in the sources folder (``--sources``)."""
    kind: Literal["article", "guide", "news digest", "report"]
    """What sort of document it is, so a reader can weigh it."""


class Figure(Strict):
    """A number a claim states, in a form the cost model can use."""

    amount: float
    """The number; the low end when the document gives a range."""
    amount_high: float | None = None
    """The high end of a range (``$100 to $1000``), if the document gives one."""
    unit: Text
    """What the number counts: ``USD``, ``USD per hour``, ``parameters``, ``images``, ``percent``."""
    year: int | None = None
    """The year the figure is for, where the document says."""
    measures: Text
    """What the figure measures, in a few words."""
    qualifier: Literal["exact", "about", "over", "up to"] = "exact"
    """How the document hedges it: ``about $10,000``, ``over 14 million``, ``up to 80%``."""

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Figure:
        if self.amount_high is not None and self.amount_high < self.amount:
            raise ValueError("amount_high is below amount")
        return self


class Claim(Strict):
    """One statement of a source, in our words, with the words it came from."""

    id: Id
    """How rules, costs, questions and answers cite this claim."""
    text: Text
    """The claim in the project's own words."""
    quote: Annotated[str, Field(min_length=8, max_length=400)]
    """A short verbatim quote (a sentence or less) from the source; checked by ``kb check --sources``."""
    source: Id
    """The id of the source the quote is from."""
    figures: tuple[Figure, ...] = ()
    """Numbers the claim states, if any."""


# --- approaches and questions ------------------------------------------------


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
    claims: tuple[Id, ...] = Field(min_length=1)
    """The claims behind the summary and the tier."""


class Choice(Strict):
    """One canonical answer to a choice question."""

    value: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    """The canonical value written in answers files."""
    label: Text
    """What the quick-reply button says."""
    aliases: tuple[str, ...] = ()
    """Other ways people say it (matched exactly, then fuzzily)."""
    help: str | None = None
    """One line explaining this choice."""
    below_params: float | None = None
    """For model sizes: a parameter count below which a model has this size."""


class Question(Strict):
    """A guided question of the chat, and a field of the answers file."""

    id: Literal["task", "labels", "labeled_examples", "model_size", "budget_usd", "hardware"]
    """The answers-file field this question fills."""
    name: Annotated[str, Field(min_length=1, max_length=40)]
    """A short name for the answer: ``budget``, ``labeled examples``."""
    prompt: Text
    """What the chat asks, in plain language for a newcomer."""
    help: Text
    """The explanation shown on ``help``: what the terms mean and why we ask."""
    kind: Literal["choice", "count", "money", "model_size"]
    """How a typed answer is read."""
    choices: tuple[Choice, ...] = ()
    """Canonical answers, for ``choice`` and ``model_size`` questions."""
    ask_when: Condition | None = None
    """Ask only when this holds for the answers so far (no example count for unlabeled data)."""
    optional: bool = False
    """Whether the person may skip it."""
    what_if: bool = True
    """Whether "would win if" may suggest changing this answer (not for the task itself)."""
    default: Scalar | None = None
    """The value used when the question is not asked or is skipped."""
    examples: tuple[str, ...] = ()
    """Sample answers shown as a hint under the input."""
    claims: tuple[Id, ...] = ()
    """Claims the help text draws on."""

    @model_validator(mode="after")
    def _choices_fit_kind(self) -> Question:
        wants = self.kind in ("choice", "model_size")
        if wants and not self.choices:
            raise ValueError(f"a {self.kind} question needs choices")
        if not wants and self.choices:
            raise ValueError(f"a {self.kind} question has no choices")
        return self


# --- conditions ----------------------------------------------------------------


class Leaf(Strict):
    """A test of one answer field. Exactly one of the operators is given."""

    field: str
    """An answer field (a question id) or a derived field such as ``labeled_examples``."""
    equals: Scalar | None = None
    """The field equals this value."""
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    """The field is one of these values."""
    below: float | None = None
    """The field is a number strictly below this."""
    at_least: float | None = None
    """The field is a number at least this."""

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _one_operator(self) -> Leaf:
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
        return self

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


class AllOf(Strict):
    """Every condition holds."""

    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(Strict):
    """At least one condition holds."""

    any: tuple[Condition, ...] = Field(min_length=1)


class Not(Strict):
    """The condition does not hold."""

    not_: Condition = Field(alias="not")

    model_config = ConfigDict(populate_by_name=True)


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {"Leaf": "leaf", "AllOf": "all", "AnyOf": "any", "Not": "not"}.get(type(value).__name__)
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "leaf"
    return None


Condition = Annotated[
    Annotated[Leaf, Tag("leaf")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is a mapping: {field, equals|in|below|at_least}, "
            "{all: [...]}, {any: [...]} or {not: ...}"
        ),
    ),
]


# --- rules ---------------------------------------------------------------------


class Effect(Strict):
    """What a rule does when it fires. Exactly one of favor, exclude, caveat, next_step."""

    favor: ApproachId | None = None
    """Add ``weight`` to this approach's score."""
    weight: float = Field(default=1.0, ge=-10, le=10)
    """How strongly to favor (negative: disfavor). Only with ``favor``."""
    exclude: ApproachId | None = None
    """Rule this approach out, whatever its score."""
    caveat: Text | None = None
    """A warning to show with the recommendation."""
    next_step: Text | None = None
    """Something to do next, shown with the recommendation."""

    @model_validator(mode="after")
    def _one_effect(self) -> Effect:
        given = [
            name for name in ("favor", "exclude", "caveat", "next_step") if getattr(self, name) is not None
        ]
        if len(given) != 1:
            raise ValueError("an effect needs exactly one of favor, exclude, caveat, next_step")
        if self.favor is None and "weight" in self.model_fields_set:
            raise ValueError("weight goes only with favor")
        return self


class Rule(Strict):
    """A declarative rule: when the condition holds, apply the effects."""

    id: Id
    """Shown in the trace."""
    when: Condition | None = None
    """When the rule fires; absent means always."""
    effects: tuple[Effect, ...] = Field(min_length=1)
    """What firing does."""
    claims: tuple[Id, ...] = Field(min_length=1)
    """The claims that justify the rule."""
    explanation: Text
    """Why, in plain language; used in the rationale and in "why not"."""


# --- costs ---------------------------------------------------------------------


class Assumption(Strict):
    """A number the documents do not give, named so a person can see and change it."""

    id: SnakeId
    """What an answers file writes under ``assumptions:`` to override it."""
    value: float | tuple[float, float]
    """A number, or a ``[low, high]`` range."""
    unit: Text
    """What the number counts."""
    why: Text
    """Why this value: the reasoning, and what in the documents it leans on."""
    claims: tuple[Id, ...] = ()
    """Claims the value leans on, if any."""

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Assumption:
        if isinstance(self.value, tuple) and self.value[0] > self.value[1]:
            raise ValueError("the range's low end is above its high end")
        return self

    @property
    def low(self) -> float:
        return self.value[0] if isinstance(self.value, tuple) else self.value

    @property
    def high(self) -> float:
        return self.value[1] if isinstance(self.value, tuple) else self.value


class ClaimFactor(Strict):
    """A claim's figure as a factor (a range when the figure is one)."""

    claim: Id
    figure: int = Field(default=0, ge=0)
    """Which of the claim's figures, counting from 0."""


class AssumptionFactor(Strict):
    """A named assumption as a factor."""

    assumption: SnakeId


class AnswerFactor(Strict):
    """A numeric answer as a factor: ``labeled_examples`` or the derived ``examples_to_label``."""

    answer: Literal["labeled_examples", "examples_to_label", "budget_usd"]


class ByFactor(Strict):
    """A factor chosen by an answer (or by ``approach``); a missing case makes the line zero."""

    by: str
    """An answer field, or ``approach``."""
    cases: dict[str, tuple[Factor, ...]]
    """For each value, the factors (multiplied) that apply; ``[]`` multiplies by one."""
    default: tuple[Factor, ...] | None = None
    """The factors for any other value (or no answer); absent: the line does not apply."""


def _factor_kind(value: Any) -> str | None:
    keys = ("claim", "assumption", "answer", "by")
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        for key in keys:
            if key in value:
                return key
    return None


Factor = Annotated[
    Annotated[ClaimFactor, Tag("claim")]
    | Annotated[AssumptionFactor, Tag("assumption")]
    | Annotated[AnswerFactor, Tag("answer")]
    | Annotated[ByFactor, Tag("by")],
    Discriminator(
        _factor_kind,
        custom_error_type="factor",
        custom_error_message=(
            "a factor is {claim: id}, {assumption: id}, {answer: field} or {by: field, cases: {...}}"
        ),
    ),
]


class CostLine(Strict):
    """One line of a cost breakdown: the product of its factors, as a low-high range."""

    id: Id
    """Shown in the report next to the amount."""
    category: Category
    """Compute, data, personnel or tooling."""
    text: Text
    """What the money pays for, in plain words."""
    approaches: tuple[ApproachId, ...] = APPROACHES
    """The approaches this line applies to."""
    when: Condition | None = None
    """Apply the line only when this holds."""
    factors: tuple[Factor, ...] = Field(min_length=1)
    """Multiplied together; every number comes from a claim or an assumption."""
    claims: tuple[Id, ...] = ()
    """Claims that say this cost exists (beyond those that give its numbers)."""


class CostModel(Strict):
    """``costs.yaml``: the assumptions, the labeling targets and the cost lines."""

    assumptions: tuple[Assumption, ...]
    """Named numbers a person can override."""
    label_targets: dict[ApproachId, tuple[Factor, ...]]
    """How many labeled examples each approach wants; ``examples_to_label`` is what is missing."""
    lines: tuple[CostLine, ...] = Field(min_length=1)
    """The cost lines, summed by category."""
    tie_order: tuple[ApproachId, ...] = Field(min_length=3, max_length=3)
    """Which approach wins a tie of scores: the first in this order."""
    tie_claims: tuple[Id, ...] = Field(min_length=1)
    """The claims behind the tie order."""


# --- glossary, faq, cases --------------------------------------------------------


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


class FaqEntry(Strict):
    """A question a newcomer asks, answered from claims."""

    id: Id
    question: Text
    """The question as a person asks it."""
    aliases: tuple[str, ...] = ()
    """Other phrasings, for matching what a person types."""
    answer: Text
    """The answer, from the claims."""
    claims: tuple[Id, ...] = Field(min_length=1)
    """The claims the answer rests on."""


class CaseExpectation(Strict):
    """What a case must produce."""

    approach: ApproachId
    """The recommended approach."""
    total_usd: float | None = None
    """A total the documents give for this case, if any."""
    within_factor: float = Field(default=3.0, gt=1)
    """How far the cost range's midpoint may be from ``total_usd`` (a factor)."""
    fits_budget: bool | None = None
    """Whether the recommendation must fit (or not fit) the budget."""


class Case(Strict):
    """``cases/*.yaml``: answers with the recommendation they must get."""

    description: Text
    """What situation this is."""
    answers: dict[str, Any]
    """An answers file, as a person would write it."""
    expect: CaseExpectation
    claims: tuple[Id, ...] = ()
    """Claims the case comes from (the documents' case studies)."""


AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
Question.model_rebuild()
Rule.model_rebuild()
ByFactor.model_rebuild()
CostLine.model_rebuild()
CostModel.model_rebuild()
