""" "why?": how the engine decided, in plain language, one rule a paragraph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from advisor.chat.replies import TraceLine
from advisor.conditions import plain_value
from advisor.formatting import format_value
from advisor.kb.models import ApproachId, Rule

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = ["trace_lines"]


def trace_lines(report: Report) -> tuple[TraceLine, ...]:
    """The scores, the rules that applied, and those that did not but would have helped another approach."""
    kb = report.kb
    decision = report.decision
    names = {approach.id: approach.name.lower() for approach in kb.approaches}
    scores = ", ".join(
        f"{names[a]} {decision.scores[a]:g}" + (" (ruled out)" if a in decision.excluded else "")
        for a in decision.ranking
    )
    lines = [TraceLine("scores", f"{scores}.")]
    missed: list[TraceLine] = []
    for entry in decision.trace:
        weights = decision.weights[entry.rule.id]
        effects = [f"{w:+g} {names[a]}" for a, w in weights.items()]
        effects += [f"rules out {names[a]}" for a in _excludes(entry.rule)]
        if not effects:
            continue
        if entry.failure is None:
            lines.append(TraceLine("applied", entry.rule.explanation, ", ".join(effects)))
        elif _mattered(entry.rule, weights, decision.winner):
            test, seen = entry.failure
            question = kb.question.get(test.field)
            said = plain_value(question, seen) if question else format_value(seen, None)
            missed.append(
                TraceLine(
                    "missed",
                    f"{entry.rule.explanation} It applies when {test.text}; you said {said}.",
                    ", ".join(effects),
                )
            )
    lines.extend(missed)
    if decision.tied:
        lines.append(TraceLine("note", report.tie_policy))
    return tuple(lines)


def _excludes(rule: Rule) -> tuple[ApproachId, ...]:
    return tuple(effect.exclude for effect in rule.effects if effect.exclude is not None)


def _mattered(rule: Rule, weights: Mapping[ApproachId, float], winner: ApproachId) -> bool:
    """Whether a rule, had it applied, would have helped another approach against the winner."""
    helps_other = any(weight > 0 for approach, weight in weights.items() if approach != winner)
    return helps_other or weights.get(winner, 0) < 0 or winner in _excludes(rule)
