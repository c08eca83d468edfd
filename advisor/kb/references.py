"""The knowledge base's cross-references: everything a single file cannot check about itself.

Ids are unique; every cited claim, source, assumption and name exists; every
condition names a field it may test and values the field can take; every
number in a rule or a formula is named; no formula divides by something that can be 0
or takes the logarithm of something that can be 0 or less, and no cost line can be negative
(:mod:`advisor.kb.intervals`); every claim and assumption is used; a
claim scoped to one approach is not a reason for, or a cost of, another; and a
claim says no more than its quote (no number the quote lacks, no "exact" on a
hedged figure). Run after each file validated (:mod:`advisor.kb.validation`),
on the slow path of :func:`advisor.kb.loader.load_knowledge` only: a cached
knowledge base passed these checks when it was cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from advisor.errors import Problem, quoted
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.expressions import names, numbers, parse
from advisor.kb.fields import (
    APPROACH,
    ASSUMED,
    ASSUMPTIONS,
    BUDGET_TIGHT,
    INTERVAL,
    MODEL_PARAMS,
    QUANTITIES,
    RATES,
    REQUIRED_KINDS,
)
from advisor.kb.intervals import formula_problems
from advisor.kb.models import APPROACHES, Claim, Condition, Leaf, Question, Table, why_slots
from advisor.text import clean

__all__ = ["cross_references", "formula_names"]


def formula_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every name a formula may use, and what it is: answer, assumption, constant, cited, quantity."""
    known: dict[str, str] = {}
    for question in kb.questions:
        if question.kind in ("count", "money", "model_size"):
            known[question.id] = "answer"
    known[MODEL_PARAMS] = "answer"
    known.update(dict.fromkeys((a.id for a in kb.costs.assumptions), "assumption"))
    known.update(dict.fromkeys((c.id for c in kb.costs.constants), "constant"))
    known.update(dict.fromkeys((c.id for c in kb.costs.cited), "cited"))
    known.update(dict.fromkeys((q.id for q in kb.costs.quantities), "quantity"))
    return known


def cross_references(kb: KnowledgeBase) -> Iterator[Problem]:
    """Everything a single file cannot check about itself."""
    yield from _ids(kb)
    used_claims: set[str] = set()
    yield from _citations(kb, used_claims)
    yield from _questions(kb)
    used_assumptions: set[str] = set(RATES)
    yield from _rules(kb, used_assumptions)
    yield from _costs(kb, used_assumptions, used_claims)
    yield from _scopes(kb)
    yield from _signs(kb)
    yield from formula_problems(kb)
    for claim in kb.claims:
        yield from _fidelity(kb, claim)
    for assumption in kb.costs.assumptions:
        if assumption.id not in used_assumptions:
            yield _at(
                kb, "assumption", assumption.id, "costs.yaml", f"assumption {assumption.id!r} is not used"
            )
    for claim in kb.claims:
        if claim.id not in used_claims:
            yield _at(
                kb,
                "claim",
                claim.id,
                "claims.yaml",
                f"claim {claim.id!r} is not used by any approach, question, rule, cost, term or FAQ",
            )


def _signs(kb: KnowledgeBase) -> Iterator[Problem]:
    """Only a rule's weight may be negative (it disfavors): a negative price, count, share or
    threshold means nothing (the number policy, :mod:`advisor.bounds`)."""
    named = [*((a.id, a.low, a.high, a.unit, "assumption") for a in kb.costs.assumptions)]
    named += [(c.id, c.value, c.value, c.unit, "constant") for c in kb.costs.constants]
    for item_id, low, high, unit, kind in named:
        if low < 0 and item_id not in kb.weights:
            value = f"{low:g}" if low == high else f"{low:g} to {high:g}"
            yield _at(
                kb,
                kind,
                item_id,
                "costs.yaml",
                f"{kind} {item_id!r} is negative ({value}), which {unit} cannot be; only a rule's "
                "weight may be below 0",
            )
        elif low <= 0 and item_id in kb.divisors:
            yield _at(
                kb,
                kind,
                item_id,
                "costs.yaml",
                f"{kind} {item_id!r} can be {low:g}, but a cost formula divides by it; give {unit} above 0",
            )


