"""Shared fixtures: the bundled knowledge base, an engine, an editable copy of
the knowledge folder, and two ways to run the ``advisor`` command (in-process,
fast; as a subprocess, for what only a real process shows: exit status,
tracebacks, a stdin that is not a terminal)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import SWEEP_SAMPLE, Run, sampled_grid

import advisor.sweep
from advisor.cli import main
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase, default_knowledge_dir, load_knowledge, safeyaml
from advisor.reading import Reader

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
"""The four source documents (DESIGN.md: ``../shared/seeds/`` from the project root)."""


@pytest.fixture(scope="session", autouse=True)
def _private_knowledge_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Parsed knowledge bases are cached in the user's cache folder; tests (and the
    processes they start) use a private one instead of writing to the home folder."""
    folder = tmp_path_factory.mktemp("advisor-cache")
    before = os.environ.get("ADVISOR_CACHE_DIR")
    os.environ["ADVISOR_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["ADVISOR_CACHE_DIR"]
    else:
        os.environ["ADVISOR_CACHE_DIR"] = before


@pytest.fixture(scope="session", autouse=True)
def _private_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The chat remembers its theme in the user's config folder; tests use a private one. Its
    person knows the field (``"explain": false``): the chat is the terse one, without the offer
    to explain as we go; the newcomer's tests bring settings of their own."""
    folder = tmp_path_factory.mktemp("advisor-config")
    (folder / "settings.json").write_text('{"explain": false}\n', encoding="utf-8")
    before = os.environ.get("ADVISOR_CONFIG_DIR")
    os.environ["ADVISOR_CONFIG_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["ADVISOR_CONFIG_DIR"]
    else:
        os.environ["ADVISOR_CONFIG_DIR"] = before


@pytest.fixture(
    params=[
        pytest.param(1, marks=pytest.mark.slow, id="full-sweep"),
        pytest.param(SWEEP_SAMPLE, id="sampled-sweep"),
    ]
)
def sweep_stride(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """For a test that runs ``kb check`` (whose sweep takes about 14 s): 1, every profile of the
    sweep's grid, in the full run (``pytest -m slow``); :data:`helpers.SWEEP_SAMPLE` in the default
    run, where ``kb check`` in this process sweeps that sample. A child process gets the same
    stride through :func:`helpers.advisor_command`."""
    stride = int(request.param)
    if stride > 1:
        monkeypatch.setattr(advisor.sweep, "profiles", sampled_grid(advisor.sweep.profiles, stride))
    return stride


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


@pytest.fixture(scope="session")
def reader(kb: KnowledgeBase) -> Reader:
    return Reader(kb)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled knowledge folder, for a test to edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target)
    return target


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def case_answers() -> Callable[[str], dict[str, Any]]:
    """The answers of a case in knowledge/cases/, by file stem."""

    def read(stem: str) -> dict[str, Any]:
        loaded = safeyaml.load_path(default_knowledge_dir() / "cases" / f"{stem}.yaml")
        answers = loaded.data["answers"]
        assert isinstance(answers, dict)
        return dict(answers)

    return read


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[..., Path]:
    """Write an answers file: a dict (as JSON, which is YAML), text, or raw bytes."""
    counter = iter(range(1_000_000))

    def write(content: dict[str, Any] | str | bytes, name: str | None = None) -> Path:
        path = tmp_path / (name or f"answers-{next(counter)}.yaml")
        if isinstance(content, dict):
            path.write_text(json.dumps(content), encoding="utf-8")
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``advisor.cli.main([...])`` in-process; ``stdin=`` bytes feed ``-``."""

    def run(*args: str | Path, stdin: bytes | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse: --help, --version, usage errors
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def _run_advisor(
    *args: str | Path,
    input: bytes | None = None,
    stdin: int | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Run:
    completed = subprocess.run(
        [sys.executable, "-m", "advisor", *[str(arg) for arg in args]],
        input=input,
        stdin=stdin if input is None else None,
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return Run(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def advisor_process() -> Callable[..., Run]:
    """Run ``python -m advisor ...`` as a subprocess (stdin defaults to /dev/null)."""

    def run(*args: str | Path, input: bytes | None = None, cwd: Path | None = None) -> Run:
        return _run_advisor(*args, input=input, stdin=subprocess.DEVNULL, cwd=cwd)

    return run
