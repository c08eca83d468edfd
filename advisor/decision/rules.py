"""The rules, compiled: what the deciding rules make of answers, and the advice an outcome earns.

A rule *fires* when its condition holds. A deciding rule then adds its weights to the
approaches' scores or rules one out; every rule is traced (fired, or the first condition
that failed and the value it saw). The deciding rules are read in groups that test the same
fields (:mod:`advisor.decision.rule_groups`): answers that stand in the same place among a
group's thresholds get the same outcome, worked out once.

Advice rules only add caveats and next steps. They are read once the winner is known, and
may test the recommended approach and its cost model's quantities (at their medians).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from advisor.conditions import Check, Failure, Terms, compile_condition
from advisor.decision.estimates import Spread
from advisor.decision.ranking import Standing
from advisor.decision.rule_groups import Member, Outcome, RuleGroup, group_rules
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import APPROACH, BUDGET
from advisor.kb.models import APPROACHES, ApproachId, Effect, Rule
from advisor.records import dataclass

__all__ = ["CompiledRule", "RuleBook"]

Failures = tuple[Failure | None, ...]
"""Aligned with the rules: ``None`` where a rule fired."""


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule, with its condition compiled and its effects sorted by kind."""

    rule: Rule
    check: Check | None
    """``None`` for a rule without a condition: it always fires."""
    weights: dict[ApproachId, float]
    exclude: tuple[ApproachId, ...]
    caveats: tuple[str, ...]
    next_steps: tuple[str, ...]
    first: tuple[Effect, ...]
    """The paths to try before fine-tuning (``try_first`` effects, with their references)."""
    advice: bool


class RuleBook:
    """A knowledge base's rules, compiled with the numbers in force."""

    def __init__(self, kb: KnowledgeBase, terms: Terms, plain_terms: Terms) -> None:
        """``terms`` give the thresholds' numbers; ``plain_terms`` say a failure in the person's terms."""
        self.compiled = tuple(_compile(rule, terms, plain_terms) for rule in kb.rules)
        self.rules = tuple(compiled.rule for compiled in self.compiled)
        self.weights = {compiled.rule.id: compiled.weights for compiled in self.compiled}
        """Rule id -> what it adds to each approach it favors."""
        self.advising = tuple(
            (index, c) for index, c in enumerate(self.compiled) if c.caveats or c.next_steps or c.first
        )
        """The rules with caveats or next steps (a rule that decides may add them too), by index."""
        self._advice = tuple((index, c) for index, c in enumerate(self.compiled) if c.advice)
        self._groups: tuple[RuleGroup, ...] = group_rules(
            (
                Member(index, c.rule, c.check, c.weights, c.exclude)
                for index, c in enumerate(self.compiled)
                if not c.advice
            ),
            terms,
        )
        deciding = [leaf.field for c in self.compiled if not c.advice for leaf in iter_leaves(c.rule.when)]
        self.tests_budget = BUDGET in deciding
        """Whether a deciding rule reads the budget (else a new budget needs no new reading)."""
        quantities = {q.id for q in kb.costs.quantities}
        advised = {leaf.field for c in self.compiled if c.advice for leaf in iter_leaves(c.rule.when)}
        self._advice_fields = tuple(sorted(advised & quantities))
        """The quantities that advice rules test: their medians join the answers they read."""
        self.thresholds: dict[str, set[str]] = {}
        """Each field's named thresholds in the rules: the counts a what-if tries."""
        for rule in kb.rules:
            for leaf in iter_leaves(rule.when):
                for bound in (leaf.below, leaf.at_least):
                    if isinstance(bound, str):
                        self.thresholds.setdefault(leaf.field, set()).add(bound)

    def standing(self, values: Mapping[str, Any]) -> Standing:
        """What the deciding rules make of completed answers: scores and exclusions."""
        return self._standing(tuple(group.outcome(values) for group in self._groups))

    def scored(self, values: Mapping[str, Any]) -> tuple[Failures, Standing]:
        """:meth:`standing`, with the first failed test of each deciding rule that did not fire
        (advice rules are left ``None``: :meth:`advised` reads them)."""
        outcomes = tuple(group.outcome(values) for group in self._groups)
        failures: list[Failure | None] = [None] * len(self.compiled)
        for outcome in outcomes:
            for index, test in outcome.failing:
                failures[index] = (test, values.get(test.field))
        return tuple(failures), self._standing(outcomes)

    def advised(
        self,
        failures: Failures,
        values: Mapping[str, Any],
        winner: ApproachId,
        quantities: Mapping[str, Spread],
    ) -> Failures:
        """``failures`` with the advice rules read against the recommendation and its quantities."""
        read = {**values, APPROACH: winner, **{name: quantities[name].median for name in self._advice_fields}}
        advised = list(failures)
        for index, compiled in self._advice:
            advised[index] = None if compiled.check is None else compiled.check(read)
        return tuple(advised)

    def _standing(self, outcomes: tuple[Outcome, ...]) -> Standing:
        scores = {
            approach: math.fsum(outcome.scores[column] for outcome in outcomes)
            for column, approach in enumerate(APPROACHES)
        }
        excluded: dict[ApproachId, list[str]] = {}
        for index, approach in sorted(pair for outcome in outcomes for pair in outcome.excluded):
            excluded.setdefault(approach, []).append(self.rules[index].id)
        return Standing(scores, {approach: tuple(ids) for approach, ids in excluded.items()})


def _compile(rule: Rule, terms: Terms, plain_terms: Terms) -> CompiledRule:
    weights: dict[ApproachId, float] = {}
    for effect in rule.effects:
        if effect.favor is not None and effect.weight is not None:
            weights[effect.favor] = weights.get(effect.favor, 0.0) + terms.number(effect.weight)
    return CompiledRule(
        rule,
        None if rule.when is None else compile_condition(rule.when, plain_terms),
        weights,
        tuple(e.exclude for e in rule.effects if e.exclude is not None),
        tuple(e.caveat for e in rule.effects if e.caveat is not None),
        tuple(e.next_step for e in rule.effects if e.next_step is not None),
        tuple(e for e in rule.effects if e.try_first is not None),
        rule.advice,
    )
