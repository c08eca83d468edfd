"""Files written: only a regular file or a new one; never a link, a FIFO, a device or a folder
replaced, no folder created that was not asked for, nothing left half-written, logs bounded."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from advisor.crash import CRASH_LOG, MAX_CRASH_LOG_BYTES, log_failure
from advisor.decision.engine import Engine
from advisor.files import (
    STALE_TEMPORARY_SECONDS,
    MissingFolder,
    NotARegularFile,
    append_bounded,
    remove_stale_temporaries,
    write_atomically,
    write_new,
)
from advisor.kb import KnowledgeBase

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def entries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_regular_file_is_replaced_and_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    write_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert entries(tmp_path) == ["answers.yaml"]  # no temporary file left


def test_a_new_file_is_written(tmp_path: Path) -> None:
    write_atomically(tmp_path / "new.yaml", "text")
    assert (tmp_path / "new.yaml").read_text(encoding="utf-8") == "text"


def test_a_symbolic_link_is_refused_and_neither_it_nor_its_target_changes(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    with pytest.raises(NotARegularFile) as refused:
        write_atomically(link, "new")
    assert "symbolic link" in str(refused.value.strerror)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep me"
    assert entries(tmp_path) == ["link.yaml", "target.txt"]


def test_a_dangling_link_is_refused_and_nothing_is_created_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "elsewhere.txt")
    with pytest.raises(NotARegularFile):
        write_atomically(link, "new")
    with pytest.raises(FileExistsError):
        write_new(link, "new")
    assert not (tmp_path / "elsewhere.txt").exists()


@needs_fifo
def test_a_fifo_is_refused_at_once_and_kept(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile) as refused:
        write_atomically(fifo, "new")
    assert "FIFO" in str(refused.value.strerror)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotARegularFile) as refused:
        write_atomically(tmp_path, "new")
    assert "folder" in str(refused.value.strerror)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="device nodes need root")
def test_a_device_node_is_refused_and_kept(tmp_path: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # another /dev/null
    with pytest.raises(NotARegularFile) as refused:
        write_atomically(device, "new")
    assert "device" in str(refused.value.strerror)
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_missing_folder_is_said_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "answers.yaml"
    with pytest.raises(MissingFolder) as missing:
        write_atomically(path, "new")
    assert "does not exist" in str(missing.value.strerror)
    assert entries(tmp_path) == []
    write_atomically(path, "new", parents=True)  # the advisor's own folders are created
    assert path.read_text(encoding="utf-8") == "new"


def test_a_file_in_place_of_a_folder_is_said(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(MissingFolder):
        write_atomically(tmp_path / "file" / "answers.yaml", "new")


def test_a_link_at_the_temporary_name_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.files

    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    planted = tmp_path / ".answers.yaml.planted.tmp"
    planted.symlink_to(target)
    monkeypatch.setattr(advisor.files, "_temporary", lambda path: planted)
    with pytest.raises(OSError):
        write_atomically(tmp_path / "answers.yaml", "new")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_write_new_never_replaces(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    write_new(path, "first")
    with pytest.raises(FileExistsError):
        write_new(path, "second")
    assert path.read_text(encoding="utf-8") == "first"
    assert entries(tmp_path) == ["report.md"]


def test_stale_temporaries_go_and_a_write_under_way_stays(tmp_path: Path) -> None:
    stale = tmp_path / ".session-1.json.123-abc.tmp"
    stale.write_bytes(b"")  # a 0-byte file left by a kill during a save
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    os.utime(stale, (old, old))
    fresh = tmp_path / ".session-2.json.456-def.tmp"
    fresh.write_bytes(b"")
    remove_stale_temporaries(tmp_path, ".session*.tmp")
    assert entries(tmp_path) == [fresh.name]


def test_a_log_stays_under_its_bound_and_keeps_the_latest(tmp_path: Path) -> None:
    log = tmp_path / "crash.log"
    for number in range(200):
        append_bounded(log, f"entry {number} " + "x" * 100 + "\n", 4096)
    assert log.stat().st_size <= 4096
    assert (tmp_path / "crash.log.1").stat().st_size <= 4096
    assert "entry 199 " in log.read_text(encoding="utf-8")
    assert entries(tmp_path) == ["crash.log", "crash.log.1"]


def test_the_crash_log_is_bounded(tmp_path: Path) -> None:
    error = RecursionError("deep")
    for _ in range(50):
        assert log_failure(error, tmp_path) == tmp_path / CRASH_LOG
        log_failure(ValueError("v" * 100_000), tmp_path)
    assert (tmp_path / CRASH_LOG).stat().st_size <= MAX_CRASH_LOG_BYTES


@needs_fifo
def test_a_fifo_named_crash_log_is_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / CRASH_LOG)
    assert log_failure(RuntimeError("a bug of ours"), tmp_path) is None  # returns: no reader needed
    assert stat.S_ISFIFO((tmp_path / CRASH_LOG).lstat().st_mode)


def test_a_crash_log_linked_elsewhere_is_not_written_through(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / CRASH_LOG).symlink_to(target)
    assert log_failure(RuntimeError("a bug of ours"), tmp_path) is None
    assert target.read_text(encoding="utf-8") == "keep me"


def test_settings_linked_elsewhere_are_neither_replaced_nor_written_through(tmp_path: Path) -> None:
    from advisor.settings import Settings

    target = tmp_path / "dotfiles.json"
    target.write_text("{not json", encoding="utf-8")  # damaged: would be set aside
    link = tmp_path / "settings.json"
    link.symlink_to(target)
    settings = Settings(link)
    assert not settings.change("theme", "nord")
    assert settings.error is not None and "symbolic link" in settings.error
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "{not json"
    assert entries(tmp_path) == ["dotfiles.json", "settings.json"]


def test_a_link_at_a_saved_chats_lock_is_not_followed(tmp_path: Path) -> None:
    from advisor.chat.store import SessionStore

    store = SessionStore(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    store.path.with_name(store.path.name + ".lock").symlink_to(elsewhere)
    assert not store.save({"values": {}})
    assert not elsewhere.exists()


@needs_fifo
def test_an_export_never_writes_through_a_link_or_into_a_fifo_and_takes_the_next_name(
    tmp_path: Path, kb: KnowledgeBase, engine: Engine
) -> None:
    from advisor.answers import normalize
    from advisor.chat.export import save_export
    from advisor.chat.replies import Exported
    from advisor.outline import outline_of
    from advisor.report import build_report

    answers = {"task": "text", "labels": "labeled", "labeled_examples": 5000, "model_size": "small"}
    answers["budget_usd"] = 3000
    exported = Exported(outline_of(build_report(kb, engine, normalize(answers, kb))), "task: text\n")
    (tmp_path / "advisor-report.md").symlink_to(tmp_path / "elsewhere.md")  # dangling
    os.mkfifo(tmp_path / "advisor-answers.yaml")
    report, answers = save_export(exported, tmp_path)
    assert (report.name, answers.name) == ("advisor-report-2.md", "advisor-answers-2.yaml")
    assert not (tmp_path / "elsewhere.md").exists()
    assert "advisor-report-2-cost.svg" in report.read_text(encoding="utf-8")
    assert (tmp_path / "advisor-report-2-cost.svg").read_text(encoding="utf-8") == exported.chart_svg
    assert answers.read_text(encoding="utf-8") == "task: text\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    with pytest.raises(MissingFolder):
        save_export(exported, tmp_path / "gone")
