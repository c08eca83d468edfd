"""Loading a knowledge base: safe YAML, schema, and every cross-reference.

A knowledge base is a folder of YAML files (see ``FILES``) plus ``cases/``.
:func:`load_knowledge` reads them all, validates each against
:mod:`advisor.models`, then checks what no single file can: that ids are
unique, that every cited claim, source, assumption, field and value exists,
and that every claim is used by something. All problems are collected and
raised together as one :class:`KnowledgeError`, each naming its file and line.

Checks that need the engine (the answer space, rules that never fire, the
cases) live in :mod:`advisor.checks`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor import __version__, safeyaml
from advisor.errors import KnowledgeError, Problem, YamlError, quoted
from advisor.models import (
    APPROACHES,
    AllOf,
    AnswerFactor,
    AnyOf,
    Approach,
    Assumption,
    AssumptionFactor,
    ByFactor,
    Case,
    Claim,
    ClaimFactor,
    Condition,
    CostModel,
    Factor,
    FaqEntry,
    Index,
    Leaf,
    Not,
    Question,
    Rule,
    Source,
    Strict,
    Term,
)

__all__ = [
    "FILES",
    "KnowledgeBase",
    "default_knowledge_dir",
    "describe_validation_error",
    "iter_leaves",
    "load_cases",
    "load_knowledge",
]


class _IndexFile(Index):
    pass


class _SourcesFile(Strict):
    sources: tuple[Source, ...]


class _ClaimsFile(Strict):
    claims: tuple[Claim, ...]


class _ApproachesFile(Strict):
    approaches: tuple[Approach, ...]


class _QuestionsFile(Strict):
    questions: tuple[Question, ...]


class _RulesFile(Strict):
    rules: tuple[Rule, ...]


class _GlossaryFile(Strict):
    terms: tuple[Term, ...]


class _FaqFile(Strict):
    faq: tuple[FaqEntry, ...]


FILES: dict[str, type[BaseModel]] = {
    "index.yaml": _IndexFile,
    "sources.yaml": _SourcesFile,
    "claims.yaml": _ClaimsFile,
    "approaches.yaml": _ApproachesFile,
    "questions.yaml": _QuestionsFile,
    "rules.yaml": _RulesFile,
    "costs.yaml": CostModel,
    "glossary.yaml": _GlossaryFile,
    "faq.yaml": _FaqFile,
}
"""Every file of a knowledge base and the model its content must match."""


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
    terms: tuple[Term, ...]
    faq: tuple[FaqEntry, ...]
    lines: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)
    """(kind, id) -> line, e.g. ("rule", "tight-budget") -> 40: for messages."""

    @property
    def version(self) -> str:
        return self.index.version

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


def default_knowledge_dir() -> Path:
    """The bundled knowledge base: inside the package when installed from a
    wheel, beside the package in a source checkout or an editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "knowledge", here.parent / "knowledge"):
        if (candidate / "index.yaml").is_file():
            return candidate
    raise KnowledgeError(
        Problem(
            "the bundled knowledge base is missing; reinstall the package, "
            "or point --knowledge at a knowledge folder"
        )
    )


def load_knowledge(directory: Path | None = None, *, cache: bool = True) -> KnowledgeBase:
    """Load and validate the knowledge base in ``directory`` (the bundled one by default).

    Parsing YAML with the pure-Python loader is most of the cost of loading
    (about 100 ms for the bundled base), so the parsed data of a base that
    validated is kept in a JSON file in the user's cache folder, keyed by a
    hash of every file's bytes and the advisor's version. It is plain data,
    validated again on every load; ``cache=False`` (``kb check``) always parses.
    """
    directory = default_knowledge_dir() if directory is None else directory
    if not directory.is_dir():
        raise KnowledgeError(Problem("is not a folder", str(directory)))
    problems: list[Problem] = []
    for name in sorted(p.name for p in directory.glob("*.y*ml")):
        if name not in FILES:
            problems.append(Problem(f"is not a knowledge file (expected one of: {', '.join(FILES)})", name))
    raw: dict[str, bytes] = {}
    for name in FILES:
        try:
            with (directory / name).open("rb") as handle:
                raw[name] = handle.read(safeyaml.MAX_BYTES + 1)
        except FileNotFoundError:
            problems.append(Problem("is missing from the knowledge base", name))
        except OSError as error:
            problems.append(Problem(f"cannot be read ({error.strerror or error})", name))
    key = _cache_key(raw)
    cached = _read_cache(key) if cache and not problems else None
    if cached is not None:
        try:
            return _build(directory, cached["data"], {tuple(k): v for k, v in cached["lines"]}, None)
        except (KnowledgeError, ValidationError, KeyError, TypeError, ValueError):
            pass  # a stale or damaged cache: parse the files instead
    located: dict[str, safeyaml.Loaded] = {}
    for name, content in raw.items():
        try:
            located[name] = safeyaml.load(content, name=name)
        except YamlError as error:
            problems.extend(error.problems)
    if problems:
        raise KnowledgeError(problems)
    data = {name: loaded.data for name, loaded in located.items()}
    kb = _build(directory, data, _id_lines(located), located)
    if cache:
        _write_cache(key, {"data": data, "lines": [[list(k), v] for k, v in kb.lines.items()]})
    return kb


