"""From a decision to what a person reads: the recommendation, its reasons, what moves the cost.

:func:`build_report` turns a :class:`~advisor.decision.engine.Decision` into a
:class:`Report`: the winner with the reasons that argue for it (a rule is a
reason for the winner only if it favors the winner at least as much as any
other approach), the two alternatives with their honest "why not" (what speaks
for them, and what they would cost) and "would win if", the budget verdicts,
the method assumed and what full fine-tuning would cost instead, the
assumptions that swing the total most and any that would change the
recommendation, caveats, next steps, and every cited claim numbered in order
of first use. The renderers (:mod:`advisor.render`) and the chat read this one
structure, so they all say the same thing.

The report only explains: what it says was worked out by the decision's rooms
(:mod:`advisor.decision`): the what-ifs, the savings and the sensitivity.
"""

from __future__ import annotations

import heapq
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import field, replace

from advisor.answers import Normalized
from advisor.decision.engine import Decision, Engine
from advisor.decision.estimates import CostEstimate, LineCost, Spread
from advisor.decision.ranking import BudgetLevel
from advisor.decision.sensitivity import Flip, Swing, sensitivity
from advisor.decision.what_if import Saving, WouldWinIf, counterfactuals, full_fine_tuning, savings
from advisor.formatting import format_params, format_usd, usd_range
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import (
    BUDGET_TIGHT,
    CLOUD,
    GPUS,
    GPUS_FULL,
    HARDWARE,
    INFEASIBLE,
    METHOD,
    MODEL_GB,
    MODEL_PARAMS,
    RATES,
    SERVING,
    SMALL_TIER,
)
from advisor.kb.models import ApproachId, Assumption, Claim
from advisor.records import dataclass

__all__ = [
    "DECIDING_SHOWN",
    "SCHEMA_VERSION",
    "STEPS_SHOWN",
    "Alternative",
    "Budget",
    "Hardware",
    "Method",
    "Numbering",
    "Reason",
    "Report",
    "Serving",
    "build_report",
]

SCHEMA_VERSION = 6
"""Version of the JSON report's shape; bumped on any change a script could notice. 3: a budget may
be left unsaid (``answers.budget_usd`` null, ``fits_budget`` and ``budget_verdict`` null), and
``answers.assumed`` lists the answers assumed because the person was not sure. 4: a plan may take
two steps (``steps``: unsupervised fine-tuning, then transfer learning on a labeled set), and its
``name`` says both. 5: ``recommendation.hardware`` says whether the hardware named can run the
plan (``feasible``), why not (``text``) and what the compute is priced on (``priced_on``:
own-hardware, rented-gpus, or rented- and the hardware named);
``recommendation.serving_usd_per_month`` (low, median, high, assumptions) and
``recommendation.serving_text`` say what running the model costs a month, outside the budget
verdict; ``method.gpu_memory_gb`` is the memory of the GPU tier the method is priced on (24 GB
for a small model), and ``method.text`` says where it runs. 6 (fields added, none changed): the
report's first screen as data, ``recommendation.plain`` (what to do in a sentence),
``recommendation.cheaper`` (when nothing fits, what would bring it down most, or null),
``recommendation.deciding[]`` (the two or three reasons that decided, ``{text, claims}``) and
``recommendation.first_steps[]`` (the next three steps as the first screen says them); each
``assumptions[]`` entry has a ``name`` in words (null when the knowledge base gives none)."""

NO_BUDGET = (
    "is not judged against a budget, since you gave none; the other approaches are listed cheapest first"
)
"""Said after "It" when the person gave no budget: the one sentence that says how the report
orders the approaches instead."""

SWINGS_SHOWN = 5
"""How many assumptions "what moves the cost" lists."""

_SENTENCE_END = re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)\.\s+(?=[A-Z])")

DECIDING_SHOWN = 3
"""How many of the reasons that decided the report's first screen gives."""

