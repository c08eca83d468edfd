"""The knowledge base as the rest of the advisor sees it: one frozen object, its files named.

:class:`KnowledgeBase` holds every part of a validated knowledge folder, with
look-ups by id. :data:`FILES` names the folder's files and the part each one
holds. Nothing here reads a file: :mod:`advisor.kb.loader` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# The names in these annotations are evaluated at run time too (advisor.kb.plain.field_types,
# on a cache hit): they must stay imported in this module, not under TYPE_CHECKING.
from advisor.kb.models import (
    AllOf,
    AnyOf,
    Approach,
    Assumption,
    Claim,
    Condition,
    CostModel,
    FaqEntry,
    Glossary,
    Index,
    Leaf,
    Not,
    Question,
    Rule,
    Source,
    Term,
)

__all__ = ["FILES", "KnowledgeBase", "iter_leaves"]


FILES: dict[str, str] = {
    "index.yaml": "index",
    "sources.yaml": "sources",
    "claims.yaml": "claims",
    "approaches.yaml": "approaches",
    "questions.yaml": "questions",
    "rules.yaml": "rules",
    "costs.yaml": "costs",
    "glossary.yaml": "glossary",
    "faq.yaml": "faq",
}
"""Every file of a knowledge base, and the part of :class:`KnowledgeBase` it holds.

``index.yaml``, ``costs.yaml`` and ``glossary.yaml`` are an :class:`Index`, a
:class:`CostModel` and a :class:`Glossary`; each other file holds its list under the
part's name (``faq.yaml``: ``faq: [...]``). :mod:`advisor.kb.validation` has each file's type.
"""


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """A validated knowledge base. Immutable; look-ups are built once."""

    directory: Path
    index: Index
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    approaches: tuple[Approach, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    costs: CostModel
    glossary: Glossary
    faq: tuple[FaqEntry, ...]
    lines: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)
    """(kind, id) -> line, e.g. ("rule", "tight-budget") -> 40: for messages."""

    @property
    def version(self) -> str:
        return self.index.version

    @property
    def terms(self) -> tuple[Term, ...]:
        """The glossary's terms."""
        return self.glossary.terms

    @cached_property
    def claim(self) -> dict[str, Claim]:
        return {claim.id: claim for claim in self.claims}

    @cached_property
    def source(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def question(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @cached_property
    def approach(self) -> dict[str, Approach]:
        return {approach.id: approach for approach in self.approaches}

    @cached_property
    def assumption(self) -> dict[str, Assumption]:
        return {assumption.id: assumption for assumption in self.costs.assumptions}

    @cached_property
    def rule(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def weights(self) -> frozenset[str]:
        """The assumptions (or constants) rules weigh approaches with: the only numbers that may
        be negative, since a weight below 0 disfavors (:mod:`advisor.bounds`)."""
        return frozenset(
            effect.weight for rule in self.rules for effect in rule.effects if isinstance(effect.weight, str)
        )

    @cached_property
    def divisors(self) -> frozenset[str]:
        """The assumptions and constants a cost formula divides by: they must be above 0."""
        from advisor.kb.expressions import divisors, parse

        amounts = [item.amount for item in self.costs.quantities] + [line.amount for line in self.costs.lines]
        formulas = [
            formula
            for amount in amounts
            for formula in (
                [amount]
                if isinstance(amount, str)
                else [*amount.cases.values(), *filter(None, [amount.default])]
            )
        ]
        named = {a.id for a in self.costs.assumptions} | {c.id for c in self.costs.constants}
        return frozenset(name for formula in formulas for name in divisors(parse(formula)) if name in named)

    @cached_property
    def numbers(self) -> dict[str, float]:
        """Every single-valued assumption and every constant, by name: what thresholds and
        weights name (ranges are drawn by the cost model instead)."""
        numbers = {a.id: a.low for a in self.costs.assumptions if a.low == a.high}
        numbers.update({constant.id: constant.value for constant in self.costs.constants})
        return numbers


def iter_leaves(condition: Condition | None) -> Iterator[Leaf]:
    """Every leaf test in a condition tree."""
    if condition is None:
        return
    if isinstance(condition, Leaf):
        yield condition
    elif isinstance(condition, AllOf):
        for part in condition.all:
            yield from iter_leaves(part)
    elif isinstance(condition, AnyOf):
        for part in condition.any:
            yield from iter_leaves(part)
    elif isinstance(condition, Not):
        yield from iter_leaves(condition.not_)
