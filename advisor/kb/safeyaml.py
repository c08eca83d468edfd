"""YAML for files written by people: small, plain, and located.

``yaml.safe_load`` refuses Python tags but happily accepts duplicate keys (the
last one wins, silently), aliases that expand without bound when the tree is
later walked, and nesting deep enough to exhaust the stack. This module reads
YAML with the pure-Python ``SafeLoader`` (the C loader ignores the composer
override below) and refuses all of those before any value is built.

Knowledge files, which the advisor parses at every start without a cache, may be
composed by libyaml instead (``fast=True``, about nine times faster): the same
checks then run while the composed nodes are turned into values (an alias is a
node met twice; the depth is counted there), and only a document whose nesting a
cheap scan bounds to libyaml's own limit reaches the C parser (older libyaml
versions overflowed the C stack on deep nesting); any other goes to the pure
loader. Answers files, small and from anyone, always take the pure loader.

:func:`load` returns the data together with a map from each value's path to
its line, so that a schema error deep in a file can name the line it is on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from advisor.errors import Problem, YamlError, quoted
from advisor.files import NotARegularFile, read_bounded
from advisor.kb.controls import describe
from advisor.records import dataclass

__all__ = ["MAX_BYTES", "Loaded", "Location", "load", "load_path", "locate", "not_a_file"]

MAX_BYTES = 1024 * 1024
"""Largest file we parse; anything bigger is refused before parsing."""

MAX_DEPTH = 50
"""Deepest nesting we accept; the pure loader overflows the stack near 1,000."""

C_SAFE_NESTING = 1000
"""The bound a cheap scan must find, on a document's lines and on its brackets, for the C parser
to see it: libyaml stops at 1,000 levels, and older versions crashed only past tens of
thousands (PITFALLS: 50,000)."""

_CLoader: type | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, when PyYAML was built with it."""