STEPS_SHOWN = 3
"""How many next steps the report's first screen gives (the first of them)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """A sentence of rationale and the claims behind it."""

    text: str
    claims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FirstPath:
    """A path to try before fine-tuning: practice beyond the documents, with its reference."""

    text: str
    reference: str
    as_of: str


@dataclass(frozen=True, slots=True)
class Budget:
    """How a cost interval compares with the budget."""

    fits: bool | None
    """The median cost is within the budget (the decision's test); ``None`` when there is no
    budget to judge it by."""
    level: BudgetLevel
    """fits: the median and the fixed upper percentile are within budget; tight: only the median
    is; over: the median is not; unset: the person gave no budget."""
    text: str

    @classmethod
    def judge(
        cls, cost: CostEstimate, budget: float | None, level: BudgetLevel, upper: float, where: str = ""
    ) -> Budget:
        """``upper``: the fixed percentile of the draws that tells a fit from a tight one; ``where``:
        what the plan is priced on when it is not the hardware named (", priced on rented GPUs...")."""
        if budget is None or level == "unset":
            return cls(None, "unset", NO_BUDGET)
        if level == "fits":
            return cls(
                True,
                level,
                f"fits your budget of {format_usd(budget)} (about {format_usd(budget - cost.median)} "
                f"to spare at the middle of the range){where}",
            )
        if level == "tight":
            return cls(
                True,
                level,
                f"fits your budget of {format_usd(budget)} at the middle of the range "
                f"({format_usd(cost.median)}){where}, but it is tight: in one draw in ten of its "
                f"assumptions it would cost {format_usd(upper)} or more",
            )
        return cls(
            False,
            level,
            f"is over your budget of {format_usd(budget)} by about {format_usd(cost.median - budget)} "
            f"at the middle of the range{where}",
        )


@dataclass(frozen=True, slots=True)
class Hardware:
    """Where the plan runs: whether the hardware the person named can run it, and what its compute
    is priced on."""

    named: str | None
    """The hardware choice's value (``None``: not said, rented GPUs assumed)."""
    said_as: str
    """How a sentence names it ("CPUs only"); "rented GPUs" when not said."""
    feasible: bool
    """Whether the hardware named can run the plan (in at least half the draws)."""
    own: bool
    """Whether the plan runs on the person's own hardware, where compute and storage cost nothing."""
    priced_on: str
    """What the compute is priced on: ``own-hardware``; ``rented-gpus`` when no hardware was named
    or the one named cannot run the plan; else ``rented-`` and the hardware named (``rented-tpu``)."""
    text: str | None
    """The sentence said right after the plan's name: why the hardware cannot run it and the
    nearest plan that works, or that it runs on the person's own hardware; ``None``: nothing to say."""
    short: str | None = None
    """The same in one short sentence, for the report's first screen ("It cannot run on CPUs
    only: it is priced on 1 rented GPU of 80 GB.")."""

    @property
    def where(self) -> str:
        """What a budget verdict adds when the plan is priced on other hardware than the one named."""
        return "" if self.feasible else f", priced on rented GPUs (not on {self.said_as})"


@dataclass(frozen=True, slots=True)
class Serving:
    """What running the model costs a month, outside the budget verdict."""

    spread: Spread
    text: str
    """``Running it: about $30 – $150 a month (a CPU machine ...), outside the budget verdict.``"""
    assumptions: tuple[str, ...]
    """The assumptions the monthly cost rests on."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """An approach that did not win, and why."""

    approach: ApproachId
    name: str
    steps: tuple[ApproachId, ...]
    """The approaches the plan takes in order (two when it adapts on raw data, then labels)."""
    cost: CostEstimate
    budget: Budget
    score: float
    excluded: bool
    why_not: tuple[Reason, ...]
    would_win_if: WouldWinIf | None

    @property
    def would_win(self) -> str:
        """The counterfactual as a sentence."""
        change = self.would_win_if
        if change is None:
            return "No change you could choose would make it the better choice for you."
        if len(change.changes) == 1 and change.changes[0].less:
            return f"It is the one to choose if you would rather spend less: {change.text}."
        return f"It would win if {change.text}."


@dataclass(frozen=True, slots=True)
class Method:
    """The fine-tuning method the estimate assumes, and what full fine-tuning would cost instead."""

    value: str
    label: str
    said_as: str
    """How a sentence says it: "full fine-tuning", "LoRA"."""
    given: bool
    """Whether the person named it (else it is the default for the model's size)."""
    params: float
    gpus: float
    """GPUs the method needs (median)."""
    gpu_memory_gb: float | None
    """The memory of one GPU of the tier the method is priced on (24 or 80 GB)."""
    full: Spread | None
    """The recommended approach with full fine-tuning, when another method is assumed."""
    gpus_full: float
    on: str | None = None
    """The person's own hardware it runs on ("CPUs only"), when it does: no GPUs are rented."""
    rented_instead: bool = False
    """The hardware named cannot run it: the GPUs are rented instead."""

    @property
    def fits_one_gpu(self) -> bool:
        return self.gpus <= 1


@dataclass(frozen=True, slots=True)
class Numbering:
    """Citation numbers: the n-th claim a report cites first is number n."""

    numbers: Mapping[str, int]

    @classmethod
    def of(cls, claims: Iterable[Claim]) -> Numbering:
        return cls({claim.id: n for n, claim in enumerate(claims, start=1)})

    def numbered(self, claim_id: str) -> int | None:
        """The citation number of a claim, or ``None`` if it is not cited."""
        return self.numbers.get(claim_id)

    def cite(self, claim_ids: Iterable[str]) -> str:
        """``[1][4]`` for these claims (those not cited left out)."""
        return "".join(f"[{self.numbers[c]}]" for c in dict.fromkeys(claim_ids) if c in self.numbers)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a rendering shows, built once."""

    kb: KnowledgeBase
    normalized: Normalized
    decision: Decision
    approach: ApproachId
    name: str
    steps: tuple[ApproachId, ...]
    """The approaches the plan takes in order (two when it adapts on raw data, then labels)."""
    summary: Reason
    cost: CostEstimate
    budget: Budget
    hardware: Hardware
    serving: Serving
    rationale: tuple[Reason, ...]
    more_reasons: tuple[Reason, ...]
    """The reasons the rules and a tie give that the first screen does not say: the rest of the
    rationale speaks of the budget and the estimate, which its verdict says."""
    deciding: tuple[Reason, ...]
    """The two or three reasons that decided, in the order of the decision's steps (what could
    not produce the model, the budget, what suits the data best, a tie): the first screen's."""
    first_steps: tuple[Reason, ...]
    """The first screen's next steps: what to try before fine-tuning (its first sentence), when
    there is something, then the first next steps, :data:`STEPS_SHOWN` in all (without the papers
    they cite when they would not fit one screen: the steps in full follow)."""
    plain: str
    """What to do, in one plain sentence (the approach's first, and the second step's)."""
    cheaper: str | None
    """When nothing fits: the change of answers that brings the plan down most, in a sentence
    for the first screen ("It would come down to $8,731 – $18,601 if your own team does the
    work.")."""
    tie_policy: str
    alternatives: tuple[Alternative, ...]
    caveats: tuple[Reason, ...]
    next_steps: tuple[Reason, ...]
    first: tuple[FirstPath, ...]
    """What a practitioner would try before fine-tuning, said before the plan."""
    method: Method
    interval: str
    """What a range means, in a sentence."""
    worst_case: float
    swings: tuple[Swing, ...]
    flips: tuple[Flip, ...]
    fit_hint: str | None
    """When the recommendation does not fit: what would."""
    savings: tuple[Saving, ...]
    """When nothing fits: choices that would bring the plan down, cheapest first."""
    uses: Mapping[ApproachId, Mapping[str, tuple[str, ...]]]
    """Per approach and cost line, the assumptions and cited figures that move its dollars."""
    assumptions: tuple[tuple[Assumption, tuple[float, float], bool], ...]
    """Each assumption that moves an estimate, the value in force, and whether the person overrode it."""
    citations: tuple[Claim, ...]
    """Every claim referenced, in order of first use: citation n is ``citations[n - 1]``."""
    numbering: Numbering = field(init=False, repr=False, compare=False)
    """The citations' numbers, shared with every rendering."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "numbering", Numbering.of(self.citations))

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.normalized.warnings

    def number(self, claim_id: str) -> int:
        """The citation number of a claim (1-based)."""
        return self.numbering.numbers[claim_id]

    def numbered(self, claim_id: str) -> int | None:
        """The citation number of a claim, or ``None`` if the report does not cite it."""
        return self.numbering.numbered(claim_id)

    def sources(
        self, approach: ApproachId, lines: Iterable[LineCost]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The claims and the assumptions behind some of an approach's cost lines: the lines' own
        claims, and the cited figures and assumptions that move their dollars."""
        return _sources(self.kb, self.uses.get(approach, {}), lines)

    def cost_claims(self, approach: ApproachId) -> tuple[str, ...]:
        """The claims behind an approach's whole estimate."""
        cost = self.decision.costs[approach]
        return self.sources(approach, (line for category in cost.categories for line in category.lines))[0]

    def cite(self, claim_ids: Iterable[str]) -> str:
        """``[1][4]`` for these claims."""
        return self.numbering.cite(claim_ids)


def _moving_together(kb: KnowledgeBase, used: Iterable[str]) -> str:
    """The groups of assumptions used that are drawn together, named in words where they have
    a name ("runs done again, training runs"), else by their ids."""
    groups: dict[str, list[str]] = {}
    for name in used:
        assumption = kb.assumption[name]
        if assumption.moves_with is not None:
            groups.setdefault(assumption.moves_with, []).append(_in_a_sentence(assumption.name or name))
    return "; ".join(", ".join(names) for names in groups.values() if len(names) > 1)


def _in_a_sentence(name: str) -> str:
    """A name as it reads inside a sentence: "Training runs" is "training runs", "GPU hours" stays."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def plan_steps(kb: KnowledgeBase, cost: CostEstimate) -> tuple[ApproachId, ...]:
    """The approach, then the second step it takes when the task needs one (its ``then``)."""
    then = kb.approach[cost.approach].then
    if then is None or cost.quantities[then.when].median <= 0:
        return (cost.approach,)
    return (cost.approach, then.approach)


def plan_name(kb: KnowledgeBase, cost: CostEstimate) -> str:
    """ "Unsupervised fine-tuning", or "Unsupervised fine-tuning, then transfer learning" when the
    plan takes a second step (training on a small labeled set)."""
    first, *rest = plan_steps(kb, cost)
    later = "".join(f", then {kb.approach[step].name.lower()}" for step in rest)
    return kb.approach[first].name + later


def build_report(kb: KnowledgeBase, engine: Engine, normalized: Normalized) -> Report:
    """Decide and explain: the full report, with counterfactuals for both alternatives."""
    return explain(kb, normalized, engine.decide(normalized.answers))


def explain(kb: KnowledgeBase, normalized: Normalized, decision: Decision) -> Report:
    """The report for a decision already made."""
    # The engine that made it: another than the caller's when the answers override the rules'
    # numbers or ask for another interval, and every what-if is asked of the same one.
    engine = decision.engine
    answers = normalized.answers
    winner = decision.winner
    cost = decision.costs[winner]
    hardware = _hardware(kb, decision)
    serving = _serving(kb, decision)
    budget = Budget.judge(
        cost, answers.budget_usd, decision.levels[winner], engine.upper(cost), hardware.where
    )
    tie_names = ", then ".join(kb.approach[a].name.lower() for a in engine.policy.tie_order)
    tie_policy = (
        "When scores tie, the cheaper plan wins (at the middle of its range), and at equal cost "
        f"the approach the documents rank cheaper: {tie_names}."
    )
    moves = sensitivity(decision)
    uses = moves.uses
    cost_claims = _claims_of(kb, cost, uses[winner])
    rationale, deciding, weighed = _rationale(kb, decision, cost, budget, tie_policy, cost_claims)
    would_win = counterfactuals(decision)
    alternatives = tuple(
        _alternative(kb, decision, other, would_win[other]) for other in decision.ranking if other != winner
    )
    caveats = tuple(Reason(text, rule.claims) for text, rule in decision.caveats)
    next_steps = tuple(Reason(text, rule.claims) for text, rule in decision.next_steps)
    first = tuple(
        FirstPath(" ".join((effect.try_first or "").split()), effect.reference or "", effect.as_of or "")
        for effect, _ in decision.first
    )
    fit_hint, ways_to_save = _fit(kb, decision)
    plain = _plain(kb, plan_steps(kb, cost))
    if not hardware.own and budget.level != "unset":  # the verdict says what it is priced on
        hardware = replace(hardware, short=None)
    before = tuple(Reason(_first_sentence(path.text), ()) for path in first[:1])
    cheaper = None
    if budget.level == "over" and ways_to_save:  # the first screen's way to spend less
        saving = ways_to_save[0]
        cheaper = f"It would come down to {usd_range(saving.cost.low, saving.cost.high)} {saving.text}."
    optional = [text for text in (hardware.short, cheaper) if text]
    deciding, first_steps, kept = _at_a_glance(
        (plain, f"It {budget.text}."), optional, deciding, (*before, *next_steps[: STEPS_SHOWN - len(before)])
    )
    cheaper = cheaper if cheaper in kept else None
    if hardware.short not in kept:
        hardware = replace(hardware, short=None)
    used = dict.fromkeys(
        name
        for approach in decision.ranking
        for names in uses[approach].values()
        for name in names
        if name in kb.assumption
    )
    used.update(dict.fromkeys(serving.assumptions))
    # The rates the answers were read with ("€20k" at usd_per_eur) are assumptions of the report too.
    used.update(dict.fromkeys(a for a in answers.assumptions if a in RATES and a in decision.assumed))
    assumptions = tuple((kb.assumption[a], decision.assumed[a], a in answers.assumptions) for a in used)
    summary = Reason(kb.approach[winner].summary, kb.approach[winner].claims)
    cited: dict[str, None] = {}
    # Numbered in the order a reader meets them: the first screen's reasons and steps first.
    at_a_glance = (*deciding, *first_steps)
    cited.update(dict.fromkeys(claim for reason in at_a_glance for claim in reason.claims))
    cited.update(dict.fromkeys(claim for reason in (summary, *rationale) for claim in reason.claims))
    cited.update(dict.fromkeys(cost_claims))
    for alternative in alternatives:
        cited.update(dict.fromkeys(claim for reason in alternative.why_not for claim in reason.claims))
        cited.update(
            dict.fromkeys(_claims_of(kb, decision.costs[alternative.approach], uses[alternative.approach]))
        )
    for reason in (*caveats, *next_steps):
        cited.update(dict.fromkeys(reason.claims))
    for assumption, _, _ in assumptions:
        cited.update(dict.fromkeys(assumption.claims))
    low, high = engine.cost_model.percentiles
    together = _moving_together(kb, (a.id for a, _, _ in assumptions))
    interval = (
        f"Ranges are the {_ordinal(low)} to {_ordinal(high)} percentile of {engine.cost_model.count} draws "
        "of the assumptions, each drawn log-uniformly (uniformly when it starts at 0) from its own range, "
        "independently of the others"
        + (f" except those that move together ({together}), drawn high or low together" if together else "")
        + "; each line and category is its own percentile, so they do not add up "
        "to the total's. The worst case has every assumption at its costliest end."
    )
    return Report(
        kb=kb,
        normalized=normalized,
        decision=decision,
        approach=winner,
        name=plan_name(kb, cost),
        steps=plan_steps(kb, cost),
        summary=summary,
        cost=cost,
        budget=budget,
        hardware=hardware,
        serving=serving,
        rationale=rationale,
        deciding=deciding,
        more_reasons=tuple(reason for reason in weighed if reason not in deciding),
        first_steps=first_steps,
        plain=plain,
        cheaper=cheaper,
        tie_policy=tie_policy,
        alternatives=alternatives,
        caveats=caveats,
        next_steps=next_steps,
        first=first,
        method=_method(kb, decision, hardware),
        interval=interval,
        worst_case=moves.worst_case,
        swings=moves.swings[:SWINGS_SHOWN],
        flips=moves.flips,
        fit_hint=fit_hint,
        savings=ways_to_save,
        uses=uses,
        assumptions=assumptions,
        citations=tuple(kb.claim[c] for c in cited),
    )


def _plain(kb: KnowledgeBase, steps: tuple[ApproachId, ...]) -> str:
    """What the plan does in one plain sentence: the first of its approach's summary, and what
    a second step adds ("..., then fine-tune it on a small labeled set.")."""
    first, *rest = steps
    sentence = _first_sentence(kb.approach[first].summary)
    if rest:  # the plan's name says which approach the second step takes
        sentence = f"{sentence[:-1]}, then fine-tune it on a small labeled set."
    return sentence


SCREEN = (80, 24)
"""The first screen, in columns and lines: the report's first group fits it as text."""

_REFERENCE = re.compile(r" \([^()]*(?:arXiv|et al\.|\b(?:19|20)\d\d\b)[^()]*\)")
"""A parenthesis that cites a paper: "(He et al., arXiv:1512.03385)"."""


def _at_a_glance(
    paragraphs: tuple[str, ...], optional: list[str], deciding: tuple[Reason, ...], steps: tuple[Reason, ...]
) -> tuple[tuple[Reason, ...], tuple[Reason, ...], tuple[str, ...]]:
    """The reasons and steps of the first screen, fitted to it under ``paragraphs`` (what to do,
    what it costs) and the ``optional`` ones (what would bring it down, where it runs): two
    reasons rather than three, then steps without the papers they cite in parentheses, then up
    to their first semicolon or full stop, then without the optional paragraphs, last first,
    until they fit (everything follows in full). Returns the optional paragraphs kept too."""
    reasons, shown, kept = list(deciding), list(steps), list(optional)

    def over() -> bool:
        fixed = 2 + _lines(*paragraphs, *kept) + (4 if shown else 2)  # name, cost; blanks, headings
        return fixed + _lines(*reasons, *shown) > SCREEN[1]

    while len(reasons) > 2 and over():
        reasons.pop()
    for shorten in (_unreferenced, _first_clause, _first_sentence):
        for at in sorted(range(len(shown)), key=lambda i: -_lines(shown[i])):
            if not over():
                break
            shown[at] = Reason(shorten(shown[at].text), shown[at].claims)
    while kept and over():
        kept.pop()
    return tuple(reasons), tuple(shown), tuple(kept)


def _lines(*texts: str | Reason) -> int:
    """How many lines of the first screen some paragraphs or list items take, indented, with
    their citations."""
    count = 0
    for text in texts:
        if isinstance(text, Reason):
            text = text.text + " [00]" * len(text.claims)
        count += len(textwrap.wrap(text, SCREEN[0] - 7)) if text else 0
    return count


def _unreferenced(text: str) -> str:
    """A step without the papers it cites in parentheses."""
    return _REFERENCE.sub("", text)


def _first_clause(text: str) -> str:
    """A step up to its first semicolon, as a sentence."""
    head, _, rest = text.partition("; ")
    return head + "." if rest else text


def _first_sentence(text: str) -> str:
    """A text's first sentence: up to the first full stop followed by a capital (not "et al.")."""
    folded = " ".join(text.split())
    end = _SENTENCE_END.search(folded)
    return folded if end is None else folded[: end.start() + 1]


def _ordinal(number: float) -> str:
    if number != int(number):
        return f"{number:g}th"
    number = int(number)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _claims_of(kb: KnowledgeBase, cost: CostEstimate, uses: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The claims behind an estimate: its lines' own, and those of the cited figures that move them."""
    return _sources(kb, uses, (line for category in cost.categories for line in category.lines))[0]


def _sources(
    kb: KnowledgeBase, uses: Mapping[str, tuple[str, ...]], lines: Iterable[LineCost]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The claims and assumptions behind cost lines, given the names that move each line."""
    cited = {c.id: c.claim for c in kb.costs.cited}
    claims: dict[str, None] = {}
    assumptions: dict[str, None] = {}
    for line in lines:
        claims.update(dict.fromkeys(line.line.claims))
        for name in uses.get(line.line.id, ()):
            if name in kb.assumption:
                assumptions[name] = None
            elif name in cited:
                claims[cited[name]] = None
    return tuple(claims), tuple(assumptions)


def _budget_claims(kb: KnowledgeBase) -> tuple[str, ...]:
    assumption = kb.assumption.get(BUDGET_TIGHT)
    return assumption.claims if assumption is not None else ()


def _rationale(
    kb: KnowledgeBase,
    decision: Decision,
    cost: CostEstimate,
    budget: Budget,
    tie_policy: str,
    cost_claims: tuple[str, ...],
) -> tuple[tuple[Reason, ...], tuple[Reason, ...], tuple[Reason, ...]]:
    """The reasons that argue for the winner (each favors it at least as much as any other
    approach); the two or three that decided, in the order the decision takes its steps (what
    could not produce the model, the budget, what suits the data best, a tie); and those of the
    rules and a tie (the others speak of the budget and the estimate, which the verdict says)."""
    winner = decision.winner
    weights_of = decision.weights  # rule id -> weight by approach; there may be thousands of rules
    holding = [
        rule
        for rule in decision.fired
        if (weights := weights_of[rule.id]).get(winner, 0.0) > 0 and weights[winner] >= max(weights.values())
    ]
    holding.sort(key=lambda rule: -weights_of[rule.id][winner])
    for_data = [Reason(rule.explanation, rule.claims) for rule in holding]
    level = decision.levels[winner]
    contenders = [a for a in decision.ranking if a != winner and a not in decision.excluded]
    over = [a for a in contenders if decision.levels[a] == "over"]
    by_budget: list[Reason] = []
    decided_by_budget: list[Reason] = []
    if _fits(level) and over:
        names = " and ".join(kb.approach[a].name.lower() for a in over)
        by_budget.append(Reason(f"It fits your budget; {names} would not.", _budget_claims(kb)))
        decided_by_budget = by_budget
    elif level == "over":
        said = f"Nothing fits your budget, so the cheapest plan is recommended: it {budget.text}."
        by_budget.append(Reason(said, _budget_claims(kb)))
        amount = format_usd(decision.answers.budget_usd or 0.0)
        decided_by_budget = [
            Reason(
                f"Nothing fits your budget of {amount}, so the cheapest plan is recommended.",
                _budget_claims(kb),
            )
        ]
    tie: list[Reason] = []
    tied: list[Reason] = []
    if decision.tied:
        runner_up = kb.approach[decision.ranking[1]].name.lower()
        tie.append(Reason(f"It tied with {runner_up}. {tie_policy}", kb.costs.tie_claims))
        tied.append(
            Reason(f"It tied with {runner_up}, and a tie goes to the cheaper plan.", kb.costs.tie_claims)
        )
    verdict = "" if budget.level == "unset" else f", which {budget.text}"
    estimate = Reason(f"Estimated at {usd_range(cost.low, cost.high)}{verdict}.", cost_claims)
    ruled_out = [
        Reason(f"Ruled out: {kb.rule[rules[0]].explanation}", kb.rule[rules[0]].claims)
        for approach, rules in decision.excluded.items()
        if approach != winner and rules
    ]
    deciding = [*ruled_out[:1], *decided_by_budget, *for_data[:2], *tied][:DECIDING_SHOWN]
    if len(deciding) < 2:
        deciding.extend(r for r in (*for_data, *ruled_out) if r not in deciding)
        deciding = deciding[:DECIDING_SHOWN] if len(deciding) >= 2 else [*deciding, estimate]
    return (*for_data, *by_budget, *tie, estimate), tuple(deciding), (*for_data, *tie)


def _fits(level: BudgetLevel) -> bool:
    """Whether a plan at this level fits the budget (or there is none to fit)."""
    return level in ("fits", "tight", "unset")


def _alternative(
    kb: KnowledgeBase, decision: Decision, other: ApproachId, would_win_if: WouldWinIf | None
) -> Alternative:
    winner = decision.winner
    winner_name = kb.approach[winner].name.lower()
    cost = decision.costs[other]
    winner_cost = decision.costs[winner]
    budget = Budget.judge(
        cost, decision.answers.budget_usd, decision.levels[other], decision.engine.upper(cost)
    )
    reasons: list[Reason] = []
    for rule_id in decision.excluded.get(other, ()):
        rule = kb.rule[rule_id]
        reasons.append(Reason(f"Ruled out: {rule.explanation}", rule.claims))
    # Each fired rule's weight for the winner and for this approach, read once: there may be thousands.
    weights_of = decision.weights
    weighed = [
        (rule, weights.get(winner, 0.0), weights.get(other, 0.0))
        for rule in decision.fired
        if (weights := weights_of[rule.id])
    ]
    if other not in decision.excluded:
        reasons.extend(
            Reason(f"In its favor: {rule.explanation}", rule.claims)
            for rule, for_winner, for_other in weighed
            if for_other > for_winner
        )
    reasons.extend(
        Reason(f"Counts against it: {rule.explanation}", rule.claims)
        for rule, _, for_other in weighed
        if for_other < 0
    )
    gaps = heapq.nlargest(  # the two largest, the first listed of equals first, as sorted() would
        2,
        (
            (for_winner - for_other, rule)
            for rule, for_winner, for_other in weighed
            if for_winner > max(0.0, for_other)
        ),
        key=lambda item: item[0],
    )
    for _, rule in gaps:
        reasons.append(Reason(f"Counts more for {winner_name}: {rule.explanation}", rule.claims))
    if not _fits(decision.levels[other]) and _fits(decision.levels[winner]):
        reasons.append(Reason(f"It {budget.text}.", _budget_claims(kb)))
    if (
        other not in decision.excluded
        and _fits(decision.levels[other])
        and decision.totals[other] == decision.totals[winner]
    ):
        if cost.median > winner_cost.median:
            reasons.append(Reason(f"It scored the same as {winner_name}, which costs less.", ()))
        else:
            reasons.append(
                Reason(
                    f"It tied with {winner_name}; ties go to the approach the documents rank cheaper.",
                    kb.costs.tie_claims,
                )
            )
    saving = winner_cost.median - cost.median
    if saving > 0 and other not in decision.excluded and decision.totals[other] < decision.totals[winner]:
        reasons.append(
            Reason(
                f"It would cost about {format_usd(saving)} less (at the middle of the ranges), "
                f"but what counts for {winner_name} weighs more.",
                (),
            )
        )
    if cost.median > winner_cost.median:
        reasons.append(
            Reason(
                f"It would cost more: {usd_range(cost.low, cost.high)}, "
                f"against {usd_range(winner_cost.low, winner_cost.high)} "
                f"(the documents rank it {kb.approach[other].tier}, "
                f"{winner_name} {kb.approach[winner].tier}).",
                (*kb.approach[other].claims, *kb.approach[winner].claims),
            )
        )
    return Alternative(
        approach=other,
        name=plan_name(kb, cost),
        steps=plan_steps(kb, cost),
        cost=cost,
        budget=budget,
        score=decision.scores[other],
        excluded=other in decision.excluded,
        why_not=tuple(reasons),
        would_win_if=would_win_if,
    )


def _method(kb: KnowledgeBase, decision: Decision, hardware: Hardware) -> Method:
    values = decision.values
    value = str(values.get(METHOD) or "")
    question = kb.question.get(METHOD)
    choice = next((c for c in question.choices if c.value == value), None) if question else None
    cost = decision.costs[decision.winner]
    return Method(
        value=value,
        label=choice.label if choice else value,
        said_as=(choice.said_as or choice.label) if choice else value,
        given=decision.answers.values.get(METHOD) is not None,
        params=float(values.get(MODEL_PARAMS) or 0.0),
        gpus=cost.quantities[GPUS].median if GPUS in cost.quantities else 1.0,
        gpu_memory_gb=_tier_memory(decision, cost),
        full=full_fine_tuning(decision),
        gpus_full=cost.quantities[GPUS_FULL].median if GPUS_FULL in cost.quantities else 1.0,
        on=hardware.said_as if hardware.own else None,
        rented_instead=not hardware.feasible,
    )


def _tier_memory(decision: Decision, cost: CostEstimate) -> float | None:
    """The memory of one GPU of the tier the method is priced on, when the assumption is one value."""
    small = SMALL_TIER in cost.quantities and cost.quantities[SMALL_TIER].median >= 0.5
    memory = decision.assumed.get("small_gpu_memory_gb" if small else "gpu_memory_gb")
    return memory[0] if memory and memory[0] == memory[1] else None


def _hardware(kb: KnowledgeBase, decision: Decision) -> Hardware:
    """Whether the hardware named can run the plan; if not, why, and the nearest plan that works
    (the same plan on rented GPUs, as the cost model prices it)."""
    named = decision.values.get(HARDWARE)
    question = kb.question.get(HARDWARE)
    choice = next((c for c in question.choices if c.value == named), None) if question else None
    said_as = (choice.said_as or choice.label) if choice is not None else "rented GPUs"
    cost = decision.costs[decision.winner]
    quantities = cost.quantities
    infeasible = quantities.get(INFEASIBLE)
    if infeasible is not None and infeasible.median >= 0.5:
        params = float(decision.values.get(MODEL_PARAMS) or 0.0)
        size = f"A model of {format_params(params)} parameters" if params else "This model"
        method = _method_name(kb, decision)
        gpus = round(quantities[GPUS].median) if GPUS in quantities else 1
        memory = _tier_memory(decision, cost)
        tier = f" of {memory:g} GB" if memory else ""
        needs = f" (it needs about {quantities[MODEL_GB].median:,.0f} GB)" if MODEL_GB in quantities else ""
        why = " ".join((choice.cannot or "").split()) if choice is not None else ""
        text = (
            f"{size} cannot be fine-tuned with {method} on {said_as}"
            + (f": {why}" if why else "")
            + f". The nearest plan that works rents {gpus} GPU{'s' if gpus != 1 else ''}{tier} "
            f"for {method}{needs}: it is the plan priced here, and its budget verdict is for rented "
            "GPUs, not for your hardware."
        )
        short = (
            f"It cannot run on {said_as}: it is priced on {gpus} rented GPU{'s' if gpus != 1 else ''}{tier}."
        )
        return Hardware(named, said_as, False, False, "rented-gpus", text, short)
    own = CLOUD in quantities and quantities[CLOUD].median < 0.5 and named is not None
    if own:
        text = f"It runs on {said_as}: no GPUs to rent, so compute costs nothing."
        if infeasible is not None and infeasible.high > 0:
            text += " In some of the draws the model does not fit, and rented GPUs are priced instead."
        short = f"It runs on {said_as}: no GPUs to rent."
        return Hardware(named, said_as, True, True, "own-hardware", text, short)
    return Hardware(named, said_as, True, False, "rented-gpus" if named is None else f"rented-{named}", None)


def _method_name(kb: KnowledgeBase, decision: Decision) -> str:
    """How a sentence names the method in force ("QLoRA", "full fine-tuning")."""
    value = decision.values.get(METHOD)
    question = kb.question.get(METHOD)
    choice = next((c for c in question.choices if c.value == value), None) if question else None
    return (choice.said_as or choice.label) if choice is not None else str(value or "fine-tuning")


def _serving(kb: KnowledgeBase, decision: Decision) -> Serving:
    """What running the recommended model costs a month: the ways of serving it the cost model
    adds up (a CPU machine, a GPU endpoint), those that apply named, with their assumptions."""
    cost = decision.costs[decision.winner]
    model = decision.engine.cost_model
    if SERVING not in cost.quantities:
        return Serving(Spread(0.0, 0.0, 0.0), "", ())
    spread = cost.quantities[SERVING]
    quantity = {q.id: q for q in kb.costs.quantities}
    parts = [
        name
        for name in sorted(model.reads_directly.get(SERVING, ()), key=list(quantity).index)
        if name in quantity and name in cost.quantities and cost.quantities[name].high > 0
    ]
    how = "; ".join(" ".join(quantity[name].text.split()) for name in parts)
    values, winner = decision.values, decision.winner
    read = (name for part in (parts or [SERVING]) for name in sorted(model.reads(part, values, winner)))
    assumptions = tuple(dict.fromkeys(name for name in read if name in kb.assumption))
    text = (
        f"Running it: about {usd_range(spread.low, spread.high)} a month"
        + (f" ({how})" if how else "")
        + ", outside the budget verdict."
    )
    return Serving(spread, text, assumptions)


def _fit(kb: KnowledgeBase, decision: Decision) -> tuple[str | None, tuple[Saving, ...]]:
    """When the recommendation does not fit: what would, or else what would bring it down."""
    winner = decision.winner
    budget = decision.answers.budget_usd
    if budget is None or decision.levels[winner] in ("fits", "unset"):
        return None, ()
    if decision.levels[winner] == "tight":
        roomy = [a for a in decision.ranking if a not in decision.excluded and decision.levels[a] == "fits"]
        if roomy:
            cost = decision.costs[roomy[0]]
            within = f"would cost {usd_range(cost.low, cost.high)}, within your budget with room to spare."
            return f"{kb.approach[roomy[0]].name} {within}", ()
        return None, savings(decision)
    cheapest = decision.winner  # nothing fits: the recommendation is the cheapest plan
    median = decision.costs[cheapest].median
    # How far over is said in the verdict just before: the hint says what it means.
    hint = (
        f"Nothing fits {format_usd(budget)}: this is the cheapest plan, and it fits a budget of "
        f"{format_usd(median)} or more at the middle of its range."
    )
    return hint, savings(decision)
