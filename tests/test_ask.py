"""``advisor ask``: the chat as plain lines, end to end through a real process with piped input."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import SHOES, TICKETS, Run, ask

from advisor.answers import asked, load_answers, normalize
from advisor.ask import plain_wanted, run
from advisor.conditions import holds
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase, default_knowledge_dir, load_cases
from advisor.reading import Reader
from advisor.render import to_text
from advisor.report import build_report
from advisor.terminal import spoken_ranges

ESCAPE = "\033["
GLOSSARY = "Words used here"


ONE_LINE = [
    "I have 5k labelled support tickets to classify, want to fine-tune BERT, budget 3000 dollars",
    "skip",
    "skip",
]
"""Everything in one line, then the team and the hardware skipped."""


def test_everything_in_one_line_reaches_the_report_in_two_turns(tmp_path: Path) -> None:
    run = ask(tmp_path, ONE_LINE, "--new")
    assert run.returncode == 0, run.err
    assert "Traceback" not in run.out + run.err
    out = run.out
    read = " ".join(out.split("I read: ", 1)[1].split("\n\n", 1)[0].split())  # wrapped at 80 columns
    said = "output: “A label per input”; kind of data: “Text”; “Yes, labeled”; 5,000 labeled examples"
    assert read.startswith(said), read
    assert out.count("\n> ") == 4  # one prompt a turn: three lines, then the end of the input
    assert "> skip" in out  # the lines read are echoed after their prompts
    assert "Recommendation: Transfer learning" in out  # the report, as `advisor recommend` prints it


def test_the_report_printed_is_the_one_recommend_gives_for_the_saved_answers(
    tmp_path: Path, kb: KnowledgeBase, engine: Engine
) -> None:
    saved = tmp_path / "answers.yaml"
    run = ask(
        tmp_path,
        [*ONE_LINE, "what if my budget were $50k", "quit"],
        "--new",
        "--save",
        str(saved),
        env={"TERM": "xterm-256color"},
    )
    assert run.returncode == 0, run.err
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert answers == {
        "task": ONE_LINE[0],  # the words typed, and what they say
        "output": "category",
        "data": "text",
        "domain": "general",
        "data_location": "anywhere",
        "labels": "labeled",
        "labeled_examples": 5000,
        "model_size": 110_000_000,  # BERT-base
        "budget_usd": 3000,
    }
    recommend = subprocess.run(
        [sys.executable, "-m", "advisor", "recommend", str(saved)],
        capture_output=True,
        text=True,
        check=True,
    )
    # The same report, linear: the same headings and sentences, the cost a line per category.
    report = build_report(kb, engine, load_answers(str(saved), kb))
    assert run.out.endswith(to_text(report, linear=True))
    headings = [line for line in spoken_ranges(recommend.stdout).splitlines() if line[:1].isalpha()]
    assert headings == [line for line in to_text(report, linear=True).splitlines() if line[:1].isalpha()]


def test_numbers_pick_the_options(tmp_path: Path) -> None:
    run = ask(
        tmp_path, [SHOES, "1", "2k", "1", "$10k", "3", "5"], "--new", "--save", str(tmp_path / "a.yaml")
    )
    assert run.returncode == 0, run.err
    assert "1) Yes, labeled   2) Some of it   3) Only raw data   4) No data yet" in run.out
    assert "1) GPU   2) TPU   3) CPU only   4) Own GPU or Colab   5) Skip" in run.out
    saved = yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8"))
    assert saved["data"] == "images" and saved["labels"] == "labeled" and "hardware" not in saved


def test_quit_and_exit_end_it_and_the_rest_of_the_input_is_not_read(tmp_path: Path) -> None:
    for word in ("quit", "exit"):
        run = ask(tmp_path, ["text", word, "yes"], "--new")
        assert run.returncode == 0, run.err
        assert "Bye!" in run.out
        assert "> yes" not in run.out
        assert "no recommendation yet" in run.err


def test_the_end_of_the_input_mid_way_ends_cleanly_and_saves_nothing(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    saved = tmp_path / "answers.yaml"
    run = ask(tmp_path, [TICKETS, "nobody tagged them"], "--new", "--save", str(saved), end="")
    assert run.returncode == 2
    assert "Traceback" not in run.err
    assert "not written" in run.err and not saved.exists()
    # "nobody tagged them": no labeled count is asked, the unlabeled one is
    unlabeled = {"task": TICKETS, "output": "category", "data": "text", "labels": "unlabeled"}
    total = len(
        [q for q in kb.questions if q.guided and asked(q, unlabeled) and holds(q.offer_when, unlabeled)]
    )
    assert f"Question 3 of {total}" in run.out and "without labels" in run.out


def test_a_saved_chat_is_offered_again_unless_new(tmp_path: Path, kb: KnowledgeBase) -> None:
    ask(tmp_path, [SHOES, "yes"], "--new")
    again = ask(tmp_path, ["1", "2k"])
    assert "Welcome back: you had answered 4 questions" in again.out  # the task's words gave 3
    assert "1) Resume   2) Start over" in again.out
    assert "Here is where we were." in again.out
    fresh = ask(tmp_path, [], "--new")
    assert "Welcome back" not in fresh.out
    # those asked with no answer yet
    first = len([q for q in kb.questions if q.guided and asked(q, {}) and holds(q.offer_when, {})])
    assert f"Question 1 of {first}" in fresh.out


def test_a_failure_to_save_is_a_line_at_once(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("a file where the folder should be", encoding="utf-8")
    run = ask(tmp_path, ["text", "quit"])
    assert run.returncode == 0 and "Traceback" not in run.err
    after_the_answer = run.out.split("> text", 1)[1]
    assert after_the_answer.index("could not save your answers") < after_the_answer.index("Question 2")
    assert "Bye! I could not save your answers" in run.out and "Your answers are saved" not in run.out


def test_escape_codes_typed_are_echoed_harmless(tmp_path: Path) -> None:
    run = ask(tmp_path, ["\x1b]0;pwned\x07\x1b[31mclassify support tickets\x1b[0m"], "--new")
    assert "> classify support tickets\n" in run.out
    assert "\x1b" not in run.out and "\x07" not in run.out


@pytest.mark.parametrize(
    ("env", "coloured"),
    [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False)],
)
def test_colour_only_when_asked_and_never_with_no_color(
    tmp_path: Path, env: dict[str, str], coloured: bool
) -> None:
    run = ask(tmp_path, ["text"], "--new", env=env)
    assert (ESCAPE in run.out) is coloured


def test_text_from_the_person_and_markup_are_printed_as_typed(tmp_path: Path) -> None:
    run = ask(tmp_path, ["[bold]x[/bold] [@click=app.quit]"], "--new")
    assert run.returncode == 0
    assert "[bold]x[/bold] [@click=app.quit]" in run.out
    assert ESCAPE not in run.out


def test_ask_never_imports_textual(tmp_path: Path) -> None:
    script = (
        "import io, sys, json; from advisor.cli import main; sys.stdin = io.StringIO('text\\n'); "
        "out = io.StringIO(); sys.stdout, real = out, sys.stdout; code = main(['ask', '--new']); "
        "sys.stdout = real; "
        "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('textual'))]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "ADVISOR_STATE_DIR": str(tmp_path / "state")},
    )
    code, loaded = json.loads(done.stdout.splitlines()[-1])
    assert code == 0 and loaded == []


@pytest.mark.parametrize(
    "name", [name for name, _ in load_cases(default_knowledge_dir())], ids=lambda n: n.split("/")[-1]
)
def test_parity_ask_prints_the_report_recommend_prints_for_every_case(
    name: str,
    kb: KnowledgeBase,
    engine: Engine,
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = dict(load_cases(default_knowledge_dir()))[name]
    # The conversation asks the guided questions; overridden assumptions and the method are for files.
    guided = {q.id: q for q in kb.questions if q.guided}
    answers = {key: value for key, value in case.answers.items() if key in guided}
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(yaml.safe_dump(answers), encoding="utf-8")
    recommend = cli("recommend", answers_file)
    assert recommend.code == 0, recommend.err
    monkeypatch.setenv("ADVISOR_STATE_DIR", str(tmp_path / "state"))
    values = normalize(answers, kb).answers.values
    # What the task leaves open is asked next (a skip takes the likeliest choice, as the file does);
    # a question offered for some answers only (where medical data may go) only for those.
    clarify = Reader(kb).task(kb.question["task"], str(answers["task"])).clarify
    lines = [
        str(answers.get(q.id, "skip"))
        for q in kb.questions
        if (q.id in guided and asked(q, values) and holds(q.offer_when, values))
        or (clarify is not None and q.id == clarify.field)
    ]
    out, err = io.StringIO(), io.StringIO()
    code = run(kb, new=True, save=None, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    printed = out.getvalue()
    # The chat's answers are canonical: its "how I read your answers" has the project alone, not
    # how each answer of the file was read ("- model_size: read '13B' as ..."). Its report is the
    # linear one (the same sections, the cost a line per category).
    report = build_report(kb, engine, load_answers(str(answers_file), kb))
    expected = _without_readings(to_text(report, ascii=plain_wanted(os.environ), linear=True), kb)
    # The words it uses, explained last, follow from what the report says (readings included).
    printed, glossary, _ = printed.partition(f"\n{GLOSSARY}\n")
    expected, _, _ = expected.partition(f"\n{GLOSSARY}\n")
    assert glossary and printed.endswith(expected), name


def _without_readings(report: str, kb: KnowledgeBase) -> str:
    """``report`` without its bullets of how the answers file was read (one a field); the
    section's heading goes too when nothing else is left in it."""
    head, found, rest = report.partition("\nHow I read your answers\n")
    if not found:
        return report
    section, _, tail = rest.partition("\nSources")
    bullets = re.split(r"(?m)^(?=  - )", section)
    fields = tuple(f"  - {q.id}: " for q in kb.questions)
    kept = "".join(b for b in bullets if not b.startswith(fields)).rstrip("\n")
    if kept.strip():
        head += "\nHow I read your answers\n" + kept + "\n"
    return head + "\nSources" + tail


