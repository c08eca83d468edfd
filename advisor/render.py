"""Renderings of a :class:`~advisor.report.Report`: JSON, plain text and Markdown.

The JSON follows the contract in DESIGN.md (``schema_version`` 2: the range's
meaning, sensitivity, the method, the assumptions' dates; the later versions are listed at
:data:`~advisor.report.SCHEMA_VERSION`). Text and Markdown
render the report's outline (:mod:`advisor.outline`): the same sections in the
same order, each block drawn the way its medium draws it. Nothing here decides
anything.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from advisor import __version__
from advisor.answers import to_file
from advisor.chart import ASCII, UNICODE, Glyphs, chart_lines, chart_words
from advisor.decision.estimates import CostEstimate, Spread
from advisor.errors import KnowledgeError
from advisor.kb.fields import LABELED_EXAMPLES, MODEL_PARAMS, TO_LABEL
from advisor.outline import (
    AssumptionEntry,
    AssumptionList,
    Block,
    CostRow,
    CostTable,
    Counterfactual,
    Headline,
    Item,
    Items,
    Name,
    Outline,
    Paragraph,
    Picture,
    SectionKind,
    SourceList,
    Verdict,
    Words,
    method_sentence,
    outline_of,
)
from advisor.report import SCHEMA_VERSION, Method, Reason, Report
from advisor.terminal import ascii_only, spoken_ranges

__all__ = ["to_dict", "to_json", "to_markdown", "to_text"]

WIDTH = 78


# --- JSON -----------------------------------------------------------------------


def _usd(spread: Spread) -> dict[str, float]:
    return {
        "low_usd": round(spread.low, 2),
        "high_usd": round(spread.high, 2),
        "median_usd": round(spread.median, 2),
    }


def _cost(report: Report, cost: CostEstimate) -> dict[str, Any]:
    to_label = cost.quantities.get(TO_LABEL)
    sources = report.sources
    return {
        **_usd(cost.spread),
        "breakdown": [
            {
                "category": category.category,
                **_usd(category.spread),
                "claims": list(sources(cost.approach, category.lines)[0]),
                "assumptions": list(sources(cost.approach, category.lines)[1]),
                "lines": [
                    {
                        "id": line.line.id,
                        "text": line.line.text,
                        **_usd(line.spread),
                        "claims": list(sources(cost.approach, [line])[0]),
                        "assumptions": list(sources(cost.approach, [line])[1]),
                        **(
                            {
                                "shows": {
                                    "quantity": line.line.shows,
                                    "low": round(line.shows.low, 2),
                                    "high": round(line.shows.high, 2),
                                }
                            }
                            if line.shows is not None and line.line.shows is not None
                            else {}
                        ),
                    }
                    for line in category.lines
                ],
            }
            for category in cost.categories
        ],
        "examples_to_label": [round(to_label.low), round(to_label.high)] if to_label else [0, 0],
        "quantities": {
            name: {"low": s.low, "median": s.median, "high": s.high} for name, s in cost.quantities.items()
        },
    }


def _reasons(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [{"text": reason.text, "claims": list(reason.claims)} for reason in reasons]


def _method(method: Method) -> dict[str, Any]:
    return {
        "value": method.value,
        "label": method.label,
        "given": method.given,
        "params": method.params,
        "gpus": method.gpus,
        "fits_one_gpu": method.fits_one_gpu,
        "gpu_memory_gb": method.gpu_memory_gb,
        "gpus_full": method.gpus_full,
        "full_fine_tuning": None if method.full is None else _usd(method.full),
        "text": method_sentence(method),
    }


def _verdict(level: str) -> str | None:
    """fits, tight or over; ``None`` when no budget was given (nothing was judged)."""
    return None if level == "unset" else level


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON report as a dict (see DESIGN.md, "JSON report")."""
    kb = report.kb
    decision = report.decision
    answers = report.normalized.answers
    model = decision.engine.cost_model
    return {
        "schema_version": SCHEMA_VERSION,
        "advisor_version": __version__,
        "knowledge_version": kb.version,
        "answers": to_file(answers, kb) | {LABELED_EXAMPLES: answers.labeled_examples},
        "derived": {MODEL_PARAMS: decision.values.get(MODEL_PARAMS), "method": report.method.value},
        "warnings": list(report.warnings),
        "interval": {
            "low_percentile": model.percentiles[0],
            "high_percentile": model.percentiles[1],
            "samples": model.count,
            "distribution": (
                "log-uniform over each assumption's range (uniform where it starts at 0), independent "
                "except those that move together (moves_with), drawn at the same share of their ranges"
            ),
            "text": report.interval,
        },
        "recommendation": {
            "approach": report.approach,
            "name": report.name,
            "steps": list(report.steps),
            "summary": {"text": report.summary.text, "claims": list(report.summary.claims)},
            "score": decision.scores[report.approach],
            "total": decision.totals[report.approach],
            "tied": decision.tied,
            "tie_policy": report.tie_policy,
            "cost": {**_cost(report, report.cost), "worst_case_usd": round(report.worst_case, 2)},
            "fits_budget": report.budget.fits,
            "hardware": {
                "named": report.hardware.named,
                "feasible": report.hardware.feasible,
                "own": report.hardware.own,
                "priced_on": report.hardware.priced_on,
                "text": report.hardware.text,
            },
            "serving_usd_per_month": {
                "low": round(report.serving.spread.low, 2),
                "median": round(report.serving.spread.median, 2),
                "high": round(report.serving.spread.high, 2),
                "assumptions": list(report.serving.assumptions),
            },
            "serving_text": report.serving.text,
            "budget_verdict": _verdict(report.budget.level),
            "budget_text": report.budget.text,
            "fit_hint": report.fit_hint,
            "savings": [{"text": s.text, **_usd(s.cost)} for s in report.savings],
            "method": _method(report.method),
            "plain": report.plain,
            "cheaper": report.cheaper,
            "deciding": _reasons(report.deciding),
            "first_steps": _reasons(report.first_steps),
            "rationale": _reasons(report.rationale),
            "caveats": _reasons(report.caveats),
            "next_steps": _reasons(report.next_steps),
            "try_first": [
                {"text": path.text, "reference": path.reference, "as_of": path.as_of} for path in report.first
            ],
        },
        "sensitivity": {
            "swings": [
                {
                    "assumption": s.assumption.id,
                    "low_total_usd": round(s.at_low, 2),
                    "high_total_usd": round(s.at_high, 2),
                    "swing_usd": round(s.swing, 2),
                }
                for s in report.swings
            ],
            "flips": [
                {"assumption": f.assumption.id, "value": f.value, "recommendation": f.approach}
                for f in report.flips
            ],
        },
        "alternatives": [
            {
                "approach": alt.approach,
                "name": alt.name,
                "steps": list(alt.steps),
                "cost": _cost(report, alt.cost),
                "fits_budget": alt.budget.fits,
                "budget_verdict": _verdict(alt.budget.level),
                "score": alt.score,
                "excluded": alt.excluded,
                "why_not": _reasons(alt.why_not),
                "would_win_if": None
                if alt.would_win_if is None
                else {
                    "text": alt.would_win_if.text,
                    "changes": [
                        {"field": c.field, "from": c.before, "to": c.after, "text": c.text}
                        for c in alt.would_win_if.changes
                    ],
                },
                "would_win": alt.would_win,
            }
            for alt in report.alternatives
        ],
        "citations": [
            {
                "n": number,
                "claim": claim.id,
                "source": claim.source,
                "title": kb.source[claim.source].title,
                "file": kb.source[claim.source].file,
                "quote": claim.quote,
                "text": claim.text,
            }
            for number, claim in enumerate(report.citations, start=1)
        ],
        "trace": [
            {
                "rule": entry.rule.id,
                "fired": entry.fired,
                "failed_condition": None
                if entry.failure is None
                else {
                    "field": entry.failure[0].field,
                    "operator": entry.failure[0].operator,
                    "expected": _jsonable(entry.failure[0].expected),
                    "threshold": entry.failure[0].threshold,
                    "seen": entry.failure[1],
                    "text": entry.failure[0].text,
                },
            }
            for entry in decision.trace
        ],
        "assumptions": [
            {
                "id": assumption.id,
                "name": assumption.name,
                "value": value[0] if value[0] == value[1] else list(value),
                "low": value[0],
                "high": value[1],
                "unit": assumption.unit,
                "text": " ".join(assumption.why.split()),
                "overridden": overridden,
                "claims": list(assumption.claims),
                "as_of": assumption.as_of,
                "reference": assumption.reference,
            }
            for assumption, value, overridden in report.assumptions
        ],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | frozenset):
        return list(value)
    return value


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON, which has no NaN or Infinity: a number that is not finite (the number
    policy keeps them out; a knowledge base's own formulas might not) is a
    :class:`~advisor.errors.KnowledgeError` naming where it is, never a bare ``NaN``."""
    data = to_dict(report)
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        where, value = next(_not_finite(data, ""), ("a number", math.nan))
        raise KnowledgeError(
            f"the cost model gave {where} = {value}, which is not a number JSON can hold: a formula "
            "of the knowledge base's costs.yaml overflows with these answers and assumptions"
        ) from None


def _not_finite(value: Any, path: str) -> Iterator[tuple[str, float]]:
    """Where in a report's data a number is NaN or infinite, and the number."""
    if isinstance(value, float) and not math.isfinite(value):
        yield path or "a number", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _not_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _not_finite(item, f"{path}[{index}]")


# --- text ---------------------------------------------------------------------------------------

_TEXT_TITLES: dict[SectionKind, str] = {
    "assumptions": "Assumptions (change any under `assumptions:` in the answers file)",
}
"""Headings a terminal words its own way."""


def _outline(report: Report | Outline) -> Outline:
    return report if isinstance(report, Outline) else outline_of(report)


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _with_citations(text: str, citations: str) -> str:
    return f"{text} {citations}" if citations else text


def to_text(report: Report | Outline, *, ascii: bool = False, linear: bool = False) -> str:
    """The report for a person at a terminal. ``ascii``: nothing but ASCII, the chart drawn with
    plain characters (``TERM=dumb``, ``--ascii``). ``linear``: for reading a line at a time, as a
    screen reader reads aloud: nothing that needs two dimensions to make sense (the cost table a
    line per category, the chart said in words) and ranges said "$5 to $9"."""
    outline = _outline(report)
    glyphs = ASCII if ascii else UNICODE
    lines: list[str] = []
    for section in outline.sections:
        if lines:
            lines.append("")
        if section.title is not None:
            lines.append(_TEXT_TITLES.get(section.kind, section.title))
        for block in section.blocks:
            lines.extend(_text_block(block, outline, glyphs, linear=linear))
    text = "\n".join(lines) + "\n"
    if linear:
        text = spoken_ranges(text)
    return ascii_only(text) if ascii else text


def _text_block(block: Block, outline: Outline, glyphs: Glyphs, *, linear: bool = False) -> list[str]:
    """The lines of one block, at most :data:`WIDTH` wide."""
    cite = outline.numbering.cite
    match block:
        case Headline(name):
            return [f"Recommendation: {name}"]
        case Verdict():
            return [
                f"Estimated cost: {block.range} (worst case {block.worst_case})",
                *_wrap(f"It {block.budget}."),
            ]
        case Paragraph(text, claims):
            return _wrap(_with_citations(text, cite(claims)))
        case Items(items, numbered):
            return [
                line
                for number, item in enumerate(items, start=1)
                for line in _text_item(item, number if numbered else None, cite)
            ]
        case CostTable():
            return _linear_table(block, cite) if linear else _text_table(block, cite)
        case Picture(chart) if linear:
            return [line for sentence in chart_words(chart) for line in _wrap(sentence)]
        case Picture(chart):
            return ["  " + line if line else "" for line in chart_lines(chart, WIDTH - 2, glyphs)]
        case Counterfactual(text):
            return _wrap(text, "    ", "  > ")
        case AssumptionList(entries):
            return [line for entry in entries for line in _text_assumption(entry, cite)]
        case SourceList(entries):
            return [
                line
                for number, entry in enumerate(entries, start=1)
                for line in _wrap(f"\u201c{entry.quote}\u201d {entry.title}", "       ", f"  [{number}] ")
            ]
        case Words(terms):
            return [
                line
                for term in terms
                for line in _wrap(
                    _with_citations(f"{term.term}: {term.definition}", cite(term.claims)), "    ", "  - "
                )
            ]


def _text_item(item: Item, number: int | None, cite: Callable[[Iterable[str]], str]) -> list[str]:
    text = _with_citations(item.text, cite(item.claims))
    if number is not None:
        return _wrap(text, "     ", f"  {number}. ")
    return _wrap(text, "    ", "  ! " if item.alert else "  - ")


def _text_table(table: CostTable, cite: Callable[[Iterable[str]], str]) -> list[str]:
    # The assumptions behind each figure are listed below, each saying which cost it moves.
    lines = ["", f"  {'category':<12}{'low':>12}{'high':>12}   sources"]
    for row in (*table.rows, table.total):
        line = f"  {row.category:<12}{row.low:>12}{row.high:>12}   {cite(row.claims)}".rstrip()
        lines.extend(textwrap.wrap(line, WIDTH, subsequent_indent=" " * 41) or [line])
    if table.weeks:
        lines.append(f"  (personnel: {table.weeks})")
    return lines


def _linear_table(table: CostTable, cite: Callable[[Iterable[str]], str]) -> list[str]:
    """The cost table for reading a line at a time: a line per category ("compute: $6 to $37
    [7][8]"), then the total."""
    lines = [""]
    for row in table.rows:
        said = _with_citations(f"{row.category}: {_amounts(row)}", cite(row.claims))
        lines.extend(_wrap(said, "      ", "  - "))
    lines.extend(_wrap(f"{table.total.category}: {_amounts(table.total)}", "      ", "  - "))
    if table.weeks:
        lines.extend(_wrap(f"The personnel cost stands for {table.weeks} of work."))
    return lines


def _amounts(row: CostRow) -> str:
    return row.low if row.low == row.high else f"{row.low} to {row.high}"


def _text_assumption(entry: AssumptionEntry, cite: Callable[[Iterable[str]], str]) -> list[str]:
    mark = " (yours)" if entry.yours else ""
    dated = f", as of {entry.as_of}" if entry.as_of else ""
    lines = _wrap(f"{entry.named} = {entry.value} {entry.unit}{mark}{dated}", "    ", "  - ")
    used = f" It moves the {_and(entry.used_for)} cost." if entry.used_for else ""
    lines.extend(_wrap(_with_citations(entry.why + used, cite(entry.claims)), "      "))
    if entry.reference:
        lines.extend(_wrap(f"Published in: {entry.reference}", "      "))
    return lines


def _and(words: tuple[str, ...]) -> str:
    """``compute, data and personnel``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- Markdown -----------------------------------------------------------------------------------

_MARKDOWN_TITLES: dict[SectionKind, str] = {"readings": "How your answers were read"}
"""Headings a document words its own way: it speaks of its reader, not to them."""


def _escape(text: str) -> str:
    return "".join("\\" + char if char in "\\`*_[]<>#|" else char for char in text)


def _md(text: str) -> str:
    """Text from a knowledge file or a person, safe inside Markdown (and on one line, for tables)."""
    return _escape(" ".join(text.split()))


def _md_parts(parts: Iterable[str]) -> str:
    """An item's parts, escaped, its identifiers as code (ids are slugs: nothing to escape)."""
    return " ".join("".join(f"`{p}`" if isinstance(p, Name) else _escape(p) for p in parts).split())


def to_markdown(report: Report | Outline, *, chart: str | None = None) -> str:
    """The report as a Markdown document (for a manager, a ticket, a wiki). ``chart``: where the
    picture of the cost is, as an image (an SVG file beside the report, or a data URL); the text
    picture is there either way, for readers that show no images."""
    outline = _outline(report)
    chunks: list[str] = []
    for section in outline.sections:
        if section.title is not None:
            chunks.append(f"## {_md(_MARKDOWN_TITLES.get(section.kind, section.title))}\n")
        for block in section.blocks:
            chunks.extend(_markdown_block(block, outline, chart))
    return "\n".join(chunks)


def _markdown_block(block: Block, outline: Outline, chart: str | None) -> list[str]:
    """One block as Markdown paragraphs, each ending in a newline (a blank line comes between)."""
    cite = outline.numbering.cite
    match block:
        case Headline(name):
            return [f"# Recommendation: {_md(name)}\n"]
        case Verdict():
            worst = f"(worst case {block.worst_case})"
            return [f"**Estimated cost: {block.range}** {worst}. It {_md(block.budget)}.\n"]
        case Paragraph(text, claims, note=True):
            return [f"_{_with_citations(_md(text), cite(claims))}_\n"]
        case Paragraph(text, claims):
            return [f"{_with_citations(_md(text), cite(claims))}\n"]
        case Items(items, numbered):
            return [
                "".join(
                    _markdown_item(item, number, numbered, cite) for number, item in enumerate(items, start=1)
                )
            ]
        case CostTable():
            return _markdown_table(block, cite)
        case Picture(picture):
            image = [f"![Cost at a glance]({chart})\n"] if chart is not None else []
            return [*image, "```text\n" + "\n".join(chart_lines(picture, WIDTH)) + "\n```\n"]
        case Counterfactual(text, possible):
            return [f"**{_md(text)}**\n" if possible else f"{_md(text)}\n"]
        case AssumptionList(entries):
            return [
                "Change any of these under `assumptions:` in the answers file.\n",
                "| Assumption | Value | Unit | Why |\n|---|---|---|---|\n"
                + "".join(_markdown_assumption(entry, cite) for entry in entries),
            ]
        case SourceList(entries):
            return [
                "".join(
                    f"{number}. \u201c{_md(entry.quote)}\u201d {_md(entry.title)}\n"
                    for number, entry in enumerate(entries, start=1)
                )
            ]
        case Words(terms):
            return [
                "".join(
                    f"- **{_md(term.term)}**: {_with_citations(_md(term.definition), cite(term.claims))}\n"
                    for term in terms
                )
            ]


def _markdown_item(item: Item, number: int, numbered: bool, cite: Callable[[Iterable[str]], str]) -> str:
    text = _with_citations(_md_parts(item.parts), cite(item.claims))
    return f"{number}. {text}\n" if numbered else f"- **{text}**\n" if item.alert else f"- {text}\n"


def _markdown_table(table: CostTable, cite: Callable[[Iterable[str]], str]) -> list[str]:
    lines = ["| Category | Low | High | Sources |", "|---|---:|---:|---|"]
    for row in table.rows:
        # The assumptions behind a category are named under Assumptions, each with what it moves.
        lines.append(f"| {row.category} | {row.low} | {row.high} | {cite(row.claims)} |")
    total = table.total
    lines.append(f"| **{total.category}** | **{total.low}** | **{total.high}** | |")
    weeks = [f"Personnel: {table.weeks}.\n"] if table.weeks else []
    return ["\n".join(lines) + "\n", *weeks]


def _markdown_assumption(entry: AssumptionEntry, cite: Callable[[Iterable[str]], str]) -> str:
    mark = " (yours)" if entry.yours else ""
    dated = f" As of {entry.as_of}; published in: {_md(entry.reference or '')}" if entry.as_of else ""
    why = _with_citations(_md(entry.why), cite(entry.claims))
    name = f"{_md(entry.name)} (`{entry.id}`)" if entry.name else f"`{entry.id}`"
    used = f" It moves the {_and(entry.used_for)} cost." if entry.used_for else ""
    return f"| {name} | {entry.value}{mark} | {_md(entry.unit)} | {why}{dated}{used} |\n"
