"""``advisor ask``: the chat as plain lines on standard input and output.

For screen readers, dumb terminals, ssh sessions and scripts: the same
:class:`~advisor.chat.conversation.Conversation` as the Textual chat, one
prompt a turn, no full-screen view and no Textual import. The buttons of the
chat are numbered options ("1) Text  2) Images  3) Something else"): typing
the number picks one. When standard input is not a terminal, each line read is
echoed after its prompt, so the output reads as the conversation it was, and
the chat ends at the end of the input; ``quit`` or ``exit`` end it anyway. At
the end the report is printed as ``advisor recommend`` prints it (linear, below), and
``--save FILE`` writes the answers file (the chat's export).

Colour (bold prompts and headings) only on a terminal, never with ``NO_COLOR``
set or ``TERM=dumb``; ``FORCE_COLOR`` asks for it through a pipe.

Everything it prints reads well a line at a time, as a screen reader reads it aloud: the
report is the linear one (the cost a line per category, the chart said in words, "$5 to $9"
for a range), whatever the terminal, because the people who listen to a terminal mostly run
an ordinary one, not ``TERM=dumb``. Under ``TERM=dumb`` or with ``--ascii`` every character
printed is ASCII too (``“”`` as ``"``, ``–`` as ``-``, ``€`` as ``EUR``): one filter,
:class:`Medium`, that every line goes through.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from advisor.chat.conversation import Conversation
from advisor.chat.export import export_into
from advisor.chat.modes import Option
from advisor.chat.replies import (
    Asked,
    Compared,
    Confirm,
    Explained,
    Exported,
    Goodbye,
    Recommended,
    Reply,
    Said,
    Traced,
    Unclear,
)
from advisor.chat.store import SessionStore
from advisor.errors import AdvisorError
from advisor.files import MissingFolder, NotARegularFile, check_writable, write_atomically
from advisor.kb.base import KnowledgeBase
from advisor.records import dataclass
from advisor.terminal import ascii_only, printable, spoken_ranges, visible

__all__ = ["Medium", "Plain", "colour_wanted", "plain_wanted", "run"]

WIDTH = 78
PROMPT = "> "


def colour_wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Bold text only where it helps: a terminal, no NO_COLOR, not TERM=dumb (or FORCE_COLOR)."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    return bool(environ.get("FORCE_COLOR")) or stream.isatty()


def plain_wanted(environ: Mapping[str, str], *, ascii: bool = False) -> bool:
    """ASCII only: asked for (``--ascii``), or a terminal that shows nothing else (``TERM=dumb``)."""
    return ascii or environ.get("TERM") == "dumb"


class Medium:
    """Standard output as ``advisor ask`` writes to it: ranges said as words ("$5 to $9"), and
    nothing but ASCII when ``ascii``. Everything printed goes through it."""

    def __init__(self, out: TextIO, *, ascii: bool) -> None:
        self.out = out
        self.ascii = ascii

    def write(self, text: str) -> int:
        said = spoken_ranges(text)
        self.out.write(ascii_only(said) if self.ascii else said)
        return len(text)

    def flush(self) -> None:
        self.out.flush()


class Plain:
    """Replies as plain lines of text."""

    def __init__(self, out: Medium, kb: KnowledgeBase, *, colour: bool = False) -> None:
        self.out = out
        self.kb = kb
        self.colour = colour

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.colour else text

    def heading(self, text: str) -> None:
        """A title, in bold where colour is wanted, wrapped like any line."""
        for line in textwrap.wrap(text, WIDTH, break_on_hyphens=False) or [""]:
            self.out.write(self.bold(line) + "\n")

    def line(self, text: str = "", indent: str = "") -> None:
        if not text:
            self.out.write("\n")
            return
        for paragraph in text.split("\n"):
            wrapped = textwrap.wrap(
                paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
            )
            self.out.write("\n".join(wrapped or [""]) + "\n")

    def options(self, labels: Sequence[str]) -> None:
        """Numbered options, on one line when they fit."""
        items = [f"{number}) {label}" for number, label in enumerate(labels, start=1)]
        joined = "   ".join(items)
        if len(joined) + 2 <= WIDTH:
            self.out.write(f"  {joined}\n")
        else:
            for item in items:
                self.out.write(f"  {item}\n")

    def show(self, replies: Sequence[Reply], conversation: Conversation) -> None:
        """The replies, then the answers a number picks now."""
        for reply in replies:
            self.line()
            if isinstance(reply, Said | Goodbye):
                self.line(reply.text)
            elif isinstance(reply, Asked):
                self._asked(reply)
            elif isinstance(reply, Unclear):
                examples = f" For example: {', '.join(reply.suggestions)}." if reply.suggestions else ""
                self.line(reply.text + examples)
            elif isinstance(reply, Confirm):
                self.line(reply.text)
            elif isinstance(reply, Explained):
                self._explained(reply)
            elif isinstance(reply, Recommended):
                self._recommended(reply)
            elif isinstance(reply, Traced):
                self.heading("How I decided")
                for item in reply.lines:
                    text = f"{item.text} ({item.effects})" if item.effects else item.text
                    self.line(f"{item.heading}: {text}" if item.heading else text, "  ")
            elif isinstance(reply, Compared):
                self._compared(reply)
            elif isinstance(reply, Exported):
                self.line(export_into(reply, Path.cwd()))
        numbered = _numbered(conversation)
        if numbered and not any(isinstance(reply, Goodbye) for reply in replies):
            self.options([option.label for option in numbered])
            if any(option.action == "choose" for option in numbered):
                self.line("Type a number, or answer in your own words.")

    def _asked(self, asked: Asked) -> None:
        question = asked.question
        self.heading(f"Question {asked.number} of {asked.total}")
        self.line(question.prompt)
        if asked.previous:
            self.line(f"(Last time you said: {asked.previous})")
        if question.examples and not question.choices:
            self.line(f"For example: {', '.join(question.examples)}.")

    def _explained(self, explained: Explained) -> None:
        self.heading(explained.title)
        self.line(explained.text)
        by_source: dict[str, int] = {}
        for claim_id in dict.fromkeys(explained.claims):
            claim = self.kb.claim.get(claim_id)
            if claim is not None:
                title = self.kb.source[claim.source].title
                by_source[title] = by_source.get(title, 0) + 1
        if by_source:
            sources = "; ".join(
                f"{title} ({count} quotes)" if count > 1 else title for title, count in by_source.items()
            )
            self.line(f"Sources: {sources}.", "  ")

    def _recommended(self, recommended: Recommended) -> None:
        """The report's first screen: what to do, what it costs, the reasons that decided and
        the next three steps; the full report follows when the person quits."""
        from advisor.outline import outline_of
        from advisor.render import to_text

        glance = outline_of(recommended.report).through("glance")
        self.out.write(to_text(glance, ascii=self.out.ascii, linear=True))
        self.line()
        self.line(
            "Ask why?, why not supervised?, what if my budget were $50k?, or type quit to finish: "
            "the full report, with its reasons and sources, is printed at the end."
        )

    def _compared(self, compared: Compared) -> None:
        heading = "Changed" if compared.kept else "What if"
        self.heading(f"{heading}: {'; '.join(compared.changes) or 'your answers'}")
        for moved in compared.moved:
            self.line(f"- {moved}", "  ")
        if not compared.kept:
            self.line("Say keep it to use these answers, or carry on.")


def _numbered(conversation: Conversation) -> list[Option]:
    """The options a number picks: the closed answers to what the chat asks (the other
    options are typed as words, and said in the replies)."""
    return [option for option in conversation.options if option.closed]


def _turn(conversation: Conversation, text: str) -> list[Reply]:
    """One typed line: a number picks an option, anything else is read as typed."""
    numbered = _numbered(conversation)
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(numbered):
        return conversation.pick(numbered[int(stripped) - 1])
    return conversation.handle(text)


def run(
    kb: KnowledgeBase,
    *,
    new: bool,
    save: Path | None,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    environ: Mapping[str, str] | None = None,
    ascii: bool = False,
) -> int:
    """The conversation, a line a turn, until the end of the input or quit; the exit code.
    ``ascii``: print nothing but ASCII (as under ``TERM=dumb``)."""
    environ = os.environ if environ is None else environ
    plain = plain_wanted(environ, ascii=ascii)
    if save is not None:
        try:
            check_writable(save)  # before the questions: a wrong --save is said at once
        except OSError as error:
            _error(stderr, f"--save {save}: {_why_not(error)}", ascii=plain)
            return 2
    store = SessionStore()
    conversation = Conversation(kb, store=store)
    colour = colour_wanted(stdout, environ)
    out = Medium(stdout, ascii=plain)
    view = Plain(out, kb, colour=colour)
    interactive = stdin.isatty()
    status = 0
    view.show(conversation.start(resume=not new), conversation)
    while True:
        out.write("\n" + PROMPT)
        out.flush()
        line = _read_line(stdin)
        if line is None:
            out.write("\n")
            break
        if isinstance(line, _TooLong):
            if not interactive:
                out.write(printable(line.start) + "...\n")
            view.show(conversation.not_read(line.said), conversation)
            continue
        text = line.rstrip("\r\n")
        if not interactive:
            out.write(printable(text) + "\n")
        try:
            replies = _turn(conversation, text)
            view.show(replies, conversation)
        except AdvisorError:  # standard output closed or full: the command's exit code says it
            raise
        except Exception as error:  # a bug of ours: said plainly, the details in a file
            status = 1
            path = conversation.saving.log_failure(error)
            where = f" (details in {path})" if path is not None else ""
            _error(stderr, f"something went wrong on my side with that line{where}", ascii=plain)
            continue
        if any(isinstance(reply, Goodbye) for reply in replies):
            break
    store.close()  # another chat may take up these answers now
    try:
        return _finish(conversation, view, save, out, stderr) or status
    except AdvisorError:  # standard output closed or full: the command's exit code says it
        raise
    except Exception as error:  # a bug of ours in the report: said plainly, the details in a file
        path = conversation.saving.log_failure(error)
        where = f" (details in {path})" if path is not None else ""
        _error(stderr, f"something went wrong on my side with the report{where}", ascii=plain)
        return 1


MAX_READ = 16 * 1024
"""The longest line read (characters): a longer one is said to be too long, and skipped
without being held (an unterminated line of hundreds of megabytes costs nothing)."""


@dataclass(frozen=True, slots=True)
class _TooLong:
    """A line longer than :data:`MAX_READ`, skipped: its start, and what to say of it."""

    start: str
    length: int

    @property
    def said(self) -> str:
        return (
            f"That line was too long for me ({self.length:,} characters); I did not read it. "
            "Please say it in a sentence or two."
        )


def _read_line(stdin: TextIO) -> str | _TooLong | None:
    """The next line, a :class:`_TooLong` for one too long, or ``None`` at the end of the input
    (or when it cannot be read)."""
    try:
        line = stdin.readline(MAX_READ + 1)
        if not line:
            return None
        if len(line) <= MAX_READ or line.endswith("\n"):
            return line
        start, length = line[:60], len(line)
        while line and not line.endswith("\n"):  # the rest of the line, a piece at a time
            line = stdin.readline(MAX_READ)
            length += len(line)
        return _TooLong(start, length - line.endswith("\n"))
    except (OSError, ValueError):  # closed or unreadable mid-way: the end of the conversation
        return None


def _finish(conversation: Conversation, view: Plain, save: Path | None, out: Medium, stderr: TextIO) -> int:
    """The report, as ``advisor recommend`` prints it but linear, and the answers file if asked for."""
    report = conversation.report if conversation.done else None
    if report is None:
        missing = conversation.current.name if conversation.current else "the questions"
        _error(stderr, f"no recommendation yet: {missing} still to answer", ascii=out.ascii)
        if save is not None:
            _error(stderr, f"{save} not written: the answers are not complete", ascii=out.ascii)
            return 2
        return 0
    from advisor.render import to_text

    out.write("\n" + "-" * WIDTH + "\n\n")
    out.write(to_text(report, ascii=out.ascii, linear=True))
    out.flush()
    if save is not None:
        exported = next(reply for reply in conversation.act("export") if isinstance(reply, Exported))
        try:
            write_atomically(save, exported.answers_yaml)
        except OSError as error:
            _error(stderr, f"{save} not written: {_why_not(error)}", ascii=out.ascii)
            return 2
        _error(stderr, f"answers saved to {save}", ascii=out.ascii)
    return 0


def _why_not(error: OSError) -> str:
    """Why a file cannot be written, in words: "is a symbolic link; only a regular file ..."."""
    if isinstance(error, NotARegularFile | MissingFolder):
        return str(error.strerror)
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    return f"cannot be written ({error.strerror or error})"


def _error(stderr: TextIO, text: str, *, ascii: bool = False) -> None:
    """A line on stderr, names in it shown literally (an escape sequence in a file name is
    written out, never obeyed); with ``ascii``, any other character too (``r\\xe9sum\\xe9.yaml``:
    a name is not respelled)."""
    line = f"advisor: {visible(text)}\n"
    stderr.write(line.encode("ascii", "backslashreplace").decode("ascii") if ascii else line)