def _build(
    directory: Path,
    data: dict[str, Any],
    lines: dict[tuple[str, str], int],
    located: dict[str, safeyaml.Loaded] | None,
) -> KnowledgeBase:
    """Validate parsed files into a knowledge base, or raise every problem found."""
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for name, model in FILES.items():
        try:
            parsed[name] = model.model_validate(data[name])
        except ValidationError as error:
            if located is None:
                raise
            problems.extend(describe_validation_error(error, located[name]))
    if problems:
        raise KnowledgeError(problems)
    costs = parsed["costs.yaml"]
    assert isinstance(costs, CostModel)
    kb = KnowledgeBase(
        directory=directory,
        index=parsed["index.yaml"],
        sources=parsed["sources.yaml"].sources,
        claims=parsed["claims.yaml"].claims,
        approaches=parsed["approaches.yaml"].approaches,
        questions=parsed["questions.yaml"].questions,
        rules=parsed["rules.yaml"].rules,
        costs=costs,
        terms=parsed["glossary.yaml"].terms,
        faq=parsed["faq.yaml"].faq,
        lines=lines,
    )
    problems = list(_cross_references(kb))
    if problems:
        raise KnowledgeError(problems)
    return kb


def _cache_dir() -> Path:
    override = os.environ.get("ADVISOR_CACHE_DIR")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advisor"


def _cache_key(raw: dict[str, bytes]) -> str:
    digest = hashlib.sha256(f"advisor {__version__}\n".encode())
    for name, content in sorted(raw.items()):
        digest.update(f"{name} {len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def _read_cache(key: str) -> dict[str, Any] | None:
    try:
        text = (_cache_dir() / f"knowledge-{key}.json").read_text(encoding="utf-8")
        cached = json.loads(text)
    except (OSError, ValueError):
        return None
    return cached if isinstance(cached, dict) else None


def _write_cache(key: str, content: dict[str, Any]) -> None:
    """Best effort: a read-only home or a full disk only costs speed."""
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".knowledge-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file, separators=(",", ":"))
        Path(temporary).replace(folder / f"knowledge-{key}.json")
    except (OSError, TypeError, ValueError):
        return


def load_cases(directory: Path) -> list[tuple[str, Case]]:
    """The cases under ``directory/cases``, validated (their answers are checked by the engine)."""
    problems: list[Problem] = []
    cases: list[tuple[str, Case]] = []
    for path in sorted((directory / "cases").glob("*")):
        name = f"cases/{path.name}"
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem("is not a .yaml file", name))
            continue
        try:
            loaded = safeyaml.load_path(path, name=name)
            cases.append((name, Case.model_validate(loaded.data)))
        except YamlError as error:
            problems.extend(error.problems)
        except ValidationError as error:
            problems.extend(describe_validation_error(error, loaded))
    if problems:
        raise KnowledgeError(problems)
    return cases


# --- messages ------------------------------------------------------------------

FILE_KEYS: dict[str, tuple[str, ...]] = {name: tuple(model.model_fields) for name, model in FILES.items()}
"""The top-level keys each knowledge file has, for messages about a file's shape."""

_KIND_OF_LIST = {
    "sources": "source",
    "claims": "claim",
    "approaches": "approach",
    "questions": "question",
    "rules": "rule",
    "terms": "term",
    "faq": "faq entry",
    "assumptions": "assumption",
    "lines": "cost line",
}