def test_someone_who_does_not_know_reaches_a_report_and_the_saved_file_says_what_was_assumed(
    tmp_path: Path,
) -> None:
    """Empty lines and "not sure" at every question: each has a way forward, the count of
    questions never jumps, and the answers saved mark what was assumed."""
    saved = tmp_path / "answers.yaml"
    lines = ["sort support tickets", "", "not sure", "some of it", "idk", "2", "", "not sure", "dunno",
             "as cheap as possible", "", "no idea"]  # fmt: skip
    run = ask(tmp_path, lines, "--new", "--save", str(saved))
    assert run.returncode == 0, run.err
    out = run.out
    assert "Traceback" not in out + run.err
    assert "I need an answer" not in out
    assert "Type an answer, pick one of the choices, or say “not sure”." in out  # Enter at the labels
    assert "Two more questions, since some of your data is labeled." in out
    assert "I'll take 1,000 labeled examples as a rough figure." in out
    assert "Skipped the unlabeled examples" in out  # Enter at an optional question
    assert "Not sure is fine: I'll assume a small model" in out
    numbers = [int(line.split()[1]) for line in out.splitlines() if line.startswith("Question ")]
    assert numbers == sorted(numbers) and all(b - a <= 1 for a, b in itertools.pairwise(numbers))
    assert "It is not judged against a budget, since you gave none" in out
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert answers["budget_usd"] is None and answers["model_size"] == "small"
    assert answers["assumed"] == ["model_size", "budget_usd", "hardware"]
    recommend = subprocess.run(
        [sys.executable, "-m", "advisor", "recommend", str(saved), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert recommend.returncode == 0, recommend.stderr
    report = json.loads(recommend.stdout)
    assert report["answers"]["budget_usd"] is None
    assert (
        report["recommendation"]["fits_budget"] is None and report["recommendation"]["budget_verdict"] is None
    )
    assert all(alt["fits_budget"] is None for alt in report["alternatives"])
    assert any("(assumed: you were not sure)" in warning for warning in report["warnings"])


ISSUE_TASKS = {
    "flag fraudulent transactions": ("A label per input", "Tables", "Financial"),
    "classify scanned invoices": ("A label per input", "Images", None),
    "answer questions about our HR policies": ("Answers from our documents", "Text", None),
    "translate product descriptions to German": ("Written text", "Text", None),
    "extract parties from contracts": ("Fields pulled out", "Text", "Legal"),
    "instruction tuning": ("Written text", "Text", None),
    "classify clinical notes": ("A label per input", "Text", "Medical"),
}
"""Descriptions that were refused ("… is not something I can read as task"), with what the plain
chat must read back: the output, the kind of data and, where the words say it, the domain."""


@pytest.mark.parametrize("task", list(ISSUE_TASKS))
def test_a_task_description_is_read_back_in_plain_lines(tmp_path: Path, task: str) -> None:
    run = ask(tmp_path, [task, "quit"], "--new")
    assert run.returncode == 0, run.err
    reply = run.out.split(f"> {task}", 1)[1].split("Question", 1)[0]
    assert "couldn't read" not in reply and "not something I can read" not in reply
    output, data, domain = ISSUE_TASKS[task]
    said = " ".join(reply.split())
    assert f"output: “{output}”" in said and f"kind of data: “{data}”" in said
    assert (f"domain: “{domain}”" in said) if domain else "domain:" not in said


def test_a_description_that_leaves_the_output_open_is_asked_about_with_its_likely_choices(
    tmp_path: Path,
) -> None:
    run = ask(tmp_path, ["grade student essays", "a score from 1 to 6", "quit"], "--new")
    assert run.returncode == 0, run.err
    said = " ".join(run.out.split())
    assert "the output could be a number (a forecast or a score) or a label (category) for each input" in said
    # Its likely choices come first among the numbered options.
    assert "1) A number" in said and "2) A label per input" in said
    assert "I read: output: “A number”" in said


def test_the_recommendation_turn_is_the_reports_first_screen(tmp_path: Path) -> None:
    """At the recommendation the chat shows what to do, the cost and verdict, the reasons that
    decided and the next three steps: the full report's first screen, before any question."""
    run = ask(tmp_path, ONE_LINE, "--new")
    assert run.returncode == 0, run.err
    chat, report = run.out.split("-" * 78 + "\n\n", 1)
    turn = chat[chat.index("Recommendation: ") : chat.index("Ask why?")].rstrip("\n")
    lines = turn.splitlines()
    assert len(lines) <= 24, turn
    assert report.startswith(turn), turn  # the same words as the report opens with
    assert "Estimated cost: $" in turn and "budget" in turn
    why = turn.split("\nWhy\n", 1)[1].split("\n\n", 1)[0]
    steps = turn.split("\nNext steps\n", 1)[1]
    assert len(re.findall(r"^  \d+\. ", why, re.M)) >= 2
    assert len(re.findall(r"^  \d+\. ", steps, re.M)) == 3
