"""The ``advisor`` command: exit codes (0 ok, 2 bad usage or answers, 3 invalid
knowledge base), plain one-line errors for every class of bad input in
DESIGN.md ("Bad input is normal input"), the JSON contract, several files,
standard input, ``schema``, ``--version``/``--help``, and no chat without a terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import JSON_CONTRACT_KEYS, edit

import advisor
from advisor.kb import KnowledgeBase
from advisor.kb.models import APPROACHES, CATEGORIES
from advisor.sweep import profiles

GOOD = (
    "task: medical imaging\nlabels: labeled\nlabeled_examples: 1,000\n"
    "model_size: ResNet-50\nbudget_usd: $10k\n"
)
BOMB = "\n".join(
    ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
)

Run = Any
"""conftest.Run: code, out, err."""
CliRunner = Callable[..., Run]
Writer = Callable[..., Path]


def assert_plain_error(run: Run, code: int, *expected: str) -> None:
    """Exit ``code``; stdout empty; stderr a few plain lines with ``expected`` in them."""
    assert run.code == code, (run.code, run.err)
    assert run.out == ""
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert 1 <= len(lines) <= 6, run.err
    assert all(line.startswith("advisor: ") for line in lines), run.err
    for part in expected:
        assert part in run.err, (part, run.err)


# --- bad answers files: exit 2 -------------------------------------------------------------------

BAD_FILES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "empty": (b"", ("empty",)),
    "only-a-comment": (b"# nothing here\n", ("empty",)),
    "a-list": (b"- task\n- labels\n", ("mapping", "list")),
    "a-scalar": (b"just some words\n", ("mapping",)),
    "wrong-types": (
        b"task: [1, 2]\nlabels: {a: 1}\nmodel_size: {x: 1}\nbudget_usd: [1]\n",
        ("task:", "labels:", "model_size:", "budget_usd:"),
    ),
    "unknown-field": (GOOD.encode() + b"budjet: 5\n", ("'budjet' is not a field", "budget_usd")),
    "huge": (b"task: " + b"x" * (2 * 1024 * 1024) + b"\n", ("larger than",)),
    "duplicate-keys": (GOOD.encode() + b"task: text\n", (":6:", "'task' appears twice", "line 1")),
    "alias-bomb": (BOMB.encode(), (":2:", "alias")),
    "python-tag": (b"task: !!python/object/apply:os.system ['echo pwned']\n", (":1:", "tag", "not allowed")),
    "binary-junk": (bytes(range(256)) * 4, ("UTF-8",)),
    "nul-bytes": (b"task: text\x00\n", ("NUL",)),
    "unreadable-value": (
        GOOD.replace("labels: labeled", "labels: lbld").encode(),
        ("labels:", "'lbld'", "closest: labeled"),
    ),
    "currency": (GOOD.replace("$10k", "10k yen").encode(), ("budget_usd:", "USD")),
    "syntax-error": (b"task: text\n  labels: [\n", ("not valid YAML",)),
    "escape-in-a-comment": (
        GOOD.replace("labels: labeled", "labels: labeled  # \x1b[31mred").encode(),
        (":2:20:", "U+001B (ESC)", "delete it"),
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_answers_file_exits_2_with_a_plain_message_naming_the_file(
    cli: CliRunner, write_answers: Writer, name: str
) -> None:
    content, expected = BAD_FILES[name]
    path = write_answers(content, name=f"{name}.yaml")
    assert_plain_error(cli("recommend", path), 2, f"{path}", *expected)


def test_missing_answers_file(cli: CliRunner, tmp_path: Path) -> None:
    assert_plain_error(cli("recommend", tmp_path / "nope.yaml"), 2, "nope.yaml: no such file")


def test_folder_as_answers_file(cli: CliRunner, tmp_path: Path) -> None:
    assert_plain_error(cli("recommend", tmp_path), 2, str(tmp_path), "folder")


def test_strict_refuses_what_it_would_otherwise_read(cli: CliRunner, write_answers: Writer) -> None:
    path = write_answers(GOOD)
    assert cli("recommend", path).code == 0
    run = cli("recommend", path, "--strict")
    assert_plain_error(run, 2, "--strict")


def test_every_bad_file_reported_by_a_real_process_without_traceback(
    advisor_process: Callable[..., Run], write_answers: Writer
) -> None:
    paths = [write_answers(content, name=f"{name}.yaml") for name, (content, _) in BAD_FILES.items()]
    run = advisor_process("recommend", *paths)
    assert run.code == 2, run.err
    assert run.out == ""
    assert "Traceback" not in run.err
    for path in paths:
        assert str(path) in run.err


def test_markup_in_answers_is_reported_literally(cli: CliRunner, write_answers: Writer) -> None:
    path = write_answers(
        'task: text\nlabels: "[bold]x[/bold] [@click=app.quit]"\n'
        "labeled_examples: 10\nmodel_size: small\nbudget_usd: 1000\n"
    )
    assert_plain_error(cli("recommend", path), 2, "'[bold]x[/bold] [@click=app.quit]'")


def test_markup_in_a_readable_answer_is_shown_literally(cli: CliRunner, write_answers: Writer) -> None:
    path = write_answers(
        'task: "x-rays [@click=app.quit] [bold]"\nlabels: labeled\n'
        "labeled_examples: 10\nmodel_size: small\nbudget_usd: 1000\n"
    )
    run = cli("recommend", path)
    assert run.code == 0, run.err
    assert "[@click=app.quit] [bold]" in run.out


def test_standard_input_twice_is_bad_usage(cli: CliRunner) -> None:
    assert_plain_error(cli("recommend", "-", "-", stdin=GOOD.encode()), 2, "standard input")


def test_argument_errors_exit_2(cli: CliRunner) -> None:
    for args in (("recommend",), ("bogus",), ("recommend", "x.yaml", "--format", "pdf"), ("kb",)):
        run = cli(*args)
        assert run.code == 2, args
        assert "Traceback" not in run.err


# --- invalid knowledge base: exit 3 -------------------------------------------------------------


def test_invalid_knowledge_base_exits_3(cli: CliRunner, kb_dir: Path, write_answers: Writer) -> None:
    rules = kb_dir / "rules.yaml"
    rules.write_text(rules.read_text().replace("claims: [data-governance]", "claims: [no-such-claim]", 1))
    path = write_answers(GOOD)
    for args in (("recommend", path, "--knowledge", kb_dir), ("--knowledge", kb_dir, "recommend", path)):
        run = cli(*args)
        assert_plain_error(run, 3, "rules.yaml:", "unknown claim 'no-such-claim'")
    assert_plain_error(cli("kb", "check", "--knowledge", kb_dir), 3, "no-such-claim")


def test_an_escape_sequence_in_knowledge_text_exits_3_and_never_reaches_the_terminal(
    cli: CliRunner, kb_dir: Path, write_answers: Writer
) -> None:
    """A FAQ question that would retitle the terminal (OSC 0) is refused by every command."""
    edit(kb_dir / "faq.yaml", "question: What is fine-tuning in AI?", 'question: "\\e]0;pwned\\a"')
    for args in (
        ("kb", "check", "--knowledge", kb_dir),
        ("recommend", write_answers(GOOD), "--knowledge", kb_dir),
    ):
        run = cli(*args)
        assert_plain_error(run, 3, "faq.yaml:", "faq entry 'what-is-fine-tuning' question:", "U+001B (ESC)")
        assert "\x1b" not in run.err and "\x07" not in run.err


@pytest.mark.usefixtures("sweep_stride")
def test_a_choice_added_to_the_knowledge_base_works_end_to_end(
    cli: CliRunner, kb_dir: Path, write_answers: Writer
) -> None:
    """The vocabulary is the knowledge base's: a new hardware choice needs no code."""
    edit(
        kb_dir / "questions.yaml",
        "      - value: cpu\n",
        "      - value: npu\n        label: NPU\n        aliases: [neural engine]\n      - value: cpu\n",
    )
    assert cli("kb", "check", "--knowledge", kb_dir).code == 0
    run = cli(
        "recommend",
        write_answers(GOOD + "hardware: neural engine\n"),
        "--knowledge",
        kb_dir,
        "--format",
        "json",
    )
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert report["answers"]["hardware"] == "npu"
    assert any("'neural engine' as 'npu'" in warning for warning in report["warnings"])
    schema = json.loads(cli("schema", "--knowledge", kb_dir).out)
    assert "npu" in schema["properties"]["hardware"]["examples"]


