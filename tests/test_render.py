"""Text and Markdown renderings: they say what the report says (approach, cost
range, every citation), and text from files or people cannot break them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.answers import normalize
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.outline import CostTable, outline_of
from advisor.render import WIDTH, _md, to_json, to_markdown, to_text
from advisor.report import Report, build_report


def dollars(amount: float) -> str:
    """Whole dollars with thousands separators: how the contract's amounts are shown."""
    return f"${round(amount):,}"


@pytest.fixture(scope="module")
def medical(kb: KnowledgeBase, engine: Engine, case_answers: Callable[[str], dict[str, Any]]) -> Report:
    return build_report(kb, engine, normalize(case_answers("medical-imaging"), kb))


@pytest.fixture(scope="module")
def hostile(kb: KnowledgeBase, engine: Engine) -> Report:
    """Answers whose text carries Markdown and Textual markup, read fuzzily (so it is quoted back)."""
    raw = {
        "task": "x-ray [@click=app.quit] *bold* | pipe [/bold]",
        "labels": "labelled",
        "labeled_examples": "about 500 [b]images[/b]",
        "model_size": "GPT-3",
        "budget_usd": 100,
        "hardware": "tpu",
    }
    return build_report(kb, engine, normalize(raw, kb))


# --- text -------------------------------------------------------------------------------------


def test_text_names_the_approach_and_the_cost_range(medical: Report) -> None:
    text = to_text(medical)
    assert text.startswith(f"Recommendation: {medical.name}\n")
    assert dollars(medical.cost.low) in text and dollars(medical.cost.high) in text
    assert f"Estimated cost: {dollars(medical.cost.low)} – {dollars(medical.cost.high)}" in text


def test_text_has_every_citation_number_with_its_quote(medical: Report) -> None:
    text = to_text(medical)
    flat = " ".join(text.split())
    for number, claim in enumerate(medical.citations, start=1):
        assert f"[{number}]" in text
        assert " ".join(claim.quote.split()) in flat


@pytest.mark.parametrize("render", [to_text, to_markdown], ids=["text", "markdown"])
def test_every_listed_source_is_cited_in_the_body(medical: Report, render: Callable[[Report], str]) -> None:
    """A numbered source that nothing above points to is a citation a reader cannot place."""
    heading = "\nSources\n" if render is to_text else "## Sources"
    body = render(medical).split(heading, 1)[0]
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert cited == set(range(1, len(medical.citations) + 1))


def test_text_shows_every_alternative_and_category(medical: Report) -> None:
    text = to_text(medical)
    for alternative in medical.alternatives:
        assert f"Why not {alternative.name.lower()}" in text
    for category in ("compute", "data", "personnel", "tooling", "total"):
        assert re.search(rf"^  {category}\s+\$", text, re.MULTILINE), category


def test_text_fits_a_terminal(medical: Report, hostile: Report) -> None:
    for report in (medical, hostile):
        assert max(len(line) for line in to_text(report).splitlines()) <= WIDTH


def test_text_shows_markup_from_answers_literally(hostile: Report) -> None:
    text = to_text(hostile)
    assert "[@click=app.quit]" in text
    assert "*bold*" in text


def test_text_lists_the_assumptions_and_marks_overrides(kb: KnowledgeBase, engine: Engine) -> None:
    raw = {
        "task": "text",
        "labels": "unlabeled",
        "model_size": "small",
        "budget_usd": 9000,
        "assumptions": {"annotation_usd_per_label": 0.5},
    }
    text = to_text(build_report(kb, engine, normalize(raw, kb)))
    # Named in words first, the id after (what an override writes).
    flat = " ".join(text.split())
    assert re.search(r"Price of a class label \(annotation_usd_per_label\) = 0\.5 [^=]*\(yours\)", flat)
    assert "Licences for tools (licences_usd) = 0 to 500 USD per project" in flat


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_names_the_approach_and_the_cost_range(medical: Report) -> None:
    markdown = to_markdown(medical)
    assert markdown.startswith(f"# Recommendation: {medical.name}\n")
    assert f"{dollars(medical.cost.low)} – {dollars(medical.cost.high)}" in markdown


def test_markdown_numbers_every_source_with_its_quote(medical: Report) -> None:
    markdown = to_markdown(medical)
    sources = markdown.split("## Sources", 1)[1]
    for number, claim in enumerate(medical.citations, start=1):
        assert f"\n{number}. \u201c{_md(claim.quote)}\u201d" in sources


def test_sources_are_named_by_title_never_by_file_name(medical: Report) -> None:
    for rendered in (to_markdown(medical), to_text(medical)):
        for source in medical.kb.sources:
            assert source.file not in rendered


