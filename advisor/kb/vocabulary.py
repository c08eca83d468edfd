"""The words of tasks (``vocabulary.yaml``): what a description says the model must produce, from what.

The vocabulary is read only where a task description is read, never on the way to a
report: :func:`load_vocabulary` reads the file on first use and keeps the result for the
process. Parsing and checking it (YAML, pydantic) costs some 150 ms, so a vocabulary that
passed is kept as JSON in the user's cache folder, keyed as the knowledge cache is
(:func:`advisor.kb.cache.cache_key`: the advisor's version, this package's source, the
file's bytes) and the lemmatiser's source; the next process builds it from that JSON in a
millisecond. ``kb check`` always parses, and checks it with the other files.

Beyond its schema (values of ``output``, ``data`` and ``domain`` from the answers' fields,
unknown keys refused, each problem with its line), a word may stand in one family only:
two families that both claim "scans" (after lemmatising, :func:`advisor.text.lemma`) would
make the reading depend on their order, so the second is refused with both lines.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from advisor.errors import KnowledgeError, Problem
from advisor.files import NotARegularFile, read_bounded
from advisor.kb.schema import Strict
from advisor.text import lemmas

__all__ = [
    "DATA",
    "DOMAINS",
    "FILE",
    "OUTPUTS",
    "Ask",
    "Family",
    "Precedence",
    "TaskVocabulary",
    "load_vocabulary",
]

FILE = "vocabulary.yaml"
"""The file's name in a knowledge folder."""

Output = Literal[
    "category",
    "extraction",
    "generation",
    "document-qa",
    "number",
    "ranking",
    "transcription",
    "captioning",
    "segmentation",
]
Data = Literal["text", "images", "audio", "video", "tables", "time-series", "code", "mixed"]
Domain = Literal["medical", "legal", "financial", "scientific"]

OUTPUTS: tuple[str, ...] = get_args(Output)
DATA: tuple[str, ...] = get_args(Data)
DOMAINS: tuple[str, ...] = get_args(Domain)

