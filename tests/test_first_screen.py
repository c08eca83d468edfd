"""The report starts with one screen: its first 24 lines, as text and as Markdown, say what to do
(the approach), what it costs (the range, and the verdict when there is a budget), the reasons
that decided (at least two) and the next three steps; ``advisor recommend --brief`` prints only
that screen. Over the projects a newcomer brings, the knowledge base's cases and the sweep's
profiles (every 53rd in the default run, all of them under ``-m slow``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import Run

import advisor.sweep
from advisor.answers import Answers, Normalized, normalize
from advisor.decision.engine import Decision, Engine, budget_free
from advisor.formatting import usd_range
from advisor.kb import KnowledgeBase, default_knowledge_dir, safeyaml
from advisor.kb.fields import BUDGET
from advisor.outline import GROUPS, outline_of
from advisor.render import to_markdown, to_text
from advisor.report import Report, build_report, explain

SCREEN = 24
"""Lines of the first screen."""

PROJECTS: dict[str, dict[str, Any]] = {
    "tickets": {
        "task": "classify support tickets",
        "labels": "unlabeled",
        "unlabeled_examples": 20_000,
        "model_size": "BERT",
        "budget_usd": "$5k",
    },
    "few-tickets": {
        "task": "classify support tickets",
        "labels": "unlabeled",
        "unlabeled_examples": 500,
        "model_size": "BERT",
        "budget_usd": "$5k",
    },
    "mri": {
        "task": "classify MRI scans",
        "labels": "no data yet",
        "model_size": "ResNet-50",
        "budget_usd": 40_000,
    },
    "policies": {
        "task": "answer questions about our policy documents",
        "labels": "unlabeled",
        "unlabeled_examples": 2_000,
        "model_size": "7B",
        "budget_usd": "$2k",
    },
    "student": {
        "task": "classify movie reviews by sentiment",
        "labels": "labeled",
        "labeled_examples": 2_000,
        "model_size": "small",
        "budget_usd": 0,
    },
    "70b-on-cpus": {
        "task": "draft replies to customers",
        "labels": "labeled",
        "labeled_examples": 10_000,
        "model_size": "70B",
        "hardware": "cpu",
        "budget_usd": 50_000,
    },
    "70b-on-cpus-no-budget": {
        "task": "draft replies to customers",
        "labels": "labeled",
        "labeled_examples": 10_000,
        "model_size": "70B",
        "hardware": "cpu",
        "budget_usd": "not sure",
    },
    "hostile": {
        "task": "x-ray [@click=app.quit] *bold* | pipe [/bold] `code`",
        "labels": "labelled",
        "labeled_examples": "about 500 [b]images[/b]",
        "model_size": "GPT-3",
        "budget_usd": 100,
        "hardware": "tpu",
    },
}
"""Projects a newcomer brings (the issue's), and one full of markup."""


def flat(text: str) -> str:
    """Words as a reader sees them: Markdown's marks and escapes dropped, whitespace folded."""
    return " ".join(re.sub(r"\\(.)", r"\1", text).replace("**", "").replace("`", "").split())


def numbered(lines: list[str], heading: str) -> int:
    """How many numbered items follow a heading ("Why", "## Why") before the next blank line
    that is followed by a heading."""
    at = next((i for i, line in enumerate(lines) if line.lstrip("# ") == heading), None)
    if at is None:
        return 0
    count = 0
    for line in lines[at + 1 :]:
        if line.startswith(("#", "Next steps", "The plan")):
            break
        count += bool(re.match(r"\s*\d+\. ", line))
    return count


def assert_first_screen(report: Report, rendered: str, *, columns: int | None) -> None:
    lines = rendered.splitlines()
    screen = lines[:SCREEN]
    said = flat("\n".join(screen))
    assert report.name in said
    assert usd_range(report.cost.low, report.cost.high) in said
    if report.budget.level != "unset":
        assert flat(f"It {report.budget.text}.") in said
    assert numbered(screen, "Why") >= 2
    for reason in report.deciding:
        assert flat(reason.text)[:40] in said
    steps = min(3, len(report.first) + len(report.next_steps))
    assert numbered(screen, "Next steps") == steps
    if columns is not None:
        wide = [line for line in lines if len(line) > columns]
        assert not wide, wide


def reports(kb: KnowledgeBase, engine: Engine) -> Iterator[tuple[str, Report]]:
    """The newcomers' projects, the cases, then the sweep's profiles (as sampled)."""
    for name, answers in PROJECTS.items():
        yield name, build_report(kb, engine, normalize(answers, kb))
    for path in sorted((default_knowledge_dir() / "cases").glob("*.yaml")):
        yield path.stem, build_report(kb, engine, normalize(safeyaml.load_path(path).data["answers"], kb))
    priced: dict[tuple[Any, ...], Decision] = {}
    for profile in advisor.sweep.profiles(kb):
        values = engine.space.visible({q.id: profile.get(q.id, q.default) for q in kb.questions})
        key = budget_free(Answers(values))
        if key not in priced:
            priced[key] = engine.decide(Answers(values))
        decision = engine.with_answers(priced[key], {BUDGET: values.get(BUDGET)})
        yield repr(profile), explain(kb, Normalized(decision.answers, ()), decision)


def test_the_first_screen_says_what_to_do_what_it_costs_why_and_what_next(
    kb: KnowledgeBase, engine: Engine, sweep_stride: int
) -> None:
    read = 0
    for name, report in reports(kb, engine):
        read += 1
        try:
            assert_first_screen(report, to_text(report), columns=80)
            assert_first_screen(report, to_markdown(report), columns=None)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
    assert read > len(PROJECTS)


def test_the_first_screen_is_the_outlines_first_group(kb: KnowledgeBase, engine: Engine) -> None:
    report = build_report(kb, engine, normalize(PROJECTS["tickets"], kb))
    outline = outline_of(report)
    assert GROUPS[0] == "glance"
    brief = to_text(outline.through("glance"))
    assert to_text(report).startswith(brief)
    assert brief.count("\n") <= SCREEN
    # Nothing fits: the first screen says what would bring it down most.
    saving = report.savings[0]
    assert (
        report.cheaper
        == f"It would come down to {usd_range(saving.cost.low, saving.cost.high)} {saving.text}."
    )
    assert report.cheaper in " ".join(brief.split())
    # What decided, in the decision's order: supervised cannot learn without labels, then the budget.
    assert [reason.text.split(", ")[0] for reason in report.deciding[:2]] == [
        "Ruled out: Supervised fine-tuning adjusts the model using labeled data",
        "Nothing fits your budget of $5,000",
    ]


def test_a_plan_the_hardware_cannot_run_says_what_it_is_priced_on_at_once(
    kb: KnowledgeBase, engine: Engine
) -> None:
    for name in ("70b-on-cpus", "70b-on-cpus-no-budget"):
        report = build_report(kb, engine, normalize(PROJECTS[name], kb))
        screen = flat("\n".join(to_text(report).splitlines()[:SCREEN]))
        assert "priced on" in screen and "rented GPU" in screen and "CPUs only" in screen


def test_each_assumption_has_a_name_in_words(kb: KnowledgeBase) -> None:
    unnamed = [a.id for a in kb.costs.assumptions if not a.name]
    assert not unnamed
    names = [a.name for a in kb.costs.assumptions]
    assert len(set(names)) == len(names), "two assumptions share a name"


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_brief_prints_only_the_first_screen(
    cli: Callable[..., Run],
    write_answers: Callable[..., Path],
    kb: KnowledgeBase,
    engine: Engine,
    format: str,
) -> None:
    path = write_answers(PROJECTS["policies"])
    brief = cli("recommend", "--brief", "--format", format, path)
    full = cli("recommend", "--format", format, path)
    assert brief.code == full.code == 0
    # The full report's first screen, without the citation numbers of sources it leaves out.
    assert "[1]" not in brief.out
    uncited = re.sub(r"(\\?\[\d+\\?\])+", "", full.out)
    assert flat(uncited).startswith(flat(brief.out))
    assert len(brief.out.splitlines()) <= SCREEN < len(full.out.splitlines())
    report = build_report(kb, engine, normalize(PROJECTS["policies"], kb))
    assert_first_screen(report, brief.out, columns=80 if format == "text" else None)
    # Retrieval comes first: a practitioner would try it before any fine-tuning.
    first_step = next(line for line in brief.out.split("Next steps")[1].splitlines() if line.strip())
    assert "retrieval" in first_step


def test_brief_json_is_refused_with_what_to_read_instead(
    cli: Callable[..., Run], write_answers: Callable[..., Path]
) -> None:
    run = cli("recommend", "--brief", "--format", "json", write_answers(PROJECTS["tickets"]))
    assert run.code == 2 and run.out == ""
    assert "recommendation.deciding" in run.err and "Traceback" not in run.err


def test_the_json_holds_the_first_screen_and_the_names(
    cli: Callable[..., Run], write_answers: Callable[..., Path]
) -> None:
    data = json.loads(cli("recommend", "--format", "json", write_answers(PROJECTS["tickets"])).out)
    recommendation = data["recommendation"]
    assert recommendation["plain"].startswith("You ")
    assert len(recommendation["deciding"]) >= 2 and len(recommendation["first_steps"]) == 3
    assert all(set(reason) == {"text", "claims"} for reason in recommendation["deciding"])
    assert all(entry["name"] for entry in data["assumptions"])
