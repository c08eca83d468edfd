"""``advisor kb check``: everything that can be wrong with a knowledge base.

Beyond loading (schema and cross-references, :mod:`advisor.kb`):

- every claim's quote is found verbatim, whitespace folded, in its source file;
- every point of the discretized answer space gets exactly one recommendation
  (no point where every approach is excluded);
- no rule can never fire;
- every case in ``cases/`` gets its expected approach (and cost, where given);
- every word of the glossary's jargon list that a question, a rule, a FAQ answer, a cost
  assumption or a case's text report uses has a glossary term (:mod:`advisor.kb.jargon`).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.answers import normalize
from advisor.errors import AnswersError, KnowledgeError, Problem
from advisor.files import NotARegularFile, read_bounded
from advisor.kb import KnowledgeBase, iter_leaves, load_cases, load_knowledge
from advisor.kb.fields import METHOD, MODEL_PARAMS
from advisor.kb.loader import default_knowledge_dir, unread_files
from advisor.kb.models import APPROACHES, CaseCost, Rule
from advisor.text import fold_whitespace

if TYPE_CHECKING:
    import datetime

    from advisor.conditions import Check
    from advisor.decision.engine import Engine
    from advisor.sweep import Sweep

__all__ = [
    "MAX_POINTS",
    "MAX_SOURCE_BYTES",
    "STALE_MONTHS",
    "CheckResult",
    "available_processors",
    "check_jargon",
    "check_knowledge",
    "check_quotes",
    "explore_answer_space",
    "load_checked",
    "sound_for_reports",
    "stale_prices",
]

STALE_MONTHS = 18
"""A dated price older than this many months gets a warning: check today's."""

MAX_POINTS = 1_000_000
"""The most points of the answer space the excluding rules may make: each is a few microseconds,
checked by ``kb check`` and at the first start of every reporting command on a new base."""


@dataclass
class CheckResult:
    """What ``kb check`` found: counts for the summary, and problems."""

    kb: KnowledgeBase | None = None
    problems: list[Problem] = field(default_factory=list)
    points: int = 0
    cases: int = 0
    quotes_checked: int = 0
    wins: dict[str, int] = field(default_factory=dict)
    """How many points of the answer space leave each approach open (not ruled out)."""
    sweep: Sweep | None = None
    task_words: int = 0
    task_families: int = 0
    """The words of task descriptions (``vocabulary.yaml``), and the families they stand in."""
    warnings: list[Problem] = field(default_factory=list)
    """What does not fail the check but deserves a look (prices older than 18 months)."""

    @property
    def ok(self) -> bool:
        return not self.problems


MAX_SOURCE_BYTES = 4 * 1024 * 1024
"""Largest source document read for its quotes (the documents are a few KiB each)."""


