"""Characters a terminal obeys instead of showing: refused in every text of a knowledge base.

Knowledge text is printed as it is written: in reports, in the chat, in
``kb check``'s messages. An escape sequence in it would be obeyed, not shown
(``"\\e]0;title\\a"`` retitles the terminal, ``"\\e[2J"`` clears it), and a
bidirectional override (U+202E) makes a line read otherwise than it is stored.
YAML's reader refuses most of these characters raw, but a double-quoted string
writes any of them as an escape (``"\\e"``, ``"\\x9b"``, ``"\\u202e"``).
Invisible characters hide text the same way: a left-to-right or right-to-left
mark reorders what follows it, tag characters (U+E0000 to U+E007F) carry a
whole hidden message, and a zero-width space splits a word so that a search
for it fails while it looks whole. So the loader checks every string of every
knowledge file after parsing, mapping keys too, and so does the knowledge
cache when it reads an entry back. Tabs and line breaks are text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = ["CONTROL", "describe", "find_controls", "why_refused"]

CONTROL = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 controls but tab and line feed; DEL; C1 controls
    "\u061c\u200e\u200f"  # the Arabic letter mark, the left-to-right and right-to-left marks
    "\u202a-\u202e\u2066-\u2069"  # bidirectional embeddings, overrides and isolates
    "\u200b\u2060-\u2064\ufeff"  # zero-width space, word joiner, invisible operators, ZWNBSP
    "\u180e\u206a-\u206f\ufff9-\ufffb"  # the Mongolian vowel separator, deprecated formats,
    # interlinear annotations (text between U+FFFA and U+FFFB may not be shown at all)
    "\U000e0000-\U000e007f"  # tag characters: an invisible copy of ASCII
    "]"
)
"""Every character refused in knowledge text: terminal controls, bidirectional controls and
invisible characters that can hide or reorder text. The zero-width joiner and non-joiner
(U+200C, U+200D) are allowed: scripts such as Persian and emoji sequences need them."""

# fmt: off
_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)
_C1_NAMES = (
    "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD", "PLU", "RI", "SS2",
    "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS", "SGCI", "SCI", "CSI", "ST", "OSC",
    "PM", "APC",
)
# fmt: on


def describe(character: str) -> str:
    """``U+001B (ESC)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named, never shown."""
    code = ord(character)
    if code < 0x20:
        name = _NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = _C1_NAMES[code - 0x80]
    else:
        name = unicodedata.name(character, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""The characters of :data:`CONTROL` a terminal acts on; the others are invisible."""


def why_refused(character: str) -> tuple[str, str]:
    """What ``character`` is and why it is refused, for a message: ``the control character
    U+001B (ESC)`` and ``which a terminal would act on ...``, or, for an invisible one, what it
    does to the text around it."""
    if _TERMINAL.match(character):
        return (
            f"the control character {describe(character)}",
            "which a terminal would act on when it shows the text",
        )
    return f"the invisible character {describe(character)}", "which hides or reorders the text around it"


Found = tuple[tuple[Any, ...], bool, int, str]
"""Where a control character is: the path to the value (or to the key, then ``True``), the
character's index in that text, and the character."""


def find_controls(data: Any, path: tuple[Any, ...] = ()) -> Iterator[Found]:
    """The first control character of each string in parsed YAML (keys included)."""
    if isinstance(data, str):
        found = CONTROL.search(data)
        if found is not None:
            yield path, False, found.start(), found.group()
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and (found := CONTROL.search(key)) is not None:
                yield (*path, key), True, found.start(), found.group()
            yield from find_controls(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from find_controls(item, (*path, index))
