"""The decision: rules over answers, the budget as a constraint, advice that fits the outcome.

:class:`Engine` compiles a knowledge base's rules and cost model; :meth:`Engine.decide`
then, for one set of answers:

1. completes them: the model's parameter count (as given, or typical of the
   size given) and the fine-tuning method (as given, or the default for that
   many parameters);
2. evaluates every rule that favors or excludes: a rule *fires* when its
   condition holds, adding its weights to the approaches' scores or ruling one
   out; every rule is traced (fired, or the first condition that failed and the
   value it saw);
3. estimates every approach's cost (:mod:`advisor.costs`) and judges it against
   the budget: fits (even the high end is within it), may fit (only the low end
   is), or over. Each level is worth ``budget_level_weight`` points, so an
   approach that fits beats one that may not unless its reasons outweigh that;
4. recommends the highest total among the approaches not ruled out; a tie goes to
   the first of ``tie_order`` (the documents rank transfer learning cheapest);
5. reads the advice rules (caveats and next steps) against the recommendation:
   they may test the recommended approach and its cost model's quantities.

:meth:`Engine.would_win_if` searches for the smallest change a person could
choose (more budget or labels, another model size, method or team; never less
data) that makes another approach the recommendation.

The deciding rules are read in groups that test the same fields
(:mod:`advisor.rule_groups`): answers that stand in the same place among a
group's thresholds get the same outcome, worked out once. Costs are evaluated
directly for each decision.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from typing import Any, Literal

from advisor.answers import Answers, asked
from advisor.conditions import Check, Failure, Terms, compile_condition, plain_value
from advisor.costs import CostEstimate, CostModel, Pair
from advisor.formatting import format_value
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import APPROACH, BUDGET, BUDGET_WEIGHT, METHOD, MODEL_PARAMS, MODEL_SIZE
from advisor.kb.models import APPROACHES, ApproachId, Condition, Question, Rule
from advisor.reading import band_of
from advisor.records import dataclass
from advisor.rule_groups import Member, Outcome, RuleGroup, group_rules

__all__ = [
    "BudgetLevel",
    "Change",
    "Decision",
    "Engine",
    "Judgement",
    "TraceEntry",
    "WouldWinIf",
    "budget_level",
    "level_of",
]

BudgetLevel = Literal["fits", "tight", "over"]
_LEVEL_POINTS: dict[BudgetLevel, int] = {"fits": 2, "tight": 1, "over": 0}


def budget_level(cost: CostEstimate, budget: float) -> BudgetLevel:
    """fits: the whole interval is within the budget; tight: its low end is; over: not even that."""
    return level_of(cost.low, cost.high, budget)


def level_of(low: float, high: float, budget: float) -> BudgetLevel:
    if high <= budget:
        return "fits"
    if low <= budget:
        return "tight"
    return "over"


_Standing = tuple[dict[ApproachId, float], dict[ApproachId, tuple[str, ...]]]
"""What the deciding rules make of answers: the scores, and the exclusions with the rules behind them."""
_Scored = tuple[tuple[Failure | None, ...], dict[ApproachId, float], dict[ApproachId, tuple[str, ...]]]
"""The same, with each rule's failure (for the trace)."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the deciding rules and the budget make of answers and cost intervals."""

    failures: tuple[Failure | None, ...]
    """Aligned with the rules; advice rules are left ``None`` (read after the decision)."""
    scores: dict[ApproachId, float]
    excluded: dict[ApproachId, tuple[str, ...]]
    levels: dict[ApproachId, BudgetLevel]
    totals: dict[ApproachId, float]
    ranking: tuple[ApproachId, ...]
    winner: ApproachId
    tied: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who wins for a set of answers, and each approach's interval: what a what-if needs, without
    the detail of a :class:`Decision`."""

    values: Mapping[str, Any]
    intervals: Mapping[ApproachId, Pair]
    winner: ApproachId


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    check: Check | None
    weights: dict[ApproachId, float]
    exclude: tuple[ApproachId, ...]
    caveats: tuple[str, ...]
    next_steps: tuple[str, ...]
    advice: bool


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One rule as the decision saw it."""

    rule: Rule
    failure: Failure | None

    @property
    def fired(self) -> bool:
        return self.failure is None


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one set of answers: winner, scores, budget levels, trace and costs."""

    answers: Answers
    values: Mapping[str, Any]
    """The answers completed: every question, ``model_params``, and the method in force."""
    winner: ApproachId
    ranking: tuple[ApproachId, ...]
    """All three approaches, best first (excluded ones last)."""
    scores: Mapping[ApproachId, float]
    """What the rules add up to, before the budget."""
    totals: Mapping[ApproachId, float]
    """Scores plus the budget's points."""
    levels: Mapping[ApproachId, BudgetLevel]
    excluded: Mapping[ApproachId, tuple[str, ...]]
    """Excluded approaches and the rules that excluded them."""
    tied: bool
    """Whether the winner's total tied another's and the tie order decided."""
    failures: tuple[Failure | None, ...]
    """Aligned with :attr:`Engine.rules`: ``None`` where the rule fired."""
    fired: tuple[Rule, ...]
    """The rules that fired, in their order."""
    costs: Mapping[ApproachId, CostEstimate]
    assumed: Mapping[str, Pair]
    """Assumption values in force (defaults plus overrides)."""
    engine: Engine = field(repr=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        return tuple(TraceEntry(c.rule, f) for c, f in zip(self.engine.compiled, self.failures, strict=True))

    @property
    def caveats(self) -> tuple[tuple[str, Rule], ...]:
        return tuple((text, c.rule) for c in self._advising() for text in c.caveats)

    @property
    def next_steps(self) -> tuple[tuple[str, Rule], ...]:
        return tuple((text, c.rule) for c in self._advising() for text in c.next_steps)

    def _advising(self) -> Iterator[_CompiledRule]:
        """The fired rules with caveats or next steps."""
        return (c for index, c in self.engine.advising if self.failures[index] is None)

    def weight(self, rule: Rule, approach: ApproachId) -> float:
        """How much ``rule`` adds to ``approach`` (0 when it does not favor it)."""
        return self.engine.weights[rule.id].get(approach, 0.0)

    @property
    def budget_points(self) -> float:
        """What one budget level is worth."""
        return self.engine.budget_points


@dataclass(frozen=True, slots=True)
class Change:
    """One answer changed by a counterfactual."""

    field: str
    before: Any
    after: Any
    text: str
    """In words: ``a budget of at least $48,000``, ``labeled data``."""
    less: bool = False
    """A lower budget: a choice to spend less, stated as such."""


@dataclass(frozen=True, slots=True)
class WouldWinIf:
    """The smallest change a person could choose that makes an approach the recommendation."""

    approach: ApproachId
    changes: tuple[Change, ...]

    @property
    def text(self) -> str:
        return " and ".join(change.text for change in self.changes)


class Engine:
    """A knowledge base's rules and cost model, compiled."""

    def __init__(
        self, kb: KnowledgeBase, numbers: Mapping[str, float] | None = None, interval: Pair | None = None
    ) -> None:
        self.kb = kb
        self.numbers: dict[str, float] = {**kb.numbers, **(numbers or {})}
        kinds = {q.id: q.kind for q in kb.questions}
        kinds[MODEL_PARAMS] = "count"
        names = {q.id: q.name for q in kb.questions}
        names[MODEL_PARAMS] = "the model's parameters"
        self.terms = Terms(kinds, names, self.numbers)
        self.plain_terms = Terms(kinds, names, self.numbers, kb.question)
        """The same, said in the person's terms: what a rule's failure tells them."""
        self.compiled = tuple(self._compile(rule) for rule in kb.rules)
        self.rules = tuple(compiled.rule for compiled in self.compiled)
        self.weights = {compiled.rule.id: compiled.weights for compiled in self.compiled}
        self._advice = tuple((index, c) for index, c in enumerate(self.compiled) if c.advice)
        """The rules that only add caveats and next steps: read once the winner is known."""
        self.advising = tuple(
            (index, c) for index, c in enumerate(self.compiled) if c.caveats or c.next_steps
        )
        """The rules with caveats or next steps (a rule that decides may add them too), by index."""
        self._groups: tuple[RuleGroup, ...] = group_rules(
            (
                Member(index, c.rule, c.check, c.weights, c.exclude)
                for index, c in enumerate(self.compiled)
                if not c.advice
            ),
            self.terms,
        )
        self.budget_points = self.numbers.get(BUDGET_WEIGHT, 0.0)
        self.tie_order: tuple[ApproachId, ...] = kb.costs.tie_order
        self.cost_model = CostModel(kb, interval)
        self._rank = {approach: rank for rank, approach in enumerate(self.tie_order)}
        quantities = {q.id for q in kb.costs.quantities}
        self._advice_fields = tuple(
            sorted(
                {leaf.field for c in self.compiled if c.advice for leaf in iter_leaves(c.rule.when)}
                & quantities
            )
        )
        """The quantities that advice rules test: their medians join the answers they read."""
        self._rules_test_budget = any(
            leaf.field == BUDGET for c in self.compiled if not c.advice for leaf in iter_leaves(c.rule.when)
        )
        self._thresholds: dict[str, set[str]] = {}
        """Each field's named thresholds in the rules: the counts a what-if tries."""
        for rule in kb.rules:
            for leaf in iter_leaves(rule.when):
                for bound in (leaf.below, leaf.at_least):
                    if isinstance(bound, str):
                        self._thresholds.setdefault(leaf.field, set()).add(bound)
        self._asked = tuple(
            (question, compile_condition(question.ask_when, self.terms))
            for question in kb.questions
            if question.ask_when is not None
        )
        """The questions asked only sometimes, with when: :meth:`visible` runs for every what-if."""

    def _compile(self, rule: Rule) -> _CompiledRule:
        weights: dict[ApproachId, float] = {}
        for effect in rule.effects:
            if effect.favor is not None and effect.weight is not None:
                weights[effect.favor] = weights.get(effect.favor, 0.0) + self.terms.number(effect.weight)
        return _CompiledRule(
            rule,
            None if rule.when is None else compile_condition(rule.when, self.plain_terms),
            weights,
            tuple(e.exclude for e in rule.effects if e.exclude is not None),
            tuple(e.caveat for e in rule.effects if e.caveat is not None),
            tuple(e.next_step for e in rule.effects if e.next_step is not None),
            rule.advice,
        )

    # --- completing the answers --------------------------------------------------------------

    def complete(self, values: Mapping[str, Any], assumed: Mapping[str, Pair]) -> dict[str, Any]:
        """The answers with the model's parameter count and the method in force."""
        completed = dict(values)
        size = values.get(MODEL_SIZE)
        question = self.kb.question[MODEL_SIZE]
        if isinstance(size, int | float) and not isinstance(size, bool):
            params = float(size)
        else:
            choice = next((c for c in question.choices if c.value == size), None)
            low, high = assumed[choice.params] if choice is not None and choice.params else (0.0, 0.0)
            params = math.sqrt(low * high)
        completed[MODEL_PARAMS] = params
        method = self.kb.question.get(METHOD)
        if method is not None and completed.get(METHOD) is None and method.choices:
            chosen = next((c.value for c in method.choices if c.default_from_params is None), None)
            best = -1.0
            for choice in method.choices:
                if choice.default_from_params is not None:
                    threshold = assumed[choice.default_from_params][0]
                    if best < threshold <= params:
                        best, chosen = threshold, choice.value
            completed[METHOD] = chosen
        return completed

    # --- deciding --------------------------------------------------------------------------------

    def decide(self, answers: Answers) -> Decision:
        """Evaluate every rule and cost line for ``answers``."""
        overrides = {
            name: value
            for name, value in answers.assumptions.items()
            if name in self.kb.numbers and not isinstance(value, tuple) and value != self.numbers.get(name)
        }
        if overrides or self._other_interval(answers):
            return Engine(self.kb, {**self.numbers, **overrides}, answers.interval).decide(answers)
        assumed = self.cost_model.assumed(answers.assumptions)
        values = self.complete(answers.values, assumed)
        costs = self.cost_model.estimates(values, assumed)
        return self._decision(answers, values, costs, assumed)

    def verdict(self, answers: Answers) -> Verdict:
        """Only the winner and the intervals for ``answers``: the same outcome as :meth:`decide`."""
        if self._other_interval(answers) or any(name in self.kb.numbers for name in answers.assumptions):
            decision = self.decide(answers)
            intervals = {a: (decision.costs[a].low, decision.costs[a].high) for a in APPROACHES}
            return Verdict(decision.values, intervals, decision.winner)
        assumed = self.cost_model.assumed(answers.assumptions)
        values = self.complete(answers.values, assumed)
        spreads = self.cost_model.intervals(values, assumed)
        intervals = {a: (spreads[a].low, spreads[a].high) for a in APPROACHES}
        budget = float(values.get(BUDGET) or 0.0)
        return Verdict(values, intervals, self._winner(self._standing(values), budget, intervals))

    def _other_interval(self, answers: Answers) -> bool:
        """Whether ``answers`` ask for other percentiles than this engine's cost model states."""
        return answers.interval is not None and answers.interval != self.cost_model.percentiles

    def judge(self, values: Mapping[str, Any], intervals: Mapping[ApproachId, Pair]) -> Judgement:
        """The deciding rules and the budget, for completed answers and each approach's cost interval."""
        return self._rank_by_budget(self._score(values), values, intervals)

    def judging(self, values: Mapping[str, Any]) -> Callable[[Mapping[ApproachId, Pair]], ApproachId]:
        """The winner for the same answers and many intervals: the rules are read once."""
        standing = self._standing(values)
        budget = float(values.get(BUDGET) or 0.0)
        return lambda intervals: self._winner(standing, budget, intervals)

    def _winner(self, standing: _Standing, budget: float, intervals: Mapping[ApproachId, Pair]) -> ApproachId:
        """Only the winner of :meth:`_rank_by_budget`, by the same order: what-ifs ask it often."""
        scores, excluded = standing
        points = self.budget_points

        def order(approach: ApproachId) -> tuple[bool, float, int]:
            level = level_of(*intervals[approach], budget)
            return (
                approach in excluded,
                -(scores[approach] + points * _LEVEL_POINTS[level]),
                self._rank[approach],
            )

        best = min(APPROACHES, key=order)
        return self.tie_order[0] if best in excluded else best

    def _outcomes(self, values: Mapping[str, Any]) -> tuple[Outcome, ...]:
        return tuple(group.outcome(values) for group in self._groups)

    def _standing(self, values: Mapping[str, Any], outcomes: tuple[Outcome, ...] | None = None) -> _Standing:
        """What the deciding rules make of completed answers: scores and exclusions."""
        outcomes = self._outcomes(values) if outcomes is None else outcomes
        scores = {
            approach: math.fsum(outcome.scores[column] for outcome in outcomes)
            for column, approach in enumerate(APPROACHES)
        }
        excluded: dict[ApproachId, list[str]] = {}
        for index, approach in sorted(pair for outcome in outcomes for pair in outcome.excluded):
            excluded.setdefault(approach, []).append(self.rules[index].id)
        return scores, {approach: tuple(ids) for approach, ids in excluded.items()}

    def _score(self, values: Mapping[str, Any]) -> _Scored:
        """:meth:`_standing`, with the first failed test of each rule that did not fire."""
        outcomes = self._outcomes(values)
        failures: list[Failure | None] = [None] * len(self.compiled)  # advice: read once the winner is known
        for outcome in outcomes:
            for index, test in outcome.failing:
                failures[index] = (test, values.get(test.field))
        scores, excluded = self._standing(values, outcomes)
        return tuple(failures), scores, excluded

    def _rank_by_budget(
        self,
        scored: _Scored,
        values: Mapping[str, Any],
        intervals: Mapping[ApproachId, Pair],
    ) -> Judgement:
        failures, scores, excluded = scored
        budget = float(values.get(BUDGET) or 0.0)
        levels = {approach: level_of(*intervals[approach], budget) for approach in APPROACHES}
        totals = {a: scores[a] + self.budget_points * _LEVEL_POINTS[levels[a]] for a in APPROACHES}
        ranking = tuple(sorted(APPROACHES, key=lambda a: (a in excluded, -totals[a], self._rank[a])))
        # Every approach excluded is a knowledge-base defect that `kb check` reports:
        # fall back to the tie order so that a person still gets an answer.
        winner = self.tie_order[0] if ranking[0] in excluded else ranking[0]
        runner_up = ranking[1]
        return Judgement(
            failures=failures,
            scores=scores,
            excluded=excluded,
            levels=levels,
            totals=totals,
            ranking=ranking,
            winner=winner,
            tied=runner_up not in excluded and totals[runner_up] == totals[winner],
        )

    def _decision(
        self,
        answers: Answers,
        values: Mapping[str, Any],
        costs: Mapping[ApproachId, CostEstimate],
        assumed: Mapping[str, Pair],
    ) -> Decision:
        judged = self.judge(values, {a: (costs[a].low, costs[a].high) for a in APPROACHES})
        winner = judged.winner
        quantities = costs[winner].quantities
        advice_values = {
            **values,
            APPROACH: winner,
            **{name: quantities[name].median for name in self._advice_fields},
        }
        failures = list(judged.failures)
        for index, compiled in self._advice:
            failures[index] = None if compiled.check is None else compiled.check(advice_values)
        return Decision(
            answers=answers,
            values=values,
            winner=winner,
            ranking=judged.ranking,
            scores=judged.scores,
            totals=judged.totals,
            levels=judged.levels,
            excluded=judged.excluded,
            tied=judged.tied,
            failures=tuple(failures),
            fired=tuple(rule for rule, failure in zip(self.rules, failures, strict=True) if failure is None),
            costs=costs,
            assumed=assumed,
            engine=self,
        )

    def with_answers(self, decision: Decision, changes: Mapping[str, Any]) -> Decision:
        """The decision for the same answers with some changed (unasked ones reset)."""
        values = self.visible({**decision.answers.values, **changes})
        answers = Answers(values, decision.answers.assumptions)
        if set(changes) <= {BUDGET}:
            completed = {**decision.values, **changes}
            return self._decision(answers, completed, decision.costs, decision.assumed)
        return self.decide(answers)

    def ruled_out(self, values: Mapping[str, Any]) -> dict[ApproachId, tuple[str, ...]]:
        """The approaches the deciding rules rule out for answers, and the rules that do: without
        costs, for exploring the answer space."""
        return self._standing(self.complete(values, self.cost_model.defaults))[1]

    # --- the answer space --------------------------------------------------------------------------

    def visible(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` with unasked questions reset to their defaults (no count for unlabeled data)."""
        result = dict(values)
        for question, check in self._asked:
            if check(result) is not None:
                result[question.id] = question.default
        return result

    def answer_space(
        self, conditions: Iterable[Condition | None] | None = None
    ) -> dict[str, tuple[Any, ...]]:
        """For each answer field, the values that can make a difference to the ``conditions``
        (every rule's by default) and to which questions are asked.

        Choices: every choice (and "not given" for optional questions). Numbers:
        0, and each threshold a condition tests with the value just below it.
        """
        thresholds: dict[str, set[float]] = {}
        if conditions is None:
            conditions = [rule.when for rule in self.kb.rules]
        for condition in (*conditions, *(q.ask_when for q in self.kb.questions)):
            for leaf in iter_leaves(condition):
                for bound in (leaf.below, leaf.at_least):
                    if bound is not None:
                        thresholds.setdefault(leaf.field, set()).add(self.terms.number(bound))
        candidates: dict[str, tuple[Any, ...]] = {}
        for question in self.kb.questions:
            if question.choices:
                options: list[Any] = [choice.value for choice in question.choices]
                if question.optional:
                    options.append(question.default)
                candidates[question.id] = tuple(options)
            else:
                numbers: set[float] = {0.0}
                for limit in thresholds.get(question.id, ()):
                    numbers.update((limit, max(0.0, limit - 1)))
                cast = int if question.kind == "count" else float
                options = [cast(n) for n in sorted(numbers)]
                if question.optional:
                    options.append(question.default)
                candidates[question.id] = tuple(options)
        return candidates

    def sources(self, fields: Iterable[str]) -> tuple[str, ...]:
        """The questions whose answers decide ``fields``: the fields themselves, the answers a
        completed field comes from (the parameter count from the model size, the method in
        force from the method and the model size), and those that decide whether each is asked."""
        derived = {MODEL_PARAMS: (MODEL_SIZE,), METHOD: (METHOD, MODEL_SIZE)}
        found: set[str] = set()
        pending = list(fields)
        while pending:
            for source in derived.get(field := pending.pop(), (field,)):
                question = self.kb.question.get(source)
                if question is not None and source not in found:
                    found.add(source)
                    pending.extend(leaf.field for leaf in iter_leaves(question.ask_when))
        return tuple(question.id for question in self.kb.questions if question.id in found)

    # --- would win if ------------------------------------------------------------------------------

    def counterfactuals(self, decision: Decision) -> dict[ApproachId, WouldWinIf | None]:
        """For each approach that did not win, the smallest change a person could choose that makes
        it the recommendation, or ``None``.

        Only changes a person could choose (:meth:`options`): a larger count, a choice listed
        before the current one for "more" questions (never giving up labels or data), any model
        size, method, team or hardware, and any budget; never the task. One answer changes, or
        one answer and the budget; the smallest change wins (a choice counts 1, a number changed
        tenfold counts 1). Candidates are found with each approach's interval scaled by its
        median cost under the change, then confirmed by deciding again exactly.
        """
        others = [a for a in decision.ranking if a != decision.winner]
        money = self.kb.question[BUDGET]
        before = decision.values.get(BUDGET)
        middle = self.cost_model.middle(decision.assumed)
        points = {a: self.cost_model.point(a, decision.values, middle) for a in APPROACHES}
        intervals = {a: (decision.costs[a].low, decision.costs[a].high) for a in APPROACHES}
        found: dict[ApproachId, list[tuple[float, tuple[Change, ...]]]] = {a: [] for a in others}
        for approach, budget in self._budgets(decision.values, intervals).items():
            if approach in found:
                change = self.describe_change(money, before, budget)
                found[approach].append((self._distance(money, decision.values, budget), (change,)))
        options = sorted(
            (
                (self._distance(question, decision.values, value), question, value)
                for question, value in self.options(decision)
            ),
            key=lambda item: item[0],
        )
        for distance, question, value in options:
            # Every option from here on is at least this far: stop once each approach has a nearer one.
            if all(any(d <= distance for d, _ in found[a]) for a in others):
                break
            values = self.complete(
                self.visible({**decision.answers.values, question.id: value}), decision.assumed
            )
            scaled = {}
            for approach, total in self.cost_model.repriced(points, values).items():
                before = points[approach].total
                ratio = total / before if before > 0 else 1.0
                scaled[approach] = (intervals[approach][0] * ratio, intervals[approach][1] * ratio)
            change = self.describe_change(question, decision.values.get(question.id), value)
            winner = self._winner(self._standing(values), float(values.get(BUDGET) or 0.0), scaled)
            if winner in found:
                found[winner].append((distance, (change,)))
            # This change and a budget: only for approaches without a change as near already.
            wanting = [a for a in others if not any(d <= distance for d, _ in found[a])]
            if not wanting:
                continue
            for approach, budget in self._budgets(values, scaled).items():
                # With another answer changed, only more budget: spending less is a choice of its own.
                if approach in wanting and budget > float(before or 0.0):
                    extra = self.describe_change(money, before, budget)
                    found[approach].append(
                        (distance + self._distance(money, decision.values, budget), (change, extra))
                    )
        return {approach: self._confirmed(decision, approach, found[approach]) for approach in others}

    def would_win_if(self, decision: Decision, approach: ApproachId) -> WouldWinIf | None:
        """The smallest change a person could choose that makes ``approach`` the recommendation."""
        return None if approach == decision.winner else self.counterfactuals(decision)[approach]

    def _confirmed(
        self, decision: Decision, approach: ApproachId, found: list[tuple[float, tuple[Change, ...]]]
    ) -> WouldWinIf | None:
        """The smallest candidate that really makes ``approach`` win, its budget set exactly."""
        money = self.kb.question[BUDGET]
        for _, changes in sorted(found, key=lambda item: item[0])[:4]:
            answer_changes = [c for c in changes if c.field != BUDGET]
            changed = {**decision.answers.values, **{c.field: c.after for c in answer_changes}}
            exact = (
                self.verdict(Answers(self.visible(changed), decision.answers.assumptions))
                if answer_changes
                else Verdict(
                    decision.values,
                    {a: (decision.costs[a].low, decision.costs[a].high) for a in APPROACHES},
                    decision.winner,
                )
            )
            if exact.winner == approach and answer_changes:
                return WouldWinIf(approach, tuple(answer_changes))
            budget = self._budgets(exact.values, exact.intervals).get(approach)
            if budget is not None:
                change = self.describe_change(money, decision.values.get(BUDGET), budget)
                return WouldWinIf(approach, (*answer_changes, change))
        return None

    def _budgets(
        self, values: Mapping[str, Any], intervals: Mapping[ApproachId, Pair]
    ) -> dict[ApproachId, float]:
        """For each approach that some budget makes the winner, the budget closest to the person's
        (on a log scale). Verdicts change only at the ends of the intervals, so the budget is
        tried once between each two ends: at the lower end of a stretch above the person's
        budget, and just under the upper end of one below it."""
        budget = max(float(values.get(BUDGET) or 0.0), 1.0)
        edges = sorted({math.ceil(end) for pair in intervals.values() for end in pair if end > 0})
        stretches = list(zip([0, *edges], [*edges, math.inf], strict=True))
        # The budget is the only answer that changes: score the rules once, unless one tests it.
        standing = None if self._rules_test_budget else self._standing(values)
        best: dict[ApproachId, float] = {}
        for start, end in stretches:
            if start <= budget < end:
                continue  # the person's own budget
            candidate = float(start) if start > budget else float(end - 1)
            if candidate < 1:
                continue
            priced = {**values, BUDGET: candidate}
            winner = self._winner(
                self._standing(priced) if standing is None else standing, candidate, intervals
            )
            if winner not in best or abs(math.log10(candidate / budget)) < abs(
                math.log10(best[winner] / budget)
            ):
                best[winner] = candidate
        return best

    def options(self, decision: Decision) -> Iterator[tuple[Question, Any]]:
        """Each single change a person could choose, by the questions' ``what_if``."""
        values = decision.values
        for question in self.kb.questions:
            if question.what_if == "never" or not asked(question, values, self.terms):
                continue
            current = values.get(question.id)
            if question.choices and question.kind == "choice":
                order = [choice.value for choice in question.choices]
                allowed = (
                    order
                    if question.what_if == "any"
                    else order[: order.index(current)]
                    if current in order
                    else []
                )
                for value in allowed:
                    if value != current:
                        yield question, value
            elif question.kind == "model_size":
                band = band_of(question, values.get(MODEL_PARAMS, 0.0))
                for choice in question.choices:
                    if choice.value != band:
                        yield question, choice.value
            elif question.kind == "count":
                have = float(current or 0)
                candidates = {self.numbers[name] for name in self._thresholds.get(question.id, ())}
                candidates |= {max(have, 100.0) * factor for factor in (2, 10)}
                for count in sorted(c for c in candidates if c > have):
                    yield question, int(count)

    @staticmethod
    def _distance(question: Question, values: Mapping[str, Any], value: Any) -> float:
        before = values.get(question.id)
        if question.kind in ("count", "money") and isinstance(before, int | float):
            return abs(math.log10((float(value) + 1) / (float(before) + 1)))
        return 1.0

    def describe_change(self, question: Question, before: Any, after: Any) -> Change:
        """The change in the person's terms: "you have at least 10,000 labeled examples"."""
        kind = question.kind
        if kind in ("count", "money") and isinstance(after, int | float):
            if kind == "money":
                if isinstance(before, int | float) and after < before:
                    amount = format_value(after + 1, kind)
                    return Change(
                        question.id, before, after, f"your {question.name} is under {amount}", less=True
                    )
                amount = format_value(after, kind)
                return Change(question.id, before, after, f"your {question.name} is at least {amount}")
            amount = format_value(after, kind)
            return Change(question.id, before, after, f"you have at least {amount} {question.name}")
        return Change(question.id, before, after, plain_value(question, after))
