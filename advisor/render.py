"""Renderings of a :class:`~advisor.report.Report`: plain text, Markdown and JSON.

The JSON follows the contract in DESIGN.md (``schema_version`` 2: the range's
meaning, sensitivity, the method, the assumptions' dates); text and Markdown
show the same content for people. Nothing here decides anything.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Iterable, Iterator
from typing import Any

from advisor import __version__
from advisor.answers import to_file
from advisor.costs import CostEstimate, Spread
from advisor.errors import KnowledgeError
from advisor.formatting import format_amount, format_params, format_usd, usd_range
from advisor.kb.fields import LABELED_EXAMPLES, MODEL_PARAMS, TO_LABEL
from advisor.report import SCHEMA_VERSION, Method, Reason, Report

__all__ = ["cost_rows", "method_sentence", "to_dict", "to_json", "to_markdown", "to_text"]

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
                "log-uniform over each assumption's range (uniform where it starts at 0), independent"
            ),
            "text": report.interval,
        },
        "recommendation": {
            "approach": report.approach,
            "name": report.name,
            "summary": {"text": report.summary.text, "claims": list(report.summary.claims)},
            "score": decision.scores[report.approach],
            "total": decision.totals[report.approach],
            "tied": decision.tied,
            "tie_policy": report.tie_policy,
            "cost": {**_cost(report, report.cost), "worst_case_usd": round(report.worst_case, 2)},
            "fits_budget": report.budget.fits,
            "budget_verdict": report.budget.level,
            "budget_text": report.budget.text,
            "fit_hint": report.fit_hint,
            "savings": [{"text": s.text, **_usd(s.cost)} for s in report.savings],
            "method": _method(report.method),
            "rationale": _reasons(report.rationale),
            "caveats": _reasons(report.caveats),
            "next_steps": _reasons(report.next_steps),
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
                "cost": _cost(report, alt.cost),
                "fits_budget": alt.budget.fits,
                "budget_verdict": alt.budget.level,
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


# --- shared phrasing ------------------------------------------------------------------


def method_sentence(method: Method) -> str:
    """``Assumes LoRA (the default from 1B parameters) on 1 GPU of 80 GB; full fine-tuning would
    need 2 and cost $X – $Y.``"""
    size = f"a {format_params(method.params)}-parameter model" if method.params else "the model"
    how = "as you said" if method.given else "the default for that size"
    gpus = round(method.gpus)
    memory = f" of {method.gpu_memory_gb:g} GB" if method.gpu_memory_gb else ""
    text = f"Assumes {method.said_as} of {size} ({how}), on {gpus} GPU{'s' if gpus != 1 else ''}{memory}"
    text += "; it fits on one GPU." if method.fits_one_gpu else "."
    if method.full is not None:
        full_gpus = round(method.gpus_full)
        text += (
            f" Full fine-tuning would need {full_gpus} GPU{'s' if full_gpus != 1 else ''} and cost "
            f"{usd_range(method.full.low, method.full.high)}."
        )
    return text


def cost_rows(cost: CostEstimate) -> list[tuple[str, str, str]]:
    """(category, low, high) rows plus a total row, formatted."""
    rows: list[tuple[str, str, str]] = [
        (c.category, format_usd(c.low), format_usd(c.high)) for c in cost.categories
    ]
    rows.append(("total", format_usd(cost.low), format_usd(cost.high)))
    return rows


def _weeks(cost: CostEstimate) -> str | None:
    """The time a personnel line shows ("1.5 – 3 engineer-weeks"), if any."""
    for category in cost.categories:
        for line in category.lines:
            if line.shows is not None:
                low, high = line.shows.low, line.shows.high
                amount = f"{low:.1f}" if round(low, 1) == round(high, 1) else f"{low:.1f} – {high:.1f}"
                return f"{amount} engineer-weeks"
    return None


def _verdict_word(level: str) -> str:
    return {"fits": "fits the budget", "tight": "may exceed the budget", "over": "over budget"}[level]


# --- text -----------------------------------------------------------------------


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def to_text(report: Report, *, ascii: bool = False) -> str:
    """The report for a person at a terminal (``ascii``: no box-drawing characters in the chart)."""
    lines: list[str] = []
    out = lines.append
    cite = report.cite

    def items(reasons: Iterable[Reason], bullet: str = "  - ") -> None:
        for reason in reasons:
            lines.extend(_wrap(f"{reason.text} {cite(reason.claims)}", "    ", bullet))

    out(f"Recommendation: {report.name}")
    lines.extend(_wrap(f"{report.summary.text} {cite(report.summary.claims)}"))
    out("")
    worst = format_usd(report.worst_case)
    out(f"Estimated cost: {usd_range(report.cost.low, report.cost.high)} (worst case {worst})")
    lines.extend(_wrap(f"It {report.budget.text}."))
    if report.fit_hint:
        lines.extend(_wrap(report.fit_hint))
    if report.savings:
        lines.extend(_wrap("What would bring it down:"))
    for saving in report.savings:
        lines.extend(_wrap(f"{saving.text}: {usd_range(saving.cost.low, saving.cost.high)}", "    ", "  - "))
    lines.extend(_wrap(method_sentence(report.method)))
    out("")
    out(f"  {'category':<12}{'low':>12}{'high':>12}   sources")
    for category, (name, low, high) in zip(
        (*report.cost.categories, None), cost_rows(report.cost), strict=True
    ):
        sources = ""
        if category is not None:
            claims, assumptions = report.sources(report.approach, category.lines)
            refs = [cite(claims)] + [f"~{a}" for a in assumptions]
            sources = " ".join(r for r in refs if r)
        row = f"  {name:<12}{low:>12}{high:>12}   {sources}".rstrip()
        lines.extend(textwrap.wrap(row, WIDTH, subsequent_indent=" " * 41) or [row])
    weeks = _weeks(report.cost)
    if weeks:
        out(f"  (personnel: {weeks}; ~name: an assumption, listed below)")
    else:
        out("  (~name: an assumption, listed below)")
    lines.extend(_wrap(report.interval))
    out("")
    from advisor.chart import ASCII, UNICODE, chart_lines, lay_out  # not for JSON

    glyphs = ASCII if ascii else UNICODE
    lines.extend("  " + line if line else "" for line in chart_lines(lay_out(report), WIDTH - 2, glyphs))
    if report.swings or report.flips:
        out("")
        out("What moves the cost")
        for swing in report.swings:
            cheap, dear = sorted((swing.at_low, swing.at_high))
            span = format_amount(*_range_of(report, swing.assumption.id))
            text = f"{swing.assumption.id}: {usd_range(cheap, dear)} across its range "
            text += f"({span} {swing.assumption.unit})"
            lines.extend(_wrap(text, "    ", "  - "))
        for flip in report.flips:
            instead = report.kb.approach[flip.approach].name.lower()
            text = f"At {flip.assumption.id} = {flip.value:g}, {instead} would be recommended instead."
            lines.extend(_wrap(text, "    ", "  ! "))
    out("")
    out("Why")
    for number, reason in enumerate(report.rationale, start=1):
        lines.extend(_wrap(f"{reason.text} {cite(reason.claims)}", "     ", f"  {number}. "))
    for alt in report.alternatives:
        out("")
        verdict = _verdict_word(alt.budget.level)
        out(f"Why not {alt.name.lower()}")
        estimate = f"Estimated {usd_range(alt.cost.low, alt.cost.high)}, {verdict}."
        lines.extend(_wrap(f"{estimate} {cite(report.cost_claims(alt.approach))}", "  ", "  "))
        items(alt.why_not)
        lines.extend(_wrap(alt.would_win, "    ", "  > "))
    if report.caveats:
        out("")
        out("Caveats")
        items(report.caveats)
    if report.next_steps:
        out("")
        out("Next steps")
        items(report.next_steps)
    out("")
    out("Assumptions (change any under `assumptions:` in the answers file)")
    for assumption, value, overridden in report.assumptions:
        mark = " (yours)" if overridden else ""
        dated = f", as of {assumption.as_of}" if assumption.as_of else ""
        lines.extend(
            _wrap(f"{assumption.id} = {format_amount(*value)} {assumption.unit}{mark}{dated}", "    ", "  ~ ")
        )
        why = " ".join(assumption.why.split())
        lines.extend(_wrap(f"{why} {cite(assumption.claims)}".rstrip(), "      "))
        if assumption.reference:
            lines.extend(_wrap(f"Published in: {assumption.reference}", "      "))
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


def _range_of(report: Report, assumption_id: str) -> tuple[float, float]:
    low, high = report.decision.assumed[assumption_id]
    return low, high


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


def to_markdown(report: Report, *, chart: str | None = None) -> str:
    """The report as a Markdown document (for a manager, a ticket, a wiki). ``chart``: where the
    picture of the cost is, as an image (an SVG file beside the report, or a data URL); the text
    picture is there either way, for readers that show no images."""
    cite = report.cite
    parts: list[str] = []
    add = parts.append
    add(f"# Recommendation: {_md(report.name)}\n")
    add(f"{_md(report.summary.text)} {cite(report.summary.claims)}\n")
    add(
        f"**Estimated cost: {usd_range(report.cost.low, report.cost.high)}** "
        f"(worst case {format_usd(report.worst_case)}). It {_md(report.budget.text)}.\n"
    )
    if report.fit_hint:
        add(f"{_md(report.fit_hint)}\n")
    if report.savings:
        add("What would bring it down:\n")
    for saving in report.savings:
        add(f"- {_md(saving.text)}: {usd_range(saving.cost.low, saving.cost.high)}")
    if report.savings:
        add("")
    add(f"{_md(method_sentence(report.method))}\n")
    add("| Category | Low | High | Sources |")
    add("|---|---:|---:|---|")
    for category in report.cost.categories:
        claims, assumptions = report.sources(report.approach, category.lines)
        refs = " ".join([cite(claims), *(f"`{a}`" for a in assumptions)]).strip()
        add(f"| {category.category} | {format_usd(category.low)} | {format_usd(category.high)} | {refs} |")
    add(f"| **total** | **{format_usd(report.cost.low)}** | **{format_usd(report.cost.high)}** | |\n")
    weeks = _weeks(report.cost)
    if weeks:
        add(f"Personnel: {weeks}.\n")
    add(f"_{_md(report.interval)}_\n")
    from advisor.chart import chart_lines, lay_out  # not for JSON

    if chart is not None:
        add(f"![Cost at a glance]({chart})\n")
    add("```text\n" + "\n".join(chart_lines(lay_out(report), WIDTH)) + "\n```\n")
    if report.swings or report.flips:
        add("## What moves the cost\n")
        for swing in report.swings:
            low, high = sorted((swing.at_low, swing.at_high))
            add(
                f"- `{swing.assumption.id}`: {usd_range(low, high)} across its range "
                f"({format_amount(*_range_of(report, swing.assumption.id))} {_md(swing.assumption.unit)})"
            )
        for flip in report.flips:
            add(
                f"- **At `{flip.assumption.id}` = {flip.value:g}, "
                f"{_md(report.kb.approach[flip.approach].name.lower())} would be recommended instead.**"
            )
        add("")
    add("## Why\n")
    for number, reason in enumerate(report.rationale, start=1):
        add(f"{number}. {_md(reason.text)} {cite(reason.claims)}")
    add("")
    for alt in report.alternatives:
        add(f"## Why not {_md(alt.name.lower())}\n")
        estimate = f"Estimated {usd_range(alt.cost.low, alt.cost.high)}, {_verdict_word(alt.budget.level)}."
        add(f"{estimate} {cite(report.cost_claims(alt.approach))}\n")
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
        dated = (
            f" As of {assumption.as_of}; published in: {_md(assumption.reference or '')}"
            if assumption.as_of
            else ""
        )
        add(
            f"| `{assumption.id}` | {format_amount(*value)}{mark} | {_md(assumption.unit)} | "
            f"{_md(' '.join(assumption.why.split()))} {cite(assumption.claims)}{dated} |"
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