Location = tuple[str | int, ...]
"""A path into the loaded data: mapping keys and sequence indexes."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True, slots=True)
class Loaded:
    """Parsed data plus the line (1-based) of every value in it."""

    data: Any
    lines: dict[Location, int]
    name: str

    def line_of(self, loc: Location) -> int | None:
        """The line of ``loc``, or of its nearest located ancestor."""
        return locate(self.lines, loc)


def locate(lines: dict[Location, int], loc: Location) -> int | None:
    """The line of ``loc`` or of the nearest ancestor the map knows."""
    for end in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return line
    return None


class _Loader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(
                "aliases (*name) are not allowed; write the value out in full",
                event.start_mark.line + 1,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1)
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


class _Refused(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_path(
    path: Path, *, name: str | None = None, max_bytes: int = MAX_BYTES, fast: bool = False
) -> Loaded:
    """Read and parse one file; every failure is a :class:`YamlError` naming it.

    The read is bounded and never blocks (:func:`advisor.files.read_bounded`): a FIFO, a device
    such as ``/dev/zero`` (or a link to one) or a huge file gets a message, not a hang.
    """
    shown = name or str(path)
    try:
        raw = read_bounded(path, max_bytes)
    except NotARegularFile:
        raise YamlError(Problem(not_a_file(path), shown)) from None
    except FileNotFoundError:
        raise YamlError(Problem("no such file", shown)) from None
    except OSError as error:
        raise YamlError(Problem(f"cannot be read ({error.strerror or error})", shown)) from None
    return load(raw, name=shown, max_bytes=max_bytes, fast=fast)


def not_a_file(path: Path) -> str:
    """What to say of a path that is there but is no regular file."""
    if path.is_dir():
        return "is a folder, not a file"
    return "is not a regular file (a FIFO, a device or a socket); put a plain file there"


def load(
    raw: bytes | str, *, name: str, max_bytes: int = MAX_BYTES, plain_words: bool = True, fast: bool = False
) -> Loaded:
    """Parse YAML (or JSON, which is YAML) from people.

    With ``plain_words`` (the default), YAML 1.1's surprises are kept as the
    text written: ``no``/``yes``/``on``/``off`` stay strings instead of
    booleans (only ``true`` and ``false`` are booleans), ``12:30`` stays a
    string instead of 750, dates stay strings, and so do integers written
    with a leading zero or a base (``0500`` is not octal 320, nor ``0x10``
    16: :mod:`advisor.bounds` reads them where a number is expected). People
    write both answers files and knowledge files, and ``labels: no`` means the word.

    ``fast`` composes with libyaml where it is present and the document is shallow enough
    (see the module's notes): for knowledge files. The result and every refusal are the same.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > max_bytes:
        raise YamlError(Problem(f"is larger than {max_bytes // 1024} KiB; refusing to read it", name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlError(Problem(f"is not UTF-8 text (byte {error.start} cannot be decoded)", name)) from None
    if "\x00" in text:
        raise YamlError(Problem("contains NUL bytes: is it a binary file?", name))
    control = _CONTROL.search(text)
    if control is not None:
        raise YamlError(_control_character(text, control.start(), name))
    loader: Any = None
    try:
        # PyYAML's reader checks every character when the loader is made: inside the try.
        loader = _CLoader(text) if fast and _CLoader is not None and _shallow(text) else _Loader(text)
        node = loader.get_single_node()
    except _Refused as refused:
        raise YamlError(Problem(refused.message, name, refused.line)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or error.context or "is not valid YAML"
        raise YamlError(Problem(f"is not valid YAML: {what}", name, line)) from None
    except yaml.YAMLError as error:
        raise YamlError(Problem(f"is not valid YAML: {error}", name)) from None
    except RecursionError:
        raise YamlError(Problem("is nested too deeply to read", name)) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[Location, int] = {}
    if node is None:
        return Loaded(None, lines, name)
    try:
        data = _Builder(loader, plain_words, lines).build(node, ())
    except _Refused as refused:
        raise YamlError(Problem(refused.message, name, refused.line)) from None
    return Loaded(data, lines, name)


_CONTROL = yaml.reader.Reader.NON_PRINTABLE
"""What PyYAML's reader refuses anywhere in a document, comments included: C0 controls but
tab, line feed and carriage return; DEL; C1 controls but NEL; U+FFFE and U+FFFF."""


def _control_character(text: str, index: int, name: str) -> Problem:
    """Where the character YAML refuses is, and what it is (never the character itself)."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    code = ord(text[index])
    what = describe(text[index])
    kind = "a non-character" if code in (0xFFFE, 0xFFFF) else "a control character"
    return Problem(
        f"holds {kind}, {what}, which YAML allows nowhere, not even in a comment "
        "(a terminal's colour codes are such characters); delete it",
        name,
        line,
        column,
    )


def _shallow(text: str) -> bool:
    """Whether ``text`` surely nests less than :data:`C_SAFE_NESTING` levels: a block level
    takes a column of indentation or an indicator on its line, so no line nests deeper than it
    is long; a flow level takes a bracket."""
    if max(map(len, text.split("\n"))) >= C_SAFE_NESTING:
        return False
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        depth = depth + 1 if bracket in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest < C_SAFE_NESTING


_BRACKETS = re.compile(r"[\[\]{}]")


class _Builder:
    """Composed nodes to plain values, refusing what a person's file may not hold: aliases (a
    node met a second time), nesting past :data:`MAX_DEPTH`, tags, merge keys and repeated
    keys. Records the line of every value in ``lines``."""

    def __init__(self, loader: Any, plain_words: bool, lines: dict[Location, int]) -> None:
        self.loader = loader
        self.plain_words = plain_words
        self.lines = lines
        self.seen: set[int] = set()
        self.depth = 0

    def build(self, node: Node, loc: Location) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            raise _Refused(
                "aliases (*name) are not allowed; write the value out in full",
                locate(self.lines, loc) or line,
            )
        self.seen.add(id(node))
        self.lines[loc] = line
        self.depth += 1  # counted as the pure loader's composer counts: every node, scalars too
        if self.depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", line)
        try:
            if isinstance(node, ScalarNode):
                return _scalar(node, self.loader, plain_words=self.plain_words)
            if isinstance(node, MappingNode):
                return self.mapping(node, loc, line)
            assert isinstance(node, SequenceNode)
            if node.tag != _SEQ:
                raise _Refused(f"the tag {quoted(node.tag)} is not allowed; write a plain list", line)
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        finally:
            self.depth -= 1

    def mapping(self, node: MappingNode, loc: Location, line: int) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise _Refused(f"the tag {quoted(node.tag)} is not allowed; write a plain mapping", line)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise _Refused("a key must be plain text, not a list or a mapping", key_line)
            if id(key_node) in self.seen:
                raise _Refused("aliases (*name) are not allowed; write the value out in full", key_line)
            self.seen.add(id(key_node))
            key = _scalar(key_node, self.loader, plain_words=True)
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused("merge keys (<<) are not allowed", key_line)
            if key in result:
                raise _Refused(
                    f"the key {str(key)[:60]!r} appears twice (first on line {self.lines[(*loc, key)]})",
                    key_line,
                )
            self.lines[(*loc, key)] = key_line
            result[key] = self.build(value_node, (*loc, key))
            self.lines[(*loc, key)] = key_line
        return result


_WORD_BOOLS = {"true": True, "false": False}


def _scalar(node: ScalarNode, loader: Any, *, plain_words: bool) -> Any:
    tag = node.tag
    line = node.start_mark.line + 1
    if tag not in _PLAIN_TAGS:
        raise _Refused(f"the tag {quoted(tag)} is not allowed; write a plain value", line)
    if tag == "tag:yaml.org,2002:timestamp":
        return node.value
    if plain_words:
        if tag == "tag:yaml.org,2002:bool":
            return _WORD_BOOLS.get(node.value.lower(), node.value)
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value:
            return node.value
        if (
            tag == "tag:yaml.org,2002:int"
            and node.value.lstrip("+-")[:1] == "0"
            and len(node.value.lstrip("+-")) > 1
        ):
            return node.value  # 0500 (octal 320 to YAML 1.1), 0x10, 0b1010: advisor.bounds reads them
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise _Refused(f"cannot read the value {node.value[:40]!r}: {error}", line) from None
    except ValueError:  # int() refuses more than 4,300 digits
        digits = sum(character.isdigit() for character in node.value)
        raise _Refused(f"a number of {digits:,} digits is far too long to read", line) from None
