"""What a line's counts imply about the labels: the labeled count from all the data ("10k images,
all labeled"), the raw rest ("2k of our 10k are labeled"), some of it labeled when a line counts
both ("800 labeled fakes, 40k unlabeled", "400 of them marked, the rest nobody looked at"), and
no labels at all when it says none are ("none" at the count).

Each step reads and adds to the answers a line has
heard so far.
"""

from __future__ import annotations

from typing import Any

from advisor.answers import asked
from advisor.kb.base import iter_leaves
from advisor.kb.fields import UNLABELED_EXAMPLES
from advisor.kb.models import Question
from advisor.scope import stance_of
from advisor.understanding.hearing import Hearing
from advisor.understanding.results import Heard

__all__ = ["derive", "none_labeled", "rest_is_raw", "some_of_each"]


def rest_is_raw(reading: Hearing) -> bool:
    """Whether a clause says the rest of the data has no labels ("the rest nobody looked at",
    "the rest are raw", "the rest not labeled")."""
    labels, raw = reading.parts.amounts.labels, reading.parts.amounts.raw
    for clause in reading.line.clauses:
        if not (clause.has("rest") or clause.has("others") or clause.has("remainder")):
            continue
        if (
            clause.has("nobody")
            or clause.has("no one")
            or (raw and reading.parts.reader.mentions(raw, clause.text))
        ):
            return True
        said = stance_of(labels, clause.text, bare=True) if labels else None
        if said is not None and said.stance == "negated":
            return True
    return False


def some_of_each(reading: Hearing) -> None:
    """A count of labeled examples and one of raw ones: some of the data is labeled, whatever
    single word of the line said otherwise ("800 labeled fakes, 40k unlabeled")."""
    amounts = reading.parts.amounts
    labels, raw = amounts.labels, amounts.raw
    if labels is None or raw is None:
        return
    labeled, unlabeled = reading.heard.get(amounts.count.id), reading.heard.get(raw.id)
    partial = next((c.value for c in labels.choices if c.stance == "partial"), None)
    if labeled is None or unlabeled is None or partial is None:
        return
    if labeled.value and unlabeled.value:
        reading.hear(Heard(labels.id, partial, f"{labeled.words}, {unlabeled.words}", True))
        reading.derived.add(labels.id)


def derive(reading: Hearing, total: int | None, fractions: dict[str, float]) -> int | None:
    """The counts from all the data: the labeled count, then the unlabeled one."""
    left = derive_labeled(reading, total, fractions)
    if total is not None:
        derive_unlabeled(reading, total)
    return left


def derive_unlabeled(reading: Hearing, total: int) -> None:
    """The examples without labels from all the data: all of it when none is labeled ("3,000
    x-rays, nobody tagged them"), the rest when some is ("2k of our 10k are labeled")."""
    question = reading.kb.question.get(UNLABELED_EXAMPLES)
    if question is None or question.id in reading.heard:
        return
    values = {**reading.known, **{h.field: h.value for h in reading.heard.values()}}
    if not asked(question, values):
        return
    scoped = next(
        (
            reading.kb.question[leaf.field]
            for leaf in iter_leaves(question.ask_when)
            if leaf.field in reading.kb.question
        ),
        None,
    )
    if scoped is None:
        return
    stance = next((c.stance for c in scoped.choices if c.value == values.get(scoped.id)), None)
    labeled = values.get(reading.parts.amounts.count.id)
    if stance == "negated":
        unlabeled = total
    elif stance == "partial" and isinstance(labeled, int | float) and total > labeled:
        unlabeled = int(total - labeled)
    else:
        return
    reading.hear(Heard(question.id, unlabeled, f"{unlabeled:,}", True))
    if unlabeled != total:
        reading.notes[question.id] = f"{total:,} in all, less the labeled"


def derive_labeled(reading: Hearing, total: int | None, fractions: dict[str, float]) -> int | None:
    """The labeled count from all the data: "10k images, all labeled" is 10,000 labeled;
    "half of 10k" is 5,000; 2,000 labeled of 10,000 is some of it labeled."""
    count = reading.parts.amounts.count
    depends = [
        reading.kb.question[f] for f in dict.fromkeys(leaf.field for leaf in iter_leaves(count.ask_when))
    ]
    scoped = next((q for q in depends if q.subject), None)
    if scoped is None:
        return total
    stances = {choice.stance: choice.value for choice in scoped.choices if choice.stance}
    labels = reading.heard.get(scoped.id)
    value = labels.value if labels else reading.known.get(scoped.id)
    labeled = reading.heard.get(count.id)
    if (
        labeled is not None
        and total is not None
        and labeled.value < total
        and value in (None, stances.get("affirmed"))
    ):
        reading.hear(Heard(scoped.id, stances.get("partial"), labeled.words, True))
        reading.derived.add(scoped.id)
        return None
    if labeled is not None or total is None:
        return total
    if value == stances.get("affirmed"):
        reading.hear(Heard(count.id, total, f"{total:,}", True))
        reading.notes[count.id] = f"all of the {total:,}"
        return None
    fraction = fractions.get(scoped.id, reading.share)
    if value == stances.get("partial") and fraction is not None:
        share = round(total * fraction)
        reading.hear(Heard(count.id, share, f"{share:,}", True))
        reading.notes[count.id] = f"{fraction:.0%} of {total:,}"
        return None
    return total


def none_labeled(reading: Hearing, heard: Heard) -> None:
    """No labeled examples: the question it depends on says so ("none" at the count)."""
    count = reading.kb.question[heard.field]
    del reading.heard[heard.field]
    for name in dict.fromkeys(leaf.field for leaf in iter_leaves(count.ask_when)):
        question = reading.kb.question[name]
        negated = next((c.value for c in question.choices if c.stance == "negated"), None)
        if negated is not None:
            reading.heard[name] = Heard(
                name, negated, heard.words, True, f"no {count.name} means {_statement(question, negated)}"
            )


def _statement(question: Question, value: Any) -> str:
    choice = next((c for c in question.choices if c.value == value), None)
    if choice is not None and choice.statement:
        return choice.statement
    return f"{question.name}: {value}"
