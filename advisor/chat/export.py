"""Saving an export (the report and the answers file) into a folder, for views that save files.

The conversation only says what to export (:class:`~advisor.chat.replies.Exported`);
where it goes is the view's business: a folder for the terminal chat, a
download for the browser.
"""

from __future__ import annotations

import base64
from pathlib import Path

from advisor.chat.replies import Exported

__all__ = ["ANSWERS_NAME", "REPORT_NAME", "data_url", "save_export"]

REPORT_NAME = "advisor-report.md"
ANSWERS_NAME = "advisor-answers.yaml"


def save_export(exported: Exported, folder: Path) -> tuple[Path, Path]:
    """Write the report, its picture of the cost beside it (linked from the report) and the
    answers into ``folder`` without overwriting earlier exports: the report and its picture are
    both rendered from the export's outline.

    Returns the report's and the answers' paths; raises ``OSError`` when they cannot be written.
    """
    report_path = _free_path(folder / REPORT_NAME)
    answers_path = _free_path(folder / ANSWERS_NAME)
    chart = None
    svg = exported.chart_svg
    if svg:
        chart_path = report_path.with_name(f"{report_path.stem}-cost.svg")
        chart_path.write_text(svg, encoding="utf-8")
        chart = chart_path.name
    report_path.write_text(exported.markdown(chart), encoding="utf-8")
    answers_path.write_text(exported.answers_yaml, encoding="utf-8")
    return report_path, answers_path


def data_url(svg: str) -> str:
    """An SVG document as a data URL: a Markdown file that carries its own picture."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _free_path(path: Path) -> Path:
    """``path``, or ``path`` with a number added when it exists already."""
    if not path.exists():
        return path
    for number in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path
