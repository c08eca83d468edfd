"""A knowledge base that passed every check, kept as JSON so the next start skips the checking.

Parsing YAML (with libyaml), importing pydantic and validating, checking the
cross-references and the answer space cost about as much again as the rest of
``advisor recommend`` (``python benchmarks/bench.py startup-cache``: about 0.2 s
more at every start). So a base that loaded cleanly is written to the user's
cache folder, and the next load of the same files builds it from that JSON
(:mod:`advisor.kb.plain`): no YAML, no pydantic.

An entry is keyed by a hash of the advisor's version, of the source of this
whole package (everything that decides what knowledge files load as), and of
every knowledge file's bytes: change any of them and the old entry is simply
not found. An entry is trusted only if its checksum matches what was written,
and only regular files of bounded size are read; even then, a text with a
control character or a number that is not finite makes it unfit, as it would
make the files it came from. Old entries are pruned.
Every failure here costs speed, never correctness: the caller parses instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import time
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.files import NotARegularFile, read_bounded, write_atomically
from advisor.kb.base import FILES, KnowledgeBase
from advisor.kb.plain import Unfit, field_types, from_plain, to_plain
from advisor.locations import cache_dir

__all__ = ["cache_key", "key_sources", "read", "write"]

MAX_ENTRY_BYTES = 16 * 1024 * 1024
"""Larger than any entry the 1 MiB limit on knowledge files allows; anything bigger is not ours."""

KEEP = 8
"""Entries kept after a write (the newest): one per knowledge base or version in use."""

STALE_TEMPORARY_SECONDS = 3600
"""A temporary file of the cache older than this was left by a run that did not finish."""

_PACKAGE = Path(__file__).resolve().parent


def key_sources() -> list[Path]:
    """The advisor's files that decide what knowledge files load as: this whole package."""
    return sorted(_PACKAGE.glob("*.py"))


def cache_key(raw: dict[str, bytes], verified_by: str = "") -> str:
    """A hash of the knowledge files, and of everything that decides what they load as:
    the advisor's version and this package's source, and the check beyond loading that the
    base passed before it was cached (``verified_by``, a function's name; none: ``""``)."""
    digest = hashlib.sha256(f"advisor {__version__}\nverified by {verified_by}\n".encode())
    for source in key_sources():
        digest.update(f"{source.name}\n".encode())
        try:
            digest.update(read_bounded(source, MAX_ENTRY_BYTES))
        except OSError:
            digest.update(b"unreadable\n")
    for name, content in sorted(raw.items()):
        digest.update(f"{name} {len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def _entry(key: str) -> Path:
    return cache_dir() / f"knowledge-{key}.json"


def read(directory: Path, key: str) -> KnowledgeBase | None:
    """The knowledge base cached under ``key``, or ``None`` when there is none or it does not fit."""
    try:
        raw = read_bounded(_entry(key), MAX_ENTRY_BYTES)
        checksum, _, payload = raw.partition(b"\n")
        if len(raw) > MAX_ENTRY_BYTES or checksum.decode("ascii") != hashlib.sha256(payload).hexdigest():
            return None
        cached = json.loads(payload, parse_constant=_not_a_number, parse_float=_finite)
        if not isinstance(cached, dict) or cached.get("key") != key:
            return None
        types = field_types(KnowledgeBase)
        parts = {part: from_plain(types[part], cached["parts"][part]) for part in FILES.values()}
        lines = _lines_from_plain(cached["lines"])
    except (OSError, RecursionError, Unfit, KeyError, TypeError, ValueError):
        return None  # no entry, or a damaged one: parse the files instead
    return KnowledgeBase(directory=directory, lines=lines, **parts)


def _not_a_number(constant: str) -> Any:
    """``NaN`` and ``Infinity`` are no JSON, and never written here (``allow_nan=False``)."""
    raise Unfit(f"{constant} is not a number a knowledge base holds")


def _finite(text: str) -> float:
    """A number as JSON writes it; ``1e400`` would read as infinity."""
    number = float(text)
    if not math.isfinite(number):
        raise Unfit(f"{text[:40]} is not a number a knowledge base holds")
    return number


def _lines_from_plain(data: Any) -> dict[tuple[str, str], int]:
    lines: dict[tuple[str, str], int] = {}
    for (kind, item_id), line in data:
        if not (isinstance(kind, str) and isinstance(item_id, str) and type(line) is int):
            raise Unfit(f"not a line number: {[kind, item_id, line]!r:.60}")
        lines[(kind, item_id)] = line
    return lines


def write(key: str, kb: KnowledgeBase) -> None:
    """Best effort: a read-only home or a full disk only costs speed."""
    content = {
        "key": key,
        "parts": {part: to_plain(getattr(kb, part)) for part in FILES.values()},
        "lines": [[list(k), v] for k, v in kb.lines.items()],
    }
    try:
        payload = json.dumps(content, separators=(",", ":"), allow_nan=False)
        checksum = hashlib.sha256(payload.encode()).hexdigest()
        try:
            write_atomically(_entry(key), f"{checksum}\n{payload}", parents=True)
        except NotARegularFile:  # a link or a FIFO where an entry goes: the folder is ours, disposable
            _entry(key).unlink()  # the link itself, never what it leads to
            write_atomically(_entry(key), f"{checksum}\n{payload}", parents=True)
    except (OSError, TypeError, ValueError):
        return
    _prune()


def _prune() -> None:
    """Keep the newest :data:`KEEP` entries, and remove what an interrupted write left behind."""
    with contextlib.suppress(OSError):
        folder = cache_dir()
        # lstat: a link that leads nowhere is an entry to prune too, not a reason to stop pruning.
        entries = sorted(
            folder.glob("knowledge-*.json"), key=lambda path: path.lstat().st_mtime, reverse=True
        )
        for old in entries[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()
        # write_atomically's temporary files (".knowledge-<key>.json.<pid>.tmp"): a run killed
        # while writing leaves one. An hour old, no run is still writing it.
        stale = time.time() - STALE_TEMPORARY_SECONDS
        for temporary in folder.glob(".knowledge-*.tmp"):
            with contextlib.suppress(OSError):
                if temporary.lstat().st_mtime < stale:
                    temporary.unlink()
