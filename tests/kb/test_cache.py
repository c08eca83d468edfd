"""The knowledge cache: a checked knowledge base is reused without parsing, exactly as it was
parsed; anything damaged, edited or written by other code is parsed again; and the cache
never costs more than speed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import edit

from advisor.errors import KnowledgeError
from advisor.kb import FILES, KnowledgeBase, cache, load_knowledge


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    return folder


def _same(a: KnowledgeBase, b: KnowledgeBase) -> bool:
    return (a.index, a.claims, a.rules, a.costs, a.questions, a.faq, a.terms, a.lines) == (
        b.index,
        b.claims,
        b.rules,
        b.costs,
        b.questions,
        b.faq,
        b.terms,
        b.lines,
    )


def test_a_valid_knowledge_base_is_cached_and_reused_without_parsing(
    kb_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_knowledge(kb_dir)
    assert len(list(cache_dir.glob("knowledge-*.json"))) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed YAML although the cache holds this knowledge base")

    monkeypatch.setattr("advisor.kb.safeyaml.load", no_parsing)
    cached = load_knowledge(kb_dir)
    assert _same(fresh, cached)
    assert cached.directory == kb_dir


def test_an_edited_knowledge_base_is_parsed_again(kb_dir: Path, cache_dir: Path) -> None:
    load_knowledge(kb_dir)
    edit(kb_dir / "rules.yaml", "claims: [data-governance]", "claims: [no-such-claim]")
    assert any("no-such-claim" in p for p in problems_of(kb_dir))


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"data": 1, "lines": []}',
        b'{"data": {"claims.yaml": {"claims": "x"}}, "lines": []}',
    ],
    ids=["garbage", "a-list", "wrong-shape", "invalid-data"],
)
def test_a_damaged_cache_entry_is_ignored(kb_dir: Path, cache_dir: Path, content: bytes) -> None:
    fresh = load_knowledge(kb_dir)
    [entry] = cache_dir.glob("knowledge-*.json")
    entry.write_bytes(content)
    assert _same(load_knowledge(kb_dir), fresh)


def _entry(cache_dir: Path) -> tuple[Path, dict[str, Any]]:
    [entry] = cache_dir.glob("knowledge-*.json")
    _, _, payload = entry.read_text(encoding="utf-8").partition("\n")
    return entry, json.loads(payload)


def _write_entry(entry: Path, content: dict[str, Any]) -> None:
    """An entry as the cache writes one: its checksum, then its JSON."""
    payload = json.dumps(content)
    entry.write_text(f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}", encoding="utf-8")


def test_a_cache_hit_builds_exactly_what_parsing_builds(kb_dir: Path, cache_dir: Path) -> None:
    parsed = load_knowledge(kb_dir, use_cache=False)
    load_knowledge(kb_dir)  # writes the entry
    cached = load_knowledge(kb_dir)
    for part in FILES.values():
        # repr, not only ==: it tells 1 from 1.0, a list from a tuple, one class from another
        assert repr(getattr(cached, part)) == repr(getattr(parsed, part)), part
    assert cached.lines == parsed.lines


def test_a_cache_hit_neither_parses_nor_validates(
    kb_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_knowledge(kb_dir)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated although the cache holds this knowledge base")

    monkeypatch.setattr("advisor.kb.validation.validate", refuse)
    monkeypatch.setattr("advisor.kb.safeyaml.load", refuse)
    assert load_knowledge(kb_dir).directory == kb_dir


def _drop_a_rule_field(content: dict[str, Any]) -> None:
    del content["parts"]["rules"][0]["explanation"]


def _add_an_unknown_key(content: dict[str, Any]) -> None:
    content["parts"]["claims"][0]["typo"] = 1


def _change_a_type(content: dict[str, Any]) -> None:
    content["parts"]["costs"]["tie_order"] = "supervised"


def _break_a_cross_field_check(content: dict[str, Any]) -> None:
    content["parts"]["rules"][0]["effects"][0] = {"favor": None, "exclude": None, "caveat": None}


def _lose_a_part(content: dict[str, Any]) -> None:
    del content["parts"]["faq"]


def _damage_the_lines(content: dict[str, Any]) -> None:
    content["lines"] = [[["rule", 3], "forty"]]


def _claim_another_key(content: dict[str, Any]) -> None:
    content["key"] = "0" * 32


@pytest.mark.parametrize(
    "damage",
    [
        _drop_a_rule_field,
        _add_an_unknown_key,
        _change_a_type,
        _break_a_cross_field_check,
        _lose_a_part,
        _damage_the_lines,
        _claim_another_key,
    ],
)
def test_a_cache_entry_that_does_not_fit_is_parsed_again_and_replaced(
    kb_dir: Path, cache_dir: Path, damage: Callable[[dict[str, Any]], None]
) -> None:
    fresh = load_knowledge(kb_dir)
    entry, content = _entry(cache_dir)
    damage(content)
    _write_entry(entry, content)  # with a checksum that matches: only its shape is wrong
    assert _same(load_knowledge(kb_dir), fresh)
    assert _entry(cache_dir)[1] != content  # written again, whole


def test_a_hand_edited_entry_is_not_trusted(kb_dir: Path, cache_dir: Path) -> None:
    """An entry edited after it was written (a value changed in place) fails its checksum."""
    load_knowledge(kb_dir)
    entry, _ = _entry(cache_dir)
    text = entry.read_text(encoding="utf-8")
    assert '"version":"' in text
    entry.write_text(text.replace('"version":"', '"version":"edited-', 1), encoding="utf-8")
    assert not load_knowledge(kb_dir).version.startswith("edited-")


def test_the_cache_key_covers_the_files_the_version_and_every_module_of_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = {"index.yaml": b"version: 1\n"}
    key = cache.cache_key(raw)
    assert cache.cache_key({"index.yaml": b"version: 2\n"}) != key
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert cache.cache_key(raw) != key
    monkeypatch.undo()
    assert cache.cache_key(raw) == key
    # Whatever decides what knowledge files load as: every module beside the cache, so that
    # a module added or moved there can never drop out of the key.
    package = Path(cache.__file__).parent
    assert cache.key_sources() == sorted(package.glob("*.py"))
    assert {path.name for path in cache.key_sources()} >= {"models.py", "schema.py", "plain.py", "cache.py"}


def test_old_entries_are_pruned(kb_dir: Path, cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / "knowledge-dangling.json").symlink_to(cache_dir / "nowhere")
    for number in range(cache.KEEP + 5):
        (cache_dir / f"knowledge-old{number}.json").write_text("{}")
    load_knowledge(kb_dir)
    assert len(list(cache_dir.glob("knowledge-*.json"))) == cache.KEEP
    assert not list(cache_dir.glob(".*.tmp"))


def test_an_unusable_cache_folder_only_costs_speed(
    kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(blocker))
    assert load_knowledge(kb_dir).version


def test_loading_without_the_cache_neither_reads_nor_writes_it(kb_dir: Path, cache_dir: Path) -> None:
    load_knowledge(kb_dir, use_cache=False)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("faq", 0, "question"), "\x1b]0;pwned\x07What is it?"),  # a terminal title sequence
        (("rules", 0, "explanation"), "Reads \u202eesrever ni"),
        (("costs", "assumptions", 0, "value"), float("inf")),
        (("costs", "assumptions", 0, "value"), float("nan")),
    ],
    ids=["escape", "bidi-override", "infinity", "nan"],
)
def test_an_entry_holding_what_the_files_could_not_is_parsed_again_even_with_its_checksum(
    kb_dir: Path, cache_dir: Path, where: tuple[Any, ...], value: Any
) -> None:
    """A control character or a number that is not finite never comes from a cache entry: the
    loader refuses them in the files, and the cache refuses them in what it reads back."""
    fresh = load_knowledge(kb_dir)
    entry, content = _entry(cache_dir)
    *path, last = where
    node = content["parts"]
    for step in path:
        node = node[step]
    node[last] = value
    payload = json.dumps(content)  # writes NaN and Infinity, as a hand-made entry could
    entry.write_text(f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}", encoding="utf-8")
    assert _same(load_knowledge(kb_dir), fresh)


def test_a_number_too_large_for_a_float_in_an_entry_is_parsed_again(kb_dir: Path, cache_dir: Path) -> None:
    fresh = load_knowledge(kb_dir)
    entry, content = _entry(cache_dir)
    content["parts"]["costs"]["assumptions"][0]["value"] = 1.25e300
    payload = json.dumps(content).replace("1.25e+300", "1e400", 1)  # JSON reads it as infinity
    assert "1e400" in payload
    entry.write_text(f"{hashlib.sha256(payload.encode()).hexdigest()}\n{payload}", encoding="utf-8")
    assert _same(load_knowledge(kb_dir), fresh)


def _in_time(
    load: Callable[[], KnowledgeBase], unblock: Callable[[], None], seconds: float = 20
) -> KnowledgeBase:
    """``load()`` in a thread; if it has not returned in time, ``unblock()`` and fail."""
    done: list[KnowledgeBase] = []
    worker = threading.Thread(target=lambda: done.append(load()), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        unblock()
        worker.join(seconds)
        pytest.fail("loading waited on the cache entry")
    return done[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_at_the_entry_is_neither_waited_on_nor_kept(kb_dir: Path, cache_dir: Path) -> None:
    fresh = load_knowledge(kb_dir)
    [entry] = cache_dir.glob("knowledge-*.json")
    entry.unlink()
    os.mkfifo(entry)

    def unblock() -> None:  # a writer lets a blocked reader go
        with contextlib.suppress(OSError):
            fd = os.open(entry, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)

    assert _same(_in_time(lambda: load_knowledge(kb_dir), unblock), fresh)
    assert entry.is_file()  # replaced by a real entry


def test_an_entry_linked_to_an_endless_device_is_not_read_without_end(kb_dir: Path, cache_dir: Path) -> None:
    fresh = load_knowledge(kb_dir)
    [entry] = cache_dir.glob("knowledge-*.json")
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert _same(_in_time(lambda: load_knowledge(kb_dir), lambda: None), fresh)
    assert entry.is_file() and not entry.is_symlink()


def test_an_entry_that_cannot_be_replaced_leaves_no_temporary_file(kb_dir: Path, cache_dir: Path) -> None:
    fresh = load_knowledge(kb_dir)
    [entry] = cache_dir.glob("knowledge-*.json")
    entry.unlink()
    (entry / "inside").mkdir(parents=True)  # a folder with something in it: no file replaces it
    for _ in range(3):
        assert _same(load_knowledge(kb_dir), fresh)
    assert sorted(path.name for path in cache_dir.iterdir()) == [entry.name]


def test_temporary_files_left_by_an_interrupted_run_are_pruned(kb_dir: Path, cache_dir: Path) -> None:
    cache_dir.mkdir()
    stale = cache_dir / ".knowledge-0123.json.4242.tmp"
    stale.write_text("half an entry")
    recent = cache_dir / ".knowledge-4567.json.4343.tmp"  # perhaps another run, writing now
    recent.write_text("half an entry")
    hours_ago = time.time() - 3 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    load_knowledge(kb_dir)
    assert not stale.exists()
    assert recent.exists()
