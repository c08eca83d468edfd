"""The knowledge base's words for reading sentences: replies, stances and subjects, plausible
numbers, approach aliases, and assumptions said in words. ``kb check`` refuses each way of
getting them wrong, with a message that says what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit

from advisor.checks import check_knowledge
from advisor.kb import KnowledgeBase


def problems(kb_dir: Path) -> list[str]:
    result = check_knowledge(kb_dir, None)
    assert not result.ok
    return [str(problem) for problem in result.problems]


def test_the_bundled_words_are_consistent(kb: KnowledgeBase) -> None:
    labels = kb.question["labels"]
    assert {c.stance for c in labels.choices} == {"affirmed", "partial", "negated", None}  # no data yet
    assert "labeled" in labels.subject
    assert all(choice.statement for question in kb.questions for choice in question.choices)
    assert any("our engineers" in said.phrases for said in kb.assumption["inhouse_usd_per_week"].said_as)
    assert "sft" in kb.approach["supervised"].aliases


def test_a_reply_under_two_choices_is_refused(kb_dir: Path) -> None:
    edit(
        kb_dir / "questions.yaml", "replies: [no, n, nope, nah, none, raw, not yet]", "replies: [no, n, yes]"
    )
    assert any("'yes' names both 'labeled' and 'unlabeled'" in p for p in problems(kb_dir))


def test_a_stance_without_a_subject_is_refused(kb_dir: Path) -> None:
    edit(kb_dir / "questions.yaml", "    subject: [gpu, gpus, graphics card, graphics cards]\n", "")
    found = problems(kb_dir)
    assert any("have stances but it has no subject" in p for p in found), found


def test_a_subject_needs_a_yes_and_a_no(kb_dir: Path) -> None:
    text = (kb_dir / "questions.yaml").read_text()
    (kb_dir / "questions.yaml").write_text(text.replace("        stance: negated\n", "", 1))
    assert any(
        "needs a choice with stance affirmed and one with stance negated" in p for p in problems(kb_dir)
    )


def test_two_choices_with_one_stance_are_refused(kb_dir: Path) -> None:
    edit(kb_dir / "questions.yaml", "        stance: partial\n", "        stance: affirmed\n")
    assert any("more than one choice has stance affirmed" in p for p in problems(kb_dir))


def test_plausible_is_for_numbers_only(kb_dir: Path) -> None:
    edit(
        kb_dir / "questions.yaml",
        "    kind: choice\n    optional: true\n",
        "    kind: choice\n    optional: true\n    plausible: [1, 2]\n",
    )
    assert any("plausible is for count and money questions" in p for p in problems(kb_dir))


@pytest.mark.parametrize(
    ("bad", "says"), [("[50, 10]", "0 <= low < high"), ("[-1, 10]", "cannot be negative")]
)
def test_plausible_must_be_an_ordered_range(kb_dir: Path, bad: str, says: str) -> None:
    edit(kb_dir / "questions.yaml", "plausible: [50, 1.0e+9]", f"plausible: {bad}")
    assert any(says in p for p in problems(kb_dir))


def test_an_approach_alias_under_two_approaches_is_refused(kb_dir: Path) -> None:
    edit(kb_dir / "approaches.yaml", "aliases: [transfer, tl,", "aliases: [sft, transfer, tl,")
    assert any("'sft' names both approaches" in p for p in problems(kb_dir))


def test_an_assumption_phrase_under_two_assumptions_is_refused(kb_dir: Path) -> None:
    edit(kb_dir / "costs.yaml", "      - phrases: [per label,", "      - phrases: [our engineers, per label,")
    assert any("'our engineers' sets both" in p for p in problems(kb_dir))


def test_a_negative_assumption_value_in_words_is_refused(kb_dir: Path) -> None:
    edit(
        kb_dir / "costs.yaml",
        "      - phrases: [per label,",
        "      - value: -5\n        phrases: [per label,",
    )
    found = problems(kb_dir)
    assert any("costs.yaml" in p and "cannot be negative" in p for p in found), found
