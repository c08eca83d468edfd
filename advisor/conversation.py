"""The chat as a plain state machine: which question is next, what a typed line means.

The Textual app is a thin view over :class:`Conversation`: it passes on what
the person typed or clicked and shows the :data:`Reply` items that come back.
Answers go through the same readers and the same :func:`~advisor.answers.normalize`
as answers files, so the chat and ``advisor recommend`` always agree.

A typed line is, in this order: a command (help, back, restart, why, skip,
export, keep), a "what if ..." or a change of an earlier answer, a question
for the FAQ or the glossary, or else an answer to the current question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from advisor.answers import Normalized, Unreadable, normalize, read_answer
from advisor.conditions import format_value, holds
from advisor.engine import Engine
from advisor.errors import AnswersError
from advisor.knowledge import KnowledgeBase, iter_leaves
from advisor.lookup import Found, Lookup, looks_like_question
from advisor.models import ApproachId, Question
from advisor.render import to_markdown
from advisor.report import Report, build_report, usd_range
from advisor.store import SessionStore

__all__ = [
    "Asked",
    "Compared",
    "Conversation",
    "Explained",
    "Exported",
    "Recommended",
    "Reply",
    "Said",
    "Traced",
    "Unclear",
]


# --- what the bot says ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Said:
    """A plain message."""

    text: str


@dataclass(frozen=True, slots=True)
class Asked:
    """A guided question, with its place in the sequence and any earlier answer."""

    question: Question
    number: int
    total: int
    previous: str | None = None
    """What the person said last time, when the question is asked again."""


@dataclass(frozen=True, slots=True)
class Unclear:
    """An answer that could not be read, with what would be."""

    text: str
    suggestions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explained:
    """Help for a question, a FAQ answer or a glossary term, with citations."""

    title: str
    text: str
    claims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recommended:
    """The recommendation card."""

    report: Report


@dataclass(frozen=True, slots=True)
class Traced:
    """ "why?": the decision in plain language."""

    report: Report
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Compared:
    """A what-if or a changed answer: the new recommendation and what moved."""

    before: Report
    after: Report
    changes: tuple[str, ...]
    moved: tuple[str, ...]
    kept: bool
    """Whether the change was applied (False for a what-if the person may keep)."""


@dataclass(frozen=True, slots=True)
class Exported:
    """Files written by an export."""

    report_path: Path
    answers_path: Path


Reply = Said | Asked | Unclear | Explained | Recommended | Traced | Compared | Exported

_HELP = {
    "help",
    "?",
    "explain",
    "explain this",
    "what does this mean",
    "i dont understand",
    "huh",
    "h",
}
_BACK = {"back", "go back", "undo", "previous", "prev", "b"}
_RESTART = {"restart", "start over", "reset", "start again", "new", "begin again"}
_WHY = {
    "why",
    "why?",
    "why this",
    "why that",
    "explain the recommendation",
    "how did you decide",
    "show the trace",
    "trace",
    "reasons",
}
_SKIP = {"skip", "pass", "dont know", "don't know", "not sure", "no idea", "idk", "-"}
_EXPORT = {"export", "save", "save report", "export report", "download"}
_KEEP = {"keep", "keep it", "keep that", "use it", "use that", "apply", "yes keep it", "ok keep it"}
_RESUME = {"resume", "continue", "yes", "y", "yeah", "sure", "ok", "carry on", "pick up", "go on"}
_START_FRESH = {"no", "n", "nope", "start over", "fresh", "start fresh", "new chat"}


def _closest_command(bare: str, commands: Mapping[str, set[str]]) -> str | None:
    """The command whose words ``bare`` is, or is a small typo of ("resum", "strat over")."""
    for name, words in commands.items():
        if bare in words:
            return name
    scored = [
        (fuzz.ratio(bare, word), name)
        for name, words in commands.items()
        for word in words
        if len(word) >= 5 and len(bare) >= 4
    ]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= 80 else None


_WHAT_IF = re.compile(r"^\s*(what if|what about|and if|suppose|if)\b", re.IGNORECASE)
_CHANGE = re.compile(r"^\s*(change|set|actually|make|update|correction|oops)\b", re.IGNORECASE)


def _clean(text: str) -> str:
    return " ".join(re.sub(r"[^\w$?' -]+", " ", text.casefold().replace("’", "'")).split())


class Conversation:
    """One chat: the answers so far, the current question, the latest report."""

    def __init__(
        self,
        kb: KnowledgeBase,
        engine: Engine | None = None,
        store: SessionStore | None = None,
    ) -> None:
        self.kb = kb
        self.engine = engine or Engine(kb)
        self.lookup = Lookup(kb)
        self.store = store
        self.values: dict[str, Any] = {}
        """Canonical answers given so far (a skipped optional question holds ``None``)."""
        self.said: dict[str, str] = {}
        """What the person typed or chose for each answer, as they wrote it."""
        self.current: Question | None = None
        self.report: Report | None = None
        self.pending: dict[str, Any] | None = None
        """A what-if's answers, until the person keeps them."""
        self.offering_resume: dict[str, Any] | None = None

    # --- the sequence ---------------------------------------------------------

    @property
    def questions(self) -> list[Question]:
        """The questions that apply given the answers so far."""
        return [q for q in self.kb.questions if holds(q.ask_when, self.values)]

    @property
    def done(self) -> bool:
        return self.current is None and self.report is not None

    def answered(self) -> list[tuple[Question, str]]:
        """The answers so far, in question order, as the person gave them."""
        return [
            (q, self.said.get(q.id, self._shown(q, self.values[q.id])))
            for q in self.questions
            if q.id in self.values
        ]

    def _shown(self, question: Question, value: Any) -> str:
        if value is None:
            return "skipped"
        label = next((c.label for c in question.choices if c.value == value), None)
        return label or format_value(value, question.kind)

    def _next_unanswered(self) -> Question | None:
        return next((q for q in self.questions if q.id not in self.values), None)

    def _expected(self) -> list[Question]:
        """The questions that apply, counting one that may yet apply once an earlier
        answer is in (the example count before the labels are known), so that
        "1 of 6" does not become "3 of 6" after "1 of 5"."""
        return [
            q
            for q in self.kb.questions
            if holds(q.ask_when, self.values)
            or any(leaf.field not in self.values for leaf in iter_leaves(q.ask_when))
        ]

    def _ask(self, question: Question) -> Asked:
        self.current = question
        expected = self._expected()
        number = expected.index(question) + 1
        previous = self.said.get(question.id) if question.id in self.values else None
        return Asked(question, number, len(expected), previous)

    def _advance(self) -> list[Reply]:
        """Ask the next unanswered question, or recommend when all are answered."""
        self._forget_hidden()
        question = self._next_unanswered()
        self._save()
        if question is not None:
            return [self._ask(question)]
        self.current = None
        return self._recommend()

    def _forget_hidden(self) -> None:
        """Drop answers to questions that no longer apply (a count for data now unlabeled)."""
        visible = {q.id for q in self.questions}
        for field in list(self.values):
            if field not in visible:
                del self.values[field]
                self.said.pop(field, None)

    # --- starting -------------------------------------------------------------------

    def start(self, *, resume: bool = True) -> list[Reply]:
        """The greeting, then the first question, or an offer to resume a saved chat."""
        greeting = Said(
            "Hi! I'll help you choose how to fine-tune a model, estimate what it will cost, "
            "and show you the sources. A few quick questions: answer with the buttons or in "
            "your own words. Type help to have a question explained, back to go back, or ask "
            'me anything, like "what is transfer learning?".'
        )
        saved = self.store.load() if (resume and self.store is not None) else None
        restored = self._restore(saved) if saved else None
        if restored:
            self.offering_resume = restored
            count = len(restored["values"])
            return [
                greeting,
                Said(
                    f"Welcome back: you had answered {count} question{'s' if count != 1 else ''} "
                    "last time. Resume where you left off, or start over?"
                ),
            ]
        return [greeting, *self._advance()]

    def _restore(self, saved: Mapping[str, Any]) -> dict[str, Any] | None:
        """Saved answers, checked again; ``None`` if nothing usable was saved."""
        values = saved.get("values")
        said = saved.get("said")
        if not isinstance(values, dict) or not values or not isinstance(said, dict):
            return None
        checked: dict[str, Any] = {}
        for question in self.kb.questions:
            if question.id not in values:
                continue
            value = values[question.id]
            if value is None and question.optional:
                checked[question.id] = None
                continue
            try:
                checked[question.id] = read_answer(question, value, strict=True).value
            except Unreadable:
                continue
        if not checked:
            return None
        return {
            "values": checked,
            "said": {k: str(v)[:200] for k, v in said.items() if k in checked},
        }

    def resume(self) -> list[Reply]:
        """Take up the saved answers."""
        restored, self.offering_resume = self.offering_resume, None
        if restored is None:
            return self._advance()
        self.values = dict(restored["values"])
        self.said = dict(restored["said"])
        return [Said("Here is where we were."), *self._advance()]

    def restart(self) -> list[Reply]:
        """Forget every answer and ask again from the first question."""
        self.values.clear()
        self.said.clear()
        self.report = None
        self.pending = None
        self.offering_resume = None
        if self.store is not None:
            self.store.clear()
        return [Said("Starting over."), *self._advance()]

    # --- answering --------------------------------------------------------------------

    def choose(self, value: Any, label: str | None = None) -> list[Reply]:
        """A quick reply: the canonical value of a choice of the current question."""
        if self.current is None:
            return [Said("There is no open question; type restart to start over.")]
        question = self.current
        return self._set(question, value, label or self._shown(question, value))

    def _set(self, question: Question, value: Any, said: str) -> list[Reply]:
        return self._set_many({question.id: value}, {question.id: said})

    def _set_many(self, values: Mapping[str, Any], said: Mapping[str, str]) -> list[Reply]:
        """Record answers; after a recommendation, show what the change moved."""
        before = self.report
        changed = [f for f, v in values.items() if f in self.values and self.values[f] != v]
        self.values.update(values)
        self.said.update(said)
        replies = self._advance()
        if before is not None and changed and self.report is not None and self.current is None:
            notes = tuple(
                f"{self.kb.question[f].name}: {self._shown(self.kb.question[f], values[f])}" for f in changed
            )
            return [self._compare(before, self.report, kept=True, changes=notes)]
        return replies

    def edit(self, field: str) -> list[Reply]:
        """Ask an earlier question again (the person clicked its answer)."""
        question = self.kb.question.get(field)
        if question is None or question not in self.questions:
            return [Said("That question does not apply any more.")]
        self.pending = None
        return [self._ask(question)]

    def back(self) -> list[Reply]:
        """Go to the question before the current one (or the last one, after the recommendation)."""
        visible = self.questions
        if self.current is None:
            if not visible:
                return self._advance()
            return [self._ask(visible[-1])]
        index = visible.index(self.current)
        if index == 0:
            return [Said("This is the first question."), self._ask(self.current)]
        return [self._ask(visible[index - 1])]

    def skip(self) -> list[Reply]:
        question = self.current
        if question is None:
            return [Said("There is no open question to skip.")]
        if not question.optional:
            return [
                Said(
                    f"I need an answer about the {question.name} to give you a recommendation; "
                    "type help if the question is unclear."
                ),
                self._ask(question),
            ]
        return self._set(question, question.default, "skipped")

    def help(self) -> list[Reply]:
        """Explain the current question (or what can be done after the recommendation)."""
        question = self.current
        if question is None:
            return [
                Explained(
                    "What you can do now",
                    "Ask why? to see how I decided; ask what if my budget were $50k? (or any other "
                    "answer) to compare; click an answer on the left or type back to change it; type "
                    "export to save the report and your answers; restart to start over.",
                    (),
                )
            ]
        return [Explained(question.prompt, question.help, question.claims), self._ask(question)]

    def handle(self, text: str) -> list[Reply]:
        """Whatever the person typed."""
        text = text.strip()
        if not text:
            return [self._ask(self.current)] if self.current else []
        if len(text) > 500:
            return [Said("That is a long message; please answer in a sentence or two.")]
        clean = _clean(text)
        bare = clean.rstrip("?").strip()
        if self.offering_resume is not None:
            return self._answer_resume_offer(text, bare)
        if bare in _HELP or clean in _HELP:
            return self.help()
        if bare in _BACK:
            return self.back()
        if bare in _RESTART:
            return self.restart()
        if bare in _WHY or clean in _WHY:
            return self.why()
        if bare in _EXPORT:
            return self.export(Path.cwd())
        if bare in _KEEP and self.pending is not None:
            return self.keep()
        if bare in _SKIP and self.current is not None and self.current.optional:
            return self.skip()
        if _WHAT_IF.match(text):
            return self._what_if_text(text)
        if _CHANGE.match(text):
            return self._change_text(text)
        if looks_like_question(text):
            found = self.lookup.answer(text)
            if found is not None:
                return self._explain(found)
            if bare.startswith("why") and self.report is not None:
                return self.why()
        if self.current is None:
            return self._change_text(text, quiet_if_unknown=True)
        return self._answer(self.current, text)

    def _answer_resume_offer(self, text: str, bare: str) -> list[Reply]:
        """While offering to resume, only "resume" or "start over" (typos allowed) move on;
        a question is answered, anything else gets the offer again."""
        choice = _closest_command(bare, {"resume": _RESUME, "restart": _RESTART | _START_FRESH})
        if choice == "resume":
            return self.resume()
        if choice == "restart":
            return self.restart()
        offer = Unclear(
            "Shall I pick up where we left off? Type resume, or start over.", ("resume", "start over")
        )
        if looks_like_question(text):
            found = self.lookup.answer(text)
            if found is not None:
                return [Explained(found.title, found.text, found.claims), offer]
        return [offer]

    def _answer(self, question: Question, text: str) -> list[Reply]:
        try:
            reading = read_answer(question, text)
        except Unreadable as error:
            found = self.lookup.answer(text) if len(text.split()) > 2 else None
            if found is not None and found.score >= 90:
                return self._explain(found)
            return [self._unclear(question, error), self._ask(question)]
        replies: list[Reply] = []
        also = self._also_count(question, text, reading.value)
        if reading.note or also:
            shown = self._shown(question, reading.value)
            if question.choices:
                shown = f"“{shown}”"
            replies.append(Said(f"I read that as {shown}{also}."))
        replies.extend(self._set(question, reading.value, text))
        return replies

    def _also_count(self, question: Question, text: str, value: Any) -> str:
        """ "We have about 2k labelled images" answers the count too; returns what was noted."""
        if question.id != "labels" or value == "unlabeled" or "labeled_examples" in self.values:
            return ""
        count_question = self.kb.question.get("labeled_examples")
        if count_question is None:
            return ""
        try:
            reading = read_answer(count_question, text)
        except Unreadable:
            return ""
        self.values["labeled_examples"] = reading.value
        self.said["labeled_examples"] = text
        return f", with {reading.value:,} labeled examples"

    def _unclear(self, question: Question, error: Unreadable) -> Unclear:
        if question.kind in ("choice", "model_size"):
            labels = {c.value: c.label for c in question.choices}
            options = [labels.get(s, s) for s in error.suggestions] or list(labels.values())
            return Unclear(
                f"Sorry, I couldn't read that: {error.message}. Pick one of the buttons, or say it "
                "another way.",
                tuple(options),
            )
        return Unclear(f"Sorry, I couldn't read that: {error.message}.", question.examples)

    def _explain(self, found: Found) -> list[Reply]:
        replies: list[Reply] = [Explained(found.title, found.text, found.claims)]
        if self.current is not None:
            replies.append(self._ask(self.current))
        return replies

    # --- after the recommendation -------------------------------------------------------

    def _normalized(self, values: Mapping[str, Any]) -> Normalized:
        raw = {k: v for k, v in values.items() if v is not None}
        return normalize(raw, self.kb, strict=True, name="chat")

    def _recommend(self) -> list[Reply]:
        try:
            normalized = self._normalized(self.values)
        except AnswersError as error:  # pragma: no cover - every value was read strictly
            return [Said(f"Something in the answers cannot be used: {error}")]
        self.report = build_report(self.kb, self.engine, normalized)
        self.pending = None
        self._save()
        replies: list[Reply] = [Recommended(self.report)]
        if self.store is not None and self.store.error:
            replies.append(Said(f"Note: {self.store.error}."))
        return replies

    def why(self) -> list[Reply]:
        """The decision in plain language: scores, the rules that fired, those that did not."""
        report = self.report
        if report is None:
            return [
                Said(
                    "I will explain my reasons once I have a recommendation; let's finish "
                    "the questions first."
                ),
                *([self._ask(self.current)] if self.current else []),
            ]
        decision = report.decision
        names: dict[str, str] = {a.id: a.name.lower() for a in self.kb.approaches}
        lines = [
            "Scores: "
            + ", ".join(
                f"{names[a]} {decision.scores[a]:g}" + (" (ruled out)" if a in decision.excluded else "")
                for a in decision.ranking
            )
            + "."
        ]
        applied: list[str] = []
        missed: list[str] = []
        for entry in decision.trace:
            weights = decision.engine.weights[entry.rule.id]
            effects = [f"{w:+g} {names[a]}" for a, w in weights.items()]
            effects += [f"rules out {names[a]}" for a in self._excludes(entry.rule.id)]
            if not effects:
                continue
            if entry.fired:
                applied.append(f"Applied: {entry.rule.explanation} ({', '.join(effects)})")
            elif self._mattered(entry.rule.id, decision.winner):
                assert entry.failure is not None
                test, seen = entry.failure
                kind = self.kb.question[test.field].kind if test.field in self.kb.question else None
                missed.append(
                    f"Did not apply: {entry.rule.explanation} It applies when {test.text}; "
                    f"you said {format_value(seen, kind)}. ({', '.join(effects)})"
                )
        lines.extend(applied)
        lines.extend(missed)
        if decision.tied:
            lines.append(report.tie_policy)
        return [Traced(report, tuple(lines))]

    def _mattered(self, rule_id: str, winner: ApproachId) -> bool:
        """Whether a rule, had it applied, would have helped another approach against the winner."""
        weights = self.engine.weights[rule_id]
        helps_other = any(w > 0 for a, w in weights.items() if a != winner)
        return helps_other or weights.get(winner, 0) < 0 or winner in self._excludes(rule_id)

    def _excludes(self, rule_id: str) -> tuple[str, ...]:
        rule = self.kb.rule[rule_id]
        return tuple(e.exclude for e in rule.effects if e.exclude is not None)

    def _detect_changes(self, text: str) -> tuple[dict[str, Any], list[str], list[Unreadable]]:
        """Which answers a sentence such as "what if my budget were $50k" changes, and to what."""
        clean = _clean(text)
        fields: list[str] = []
        if "$" in text or re.search(r"\b(budget|usd|dollars?|spend|afford)\b", clean):
            fields.append("budget_usd")
        if re.search(r"\b(examples?|samples?|images?|rows?|records?|items?)\b", clean) and re.search(
            r"\d", clean
        ):
            fields.append("labeled_examples")
        elif re.search(r"\b(unlabell?ed|labell?ed|labels?|annotated|partially)\b", clean):
            fields.append("labels")
        if (
            re.search(r"\b(model|params?|parameters|\d+(\.\d+)?\s*[bm])\b|gpt|bert|resnet|llama", clean)
            and "budget_usd" not in fields
        ):
            fields.append("model_size")
        if re.search(r"\b(gpus?|tpus?|cpus?|hardware|laptop)\b", clean):
            fields.append("hardware")
        if re.search(r"\btask\b", clean):
            fields.append("task")
        changes: dict[str, Any] = {}
        notes: list[str] = []
        problems: list[Unreadable] = []
        body = re.sub(
            r"^\s*(what if|what about|and if|suppose|if|change|set|actually|make|update|"
            r"correction|oops)\b[\s,:]*",
            "",
            text,
            flags=re.IGNORECASE,
        )
        for field in fields:
            question = self.kb.question[field]
            try:
                reading = read_answer(question, body)
            except Unreadable as error:
                problems.append(error)
                continue
            changes[field] = reading.value
            notes.append(f"{question.name}: {self._shown(question, reading.value)}")
        if "labeled_examples" in changes and self.values.get("labels") == "unlabeled":
            changes.setdefault("labels", "labeled")
            notes.append("labels: labeled")
        return changes, notes, problems

    def _what_if_text(self, text: str) -> list[Reply]:
        if self.report is None:
            return [
                Said("Let's finish the questions first; then ask me what if."),
                *([self._ask(self.current)] if self.current else []),
            ]
        changes, notes, problems = self._detect_changes(text)
        if not changes:
            hint = f" ({problems[0].message})" if problems else ""
            return [
                Unclear(
                    f"I couldn't tell which answer to change{hint}. Try: what if my budget were $50k, "
                    "what if we had 20k labeled examples, what if we used a 7B model.",
                    ("what if my budget were $50k", "what if we had 20k labeled examples"),
                )
            ]
        return [self.what_if(changes, notes)]

    def what_if(self, changes: Mapping[str, Any], notes: list[str] | None = None) -> Compared:
        """The recommendation with some answers changed, without keeping the change."""
        assert self.report is not None
        values = self.engine.visible({**self.values, **changes})
        after = build_report(self.kb, self.engine, self._normalized(values))
        self.pending = dict(changes)
        described = tuple(notes or [f"{f}: {v}" for f, v in changes.items()])
        return self._compare(self.report, after, kept=False, changes=described)

    def keep(self) -> list[Reply]:
        """Keep the answers of the last what-if."""
        if self.pending is None:
            return [Said("There is no what-if to keep.")]
        changes, self.pending = self.pending, None
        return [
            Said("Kept."),
            *self._set_many(changes, {f: self._shown(self.kb.question[f], v) for f, v in changes.items()}),
        ]

    def _change_text(self, text: str, *, quiet_if_unknown: bool = False) -> list[Reply]:
        changes, _, problems = self._detect_changes(text)
        if not changes:
            if quiet_if_unknown:
                return [
                    Said(
                        "I have given my recommendation. You can ask why?, ask what if my budget were "
                        '$50k?, change an answer ("set the budget to $20k"), type export, or restart.'
                    )
                ]
            hint = f" ({problems[0].message})" if problems else ""
            return [
                Unclear(
                    f"I couldn't tell which answer to change{hint}. Click an answer on the "
                    "left to change it, or type back.",
                    (),
                )
            ]
        return self._set_many(changes, {f: self._shown(self.kb.question[f], v) for f, v in changes.items()})

    def _compare(
        self, before: Report, after: Report, *, kept: bool, changes: tuple[str, ...] = ()
    ) -> Compared:
        moved: list[str] = []
        if before.approach != after.approach:
            moved.append(f"The recommendation changes from {before.name.lower()} to {after.name.lower()}.")
        else:
            moved.append(f"The recommendation stays {after.name.lower()}.")
        if (round(before.cost.low), round(before.cost.high)) != (
            round(after.cost.low),
            round(after.cost.high),
        ):
            moved.append(
                f"Cost: {usd_range(before.cost.low, before.cost.high)} becomes "
                f"{usd_range(after.cost.low, after.cost.high)}."
            )
        if (
            before.budget.level != after.budget.level
            or before.normalized.answers.budget_usd != after.normalized.answers.budget_usd
        ):
            moved.append(f"Budget: it {after.budget.text}.")
        return Compared(before, after, changes, tuple(moved), kept)

    # --- export and saving ----------------------------------------------------------------

    def export(self, folder: Path) -> list[Reply]:
        """Write the report as Markdown and the answers as a file `advisor recommend` reproduces."""
        if self.report is None:
            return [Said("There is nothing to export yet: the recommendation comes after the questions.")]
        report_path = _free_path(folder / "advisor-report.md")
        answers_path = _free_path(folder / "advisor-answers.yaml")
        try:
            report_path.write_text(to_markdown(self.report), encoding="utf-8")
            answers_path.write_text(
                "# Answers from the advisor chat: `advisor recommend` on this file reproduces the report.\n"
                + yaml.safe_dump(
                    self.report.normalized.answers.to_file(), sort_keys=False, allow_unicode=True
                ),
                encoding="utf-8",
            )
        except OSError as error:
            return [Said(f"I could not write the files to {folder}: {error.strerror or error}.")]
        return [Exported(report_path, answers_path)]

    def _save(self) -> None:
        if self.store is None:
            return
        self.store.save(
            {
                "knowledge_version": self.kb.version,
                "values": self.values,
                "said": self.said,
                "current": self.current.id if self.current else None,
            }
        )

    def summary_line(self) -> str:
        """One line for the footer: how far along the questions are."""
        if self.offering_resume is not None:
            count = len(self.offering_resume["values"])
            return f"{count} saved answer{'s' if count != 1 else ''}: resume, or start over"
        if self.report is not None and self.current is None:
            cost = self.report.cost
            return f"Recommendation: {self.report.name} · {usd_range(cost.low, cost.high)}"
        expected = self._expected()
        if self.current is not None and self.current in expected:
            number = expected.index(self.current) + 1
        else:
            number = min(sum(1 for q in expected if q.id in self.values) + 1, len(expected))
        return f"Question {number} of {len(expected)}"


def _free_path(path: Path) -> Path:
    """``path``, or ``path`` with a number added when it exists already."""
    if not path.exists():
        return path
    for number in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path