def check_quotes(kb: KnowledgeBase, sources: Path) -> list[Problem]:
    """Each quote must appear in its source's file, with whitespace folded."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for source in kb.sources:
        text, problem = _source_text(sources, source.file)
        if problem is not None:
            problems.append(
                Problem(
                    f"source {source.id!r}: its file {source.file!r} {problem}",
                    "sources.yaml",
                    kb.lines.get(("source", source.id)),
                )
            )
        elif text is not None:
            texts[source.id] = text
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


def _source_text(sources: Path, file: str) -> tuple[str | None, str | None]:
    """A source document's text, whitespace folded, or what stops it being read. The read is
    bounded and never blocks: a FIFO, a link to ``/dev/zero`` or a huge file is refused."""
    path = sources / file
    try:
        raw = read_bounded(path, MAX_SOURCE_BYTES)
    except FileNotFoundError:
        return None, f"is not in {sources}"
    except NotARegularFile:
        from advisor.kb.safeyaml import not_a_file

        return None, f"in {sources} " + not_a_file(path)
    except OSError as error:
        return None, f"cannot be read from {sources} ({error.strerror or error})"
    if len(raw) > MAX_SOURCE_BYTES:
        return (
            None,
            f"in {sources} is larger than {MAX_SOURCE_BYTES // 1024 // 1024} MiB; is it the document?",
        )
    try:
        return fold_whitespace(raw.decode("utf-8-sig")), None
    except UnicodeDecodeError as error:
        return None, f"in {sources} is not UTF-8 text (byte {error.start} cannot be decoded)"


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
    """The discretized answer space: no point where every approach is ruled out, and no rule
    that never fires. Costs do not enter: only the deciding rules can rule out.

    What is ruled out is read at every point of the space the excluding rules make (each
    choice, and both sides of each threshold they or a question's condition test); whether a
    rule fires, over the answers that decide what it reads, on both sides of its own
    thresholds. Neither grows with the thresholds of other rules: with many rules, each
    with a threshold of its own, the whole space would have millions of points."""
    from advisor.decision.engine import Engine

    engine = Engine(kb)
    points, open_, problems = _open_everywhere(engine)
    for compiled in engine.rules.compiled:
        if not compiled.advice and not _fires_somewhere(engine, compiled.rule, compiled.check):
            problems.append(
                Problem(
                    f"rule {compiled.rule.id!r} never fires for any answers; check its condition",
                    "rules.yaml",
                    kb.lines.get(("rule", compiled.rule.id)),
                )
            )
    return points, open_, problems


def _open_everywhere(engine: Engine) -> tuple[int, dict[str, int], list[Problem]]:
    """The points of the answer space the excluding rules make, how many leave each approach
    open, and (the first five of) those where every approach is ruled out."""
    kb = engine.kb
    excluding = [rule.when for rule in kb.rules if any(effect.exclude for effect in rule.effects)]
    space = engine.space.grid(excluding)
    # Only the answers the excluding rules read (and those that decide whether these are asked)
    # can change what they exclude; every other field is held at one value.
    tested = {leaf.field for condition in excluding for leaf in iter_leaves(condition)}
    if tested <= set(kb.question) | {MODEL_PARAMS, METHOD}:
        relevant = set(engine.space.sources(tested))
        space = {f: values if f in relevant else values[:1] for f, values in space.items()}
    fields = list(space)
    points = math.prod(len(values) for values in space.values())
    if points > MAX_POINTS:
        return 0, {}, [_too_many_points(points)]
    seen_points: set[tuple[Any, ...]] = set()
    open_: dict[str, int] = {}
    problems: list[Problem] = []
    for combination in itertools.product(*(space[f] for f in fields)):
        values = engine.space.visible(dict(zip(fields, combination, strict=True)))
        key = tuple(values[f] for f in fields)
        if key in seen_points:
            continue
        seen_points.add(key)
        excluded = engine.ruled_out(values)
        remaining = [a for a in APPROACHES if a not in excluded]
        if not remaining:
            if len(problems) < 5:
                shown = ", ".join(f"{f}={values[f]!r}" for f in fields)
                problems.append(Problem(f"every approach is excluded for {shown}", "rules.yaml"))
            continue
        for approach in remaining:
            open_[approach] = open_.get(approach, 0) + 1
    return len(seen_points), open_, problems


def _too_many_points(points: int) -> Problem:
    return Problem(
        f"the rules that exclude an approach split the answer space into {points:,} points, more "
        f"than the {MAX_POINTS:,} that can be checked for one left open; test fewer thresholds in "
        "rules that exclude (rules that favor may test any number)",
        "rules.yaml",
    )


def sound_for_reports(kb: KnowledgeBase) -> list[Problem]:
    """What every report needs of a knowledge base beyond loading it (which already refuses a
    cost line that can be negative, and a division by 0: :mod:`advisor.kb.intervals`): at
    least one approach left open at every point of the answer space. Tens of milliseconds,
    run only when a knowledge base is parsed (:func:`load_checked`), never on a cache hit."""
    from advisor.decision.engine import Engine

    points, _, problems = _open_everywhere(Engine(kb))
    if problems and points:  # points: the space was walked, and somewhere everything is excluded
        problems.append(
            Problem(
                "a report there would recommend an approach the rules exclude: let one approach stay "
                f"open, then run `advisor kb check --knowledge {kb.directory}` for every check",
                "rules.yaml",
            )
        )
    return problems


def load_checked(directory: Path | None = None) -> KnowledgeBase:
    """The knowledge base every command that reports uses: loaded, validated, and
    :func:`sound_for_reports`; a :class:`KnowledgeError` (exit 3) otherwise."""
    return load_knowledge(directory, verify=sound_for_reports)


def _fires_somewhere(engine: Engine, rule: Rule, check: Check | None) -> bool:
    """Whether ``rule`` fires for some answers: tried with every value of the questions that
    decide what it reads (on both sides of its own thresholds), the others left as they are."""
    if check is None:
        return True
    space = engine.space.grid([rule.when])
    fields = engine.space.sources(leaf.field for leaf in iter_leaves(rule.when))
    others = {field: options[0] for field, options in space.items()}
    for combination in itertools.product(*(space[f] for f in fields)):
        values = engine.space.visible({**others, **dict(zip(fields, combination, strict=True))})
        if check(engine.space.complete(values, engine.cost_model.defaults)) is None:
            return True
    return False


def check_cases(kb: KnowledgeBase) -> tuple[int, list[Problem]]:
    """Every case must get its expected approach, and the documents' cost on the categories it covers."""
    from advisor.decision.engine import Engine

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
            totals = ", ".join(f"{a} {decision.scores[a]:g}+{decision.levels[a]}" for a in decision.ranking)
            problems.append(
                Problem(f"recommends {decision.winner}, expected {expect.approach} ({totals})", name)
            )
            continue
        if expect.cost is not None:
            problems.extend(_case_cost(engine, decision, expect.cost, name))
        if expect.fits_budget is not None:
            fits = decision.levels[decision.winner] in ("fits", "tight")
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


def check_jargon(kb: KnowledgeBase) -> list[Problem]:
    """Every jargon word used by the knowledge base's texts, or by the text report of one of its
    cases, covered by a glossary term or alias (:func:`advisor.kb.jargon.uncovered_jargon`)."""
    from advisor.decision.engine import Engine
    from advisor.kb.jargon import uncovered_jargon
    from advisor.render import to_text
    from advisor.report import build_report

    if not kb.glossary.jargon:
        return []
    engine = Engine(kb)
    reports = []
    for name, case in load_cases(kb.directory):
        try:
            normalized = normalize(case.answers, kb, name=name)
        except AnswersError:
            continue  # check_cases says what is wrong with it
        text = to_text(build_report(kb, engine, normalized), ascii=True)
        reports.append(((f"the text report of case {name}", f"cases/{name}", None), text))
    return uncovered_jargon(kb, reports)


def _case_cost(engine: Any, decision: Any, expected: CaseCost, name: str) -> list[Problem]:
    """The estimate of exactly the categories the source's figure covers, within its factor."""
    from advisor.decision.estimates import Spread

    approach = expected.approach or decision.winner
    draws = engine.cost_model.draws(decision.assumed)
    amounts = engine.cost_model.category_amounts(approach, decision.values, draws)
    covered: Any = 0.0
    for category in expected.covers:
        covered = [
            a + b for a, b in zip(_vector(covered, engine), _vector(amounts[category], engine), strict=True)
        ]
    low_share, high_share = engine.cost_model.shares
    spread = Spread.of(covered, low_share, high_share)
    factor = expected.within_factor
    what = " + ".join(expected.covers)
    shown = (
        f"{what} of {approach} estimated ${spread.low:,.0f} to ${spread.high:,.0f} "
        f"(median ${spread.median:,.0f})"
    )
    if expected.usd is not None:
        ratio = (
            max(spread.median / expected.usd, expected.usd / spread.median) if spread.median > 0 else math.inf
        )
        if ratio > factor:
            return [
                Problem(
                    f"{shown}: more than a factor {factor:g} from the documented ${expected.usd:,.0f}", name
                )
            ]
        return []
    assert expected.low_usd is not None and expected.high_usd is not None
    middle = math.sqrt(expected.low_usd * expected.high_usd)
    ratio = max(spread.median / middle, middle / spread.median) if spread.median > 0 else math.inf
    apart = spread.high < expected.low_usd or spread.low > expected.high_usd
    if ratio > factor or apart:
        return [
            Problem(
                f"{shown}: its median is more than a factor {factor:g} from the middle of the documented "
                f"${expected.low_usd:,.0f} to ${expected.high_usd:,.0f}"
                + (", and the ranges do not meet" if apart else ""),
                name,
            )
        ]
    return []


def _vector(value: Any, engine: Any) -> list[float]:
    return list(value) if isinstance(value, list) else [float(value)] * engine.cost_model.count


def stale_prices(kb: KnowledgeBase, today: datetime.date | None = None) -> list[Problem]:
    """Dated assumptions older than :data:`STALE_MONTHS` months."""
    import datetime

    today = today or datetime.date.today()
    stale = []
    for assumption in kb.costs.assumptions:
        if assumption.as_of is None:
            continue
        year, month = (int(part) for part in assumption.as_of.split("-"))
        age = (today.year - year) * 12 + today.month - month
        if age > STALE_MONTHS:
            stale.append(
                Problem(
                    f"assumption {assumption.id!r} is from {assumption.as_of}, {age} months ago; check "
                    f"today's figures ({' '.join((assumption.reference or 'its reference').split())})",
                    "costs.yaml",
                    kb.lines.get(("assumption", assumption.id)),
                )
            )
    return stale


def available_processors() -> int:
    """The processors this process may run on: the sweep reads its grid on each."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def check_knowledge(directory: Path | None, sources: Path | None, *, with_sweep: bool = True) -> CheckResult:
    """Run every check; never raises for a bad knowledge base (problems are returned)."""
    result = CheckResult()
    try:
        kb = load_knowledge(directory, use_cache=False)
    except KnowledgeError as error:
        result.problems.extend(error.problems)
        return result
    result.kb = kb
    from advisor.kb.vocabulary import load_vocabulary

    try:
        vocabulary = load_vocabulary(directory or default_knowledge_dir(), use_cache=False)
    except KnowledgeError as error:
        result.problems.extend(error.problems)
    else:
        result.task_words = sum(len(family.words) for _, family in vocabulary.families)
        result.task_families = len(vocabulary.families)
    if sources is not None:
        if not sources.is_dir():
            result.problems.append(Problem(f"--sources {sources} is not a folder"))
        else:
            result.problems.extend(check_quotes(kb, sources))
            result.quotes_checked = len(kb.claims)
    result.points, result.wins, problems = explore_answer_space(kb)
    result.problems.extend(problems)
    if result.problems:
        return result
    try:
        result.cases, problems = check_cases(kb)
        result.problems.extend(problems)
        result.problems.extend(check_jargon(kb))
    except KnowledgeError as error:
        result.problems.extend(error.problems)
    result.warnings.extend(stale_prices(kb))
    result.warnings.extend(unread_files(directory or default_knowledge_dir()))
    if with_sweep:
        from advisor.sweep import FINDINGS, MAX_WIDTH, sweep

        result.sweep = sweep(kb, workers=available_processors())
        for finding, count in result.sweep.counts.items():
            if count:
                example = result.sweep.examples[finding]
                result.problems.append(
                    Problem(f"sweep: {count} profiles with {FINDINGS[finding]}; e.g. {example}")
                )
        if result.sweep.median_width > MAX_WIDTH:
            result.problems.append(
                Problem(
                    f"sweep: the recommended ranges are {result.sweep.median_width:.1f} times wide "
                    "at the median "
                    f"(at most {MAX_WIDTH:g}); narrow the assumptions' ranges where you can"
                )
            )
    return result
