"""Validation by pydantic, for files people write, and messages that say where they are wrong.

Pydantic's machinery costs more to import and to set up than everything else
``advisor recommend`` does, so no module imports this one at import time: the
knowledge loader imports it when it parses YAML (``kb check``, a cache miss).
Validators are built once per type, on first use.

The types are the stdlib dataclasses of :mod:`advisor.kb.models`;
:mod:`advisor.kb.schema` says how pydantic reads their constraints, unions and
aliases.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from advisor.errors import Problem
from advisor.kb import safeyaml
from advisor.kb.base import FILES
from advisor.kb.controls import find_controls, why_refused
from advisor.kb.models import Approach, Claim, CostModel, FaqEntry, Glossary, Index, Question, Rule, Source
from advisor.kb.schema import Strict, alias_of
from advisor.records import dataclass

__all__ = [
    "FILE_TYPES",
    "ValidationError",
    "adapter",
    "control_problems",
    "describe_validation_error",
    "id_lines",
    "validate",
    "validate_file",
]

T = TypeVar("T")

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(kind: type[T]) -> TypeAdapter[T]:
    """The validator of ``kind``, built on first use (building one costs tens of milliseconds)."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def validate(kind: type[T], data: Any) -> T:
    """``data`` (parsed YAML or JSON) as a ``kind``; raises :class:`ValidationError` with every problem."""
    return adapter(kind).validate_python(data)


# --- the knowledge files ------------------------------------------------------------
#
# Most knowledge files hold their part of the knowledge base under one key. The
# types of those files are here, not in advisor.kb.models, because only validating
# needs them: a cache hit builds the parts directly, and does not create seven
# more classes on every start.


@dataclass(frozen=True, slots=True, kw_only=True)
class _SourcesFile(Strict):
    """``sources.yaml``."""

    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _ClaimsFile(Strict):
    """``claims.yaml``."""

    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _ApproachesFile(Strict):
    """``approaches.yaml``."""

    approaches: tuple[Approach, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _QuestionsFile(Strict):
    """``questions.yaml``."""

    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _RulesFile(Strict):
    """``rules.yaml``."""

    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _FaqFile(Strict):
    """``faq.yaml``."""

    faq: tuple[FaqEntry, ...]


FILE_TYPES: dict[str, type[Any]] = {
    "index.yaml": Index,
    "sources.yaml": _SourcesFile,
    "claims.yaml": _ClaimsFile,
    "approaches.yaml": _ApproachesFile,
    "questions.yaml": _QuestionsFile,
    "rules.yaml": _RulesFile,
    "costs.yaml": CostModel,
    "glossary.yaml": Glossary,
    "faq.yaml": _FaqFile,
}
"""What each knowledge file must be: its part of the knowledge base (``index.yaml``,
``costs.yaml``, ``glossary.yaml``), or a mapping that holds the part under its name."""


def validate_file(name: str, data: Any) -> Any:
    """The part of the knowledge base (``FILES[name]``) that a parsed knowledge file holds.

    Raises :class:`ValidationError` with every problem.
    """
    validated = validate(FILE_TYPES[name], data)
    part = FILES[name]
    return validated if isinstance(validated, Index | CostModel | Glossary) else getattr(validated, part)


# --- messages ------------------------------------------------------------------


def _file_keys(name: str) -> tuple[str, ...]:
    """The top-level keys a knowledge file has, for messages about a file's shape."""
    kind = FILE_TYPES.get(name)
    return tuple(alias_of(field) for field in dataclasses.fields(kind)) if kind is not None else ()


_KIND_OF_LIST = {
    "sources": "source",
    "claims": "claim",
    "approaches": "approach",
    "questions": "question",
    "rules": "rule",
    "terms": "term",
    "faq": "faq entry",
    "assumptions": "assumption",
    "constants": "constant",
    "cited": "cited figure",
    "quantities": "quantity",
    "lines": "cost line",
}


def describe_validation_error(error: ValidationError, loaded: safeyaml.Loaded) -> list[Problem]:
    """One short problem per pydantic error: file, line, the item's id, and what is wrong.

    Values are truncated: a pydantic message would echo a whole hostile input.
    """
    problems = []
    by_place: dict[tuple[str | int, ...], list[str]] = {}
    items = error.errors(include_url=False, include_input=False)
    failing = [tuple(item["loc"]) for item in items if item["type"] != "too_short"]
    for item in items:
        if item["type"] == "too_short" and any(
            loc[: len(item["loc"])] == tuple(item["loc"]) and len(loc) > len(item["loc"]) for loc in failing
        ):
            continue  # the list is not empty: one of its items is wrong, and says so
        if not item["loc"] and not isinstance(loaded.data, dict):
            expected = next(iter(_file_keys(loaded.name)), None)
            if loaded.data is None:
                message = "is empty"
            else:
                message = f"must be a mapping, not a {type(loaded.data).__name__}"
            if expected:
                message += f"; it starts with `{expected}:`"
            problems.append(Problem(message, loaded.name, 1))
            continue
        loc = _data_path(loaded.data, tuple(item["loc"]))
        if loc in by_place:
            by_place[loc].append(_plain_message(item))  # another member of a union it fits neither
            continue
        by_place[loc] = [_plain_message(item)]
    for loc, messages in by_place.items():
        what = _where_in_file(loaded.data, loc)
        message = _either(messages)
        text = f"{what}: {message}" if what else message
        problems.append(Problem(text, loaded.name, loaded.line_of(loc)))
    return problems


def control_problems(loaded: safeyaml.Loaded) -> list[Problem]:
    """One problem for each text of a parsed file that holds a character a terminal would obey
    (:mod:`advisor.kb.controls`): where it is, which character (named, never shown), the fix."""
    problems = []
    for loc, in_key, index, character in find_controls(loaded.data):
        what = _where_in_file(loaded.data, loc[:-1] if in_key else loc)
        what_character, why = why_refused(character)
        text = (
            f"{'a key holds' if in_key else 'holds'} {what_character} at "
            f"character {index + 1}, {why}; delete it"
        )
        problems.append(Problem(f"{what}: {text}" if what else text, loaded.name, loaded.line_of(loc)))
    return problems


def _either(messages: list[str]) -> str:
    """``input should be a valid number`` and ``input should be a valid string`` ->
    ``input should be a valid number or a valid string``."""
    first, *others = list(dict.fromkeys(messages))
    prefix = "input should be "
    if first.startswith(prefix) and all(other.startswith(prefix) for other in others):
        return " or ".join([first, *(other.removeprefix(prefix) for other in others)])
    return "; or ".join([first, *others])


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
        elif isinstance(part, int):
            break
        elif not isinstance(node, dict) or part in ("leaf", "all", "any", "not"):
            continue  # a union's member ("float", "str", "Table") or tag: not a key of the file
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
    if kind == "unexpected_keyword_argument":  # pydantic's word for a key a dataclass does not have
        return "is not a known field (check its spelling)"
    if kind == "missing":
        return "is required but missing"
    message = str(item["msg"])
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def id_lines(located: dict[str, safeyaml.Loaded]) -> dict[tuple[str, str], int]:
    """(kind, id) -> the line of the item, e.g. ("rule", "tight-budget") -> 40: for messages."""
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
                if key == "jargon" and isinstance(item, str):  # a word of the glossary's jargon list
                    line = loaded.line_of((key, index))
                    if line is not None:
                        lines.setdefault(("jargon", item), line)
                    continue
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, str):
                    line = loaded.line_of((key, index))
                    if line is not None:
                        lines.setdefault((str(kind), item_id), line)
    return lines
