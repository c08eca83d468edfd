"""Small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSON_CONTRACT_KEYS = (
    "schema_version",
    "advisor_version",
    "knowledge_version",
    "answers",
    "warnings",
    "recommendation",
    "alternatives",
    "citations",
    "trace",
    "assumptions",
)
"""The top-level keys of the JSON report that DESIGN.md promises to scripts."""

MEDICAL = ("classify medical scans", "labelled", "1,000 images", "ResNet-50", "$10k", "skip", "skip")
"""The documents' medical-imaging case as a newcomer types it into the chat, one line a question
(the team and the hardware skipped)."""

MEDICAL_TASK = {"task": MEDICAL[0], "output": "category", "data": "images", "domain": "medical"}
"""What the chat keeps of MEDICAL's first line: the words, and the output, data and domain they say."""

TICKETS = "classify support tickets"
"""A task read whole (a category for each text) where a test is not about reading the task."""
TICKETS_TASK = {"task": TICKETS, "output": "category", "data": "text"}

SHOES = "classify photos of shoes"
"""A task read whole (a category for each image), the same for images."""
SHOES_TASK = {"task": SHOES, "output": "category", "data": "images"}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file; fail loudly if the file no longer has it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the test is out of date"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@dataclass(frozen=True)
class Run:
    """What a run of the command left behind."""

    code: int
    out: str
    err: str


def sample_points(space: Mapping[str, tuple[Any, ...]], limit: int) -> Iterator[dict[str, Any]]:
    """At most ``limit`` points of an answer space (:meth:`AnswerSpace.grid`), spread over all of
    it: the point numbers ``0, s, 2s, …`` modulo the space's size, for a stride ``s`` prime to it,
    read as digits of each field's values. Every point when the space has no more than ``limit``."""
    sizes = [len(values) for values in space.values()]
    total = math.prod(sizes)
    stride = max(1, total // limit)
    while math.gcd(stride, total) != 1:
        stride += 1
    for index in range(min(total, limit)):
        number = index * stride % total
        point = {}
        for name, values in reversed(list(space.items())):
            number, digit = divmod(number, len(values))
            point[name] = values[digit]
        yield {name: point[name] for name in space}


SWEEP_SAMPLE = 53
"""The default run's ``kb check`` sweeps every 53rd profile of its grid (about 60 of some 3,000,
a stride prime to the grid's sizes, so the sample meets every task, data situation, size and
budget): the full sweep takes about 14 s a run. ``pytest -m slow`` sweeps every profile, and
``test_checks.py`` holds the bundled knowledge base to the full sweep there."""


def sampled_grid(
    profiles: Callable[[Any], Iterator[dict[str, Any]]], stride: int
) -> Callable[[Any], Iterator[dict[str, Any]]]:
    """``profiles`` (:func:`advisor.sweep.profiles`) reduced to every ``stride``-th profile."""

    def sampled(kb: Any) -> Iterator[dict[str, Any]]:
        return itertools.islice(profiles(kb), 0, None, stride)

    return sampled


def sweep_sample_code(stride: int) -> str:
    """Python that makes ``kb check`` in its process sweep every ``stride``-th profile of the
    grid, as :func:`sampled_grid` does in this one (nothing when the stride is 1)."""
    if stride == 1:
        return ""
    return (
        "import itertools, advisor.sweep as sweep_module\n"
        "full_grid = sweep_module.profiles\n"
        f"sweep_module.profiles = lambda kb: itertools.islice(full_grid(kb), 0, None, {stride})\n"
    )


def advisor_command(stride: int = 1) -> list[str]:
    """How a test starts ``advisor`` as a process: ``python -m advisor``; with a stride above 1,
    the same command whose ``kb check`` sweeps a sample (:func:`sweep_sample_code`)."""
    if stride == 1:
        return [sys.executable, "-m", "advisor"]
    main = "from advisor.cli import main\nraise SystemExit(main())\n"
    return [sys.executable, "-c", sweep_sample_code(stride) + main]


@dataclass(frozen=True)
class Asked:
    returncode: int
    out: str
    err: str


def ask(
    tmp_path: Path, lines: list[str], *args: str, env: dict[str, str] | None = None, end: str = "\n"
) -> Asked:
    """``advisor ask ARGS`` with ``lines`` on standard input (a pipe), in its own state folder."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"ADVISOR_STATE_DIR": str(tmp_path / "state"), **(env or {})})
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "ask", *args],
        input="\n".join(lines) + end if lines else "",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )
    return Asked(done.returncode, done.stdout, done.stderr)
