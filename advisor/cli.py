"""The ``advisor`` command.

``advisor`` alone opens the chat, ``advisor serve`` serves it to browsers; the
other subcommands work without a screen and never import Textual, so scripts
start fast. Exit codes (DESIGN.md): 0 ok,
2 bad usage or answers, 3 invalid knowledge base (each error carries its own,
:mod:`advisor.errors`); anything else is a bug. Errors are a few plain lines
on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from advisor import __version__
from advisor.errors import AdvisorError, KnowledgeError, UsageError

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
        epilog="Exit codes: 0 ok, 2 bad usage or answers file, 3 invalid knowledge base.",
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
    recommend.add_argument("--strict", action="store_true", help="accept canonical values only")

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
            "password and no encryption, and each visitor starts a process on this machine."
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")

    chat = commands.add_parser("chat", parents=shared, help="open the chat (the default)")
    chat.add_argument(
        "--new",
        action="store_true",
        default=argparse.SUPPRESS,
        help="start a new conversation instead of offering to resume",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "recommend":
            return _recommend(args, sys.stdout)
        if args.command == "schema":
            return _schema(args, sys.stdout)
        if args.command == "kb":
            return _kb_check(args, sys.stdout)
        if args.command == "serve":
            return _serve(args)
        return _chat(args)
    except AdvisorError as error:
        _print_error(error)
        return error.exit_code
    except BrokenPipeError:
        # A reader such as `head` went away: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _print_error(error: AdvisorError) -> None:
    for problem in error.problems[:20]:
        print(f"advisor: {problem}", file=sys.stderr)
    if len(error.problems) > 20:
        print(f"advisor: ... and {len(error.problems) - 20} more problems", file=sys.stderr)


def _recommend(args: argparse.Namespace, out: TextIO) -> int:
    from advisor.answers import load_answers
    from advisor.engine import Engine
    from advisor.kb import load_knowledge
    from advisor.render import to_json, to_markdown, to_text
    from advisor.report import build_report

    kb = load_knowledge(args.knowledge)
    engine = Engine(kb)
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
                heading = f"Answers: {path}"
                out.write(f"<!-- {heading} -->\n" if args.format == "markdown" else heading + "\n\n")
            out.write(to_text(report) if args.format == "text" else to_markdown(report))
        first = False
        out.flush()
    return status


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from advisor.answers import answers_schema
    from advisor.kb import load_knowledge

    out.write(json.dumps(answers_schema(load_knowledge(args.knowledge)), indent=2) + "\n")
    return 0


def _kb_check(args: argparse.Namespace, out: TextIO) -> int:
    from advisor.checks import check_knowledge

    result = check_knowledge(args.knowledge, args.sources)
    if not result.ok:
        raise KnowledgeError(result.problems)
    kb = result.kb
    assert kb is not None
    quotes = f", {result.quotes_checked} quotes found in their sources" if args.sources else ""
    wins = ", ".join(f"{approach} {count}" for approach, count in sorted(result.wins.items()))
    out.write(
        f"knowledge base {kb.version} at {kb.directory} is valid\n"
        f"  {len(kb.sources)} sources, {len(kb.claims)} claims{quotes}\n"
        f"  {len(kb.questions)} questions, {len(kb.rules)} rules, "
        f"{len(kb.costs.lines)} cost lines, {len(kb.costs.assumptions)} assumptions\n"
        f"  {len(kb.terms)} glossary terms, {len(kb.faq)} FAQ entries\n"
        f"  {result.points} points of the answer space, each with one recommendation ({wins})\n"
        f"  {result.cases} cases pass\n"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from advisor.kb import load_knowledge
    from advisor.tui.serve import serve

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: a port is a number from 1 to 65535")
    load_knowledge(args.knowledge)  # an invalid knowledge base fails here, not in every visitor's page
    return serve(args.host, args.port, knowledge=args.knowledge)


def _chat(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Under `advisor serve` the chat talks to a browser through pipes, with TEXTUAL_DRIVER
        # naming Textual's web driver; anything else without a terminal is a script's mistake.
        from advisor.tui.driver import browser_driver

        if not browser_driver():
            raise UsageError(
                "the chat needs a terminal; for scripts use `advisor recommend FILE` "
                "(or - for standard input)"
            )
    from advisor.kb import load_knowledge
    from advisor.tui.app import run

    kb = load_knowledge(args.knowledge)
    return run(kb, new=bool(getattr(args, "new", False)))
