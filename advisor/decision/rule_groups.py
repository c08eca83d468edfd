"""The deciding rules in groups that read the same answer fields, each group read once per *place*.

What a rule makes of answers depends only on where each field it reads stands
among the thresholds it compares the field with (a count at least 10,000 or
not), and on the value itself for a field it tests by value (``labels`` is
``labeled``). So the outcome of a group (which rules fired, which test failed
for the others, what they add to each approach, what they rule out) is the same
for all answers in the same place, and is worked out once for each place.

It matters for what-ifs and for ``kb check``: a report tries some thirty
changes of answers, the check reads thousands of points of the answer space
and a sweep of hundreds of reports, and each of these used to evaluate every
rule. With thousands of rules that was most of the time; now each costs a
lookup per group (``python benchmarks/bench.py scale``).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

from advisor.conditions import Check, Failure, Terms, Test
from advisor.kb.base import iter_leaves
from advisor.kb.models import APPROACHES, ApproachId, Rule
from advisor.records import dataclass

__all__ = ["Member", "Outcome", "RuleGroup", "group_rules"]

MEMO_LIMIT = 4096
"""Places remembered per group; past it the group starts afresh (only the speed changes)."""


@dataclass(frozen=True, slots=True)
class Member:
    """One deciding rule, compiled: where it stands among all rules, and what firing does."""

    index: int
    rule: Rule
    check: Check | None
    weights: Mapping[ApproachId, float]
    exclude: tuple[ApproachId, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a group's rules make of answers in one place."""

    failing: tuple[tuple[int, Test], ...]
    """(rule index, the test that failed) for each rule that did not fire."""
    scores: tuple[float, ...]
    """What the fired rules add to each approach, in the order of ``APPROACHES``."""
    excluded: tuple[tuple[int, ApproachId], ...]
    """(rule index, approach) for each approach a fired rule rules out."""


class RuleGroup:
    """Deciding rules that read the same fields, and the outcomes of the places seen so far."""

    __slots__ = ("_fields", "_memo", "members")

    def __init__(self, members: tuple[Member, ...], terms: Terms) -> None:
        self.members = members
        thresholds: dict[str, set[float]] = {}
        by_value: set[str] = set()
        for member in members:
            for leaf in iter_leaves(member.rule.when):
                if leaf.operator in ("below", "at_least"):
                    thresholds.setdefault(leaf.field, set()).add(terms.number(leaf.operand))
                else:
                    by_value.add(leaf.field)
        fields = sorted({*thresholds, *by_value})
        self._fields = tuple(
            (field, tuple(sorted(thresholds.get(field, ()))), field in by_value) for field in fields
        )
        """Each field read: the thresholds it is compared with (sorted), and whether it is tested by value."""
        self._memo: dict[tuple[Any, ...], Outcome] = {}

    def place(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """Where ``values`` stand for this group: for each field, how many of its thresholds the
        value reaches (-1 for no number: NaN and text compare false with any), and the value
        itself where it is tested by value."""
        key: list[Any] = []
        for field, thresholds, by_value in self._fields:
            value = values.get(field)
            reached = -1
            if thresholds and isinstance(value, int | float) and value == value:
                reached = bisect_right(thresholds, value)
            key.append((reached, value) if by_value else reached)
        return tuple(key)

    def outcome(self, values: Mapping[str, Any]) -> Outcome:
        """What the group's rules make of ``values`` (completed answers)."""
        key = self.place(values)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = self._evaluate(values)
        return found

    def _evaluate(self, values: Mapping[str, Any]) -> Outcome:
        failing: list[tuple[int, Test]] = []
        weights: dict[ApproachId, list[float]] = {approach: [] for approach in APPROACHES}
        excluded: list[tuple[int, ApproachId]] = []
        for member in self.members:
            failure: Failure | None = None if member.check is None else member.check(values)
            if failure is not None:
                failing.append((member.index, failure[0]))
            else:
                for approach, weight in member.weights.items():
                    weights[approach].append(weight)
                excluded.extend((member.index, approach) for approach in member.exclude)
        return Outcome(
            failing=tuple(failing),
            scores=tuple(math.fsum(weights[approach]) for approach in APPROACHES),
            excluded=tuple(excluded),
        )


def group_rules(members: Iterable[Member], terms: Terms) -> tuple[RuleGroup, ...]:
    """The rules in groups by the set of fields they read, in the order of their first rule."""
    by_fields: dict[frozenset[str], list[Member]] = {}
    for member in members:
        fields = frozenset(leaf.field for leaf in iter_leaves(member.rule.when))
        by_fields.setdefault(fields, []).append(member)
    return tuple(RuleGroup(tuple(group), terms) for group in by_fields.values())
