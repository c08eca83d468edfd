"""Answers to what a newcomer asks: "why not supervised?", "what would it cost?", "can I do this for free?".

A line that asks something is answered here and never read as an answer to
a question. In order: what the chat can do; "why not X?" (the report's why-not
of X, with its cost); "what would X cost?"; "what's the difference between A
and B?" (approaches, choices or glossary terms); "can I do this for free?" (the
cheapest plan); then the FAQ and the glossary (:mod:`advisor.chat.lookup`).
What none of these answers is said to have no answer, with the three closest
topics to ask about instead, never a wrong answer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from advisor.chat.lookup import Lookup
from advisor.chat.replies import Explained
from advisor.formatting import usd_range
from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Approach, ApproachId, FaqEntry, Question
from advisor.records import dataclass
from advisor.text import Vocabulary, clean

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = ["CAPABILITIES", "Followups"]

CAPABILITIES = (
    "I help you choose how to fine-tune a model (supervised fine-tuning, unsupervised "
    "fine-tuning or transfer learning), estimate what it costs in compute, data, people and "
    "tools, and show the sources for every reason. Answer my questions in your own words: one "
    "line can answer several (“5k labelled tickets, BERT, $3k”). You can also ask what a word "
    "means (“what is transfer learning?”), correct an answer (“actually, only half are "
    "labeled”), and after my recommendation ask “why?”, “why not supervised?”, “what would "
    "supervised cost?”, “what if my budget were $50k?” or “can I do this for free?”. Set a cost "
    "assumption in words (“we'll do it in-house”, “our engineers cost $1,500 a week”). Say "
    "“explain as we go” to hear why each question matters, “stop explaining” to keep it short. "
    "Type back, restart (undo brings your answers back), export, or quit."
)

_CAN_DO = re.compile(
    r"^(?:what (?:can|do|could) (?:you|u) do|what are you|who are you|what do you do|how does this work|"
    r"what is this|how do (?:i|you) use (?:this|you)|what can i (?:ask|do|say))\b"
)
_WHY_NOT = re.compile(
    r"^(?:why (?:not|no|isnt it|wouldnt|dont you (?:recommend|suggest)|not use)|why (?:isnt|is not)|"
    r"is|isnt|wouldnt|would|what about|how about|shouldnt i use|should i (?:not )?use|why)\b"
)
_COST = re.compile(r"\b(?:cost|costs|price|pricing|expensive|cheap|how much)\b")
_DIFFERENCE = re.compile(
    r"(?:difference|differences|diff) between (?P<a>.+?) and (?P<b>.+)$"
    r"|^(?:compare|comparing) (?P<c>.+?) (?:and|with|to|vs) (?P<d>.+)$"
    r"|^(?P<e>.+?) (?:vs|versus|or) (?P<f>.+)$"
)
_FRAME = re.compile(
    r"^(?:(?:so |and |but )?(?:should|shall|do|would|could|can|must) (?:i|we) (?:use|choose|pick|go with|"
    r"take|do|start with|start from)|which is better|is it|are they|what is|whats|what are)\s+"
)
_FREE = re.compile(
    r"\b(?:free|for nothing|without paying|no money|zero budget|cheapest|least expensive|lowest cost|"
    r"cheapest way|cheapest option|most cost effective|cheaper)\b"
)


@dataclass(frozen=True, slots=True)
class _Thing:
    """Something a question can name: an approach, a choice of a question, or a glossary term."""

    title: str
    text: str
    claims: tuple[str, ...]
    approach: Approach | None = None


class Followups:
    """Answers questions for one knowledge base."""

    def __init__(self, kb: KnowledgeBase, lookup: Lookup | None = None) -> None:
        self.kb = kb
        self.lookup = lookup or Lookup(kb)
        self._approaches: Vocabulary[ApproachId] = Vocabulary(
            (phrase, approach.id)
            for approach in kb.approaches
            for phrase in (approach.name, approach.id, *approach.aliases)
        )
        things: list[tuple[str, _Thing]] = []
        for approach in kb.approaches:
            thing = _Thing(
                approach.name,
                f"{approach.summary} The documents rank its cost {approach.tier}.",
                approach.claims,
                approach,
            )
            things.extend((phrase, thing) for phrase in (approach.name, approach.id, *approach.aliases))
        for question in kb.questions:
            for choice in question.choices:
                thing = _Thing(choice.label, choice.help or choice.label, question.claims)
                things.extend((phrase, thing) for phrase in (choice.value, choice.label, *choice.aliases))
        for term in kb.terms:
            thing = _Thing(term.term, term.definition, term.claims)
            things.extend((phrase, thing) for phrase in (term.term, *term.aliases))
        self._things: Vocabulary[_Thing] = Vocabulary(things)

    # --- what a question names ----------------------------------------------------------

    def approaches_in(self, text: str) -> list[ApproachId]:
        return [match.thing for match in self._approaches.spotted(text)]

    def _thing(self, words: str) -> _Thing | None:
        words = _FRAME.sub("", clean(words)).strip()
        words = re.sub(r"^(?:a|an|the|using|use)\s+", "", words)
        if not words:
            return None
        match = self._things.match(words, cutoff=85, margin=0, prefix=False)
        if match is not None:
            return match.thing
        if len(words.split()) > 4:  # "do I even need fine-tuning, or ...": a question, not a name
            return None
        spotted = self._things.spotted(words)
        return spotted[0].thing if len(spotted) == 1 else None

    # --- answering -------------------------------------------------------------------------

    def recognize(self, text: str, report: Report | None) -> list[Explained] | None:
        """An answer if the question is one this class knows for sure; ``None`` otherwise."""
        cleaned = clean(text)
        if _CAN_DO.match(cleaned):
            return [Explained("What I can do", CAPABILITIES, ())]
        approaches = list(dict.fromkeys(self.approaches_in(text)))
        difference = _DIFFERENCE.search(cleaned)
        if difference is not None:
            a = difference["a"] or difference["c"] or difference["e"]
            b = difference["b"] or difference["d"] or difference["f"]
            first, second = self._thing(a), self._thing(b)
            if first is not None and second is not None and first != second:
                found = None if first.approach or second.approach else self.lookup.answer(text)
                if found is not None and isinstance(found.entry, FaqEntry):  # "small vs medium model?"
                    return [Explained(found.title, found.text, found.claims)]
                return [self._difference(first, second, report)]
        if len(approaches) == 1:
            approach = self.kb.approach[approaches[0]]
            if _COST.search(cleaned) and not _WHY_NOT.match(cleaned.replace("how much", "")):
                return [self._cost(approach, report)]
            if _WHY_NOT.match(cleaned):
                return [self._why_not(approach, report)]
        if _FREE.search(cleaned):
            return [self._cheapest(report)]
        if (
            not approaches
            and report is not None
            and _COST.search(cleaned)
            and re.match(r"^(?:what|how much)\b.*\b(?:it|this|that|the plan|the recommendation)\b", cleaned)
        ):
            return [self._cost(self.kb.approach[report.approach], report)]
        found = self.lookup.answer(text)
        if found is not None:
            return [Explained(found.title, found.text, found.claims)]
        return None

    def answer(self, text: str, report: Report | None, current: Question | None) -> list[Explained]:
        """An answer, always: what is known, else the help of the question on screen, else what I can do."""
        known = self.recognize(text, report)
        if known is not None:
            return known
        topics = "; ".join(f"“{topic}”" for topic in self.lookup.topics(text))
        then = " Type help to have my question explained." if current is not None else ""
        return [
            Explained(
                "I don't have an answer to that",
                f"The closest topics I can explain: {topics}. Ask about one of those.{then}",
                (),
            )
        ]

    def _why_not(self, approach: Approach, report: Report | None) -> Explained:
        if report is None:
            return Explained(
                approach.name,
                f"{approach.summary} It needs: {approach.needs} Once you have answered my "
                "questions I can say whether it suits you, and what it would cost.",
                approach.claims,
            )
        if report.approach == approach.id:
            return Explained(
                f"{approach.name} is what I recommend",
                f"{report.summary.text} Estimated at {usd_range(report.cost.low, report.cost.high)}: "
                f"it {report.budget.text}. Ask why? to see how I decided.",
                report.summary.claims,
            )
        alternative = next(alt for alt in report.alternatives if alt.approach == approach.id)
        reasons = " ".join(reason.text for reason in alternative.why_not)
        claims = tuple(dict.fromkeys(c for reason in alternative.why_not for c in reason.claims))
        return Explained(
            f"Why not {approach.name.lower()}?",
            f"It would cost {usd_range(alternative.cost.low, alternative.cost.high)}, which "
            f"{alternative.budget.text}. {reasons} {alternative.would_win}".strip(),
            claims or approach.claims,
        )

    def _cost(self, approach: Approach, report: Report | None) -> Explained:
        if report is None:
            return Explained(
                f"What {approach.name.lower()} costs",
                f"The documents rank its cost {approach.tier} (from $ to $$$). I can estimate it for "
                "you once you have answered my questions.",
                approach.claims,
            )
        cost = report.decision.costs[approach.id]
        parts = ", ".join(f"{c.category} {usd_range(c.low, c.high)}" for c in cost.categories if c.high > 0)
        verdict = (
            report.budget.text
            if report.approach == approach.id
            else next(a.budget.text for a in report.alternatives if a.approach == approach.id)
        )
        claims = tuple(dict.fromkeys(c for category in cost.categories for c in category.claims))
        return Explained(
            f"What {approach.name.lower()} would cost",
            f"About {usd_range(cost.low, cost.high)} for your answers ({parts}); it {verdict}.",
            claims,
        )

    def _difference(self, first: _Thing, second: _Thing, report: Report | None) -> Explained:
        def said(thing: _Thing) -> str:
            text = thing.text
            if thing.approach is not None and report is not None:
                cost = report.decision.costs[thing.approach.id]
                text += f" For your answers: about {usd_range(cost.low, cost.high)}."
            return f"{thing.title}: {text}"

        return Explained(
            f"{first.title} or {second.title}",
            f"{said(first)}\n\n{said(second)}",
            tuple(dict.fromkeys((*first.claims, *second.claims))),
        )

    def _cheapest(self, report: Report | None) -> Explained:
        if report is None:
            cheapest = min(self.kb.approaches, key=lambda a: len(a.tier))
            return Explained(
                "Can it be done for free?",
                "Not entirely: even the cheapest way needs computing, data and someone's time. "
                f"{cheapest.name} is generally the cheapest approach (the documents rank it "
                f"{cheapest.tier}). Answer my questions and I will price the cheapest plan for you.",
                cheapest.claims,
            )
        costs = report.decision.costs
        best = min(costs, key=lambda a: (costs[a].low, costs[a].high))
        cost = costs[best]
        largest = max(cost.categories, key=lambda c: c.high)
        name = self.kb.approach[best].name
        text = (
            f"Not for free, by my estimate. The cheapest plan for your answers is {name.lower()}, "
            f"at {usd_range(cost.low, cost.high)}; the largest part is {largest.category} "
            f"({usd_range(largest.low, largest.high)})."
        )
        if best != report.approach:
            text += (
                f" I still recommend {report.name.lower()} for your answers: ask why not "
                f"{name.lower()}? to compare them."
            )
        elif report.fit_hint:
            text += f" {report.fit_hint}"
        text += (
            " If your own team does the work, say “we'll do it in-house” and their time is not "
            "counted as money."
        )
        sizes = [q for q in self.kb.questions if q.kind == "model_size"]
        for question in sizes:
            order = [choice.value for choice in question.choices]
            if report.normalized.answers.values.get(question.id) in order[1:]:
                text += f" A smaller model costs less too ({question.choices[0].label})."
        return Explained("The cheapest plan", text, self.kb.approach[best].claims)
