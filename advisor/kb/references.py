"""The knowledge base's cross-references: everything a single file cannot check about itself.

Ids are unique; every cited claim, source and assumption exists; every
condition names a known field and values it can take; every claim is used.
Run after each file validated (:mod:`advisor.kb.validation`), on the slow path
of :func:`advisor.kb.loader.load_knowledge` only: a cached knowledge base
passed these checks when it was cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from advisor.errors import Problem, quoted
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import ASSUMPTIONS, EXAMPLES_TO_LABEL, REQUIRED_KINDS
from advisor.kb.models import (
    APPROACHES,
    AnswerFactor,
    AssumptionFactor,
    ByFactor,
    ClaimFactor,
    Factor,
    Leaf,
    Question,
)
from advisor.text import clean

__all__ = ["cross_references"]


def cross_references(kb: KnowledgeBase) -> Iterator[Problem]:
    """Everything a single file cannot check about itself."""

    def at(kind: str, item_id: str, file: str, message: str) -> Problem:
        return Problem(message, file, kb.lines.get((kind, item_id)))

    # Duplicate ids, per kind.
    for kind, file, items in (
        ("source", "sources.yaml", kb.sources),
        ("claim", "claims.yaml", kb.claims),
        ("approach", "approaches.yaml", kb.approaches),
        ("question", "questions.yaml", kb.questions),
        ("rule", "rules.yaml", kb.rules),
        ("term", "glossary.yaml", kb.terms),
        ("faq entry", "faq.yaml", kb.faq),
        ("assumption", "costs.yaml", kb.costs.assumptions),
        ("cost line", "costs.yaml", kb.costs.lines),
    ):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                yield at(kind, item.id, file, f"{kind} id {item.id!r} is used twice")
            seen.add(item.id)

    missing = [a for a in APPROACHES if a not in kb.approach]
    if missing:
        yield Problem(f"approaches missing: {', '.join(missing)}", "approaches.yaml")
    if sorted(kb.costs.tie_order) != sorted(APPROACHES):
        yield Problem("tie_order must name each approach once", "costs.yaml")

    files = {source.file for source in kb.sources}
    if len(files) != len(kb.sources):
        yield Problem("two sources name the same file", "sources.yaml")
    for claim in kb.claims:
        if claim.source not in kb.source:
            yield at(
                "claim",
                claim.id,
                "claims.yaml",
                f"claim {claim.id!r} cites unknown source {claim.source!r}",
            )

    used: set[str] = set()

    def cite(kind: str, item_id: str, file: str, claim_ids: Iterable[str]) -> Iterator[Problem]:
        for claim_id in claim_ids:
            used.add(claim_id)
            if claim_id not in kb.claim:
                yield at(kind, item_id, file, f"{kind} {item_id!r} cites unknown claim {claim_id!r}")

    for approach in kb.approaches:
        yield from cite("approach", approach.id, "approaches.yaml", approach.claims)
    for question in kb.questions:
        yield from cite("question", question.id, "questions.yaml", question.claims)
    for term in kb.terms:
        yield from cite("term", term.id, "glossary.yaml", term.claims)
    for entry in kb.faq:
        yield from cite("faq entry", entry.id, "faq.yaml", entry.claims)
    for rule in kb.rules:
        yield from cite("rule", rule.id, "rules.yaml", rule.claims)
    for assumption in kb.costs.assumptions:
        yield from cite("assumption", assumption.id, "costs.yaml", assumption.claims)
    yield from cite("cost model", "tie_order", "costs.yaml", kb.costs.tie_claims)

    # Questions: the fixed answer fields, in a sensible order, with valid conditions.
    earlier: set[str] = set()
    for question in kb.questions:
        for leaf in iter_leaves(question.ask_when):
            yield from _check_leaf(kb, leaf, "question", question.id, "questions.yaml")
            if leaf.field in kb.question and leaf.field not in earlier:
                yield at(
                    "question",
                    question.id,
                    "questions.yaml",
                    f"question {question.id!r} is asked depending on {leaf.field!r}, which comes "
                    "later (or is itself); move it after that question",
                )
        earlier.add(question.id)
        values = [choice.value for choice in question.choices]
        if len(set(values)) != len(values):
            yield at(
                "question",
                question.id,
                "questions.yaml",
                f"question {question.id!r} repeats a choice",
            )
        yield from _check_stances(kb, question)
        choices = ((c.value, (c.value, c.label, *c.aliases, *c.replies)) for c in question.choices)
        for phrase, first, second in _named_twice(choices):
            yield at(
                "question",
                question.id,
                "questions.yaml",
                f"question {question.id!r}: {quoted(phrase)} names both {first!r} and "
                f"{second!r}; keep it under one choice",
            )
    for field, kind in REQUIRED_KINDS.items():
        required = kb.question.get(field)
        if required is None:
            yield Problem(f"questions missing: {field} (a {kind} question)", "questions.yaml")
        elif required.kind != kind:
            yield at(
                "question",
                field,
                "questions.yaml",
                f"question {field!r} must be of kind {kind}, not {required.kind}",
            )
    if ASSUMPTIONS in kb.question:
        yield at("question", ASSUMPTIONS, "questions.yaml", f"a question cannot be called {ASSUMPTIONS!r}")

    approaches = ((a.id, (a.name, a.id, *a.aliases)) for a in kb.approaches)
    for phrase, first, second in _named_twice(approaches):
        yield at(
            "approach",
            second,
            "approaches.yaml",
            f"{quoted(phrase)} names both approaches {first!r} and {second!r}",
        )

    for rule in kb.rules:
        for leaf in iter_leaves(rule.when):
            yield from _check_leaf(kb, leaf, "rule", rule.id, "rules.yaml")

    # Costs: every factor resolves to a claim figure, an assumption, an answer or a case table.
    label_line = kb.lines.get(("costs", "label_targets"))
    factor_groups: list[tuple[str, int | None, tuple[Factor, ...]]] = [
        (f"label target {approach!r}", label_line, factors)
        for approach, factors in kb.costs.label_targets.items()
    ]
    for line in kb.costs.lines:
        yield from cite("cost line", line.id, "costs.yaml", line.claims)
        for leaf in iter_leaves(line.when):
            yield from _check_leaf(kb, leaf, "cost line", line.id, "costs.yaml")
        factor_groups.append((f"cost line {line.id!r}", kb.lines.get(("cost line", line.id)), line.factors))
    used_assumptions: set[str] = set()
    for owner, line_no, factors in factor_groups:
        for factor in _iter_factors(factors):
            if isinstance(factor, ClaimFactor):
                used.add(factor.claim)
                cited_claim = kb.claim.get(factor.claim)
                if cited_claim is None:
                    yield Problem(f"{owner} cites unknown claim {factor.claim!r}", "costs.yaml", line_no)
                elif factor.figure >= len(cited_claim.figures):
                    yield Problem(
                        f"{owner} uses figure {factor.figure} of claim {factor.claim!r}, "
                        f"which has {len(cited_claim.figures)}",
                        "costs.yaml",
                        line_no,
                    )
            elif isinstance(factor, AssumptionFactor):
                used_assumptions.add(factor.assumption)
                if factor.assumption not in kb.assumption:
                    yield Problem(
                        f"{owner} uses unknown assumption {factor.assumption!r}",
                        "costs.yaml",
                        line_no,
                    )
            elif isinstance(factor, ByFactor):
                yield from _check_by(kb, factor, owner, line_no)
            elif isinstance(factor, AnswerFactor):
                numeric = {q.id for q in kb.questions if q.kind in ("count", "money")}
                if factor.answer != EXAMPLES_TO_LABEL and factor.answer not in numeric:
                    yield Problem(
                        f"{owner} multiplies by answer {quoted(factor.answer)}, which is not a number "
                        f"(numbers: {', '.join(sorted(numeric | {EXAMPLES_TO_LABEL}))})",
                        "costs.yaml",
                        line_no,
                    )
    said = [(a.id, [phrase for way in a.said_as for phrase in way.phrases]) for a in kb.costs.assumptions]
    for assumption_id, phrases in said:
        for phrase in phrases:
            if not clean(phrase):
                yield at("assumption", assumption_id, "costs.yaml", f"{quoted(phrase)} has no words")
    for phrase, first, second in _named_twice(said):
        yield at(
            "assumption",
            second,
            "costs.yaml",
            f"{quoted(phrase)} sets both {first!r} and {second!r}; keep it under one",
        )
    for assumption in kb.costs.assumptions:
        if assumption.id not in used_assumptions:
            yield at(
                "assumption",
                assumption.id,
                "costs.yaml",
                f"assumption {assumption.id!r} is not used by any cost line",
            )

    for claim in kb.claims:
        if claim.id not in used:
            yield at(
                "claim",
                claim.id,
                "claims.yaml",
                f"claim {claim.id!r} is not used by any approach, question, rule, cost, term or FAQ",
            )


def _named_twice(owners: Iterable[tuple[str, Iterable[str]]]) -> Iterator[tuple[str, str, str]]:
    """Each phrase (cleaned) that two owners name: (phrase, the first owner, the second)."""
    seen: dict[str, str] = {}
    for owner, phrases in owners:
        for phrase in dict.fromkeys(clean(p) for p in phrases):
            first = seen.setdefault(phrase, owner)
            if phrase and first != owner:
                yield phrase, first, owner


def _check_stances(kb: KnowledgeBase, question: Question) -> Iterator[Problem]:
    """A question read by what is said of its subject needs a choice for "yes" and one for "no",
    and at most one choice for each stance; stances without a subject are never used."""

    def problem(message: str) -> Problem:
        return Problem(
            f"question {question.id!r}: {message}", "questions.yaml", kb.lines.get(("question", question.id))
        )

    stances = [choice.stance for choice in question.choices if choice.stance is not None]
    if question.subject and not {"affirmed", "negated"} <= set(stances):
        yield problem(
            "a question with a subject needs a choice with stance affirmed and one with stance negated"
        )
    if stances and not question.subject:
        yield problem("its choices have stances but it has no subject words to read them by")
    for stance in dict.fromkeys(stances):
        if stances.count(stance) > 1:
            yield problem(f"more than one choice has stance {stance}")
    if any(not clean(word) for word in question.subject):
        yield problem("a subject word has no letters")


def _field_values(kb: KnowledgeBase, name: str) -> tuple[str | None, set[str]]:
    """The kind of an answer field and, for choices, its canonical values."""
    question = kb.question.get(name)
    if question is None:
        return None, set()
    return question.kind, {choice.value for choice in question.choices}


def _check_leaf(kb: KnowledgeBase, leaf: Leaf, kind: str, item_id: str, file: str) -> Iterator[Problem]:
    line = kb.lines.get((kind, item_id))
    field_kind, values = _field_values(kb, leaf.field)
    if field_kind is None:
        known = ", ".join(kb.question)
        yield Problem(
            f"{kind} {item_id!r} tests unknown field {quoted(leaf.field)} (known: {known})", file, line
        )
        return
    operator = leaf.operator
    numeric = field_kind in ("count", "money")
    if operator in ("below", "at_least") and not numeric:
        yield Problem(
            f"{kind} {item_id!r} compares {quoted(leaf.field)} with {operator}, but it is not a number",
            file,
            line,
        )
    if operator in ("equals", "in"):
        operands = leaf.in_ if operator == "in" else (leaf.equals,)
        for value in operands or ():
            if numeric:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    yield Problem(
                        f"{kind} {item_id!r} compares number field {quoted(leaf.field)} with {quoted(value)}",
                        file,
                        line,
                    )
            elif value not in values:
                yield Problem(
                    f"{kind} {item_id!r} tests {quoted(leaf.field)} for unknown value {quoted(value)} "
                    f"(values: {', '.join(sorted(values))})",
                    file,
                    line,
                )


def _check_by(kb: KnowledgeBase, factor: ByFactor, owner: str, line: int | None) -> Iterator[Problem]:
    if factor.by == "approach":
        values: set[str] = set(APPROACHES)
    else:
        field_kind, values = _field_values(kb, factor.by)
        if field_kind is None or not values:
            yield Problem(
                f"{owner} chooses by {quoted(factor.by)}, which is not a choice field", "costs.yaml", line
            )
            return
    for key in factor.cases:
        if key not in values:
            yield Problem(
                f"{owner} has a case {quoted(key)} that {quoted(factor.by)} never takes "
                f"(values: {', '.join(sorted(values))})",
                "costs.yaml",
                line,
            )


def _iter_factors(factors: Iterable[Factor]) -> Iterator[Factor]:
    for factor in factors:
        yield factor
        if isinstance(factor, ByFactor):
            for case in factor.cases.values():
                yield from _iter_factors(case)
            yield from _iter_factors(factor.default or ())
