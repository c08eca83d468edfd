"""Loading a knowledge base: from the cache when it can, else safe YAML, schema and every cross-reference.

A knowledge base is a folder of YAML files (see ``FILES``) plus ``cases/``.
:func:`load_knowledge` reads them all, validates each against
:mod:`advisor.models` (:mod:`advisor.validation`), then checks what no single
file can (:mod:`advisor.references`): that ids are unique, that every cited
claim, source, assumption, field and value exists, and that every claim is
used by something. All problems are collected and raised together as one
:class:`KnowledgeError`, each naming its file and line.

Parsing and validating cost several times what the rest of ``advisor
recommend`` does, so a knowledge base that passed every check is cached as
JSON, and a cache hit builds it with :mod:`advisor.plain`: no YAML parsing, no
pydantic, and none of the modules above imported.

Checks that need the engine (the answer space, rules that never fire, the
cases) live in :mod:`advisor.checks`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from advisor import __version__, safeyaml
from advisor.errors import KnowledgeError, Problem, YamlError
from advisor.models import (
    AllOf,
    AnyOf,
    Approach,
    Assumption,
    Case,
    Claim,
    Condition,
    CostModel,
    FaqEntry,
    Index,
    Leaf,
    Not,
    Question,
    Rule,
    Source,
    Term,
)
from advisor.plain import Unfit, field_types, from_plain, to_plain

__all__ = [
    "FILES",
    "KnowledgeBase",
    "default_knowledge_dir",
    "iter_leaves",
    "load_cases",
    "load_knowledge",
]


FILES: dict[str, str] = {
    "index.yaml": "index",
    "sources.yaml": "sources",
    "claims.yaml": "claims",
    "approaches.yaml": "approaches",
    "questions.yaml": "questions",
    "rules.yaml": "rules",
    "costs.yaml": "costs",
    "glossary.yaml": "terms",
    "faq.yaml": "faq",
}
"""Every file of a knowledge base, and the part of :class:`KnowledgeBase` it holds.

``index.yaml`` and ``costs.yaml`` are an :class:`Index` and a :class:`CostModel`;
each other file holds its list under the part's name (``glossary.yaml``:
``terms: [...]``). :mod:`advisor.validation` has each file's type.
"""


# The names in these annotations are evaluated at run time too (advisor.plain.field_types,
# on a cache hit): they must stay imported in this module, not under TYPE_CHECKING.
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

    Parsing YAML with the pure-Python loader and validating it with pydantic
    cost several times what the rest of ``advisor recommend`` does, so a base
    that passed every check is kept as JSON in the user's cache folder, keyed
    by a hash of every file's bytes, the advisor's version and the source of
    the schema. A cache hit builds the knowledge base from that JSON without
    parsing or validating again (:mod:`advisor.plain`); an entry that does not
    fit is ignored. ``cache=False`` (``kb check``) always parses and validates.
    """
    directory = default_knowledge_dir() if directory is None else directory
    if not directory.is_dir():
        raise KnowledgeError(Problem("is not a folder", str(directory)))
    raw, problems = _read_files(directory)
    key = _cache_key(raw)
    if cache and not problems:
        cached = _from_cache(directory, key)
        if cached is not None:
            return cached
    kb = _parse(directory, raw, problems)
    if cache:
        _write_cache(key, kb)
    return kb


