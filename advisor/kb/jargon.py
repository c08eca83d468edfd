"""Jargon one step away: every word of the glossary's jargon list that a person reads has a term.

The glossary's ``jargon`` lists the words a newcomer may not know, as the texts
spell them ("LoRA", "GPU-hour", "percentile"). :func:`uncovered_jargon` finds
each one that a text shown to a person uses (a question and its help, a rule's
explanation, caveat or next step, a FAQ answer, a cost assumption's
description, a rendered report) while no glossary term or alias covers it.
Words are compared whole, case folded, plurals folded ("epochs" is "epoch").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from advisor.errors import Problem
from advisor.kb.base import KnowledgeBase
from advisor.kb.models import Term
from advisor.text import Vocabulary, clean, singular

__all__ = ["Place", "covering_term", "knowledge_texts", "uncovered_jargon"]

Place = tuple[str, str, int | None]
"""Where a text is shown from: what it is ("rule 'x' caveat"), its file, its line."""


def knowledge_texts(kb: KnowledgeBase) -> Iterator[tuple[Place, str]]:
    """Every text of the knowledge base that a person reads, with where it comes from."""

    def at(kind: str, item: str, file: str, part: str) -> Place:
        return (f"{kind} {item!r} {part}", file, kb.lines.get((kind, item)))

    for question in kb.questions:
        place = at("question", question.id, "questions.yaml", "prompt")
        yield place, question.prompt
        yield at("question", question.id, "questions.yaml", "help"), question.help
        for choice in question.choices:
            parts = (("label", choice.label), ("help", choice.help), ("statement", choice.statement))
            for part, text in parts:
                if text:
                    where = at("question", question.id, "questions.yaml", f"choice {choice.value} {part}")
                    yield where, text
        if question.unsure is not None:
            for text in (question.unsure.said, question.unsure.ask):
                if text:
                    yield at("question", question.id, "questions.yaml", "not-sure reply"), text
    for rule in kb.rules:
        yield at("rule", rule.id, "rules.yaml", "explanation"), rule.explanation
        for effect in rule.effects:
            for part, text in (
                ("caveat", effect.caveat),
                ("next step", effect.next_step),
                ("try first", effect.try_first),
            ):
                if text:
                    yield at("rule", rule.id, "rules.yaml", part), text
    for approach in kb.approaches:
        yield at("approach", approach.id, "approaches.yaml", "summary"), approach.summary
        yield at("approach", approach.id, "approaches.yaml", "needs"), approach.needs
    for entry in kb.faq:
        yield at("faq entry", entry.id, "faq.yaml", "question"), entry.question
        yield at("faq entry", entry.id, "faq.yaml", "answer"), entry.answer
    for assumption in kb.costs.assumptions:
        where = at("assumption", assumption.id, "costs.yaml", "description")
        yield where, f"{assumption.unit}. {assumption.why}"
    for quantity in kb.costs.quantities:
        yield at("quantity", quantity.id, "costs.yaml", "text"), quantity.text
    for line in kb.costs.lines:
        yield at("cost line", line.id, "costs.yaml", "text"), line.text


def _covered(kb: KnowledgeBase) -> set[str]:
    return {
        form
        for term in kb.terms
        for phrase in (term.term, *term.aliases)
        for form in (clean(phrase), singular(clean(phrase)))
    }


def jargon_terms(kb: KnowledgeBase) -> tuple[Term, ...]:
    """The terms that explain a word of the jargon list: the words a report lists at its end
    and links on the card ("LoRA", "percentile"), not everyday ones ("model", "dataset")."""
    by_form: dict[str, str] = {}
    for term in kb.terms:
        for phrase in (term.term, *term.aliases):
            for form in (clean(phrase), singular(clean(phrase))):
                by_form.setdefault(form, term.id)
    wanted = {
        by_form[form]
        for word in kb.glossary.jargon
        for form in (clean(word), singular(clean(word)))
        if form in by_form
    }
    return tuple(term for term in kb.terms if term.id in wanted)


def covering_term(kb: KnowledgeBase, word: str) -> str | None:
    """The id of the glossary term whose name or alias is ``word`` (plurals folded), if any."""
    wanted = {clean(word), singular(clean(word))}
    for term in kb.terms:
        for phrase in (term.term, *term.aliases):
            if {clean(phrase), singular(clean(phrase))} & wanted:
                return term.id
    return None


def uncovered_jargon(kb: KnowledgeBase, reports: Iterable[tuple[Place, str]] = ()) -> list[Problem]:
    """One problem per jargon word that a text uses and no glossary term or alias covers: the
    word, the first place it is used and how many others, and the fix."""
    covered = _covered(kb)
    missing = [word for word in kb.glossary.jargon if not {clean(word), singular(clean(word))} & covered]
    if not missing:
        return []
    words = Vocabulary((word, word) for word in missing)
    used: dict[str, list[Place]] = {}
    for place, text in (*knowledge_texts(kb), *reports):
        for match in words.spotted(text):
            used.setdefault(match.thing, []).append(place)
    problems = []
    for word in missing:
        places = used.get(word)
        if not places:
            continue
        what, file, at = places[0]
        where = f"{what} ({file}{f', line {at}' if at else ''})"
        others = len({place[0] for place in places}) - 1
        if others:
            where += f" and {others} other place{'s' if others > 1 else ''}"
        problems.append(
            Problem(
                f"jargon word {word!r} is used in {where}, but no glossary term or alias covers it; "
                "add a term for it to glossary.yaml (or the word to a term's aliases)",
                "glossary.yaml",
                kb.lines.get(("jargon", word), kb.lines.get(("glossary", "jargon"))),
            )
        )
    return problems
