"""The decision: rules over answers, scores, exclusions, a trace, costs, and "would win if".

Pure and without I/O. :class:`Engine` compiles a knowledge base's rules and
cost model once; :meth:`Engine.decide` then evaluates every rule for one set
of answers:

1. each rule whose condition holds *fires*: its ``favor`` weights are added to
   the approaches' scores, its ``exclude`` rules an approach out, its caveats
   and next steps are collected;
2. the winner is the highest-scoring approach that is not excluded; a tie goes
   to the first of ``tie_order`` in ``costs.yaml`` (the documents rank
   transfer learning cheapest, then unsupervised, then supervised), and the
   decision says when that happened;
3. every rule is traced: fired, or the first condition that failed and the
   value it saw.

:meth:`Engine.would_win_if` searches the answer space for the smallest change
of answers that makes another approach win.

Speed: what the rules make of a set of answers (which rules fire, the first
failed test of each other rule, scores, exclusions, ranking) depends only on
the choice answers they test and on which way each test of a number goes (is
the budget below $5,000?), not on the numbers themselves. So the engine
memoizes an :class:`Outcome` per such cell of the answer space, never per
number, and re-reads from the answers at hand only the values that the trace
shows for failed tests of numbers. Costs are planned the same way
(:mod:`advisor.costs`). ``python benchmarks/bench.py engine`` measures both on
varied answers; ``tests/test_reference.py`` checks them against a direct
evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.answers import Answers
from advisor.conditions import Check, Failure, Test, compile_condition, plain_value
from advisor.costs import CostEstimate, CostModel
from advisor.formatting import format_value
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.models import APPROACHES, ApproachId, Question, Rule

__all__ = ["Change", "Decision", "Engine", "Outcome", "TraceEntry", "WouldWinIf"]


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    check: Check | None
    favor: tuple[tuple[ApproachId, float], ...]
    exclude: tuple[ApproachId, ...]
    caveats: tuple[str, ...]
    next_steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the rules make of one cell of the answer space (see :meth:`Engine.outcome`)."""

    failures: tuple[Failure | None, ...]
    """Aligned with the rules, as the first answers of the cell saw them."""
    reread: tuple[tuple[int, Test], ...]
    """The failures (by rule index) whose value seen is not a choice: read again from each answers."""
    scores: dict[ApproachId, float]
    excluded: dict[ApproachId, tuple[str, ...]]
    ranking: tuple[ApproachId, ...]
    winner: ApproachId | None
    """``None`` when every approach is excluded."""
    recommended: ApproachId
    """The winner, or the first of the tie order when every approach is excluded."""
    tied: bool


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
    """The outcome for one set of answers: winner, scores, trace and costs."""

    answers: Answers
    values: Mapping[str, Any]
    winner: ApproachId
    ranking: tuple[ApproachId, ...]
    """All three approaches, best first (excluded ones last)."""
    scores: Mapping[ApproachId, float]
    excluded: Mapping[ApproachId, tuple[str, ...]]
    """Excluded approaches and the rules that excluded them."""
    tied: bool
    """Whether the winner's score tied another's and the tie order decided."""
    failures: tuple[Failure | None, ...]
    """Aligned with :attr:`Engine.rules`: ``None`` where the rule fired."""
    costs: Mapping[ApproachId, CostEstimate]
    assumed: Mapping[str, tuple[float, float]]
    """Assumption values in force (defaults plus overrides)."""
    engine: Engine

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        return tuple(
            TraceEntry(compiled.rule, failure)
            for compiled, failure in zip(self.engine.compiled, self.failures, strict=True)
        )

    @property
    def fired(self) -> tuple[Rule, ...]:
        return tuple(
            compiled.rule
            for compiled, failure in zip(self.engine.compiled, self.failures, strict=True)
            if failure is None
        )

    @property
    def caveats(self) -> tuple[tuple[str, Rule], ...]:
        return self._collect("caveats")

    @property
    def next_steps(self) -> tuple[tuple[str, Rule], ...]:
        return self._collect("next_steps")

    def _collect(self, what: str) -> tuple[tuple[str, Rule], ...]:
        return tuple(
            (text, compiled.rule)
            for compiled, failure in zip(self.engine.compiled, self.failures, strict=True)
            if failure is None
            for text in getattr(compiled, what)
        )

    def weight(self, rule: Rule, approach: ApproachId) -> float:
        """How much ``rule`` adds to ``approach`` (0 when it does not favor it)."""
        return self.engine.weights[rule.id].get(approach, 0.0)


@dataclass(frozen=True, slots=True)
class Change:
    """One answer changed by a counterfactual."""

    field: str
    before: Any
    after: Any
    text: str
    """In words: ``a budget of at least $48,000``."""


@dataclass(frozen=True, slots=True)
class WouldWinIf:
    """The smallest change of answers that makes an approach the recommendation."""

    approach: ApproachId
    changes: tuple[Change, ...]

    @property
    def text(self) -> str:
        return " and ".join(change.text for change in self.changes)