def _read_files(directory: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of every knowledge file, and what is wrong with the folder's files."""
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
    return raw, problems


def _parse(directory: Path, raw: dict[str, bytes], problems: list[Problem]) -> KnowledgeBase:
    """The slow path: parse and validate every file, then check the cross-references.

    Raises every problem found, the folder's (``problems``) included.
    """
    from advisor.references import cross_references
    from advisor.validation import ValidationError, describe_validation_error, id_lines, validate_file

    located: dict[str, safeyaml.Loaded] = {}
    for name, content in raw.items():
        try:
            located[name] = safeyaml.load(content, name=name)
        except YamlError as error:
            problems.extend(error.problems)
    if problems:
        raise KnowledgeError(problems)
    parts: dict[str, Any] = {}
    for name, part in FILES.items():
        try:
            parts[part] = validate_file(name, located[name].data)
        except ValidationError as error:
            problems.extend(describe_validation_error(error, located[name]))
    if problems:
        raise KnowledgeError(problems)
    kb = KnowledgeBase(directory=directory, lines=id_lines(located), **parts)
    problems.extend(cross_references(kb))
    if problems:
        raise KnowledgeError(problems)
    return kb


# --- the cache -------------------------------------------------------------------

_SCHEMA_SOURCES = ("models.py", "schema.py", "validation.py", "plain.py", "knowledge.py")
"""The advisor's files that decide what knowledge files load as, and how the cache holds them."""


def _cache_dir() -> Path:
    override = os.environ.get("ADVISOR_CACHE_DIR")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advisor"


def _cache_key(raw: dict[str, bytes]) -> str:
    """A hash of the knowledge files, and of everything that decides what they load as.

    The schema's source is part of it: in a source checkout the version stays
    the same while the schema changes, and an entry written before such a
    change (a new default, a tighter constraint) must not be trusted after it.
    """
    digest = hashlib.sha256(f"advisor {__version__}\n".encode())
    here = Path(__file__).parent
    for name in _SCHEMA_SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(f"{name} unreadable\n".encode())
    for name, content in sorted(raw.items()):
        digest.update(f"{name} {len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def _from_cache(directory: Path, key: str) -> KnowledgeBase | None:
    """The knowledge base cached under ``key``, or ``None`` when there is none or it does not fit."""
    try:
        text = (_cache_dir() / f"knowledge-{key}.json").read_text(encoding="utf-8")
        cached = json.loads(text)
        if not isinstance(cached, dict) or cached.get("key") != key:
            return None
        types = field_types(KnowledgeBase)
        parts = {part: from_plain(types[part], cached["parts"][part]) for part in FILES.values()}
        lines = _lines_from_plain(cached["lines"])
    except (OSError, RecursionError, Unfit, KeyError, TypeError, ValueError):
        return None  # no entry, or a damaged one: parse the files instead
    return KnowledgeBase(directory=directory, lines=lines, **parts)


def _lines_from_plain(data: Any) -> dict[tuple[str, str], int]:
    lines: dict[tuple[str, str], int] = {}
    for (kind, item_id), line in data:
        if not (isinstance(kind, str) and isinstance(item_id, str) and type(line) is int):
            raise Unfit(f"not a line number: {[kind, item_id, line]!r:.60}")
        lines[(kind, item_id)] = line
    return lines


def _write_cache(key: str, kb: KnowledgeBase) -> None:
    """Best effort: a read-only home or a full disk only costs speed."""
    import tempfile  # only on a cache miss: it costs a few milliseconds to import

    content = {
        "key": key,
        "parts": {part: to_plain(getattr(kb, part)) for part in FILES.values()},
        "lines": [[list(k), v] for k, v in kb.lines.items()],
    }
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
    from advisor.validation import ValidationError, describe_validation_error, validate

    problems: list[Problem] = []
    cases: list[tuple[str, Case]] = []
    for path in sorted((directory / "cases").glob("*")):
        name = f"cases/{path.name}"
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem("is not a .yaml file", name))
            continue
        try:
            loaded = safeyaml.load_path(path, name=name)
            cases.append((name, validate(Case, loaded.data)))
        except YamlError as error:
            problems.extend(error.problems)
        except ValidationError as error:
            problems.extend(describe_validation_error(error, loaded))
    if problems:
        raise KnowledgeError(problems)
    return cases


# --- walking conditions ----------------------------------------------------------


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


_WS = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space: how quotes are compared with sources."""
    return _WS.sub(" ", text).strip()
