"""Small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