def _at(kb: KnowledgeBase, kind: str, item_id: str, file: str, message: str) -> Problem:
    return Problem(message, file, kb.lines.get((kind, item_id)))


def _ids(kb: KnowledgeBase) -> Iterator[Problem]:
    for kind, file, items in (
        ("source", "sources.yaml", kb.sources),
        ("claim", "claims.yaml", kb.claims),
        ("approach", "approaches.yaml", kb.approaches),
        ("question", "questions.yaml", kb.questions),
        ("rule", "rules.yaml", kb.rules),
        ("term", "glossary.yaml", kb.terms),
        ("faq entry", "faq.yaml", kb.faq),
        ("cost line", "costs.yaml", kb.costs.lines),
    ):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                yield _at(kb, kind, item.id, file, f"{kind} id {item.id!r} is used twice")
            seen.add(item.id)
    # Assumptions, constants, cited figures and quantities share one namespace: formulas name them.
    seen_names: set[str] = set()
    named: list[tuple[str, str]] = [
        *(("assumption", a.id) for a in kb.costs.assumptions),
        *(("constant", c.id) for c in kb.costs.constants),
        *(("cited figure", c.id) for c in kb.costs.cited),
        *(("quantity", q.id) for q in kb.costs.quantities),
    ]
    for kind, name in named:
        if name in seen_names or name in kb.question or name in (MODEL_PARAMS, APPROACH):
            yield _at(kb, kind, name, "costs.yaml", f"the name {name!r} is used twice")
        seen_names.add(name)
    missing = [a for a in APPROACHES if a not in kb.approach]
    if missing:
        yield Problem(f"approaches missing: {', '.join(missing)}", "approaches.yaml")
    if sorted(kb.costs.tie_order) != sorted(APPROACHES):
        yield Problem("tie_order must name each approach once", "costs.yaml")
    if len({source.file for source in kb.sources}) != len(kb.sources):
        yield Problem("two sources name the same file", "sources.yaml")
    for claim in kb.claims:
        if claim.source not in kb.source:
            yield _at(
                kb,
                "claim",
                claim.id,
                "claims.yaml",
                f"claim {claim.id!r} cites unknown source {claim.source!r}",
            )


def _citations(kb: KnowledgeBase, used: set[str]) -> Iterator[Problem]:
    def cite(kind: str, item_id: str, file: str, claim_ids: Iterable[str]) -> Iterator[Problem]:
        for claim_id in claim_ids:
            used.add(claim_id)
            if claim_id not in kb.claim:
                yield _at(kb, kind, item_id, file, f"{kind} {item_id!r} cites unknown claim {claim_id!r}")

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
    for line in kb.costs.lines:
        yield from cite("cost line", line.id, "costs.yaml", line.claims)
    yield from cite("cost model", "tie_order", "costs.yaml", kb.costs.tie_claims)
    for cited in kb.costs.cited:
        yield from cite("cited figure", cited.id, "costs.yaml", [cited.claim])
        claim = kb.claim.get(cited.claim)
        if claim is not None and cited.figure >= len(claim.figures):
            yield _at(
                kb,
                "cited figure",
                cited.id,
                "costs.yaml",
                f"cited figure {cited.id!r} uses figure {cited.figure} of claim {cited.claim!r}, "
                f"which has {len(claim.figures)}",
            )


