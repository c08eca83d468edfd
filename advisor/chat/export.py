"""Saving an export (the report and the answers file) into a folder, for views that save files.

The conversation only says what to export (:class:`~advisor.chat.replies.Exported`);
where it goes is the view's business: a folder for the terminal chat, a
download for the browser.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from advisor.chat.replies import Exported
from advisor.files import write_new

__all__ = ["ANSWERS_NAME", "REPORT_NAME", "data_url", "save_export"]

REPORT_NAME = "advisor-report.md"
ANSWERS_NAME = "advisor-answers.yaml"


def save_export(exported: Exported, folder: Path) -> tuple[Path, Path]:
    """Write the report, its picture of the cost beside it (linked from the report) and the
    answers into ``folder`` as new files, never over earlier exports or anything else there
    (a link, a FIFO: :func:`advisor.files.write_new`).

    Returns the report's and the answers' paths; raises ``OSError`` when they cannot be written.
    """
    report_path = _free_path(folder / REPORT_NAME, lambda path: _write_report(exported, path))
    answers_path = _free_path(folder / ANSWERS_NAME, lambda path: write_new(path, exported.answers_yaml))
    return report_path, answers_path


def _write_report(exported: Exported, report_path: Path) -> None:
    """The report at ``report_path``, its picture beside it when it has one."""
    if not exported.chart_svg:
        write_new(report_path, exported.markdown(None))
        return
    chart_path = report_path.with_name(f"{report_path.stem}-cost.svg")
    if os.path.lexists(report_path):  # taken: the picture would be another report's
        raise FileExistsError(errno.EEXIST, "exists already", str(report_path))
    write_new(chart_path, exported.chart_svg)
    try:
        write_new(report_path, exported.markdown(chart_path.name))
    except BaseException:
        with contextlib.suppress(OSError):
            chart_path.unlink()
        raise


def data_url(svg: str) -> str:
    """An SVG document as a data URL: a Markdown file that carries its own picture."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _free_path(path: Path, write: Callable[[Path], None]) -> Path:
    """Write with ``write`` at ``path``, or at ``path`` with a number added when something is
    there already; the path written."""
    for number in range(1, 1000):
        candidate = path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")
        try:
            write(candidate)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, "too many earlier exports in this folder", str(path))