def test_knowledge_folder_that_does_not_exist_exits_3(
    cli: CliRunner, tmp_path: Path, write_answers: Writer
) -> None:
    run = cli("recommend", write_answers(GOOD), "--knowledge", tmp_path / "none")
    assert_plain_error(run, 3, "is not a folder")


def test_kb_check_passes_for_the_bundled_knowledge_base(
    cli: CliRunner, seeds: Path, kb: KnowledgeBase, sweep_stride: int
) -> None:
    run = cli("kb", "check", "--sources", seeds)
    assert run.code == 0, run.err
    assert "is valid" in run.out
    assert "quotes found in their sources" in run.out
    grid = len(list(profiles(kb)))  # the whole grid: this module's own import
    assert f"sweep of {len(range(0, grid, sweep_stride))} profiles" in run.out


def test_kb_check_fails_on_a_changed_quote(cli: CliRunner, kb_dir: Path, seeds: Path) -> None:
    claims = kb_dir / "claims.yaml"
    text = claims.read_text()
    claims.write_text(text.replace("it also incurs various costs", "it also incurs many costs", 1))
    assert_plain_error(
        cli("kb", "check", "--knowledge", kb_dir, "--sources", seeds), 3, "its quote is not in"
    )


# --- the JSON contract -------------------------------------------------------------------------


