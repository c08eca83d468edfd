"""Hostile knowledge bases: each gets exit 3 and a message naming the file, the place and the fix.

A formula nested hundreds of levels deep, a FIFO or a link to ``/dev/zero`` where a file should
be (in the knowledge folder, its cases, or the sources), a file of a gigabyte, a division by
something that can be 0, a logarithm of something that can be 0 or less, a cost that can be
negative, invisible characters that hide or reorder text, a missing or empty ``cases`` folder,
and rules that exclude every approach: none hangs, reads without bound, crashes, or reaches a
report. The knowledge folder's files are read at most their limit plus one byte, and never
wait on a writer, so these tests hold the reads to that, not to a clock.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import Run, advisor_command, edit

import advisor.files
from advisor.answers import normalize
from advisor.checks import MAX_SOURCE_BYTES, check_knowledge, load_checked, sound_for_reports
from advisor.decision.engine import Engine
from advisor.errors import KnowledgeError
from advisor.kb import KnowledgeBase, load_cases, load_knowledge
from advisor.kb.expressions import MAX_DEPTH, ParseError, parse
from advisor.kb.intervals import Interval, formula_problems, name_ranges
from advisor.kb.loader import MAX_FILE_BYTES
from advisor.render import to_json
from advisor.report import build_report

HANG_GUARD_SECONDS = 120
"""Only there so that a test of something that would hang fails instead of hanging the run;
nothing here asserts how fast anything is."""

MEMORY_GUARD_BYTES = 2 * 1024**3
"""A child process reading ``/dev/zero`` without bound stops here instead of filling the machine."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_GUARD_BYTES, MEMORY_GUARD_BYTES))


