"""The export: the report and the answers file, and saving them into a folder.

The conversation says what to export (:func:`export_of`, an
:class:`~advisor.chat.replies.Exported`); where it goes is the view's business: a folder
for the terminal chat and ``advisor ask`` (:func:`export_into`, which also says where it
went), a download for the browser.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.answers import to_file
from advisor.chat.replies import Exported
from advisor.files import write_new
from advisor.terminal import visible

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = ["ANSWERS_NAME", "REPORT_NAME", "data_url", "export_into", "export_of", "save_export"]

REPORT_NAME = "advisor-report.md"
ANSWERS_NAME = "advisor-answers.yaml"


def export_of(report: Report) -> Exported:
    """The report, and the answers as a file ``advisor recommend`` reproduces it from."""
    import yaml  # written only on export: the chat starts without the YAML library

    from advisor.outline import outline_of

    answers = to_file(report.normalized.answers, report.kb)
    return Exported(
        outline_of(report),
        "# Answers from the advisor chat: `advisor recommend` on this file reproduces the report.\n"
        + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True),
    )


def export_into(exported: Exported, folder: Path) -> str:
    """Save an export into ``folder`` (:func:`save_export`); what to tell the person."""
    try:
        report_path, answers_path = save_export(exported, folder)
    except OSError as error:
        return f"I could not write the files to {visible(folder)}: {error.strerror or error}."
    return (
        f"Saved the report to {visible(report_path)} and your answers to {visible(answers_path)}. "
        f"`advisor recommend {visible(answers_path.name)}` gives the same recommendation."
    )


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
