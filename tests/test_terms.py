"""Glossary terms found in a text (:mod:`advisor.terms`), and the reports' last section of them."""

from __future__ import annotations

import re

import pytest
from helpers import TICKETS_TASK

from advisor.answers import normalize
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.kb.jargon import jargon_terms
from advisor.kb.models import Term
from advisor.outline import Outline, Words, outline_of
from advisor.render import to_markdown, to_text
from advisor.report import Report, build_report
from advisor.terms import Terms

GLOSSARY = (
    Term(id="fine-tuning", term="fine-tuning", aliases=("fine tune",), definition="Training more."),
    Term(id="model", term="model", aliases=("ai model",), definition="A learned program."),
    Term(id="labeled-data", term="labeled data", aliases=("labels", "label"), definition="Answers attached."),
    Term(id="lora", term="LoRA", definition="Small adapters."),
    Term(id="gpu", term="GPU", aliases=("gpus",), definition="A chip."),
    Term(id="data", term="data", definition="Examples."),
)


def found(text: str, terms: tuple[Term, ...] = GLOSSARY) -> list[tuple[str, str]]:
    return [(use.term.id, text[use.start : use.end]) for use in Terms(terms).uses(text)]


def test_whole_words_case_insensitive_longest_first() -> None:
    text = "Fine-Tuning a MODEL on Labeled Data with LoRA's adapters; GPUs cost."
    assert found(text) == [
        ("fine-tuning", "Fine-Tuning"),
        ("model", "MODEL"),
        ("labeled-data", "Labeled Data"),  # not "data" alone: the longest phrase wins
        ("lora", "LoRA"),
        ("gpu", "GPUs"),
    ]


@pytest.mark.parametrize(
    "text",
    ["models", "remodel", "modelling", "GPU-hours", "metadata", "data-driven", "explora", "re-label"],
)
def test_never_inside_another_word(text: str) -> None:
    assert found(text) == []


def test_spaces_hyphens_and_line_breaks_between_the_words_of_a_phrase() -> None:
    assert [term for term, _ in found("fine tune, fine-tune, fine\n   tuning, labeled\ndata")] == [
        "fine-tuning",
        "fine-tuning",
        "fine-tuning",
        "labeled-data",
    ]


def test_used_is_each_term_once_in_order_of_first_use() -> None:
    used = Terms(GLOSSARY).used(["a GPU and a model", "the model on labels", "another GPU"])
    assert [term.id for term in used] == ["gpu", "model", "labeled-data"]


def test_phrases_that_look_like_patterns_are_matched_literally() -> None:
    odd = (
        Term(id="cpp", term="C++", definition="A language."),
        Term(id="dot", term="a.b", definition="Dotted."),
        Term(id="star", term="x*", definition="Starred."),
    )
    assert found("C++ and aXb and x* and a.b", odd) == [("cpp", "C++"), ("star", "x*"), ("dot", "a.b")]
    assert Terms(()).used(["anything"]) == ()


def test_a_phrase_two_terms_claim_belongs_to_the_first() -> None:
    twice = (*GLOSSARY, Term(id="other", term="LoRA", definition="Another."))
    assert found("LoRA", twice) == [("lora", "LoRA")]


@pytest.fixture(scope="module")
def report(kb: KnowledgeBase, engine: Engine) -> Report:
    answers = {**TICKETS_TASK, "labels": "labeled", "labeled_examples": 5000, "model_size": "small"}
    answers["budget_usd"] = 3000
    return build_report(kb, engine, normalize(answers, kb))


def test_the_report_ends_with_the_terms_it_uses_each_once_with_its_definition(
    report: Report, kb: KnowledgeBase
) -> None:
    outline = outline_of(report)
    last = outline.sections[-1]
    assert last.kind == "glossary" and last.title == "Words used here"
    (words,) = last.blocks
    assert isinstance(words, Words)
    listed = [term.term for term in words.terms]
    assert len(listed) == len(set(listed)) and listed
    # Exactly the terms the rest of the report uses, in order of first use: its words, not the
    # quoted sources' nor the labels of its drawing.
    text = to_text(outline)
    unpictured = Outline(tuple(s for s in outline.sections if s.kind != "chart"), outline.numbering)
    body = to_text(unpictured).split("\nSources\n")[0]
    expected = [term.term for term in Terms(jargon_terms(kb)).used([body])]
    # The same terms; the order is that of the outline's blocks, which a medium may lay out a
    # little differently (the table's units after its rows).
    assert sorted(listed) == sorted(expected)
    assert listed[:2] == expected[:2] == ["transfer learning", "fine-tuning"]
    # The words of the jargon list only: not everyday ones such as "model", which the glossary
    # explains when asked but a report's list would only lengthen.
    assert "model" in " ".join(body.lower().split()) and "model" not in listed
    glossary = " ".join(text.split("\nWords used here\n")[1].split())
    at = 0
    for term in words.terms:  # each with its definition, and the citation numbers the report gives
        said = f"- {term.term}: {' '.join(term.definition.split())}"
        found = glossary.find(said + (f" {outline.numbering.cite(term.claims)}".rstrip()), at)
        assert found >= at, said
        at = found + len(said)
    assert any(outline.numbering.cite(term.claims) for term in words.terms)


def test_markdown_has_the_glossary_too(report: Report) -> None:
    markdown = to_markdown(report)
    section = markdown.split("## Words used here\n")[1]
    assert re.match(r"\n?- \*\*transfer learning\*\*: Reusing a model", section)


def test_a_glossary_without_terms_leaves_the_section_out(report: Report) -> None:
    from dataclasses import replace

    bare = replace(report, kb=replace(report.kb, glossary=replace(report.kb.glossary, terms=())))
    assert outline_of(bare).sections[-1].kind == "sources"
