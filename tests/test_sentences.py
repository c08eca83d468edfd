"""Every sentence a report says, over the sweep's profiles: no doubled word, no empty slot, no
"a $8,000", no raw "not (...)", no stray punctuation, no sentence that starts in lowercase.

The sentences are the outline's (every block of every section, as each rendering shows them),
the method sentence, and the conditions the JSON trace says failed. The profiles are the sweep's
grid (every 53rd in the default run, all of them under ``-m slow``), each also with who does the
work and the hardware left unsaid (which brings the savings and the "would win if" those
choices make), the projects of :mod:`test_first_screen` and the knowledge base's cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from test_first_screen import PROJECTS

import advisor.sweep
from advisor.answers import Answers, Normalized, normalize
from advisor.decision.engine import Decision, Engine, budget_free
from advisor.kb import KnowledgeBase, default_knowledge_dir, safeyaml
from advisor.kb.fields import BUDGET
from advisor.outline import (
    CostTable,
    Picture,
    SourceList,
    Verdict,
    Words,
    fragments,
    method_sentence,
    outline_of,
)
from advisor.render import to_dict
from advisor.report import Report, explain

GLITCHES = {
    "a doubled word": re.compile(r"\b(\w+) \1\b", re.IGNORECASE),
    "an empty slot": re.compile(r"[{}]|\bNone\b(?! of)|\bnan\b|\binf\b|  |\(\)"),
    "a wrong article before an amount": re.compile(
        r"\ba \$?(?:8|1[18](?:,\d{3})*(?![\d,]))|\ban \$?(?:[02-79]|1(?![18]))"
    ),
    "a negation left raw": re.compile(r"\bnot \(", re.IGNORECASE),
    "stray punctuation": re.compile(r" [.,;:]|\.\.|\?\.|,\.|;\.|:\."),
    "a sentence in lowercase": re.compile(r"^[a-z]|[.!?] [a-z]"),
}
"""What a sentence must not hold, each with the pattern that finds it."""


def glitches(sentence: str) -> list[str]:
    return [name for name, pattern in GLITCHES.items() if pattern.search(sentence)]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("It fits the the budget.", ["a doubled word"]),
        ("It costs {low} to None.", ["an empty slot"]),
        ("It costs  $5.", ["an empty slot"]),
        ("Assumes () here.", ["an empty slot"]),
        ("Nothing fits a $8,000 budget.", ["a wrong article before an amount"]),
        ("Assumes LoRA of a 11B-parameter model.", ["a wrong article before an amount"]),
        ("It applies when not (you have fewer than 1,000 unlabeled examples).", ["a negation left raw"]),
        ("Which is the unlabeled examples?.", ["stray punctuation"]),
        ("It fits , barely .", ["stray punctuation"]),
        ("if your own team does the work: $8,000.", ["a sentence in lowercase"]),
        ("It fits. it is cheap.", ["a sentence in lowercase"]),
        ("Assumes LoRA of a 110M-parameter model; an 8B model, a $1,100 label, an $18,000 plan.", []),
        ("None of your data is labeled.", []),
    ],
)
def test_the_checks_find_what_they_look_for(sentence: str, found: list[str]) -> None:
    assert glitches(sentence) == found


def sentences(report: Report) -> Iterator[tuple[str, str]]:
    """Each sentence of a report, with where it is said."""
    for section in outline_of(report).sections:
        for block in section.blocks:
            if isinstance(block, SourceList | CostTable | Picture):  # quotes verbatim; a table; a chart
                continue
            if isinstance(block, Verdict):
                yield section.kind, f"Estimated cost: {block.range} (worst case {block.worst_case})."
                yield section.kind, f"It {block.budget}."
                continue
            if isinstance(block, Words):  # "- epoch: One pass ...": a term, then its definition
                for term in block.terms:
                    yield section.kind, " ".join(term.definition.split())
                continue
            for fragment in fragments(block):
                if section.kind == "readings":  # "budget_usd: read '$15k' as $15,000": a field first
                    fragment = fragment[:1].upper() + fragment[1:]
                yield section.kind, fragment
    yield "method", method_sentence(report.method)
    for entry in to_dict(report)["trace"]:
        failed = entry["failed_condition"]
        if failed is not None:  # a condition, said after "It applies when": a clause, not a sentence
            text = failed["text"]
            yield f"trace {entry['rule']}", text[:1].upper() + text[1:]


def reports(kb: KnowledgeBase, engine: Engine) -> Iterator[tuple[str, Report]]:
    """The sweep's profiles (as sampled), each also with the team and the hardware unsaid, then
    the cases; the costs of a set of answers without its budget are worked out once."""
    priced: dict[tuple[Any, ...], Decision] = {}
    for profile in advisor.sweep.profiles(kb):
        unsaid = {k: v for k, v in profile.items() if k not in ("team", "hardware")}
        for answers in (profile, unsaid):
            values = engine.space.visible({q.id: answers.get(q.id, q.default) for q in kb.questions})
            key = budget_free(Answers(values))
            if key not in priced:
                priced[key] = engine.decide(Answers(values))
            decision = engine.with_answers(priced[key], {BUDGET: values.get(BUDGET)})
            yield repr(answers), explain(kb, Normalized(decision.answers, ()), decision)
    for name, project in PROJECTS.items():
        normalized = normalize(project, kb)
        yield name, explain(kb, normalized, engine.decide(normalized.answers))
    for path in sorted((default_knowledge_dir() / "cases").glob("*.yaml")):
        normalized = normalize(safeyaml.load_path(path).data["answers"], kb)
        yield path.stem, explain(kb, normalized, engine.decide(normalized.answers))


def test_every_sentence_of_every_report_reads_cleanly(
    kb: KnowledgeBase, engine: Engine, sweep_stride: int
) -> None:
    found: dict[tuple[str, str], tuple[str, str]] = {}
    read = 0
    for profile, report in reports(kb, engine):
        read += 1
        for where, sentence in sentences(report):
            for glitch in glitches(sentence):
                found.setdefault((glitch, sentence), (where, profile))
    cases = len(list((default_knowledge_dir() / "cases").glob("*.yaml")))
    assert read == 2 * len(list(advisor.sweep.profiles(kb))) + len(PROJECTS) + cases
    assert not found, "\n".join(
        f"{glitch} in {where}: {sentence!r} ({profile})"
        for (glitch, sentence), (where, profile) in found.items()
    )
