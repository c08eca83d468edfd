"""The decision: rules over answers, costs against the budget, advice that fits the outcome.

:class:`Engine` compiles a knowledge base's rules (:mod:`advisor.decision.rules`), its
questions (:mod:`advisor.decision.answer_space`) and its cost model (:mod:`advisor.decision.costs`);
:meth:`Engine.decide` then, for one set of answers:

1. completes them: the model's parameter count and the fine-tuning method in force;
2. reads every deciding rule: the scores, the approaches ruled out, and the trace;
3. estimates every approach's cost;
4. ranks the approaches (:func:`advisor.decision.ranking.rank`, the one place the order is
   decided) and recommends the first;
5. reads the advice rules (caveats and next steps) against the recommendation.

:meth:`Engine.verdict` is the same decision without its detail: only the winner and each
approach's interval, for the what-if search (:mod:`advisor.decision.what_if`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from typing import Any

from advisor.answers import Answers
from advisor.conditions import Failure, Terms
from advisor.decision.answer_space import AnswerSpace
from advisor.decision.costs import CostModel
from advisor.decision.estimates import CostEstimate, Pair, percentile
from advisor.decision.ranking import BudgetLevel, Policy, Ranking, Standing, budget_of, rank
from advisor.decision.rules import CompiledRule, RuleBook
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import BUDGET, BUDGET_TIGHT, MODEL_PARAMS
from advisor.kb.models import APPROACHES, ApproachId, Effect, Rule
from advisor.records import dataclass

__all__ = ["Decision", "Engine", "TraceEntry", "Verdict", "budget_free"]

_Priced = tuple[dict[str, Any], dict[ApproachId, Pair], dict[ApproachId, float], Standing | None]
"""Answers priced without their budget: completed values, intervals, medians and the rules'
standing (``None`` when a rule tests the budget)."""

MEMO_SIZE = 4096
"""How many budget-free results an engine keeps before it starts again."""
_MISSING = object()


def budget_free(answers: Answers) -> tuple[Any, ...]:
    """Answers as a key that leaves out the budget: every value by its ``repr``, in a fixed order,
    with the overrides."""
    values = tuple(sorted((name, repr(value)) for name, value in answers.values.items() if name != BUDGET))
    overrides = tuple(sorted((name, repr(value)) for name, value in answers.assumptions.items()))
    return values, overrides


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One rule as the decision saw it."""

    rule: Rule
    failure: Failure | None

    @property
    def fired(self) -> bool:
        return self.failure is None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who wins for a set of answers, and each approach's interval: what a what-if needs, without
    the detail of a :class:`Decision`."""

    values: Mapping[str, Any]
    intervals: Mapping[ApproachId, Pair]
    medians: Mapping[ApproachId, float]
    """Each approach's median cost: what the budget is judged by."""
    winner: ApproachId


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
    """The rules' scores (the budget filters; it adds nothing)."""
    levels: Mapping[ApproachId, BudgetLevel]
    excluded: Mapping[ApproachId, tuple[str, ...]]
    """Excluded approaches and the rules that excluded them."""
    tied: bool
    """Whether the winner's total tied another's and the tie order decided."""
    failures: tuple[Failure | None, ...]
    """Aligned with the engine's rules: ``None`` where the rule fired."""
    fired: tuple[Rule, ...]
    """The rules that fired, in their order."""
    costs: Mapping[ApproachId, CostEstimate]
    assumed: Mapping[str, Pair]
    """Assumption values in force (defaults plus overrides)."""
    engine: Engine = field(repr=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        return tuple(
            TraceEntry(c.rule, f) for c, f in zip(self.engine.rules.compiled, self.failures, strict=True)
        )

    @property
    def caveats(self) -> tuple[tuple[str, Rule], ...]:
        return tuple((text, c.rule) for c in self._advising() for text in c.caveats)

    @property
    def next_steps(self) -> tuple[tuple[str, Rule], ...]:
        return tuple((text, c.rule) for c in self._advising() for text in c.next_steps)

    @property
    def first(self) -> tuple[tuple[Effect, Rule], ...]:
        """What to try before fine-tuning, with the rule that says it."""
        return tuple((effect, c.rule) for c in self._advising() for effect in c.first)

    def _advising(self) -> Iterator[CompiledRule]:
        """The fired rules with caveats or next steps."""
        return (c for index, c in self.engine.rules.advising if self.failures[index] is None)

    @property
    def weights(self) -> Mapping[str, Mapping[ApproachId, float]]:
        """Rule id -> what it adds to each approach it favors (fired or not)."""
        return self.engine.rules.weights

    def weight(self, rule: Rule, approach: ApproachId) -> float:
        """How much ``rule`` adds to ``approach`` (0 when it does not favor it)."""
        return self.weights[rule.id].get(approach, 0.0)

    @property
    def medians(self) -> dict[ApproachId, float]:
        """Each approach's median cost: what the budget is judged by, whatever the interval shown."""
        return {approach: self.costs[approach].median for approach in APPROACHES}

    @property
    def intervals(self) -> dict[ApproachId, Pair]:
        """Each approach's cost interval."""
        return {approach: (self.costs[approach].low, self.costs[approach].high) for approach in APPROACHES}


class Engine:
    """A knowledge base's rules, questions and cost model, compiled."""

    def __init__(
        self, kb: KnowledgeBase, numbers: Mapping[str, float] | None = None, interval: Pair | None = None
    ) -> None:
        """``numbers`` override the knowledge base's; ``interval`` the percentiles the ranges state."""
        self.kb = kb
        self.numbers: dict[str, float] = {**kb.numbers, **(numbers or {})}
        kinds = {q.id: q.kind for q in kb.questions}
        kinds[MODEL_PARAMS] = "count"
        names = {q.id: q.name for q in kb.questions}
        names[MODEL_PARAMS] = "the model's parameters"
        self.terms = Terms(kinds, names, self.numbers)
        plain_terms = Terms(kinds, names, self.numbers, kb.question)
        """The same, said in the person's terms: what a rule's failure tells them."""
        self.rules = RuleBook(kb, self.terms, plain_terms)
        self.space = AnswerSpace(kb, self.terms)
        self.policy = Policy(kb.costs.tie_order)
        self.tight_share = min(1.0, max(0.5, self.numbers.get(BUDGET_TIGHT, 50.0) / 100))
        """The share of a plan's cost draws that must be within the budget for it to fit with room."""
        self.cost_model = CostModel(kb, interval)
        self.costs_read_budget = any(BUDGET in needs for needs in self.cost_model.needs.values())
        """Whether any cost depends on the budget; if none does (the usual), the costs of answers
        that differ only in their budget are worked out once."""
        self._memo: dict[Any, Any] = {}

    def remember(self, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``, kept under ``key`` for answers that differ only in their budget (never kept
        when a cost reads the budget). The store is emptied when it grows large."""
        if self.costs_read_budget:
            return make()
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = make()
        return found

    def decide(self, answers: Answers) -> Decision:
        """Evaluate every rule and cost line for ``answers``."""
        engine = self._for(answers)
        if engine is not self:
            return engine.decide(answers)
        assumed = self.cost_model.assumed(answers.assumptions)
        values = self.space.complete(answers.values, assumed)
        costs = self.cost_model.estimates(values, assumed)
        return self._decision(answers, values, costs, assumed)

    def verdict(self, answers: Answers) -> Verdict:
        """Only the winner and the intervals for ``answers``: the same outcome as :meth:`decide`."""
        engine = self._for(answers)
        if engine is not self:
            return engine.verdict(answers)
        key = ("verdict", *budget_free(answers))

        def price() -> tuple[
            dict[str, Any], dict[ApproachId, Pair], dict[ApproachId, float], Standing | None
        ]:
            assumed = self.cost_model.assumed(answers.assumptions)
            values = self.space.complete(answers.values, assumed)
            spreads = self.cost_model.intervals(values, assumed)
            intervals = {a: (spreads[a].low, spreads[a].high) for a in APPROACHES}
            medians = {a: spreads[a].median for a in APPROACHES}
            standing = None if self.rules.tests_budget else self.rules.standing(values)
            return values, intervals, medians, standing

        values, intervals, medians, standing = self.remember(key, price)
        values = {**values, BUDGET: answers.values.get(BUDGET)}
        return Verdict(values, intervals, medians, self.ranked(values, medians, standing).winner)

    def _for(self, answers: Answers) -> Engine:
        """The engine for ``answers``: this one, or one compiled with the rules' numbers they
        override and the percentiles they ask for."""
        overrides = {
            name: value
            for name, value in answers.assumptions.items()
            if name in self.kb.numbers and not isinstance(value, tuple) and value != self.numbers.get(name)
        }
        if overrides or self._other_interval(answers):
            return Engine(self.kb, {**self.numbers, **overrides}, answers.interval)
        return self

    def _other_interval(self, answers: Answers) -> bool:
        """Whether ``answers`` ask for other percentiles than this engine's cost model states."""
        return answers.interval is not None and answers.interval != self.cost_model.percentiles

    def ranked(
        self,
        values: Mapping[str, Any],
        medians: Mapping[ApproachId, float],
        standing: Standing | None = None,
        uppers: Mapping[ApproachId, float] | None = None,
    ) -> Ranking:
        """The approaches ranked for completed answers and median costs (``standing``: what the
        rules make of the answers, when it is already known; ``uppers``: each approach's fixed
        upper percentile, which only tells a tight fit from a fit)."""
        standing = self.rules.standing(values) if standing is None else standing
        return rank(standing, medians, budget_of(values), self.policy, uppers)

    def judging(self, values: Mapping[str, Any]) -> Callable[[Mapping[ApproachId, float]], ApproachId]:
        """The winner for the same answers and many sets of median costs: the rules are read once."""
        standing = self.rules.standing(values)
        return lambda medians: self.ranked(values, medians, standing).winner

    def upper(self, cost: CostEstimate) -> float:
        """The fixed upper percentile of an estimate's draws (never the interval a report shows)."""
        return percentile(sorted(cost.totals), self.tight_share) if cost.totals else cost.high

    def with_answers(self, decision: Decision, changes: Mapping[str, Any]) -> Decision:
        """The decision for the same answers with some changed (unasked ones reset)."""
        values = self.space.visible({**decision.answers.values, **changes})
        answers = Answers(values, decision.answers.assumptions)
        if set(changes) <= {BUDGET}:
            completed = {**decision.values, **changes}
            return self._decision(answers, completed, decision.costs, decision.assumed)
        return self.decide(answers)

    def ruled_out(self, values: Mapping[str, Any]) -> Mapping[ApproachId, tuple[str, ...]]:
        """The approaches the deciding rules rule out for answers, and the rules that do: without
        costs, for exploring the answer space."""
        return self.rules.standing(self.space.complete(values, self.cost_model.defaults)).excluded

    def _decision(
        self,
        answers: Answers,
        values: Mapping[str, Any],
        costs: Mapping[ApproachId, CostEstimate],
        assumed: Mapping[str, Pair],
    ) -> Decision:
        failures, standing = self.rules.scored(values)
        ranking = self.ranked(
            values,
            {a: costs[a].median for a in APPROACHES},
            standing,
            {a: self.upper(costs[a]) for a in APPROACHES},
        )
        winner = ranking.winner
        failures = self.rules.advised(failures, values, winner, costs[winner].quantities)
        return Decision(
            answers=answers,
            values=values,
            winner=winner,
            ranking=ranking.order,
            scores=standing.scores,
            totals=ranking.totals,
            levels=ranking.levels,
            excluded=standing.excluded,
            tied=ranking.tied,
            failures=failures,
            fired=tuple(r for r, failure in zip(self.rules.rules, failures, strict=True) if failure is None),
            costs=costs,
            assumed=assumed,
            engine=self,
        )
