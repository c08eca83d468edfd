"""Small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
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
