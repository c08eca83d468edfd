"""Loading a knowledge base: from the cache when it can, else safe YAML, schema and every cross-reference.

A knowledge base is a folder of YAML files (:data:`~advisor.kb.base.FILES`)
plus ``cases/``; a file named almost like one of them (``Rules.YAML``,
``rules.yml``) is refused rather than silently ignored. :func:`load_knowledge`
reads them all, refuses any text a terminal would obey
(:mod:`advisor.kb.controls`), validates each file against its schema
(:mod:`advisor.kb.validation`), then checks what no single file can
(:mod:`advisor.kb.references`): that ids are unique, that every cited claim,
source, assumption, field and value exists, and that every claim is used. All
problems are collected and raised together as one :class:`KnowledgeError`,
each naming its file and line.

A base that passed every check is cached (:mod:`advisor.kb.cache`); a cache
hit imports neither pydantic, nor the checking modules, nor the YAML parser. Checks that need the
engine (the answer space, rules that never fire, the cases) live in
:mod:`advisor.checks`; the one every report needs is passed in as ``verify``, and a
base is cached only once it passed it. Every file is read bounded and without blocking.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.errors import KnowledgeError, Problem, YamlError
from advisor.files import NotARegularFile, read_bounded
from advisor.kb import cache
from advisor.kb.base import FILES, KnowledgeBase
from advisor.kb.models import Case

__all__ = [
    "MAX_FILE_BYTES",
    "READ_WHEN_USED",
    "Verify",
    "default_knowledge_dir",
    "load_cases",
    "load_knowledge",
    "unread_files",
]

READ_WHEN_USED = ("vocabulary.yaml",)
"""Knowledge files read only by what uses them, never on the way to a report (the words of task
descriptions: :mod:`advisor.kb.vocabulary`); ``kb check`` checks them with the others."""

MAX_FILE_BYTES = 1024 * 1024
"""Largest knowledge file read (``safeyaml.MAX_BYTES``, which a test holds equal). Named here
so that a cache hit reads the files without importing the YAML parser at all."""


def default_knowledge_dir() -> Path:
    """The bundled knowledge base: inside the package when installed from a
    wheel, beside the package in a source checkout or an editable install."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "knowledge", package.parent / "knowledge"):
        if (candidate / "index.yaml").is_file():
            return candidate
    raise KnowledgeError(
        Problem(
            "the bundled knowledge base is missing; reinstall the package, "
            "or point --knowledge at a knowledge folder"
        )
    )


Verify = Callable[[KnowledgeBase], list[Problem]]
"""A check beyond loading, run on a freshly parsed base before it is cached (the checks that
need the engine live above this package: :func:`advisor.checks.sound_for_reports`)."""


def load_knowledge(
    directory: Path | None = None, *, use_cache: bool = True, verify: Verify | None = None
) -> KnowledgeBase:
    """Load and validate the knowledge base in ``directory`` (the bundled one by default).

    ``use_cache=False`` (``kb check``) always parses and validates. ``verify``, when given, is
    run on a base just parsed and its problems raised with the others; the cache keeps a
    verified base apart from one that was not, so a hit is as checked as a parse.
    """
    directory = default_knowledge_dir() if directory is None else directory
    if not directory.is_dir():
        raise KnowledgeError(Problem("is not a folder", str(directory)))
    raw, problems = _read_files(directory)
    verified_by = "" if verify is None else f"{verify.__module__}.{verify.__qualname__}"
    key = cache.cache_key(raw, verified_by)
    if use_cache and not problems:
        cached = cache.read(directory, key)
        if cached is not None:
            return cached
    kb = _parse(directory, raw, problems)
    if verify is not None:
        problems.extend(verify(kb))
        if problems:
            raise KnowledgeError(problems)
    if use_cache:
        cache.write(key, kb)
    return kb


