"""Output that cannot be written: a full disk, a closed standard output, a reader that went
away (``| head -1``). Each is one plain line on stderr and exit code 4, never a traceback, for
every command that prints: ``recommend``, ``schema``, ``kb check`` and ``ask``."""

from __future__ import annotations

import errno
import io
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import main

GOOD = "task: text\nlabels: labeled\nlabeled_examples: 1000\nmodel_size: small\nbudget_usd: 10000\n"

COMMANDS = {
    "recommend": ["recommend", "{answers}"],
    "recommend-json": ["recommend", "{answers}", "--format", "json"],
    "schema": ["schema"],
}
"""The commands tried every way; ``kb check`` (seconds a run) is tried once below."""


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _args(name: str, answers: Path) -> list[str]:
    return [arg.format(answers=answers) for arg in COMMANDS.get(name, ["kb", "check"])]


class _Refusing(io.StringIO):
    """A standard output whose writes (or flushes) fail as a full disk or a broken pipe does."""

    def __init__(self, error: OSError, *, on_flush: bool = False) -> None:
        super().__init__()
        self.error = error
        self.on_flush = on_flush

    def write(self, text: str) -> int:
        if not self.on_flush:
            raise self.error
        return super().write(text)

    def flush(self) -> None:
        if self.on_flush:
            raise self.error


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), "closed by its reader"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
    ids=["full", "broken-pipe", "io-error"],
)
@pytest.mark.parametrize("on_flush", [False, True], ids=["write", "flush"])
def test_a_failed_write_is_one_line_and_exit_4(
    command: str,
    error: OSError,
    said: str,
    on_flush: bool,
    answers: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", _Refusing(error, on_flush=on_flush))
    code = main(_args(command, answers))
    err = capsys.readouterr().err
    assert code == 4, err
    assert err.startswith("advisor: ") and err.count("\n") == 1, err
    assert "standard output" in err and said in err


@pytest.mark.usefixtures("sweep_stride")
def test_kb_check_that_cannot_write_its_summary_exits_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", _Refusing(OSError(errno.ENOSPC, "No space left on device")))
    code = main(["kb", "check"])
    err = capsys.readouterr().err.splitlines()
    assert code == 4
    assert err[-1] == "advisor: cannot write to standard output: No space left on device"
    assert all(line.startswith("advisor: warning: ") for line in err[:-1])


@pytest.mark.parametrize("command", [*COMMANDS, "kb-check"])
def test_a_closed_standard_output_is_one_line_and_exit_4(
    command: str, answers: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", None)  # what Python sets when file descriptor 1 is closed
    code = main(_args(command, answers))
    err = capsys.readouterr().err
    assert code == 4
    assert err == "advisor: standard output is closed, so nothing can be written\n"


def test_a_closed_standard_error_does_not_send_errors_to_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["recommend", str(tmp_path / "missing.yaml")]) == 2
    assert capsys.readouterr().out == ""


# --- real processes: what only a real file descriptor shows -------------------------------------


def _shell(command: str, answers: Path) -> subprocess.CompletedProcess[bytes]:
    """``python -m advisor ...`` under a shell that redirects its output."""
    return subprocess.run(
        ["bash", "-c", command.format(advisor=f"{sys.executable} -m advisor", answers=answers)],
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command",
    ["{advisor} recommend {answers}", "{advisor} schema", "{advisor} recommend {answers} --format json"],
)
def test_a_full_device_in_a_real_process(command: str, answers: Path) -> None:
    run = _shell(command + " > /dev/full", answers)
    err = run.stderr.decode()
    assert run.returncode == 4, err
    assert err == "advisor: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("command", ["{advisor} recommend {answers}", "{advisor} schema"])
def test_a_closed_standard_output_in_a_real_process(command: str, answers: Path) -> None:
    run = _shell(command + " >&-", answers)
    assert run.returncode == 4, run.stderr
    assert run.stderr.decode() == "advisor: standard output is closed, so nothing can be written\n"


@pytest.mark.parametrize("command", [["recommend", "{answers}"], ["schema"]])
def test_a_reader_that_goes_away_in_a_real_process(command: list[str], answers: Path) -> None:
    """``| head -1``, made certain: the pipe's only reader is closed before the advisor writes."""
    with subprocess.Popen(
        [sys.executable, "-m", "advisor", *(arg.format(answers=answers) for arg in command)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        err = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == 4, err
    assert err == "advisor: standard output was closed by its reader before everything was written\n"