def _questions(kb: KnowledgeBase) -> Iterator[Problem]:
    earlier: set[str] = set()
    for question in kb.questions:
        yield from _conditions(kb, question.ask_when, "question", question.id, "questions.yaml", advice=False)
        yield from _conditions(
            kb, question.offer_when, "question", question.id, "questions.yaml", advice=False
        )
        for choice in question.choices:
            yield from _conditions(
                kb, choice.suggest_when, "question", question.id, "questions.yaml", advice=False
            )
        for leaf in (*iter_leaves(question.ask_when), *iter_leaves(question.offer_when)):
            if leaf.field in kb.question and leaf.field not in earlier:
                yield _at(
                    kb,
                    "question",
                    question.id,
                    "questions.yaml",
                    f"question {question.id!r} is asked depending on {leaf.field!r}, which comes "
                    "later (or is itself); move it after that question",
                )
        earlier.add(question.id)
        values = [choice.value for choice in question.choices]
        if len(set(values)) != len(values):
            yield _at(
                kb, "question", question.id, "questions.yaml", f"question {question.id!r} repeats a choice"
            )
        yield from _check_stances(kb, question)
        yield from _check_unsure(kb, question)
        yield from _check_why(kb, question)
        choices = ((c.value, (c.value, c.label, *c.aliases, *c.replies)) for c in question.choices)
        for phrase, first, second in _named_twice(choices):
            yield _at(
                kb,
                "question",
                question.id,
                "questions.yaml",
                f"question {question.id!r}: {quoted(phrase)} names both {first!r} and "
                f"{second!r}; keep it under one choice",
            )
        for choice in question.choices:
            for name in (choice.params, choice.default_from_params):
                if name is not None and name not in kb.assumption:
                    yield _at(
                        kb,
                        "question",
                        question.id,
                        "questions.yaml",
                        f"choice {choice.value!r} names unknown assumption {name!r}",
                    )
    for field, kind in REQUIRED_KINDS.items():
        required = kb.question.get(field)
        if required is None:
            yield Problem(f"questions missing: {field} (a {kind} question)", "questions.yaml")
        elif required.kind != kind:
            yield _at(
                kb,
                "question",
                field,
                "questions.yaml",
                f"question {field!r} must be of kind {kind}, not {required.kind}",
            )
    for reserved in (ASSUMPTIONS, ASSUMED, INTERVAL, MODEL_PARAMS, APPROACH):
        if reserved in kb.question:
            yield _at(kb, "question", reserved, "questions.yaml", f"a question cannot be called {reserved!r}")
    approaches = ((a.id, (a.name, a.id, *a.aliases)) for a in kb.approaches)
    for phrase, first, second in _named_twice(approaches):
        yield _at(
            kb,
            "approach",
            second,
            "approaches.yaml",
            f"{quoted(phrase)} names both approaches {first!r} and {second!r}",
        )
    said = [(a.id, [phrase for way in a.said_as for phrase in way.phrases]) for a in kb.costs.assumptions]
    for assumption_id, phrases in said:
        for phrase in phrases:
            if not clean(phrase):
                yield _at(kb, "assumption", assumption_id, "costs.yaml", f"{quoted(phrase)} has no words")
    for phrase, first, second in _named_twice(said):
        yield _at(
            kb,
            "assumption",
            second,
            "costs.yaml",
            f"{quoted(phrase)} sets both {first!r} and {second!r}; keep it under one",
        )


def _check_unsure(kb: KnowledgeBase, question: Question) -> Iterator[Problem]:
    """What "not sure" takes must be an answer the question accepts: one of its choices, or a
    number for a count or an amount; nothing but no value at all where the question is asked."""
    unsure = question.unsure
    if unsure is None:
        return
    values = {choice.value for choice in question.choices}
    taken = [unsure.value] if unsure.said is not None else []
    for value in [*taken, *(rough.value for rough in unsure.rough)]:
        if value is None:
            continue
        if question.choices:
            fits = value in values
        else:
            fits = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        if not fits:
            yield _at(
                kb,
                "question",
                question.id,
                "questions.yaml",
                f"unsure: {value!r} is not an answer to {question.id!r}"
                + (f" (one of {', '.join(sorted(values))})" if values else " (a number)"),
            )


