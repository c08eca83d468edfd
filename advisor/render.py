"""Renderings of a :class:`~advisor.report.Report`: plain text, Markdown and JSON.

The JSON follows the contract in DESIGN.md (``schema_version`` 1); text and
Markdown show the same content for people. Nothing here decides anything.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from advisor import __version__
from advisor.answers import to_file
from advisor.costs import CostEstimate
from advisor.formatting import format_amount, format_usd, usd_range
from advisor.kb.fields import LABELED_EXAMPLES
from advisor.report import SCHEMA_VERSION, Report

__all__ = ["to_dict", "to_json", "to_markdown", "to_text"]

WIDTH = 78


# --- JSON -----------------------------------------------------------------------


def _cost(cost: CostEstimate) -> dict[str, Any]:
    return {
        "low_usd": round(cost.low, 2),
        "high_usd": round(cost.high, 2),
        "breakdown": [
            {
                "category": category.category,
                "low_usd": round(category.low, 2),
                "high_usd": round(category.high, 2),
                "claims": list(category.claims),
                "assumptions": list(category.assumptions),
                "lines": [
                    {
                        "id": line.line.id,
                        "text": line.line.text,
                        "low_usd": round(line.low, 2),
                        "high_usd": round(line.high, 2),
                        "claims": list(dict.fromkeys((*line.line.claims, *line.claims))),
                        "assumptions": list(line.assumptions),
                    }
                    for line in category.lines
                ],
            }
            for category in cost.categories
        ],
        "examples_to_label": [round(n) for n in cost.examples_to_label],
    }


def _reasons(reasons: Any) -> list[dict[str, Any]]:
    return [{"text": reason.text, "claims": list(reason.claims)} for reason in reasons]


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON report as a dict (see DESIGN.md, "JSON report")."""
    kb = report.kb
    decision = report.decision
    answers = report.normalized.answers
    return {
        "schema_version": SCHEMA_VERSION,
        "advisor_version": __version__,
        "knowledge_version": kb.version,
        "answers": to_file(answers, kb) | {LABELED_EXAMPLES: answers.labeled_examples},
        "warnings": list(report.warnings),
        "recommendation": {
            "approach": report.approach,
            "name": report.name,
            "summary": {"text": report.summary.text, "claims": list(report.summary.claims)},
            "score": decision.scores[report.approach],
            "tied": decision.tied,
            "tie_policy": report.tie_policy,
            "cost": _cost(report.cost),
            "fits_budget": report.budget.fits,
            "budget_verdict": report.budget.level,
            "budget_text": report.budget.text,
            "fit_hint": report.fit_hint,
            "rationale": _reasons(report.rationale),
            "caveats": _reasons(report.caveats),
            "next_steps": _reasons(report.next_steps),
        },
        "alternatives": [
            {
                "approach": alt.approach,
                "name": alt.name,
                "score": alt.score,
                "excluded": alt.excluded,
                "cost": _cost(alt.cost),
                "fits_budget": alt.budget.fits,
                "budget_verdict": alt.budget.level,
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
                    "seen": entry.failure[1],
                    "text": entry.failure[0].text,
                },
            }
            for entry in decision.trace
        ],
        "assumptions": [
            {
                "id": assumption.id,
                "value": value[0] if value[0] == value[1] else list(value),
                "low": value[0],
                "high": value[1],
                "unit": assumption.unit,
                "text": " ".join(assumption.why.split()),
                "overridden": overridden,
                "claims": list(assumption.claims),
            }
            for assumption, value, overridden in report.assumptions
        ],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | frozenset):
        return list(value)
    return value


def to_json(report: Report, *, indent: int | None = 2) -> str:
    return json.dumps(to_dict(report), indent=indent, ensure_ascii=False)


# --- text -----------------------------------------------------------------------


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def cost_rows(cost: CostEstimate) -> list[tuple[str, str, str]]:
    """(category, low, high) rows plus a total row, formatted."""
    rows: list[tuple[str, str, str]] = [
        (c.category, format_usd(c.low), format_usd(c.high)) for c in cost.categories
    ]
    rows.append(("total", format_usd(cost.low), format_usd(cost.high)))
    return rows


