"""Text on its way to a terminal: what a person typed, and the names of files and folders.

A terminal obeys some characters instead of showing them: an escape sequence recolours,
retitles or clears it, a bidirectional override (U+202E) makes a line read otherwise
than it is stored. The one table of them is :data:`advisor.kb.controls.CONTROL` (the
knowledge base refuses them in its text); here it is applied to everything else shown:

- :func:`printable`: a line a person typed, cleaned to read and to echo (the controls
  dropped or made spaces, as :func:`advisor.text.printable` does, and the table's too);
- :func:`visible`: a name shown literally, every such character written out as its escape
  (``\\x1b``, ``\\u202e``), so a file named ``"\\x1b[31mred.yaml"`` is shown as a shell
  would write it, and colours nothing.
"""

from __future__ import annotations

import re

from advisor.kb.controls import CONTROL
from advisor.text import printable as _without_escapes

__all__ = ["printable", "visible"]

_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""The C0 and C1 controls, tab and line feed included: a name is one line."""


def printable(text: str) -> str:
    """A typed line without escape sequences, control characters or bidirectional controls:
    ``"\\u202etext"`` is ``" text"``."""
    return CONTROL.sub(" ", _without_escapes(text))


def visible(text: object) -> str:
    """``str(text)`` with every character a terminal would obey, and every tab and line break,
    written as its escape: ``"a\\x1bb"`` is shown as ``a\\x1bb``."""
    return CONTROL.sub(_escaped, _LINE_CONTROL.sub(_escaped, str(text)))


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