def test_markdown_cites_with_the_same_numbers_as_the_report(medical: Report) -> None:
    markdown = to_markdown(medical)
    for reason in (*medical.deciding, *medical.more_reasons, *medical.first_steps):
        assert medical.cite(reason.claims) in markdown


@pytest.mark.parametrize("char", ["*", "[", "]", "|", "_", "`", "\\", "<", ">", "#"])
def test_md_escapes_every_character_markdown_would_interpret(char: str) -> None:
    escaped = _md(f"a{char}b")
    assert escaped == f"a\\{char}b"


def test_md_keeps_a_hostile_claim_inside_one_table_cell() -> None:
    text = "costs *up to* $1|2 [see](http://x) `code` <b>"
    cell = _md(text)
    row = f"| {cell} |"
    # Splitting on unescaped pipes gives exactly one cell.
    assert len(re.split(r"(?<!\\)\|", row)) == 3
    assert re.search(r"(?<!\\)[*`\[\]<]", cell) is None
    # Unescaping gives back the original text.
    assert re.sub(r"\\(.)", r"\1", cell) == text


def test_markdown_escapes_markup_from_answers(hostile: Report) -> None:
    markdown = to_markdown(hostile)
    assert "\\[@click=app.quit\\]" in markdown
    assert "[@click=app.quit]" not in markdown.replace("\\[@click=app.quit\\]", "")
    assert "\\*bold\\*" in markdown


def _table_rows(markdown: str) -> list[str]:
    """Lines of every table: from a header row through the row before a blank line."""
    rows, inside = [], False
    for line in markdown.splitlines():
        if line.startswith("| ") and not inside:
            inside = True
        elif not line.strip():
            inside = False
        if inside:
            rows.append(line)
    return rows


def test_markdown_tables_are_well_formed(medical: Report, hostile: Report) -> None:
    for report in (medical, hostile):
        rows = _table_rows(to_markdown(report))
        assert rows
        for row in rows:
            assert row.startswith("|") and row.endswith("|"), row
            header_cells = 4
            assert len(re.split(r"(?<!\\)\|", row)) - 2 == header_cells, row


def test_markdown_table_survives_a_line_break_in_knowledge_text(kb_dir: Path) -> None:
    costs = kb_dir / "costs.yaml"
    text = costs.read_text()
    old = "unit: USD per project\n    why: >-\n      The common"
    assert old in text
    costs.write_text(text.replace(old, 'unit: "USD | per\\nproject"\n    why: >-\n      The common', 1))
    kb = load_knowledge(kb_dir)
    raw = {
        "task": "text",
        "labels": "labeled",
        "labeled_examples": 100,
        "model_size": "small",
        "budget_usd": 1000,
    }
    markdown = to_markdown(build_report(kb, Engine(kb), normalize(raw, kb)))
    for row in _table_rows(markdown):
        assert row.startswith("|") and row.endswith("|"), row


# --- JSON ------------------------------------------------------------------------------------------


def test_json_rendering_round_trips(medical: Report) -> None:
    compact = json.loads(to_json(medical, indent=None))
    assert compact == json.loads(to_json(medical))
    assert "\n" not in to_json(medical, indent=None)


def test_json_keeps_markup_as_plain_strings(hostile: Report) -> None:
    data = json.loads(to_json(hostile))
    assert any("[@click=app.quit]" in warning for warning in data["warnings"])


def test_the_cost_table_says_no_assumption_ids_and_each_assumption_says_what_it_moves(
    medical: Report,
) -> None:
    """Ids are for overrides: the table cites its sources, and each assumption, named in words
    with its id after, says which cost it moves."""
    text = to_text(medical)
    table = text.split("  category ", 1)[1].split("\n\n", 1)[0]
    ids = [entry[0].id for entry in medical.assumptions]
    assert ids and not [name for name in ids if name in table], table
    assert "~" not in table
    section = text.split("\nAssumptions", 1)[1].split("\nHow I read your answers", 1)[0]
    entries = {}
    for entry in section.split("\n  - ")[1:]:
        head = " ".join(entry.split())
        found = re.match(r"[A-Z][^(]* \(([a-z0-9_]+)\) = ", head)  # words first, the id after
        assert found, head
        entries[found.group(1)] = head
    table_block = next(b for s in outline_of(medical).sections for b in s.blocks if isinstance(b, CostTable))
    moved = 0
    for row in table_block.rows:
        for name in row.assumptions:
            said = re.search(r"It moves the ([a-z, ]+?) cost\.", entries[name])
            assert said and row.category in said.group(1), entries[name]
            moved += 1
    assert moved
