"""``advisor kb check``: everything that can be wrong with a knowledge base.

Beyond loading (schema and cross-references, :mod:`advisor.kb`):

- every claim's quote is found verbatim, whitespace folded, in its source file;
- every point of the discretized answer space gets exactly one recommendation
  (no point where every approach is excluded);
- no rule can never fire;
- every case in ``cases/`` gets its expected approach (and cost, where given).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.answers import normalize
from advisor.errors import AnswersError, KnowledgeError, Problem
from advisor.kb import KnowledgeBase, load_cases, load_knowledge
from advisor.text import fold_whitespace

__all__ = ["CheckResult", "check_knowledge", "check_quotes", "explore_answer_space"]


@dataclass
class CheckResult:
    """What ``kb check`` found: counts for the summary, and problems."""

    kb: KnowledgeBase | None = None
    problems: list[Problem] = field(default_factory=list)
    points: int = 0
    cases: int = 0
    quotes_checked: int = 0
    wins: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_quotes(kb: KnowledgeBase, sources: Path) -> list[Problem]:
    """Each quote must appear in its source's file, with whitespace folded."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for source in kb.sources:
        path = sources / source.file
        try:
            texts[source.id] = fold_whitespace(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(
                Problem(
                    f"source {source.id!r}: its file {source.file!r} is not in {sources}",
                    "sources.yaml",
                    kb.lines.get(("source", source.id)),
                )
            )
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(f"source {source.id!r}: cannot read {path}: {error}", "sources.yaml"))
    for claim in kb.claims:
        text = texts.get(claim.source)
        if text is None:
            continue
        quote = fold_whitespace(claim.quote)
        if quote not in text:
            hint = _closest_hint(quote, text)
            problems.append(
                Problem(
                    f"claim {claim.id!r}: its quote is not in {kb.source[claim.source].file}{hint}",
                    "claims.yaml",
                    kb.lines.get(("claim", claim.id)),
                )
            )
    return problems


def _closest_hint(quote: str, text: str) -> str:
    """Where the quote stops matching: after its longest prefix found in the source,
    or (when the change is near its start) before its longest suffix."""
    prefix = _longest_found(len(quote), lambda n: quote[:n] in text)
    suffix = _longest_found(len(quote), lambda n: quote[len(quote) - n :] in text)
    if max(prefix, suffix) < 8:
        return ""
    if prefix >= suffix:
        where = text.index(quote[:prefix])
        found = text[where + prefix : where + prefix + 30]
        return f" (it matches up to {quote[max(0, prefix - 20) : prefix]!r}; the source goes on {found!r})"
    tail = quote[len(quote) - suffix :]
    where = text.index(tail)
    found = text[max(0, where - 30) : where]
    return f" (it matches from {tail[:20]!r} on; before that the source has {found!r})"


def _longest_found(limit: int, found: Callable[[int], bool]) -> int:
    """The largest n <= limit with found(n), for a property that holds up to some n."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if found(middle):
            low = middle
        else:
            high = middle - 1
    return low


def explore_answer_space(kb: KnowledgeBase) -> tuple[int, dict[str, int], list[Problem]]:
    """Decide every point of the discretized answer space; find gaps and dead rules."""
    from advisor.engine import Engine

    engine = Engine(kb)
    space = engine.answer_space()
    fields = list(space)
    seen_points: set[tuple[Any, ...]] = set()
    fired: set[str] = set()
    wins: dict[str, int] = {}
    problems: list[Problem] = []
    for combination in itertools.product(*(space[f] for f in fields)):
        values = engine.visible(dict(zip(fields, combination, strict=True)))
        key = tuple(values[f] for f in fields)
        if key in seen_points:
            continue
        seen_points.add(key)
        outcome = engine.outcome(values)
        fired.update(
            rule.id for rule, failure in zip(engine.rules, outcome.failures, strict=True) if failure is None
        )
        winner = outcome.winner
        if winner is None:
            if len(problems) < 5:
                shown = ", ".join(f"{f}={values[f]!r}" for f in fields)
                problems.append(Problem(f"every approach is excluded for {shown}", "rules.yaml"))
            continue
        wins[winner] = wins.get(winner, 0) + 1
    for rule in kb.rules:
        if rule.id not in fired:
            problems.append(
                Problem(
                    f"rule {rule.id!r} never fires for any answers; check its condition",
                    "rules.yaml",
                    kb.lines.get(("rule", rule.id)),
                )
            )
    return len(seen_points), wins, problems


def check_cases(kb: KnowledgeBase) -> tuple[int, list[Problem]]:
    """Every case must get its expected approach, and its documented cost within the factor."""
    from advisor.engine import Engine

    engine = Engine(kb)
    problems: list[Problem] = []
    cases = load_cases(kb.directory)
    for name, case in cases:
        try:
            normalized = normalize(case.answers, kb, name=name)
        except AnswersError as error:
            problems.extend(Problem(f"answers: {p.message}", name) for p in error.problems)
            continue
        decision = engine.decide(normalized.answers)
        expect = case.expect
        if decision.winner != expect.approach:
            problems.append(
                Problem(
                    f"recommends {decision.winner}, expected {expect.approach} "
                    f"(scores: {', '.join(f'{a} {s:g}' for a, s in decision.scores.items())})",
                    name,
                )
            )
            continue
        cost = decision.costs[decision.winner]
        if expect.total_usd is not None:
            midpoint = (cost.low + cost.high) / 2
            factor = max(midpoint / expect.total_usd, expect.total_usd / midpoint)
            if factor > expect.within_factor:
                problems.append(
                    Problem(
                        f"estimates ${cost.low:,.0f} to ${cost.high:,.0f}, more than a factor "
                        f"{expect.within_factor:g} from the documented ${expect.total_usd:,.0f}",
                        name,
                    )
                )
        if expect.fits_budget is not None:
            fits = cost.high <= normalized.answers.budget_usd
            if fits != expect.fits_budget:
                problems.append(
                    Problem(
                        f"fits_budget is {str(fits).lower()}, expected {str(expect.fits_budget).lower()}",
                        name,
                    )
                )
        for claim_id in case.claims:
            if claim_id not in kb.claim:
                problems.append(Problem(f"cites unknown claim {claim_id!r}", name))
    return len(cases), problems


def check_knowledge(directory: Path | None, sources: Path | None) -> CheckResult:
    """Run every check; never raises for a bad knowledge base (problems are returned)."""
    result = CheckResult()
    try:
        kb = load_knowledge(directory, use_cache=False)
    except KnowledgeError as error:
        result.problems.extend(error.problems)
        return result
    result.kb = kb
    if sources is not None:
        if not sources.is_dir():
            result.problems.append(Problem(f"--sources {sources} is not a folder"))
        else:
            result.problems.extend(check_quotes(kb, sources))
            result.quotes_checked = len(kb.claims)
    result.points, result.wins, problems = explore_answer_space(kb)
    result.problems.extend(problems)
    try:
        result.cases, problems = check_cases(kb)
        result.problems.extend(problems)
    except KnowledgeError as error:
        result.problems.extend(error.problems)
    return result