def to_text(report: Report) -> str:
    """The report for a person at a terminal."""
    lines: list[str] = []
    out = lines.append
    cite = report.cite
    out(f"Recommendation: {report.name}")
    lines.extend(_wrap(f"{report.summary.text} {cite(report.summary.claims)}"))
    out("")
    out(f"Estimated cost: {usd_range(report.cost.low, report.cost.high)}")
    lines.extend(_wrap(f"It {report.budget.text}."))
    if report.fit_hint:
        lines.extend(_wrap(report.fit_hint))
    out("")
    out(f"  {'category':<12}{'low':>12}{'high':>12}   sources")
    for category, (name, low, high) in zip(
        (*report.cost.categories, None), cost_rows(report.cost), strict=True
    ):
        sources = ""
        if category is not None:
            refs = [cite(category.claims)] + [f"~{a}" for a in category.assumptions]
            sources = " ".join(r for r in refs if r)
        row = f"  {name:<12}{low:>12}{high:>12}   {sources}".rstrip()
        lines.extend(textwrap.wrap(row, WIDTH, subsequent_indent=" " * 41) or [row])
    out("  (~name: an assumption, listed below)")
    out("")
    out("Why")
    for number, reason in enumerate(report.rationale, start=1):
        lines.extend(_wrap(f"{reason.text} {cite(reason.claims)}", "     ", f"  {number}. "))
    lines.extend(_wrap(report.tie_policy))
    for alt in report.alternatives:
        out("")
        out(
            f"Why not {alt.name.lower()} ({usd_range(alt.cost.low, alt.cost.high)}; "
            f"{_verdict_word(alt.budget.level)})"
        )
        for reason in alt.why_not:
            lines.extend(_wrap(f"{reason.text} {cite(reason.claims)}", "    ", "  - "))
        lines.extend(_wrap(alt.would_win, "    ", "  > "))
    if report.caveats:
        out("")
        out("Caveats")
        for reason in report.caveats:
            lines.extend(_wrap(f"{reason.text} {cite(reason.claims)}", "    ", "  - "))
    if report.next_steps:
        out("")
        out("Next steps")
        for reason in report.next_steps:
            lines.extend(_wrap(f"{reason.text} {cite(reason.claims)}", "    ", "  - "))
    out("")
    out("Assumptions (change any under `assumptions:` in the answers file)")
    for assumption, value, overridden in report.assumptions:
        shown = format_amount(*value)
        mark = " (yours)" if overridden else ""
        lines.extend(_wrap(f"{assumption.id} = {shown} {assumption.unit}{mark}", "    ", "  ~ "))
        why = " ".join(assumption.why.split())
        lines.extend(_wrap(f"{why} {cite(assumption.claims)}".rstrip(), "      "))
    if report.warnings:
        out("")
        out("How I read your answers")
        for warning in report.warnings:
            lines.extend(_wrap(warning, "    ", "  - "))
    out("")
    out("Sources")
    for number, claim in enumerate(report.citations, start=1):
        source = report.kb.source[claim.source]
        lines.extend(_wrap(f"\u201c{claim.quote}\u201d {source.title}", "       ", f"  [{number}] "))
    return "\n".join(lines) + "\n"


def _verdict_word(level: str) -> str:
    return {"fits": "fits the budget", "tight": "may exceed the budget", "over": "over budget"}[level]


# --- Markdown ---------------------------------------------------------------------


def _md(text: str) -> str:
    """Text from a knowledge file or a person, safe inside Markdown (and on one line, for tables)."""
    out = []
    for char in " ".join(text.split()):
        if char in "\\`*_[]<>#|":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def to_markdown(report: Report) -> str:
    """The report as a Markdown document (for a manager, a ticket, a wiki)."""
    cite = report.cite
    parts: list[str] = []
    add = parts.append
    add(f"# Recommendation: {_md(report.name)}\n")
    add(f"{_md(report.summary.text)} {cite(report.summary.claims)}\n")
    add(
        f"**Estimated cost: {usd_range(report.cost.low, report.cost.high)}**. It {_md(report.budget.text)}.\n"
    )
    if report.fit_hint:
        add(f"{_md(report.fit_hint)}\n")
    add("| Category | Low | High | Sources |")
    add("|---|---:|---:|---|")
    for category in report.cost.categories:
        refs = " ".join([cite(category.claims), *(f"`{a}`" for a in category.assumptions)]).strip()
        add(f"| {category.category} | {format_usd(category.low)} | {format_usd(category.high)} | {refs} |")
    add(f"| **total** | **{format_usd(report.cost.low)}** | **{format_usd(report.cost.high)}** | |\n")
    add("## Why\n")
    for number, reason in enumerate(report.rationale, start=1):
        add(f"{number}. {_md(reason.text)} {cite(reason.claims)}")
    add(f"\n{_md(report.tie_policy)}\n")
    for alt in report.alternatives:
        add(f"## Why not {_md(alt.name.lower())}\n")
        add(f"Estimated {usd_range(alt.cost.low, alt.cost.high)}; {_verdict_word(alt.budget.level)}.\n")
        for reason in alt.why_not:
            add(f"- {_md(reason.text)} {cite(reason.claims)}")
        shown = f"**{_md(alt.would_win)}**" if alt.would_win_if is not None else _md(alt.would_win)
        add(f"\n{shown}\n")
    if report.caveats:
        add("## Caveats\n")
        parts.extend(f"- {_md(r.text)} {cite(r.claims)}" for r in report.caveats)
        add("")
    if report.next_steps:
        add("## Next steps\n")
        parts.extend(f"- {_md(r.text)} {cite(r.claims)}" for r in report.next_steps)
        add("")
    add("## Assumptions\n")
    add("Change any of these under `assumptions:` in the answers file.\n")
    add("| Assumption | Value | Unit | Why |")
    add("|---|---|---|---|")
    for assumption, value, overridden in report.assumptions:
        mark = " (yours)" if overridden else ""
        add(
            f"| `{assumption.id}` | {format_amount(*value)}{mark} | {_md(assumption.unit)} | "
            f"{_md(' '.join(assumption.why.split()))} {cite(assumption.claims)} |"
        )
    add("")
    if report.warnings:
        add("## How your answers were read\n")
        parts.extend(f"- {_md(w)}" for w in report.warnings)
        add("")
    add("## Sources\n")
    for number, claim in enumerate(report.citations, start=1):
        source = report.kb.source[claim.source]
        add(f"{number}. \u201c{_md(claim.quote)}\u201d {_md(source.title)}")
    return "\n".join(parts) + "\n"
