"""The crash log: the details of an error of ours, kept where a person can send them to us.

The chat and ``advisor ask`` say an error of theirs in one plain sentence and keep going;
the traceback goes to ``crash.log`` in the state folder (:func:`advisor.locations.state_dir`),
which never grows past :data:`MAX_CRASH_LOG_BYTES` (the log before is kept as ``crash.log.1``).
A FIFO, a link or a device named ``crash.log`` is left alone: the details are then not kept,
and nothing waits. In a browser (``advisor serve``) nothing is written: the server's folders
are not the visitor's, and the visitor is never shown the server's paths.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from advisor.files import append_bounded

__all__ = ["CRASH_LOG", "MAX_CRASH_LOG_BYTES", "log_failure"]

CRASH_LOG = "crash.log"
MAX_CRASH_LOG_BYTES = 256 * 1024
"""The most the log holds: a few hundred tracebacks, the latest ones."""
MAX_ENTRY_BYTES = 32 * 1024
"""The most one error adds (a traceback of a deep recursion is cut to its end)."""


def log_failure(error: BaseException, folder: Path) -> Path | None:
    """Add ``error``'s traceback to ``folder/crash.log``; its path, or ``None`` when it could
    not be written (the folder is created if missing: it is the advisor's own)."""
    details = "".join(traceback.format_exception(error))
    if len(details) > MAX_ENTRY_BYTES:
        details = "...\n" + details[-MAX_ENTRY_BYTES:]
    entry = f"--- {datetime.now().isoformat(timespec='seconds')}\n{details}"
    path = folder / CRASH_LOG
    try:
        folder.mkdir(parents=True, exist_ok=True)
        append_bounded(path, entry, MAX_CRASH_LOG_BYTES)
    except OSError:
        return None
    return path
