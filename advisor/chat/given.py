"""What a person has given the chat: the answers and their history.

:class:`Given` holds the answers as read and as typed, the costs set, the order the
answers came in, all the data mentioned, what changed since the last report, and the
answers before a restart (for undo). It knows which questions apply to them and which is
next; it never says anything and never saves: the conversation
(:mod:`advisor.chat.conversation`) decides what to say, :mod:`advisor.chat.saving` keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from advisor.answers import Normalized, Override, asked, normalize
from advisor.chat.wording import change_words
from advisor.conditions import holds
from advisor.formatting import format_amount, format_value
from advisor.kb.base import KnowledgeBase, iter_leaves
from advisor.kb.fields import ASSUMED, ASSUMPTIONS
from advisor.kb.models import Question
from advisor.reading import Reader, Unreadable
from advisor.records import dataclass

__all__ = ["Given", "Snapshot", "answers_in"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What was given, at one time: the answers before a restart (for undo), or a saved chat's."""

    values: dict[str, Any]
    said: dict[str, str]
    assumptions: dict[str, Override]
    recent: list[str] = field(default_factory=list)
    total: int | None = None
    assumed: frozenset[str] = frozenset()


def answers_in(saved: Mapping[str, Any]) -> int:
    """How many answers a saved chat holds: its answers, the costs set, all the data mentioned."""
    return len(saved["values"]) + len(saved["assumptions"]) + (saved["total"] is not None)


