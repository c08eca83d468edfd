""" "why?": the decision told as it was made, in order and in words.

The steps are the ranking's (:mod:`advisor.decision.ranking`): first, which approaches can make
the model the task needs from this data (a rule may rule one out); then the budget, which
filters and does not vote; then, among those left, which is best for the data, by the rules'
scores. The chat stops at the step that left one approach: scores are shown only where they
decided, and the step that decided is the one the report's reasons give
(:func:`deciding_step`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from advisor.chat.replies import TraceLine
from advisor.conditions import plain_value
from advisor.formatting import format_usd, format_value, usd_range
from advisor.kb.models import APPROACHES, ApproachId

if TYPE_CHECKING:
    from advisor.decision.engine import Decision
    from advisor.report import Report

__all__ = ["Step", "deciding_step", "trace_lines"]

MISSED_SHOWN = 3
"""The rules that did not apply but would have helped another approach, at most: the weightiest."""

Step = Literal["produce", "budget", "over", "scores", "tie"]
"""What left the recommendation alone: the only approach that can make the model (``produce``),
the only one that fits the budget (``budget``), the cheapest when none fits (``over``), the
best score among those that fit (``scores``), or, at equal scores, the cheaper (``tie``)."""


def deciding_step(decision: Decision) -> Step:
    """The step of the decision that left one approach."""
    open_ = [a for a in APPROACHES if a not in decision.excluded]
    if len(open_) <= 1:
        return "produce"
    if decision.answers.budget_usd is not None:
        fitting = [a for a in open_ if decision.levels[a] != "over"]
        if not fitting:
            return "over"
        if len(fitting) == 1:
            return "budget"
    return "tie" if decision.tied else "scores"


def trace_lines(report: Report) -> tuple[TraceLine, ...]:
    """The decision in order: can each approach make the model, which fit the budget, which is
    best for the data (only when more than one is left), and what decided."""
    decision = report.decision
    step = deciding_step(decision)
    lines = [_produce(report, step), _budget(report, step)]
    if step in ("scores", "tie"):
        lines.extend(_best(report))
    lines.append(TraceLine("decided", _decided(report, step), title="So"))
    return tuple(lines)


def _names(report: Report) -> Mapping[ApproachId, str]:
    """Each approach as the report names its plan ("unsupervised fine-tuning, then transfer
    learning"), in lower case."""
    names = {a.approach: a.name.lower() for a in report.alternatives}
    names[report.approach] = report.name.lower()
    return {a: f"“{name}”" if "," in name else name for a, name in names.items()}


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _produce(report: Report, step: Step) -> TraceLine:
    """Step 1: which approaches can make the model this task needs from this data."""
    kb, decision = report.kb, report.decision
    output = decision.values.get("output")
    question = kb.question.get("output")
    choice = next((c for c in question.choices if c.value == output), None) if question else None
    wanted = f"Your model must give {choice.said_as or choice.label.lower()}. " if choice else ""
    cannot = [f"Ruled out: {kb.rule[rules[0]].explanation}" for rules in decision.excluded.values() if rules]
    names = _names(report)
    can = [names[a] for a in decision.ranking if a not in decision.excluded]
    parts = [wanted.strip()] if wanted else []
    parts.extend(cannot)
    if len(can) == len(APPROACHES):
        parts.append(f"All three can: {_listed(can)}.")
    elif can:
        parts.append(f"{_listed(can)} can." if len(can) > 1 else f"Only {can[0]} can.")
    text = " ".join(_capital(p) for p in parts if p)
    return TraceLine("step", text, title="1. Which can make the model")


def _capital(text: str) -> str:
    """A sentence's first letter in capitals, after an opening quote too."""
    at = 1 if text.startswith("“") else 0
    return text[:at] + text[at : at + 1].upper() + text[at + 1 :]


def _budget(report: Report, step: Step) -> TraceLine:
    """Step 2: the budget filters the approaches left; it does not vote."""
    decision = report.decision
    budget = decision.answers.budget_usd
    title = "2. Which fit the budget"
    if budget is None:
        return TraceLine("step", "You gave no budget, so no approach is set aside for its cost.", title=title)
    names = _names(report)
    open_ = [a for a in decision.ranking if a not in decision.excluded]
    fits = [a for a in open_ if decision.levels[a] != "over"]
    over = [a for a in open_ if decision.levels[a] == "over"]
    said = f"The budget filters, it does not vote: with {format_usd(budget)}, "
    if fits:
        verb = "fits" if len(fits) == 1 else "fit"
        said += f"{_listed([names[a] for a in fits])} {verb} at the middle of the range"
    if over:
        costs = [f"{names[a]} (about {format_usd(decision.costs[a].median)})" for a in over]
        said += (", and " if fits else "") + f"{_listed(costs)} would not"
    text = said + "."
    if step == "over":
        text += f" None fits, so the cheapest is recommended: it {report.budget.text}."
    return TraceLine("step", text, title=title)


def _best(report: Report) -> list[TraceLine]:
    """Step 3, when more than one approach is left: the rules' scores among them, the rules
    that counted, and those that would have helped another against the winner."""
    kb, decision = report.kb, report.decision
    names = _names(report)
    budget = decision.answers.budget_usd
    left = [
        a
        for a in decision.ranking
        if a not in decision.excluded and (budget is None or decision.levels[a] != "over")
    ]
    scores = ", ".join(f"{names[a]} {decision.scores[a]:g}" for a in left)
    lines = [
        TraceLine(
            "step",
            f"What your answers say counts for each of those left: {scores}.",
            title="3. Which is best for your data",
        )
    ]
    missed: list[tuple[float, TraceLine]] = []
    for entry in decision.trace:
        weights = {a: w for a, w in decision.weights[entry.rule.id].items() if a in left}
        effects = ", ".join(f"{w:+g} {names[a]}" for a, w in weights.items())
        if not effects:
            continue
        if entry.failure is None:
            lines.append(TraceLine("applied", entry.rule.explanation, effects))
        elif _mattered(weights, decision.winner):
            test, seen = entry.failure
            question = kb.question.get(test.field)
            said = plain_value(question, seen) if question else format_value(seen, None)
            text = f"{entry.rule.explanation} It applies when {test.text}; you said {said}."
            missed.append((max(abs(w) for w in weights.values()), TraceLine("missed", text, effects)))
    missed.sort(key=lambda item: -item[0])  # stable: the rules' order among equals
    lines.extend(line for _, line in missed[:MISSED_SHOWN])
    if decision.tied:
        lines.append(TraceLine("note", report.tie_policy))
    return lines


def _decided(report: Report, step: Step) -> str:
    """The conclusion: the recommendation and the step that decided it."""
    name = report.name
    cost = usd_range(report.cost.low, report.cost.high)
    why = {
        "produce": "it is the only approach that can make this model from your data",
        "budget": "it is the only one that fits your budget",
        "over": "nothing fits your budget, and it is the cheapest",
        "scores": "it scores highest of those that fit"
        if report.decision.answers.budget_usd is not None
        else "it scores highest",
        "tie": _tie(report),
    }[step]
    return f"I recommend {name.lower()} ({cost}): {why}."


def _tie(report: Report) -> str:
    """Why the winner of a tie won: it costs less, or at equal cost the documents rank it cheaper."""
    decision = report.decision
    winner = decision.winner
    budget = decision.answers.budget_usd
    tied = [
        a
        for a in decision.ranking
        if a != winner
        and a not in decision.excluded
        and (budget is None or decision.levels[a] != "over")
        and decision.scores[a] == decision.scores[winner]
    ]
    if not tied:
        return "it scores highest"
    other = _names(report)[tied[0]]
    if decision.costs[winner].median < decision.costs[tied[0]].median:
        return f"it scored the same as {other} and costs less"
    return f"it scored the same as {other} at the same cost, and the documents rank it cheaper"


def _mattered(weights: Mapping[ApproachId, float], winner: ApproachId) -> bool:
    """Whether a rule, had it applied, would have helped another approach against the winner."""
    helps_other = any(weight > 0 for approach, weight in weights.items() if approach != winner)
    return helps_other or weights.get(winner, 0) < 0
