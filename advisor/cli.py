"""The ``advisor`` command.

``advisor`` alone opens the chat, ``advisor serve`` serves it to browsers; the
subcommands without a screen never import Textual, so scripts start fast:
``advisor ask`` is the chat as plain lines. Exit codes (DESIGN.md): 0 ok, 2 bad
usage or answers, 3 invalid knowledge base, 4 output that cannot be written (a
full disk, a closed standard output, a reader gone: each error carries its own,
:mod:`advisor.errors`); anything else is a bug. Errors are a few plain lines on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import os
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from advisor import __version__
from advisor.errors import AdvisorError, KnowledgeError, OutputError, UsageError

__all__ = ["main"]


def _shared(*, top: bool) -> argparse.ArgumentParser:
    """Options every command takes, given before or after the command's name."""
    # Below the top level the default is SUPPRESS, so that `advisor --knowledge X recommend`
    # keeps X rather than having the subcommand's default overwrite it.
    default: Any = None if top else argparse.SUPPRESS
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        default=default,
        help="use the knowledge base in DIR instead of the bundled one",
    )
    return shared


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advisor",
        parents=[_shared(top=True)],
        description=(
            "Which way to fine-tune a model (supervised, unsupervised or transfer learning), "
            "what it will roughly cost, and why, with sources. Run without arguments to chat."
        ),
        epilog=(
            "Exit codes: 0 ok, 2 bad usage or answers file, 3 invalid knowledge base, "
            "4 output that cannot be written (a full disk, a closed standard output)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    parser.add_argument(
        "--new", action="store_true", help="start a new conversation instead of offering to resume"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    shared = [_shared(top=False)]

    recommend = commands.add_parser(
        "recommend",
        parents=shared,
        help="recommend from answers files, without the chat",
        description="Read answers files (YAML or JSON; - for standard input) and print a recommendation.",
    )
    recommend.add_argument("files", nargs="+", metavar="FILE", help="answers file, or - for standard input")
    recommend.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text for a person (default), markdown for a report, json for scripts "
        "(one object per line with several files)",
    )
    recommend.add_argument(
        "--brief",
        action="store_true",
        help="print only the first screen: what to do, what it costs, the reasons that decided "
        "and the next three steps (text and markdown; JSON is always whole)",
    )
    recommend.add_argument("--strict", action="store_true", help="accept canonical values only")
    recommend.add_argument(
        "--ascii",
        action="store_true",
        help="print nothing but ASCII characters, the cost chart too (the default when TERM=dumb)",
    )

    commands.add_parser("schema", parents=shared, help="print the JSON Schema of the answers file")

    kb = commands.add_parser("kb", help="knowledge base tools")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    check = kb_commands.add_parser(
        "check",
        parents=shared,
        help="validate a knowledge base",
        description="Validate a knowledge base: schema, references, quotes, answer space, cases.",
    )
    check.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="folder of the source documents; checks every quote verbatim",
    )

    ask = commands.add_parser(
        "ask",
        parents=shared,
        help="the chat as plain lines on standard input and output (screen readers, pipes, ssh)",
        description=(
            "The same conversation as the chat, one prompt a turn, without a full-screen view. "
            "Type a number to pick an option. Reads one line a turn from a pipe and stops at its "
            "end; quit or exit end it. The report is printed at the end."
        ),
    )
    ask.add_argument("--new", action="store_true", help="start afresh instead of offering to resume")
    ask.add_argument(
        "--save", type=Path, metavar="FILE", help="write the answers file at the end (as the chat's export)"
    )
    ask.add_argument(
        "--ascii", action="store_true", help="print nothing but ASCII characters (the default when TERM=dumb)"
    )
    serve = commands.add_parser(
        "serve",
        parents=shared,
        help="serve the chat to web browsers",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Serve the chat to web browsers (textual-serve). Open the address it prints.\n\n"
            "Every visitor gets a chat of their own, run as a separate process on this machine;\n"
            "nothing is kept between visits: a visitor's export arrives as downloads in their browser."
        ),
        epilog=(
            "By default only this machine can connect (127.0.0.1). --host 0.0.0.0 exposes the chat\n"
            "to every machine that can reach the port: anyone who can reach it gets a chat, with no\n"
            "password and no encryption, and each visitor starts a process on this machine.\n\n"
            "Only the address served is answered, and only its own pages may open a chat: another\n"
            "site's page, or a name that merely points at this machine, gets 403 Forbidden.\n"
            "A visitor's chat ends within seconds of their leaving; past --max-visitors the next\n"
            "one gets a page saying the advisor is busy, which tries again by itself."
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--max-visitors",
        type=int,
        metavar="N",
        help=(
            "chats running at once; the next visitor is asked to wait (default: sized for this "
            "machine, 4 a core within a quarter of its memory, 2 to 32)"
        ),
    )
    serve.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help=(
            "also accept pages and websockets from ORIGIN, such as https://chat.example.org for a "
            "proxy in front (repeatable)"
        ),
    )

    chat = commands.add_parser("chat", parents=shared, help="open the chat (the default)")
    chat.add_argument(
        "--new",
        action="store_true",
        default=argparse.SUPPRESS,
        help="start a new conversation instead of offering to resume",
    )
    return parser


