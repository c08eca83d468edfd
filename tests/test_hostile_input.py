"""Hostile input to ``advisor ask``, ``advisor recommend`` and the chat: a ``--save`` path that is
not a file, a closed standard input, a line of hundreds of megabytes, escape sequences in file
names, a right-to-left override typed, a line of emoji, quit at the resume offer, a crash log
that is a FIFO. Each gets a clear message; nothing typed is lost; nothing else is written."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import advisor_command

from advisor.ask import MAX_READ, run
from advisor.chat.conversation import Conversation
from advisor.chat.modes import OfferingResume
from advisor.chat.replies import Goodbye, Reply, Unclear
from advisor.chat.store import SessionStore
from advisor.crash import CRASH_LOG
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase

ONE_LINE = "I have 5k labelled support tickets to classify, fine-tune BERT, budget 3000 dollars\nskip\nskip\n"
"""Everything in one line, then the team and the hardware skipped: a complete chat."""


def advisor(tmp_path: Path, *args: str, stdin: str = "", shell: str = "") -> subprocess.CompletedProcess[str]:
    """``advisor ARGS`` in a real process; ``shell`` redirections (``<&-``) through ``sh``."""
    environment = {**os.environ, "ADVISOR_STATE_DIR": str(tmp_path / "state")}
    command = [sys.executable, "-m", "advisor", *args]
    if shell:
        command = ["sh", "-c", 'exec "$@" ' + shell, "sh", *command]
    return subprocess.run(
        command,
        input=None if shell else stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


def said(replies: list[Reply]) -> str:
    """The text of the last reply."""
    return str(getattr(replies[-1], "text", ""))


def chat_in_process(
    kb: KnowledgeBase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stdin: io.TextIOBase,
    save: Path | None = None,
) -> tuple[int, str, str]:
    """``advisor ask --new`` in this process, with its own state folder."""
    monkeypatch.setenv("ADVISOR_STATE_DIR", str(tmp_path / "state"))
    out, err = io.StringIO(), io.StringIO()
    code = run(kb, new=True, save=save, stdin=stdin, stdout=out, stderr=err, environ={})  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


# --- --save: only a regular file, or a new one -------------------------------------------------


def _link(tmp_path: Path) -> Path:
    (tmp_path / "target.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "target.txt")
    return tmp_path / "link.yaml"


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "fifo.yaml")
    return tmp_path / "fifo.yaml"


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "folder.yaml").mkdir()
    return tmp_path / "folder.yaml"


def _dangling(tmp_path: Path) -> Path:
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "created-through-the-link.yaml")
    return tmp_path / "dangling.yaml"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_link, "is a symbolic link"),
        (_dangling, "is a symbolic link"),
        (_fifo, "is a FIFO"),
        (_folder, "is a folder"),
        (lambda tmp_path: tmp_path / "no" / "such" / "answers.yaml", "does not exist"),
    ],
    ids=["symlink", "dangling-link", "fifo", "folder", "missing-folder"],
)
def test_save_refuses_what_is_not_a_regular_file_before_the_questions(
    tmp_path: Path, make: object, said: str
) -> None:
    target = make(tmp_path)  # type: ignore[operator]
    before = sorted((p.name, stat.S_IFMT(p.lstat().st_mode)) for p in tmp_path.rglob("*"))
    done = advisor(tmp_path, "ask", "--new", "--save", str(target), stdin=ONE_LINE)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and said in done.stderr
    assert done.stdout == ""  # refused before the first question, not after the last answer
    after = sorted((p.name, stat.S_IFMT(p.lstat().st_mode)) for p in tmp_path.rglob("*") if p.name != "state")
    assert after == before
    if (tmp_path / "target.txt").exists():
        assert (tmp_path / "target.txt").read_text(encoding="utf-8") == "keep me"


def test_save_replaces_a_regular_file(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "answers.yaml"
    saved.write_text("old", encoding="utf-8")
    code, _, err = chat_in_process(kb, tmp_path, monkeypatch, io.StringIO(ONE_LINE), save=saved)
    assert code == 0, err
    assert saved.read_text(encoding="utf-8").startswith("# Answers from the advisor chat")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "state"]


def test_save_that_became_a_link_during_the_chat_is_refused_at_the_end(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "answers.yaml"

    class Swapping(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            line = super().readline(-1 if size is None else size)
            if not line and not saved.is_symlink():  # the end of the input: swap the path
                (tmp_path / "target.txt").write_text("keep me", encoding="utf-8")
                saved.symlink_to(tmp_path / "target.txt")
            return line

    code, _, err = chat_in_process(kb, tmp_path, monkeypatch, Swapping(ONE_LINE), save=saved)
    assert code == 2 and "is a symbolic link" in err
    assert (tmp_path / "target.txt").read_text(encoding="utf-8") == "keep me"


# --- standard input closed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("ask",), "standard input is closed"),
        (("recommend", "-"), "standard input is closed"),
        ((), "the chat needs a terminal"),
    ],
    ids=["ask", "recommend", "chat"],
)
def test_a_closed_standard_input_is_said_plainly(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    done = advisor(tmp_path, *args, shell="<&-")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and said in done.stderr


# --- lines too long ---------------------------------------------------------------------------


class Endless(io.StringIO):
    """One unterminated line of ``size`` characters, then a few lines; records the largest read."""

    def __init__(self, size: int, then: str) -> None:
        self.left = size
        self.then = io.StringIO(then)
        self.largest = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        wanted = size if size is not None and size >= 0 else self.left + 1
        self.largest = max(self.largest, wanted)
        if self.left:
            piece = min(wanted, self.left)
            self.left -= piece
            return "x" * piece + ("\n" if not self.left and piece < wanted else "")
        return self.then.readline(-1 if size is None else size)

    def isatty(self) -> bool:
        return False


def test_an_unterminated_line_of_300_mb_is_said_and_skipped_without_holding_it(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = Endless(300 * 1024 * 1024, "text\nquit\n")
    code, out, err = chat_in_process(kb, tmp_path, monkeypatch, stdin)
    assert code == 0, err
    assert stdin.largest <= MAX_READ + 1  # read a piece at a time, never the whole line
    assert "That line was too long for me (314,572,800 characters)" in out
    assert "> text\n" in out and "Question 2 of" in out  # and the chat went on


def test_a_line_just_too_long_is_said_too(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = chat_in_process(kb, tmp_path, monkeypatch, io.StringIO("y" * (MAX_READ + 5) + "\ntext\n"))
    assert f"({MAX_READ + 5:,} characters)" in out and "> text\n" in out


# --- names of files shown literally -----------------------------------------------------------------


def test_escape_sequences_in_file_names_are_written_out_on_stderr_and_in_headings(tmp_path: Path) -> None:
    good = "task: text\nlabels: labeled\nlabeled_examples: 1000\nmodel_size: small\nbudget_usd: 5000\n"
    hostile = "\x1b]0;pwned\x07\u202eevil.yaml"
    (tmp_path / hostile).write_text(good, encoding="utf-8")
    missing = "gone\x1b[2J.yaml"
    (tmp_path / "ok.yaml").write_text(good, encoding="utf-8")
    done = advisor(tmp_path, "recommend", "ok.yaml", hostile, missing)
    assert done.returncode == 2
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    assert "Answers: \\x1b]0;pwned\\x07\\u202eevil.yaml" in done.stdout
    assert "advisor: gone\\x1b[2J.yaml: no such file" in done.stderr
    markdown = advisor(tmp_path, "recommend", "--format", "markdown", "ok.yaml", hostile)
    assert "\x1b" not in markdown.stdout and "<!-- Answers: \\x1b]0;pwned" in markdown.stdout


def test_a_save_path_with_escape_sequences_is_written_out(tmp_path: Path) -> None:
    name = "\x1b[31mred.yaml"
    done = advisor(tmp_path, "ask", "--new", "--save", name, stdin=ONE_LINE)
    assert done.returncode == 0, done.stderr
    assert "answers saved to \\x1b[31mred.yaml" in done.stderr and "\x1b" not in done.stderr
    assert (tmp_path / name).is_file()


# --- what a person types -----------------------------------------------------------------------


def test_a_right_to_left_override_typed_is_not_echoed(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = chat_in_process(kb, tmp_path, monkeypatch, io.StringIO("\u202etext\u2066\n"))
    assert "\u202e" not in out and "\u2066" not in out
    assert "Question 2 of" in out  # read as the answer it holds


@pytest.mark.parametrize("line", ["🙂", "🙂🙂 👍", "!!!"])
def test_a_line_of_emoji_is_said_to_have_no_words(kb: KnowledgeBase, engine: Engine, line: str) -> None:
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    replies = chat.handle(line)
    said = replies[0]
    assert isinstance(said, Unclear)
    assert "is empty" not in said.text and "no words or numbers" in said.text and line in said.text
    assert chat.current is not None and chat.current.id == kb.questions[0].id  # asked again


def test_an_answers_file_of_emoji_is_said_to_have_no_words(kb: KnowledgeBase) -> None:
    from advisor.answers import normalize
    from advisor.errors import AnswersError

    with pytest.raises(AnswersError) as refused:
        normalize({"task": "text", "labels": "🙂", "model_size": "small", "budget_usd": 100}, kb)
    assert "has no words or numbers" in str(refused.value)


@pytest.mark.parametrize("word", ["quit", "exit", "Quit"])
def test_quit_at_the_resume_offer_ends_the_chat_and_keeps_the_answers(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, word: str
) -> None:
    first = Conversation(kb, engine, SessionStore(tmp_path))
    first.start()
    first.handle("text")
    assert first.store is not None
    first.store.close()
    saved = sorted(tmp_path.glob("session-*.json"))
    second = Conversation(kb, engine, SessionStore(tmp_path))
    second.start()
    assert isinstance(second.mode, OfferingResume)
    replies = second.handle(word)
    assert isinstance(replies[-1], Goodbye) and "saved" in replies[-1].text
    assert sorted(tmp_path.glob("session-*.json")) == saved  # kept for next time


def test_help_at_the_resume_offer_explains_it(kb: KnowledgeBase, engine: Engine, tmp_path: Path) -> None:
    first = Conversation(kb, engine, SessionStore(tmp_path))
    first.start()
    first.handle("text")
    assert first.store is not None
    first.store.close()
    second = Conversation(kb, engine, SessionStore(tmp_path))
    second.start()
    text = " ".join(getattr(reply, "text", "") for reply in second.handle("help"))
    assert "Resume takes them up" in text and isinstance(second.mode, OfferingResume)


def test_bye_says_answers_are_saved_only_when_they_are(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    nothing = Conversation(kb, engine, SessionStore(tmp_path))
    nothing.start(resume=False)
    assert "saved" not in said(nothing.handle("quit"))  # nothing answered, nothing saved
    browser = Conversation(kb, engine)  # no store: the browser's chat
    browser.start()
    browser.handle("text")
    assert "saved" not in said(browser.handle("quit"))
    kept = Conversation(kb, engine, SessionStore(tmp_path))
    kept.start(resume=False)
    kept.handle("text")
    assert "Your answers are saved" in said(kept.handle("quit"))


# --- the crash log ----------------------------------------------------------------------------------


def _failing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Conversation, text: str) -> list[object]:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(Conversation, "handle", fail)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_crash_log_does_not_hang_ask(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "state").mkdir()
    os.mkfifo(tmp_path / "state" / CRASH_LOG)
    _failing(monkeypatch)
    code, _, err = chat_in_process(kb, tmp_path, monkeypatch, io.StringIO("text\nmore\n"))
    assert code == 1
    assert err.count("something went wrong on my side") == 2 and "details in" not in err
    assert stat.S_ISFIFO((tmp_path / "state" / CRASH_LOG).lstat().st_mode)


def test_ask_logs_a_failure_with_its_path_shown_literally(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing(monkeypatch)
    code, _, err = chat_in_process(kb, tmp_path, monkeypatch, io.StringIO("text\n"))
    assert code == 1 and f"(details in {tmp_path / 'state' / CRASH_LOG})" in err
    assert "RuntimeError: a bug of ours" in (tmp_path / "state" / CRASH_LOG).read_text(encoding="utf-8")


def test_a_failure_in_the_final_report_is_a_plain_line_and_logged(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.render

    def failing_render(*args: object, **options: object) -> str:
        raise ValueError("cannot convert float NaN to integer")

    monkeypatch.setattr(advisor.render, "to_text", failing_render)
    code, _, err = chat_in_process(kb, tmp_path, monkeypatch, io.StringIO(ONE_LINE))
    assert code == 1 and "Traceback" not in err
    assert "something went wrong on my side with the report (details in" in err
    assert "ValueError" in (tmp_path / "state" / CRASH_LOG).read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_kb_check_refuses_a_fifo_among_its_cases_and_sources_without_waiting(
    tmp_path: Path, kb_dir: Path, sweep_stride: int
) -> None:
    from advisor.checks import check_quotes
    from advisor.kb import load_knowledge

    os.mkfifo(kb_dir / "cases" / "fifo.yaml")
    done = subprocess.run(
        [*advisor_command(sweep_stride), "kb", "check", "--knowledge", str(kb_dir)],
        capture_output=True,
        text=True,
        timeout=120,  # waiting on the FIFO would be a timeout: an error, the test fails
        check=False,
    )
    assert (
        done.returncode == 3
        and "cases/fifo.yaml: is not a regular file (a FIFO, a device or a socket)" in done.stderr
    )
    kb = load_knowledge()
    sources = tmp_path / "sources"
    sources.mkdir()
    for source in kb.sources:
        os.mkfifo(sources / source.file)
    problems = check_quotes(kb, sources)
    unread = [problem for problem in problems if "not a regular file" in problem.message]
    assert len(unread) == len(kb.sources)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_fifo, "is not a regular file (a FIFO, a device or a socket)"),
        (_folder, "is a folder, not a file"),
        (lambda tmp_path: Path("/dev/zero"), "is not a regular file (a FIFO, a device or a socket)"),
    ],
    ids=["fifo", "folder", "device"],
)
def test_recommend_names_what_an_answers_path_is_instead_of_waiting_on_it(
    tmp_path: Path, make: Any, said: str
) -> None:
    path = make(tmp_path)
    done = advisor(tmp_path, "recommend", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}: {said}" in done.stderr