def _check_why(kb: KnowledgeBase, question: Question) -> Iterator[Problem]:
    """Each slot of a ``why_new`` text names a question, whose answer fills it."""
    for text in question.why_new:
        for slot in why_slots(text):
            if slot not in kb.question:
                yield _at(
                    kb,
                    "question",
                    question.id,
                    "questions.yaml",
                    f"why_new: {{{slot}}} is not a question (slots: {', '.join(q.id for q in kb.questions)})",
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
        return _at(kb, "question", question.id, "questions.yaml", f"question {question.id!r}: {message}")

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


def _rules(kb: KnowledgeBase, used_assumptions: set[str]) -> Iterator[Problem]:
    for question in kb.questions:
        for choice in question.choices:
            used_assumptions.update(n for n in (choice.params, choice.default_from_params) if n)
    every_condition = [
        *(q.ask_when for q in kb.questions),
        *(r.when for r in kb.rules),
        *(line.when for line in kb.costs.lines),
    ]
    for condition in every_condition:
        for leaf in iter_leaves(condition):
            used_assumptions.update(b for b in (leaf.below, leaf.at_least) if isinstance(b, str))
    used_assumptions.add(BUDGET_TIGHT)
    yield from _single_number(kb, BUDGET_TIGHT, "cost model", "decision", "costs.yaml", "budget percentile")
    for rule in kb.rules:
        yield from _conditions(kb, rule.when, "rule", rule.id, "rules.yaml", advice=rule.advice)
        for effect in rule.effects:
            if effect.weight is None:
                continue
            if not isinstance(effect.weight, str):
                yield _at(
                    kb,
                    "rule",
                    rule.id,
                    "rules.yaml",
                    f"rule {rule.id!r}: the weight {effect.weight:g} is a bare number; name it under "
                    "assumptions in costs.yaml and give its reason",
                )
                continue
            used_assumptions.add(effect.weight)
            yield from _single_number(kb, effect.weight, "rule", rule.id, "rules.yaml", "weight")
    for line in kb.costs.lines:
        yield from _conditions(kb, line.when, "cost line", line.id, "costs.yaml", advice=False)


def _single_number(
    kb: KnowledgeBase, name: str, kind: str, item_id: str, file: str, what: str
) -> Iterator[Problem]:
    assumption = kb.assumption.get(name)
    if assumption is None:
        if name not in {constant.id for constant in kb.costs.constants}:
            yield _at(
                kb, kind, item_id, file, f"{kind} {item_id!r}: its {what} {name!r} is not an assumption"
            )
    elif assumption.low != assumption.high:
        yield _at(
            kb,
            kind,
            item_id,
            file,
            f"{kind} {item_id!r}: its {what} {name!r} is a range; a {what} needs one number",
        )


def _field_kind(kb: KnowledgeBase, name: str, *, advice: bool) -> tuple[str | None, set[str]]:
    """What a condition's field is (its kind) and, for choices, the values it takes."""
    question = kb.question.get(name)
    if question is not None:
        return question.kind, {choice.value for choice in question.choices}
    if name == MODEL_PARAMS:
        return "count", set()
    if advice and name == APPROACH:
        return "choice", set(APPROACHES)
    if advice and name in {q.id for q in kb.costs.quantities}:
        return "count", set()
    return None, set()


def _conditions(
    kb: KnowledgeBase, condition: Condition | None, kind: str, item_id: str, file: str, *, advice: bool
) -> Iterator[Problem]:
    for leaf in iter_leaves(condition):
        yield from _check_leaf(kb, leaf, kind, item_id, file, advice=advice)


def _check_leaf(
    kb: KnowledgeBase, leaf: Leaf, kind: str, item_id: str, file: str, *, advice: bool
) -> Iterator[Problem]:
    line = kb.lines.get((kind, item_id))
    field_kind, values = _field_kind(kb, leaf.field, advice=advice)
    if field_kind is None:
        known = ", ".join([*kb.question, MODEL_PARAMS])
        extra = (
            f"; rules that add caveats or next steps may also test {APPROACH} and the quantities"
            if not advice
            else ""
        )
        yield Problem(
            f"{kind} {item_id!r} tests unknown field {quoted(leaf.field)} (known: {known}{extra})", file, line
        )
        return
    operator = leaf.operator
    numeric = field_kind in ("count", "money")
    if operator in ("below", "at_least"):
        if not numeric:
            yield Problem(
                f"{kind} {item_id!r} compares {quoted(leaf.field)} with {operator}, but it is not a number",
                file,
                line,
            )
        bound = leaf.operand
        if not isinstance(bound, str) and bound not in (0, 1):
            yield Problem(
                f"{kind} {item_id!r}: the threshold {bound:g} is a bare number; name it under assumptions "
                "in costs.yaml and give its reason",
                file,
                line,
            )
        elif isinstance(bound, str):
            yield from _single_number(kb, bound, kind, item_id, file, "threshold")
    if operator in ("equals", "in"):
        operands = leaf.in_ if operator == "in" else (leaf.equals,)
        for value in operands or ():
            if numeric:
                yield Problem(
                    f"{kind} {item_id!r} compares number field {quoted(leaf.field)} with {quoted(value)}; "
                    "use below or at_least with a named threshold",
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


def _costs(kb: KnowledgeBase, used_assumptions: set[str], used_claims: set[str]) -> Iterator[Problem]:
    known = formula_names(kb)
    quantities = [q.id for q in kb.costs.quantities]
    for required in QUANTITIES:
        if required not in quantities:
            yield Problem(f"quantity {required!r} is missing; the report shows it", "costs.yaml")
    formulas: list[tuple[str, str, str | Table, set[str]]] = []
    for index, quantity in enumerate(kb.costs.quantities):
        allowed = set(known) - set(quantities[index:])
        formulas.append(("quantity", quantity.id, quantity.amount, allowed))
    for approach in kb.approaches:
        if approach.then is not None and approach.then.when not in quantities:
            yield Problem(
                f"approach {approach.id!r}: its second step is taken when {approach.then.when!r}, "
                "which is not a quantity of costs.yaml",
                "approaches.yaml",
            )
    for line in kb.costs.lines:
        formulas.append(("cost line", line.id, line.amount, set(known)))
        if line.shows is not None and line.shows not in quantities:
            yield _at(
                kb,
                "cost line",
                line.id,
                "costs.yaml",
                f"cost line {line.id!r} shows unknown quantity {line.shows!r}",
            )
    for kind, item_id, amount, allowed in formulas:
        for formula in _formulas_of(amount):
            tree = parse(formula)
            for name in names(tree):
                if name not in known:
                    yield _at(
                        kb, kind, item_id, "costs.yaml", f"{kind} {item_id!r} uses unknown name {name!r}"
                    )
                elif name not in allowed:
                    yield _at(
                        kb,
                        kind,
                        item_id,
                        "costs.yaml",
                        f"{kind} {item_id!r} uses {name!r} before it is computed",
                    )
                elif known[name] == "assumption":
                    used_assumptions.add(name)
            for number in numbers(tree):
                if number not in (0.0, 1.0):
                    yield _at(
                        kb,
                        kind,
                        item_id,
                        "costs.yaml",
                        f"{kind} {item_id!r}: {number:g} is a bare number; name it as an assumption or a "
                        "constant and give its reason",
                    )
        if isinstance(amount, Table):
            yield from _check_table(kb, amount, kind, item_id)


def _formulas_of(amount: str | Table) -> list[str]:
    if isinstance(amount, str):
        return [amount]
    return [*amount.cases.values(), *([amount.default] if amount.default is not None else [])]


def _check_table(kb: KnowledgeBase, table: Table, kind: str, item_id: str) -> Iterator[Problem]:
    if table.by == APPROACH:
        values: set[str] = set(APPROACHES)
    else:
        question = kb.question.get(table.by)
        if question is None or not question.choices:
            yield _at(
                kb,
                kind,
                item_id,
                "costs.yaml",
                f"{kind} {item_id!r} chooses by {quoted(table.by)}, which is not a choice",
            )
            return
        values = {choice.value for choice in question.choices}
    for key in table.cases:
        if key not in values:
            yield _at(
                kb,
                kind,
                item_id,
                "costs.yaml",
                f"{kind} {item_id!r} has a case {quoted(key)} that {quoted(table.by)} never takes "
                f"(values: {', '.join(sorted(values))})",
            )


# --- scope and fidelity ---------------------------------------------------------------------------


def _scopes(kb: KnowledgeBase) -> Iterator[Problem]:
    """A claim about one approach is no reason for, nor cost of, another."""
    scoped = {claim.id: claim.scope for claim in kb.claims if claim.scope is not None}
    if not scoped:
        return
    for rule in kb.rules:
        favored = {effect.favor for effect in rule.effects if effect.favor is not None}
        for claim_id in rule.claims:
            scope = scoped.get(claim_id)
            if scope is not None and favored - {scope}:
                yield _at(
                    kb,
                    "rule",
                    rule.id,
                    "rules.yaml",
                    f"rule {rule.id!r} favors {', '.join(sorted(favored - {scope}))} citing {claim_id!r}, "
                    f"which is about {scope} only",
                )
    users: dict[str, set[str]] = {}
    for line in kb.costs.lines:
        for claim_id in line.claims:
            users.setdefault(claim_id, set()).update(line.approaches)
        for formula in _formulas_of(line.amount):
            for name in names(parse(formula)):
                assumption = kb.assumption.get(name)
                for claim_id in assumption.claims if assumption else ():
                    users.setdefault(claim_id, set()).update(line.approaches)
    for claim_id, approaches in users.items():
        scope = scoped.get(claim_id)
        if scope is not None and approaches - {scope}:
            yield _at(
                kb,
                "claim",
                claim_id,
                "claims.yaml",
                f"claim {claim_id!r} is about {scope} only, but a cost line of "
                f"{', '.join(sorted(approaches - {scope}))} cites it (directly or through an assumption)",
            )


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_HEDGES = (
    "about",
    "approximately",
    "around",
    "roughly",
    "nearly",
    "almost",
    "might",
    "may",
    "estimated",
    "some",
)


def _numbers_in(text: str) -> list[tuple[str, int]]:
    """Each number written in ``text`` (without thousands separators or trailing zeros), and where."""
    found = []
    for match in _NUMBER.finditer(text):
        digits = match.group(0).replace(",", "").rstrip(".")
        if "." in digits:
            digits = digits.rstrip("0").rstrip(".")
        found.append((digits, match.start()))
    return found


def _fidelity(kb: KnowledgeBase, claim: Claim) -> Iterator[Problem]:
    """The claim's text says no number its quote lacks, and no figure hedged in it is "exact"."""
    in_quote = {digits for digits, _ in _numbers_in(claim.quote)}
    for digits, _ in _numbers_in(claim.text):
        if digits not in in_quote:
            yield _at(
                kb,
                "claim",
                claim.id,
                "claims.yaml",
                f"claim {claim.id!r}: its text says {digits}, which its quote does not",
            )
    hedged_before: dict[str, bool] = {}
    lowered = claim.quote.casefold()
    for digits, where in _numbers_in(claim.quote):
        words = re.findall(r"[a-z]+", lowered[max(0, where - 30) : where])[-3:]
        hedged_before[digits] = hedged_before.get(digits, False) or any(word in _HEDGES for word in words)
    for index, figure in enumerate(claim.figures):
        if figure.qualifier != "exact":
            continue
        for amount in (figure.amount, figure.amount_high):
            if amount is None:
                continue
            written = [d for d in hedged_before if _same_amount(d, amount)]
            if any(hedged_before[d] for d in written):
                yield _at(
                    kb,
                    "claim",
                    claim.id,
                    "claims.yaml",
                    f"claim {claim.id!r}: figure {index} is hedged in its quote; "
                    "its qualifier cannot be exact",
                )
                break


def _same_amount(digits: str, amount: float) -> bool:
    """Whether ``digits`` as written ("4.6" of "$4.6 million", "1000") can stand for ``amount``."""
    value = float(digits)
    return any(abs(value * scale - amount) < 1e-9 * max(1.0, amount) for scale in (1, 1e3, 1e6, 1e9, 1e12))