def advisor_guarded(*args: str | Path, stride: int = 1) -> Run:
    """``python -m advisor ...`` in a child with a memory cap; a hang is a failure, not a stall.
    A ``stride`` above 1 samples ``kb check``'s sweep (:func:`helpers.advisor_command`)."""
    try:
        completed = subprocess.run(
            [*advisor_command(stride), *map(str, args)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=HANG_GUARD_SECONDS,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"advisor {' '.join(map(str, args))} hung")
    return Run(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory, use_cache=False)
    assert caught.value.exit_code == 3
    return [str(problem) for problem in caught.value.problems]


def check_problems(directory: Path, sources: Path | None = None) -> list[str]:
    result = check_knowledge(directory, sources, with_sweep=False)
    return [str(problem) for problem in result.problems]


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every read of :func:`advisor.files.read_bounded`, in bytes: the work done, not its time."""
    sizes: list[int] = []
    real = advisor.files.read_bounded

    def counting(path: Path, limit: int) -> bytes:
        data = real(path, limit)
        sizes.append(len(data))
        return data

    for module in ("advisor.files", "advisor.kb.loader", "advisor.kb.safeyaml", "advisor.checks"):
        monkeypatch.setattr(f"{module}.read_bounded", counting)
    yield sizes


# --- formulas nested too deeply -------------------------------------------------------------------


@pytest.mark.parametrize(
    "formula",
    [
        "(" * 265 + "to_collect" + ")" * 265 + " * collection_usd_per_example",
        "-" * 300 + "to_collect",
        "+".join(["to_label"] * 50),
        "max(" * 50 + "to_collect" + ",1)" * 50,
    ],
    ids=["parentheses", "signs", "a-long-chain", "calls"],
)
def test_a_formula_nested_too_deeply_is_refused_with_its_file_and_id(kb_dir: Path, formula: str) -> None:
    costs = kb_dir / "costs.yaml"
    edit(costs, "amount: to_collect * collection_usd", f"amount: {formula}")
    [problem] = problems_of(kb_dir)
    assert problem.startswith("costs.yaml:")
    assert "cost line 'data-collection': the formula" in problem
    assert f"nested more than {MAX_DEPTH} levels deep" in problem
    assert "split it into quantities" in problem


def test_the_depth_limit_leaves_every_formula_of_the_bundled_base_readable() -> None:
    assert parse("(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1))
    with pytest.raises(ParseError):
        parse("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH)
    load_knowledge(use_cache=False)


# --- files that are not files, or far too large ---------------------------------------------------


def test_a_fifo_among_the_cases_is_refused_not_waited_on(kb_dir: Path, sweep_stride: int) -> None:
    os.mkfifo(kb_dir / "cases" / "x.yaml")
    run = advisor_guarded("kb", "check", "--knowledge", kb_dir, stride=sweep_stride)
    assert run.code == 3, run.err
    assert "advisor: cases/x.yaml: is not a regular file (a FIFO, a device or a socket)" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("where", ["rules.yaml", "cases/x.yaml"])
def test_a_link_to_dev_zero_in_the_knowledge_folder_is_refused(kb_dir: Path, where: str) -> None:
    target = kb_dir / where
    target.unlink(missing_ok=True)
    target.symlink_to("/dev/zero")
    problems = check_problems(kb_dir)
    refused = f"{where}: is not a regular file (a FIFO, a device or a socket); put a plain file there"
    assert refused in problems


def sources_with(tmp_path: Path, kb_dir: Path, first: Callable[[Path], object]) -> tuple[Path, str]:
    """A sources folder whose first document is made by ``first``, the others plain text (their
    quotes are not found, which is beside the point here); and the first document's name."""
    sources = tmp_path / "sources"
    sources.mkdir()
    kb = load_knowledge(kb_dir, use_cache=False)
    for number, source in enumerate(kb.sources):
        if number == 0:
            first(sources / source.file)
        else:
            (sources / source.file).write_text("A document.\n", encoding="utf-8")
    return sources, kb.sources[0].file


def test_a_link_to_dev_zero_among_the_sources_is_refused(kb_dir: Path, tmp_path: Path) -> None:
    sources, first = sources_with(tmp_path, kb_dir, lambda path: path.symlink_to("/dev/zero"))
    run = advisor_guarded("kb", "check", "--knowledge", kb_dir, "--sources", sources)
    assert run.code == 3, run.err
    assert (
        f"its file {first!r} in {sources} is not a regular file (a FIFO, a device or a socket)"
    ) in run.err
    assert "Traceback" not in run.err


def test_a_fifo_among_the_sources_is_refused(kb_dir: Path, tmp_path: Path) -> None:
    sources, first = sources_with(tmp_path, kb_dir, os.mkfifo)
    run = advisor_guarded("kb", "check", "--knowledge", kb_dir, "--sources", sources)
    assert run.code == 3, run.err
    assert f"its file {first!r} in {sources} is not a regular file" in run.err


def _gigabyte(path: Path) -> None:
    """A sparse file of a gigabyte: no disk used, but a reader without a bound would read it all."""
    with path.open("wb") as file:
        file.truncate(1024**3)


def test_a_gigabyte_source_is_refused_after_reading_its_limit(
    kb_dir: Path, tmp_path: Path, bytes_read: list[int]
) -> None:
    sources, _ = sources_with(tmp_path, kb_dir, _gigabyte)
    bytes_read.clear()
    problems = check_problems(kb_dir, sources)
    assert any(f"in {sources} is larger than 4 MiB; is it the document?" in p for p in problems), problems
    assert max(bytes_read) == MAX_SOURCE_BYTES + 1


@pytest.mark.parametrize("where", ["claims.yaml", "cases/huge.yaml"])
def test_a_gigabyte_knowledge_file_is_refused_after_reading_its_limit(
    kb_dir: Path, where: str, bytes_read: list[int]
) -> None:
    _gigabyte(kb_dir / where)
    problems = check_problems(kb_dir)
    assert f"{where}: is larger than 1024 KiB; refusing to read it" in problems
    assert max(bytes_read) == MAX_FILE_BYTES + 1


# --- invisible characters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escaped", "named"),
    [
        (r"\u200e", "U+200E (LEFT-TO-RIGHT MARK)"),
        (r"\u200f", "U+200F (RIGHT-TO-LEFT MARK)"),
        (r"\u061c", "U+061C (ARABIC LETTER MARK)"),
        (r"\U000e0041", "U+E0041 (TAG LATIN CAPITAL LETTER A)"),
        (r"\U000e007f", "U+E007F (CANCEL TAG)"),
        (r"\u200b", "U+200B (ZERO WIDTH SPACE)"),
        (r"\u2060", "U+2060 (WORD JOINER)"),
        (r"\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        (r"\ufff9", "U+FFF9 (INTERLINEAR ANNOTATION ANCHOR)"),
    ],
    ids=["lrm", "rlm", "alm", "tag", "cancel-tag", "zwsp", "word-joiner", "zwnbsp", "annotation"],
)
def test_an_invisible_character_in_knowledge_text_is_refused(kb_dir: Path, escaped: str, named: str) -> None:
    faq = kb_dir / "faq.yaml"
    edit(faq, "question: What is fine-tuning in AI?", f'question: "What is{escaped} fine-tuning in AI?"')
    [problem] = problems_of(kb_dir)
    assert problem.endswith(
        f"faq entry 'what-is-fine-tuning' question: holds the invisible character {named} at character 8, "
        "which hides or reorders the text around it; delete it"
    )


def test_joiners_that_scripts_need_are_text(kb_dir: Path) -> None:
    faq = kb_dir / "faq.yaml"
    edit(faq, "question: What is fine-tuning in AI?", 'question: "What is fine-tuning in AI? \\u200c\\u200d"')
    load_knowledge(kb_dir, use_cache=False)


# --- the cases folder ------------------------------------------------------------------------------


def _remove_cases(kb_dir: Path) -> None:
    for case in (kb_dir / "cases").iterdir():
        case.unlink()
    (kb_dir / "cases").rmdir()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_remove_cases, "cases: is missing: create the folder and add at least one case"),
        (
            lambda kb_dir: (_remove_cases(kb_dir), (kb_dir / "cases").write_text("x: 1\n")),
            "cases: is not a folder: make it the folder of cases and add at least one case",
        ),
        (
            lambda kb_dir: (_remove_cases(kb_dir), (kb_dir / "cases").mkdir()),
            "cases: holds no case; add at least one case",
        ),
    ],
    ids=["missing", "a-file", "empty"],
)
def test_a_knowledge_base_without_cases_fails_its_check(
    kb_dir: Path, damage: Callable[[Path], object], expected: str
) -> None:
    damage(kb_dir)
    problems = check_problems(kb_dir)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    with pytest.raises(KnowledgeError):
        load_cases(kb_dir)