def describe_validation_error(error: ValidationError, loaded: safeyaml.Loaded) -> list[Problem]:
    """One short problem per pydantic error: file, line, the item's id, and what is wrong.

    Values are truncated: a pydantic message would echo a whole hostile input.
    """
    problems = []
    items = error.errors(include_url=False, include_input=False)
    failing = [tuple(item["loc"]) for item in items if item["type"] != "too_short"]
    for item in items:
        if item["type"] == "too_short" and any(
            loc[: len(item["loc"])] == tuple(item["loc"]) and len(loc) > len(item["loc"]) for loc in failing
        ):
            continue  # the list is not empty: one of its items is wrong, and says so
        if not item["loc"] and not isinstance(loaded.data, dict):
            expected = next(iter(FILE_KEYS.get(loaded.name, ())), None)
            if loaded.data is None:
                message = "is empty"
            else:
                message = f"must be a mapping, not a {type(loaded.data).__name__}"
            if expected:
                message += f"; it starts with `{expected}:`"
            problems.append(Problem(message, loaded.name, 1))
            continue
        loc = _data_path(loaded.data, tuple(item["loc"]))
        what = _where_in_file(loaded.data, loc)
        message = _plain_message(item)
        text = f"{what}: {message}" if what else message
        problems.append(Problem(text, loaded.name, loaded.line_of(loc)))
    return problems


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop the union tags pydantic inserts into ``loc`` (``when.all.all.0.leaf.field``)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "in_" and "in" in node:
            path.append("in")
            node = node["in"]
        elif not isinstance(node, dict | list) or isinstance(part, int):
            break
        elif part in ("leaf", "all", "any", "not", "claim", "assumption", "answer", "by"):
            continue
        else:
            path.append(part)
            break
    return tuple(path)


def _where_in_file(data: Any, loc: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    node = data
    for index, part in enumerate(loc):
        child = node[part] if isinstance(node, dict | list) and _has(node, part) else None  # type: ignore[index]
        if isinstance(part, int):
            label = _KIND_OF_LIST.get(str(loc[index - 1]) if index else "", "item")
            if isinstance(child, dict) and isinstance(child.get("id"), str):
                parts = [f"{label} {child['id'][:60]!r}"]
            else:
                parts.append(f"[{part}]")
        else:
            name = str(part) if len(str(part)) <= 40 else str(part)[:37] + "..."
            parts.append(f".{name}" if parts else name)
        node = child
    return "".join(parts).replace(" .", " ").replace("'.", "' ")


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(part, int) and 0 <= part < len(node)


def _plain_message(item: Any) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        return "is not a known field (check its spelling)"
    if kind == "missing":
        return "is required but missing"
    message = str(item["msg"])
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


# --- cross-references ------------------------------------------------------------


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


def _iter_factors(factors: Iterable[Factor]) -> Iterator[Factor]:
    for factor in factors:
        yield factor
        if isinstance(factor, ByFactor):
            for case in factor.cases.values():
                yield from _iter_factors(case)
            yield from _iter_factors(factor.default or ())


def _id_lines(located: dict[str, safeyaml.Loaded]) -> dict[tuple[str, str], int]:
    lines: dict[tuple[str, str], int] = {}
    for loaded in located.values():
        data = loaded.data
        if not isinstance(data, dict):
            continue
        for key, items in data.items():
            top = loaded.line_of((key,))
            if top is not None:
                lines[(loaded.name.removesuffix(".yaml"), str(key))] = top
            if not isinstance(items, list):
                continue
            kind = _KIND_OF_LIST.get(key, key)
            for index, item in enumerate(items):
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, str):
                    line = loaded.line_of((key, index))
                    if line is not None:
                        lines.setdefault((str(kind), item_id), line)
    return lines


def _cross_references(kb: KnowledgeBase) -> Iterator[Problem]:
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
    for question in kb.questions:
        for leaf in iter_leaves(question.ask_when):
            yield from _check_leaf(kb, leaf, "question", question.id, "questions.yaml")
        values = [choice.value for choice in question.choices]
        if len(set(values)) != len(values):
            yield at(
                "question",
                question.id,
                "questions.yaml",
                f"question {question.id!r} repeats a choice",
            )
    required = {"task", "labels", "labeled_examples", "model_size", "budget_usd"}
    absent = required - set(kb.question)
    if absent:
        yield Problem(f"questions missing: {', '.join(sorted(absent))}", "questions.yaml")

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
                pass
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


_WS = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space: how quotes are compared with sources."""
    return _WS.sub(" ", text).strip()