_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Family(Strict):
    """Words that say one thing about a task: an output, a kind of data, a domain."""

    words: tuple[str, ...] = field(metadata={"min_length": 1})
    output: Output | tuple[Output, ...] | None = None
    """One output, or the choices a practitioner asks when the words leave it open."""
    by_data: dict[Data, Output] = field(default_factory=dict)
    """The output instead, by the kind of data read ("find" in photos: segmentation)."""
    data: Data | tuple[Data, ...] | None = None
    """One kind of data, or the choices asked; in ``outputs``, what the output implies."""
    domain: Domain | None = None
    likely: tuple[Output, ...] = ()
    """The outputs asked about when no word of the line says what to produce."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Precedence(Strict):
    """Of two values read in one line, the more specific one wins (``generation`` yields to
    ``captioning``: a report written from an image is a caption)."""

    field: Literal["output", "data"]
    value: str
    yields_to: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Ask(Strict):
    """The choices of a clarifying question, when nothing in a line decides."""

    output: tuple[Output, ...]
    data: dict[Output, tuple[Data, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskVocabulary(Strict):
    """``vocabulary.yaml``, validated."""

    negations: tuple[str, ...] = ()
    plain_words: tuple[str, ...] = ()
    ask: Ask
    precedence: tuple[Precedence, ...] = ()
    outputs: tuple[Family, ...]
    data: tuple[Family, ...]
    domains: tuple[Family, ...]

    @property
    def families(self) -> tuple[tuple[str, Family], ...]:
        """Every family with the section it is in (``outputs``, ``data``, ``domains``)."""
        return tuple(
            (section, family)
            for section in ("outputs", "data", "domains")
            for family in getattr(self, section)
        )


_LOADED: dict[tuple[str, str], TaskVocabulary] = {}


def load_vocabulary(directory: Path, *, use_cache: bool = True) -> TaskVocabulary:
    """The vocabulary of the knowledge folder ``directory``, checked: read once per process and
    content, from the cache when it can (``use_cache=False``: always parsed, for ``kb check``).
    Raises :class:`KnowledgeError` with every problem, each naming file and line."""
    path = directory / FILE
    raw = _read(path)
    memo = (str(path.resolve()), hashlib.sha256(raw).hexdigest())
    found = _LOADED.get(memo) if use_cache else None
    if found is None:
        key = _cache_key(raw)
        found = _cached(key) if use_cache else None
        if found is None:
            found = _parse(raw)
            if use_cache:
                _keep(key, found)
        _LOADED.clear()
        _LOADED[memo] = found
    return found


# --- the cache ---------------------------------------------------------------------------------

_KEEP = 4
"""Cached vocabularies kept after a write (the newest)."""


def _cache_key(raw: bytes) -> str:
    from advisor import text
    from advisor.kb.cache import cache_key

    try:
        lemmatiser = read_bounded(Path(text.__file__), _MAX_BYTES)
    except OSError:
        lemmatiser = b"unreadable"
    return cache_key({FILE: raw, "advisor/text.py": lemmatiser})


def _entry(key: str) -> Path:
    from advisor.locations import cache_dir

    return cache_dir() / f"vocabulary-{key}.json"


def _cached(key: str) -> TaskVocabulary | None:
    """The vocabulary kept under ``key``, or ``None`` (none, damaged, or not of this shape)."""
    from advisor.kb.plain import Unfit, from_plain

    try:
        checksum, _, payload = read_bounded(_entry(key), 4 * _MAX_BYTES).partition(b"\n")
        if checksum.decode("ascii") != hashlib.sha256(payload).hexdigest():
            return None
        return from_plain(TaskVocabulary, json.loads(payload))
    except (OSError, RecursionError, Unfit, TypeError, ValueError):
        return None


def _keep(key: str, vocabulary: TaskVocabulary) -> None:
    """Best effort: a read-only home or a full disk only costs speed."""
    from advisor.files import write_atomically
    from advisor.kb.plain import to_plain

    with contextlib.suppress(OSError, TypeError, ValueError):
        payload = json.dumps(to_plain(vocabulary), separators=(",", ":"), allow_nan=False)
        entry = _entry(key)
        write_atomically(entry, f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}", parents=True)
        entries = sorted(
            entry.parent.glob("vocabulary-*.json"), key=lambda path: path.lstat().st_mtime, reverse=True
        )
        for old in entries[_KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()


def _read(path: Path) -> bytes:
    try:
        return read_bounded(path, _MAX_BYTES)
    except FileNotFoundError:
        raise KnowledgeError(Problem("is missing from the knowledge base", FILE)) from None
    except NotARegularFile:
        from advisor.kb.safeyaml import not_a_file

        raise KnowledgeError(Problem(not_a_file(path), FILE)) from None
    except OSError as error:
        raise KnowledgeError(Problem(f"cannot be read ({error.strerror or error})", FILE)) from None


def _parse(raw: bytes) -> TaskVocabulary:
    from advisor.errors import YamlError
    from advisor.kb import safeyaml
    from advisor.kb.validation import ValidationError, control_problems, describe_validation_error, validate

    try:
        loaded = safeyaml.load(raw, name=FILE, fast=True)
    except YamlError as error:
        raise KnowledgeError(list(error.problems)) from None
    problems = control_problems(loaded)
    if problems:
        raise KnowledgeError(problems)
    try:
        vocabulary = validate(TaskVocabulary, loaded.data)
    except ValidationError as error:
        raise KnowledgeError(describe_validation_error(error, loaded)) from None
    problems = _repeated_words(vocabulary, loaded)
    if problems:
        raise KnowledgeError(problems)
    return vocabulary


def _repeated_words(vocabulary: TaskVocabulary, loaded: Any) -> list[Problem]:
    """A word (by its lemmas) in two families, or twice in one: refused with both lines."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], tuple[str, int, int | None]] = {}
    """A word's lemmas -> the family, position and line it was first met at."""
    for section in ("outputs", "data", "domains"):
        for index, family in enumerate(getattr(vocabulary, section)):
            name = f"{section}[{index}]"
            for position, word in enumerate(family.words):
                line = loaded.line_of((section, index, "words", position))
                key = lemmas(word)
                if not key:
                    problems.append(Problem(f"{name}: {word!r} has no word in it", FILE, line))
                    continue
                earlier = seen.setdefault(key, (name, position, line))
                if earlier[:2] == (name, position):
                    continue
                where = "this family" if earlier[0] == name else f"{earlier[0]} (line {earlier[2]})"
                message = f"{word!r} is already a word of {where}; a word stands in one family only"
                problems.append(Problem(f"{name}: {message}", FILE, line))
    return problems