_PRINTING = {"recommend", "schema", "kb", "ask"}
"""The commands whose result goes to standard output."""


def main(argv: list[str] | None = None) -> int:
    collecting = gc.isenabled()
    gc.disable()  # until the command has made what it keeps: see _started
    try:
        return _main(argv)
    finally:
        gc.unfreeze()
        (gc.enable if collecting else gc.disable)()


def _started() -> None:
    """The command has made what it keeps to the end (its modules, the knowledge base, the
    engine): the cyclic garbage collector runs again, and leaves those out.

    While they are made, it would walk the new objects again and again and free next to
    nothing; once they are made, they are frozen (``gc.freeze``) so that no collection walks
    them again. That is about 5 ms of a 115 ms `advisor recommend`, and 40 of the chat's 300 ms
    to its first question, most of them while Textual is imported (``python benchmarks/bench.py
    startup chat-start``). :func:`main` unfreezes them when the command ends, for callers in
    the process."""
    gc.freeze()
    gc.enable()


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in _PRINTING:
            out = _Output.of(sys.stdout)
            code = _print(args, cast(TextIO, out))
            out.flush()
            return code
        if args.command == "serve":
            return _serve(args)
        return _chat(args)
    except OutputError as error:
        _silence_stdout()
        _print_error(error)
        return error.exit_code
    except AdvisorError as error:
        _print_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _print(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "recommend":
        return _recommend(args, out)
    if args.command == "schema":
        return _schema(args, out)
    if args.command == "kb":
        return _kb_check(args, out)
    return _ask(args, out)


class _Output(io.TextIOBase):
    """Standard output for a command's result: a write or a flush that fails is an
    :class:`OutputError` (exit code 4), told apart from every other ``OSError``."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @classmethod
    def of(cls, stream: TextIO | None) -> _Output:
        if stream is None:  # Python's stdout when file descriptor 1 is closed (`>&-`)
            raise OutputError("standard output is closed, so nothing can be written")
        return cls(stream)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise _unwritable(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise _unwritable(error) from None

    def isatty(self) -> bool:
        return self._stream.isatty()


def _unwritable(error: OSError) -> OutputError:
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        return OutputError("standard output was closed by its reader before everything was written")
    if error.errno == errno.EBADF:
        return OutputError("standard output is closed, so nothing can be written")
    return OutputError(f"cannot write to standard output: {error.strerror or error}")


def _silence_stdout() -> None:
    """Point file descriptor 1 at the null device, as the Python docs advise for a broken pipe:
    the interpreter flushes standard output once more on exit, and that flush must not fail."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # closed, or not a real file (tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _say(line: str) -> None:
    """One line on stderr, unless it is closed too (``print`` would then write to stdout).
    Names in it (a file's, a folder's) are shown literally: an escape sequence or a
    right-to-left override in a file name is written out, never obeyed by the terminal."""
    if sys.stderr is None:
        return
    from advisor.terminal import visible

    with contextlib.suppress(OSError):
        print("\n".join(visible(part) for part in line.split("\n")), file=sys.stderr, flush=True)


def _print_error(error: AdvisorError) -> None:
    for problem in error.problems[:20]:
        _say(f"advisor: {problem}")
    if len(error.problems) > 20:
        _say(f"advisor: ... and {len(error.problems) - 20} more problems")


def _recommend(args: argparse.Namespace, out: TextIO) -> int:
    from advisor.answers import load_answers
    from advisor.checks import load_checked
    from advisor.decision.engine import Engine
    from advisor.outline import Outline, outline_of
    from advisor.render import to_json, to_markdown, to_text
    from advisor.report import Numbering, build_report

    if args.brief and args.format == "json":
        raise UsageError(
            "--brief shortens text and markdown only: the JSON report is always whole (its first "
            "screen is in recommendation.plain, recommendation.deciding and recommendation.first_steps)"
        )
    kb = load_checked(args.knowledge)
    engine = Engine(kb)
    _started()
    status = 0
    if args.files.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    first = True
    for path in args.files:
        try:
            normalized = load_answers(path, kb, strict=args.strict, stdin=sys.stdin)
        except AdvisorError as error:
            _print_error(error)
            status = error.exit_code
            continue
        report = build_report(kb, engine, normalized)
        if args.format == "json":
            out.write(to_json(report, indent=None if len(args.files) > 1 else 2) + "\n")
        else:
            if not first:
                out.write("\n" + ("-" * 78 if args.format == "text" else "---") + "\n\n")
            if len(args.files) > 1:
                out.write(_heading(path, markdown=args.format == "markdown"))
            ascii = args.ascii or os.environ.get("TERM") == "dumb"
            shown = outline_of(report)
            if args.brief:  # the first screen, without citation numbers whose sources it leaves out
                shown = Outline(shown.through("glance").sections, Numbering({}))
            out.write(to_text(shown, ascii=ascii) if args.format == "text" else to_markdown(shown))
        first = False
        out.flush()
    return status


def _heading(path: str, *, markdown: bool) -> str:
    """The line that says which answers file a report is of, the name shown literally (and
    in Markdown, a comment that the name cannot close)."""
    from advisor.terminal import visible

    heading = f"Answers: {visible(path)}"
    if markdown:
        return "<!-- " + heading.replace("-->", "--\\x3e") + " -->\n"
    return heading + "\n\n"


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from advisor.answers import answers_schema
    from advisor.checks import load_checked

    out.write(json.dumps(answers_schema(load_checked(args.knowledge)), indent=2) + "\n")
    return 0


def _kb_check(args: argparse.Namespace, out: TextIO) -> int:
    _started()  # every check makes objects to throw away
    from advisor.checks import check_knowledge

    result = check_knowledge(args.knowledge, args.sources)
    for warning in result.warnings:
        _say(f"advisor: warning: {warning}")
    if not result.ok:
        raise KnowledgeError(result.problems)
    kb = result.kb
    assert kb is not None
    quotes = f", {result.quotes_checked} quotes found in their sources" if args.sources else ""
    open_ = ", ".join(f"{approach} {count}" for approach, count in sorted(result.wins.items()))
    from advisor.terminal import visible

    lines = [
        f"knowledge base {visible(kb.version)} at {visible(kb.directory)} is valid",
        f"  {len(kb.sources)} sources, {len(kb.claims)} claims{quotes}",
        f"  {len(kb.questions)} questions, {len(kb.rules)} rules, {len(kb.costs.lines)} cost lines, "
        f"{len(kb.costs.quantities)} quantities, {len(kb.costs.assumptions)} assumptions",
        f"  {len(kb.terms)} glossary terms, {len(kb.faq)} FAQ entries",
        f"  {result.task_words} words of task descriptions in {result.task_families} families",
        f"  {result.points} points of the answer space, none with every approach ruled out "
        f"(open at each: {open_})",
        f"  {result.cases} cases pass",
    ]
    if result.sweep is not None:
        sweep = result.sweep
        lines.append(
            f"  sweep of {sweep.profiles} profiles in {sweep.seconds:.1f} s: 0 on every count "
            f"({'; '.join(f'{count} {name}' for name, count in sweep.counts.items())}); "
            f"median range {sweep.median_width:.2f} times wide"
        )
    out.write("\n".join(lines) + "\n")
    return 0


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    from advisor.ask import run
    from advisor.checks import load_checked

    if sys.stdin is None:  # file descriptor 0 closed (`<&-`)
        raise UsageError(
            "standard input is closed: `advisor ask` reads your answers from it, a line a turn "
            "(type them, or pipe them in); for answers in a file, `advisor recommend FILE`"
        )
    kb = load_checked(args.knowledge)
    _started()
    return run(
        kb, new=args.new, save=args.save, stdin=sys.stdin, stdout=out, stderr=sys.stderr, ascii=args.ascii
    )


def _serve(args: argparse.Namespace) -> int:
    from advisor.checks import load_checked
    from advisor.tui.serve import read_origins, serve

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: a port is a number from 1 to 65535")
    if args.max_visitors is not None and not 0 < args.max_visitors <= 10_000:
        raise UsageError(f"--max-visitors {args.max_visitors}: a number of visitors from 1 to 10,000")
    origins = read_origins(args.allow_origin)
    load_checked(args.knowledge)  # an invalid knowledge base fails here, not in every visitor's page
    _started()
    return serve(
        args.host, args.port, knowledge=args.knowledge, max_visitors=args.max_visitors, allow_origins=origins
    )


def _chat(args: argparse.Namespace) -> int:
    if not (sys.stdin is not None and sys.stdin.isatty() and sys.stdout is not None and sys.stdout.isatty()):
        # Under `advisor serve` the chat talks to a browser through pipes, with TEXTUAL_DRIVER
        # naming Textual's web driver; anything else without a terminal is a script's mistake.
        from advisor.tui.driver import browser_driver

        if not browser_driver():
            raise UsageError(
                "the chat needs a terminal: `advisor ask` is the same conversation as plain lines "
                "(screen readers, pipes, ssh); for answers in a file, `advisor recommend FILE`"
            )
    from advisor.checks import load_checked
    from advisor.tui.app import run

    kb = load_checked(args.knowledge)
    _started()
    return run(kb, new=bool(getattr(args, "new", False)))