def _read_files(directory: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of every knowledge file, and what is wrong with the folder's files."""
    problems = _unread(directory)[0]
    raw: dict[str, bytes] = {}
    for name in FILES:
        try:
            raw[name] = read_bounded(directory / name, MAX_FILE_BYTES)
        except FileNotFoundError:
            problems.append(Problem("is missing from the knowledge base", name))
        except NotARegularFile:
            from advisor.kb.safeyaml import not_a_file

            problems.append(Problem(not_a_file(directory / name), name))
        except OSError as error:
            problems.append(Problem(f"cannot be read ({error.strerror or error})", name))
    return raw, problems


_YAML_SUFFIXES = (".yaml", ".yml")


def _unread(directory: Path) -> tuple[list[Problem], list[Problem]]:
    """The folder's entries that the loader does not read: those named like a knowledge file or
    like ``cases`` but not exactly (surely meant to be read: a problem), and any others (for
    ``kb check`` to mention). Hidden entries (``.git``, ``.editorconfig``) are left alone."""
    misnamed: list[Problem] = []
    others: list[Problem] = []
    try:
        names = sorted(path.name for path in directory.iterdir())
    except OSError:
        return misnamed, others  # reading the files will say what is wrong
    for name in names:
        if name in FILES or name in READ_WHEN_USED or name == "cases" or name.startswith("."):
            continue
        folded = name.casefold()
        stem = next((folded[: -len(s)] for s in _YAML_SUFFIXES if folded.endswith(s)), None)
        meant = None
        if folded == "cases":
            meant = "cases"
        elif stem is not None and (f"{stem}.yaml" in FILES or f"{stem}.yaml" in READ_WHEN_USED):
            meant = f"{stem}.yaml"
        if meant is not None:
            if _same_entry(directory / name, directory / meant):
                continue  # a file system that ignores case reads it under its right name
            fix = (
                f"merge it into {meant}, or remove it"
                if (directory / meant).exists()
                else f"rename it to {meant}"
            )
            why = (
                "the cases are in a folder named cases"
                if meant == "cases"
                else "knowledge files are named in lowercase and end in .yaml"
            )
            misnamed.append(Problem(f"is not read ({why}); {fix}", name))
        elif stem is not None:
            misnamed.append(Problem(f"is not a knowledge file (expected one of: {', '.join(FILES)})", name))
        else:
            others.append(
                Problem("is not read by the advisor (only the knowledge files and cases/ are)", name)
            )
    return misnamed, others


def _same_entry(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def unread_files(directory: Path) -> list[Problem]:
    """Files and folders in a knowledge folder that the advisor does not read, and that are not
    named like a knowledge file (those are refused): ``kb check`` mentions them as warnings."""
    return _unread(directory)[1]


def _parse(directory: Path, raw: dict[str, bytes], problems: list[Problem]) -> KnowledgeBase:
    """The slow path: parse and validate every file, then check the cross-references.

    Raises every problem found, the folder's (``problems``) included.
    """
    from advisor.kb import safeyaml
    from advisor.kb.references import cross_references
    from advisor.kb.validation import (
        ValidationError,
        control_problems,
        describe_validation_error,
        id_lines,
        validate_file,
    )

    located: dict[str, safeyaml.Loaded] = {}
    for name, content in raw.items():
        try:
            located[name] = safeyaml.load(content, name=name, fast=True)
        except YamlError as error:
            problems.extend(error.problems)
        else:
            problems.extend(control_problems(located[name]))
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


def load_cases(directory: Path) -> list[tuple[str, Case]]:
    """The cases under ``directory/cases``, validated (their answers are checked by the engine).

    ``cases`` must be a folder holding at least one case: a knowledge base without one has
    nothing that holds its decisions to the documents. Each file is read bounded and without
    blocking (a FIFO or a device there is refused, not waited on).
    """
    from advisor.kb import safeyaml
    from advisor.kb.validation import ValidationError, control_problems, describe_validation_error, validate

    problems: list[Problem] = []
    cases: list[tuple[str, Case]] = []
    for path in _case_files(directory / "cases"):
        name = f"cases/{path.name}"
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem("is not a .yaml file", name))
            continue
        try:
            loaded = safeyaml.load_path(path, name=name, fast=True)
            controls = control_problems(loaded)
            if controls:
                problems.extend(controls)
                continue
            cases.append((name, validate(Case, loaded.data)))
        except YamlError as error:
            problems.extend(error.problems)
        except ValidationError as error:
            problems.extend(describe_validation_error(error, loaded))
    if problems:
        raise KnowledgeError(problems)
    return cases


_ADD_A_CASE = (
    "add at least one case (an answers file with the approach it must get, "
    "as in the bundled knowledge/cases/)"
)


def _case_files(folder: Path) -> list[Path]:
    """The entries of the cases folder, in order; a missing, unreadable or empty folder, or a
    file where the folder should be, is a :class:`KnowledgeError`."""
    if not folder.exists() and not folder.is_symlink():
        raise KnowledgeError(Problem(f"is missing: create the folder and {_ADD_A_CASE}", "cases"))
    if not folder.is_dir():
        raise KnowledgeError(
            Problem(f"is not a folder: make it the folder of cases and {_ADD_A_CASE}", "cases")
        )
    try:
        entries = sorted(path for path in folder.iterdir() if not path.name.startswith("."))
    except OSError as error:
        raise KnowledgeError(Problem(f"cannot be read ({error.strerror or error})", "cases")) from None
    if not entries:
        raise KnowledgeError(Problem(f"holds no case; {_ADD_A_CASE}", "cases"))
    return entries
