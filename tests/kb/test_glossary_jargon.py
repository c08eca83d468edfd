"""The jargon list: every word of it that a person reads has a glossary term, or ``kb check`` fails."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from advisor.checks import check_jargon, check_knowledge
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.kb.jargon import covering_term, knowledge_texts
from advisor.text import Vocabulary


def _without_term(kb_dir: Path, term_id: str) -> None:
    path = kb_dir / "glossary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["terms"] = [term for term in data["terms"] if term["id"] != term_id]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_every_jargon_word_has_a_term(kb: KnowledgeBase) -> None:
    assert len(kb.glossary.jargon) >= 60
    assert [word for word in kb.glossary.jargon if covering_term(kb, word) is None] == []


def test_the_bundled_knowledge_uses_no_jargon_without_a_term(kb: KnowledgeBase) -> None:
    assert check_jargon(kb) == []


def test_the_jargon_list_is_what_the_texts_use(kb: KnowledgeBase) -> None:
    """Most of the list is read somewhere: a list of words nobody uses would check nothing."""
    words = Vocabulary((word, word) for word in kb.glossary.jargon)
    used = {match.thing for _, text in knowledge_texts(kb) for match in words.spotted(text)}
    assert len(used) >= len(kb.glossary.jargon) // 2, sorted(set(kb.glossary.jargon) - used)


def test_a_term_removed_fails_the_check_naming_the_word_and_where_it_is_used(kb_dir: Path) -> None:
    _without_term(kb_dir, "gpu-hour")
    result = check_knowledge(kb_dir, None, with_sweep=False)
    assert not result.ok
    problems = [p for p in result.problems if "jargon" in p.message]
    assert len(problems) == 1, [p.message for p in result.problems]
    message = problems[0].message
    assert "'GPU-hour'" in message and problems[0].file == "glossary.yaml"
    listed = (kb_dir / "glossary.yaml").read_text(encoding="utf-8").splitlines()
    assert problems[0].line is not None and "GPU-hour" in listed[problems[0].line - 1]  # the word's line
    # where it is used: an item of a knowledge file, named, with its file and line, and how often
    assert re.search(
        r"is used in (assumption|faq entry|rule|question) '[a-z_-]+' \w+ \(\w+\.yaml, line \d+\)", message
    )
    assert re.search(r"and \d+ other places", message)
    assert "add a term" in message


def test_a_word_only_a_case_report_uses_is_found_in_that_report(kb_dir: Path) -> None:
    """The percentile of the ranges is said by every report, and by no knowledge text but one:
    with that text reworded, the reports alone must fail the check."""
    _without_term(kb_dir, "percentile")
    kb = load_knowledge(kb_dir, use_cache=False)
    texts = [place for place, text in knowledge_texts(kb) if "percentile" in text.lower()]
    problems = check_jargon(kb)
    assert len(problems) == 1 and "'percentile'" in problems[0].message
    if not texts:
        assert "the text report of case" in problems[0].message


def test_an_unused_jargon_word_without_a_term_passes(kb_dir: Path) -> None:
    """The check is about what a person reads: a listed word no text uses asks for nothing."""
    path = kb_dir / "glossary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["jargon"].append("zeugma")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert check_jargon(load_knowledge(kb_dir, use_cache=False)) == []