# --- formulas that say nothing somewhere, and costs below 0 ----------------------------------------

DATA_COLLECTION = "amount: to_collect * collection_usd"


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        (
            "to_collect * collection_usd / (gpu_hour_usd - gpu_hour_usd)",
            "cost line 'data-collection' divides by 'gpu_hour_usd - gpu_hour_usd', which can be 0 "
            "(it runs from -2.5 to 2.5); keep what it divides by above 0",
        ),
        (
            "to_collect * collection_usd * log10(0 - gpu_hour_usd)",
            "cost line 'data-collection' takes log10 of '0 - gpu_hour_usd', which can be 0 or less "
            "(it runs from -4 to -1.5); keep it above 0",
        ),
        (
            "to_collect * collection_usd / labeled_examples",
            "cost line 'data-collection' divides by 'labeled_examples', which can be 0 "
            "(it runs from 0 to 1e+12)",
        ),
        (
            "to_collect * collection_usd - infrastructure_usd",
            "cost line 'data-collection' can be negative (as low as -600 over the answers and the "
            "assumptions' ranges); a cost is 0 or more",
        ),
    ],
    ids=["division-by-a-difference", "log-of-a-negative", "division-by-an-answer", "negative-cost"],
)
def test_a_formula_that_says_nothing_somewhere_is_refused(kb_dir: Path, formula: str, expected: str) -> None:
    costs = kb_dir / "costs.yaml"
    edit(costs, DATA_COLLECTION, f"amount: {formula}")
    line = costs.read_text(encoding="utf-8").splitlines().index("  - id: data-collection") + 1
    problems = problems_of(kb_dir)
    assert [p for p in problems if expected in p] == [p for p in problems if "data-collection" in p], problems
    [problem] = [p for p in problems if expected in p]
    assert problem.startswith(f"costs.yaml:{line}: ")


def test_a_quantity_that_can_be_0_is_caught_where_it_is_divided_by(kb_dir: Path) -> None:
    costs = kb_dir / "costs.yaml"
    edit(
        costs,
        "max(1, (gpus > 1) * (gpus <= gpus_two)",
        "min(0, (gpus > 1) * (gpus <= gpus_two)",
    )
    problems = problems_of(kb_dir)
    assert any(
        "quantity 'run_hours' divides by" in p and "which can be 0 (it is always 0)" in p for p in problems
    )


def test_the_bundled_formulas_are_safe_over_every_range(kb: KnowledgeBase) -> None:
    assert list(formula_problems(kb)) == []
    ranges = name_ranges(kb)
    assert ranges["gpu_hour_usd"] == Interval(1.5, 4.0)


# --- a base no report can come from: recommend refuses it, as kb check does ----------------------


def _exclude_everything(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "      - {exclude: supervised}\n",
        "      - {exclude: supervised}\n"
        "      - {exclude: transfer-learning}\n"
        "      - {exclude: unsupervised}\n",
    )


def test_recommend_refuses_a_base_whose_rules_exclude_every_approach(
    kb_dir: Path, cli: Callable[..., Run], case_answers: Callable[[str], dict[str, object]], tmp_path: Path
) -> None:
    _exclude_everything(kb_dir)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(case_answers("support-tickets-unlabeled")), encoding="utf-8")
    for command in (["recommend", answers, "--format", "json"], ["schema"]):
        run = cli(*command, "--knowledge", kb_dir)
        assert run.code == 3, run.err
        assert run.out == ""
        assert "rules.yaml: every approach is excluded for " in run.err
        assert f"then run `advisor kb check --knowledge {kb_dir}` for every check" in run.err