class Engine:
    """A knowledge base's rules and cost model, compiled for fast decisions."""

    MEMO_SIZE = 4096
    """Cells kept before the memo of outcomes starts over (a few hundred for the bundled rules)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.kinds: dict[str, str] = {q.id: q.kind for q in kb.questions}
        self.names: dict[str, str] = {q.id: q.name for q in kb.questions}
        self.compiled = tuple(self._compile(rule) for rule in kb.rules)
        self.rules = tuple(compiled.rule for compiled in self.compiled)
        self._checks = tuple(compiled.check for compiled in self.compiled)
        self._scoring = tuple(
            (index, compiled.favor, compiled.exclude, compiled.rule.id)
            for index, compiled in enumerate(self.compiled)
            if compiled.favor or compiled.exclude
        )
        """The rules that change scores or exclude, by index: the others only add caveats."""
        self.weights: dict[str, dict[ApproachId, float]] = {}
        for compiled in self.compiled:
            weights: dict[ApproachId, float] = {}
            for approach, weight in compiled.favor:
                weights[approach] = weights.get(approach, 0.0) + weight
            self.weights[compiled.rule.id] = weights
        self.tie_order: tuple[ApproachId, ...] = kb.costs.tie_order
        self._tie_rank = {approach: rank for rank, approach in enumerate(self.tie_order)}
        self.cost_model = CostModel(kb)
        self._visibility = tuple(
            (q, None if q.ask_when is None else compile_condition(q.ask_when, self.kinds))
            for q in kb.questions
        )
        self._candidates = self._candidate_values()
        choices = {q.id for q in kb.questions if q.choices}
        leaves = [leaf for rule in kb.rules for leaf in iter_leaves(rule.when)]
        self._cell_fields = tuple(sorted({leaf.field for leaf in leaves if leaf.field in choices}))
        """The choice answers that rules test: their values are part of the key of a cell."""
        distinct = {(leaf.field, leaf.operator, leaf.operand): leaf for leaf in leaves}
        self._cell_tests = tuple(
            compile_condition(leaf) for leaf in distinct.values() if leaf.field not in choices
        )
        """The rules' tests of other answers (numbers): which way each goes is the rest of the key."""
        self._outcomes: dict[tuple[Any, ...], Outcome] = {}

    def _compile(self, rule: Rule) -> _CompiledRule:
        return _CompiledRule(
            rule,
            None
            if rule.when is None
            else compile_condition(rule.when, self.kinds, self.names, self.kb.question),
            tuple((e.favor, e.weight) for e in rule.effects if e.favor is not None),
            tuple(e.exclude for e in rule.effects if e.exclude is not None),
            tuple(e.caveat for e in rule.effects if e.caveat is not None),
            tuple(e.next_step for e in rule.effects if e.next_step is not None),
        )

    # --- deciding ------------------------------------------------------------

    def _score(
        self, values: Mapping[str, Any]
    ) -> tuple[dict[ApproachId, float], dict[ApproachId, list[str]], list[Failure | None]]:
        failures = [None if check is None else check(values) for check in self._checks]
        scores: dict[ApproachId, float] = dict.fromkeys(APPROACHES, 0.0)
        excluded: dict[ApproachId, list[str]] = {}
        for index, favor, exclude, rule_id in self._scoring:
            if failures[index] is None:
                for approach, weight in favor:
                    scores[approach] += weight
                for approach in exclude:
                    excluded.setdefault(approach, []).append(rule_id)
        return scores, excluded, failures

    def _rank(
        self, scores: Mapping[ApproachId, float], excluded: Mapping[ApproachId, Any]
    ) -> tuple[ApproachId, ...]:
        rank = self._tie_rank
        return tuple(sorted(APPROACHES, key=lambda a: (a in excluded, -scores[a], rank[a])))

    def outcome(self, values: Mapping[str, Any]) -> Outcome:
        """What the rules make of ``values``: evaluated once per cell of the answer space.

        A rule's condition is a tree of leaf tests. The key of a cell holds the
        value of each choice answer that a rule tests, and the result of every
        other leaf test (those of numbers: is ``budget_usd`` below 5,000?).
        Together they fix the result of every leaf, so which rules fire, which
        test of each other rule fails first, the scores and the ranking. Within
        a cell only the value that a failure shows can differ, when its field
        is not in the key (a budget of 7,300 or 7,301): :meth:`decide` re-reads
        those from the answers at hand.
        """
        key = (
            *map(values.get, self._cell_fields),
            *[test(values) is None for test in self._cell_tests],
        )
        outcome = self._outcomes.get(key)
        if outcome is None:
            if len(self._outcomes) >= self.MEMO_SIZE:
                self._outcomes.clear()
            outcome = self._outcomes[key] = self._evaluate(values)
        return outcome

    def _evaluate(self, values: Mapping[str, Any]) -> Outcome:
        scores, excluded, failures = self._score(values)
        ranking = self._rank(scores, excluded)
        winner = None if ranking[0] in excluded else ranking[0]
        # Every approach is excluded: a knowledge-base defect that `kb check` reports.
        # Fall back to the tie order so that a person still gets an answer.
        recommended = self.tie_order[0] if winner is None else winner
        runner_up = ranking[1]
        return Outcome(
            failures=tuple(failures),
            reread=tuple(
                (index, failure[0])
                for index, failure in enumerate(failures)
                if failure is not None and failure[0].field not in self._cell_fields
            ),
            scores=scores,
            excluded={approach: tuple(ids) for approach, ids in excluded.items()},
            ranking=ranking,
            winner=winner,
            recommended=recommended,
            tied=runner_up not in excluded and scores[runner_up] == scores[recommended],
        )

    def winner(self, values: Mapping[str, Any]) -> ApproachId | None:
        """Only the winner (no costs, no trace): for searching the answer space.

        ``None`` when every approach is excluded, which ``kb check`` reports.
        """
        return self.outcome(values).winner

    def decide(self, answers: Answers) -> Decision:
        """Evaluate every rule and cost line for ``answers``."""
        values = answers.values
        outcome = self.outcome(values)
        failures = outcome.failures
        if outcome.reread:
            # A failure shows the value it saw; a number's value is these answers' own.
            seen = list(failures)
            for index, test in outcome.reread:
                seen[index] = (test, values.get(test.field))
            failures = tuple(seen)
        assumed = self.cost_model.assumed(answers.assumptions)
        return Decision(
            answers=answers,
            values=values,
            winner=outcome.recommended,
            ranking=outcome.ranking,
            # Copies: a decision's mappings are its own, whatever its reader does with them.
            scores=dict(outcome.scores),
            excluded=dict(outcome.excluded),
            tied=outcome.tied,
            failures=failures,
            costs=self.cost_model.estimates(values, assumed),
            assumed=assumed,
            engine=self,
        )

    # --- the answer space ----------------------------------------------------

    def visible(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` with unasked questions reset to their defaults (no count for unlabeled data)."""
        result = dict(values)
        for question, check in self._visibility:
            if check is not None and check(result) is not None:
                result[question.id] = question.default
        return result

    def _candidate_values(self) -> dict[str, tuple[Any, ...]]:
        """For each answer field, the values that can make a difference to some rule.

        Choices: every choice (and "not given" for optional questions). Numbers:
        each threshold a rule or cost condition tests, and the value just below it.
        """
        thresholds: dict[str, set[float]] = {}
        conditions = [rule.when for rule in self.kb.rules]
        conditions += [q.ask_when for q in self.kb.questions]
        for condition in conditions:
            for leaf in iter_leaves(condition):
                for value in (leaf.below, leaf.at_least):
                    if value is not None:
                        thresholds.setdefault(leaf.field, set()).add(value)
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
                candidates[question.id] = tuple(sorted(cast(n) for n in numbers))
        return candidates

    def answer_space(self) -> dict[str, tuple[Any, ...]]:
        """Every field's representative values: the discretized answer space."""
        return dict(self._candidates)

    def would_win_if(self, decision: Decision, approach: ApproachId) -> WouldWinIf | None:
        """The smallest change of answers that makes ``approach`` the recommendation.

        Changes of one answer are tried first, then of two; among those the
        smallest counts (a choice changed counts 1, a number changed tenfold
        counts 1). The task is never changed: it is what the person needs.
        ``None`` when no change of one or two answers makes it win.
        """
        if approach == decision.winner:
            return None
        values = decision.values
        fields = [q for q in self.kb.questions if q.what_if]
        singles: list[tuple[float, tuple[tuple[Question, Any], ...]]] = []
        options = {q.id: [v for v in self._candidates[q.id] if v != values.get(q.id)] for q in fields}
        for question in fields:
            for value in options[question.id]:
                changed = self.visible({**values, question.id: value})
                if self.winner(changed) == approach:
                    singles.append((self._distance(question, values, value), ((question, value),)))
        found = singles
        if not found:
            for i, first in enumerate(fields):
                for second in fields[i + 1 :]:
                    for a in options[first.id]:
                        for b in options[second.id]:
                            changed = self.visible({**values, first.id: a, second.id: b})
                            if self.winner(changed) == approach:
                                distance = self._distance(first, values, a) + self._distance(
                                    second, values, b
                                )
                                found.append((distance, ((first, a), (second, b))))
        if not found:
            return None
        _, best = min(found, key=lambda item: item[0])
        return WouldWinIf(
            approach,
            tuple(
                Change(q.id, values.get(q.id), value, self._change_text(q, values.get(q.id), value))
                for q, value in best
            ),
        )

    @staticmethod
    def _distance(question: Question, values: Mapping[str, Any], value: Any) -> float:
        before = values.get(question.id)
        if question.kind in ("count", "money") and isinstance(before, int | float):
            return abs(math.log10((float(value) + 1) / (float(before) + 1)))
        return 1.0

    def _change_text(self, question: Question, before: Any, after: Any) -> str:
        """The change in the person's terms: "you have at least 10,000 labeled examples"."""
        kind = question.kind
        if kind in ("count", "money") and isinstance(before, int | float):
            amount = format_value(after if after > before else after + 1, kind)
            if kind == "count":
                return f"you have {'at least' if after > before else 'fewer than'} {amount} {question.name}"
            return f"your {question.name} is {'at least' if after > before else 'under'} {amount}"
        return plain_value(question, after)
