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

And for the plain medium (``TERM=dumb``, ``--ascii``), which may show nothing but ASCII and may be
read aloud a line at a time:

- :func:`ascii_only`: the text in ASCII, each other character said the way a typewriter would
  (``“”`` as ``"``, ``–`` as ``-``, ``…`` as ``...``, ``€`` as ``EUR``, ``├──┤`` as ``|--|``);
- :func:`spoken_ranges`: ``$1,000 – $5,000`` as ``$1,000 to $5,000``, as a person would say it.
"""

from __future__ import annotations

import re
import unicodedata

from advisor.kb.controls import CONTROL
from advisor.text import printable as _without_escapes

__all__ = ["ascii_only", "printable", "spoken_ranges", "visible"]

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


_ASCII: dict[int, str] = {
    ord(char): said
    for chars, said in (
        ("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        ("\u2018\u2019\u201a\u201b\u2032\u00b4\u2039\u203a", "'"),
        ("\u2010\u2011\u2012\u2013\u2212\u2500\u2501\u2574\u2576", "-"),
        ("\u2014\u2015", "--"),
        ("\u2026", "..."),
        ("\u00d7", "x"),
        ("\u00f7", "/"),
        ("\u2022\u25cf\u25aa\u25e6", "*"),
        ("\u00b7", "-"),
        ("\u2264", "<="),
        ("\u2265", ">="),
        ("\u2248", "~"),
        ("\u2260", "!="),
        ("\u00b1", "+/-"),
        ("\u20ac", "EUR"),
        ("\u00a3", "GBP"),
        ("\u00a5", "JPY"),
        ("\u20b9", "INR"),
        ("\u00b0", " degrees"),
        ("\u2192\u27f6", "->"),
        ("\u2190", "<-"),
        ("\u25b6\u25ba\u203a", ">"),
        ("\u2502\u2503\u251c\u2524\u253c\u2575\u2577", "|"),
        ("\u250c\u2510\u2514\u2518\u252c\u2534", "+"),
        ("\u2588\u2593", "#"),
        ("\u2591\u2592", "."),
        ("\u2713\u2714", "v"),
        ("\U0001f642\u263a", ":)"),
        ("\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\u3000", " "),
        ("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    )
    for char in chars
}
"""Characters the advisor's own texts use, and a few more, as a typewriter would write them."""


def ascii_only(text: str) -> str:
    """``text`` in ASCII: the characters of :data:`_ASCII` as it says, letters without their
    accents (``é`` as ``e``), compatibility forms decomposed (``ﬁ`` as ``fi``), and any other
    character as ``?``."""
    if text.isascii():
        return text
    return "".join(_ascii_char(char) for char in text.translate(_ASCII))


def _ascii_char(char: str) -> str:
    if char.isascii():
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(part for part in decomposed if part.isascii())
    return kept if kept and not unicodedata.combining(decomposed[0]) else "?"


_RANGE = re.compile(r"(?<=[\d%kM])(\s+)\u2013(\s+)(?=(?:under\s)?-?\$?\d)")
"""The dash of a range between two amounts: "$5 – $9", "1.5 – 3", "$3k – $5k"."""


def spoken_ranges(text: str) -> str:
    """Ranges as a person reads them aloud: ``$1,000 – $5,000`` as ``$1,000 to $5,000``."""
    return _RANGE.sub(r"\1to\2", text)  # the spaces kept: a range wrapped over two lines stays so