def test_a_checked_base_is_cached_apart_from_an_unchecked_one(kb_dir: Path) -> None:
    _exclude_everything(kb_dir)
    load_knowledge(kb_dir)  # not checked for reports: loads, and is cached as such
    with pytest.raises(KnowledgeError):
        load_checked(kb_dir)
    with pytest.raises(KnowledgeError):
        load_checked(kb_dir)  # the unchecked entry is never taken for a checked one


def test_a_sound_base_loads_checked_and_then_from_the_cache(kb_dir: Path) -> None:
    first = load_checked(kb_dir)
    assert sound_for_reports(first) == []
    assert load_checked(kb_dir).version == first.version


# --- random formulas: refused at load, or every report's dollars are 0 or more --------------------

_NAMES = ("to_collect", "gpu_hour_usd", "labeled_examples", "params", "gpus", "raw_examples", "0", "1")


def _random_formula(r: random.Random, depth: int = 0) -> str:
    """A formula of the cost model's grammar, over names a cost line may use."""
    if depth > 3 or r.random() < 0.3:
        return r.choice(_NAMES)
    kind = r.random()
    if kind < 0.55:
        op = r.choice(["+", "-", "*", "/"])
        return f"({_random_formula(r, depth + 1)} {op} {_random_formula(r, depth + 1)})"
    if kind < 0.85:
        function = r.choice(["max", "min"])
        return f"{function}({_random_formula(r, depth + 1)}, {_random_formula(r, depth + 1)})"
    return f"{r.choice(['ceil', 'log10'])}({_random_formula(r, depth + 1)})"


def _dollars(data: object) -> Iterator[float]:
    """Every number under a key that ends in ``_usd``, anywhere in a JSON report."""
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).endswith("_usd") and isinstance(value, int | float):
                yield float(value)
            else:
                yield from _dollars(value)
    elif isinstance(data, list):
        for item in data:
            yield from _dollars(item)


def test_a_random_cost_formula_is_refused_or_never_makes_a_cost_negative(
    kb_dir: Path, case_answers: Callable[[str], dict[str, object]]
) -> None:
    r = random.Random("advisor-hostile-formulas")
    answers = [case_answers(stem) for stem in ("medical-imaging", "support-tickets-unlabeled")]
    answers.append({**answers[0], "labeled_examples": 0, "budget_usd": 0})
    accepted = refused = 0
    costs = kb_dir / "costs.yaml"
    original = costs.read_text(encoding="utf-8")
    for _ in range(24):
        formula = f"collection_usd_per_example * {_random_formula(r)}"
        costs.write_text(original.replace(DATA_COLLECTION, f"amount: {formula}", 1), encoding="utf-8")
        try:
            kb = load_knowledge(kb_dir, use_cache=False)
        except KnowledgeError as error:
            assert all(problem.file for problem in error.problems), formula
            refused += 1
            continue
        accepted += 1
        engine = Engine(kb)
        for data in answers:
            report = json.loads(to_json(build_report(kb, engine, normalize(data, kb))))
            dollars = list(_dollars(report))
            assert dollars and min(dollars) >= 0, (formula, data)
    assert accepted and refused  # the generator tries both sides


def test_a_divisor_whose_range_overflows_is_refused_not_passed(kb_dir: Path) -> None:
    huge = " * ".join(["params"] * 30)  # 1e12 ** 30 is past the largest float: inf - inf is NaN
    costs = kb_dir / "costs.yaml"
    edit(costs, DATA_COLLECTION, f"amount: to_collect * collection_usd / ({huge} - {huge})")
    problems = problems_of(kb_dir)
    assert any("cost line 'data-collection' divides by" in p and "from -inf to inf" in p for p in problems)


def test_an_answer_space_too_large_to_check_is_refused_not_walked(
    kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("advisor.checks.MAX_POINTS", 1)  # the bundled excluding rules make 2 points
    walked: list[object] = []
    monkeypatch.setattr(
        "advisor.decision.engine.Engine.ruled_out", lambda self, values: walked.append(values)
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_dir, use_cache=False, verify=sound_for_reports)  # a cache hit checks nothing
    [problem] = [str(p) for p in caught.value.problems][:1]
    assert problem.startswith("rules.yaml: the rules that exclude an approach split the answer space into ")
    assert "more than the 1 that can be checked" in problem
    assert walked == []
    assert len(caught.value.problems) == 1
    assert any("more than the 1" in str(p) for p in check_knowledge(kb_dir, None).problems)