class Given:
    """The answers so far, as read and as the person gave them."""

    def __init__(self, kb: KnowledgeBase, reader: Reader) -> None:
        self.kb = kb
        self.reader = reader
        self.values: dict[str, Any] = {}
        """Canonical answers given so far (a skipped optional question holds ``None``)."""
        self.said: dict[str, str] = {}
        """What the person typed or chose for each answer, as they wrote it."""
        self.assumptions: dict[str, Override] = {}
        """Cost assumptions the person set ("we'll do it in-house"), by id."""
        self.recent: list[str] = []
        """The answers in the order they were last given: what "make that 10k" corrects."""
        self.total: int | None = None
        """All the data the person mentioned ("we have 2k images"), before saying how much is labeled."""
        self.changes: list[str] = []
        """Answers changed since the last report, to say with the next one what moved."""
        self.restarted: Snapshot | None = None
        """The answers before the last restart, until undo or a new answer."""
        self.wanted: dict[str, tuple[str, ...]] = {}
        """Questions not asked in turn that a line made necessary (what a task description leaves
        open: "Is that text, images, or both?"), with the choices to offer first."""
        self.assumed: set[str] = set()
        """The answers assumed because the person was not sure ("idk": a small model, no budget)."""
        self.numbered: list[str] = []
        """The questions put to the person, in the order first shown: each keeps its number."""

    def __bool__(self) -> bool:
        """Whether anything is given: an answer, a cost set, or all the data mentioned."""
        return bool(self.values or self.assumptions or self.total is not None)

    # --- the questions ----------------------------------------------------------------

    @property
    def questions(self) -> list[Question]:
        """The questions that apply given the answers so far: those the chat asks in turn, and any
        other the person answered in passing ("with LoRA")."""
        return [q for q in self.kb.questions if self._in_turn(q) and asked(q, self.values)]

    def _in_turn(self, question: Question) -> bool:
        """Whether the chat asks ``question`` (or has it answered): guided questions, when they
        are offered; any the person answered; any a line made necessary."""
        offered = question.guided and holds(question.offer_when, self.values)
        return offered or question.id in self.values or question.id in self.wanted

    def next_unanswered(self) -> Question | None:
        return next((q for q in self.questions if q.id not in self.values), None)

    def plan(self) -> list[Question]:
        """The questions this person is asked, given the answers so far: those shown, in the
        order they were first shown (so each keeps its number), then those still to ask, in
        the knowledge base's order. One answered in passing ("5k labelled tickets") is not
        asked, so not counted; one that an answer makes apply ("some of it": how many are not
        labeled?) is counted from then on."""
        applying = {q.id: q for q in self.questions}
        shown = [applying[name] for name in self.numbered if name in applying]
        return [
            *shown,
            *(
                q
                for q in applying.values()
                if (q.guided or q.id in self.wanted) and q.id not in self.values and q.id not in self.numbered
            ),
        ]

    def show(self, question: Question) -> tuple[int, int]:
        """Mark ``question`` as shown; its number and the number of questions in the plan."""
        if question.id not in self.numbered:
            self.numbered.append(question.id)
        plan = self.plan()
        return plan.index(question) + 1, len(plan)

    def added(self, before: list[Question]) -> str | None:
        """Why the plan has more questions to ask than ``before`` (a plan taken before the last
        answers): "One more question, since some of your data is labeled."; ``None`` if none."""
        plan = self.plan()
        new = [q for q in plan if q not in before and q.id not in self.values]
        if not new or len(plan) <= len(before):  # answered in passing as many as were added
            return None
        reasons: dict[str, None] = {}
        for question in new:
            if question.id in self.wanted:  # "classify images": what to produce is left open
                reasons[f"what you wrote leaves the {question.name} open"] = None
            for leaf in (*iter_leaves(question.ask_when), *iter_leaves(question.offer_when)):
                source = self.kb.question.get(leaf.field)
                value = self.values.get(leaf.field)
                choice = next((c for c in source.choices if c.value == value), None) if source else None
                if choice is not None and choice.statement:
                    reasons[choice.statement] = None
        count = {1: "One more question", 2: "Two more questions", 3: "Three more questions"}
        said = count.get(len(new), f"{len(new)} more questions")
        return f"{said}, since {' and '.join(reasons)}." if reasons else f"{said}."

    def answered(self) -> list[tuple[Question, str]]:
        """The answers so far, in question order, as the person gave them."""
        return [
            (q, self.said.get(q.id) or self.shown(q, self.values[q.id]))
            for q in self.questions
            if q.id in self.values
        ]

    def shown(self, question: Question, value: Any) -> str:
        """An answer in words: the choice's label, ``$10,000``, ``skipped``."""
        if value is None:
            return "skipped"
        label = next((c.label for c in question.choices if c.value == value), None)
        return label or format_value(value, question.kind)

    # --- taking answers ---------------------------------------------------------------

    def take(
        self,
        values: Mapping[str, Any],
        said: Mapping[str, str],
        assumptions: Mapping[str, Override],
        *,
        reported: bool,
        assumed: frozenset[str] = frozenset(),
    ) -> None:
        """Record answers and assumptions; ``reported``: there is a report, so what changed is
        noted for the next one; ``assumed``: the answers taken because the person was not sure
        (any other answer given for a field is the person's own)."""
        if reported:
            self.changes += [
                change_words(self.kb.question[f], self.values[f], v)
                for f, v in values.items()
                if f in self.values and self.values[f] != v
            ]
            for name, value in assumptions.items():
                if self.assumptions.get(name) != value:
                    amount = format_amount(*value) if isinstance(value, tuple) else f"{value:g}"
                    self.changes.append(f"{name} = {amount} {self.kb.assumption[name].unit}")
        self.values.update(values)
        self.assumed = (self.assumed - set(values)) | (assumed & set(values))
        self.said.update({f: text for f, text in said.items() if text})
        self.assumptions.update(assumptions)
        for name in values:
            if name in self.recent:
                self.recent.remove(name)
            self.recent.append(name)
        self._fill_from_total()

    def _fill_from_total(self) -> None:
        """ "We have 2k images" then "all labeled": the count is the data mentioned before."""
        if self.total is None:
            return
        for question in self.questions:
            if question.kind == "count" and question.id not in self.values:
                depends = [self.kb.question[leaf.field] for leaf in iter_leaves(question.ask_when)]
                affirmed = {c.value for q in depends for c in q.choices if c.stance == "affirmed"}
                if any(self.values.get(q.id) in affirmed for q in depends):
                    self.values[question.id] = self.total
                    self.said[question.id] = f"{self.total:,} (all of the data you mentioned)"

    def forget_hidden(self) -> None:
        """Drop answers to questions that no longer apply (a count for data now unlabeled)."""
        visible = {q.id for q in self.questions}
        for name in list(self.values):
            if name not in visible:
                del self.values[name]
                self.said.pop(name, None)
                self.assumed.discard(name)
                if name in self.recent:
                    self.recent.remove(name)

    def moved(self) -> tuple[str, ...]:
        """The changes noted since the last report, now said: the list starts again."""
        changes, self.changes = tuple(self.changes), []
        return changes

    # --- starting over ----------------------------------------------------------------

    def restart(self) -> bool:
        """Forget everything given, kept for :meth:`undo`; whether there was anything."""
        had = bool(self.values or self.assumptions)
        if had:
            self.restarted = Snapshot(
                dict(self.values),
                dict(self.said),
                dict(self.assumptions),
                list(self.recent),
                assumed=frozenset(self.assumed),
            )
        self._set(Snapshot({}, {}, {}))
        return had

    def undo(self) -> bool:
        """Bring back the answers of before the last restart; whether there were any."""
        snapshot, self.restarted = self.restarted, None
        if snapshot is None:
            return False
        self._set(snapshot, total=self.total)
        return True

    def resume(self, saved: Mapping[str, Any]) -> None:
        """Take up the answers of a saved chat (checked by :func:`advisor.chat.store.restore`)."""
        self._set(
            Snapshot(
                dict(saved["values"]),
                dict(saved["said"]),
                dict(saved["assumptions"]),
                list(saved["recent"]),
                saved["total"],
                frozenset(saved.get("assumed", ())),
            )
        )

    def _set(self, snapshot: Snapshot, *, total: int | None = None) -> None:
        self.values = dict(snapshot.values)
        self.said = dict(snapshot.said)
        self.assumptions = dict(snapshot.assumptions)
        self.recent = list(snapshot.recent)
        self.total = snapshot.total if total is None else total
        self.changes = []
        self.assumed = set(snapshot.assumed) & set(self.values)
        self.wanted = self._left_open()
        # The answers given before are numbered first, in the questions' order.
        self.numbered = [q.id for q in self.questions if q.id in self.values and q.guided]

    def _left_open(self) -> dict[str, tuple[str, ...]]:
        """What the task given leaves open and no answer says (resumed, undone, restarted: the
        question it asks is asked again, with its likely choices)."""
        task, question = self.values.get("task"), self.kb.question.get("task")
        if not isinstance(task, str) or question is None or question.kind != "task":
            return {}
        try:
            clarify = self.reader.task(question, task, known=self.values).clarify
        except Unreadable:
            return {}
        if clarify is None or clarify.field in self.values:
            return {}
        return {clarify.field: clarify.choices}

    # --- as an answers file -------------------------------------------------------------

    def normalized(self, values: Mapping[str, Any] | None = None) -> Normalized:
        """The answers (or ``values`` with these costs) as ``advisor recommend`` reads them from
        the exported file."""
        values = self.values if values is None else values
        raw: dict[str, Any] = {
            k: v for k, v in values.items() if v is not None or (k in self.assumed and self._required(k))
        }
        assumed = [  # a what-if's own value for an assumed answer is no longer an assumption
            q.id
            for q in self.kb.questions
            if q.id in self.assumed and q.id in values and values[q.id] == self.values.get(q.id)
        ]
        if assumed:
            raw[ASSUMED] = assumed
        if self.assumptions:
            raw[ASSUMPTIONS] = {
                k: list(v) if isinstance(v, tuple) else v for k, v in self.assumptions.items()
            }
        return normalize(raw, self.kb, strict=True, name="chat", reader=self.reader)

    def _required(self, field_id: str) -> bool:
        question = self.kb.question.get(field_id)
        return question is not None and not question.optional

    def state(self, current: Question | None) -> dict[str, Any]:
        """What a saved chat holds, for :class:`~advisor.chat.store.SessionStore`."""
        return {
            "knowledge_version": self.kb.version,
            "values": self.values,
            "said": self.said,
            "assumptions": self.assumptions,  # numbers: the chat sets no ranges
            "recent": self.recent,
            "total": self.total,
            "assumed": sorted(self.assumed),
            "current": current.id if current else None,
        }