def _assert_contract(report: dict[str, Any]) -> None:
    for key in JSON_CONTRACT_KEYS:
        assert key in report, key
    recommendation = report["recommendation"]
    assert recommendation["approach"] in APPROACHES
    assert isinstance(recommendation["fits_budget"], bool)
    cost = recommendation["cost"]
    assert cost["low_usd"] <= cost["high_usd"]
    assert [b["category"] for b in cost["breakdown"]] == list(CATEGORIES)
    assert {a["approach"] for a in report["alternatives"]} == set(APPROACHES) - {recommendation["approach"]}
    for citation in report["citations"]:
        assert {"claim", "source", "title", "quote"} <= set(citation)
    for entry in report["trace"]:
        assert {"rule", "fired", "failed_condition"} <= set(entry)
    for assumption in report["assumptions"]:
        assert {"id", "value", "unit", "text"} <= set(assumption)


def test_recommend_json_parses_and_matches_the_contract(cli: CliRunner, write_answers: Writer) -> None:
    run = cli("recommend", write_answers(GOOD), "--format", "json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    _assert_contract(report)
    assert report["recommendation"]["approach"] == "transfer-learning"
    assert report["advisor_version"] == advisor.__version__


def test_recommend_json_from_a_real_process(
    advisor_process: Callable[..., Run], write_answers: Writer, tmp_path: Path
) -> None:
    path = write_answers(GOOD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = advisor_process("recommend", path, "--format", "json", cwd=elsewhere)
    assert run.code == 0, run.err
    _assert_contract(json.loads(run.out))


def test_several_files_give_one_json_object_per_line_and_a_bad_one_gives_exit_2(
    cli: CliRunner, write_answers: Writer, tmp_path: Path
) -> None:
    first = write_answers(GOOD)
    second = write_answers(GOOD.replace("labels: labeled", "labels: no"))
    run = cli("recommend", first, tmp_path / "missing.yaml", second, "--format", "json")
    assert run.code == 2
    lines = run.out.splitlines()
    assert len(lines) == 2
    reports = [json.loads(line) for line in lines]
    for report in reports:
        _assert_contract(report)
    assert [r["answers"]["labels"] for r in reports] == ["labeled", "unlabeled"]
    assert "missing.yaml: no such file" in run.err
    assert "Traceback" not in run.err


def test_a_control_character_in_one_of_several_files_stops_only_that_file(
    advisor_process: Callable[..., Run], write_answers: Writer
) -> None:
    first = write_answers(GOOD)
    broken = write_answers(GOOD.replace("labels: labeled", "labels: labeled  # \x1b[31mred"))
    last = write_answers(GOOD.replace("labels: labeled", "labels: no"))
    run = advisor_process("recommend", first, broken, last, "--format", "json")
    assert run.code == 2, run.err
    labels = [json.loads(line)["answers"]["labels"] for line in run.out.splitlines()]
    assert labels == ["labeled", "unlabeled"]
    assert run.err.count("\n") == 1 and f"{broken}:2:20: " in run.err
    assert "Traceback" not in run.err and "\x1b" not in run.err


def test_a_control_character_in_a_knowledge_file_exits_3(
    cli: CliRunner, kb_dir: Path, write_answers: Writer
) -> None:
    edit(kb_dir / "faq.yaml", "faq:", "# \x1b]0;title\x07\nfaq:")
    run = cli("kb", "check", "--knowledge", kb_dir)
    assert_plain_error(run, 3, "faq.yaml:5:3:", "U+001B (ESC)")
    assert_plain_error(cli("recommend", write_answers(GOOD), "--knowledge", kb_dir), 3, "faq.yaml:5:3:")


def test_several_good_files_exit_0(cli: CliRunner, write_answers: Writer) -> None:
    run = cli("recommend", write_answers(GOOD), write_answers(GOOD), "--format", "json")
    assert run.code == 0
    assert len(run.out.splitlines()) == 2


def test_dash_reads_standard_input(cli: CliRunner) -> None:
    run = cli("recommend", "-", "--format", "json", stdin=GOOD.encode())
    assert run.code == 0, run.err
    assert json.loads(run.out)["answers"]["labeled_examples"] == 1000


def test_dash_reads_standard_input_in_a_real_process(advisor_process: Callable[..., Run]) -> None:
    run = advisor_process("recommend", "-", input=GOOD.encode())
    assert run.code == 0, run.err
    assert run.out.startswith("Recommendation: Transfer learning")


def test_bad_standard_input_names_stdin(cli: CliRunner) -> None:
    assert_plain_error(cli("recommend", "-", stdin=b"- a\n"), 2, "<stdin>")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_formats(cli: CliRunner, write_answers: Writer, fmt: str) -> None:
    run = cli("recommend", write_answers(GOOD), "--format", fmt)
    assert run.code == 0, run.err
    assert "Transfer learning" in run.out
    assert run.out.startswith("# Recommendation" if fmt == "markdown" else "Recommendation")


# --- schema, version, help ----------------------------------------------------------------------


def test_schema_prints_the_json_schema_of_the_answers_file(cli: CliRunner) -> None:
    run = cli("schema")
    assert run.code == 0
    schema = json.loads(run.out)
    assert "json-schema.org" in schema["$schema"]
    assert schema["type"] == "object"
    for field in (
        "task",
        "labels",
        "labeled_examples",
        "model_size",
        "budget_usd",
        "hardware",
        "assumptions",
    ):
        assert field in schema["properties"], field
    assert set(schema["required"]) == {"task", "labels", "model_size", "budget_usd"}
    assert schema.get("additionalProperties") is False


def test_version(cli: CliRunner, advisor_process: Callable[..., Run]) -> None:
    run = cli("--version")
    assert run.code == 0
    assert run.out.strip() == f"advisor {advisor.__version__}"
    assert advisor_process("--version").out.strip() == f"advisor {advisor.__version__}"


def test_help_lists_the_commands_and_exit_codes(cli: CliRunner) -> None:
    run = cli("--help")
    assert run.code == 0
    for word in ("recommend", "schema", "kb", "Exit codes"):
        assert word in run.out
    recommend = cli("recommend", "--help")
    assert recommend.code == 0
    assert "--strict" in recommend.out and "--format" in recommend.out


# --- no terminal, no chat -------------------------------------------------------------------------


def test_without_a_terminal_advisor_points_to_ask_and_recommend_and_does_not_chat(
    advisor_process: Callable[..., Run],
) -> None:
    run = advisor_process()  # stdin is /dev/null, stdout a pipe
    assert "Traceback" not in run.err
    assert "advisor ask" in run.err and "advisor recommend" in run.err
    assert run.out == ""  # no screen was painted
    assert run.code in (1, 2)  # see test_without_a_terminal_exit_code_is_2


def test_without_a_terminal_exit_code_is_2(advisor_process: Callable[..., Run]) -> None:
    assert advisor_process().code == 2
    assert advisor_process("chat").code == 2


def test_without_a_terminal_no_textual_is_imported(cli: CliRunner) -> None:
    import sys

    before = "textual.app" in sys.modules
    run = cli("chat")
    assert "advisor recommend" in run.err
    if not before:
        assert "textual.app" not in sys.modules


def test_without_a_terminal_another_textual_driver_does_not_open_the_chat(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only Textual's web driver (``advisor serve``) runs the chat through pipes."""
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    run = cli("chat")
    assert run.code == 2
    assert "advisor recommend" in run.err


# --- the garbage collector while a command starts --------------------------------------------------


def test_reports_are_made_with_the_collector_on_and_it_is_left_as_it_was(
    cli: CliRunner, write_answers: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import advisor.report

    seen: list[bool] = []
    build = advisor.report.build_report
    monkeypatch.setattr(advisor.report, "build_report", lambda *a: seen.append(gc.isenabled()) or build(*a))
    path = write_answers(GOOD)
    assert cli("recommend", path, path).code == 0
    assert seen == [True, True]
    assert gc.isenabled()
    gc.disable()
    try:
        assert cli("recommend", path).code == 0
        assert not gc.isenabled()
        assert cli("recommend", "--bogus").code == 2
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert cli("recommend", "--bogus").code == 2
    assert gc.isenabled()


def test_the_chat_runs_with_the_collector_on(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import sys

    import advisor.tui.app

    seen: list[bool] = []
    monkeypatch.setattr(advisor.tui.app, "run", lambda kb, new: seen.append(gc.isenabled()) or 0)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert cli("chat").code == 0
    assert seen == [True]


class _Terminal:
    """A stand-in for a terminal's standard stream."""

    def isatty(self) -> bool:
        return True
