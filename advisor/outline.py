"""The report's outline: one ordered list of sections that every rendering walks.

A :class:`~advisor.report.Report` holds what was decided and why; :func:`outline_of` says it
once, in reading order: the summary, the cost, its picture, what moves it, why, why not (a
section per alternative), caveats, next steps, the assumptions, how the answers were read,
the sources, and last the glossary's words it uses (:mod:`advisor.terms`). Each section is
a few blocks of a handful of kinds (a paragraph, a list, the cost table...). Text and
Markdown (:mod:`advisor.render`) and the chat's card
(:mod:`advisor.tui.widgets`) render those blocks, each in its own medium: they choose the
look (markers, emphasis, folds, what a small card leaves to the full document), never the
content or the order.

Sections belong to groups (:data:`GROUPS`): :meth:`Outline.through` keeps the sections up to
one group, so a shorter rendering is the same renderer given fewer sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, Literal

from advisor.chart import Chart, lay_out
from advisor.decision.estimates import CostEstimate
from advisor.decision.ranking import BudgetLevel
from advisor.formatting import format_amount, format_params, format_usd, usd_range, with_article
from advisor.kb.fields import DATA_LOCATION, DOMAIN, TASK_FIELDS
from advisor.kb.jargon import jargon_terms
from advisor.kb.models import Assumption, Term
from advisor.records import dataclass
from advisor.report import Alternative, Method, Numbering, Reason, Report
from advisor.terms import Terms

__all__ = [
    "GROUPS",
    "SECTIONS",
    "AssumptionEntry",
    "AssumptionList",
    "Block",
    "CostRow",
    "CostTable",
    "Counterfactual",
    "Group",
    "Headline",
    "Item",
    "Items",
    "Name",
    "Outline",
    "Paragraph",
    "Picture",
    "Section",
    "SectionKind",
    "SourceEntry",
    "SourceList",
    "Verdict",
    "Words",
    "fragments",
    "method_sentence",
    "outline_of",
]

SectionKind = Literal[
    "glance",
    "deciding",
    "first_steps",
    "summary",
    "first",
    "cost",
    "chart",
    "sensitivity",
    "why",
    "why_not",
    "caveats",
    "next_steps",
    "assumptions",
    "readings",
    "sources",
    "glossary",
]
"""What a section is about; ``why_not`` comes once per alternative."""

Group = Literal["glance", "summary", "reasons", "reference"]
GROUPS: tuple[Group, ...] = ("glance", "summary", "reasons", "reference")
"""The groups of sections, in order: the first screen (what to do, what it costs, the reasons
that decided, the next three steps); the plan and its cost in full; the reasons for it and
against the others; what it rests on."""

SECTIONS: Mapping[SectionKind, Group] = {
    "glance": "glance",
    "deciding": "glance",
    "first_steps": "glance",
    "summary": "summary",
    "first": "summary",
    "cost": "summary",
    "chart": "summary",
    "sensitivity": "reasons",
    "why": "reasons",
    "why_not": "reasons",
    "caveats": "reasons",
    "next_steps": "reasons",
    "assumptions": "reference",
    "readings": "reference",
    "sources": "reference",
    "glossary": "reference",
}
"""Every kind of section in the order a report shows them, and the group each belongs to."""


# --- blocks -------------------------------------------------------------------------------------


class Name(str):
    """An identifier a person may type back (an assumption's id): code, in Markdown."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Headline:
    """The recommended approach, named at the top."""

    name: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The recommended plan's cost and how it compares with the budget."""

    range: str
    worst_case: str
    budget: str
    """How the range compares with the budget, as a sentence after "It"."""
    level: BudgetLevel


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A sentence or a few, with the claims behind them."""

    text: str
    claims: tuple[str, ...] = ()
    detail: bool = False
    """For a full document only: the chat's card leaves it out."""
    note: bool = False
    """A remark about the figures rather than a statement of them."""


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a list: its text in parts (:class:`Name` parts are identifiers) and claims."""

    parts: tuple[str, ...]
    claims: tuple[str, ...] = ()
    alert: bool = False
    """Something that would change the recommendation."""

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True, slots=True)
class Items:
    """A list, numbered where its order is a ranking."""

    items: tuple[Item, ...]
    numbered: bool = False
    detail: bool = False
    """For a full document only: the chat's card leaves it out."""


@dataclass(frozen=True, slots=True)
class CostRow:
    """A category of the cost (or the total), its dollars formatted, and what it rests on."""

    category: str
    low: str
    high: str
    claims: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CostTable:
    """The recommended plan's cost by category, then the total."""

    rows: tuple[CostRow, ...]
    total: CostRow
    weeks: str | None
    """The time the personnel line stands for ("1.5 – 3 engineer-weeks"), if any."""


@dataclass(frozen=True, slots=True)
class Picture:
    """The picture of the cost (:mod:`advisor.chart`)."""

    chart: Chart


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """What would make an alternative the recommendation."""

    text: str
    possible: bool
    """Whether any change of answers would."""


@dataclass(frozen=True, slots=True)
class AssumptionEntry:
    """An assumption in force: its name in words and its id, value and unit, and why it is what
    it is."""

    id: str
    name: str | None
    """What it is in a few plain words; ``None`` when the knowledge base gives none."""
    value: str
    unit: str
    yours: bool
    """The person set it."""
    why: str
    claims: tuple[str, ...]
    as_of: str | None
    reference: str | None
    used_for: tuple[str, ...] = ()
    """The cost categories of the recommended plan whose dollars it moves."""

    @property
    def named(self) -> str:
        """Its name, then its id for an override: "Training runs (training_runs)"."""
        return f"{self.name} ({self.id})" if self.name else self.id


@dataclass(frozen=True, slots=True)
class AssumptionList:
    """The assumptions the estimates use."""

    entries: tuple[AssumptionEntry, ...]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A cited claim's quote and the document it is from; citation n is the n-th entry."""

    quote: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class SourceList:
    """Every cited claim, numbered in order of first use."""

    entries: tuple[SourceEntry, ...]


@dataclass(frozen=True, slots=True)
class Words:
    """The glossary's terms a report uses, each once, in the order of first use."""

    terms: tuple[Term, ...]
    detail: ClassVar[bool] = True
    """For a full document only: the chat's card makes the terms links instead."""


Block = (
    Headline
    | Verdict
    | Paragraph
    | Items
    | CostTable
    | Picture
    | Counterfactual
    | AssumptionList
    | SourceList
    | Words
)


def fragments(block: Block) -> tuple[str, ...]:
    """The words of a block that every medium showing it shows (for checking renderings)."""
    match block:
        case Headline(name):
            return (name,)
        case Verdict(range=amounts, budget=budget):
            return (amounts, budget)
        case Paragraph(text=text) | Counterfactual(text=text):
            return (text,)
        case Items(items=items):
            return tuple(item.text for item in items)
        case CostTable(rows=rows, total=total):
            return tuple(part for row in (*rows, total) for part in (row.category, row.low, row.high))
        case Picture():
            return ()
        case AssumptionList(entries=entries):
            return tuple(part for entry in entries for part in (entry.named, entry.value, entry.why))
        case SourceList(entries=entries):
            return tuple(part for entry in entries for part in (entry.quote, entry.title))
        case Words(terms=terms):
            return tuple(part for term in terms for part in (term.term, " ".join(term.definition.split())))


# --- sections and the outline -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the report: what it is about, its heading (if any) and its blocks."""

    kind: SectionKind
    title: str | None
    blocks: tuple[Block, ...]
    aside: str | None = None
    """A few words a folded section's heading may add (an alternative's cost range)."""

    @property
    def group(self) -> Group:
        return SECTIONS[self.kind]


@dataclass(frozen=True, slots=True)
class Outline:
    """The report as ordered sections, with the citation numbers they share."""

    sections: tuple[Section, ...]
    numbering: Numbering
    """Each cited claim's number: the n-th entry of the sources is number n."""

    def through(self, group: Group) -> Outline:
        """The sections up to and including ``group``'s: a shorter report, in the same order."""
        last = GROUPS.index(group)
        kept = tuple(s for s in self.sections if GROUPS.index(s.group) <= last)
        return Outline(kept, self.numbering)

    @property
    def chart(self) -> Chart | None:
        """The picture of the cost, if the outline has one."""
        return next(
            (b.chart for s in self.sections for b in s.blocks if isinstance(b, Picture)),
            None,
        )


def outline_of(report: Report) -> Outline:
    """The report's sections, in the order every rendering shows them."""
    sections = (
        *_glance(report),
        Section("summary", "The plan", _summary(report)),
        *_first(report),
        Section("cost", "The cost", _cost(report)),
        Section("chart", None, (Picture(lay_out(report)),)),
        *_sensitivity(report),
        *_listed("why", "More reasons", report.more_reasons, numbered=True),
        *(_why_not(report, alternative) for alternative in report.alternatives),
        *_listed("caveats", "Caveats", report.caveats),
        *_listed("next_steps", "More next steps", _not_said(report.next_steps, report.first_steps)),
        Section("assumptions", "Assumptions", (_assumptions(report),)),
        *_readings(report),
        Section("sources", "Sources", (_sources(report),)),
    )
    return Outline((*sections, *_glossary(report, sections)), report.numbering)


def _glance(report: Report) -> tuple[Section, ...]:
    """The first screen: what to do (the plan's name, a plain sentence, where it runs when the
    verdict does not say so), what it costs against the budget, the reasons that decided and the
    next steps, as the report chose them to fit one screen."""
    hardware = () if report.hardware.short is None else (Paragraph(report.hardware.short),)
    steps = Items(tuple(Item((step.text,), step.claims) for step in report.first_steps), numbered=True)
    cheaper = () if report.cheaper is None else (Paragraph(report.cheaper),)
    top = (Headline(report.name), Paragraph(report.plain), *hardware, _verdict(report), *cheaper)
    return (
        Section("glance", None, top),
        Section("deciding", "Why", (_items(report.deciding, numbered=True),)),
        *((Section("first_steps", "Next steps", (steps,)),) if report.first_steps else ()),
    )


def _verdict(report: Report) -> Verdict:
    cost = report.cost
    return Verdict(
        usd_range(cost.low, cost.high), format_usd(report.worst_case), report.budget.text, report.budget.level
    )


def _summary(report: Report) -> tuple[Block, ...]:
    """Whether the hardware named can run the plan (why not, and the nearest plan that works);
    what the approach is."""
    hardware = () if report.hardware.text is None else (Paragraph(report.hardware.text),)
    return (*hardware, _paragraph(report.summary))


def _first(report: Report) -> tuple[Section, ...]:
    """Before the plan: what a practitioner would try before fine-tuning, with its reference."""
    if not report.first:
        return ()
    items = tuple(Item((f"{path.text} (See {path.reference}, {path.as_of}.)",)) for path in report.first)
    return (Section("first", "Before you fine-tune", (Items(items),)),)


def _paragraph(reason: Reason) -> Paragraph:
    return Paragraph(reason.text, reason.claims)


def _items(reasons: Iterable[Reason], *, numbered: bool = False) -> Items:
    return Items(tuple(Item((reason.text,), reason.claims) for reason in reasons), numbered=numbered)


def _cost(report: Report) -> tuple[Block, ...]:
    """The cost in full (its verdict is on the first screen): running it, what would fit or bring
    it down, the method, the table and what the ranges mean."""
    blocks: list[Block] = []
    if report.serving.text:
        blocks.append(Paragraph(report.serving.text))
    if report.fit_hint:
        blocks.append(Paragraph(report.fit_hint))
    if report.savings:
        blocks.append(Paragraph("What would bring it down:", detail=True))
        savings = (
            Item((f"{s.text[:1].upper()}{s.text[1:]}: {usd_range(s.cost.low, s.cost.high)}",))
            for s in report.savings
        )
        blocks.append(Items(tuple(savings), detail=True))
    blocks.append(Paragraph(method_sentence(report.method), detail=True))
    blocks.append(_cost_table(report))
    blocks.append(Paragraph(report.interval, detail=True, note=True))
    return tuple(blocks)


def _cost_table(report: Report) -> CostTable:
    cost = report.cost
    rows = []
    for category in cost.categories:
        claims, assumptions = report.sources(report.approach, category.lines)
        rows.append(
            CostRow(
                category.category, format_usd(category.low), format_usd(category.high), claims, assumptions
            )
        )
    return CostTable(tuple(rows), CostRow("total", format_usd(cost.low), format_usd(cost.high)), _weeks(cost))


def _weeks(cost: CostEstimate) -> str | None:
    """The time a personnel line shows ("1.5 – 3.0 engineer-weeks"), if any."""
    return None if cost.weeks is None else f"{cost.weeks} engineer-weeks"


def _sensitivity(report: Report) -> tuple[Section, ...]:
    """What moves the cost: the assumptions that swing it most, and any that would flip the advice."""
    if not (report.swings or report.flips):
        return ()
    items = []
    for swing in report.swings:
        cheap, dear = sorted((swing.at_low, swing.at_high))
        span = format_amount(*report.decision.assumed[swing.assumption.id])
        rest = f": {usd_range(cheap, dear)} across its range ({span} {swing.assumption.unit})"
        items.append(Item((*_named(swing.assumption), rest)))
    for flip in report.flips:
        instead = report.kb.approach[flip.approach].name.lower()
        rest = f" = {flip.value:g}, {instead} would be recommended instead."
        items.append(Item(("At ", *_named(flip.assumption), rest), alert=True))
    return (Section("sensitivity", "What moves the cost", (Items(tuple(items), detail=True),)),)


def _named(assumption: Assumption) -> tuple[str, ...]:
    """An assumption's name in words, then its id (which an override writes) in parentheses."""
    if assumption.name is None:
        return (Name(assumption.id),)
    return (f"{assumption.name} (", Name(assumption.id), ")")


def _why_not(report: Report, alternative: Alternative) -> Section:
    cost = alternative.cost
    verdict = {"fits": ", fits the budget", "tight": ", may exceed the budget", "over": ", over budget"}
    estimate = f"Estimated {usd_range(cost.low, cost.high)}{verdict.get(alternative.budget.level, '')}."
    blocks = (
        Paragraph(estimate, report.cost_claims(alternative.approach), detail=True),
        _items(alternative.why_not),
        Counterfactual(alternative.would_win, alternative.would_win_if is not None),
    )
    title = f"Why not {alternative.name.lower()}"
    return Section("why_not", title, blocks, aside=usd_range(cost.low, cost.high))


def _listed(
    kind: SectionKind, title: str, reasons: tuple[Reason, ...], *, numbered: bool = False
) -> tuple[Section, ...]:
    return (Section(kind, title, (_items(reasons, numbered=numbered),)),) if reasons else ()


def _not_said(reasons: tuple[Reason, ...], said: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """The reasons the first screen did not say as they are (a step it shortened is said in full)."""
    shown = {reason.text for reason in said}
    return tuple(reason for reason in reasons if reason.text not in shown)


def _assumptions(report: Report) -> AssumptionList:
    used_for: dict[str, list[str]] = {}
    for category in report.cost.categories:
        for name in report.sources(report.approach, category.lines)[1]:
            used_for.setdefault(name, []).append(category.category)
    return AssumptionList(
        tuple(
            AssumptionEntry(
                assumption.id,
                assumption.name,
                format_amount(*value),
                assumption.unit,
                overridden,
                " ".join(assumption.why.split()),
                assumption.claims,
                assumption.as_of,
                assumption.reference,
                tuple(used_for.get(assumption.id, ())),
            )
            for assumption, value, overridden in report.assumptions
        )
    )


def _readings(report: Report) -> tuple[Section, ...]:
    """How the answers were read: the project as the advice sees it, what was read fuzzily,
    and what was assumed."""
    project = _project(report)
    found = ((project,) if project else ()) + tuple(report.warnings)
    if not found:
        return ()
    items = Items(tuple(Item((line,)) for line in found), detail=True)
    return (Section("readings", "How I read your answers", (items,)),)


def _project(report: Report) -> str:
    """The project in one line: "The model gives each input a label, from tables, in the financial
    domain; your data may go to a cloud provider." (the choices' own statements)."""
    kb, values = report.kb, report.normalized.answers.values
    said = []
    for name in (*TASK_FIELDS, DATA_LOCATION):
        question = kb.question.get(name)
        if question is None or (name == DOMAIN and values.get(name) == question.default):
            continue
        choice = next((c for c in question.choices if c.value == values.get(name)), None)
        if choice is not None and choice.statement:
            said.append(choice.statement)
    return "The project: " + "; ".join(said) + "." if said else ""


def _sources(report: Report) -> SourceList:
    return SourceList(
        tuple(
            SourceEntry(claim.quote, report.kb.source[claim.source].title, claim.source)
            for claim in report.citations
        )
    )


def _shown(block: Block) -> tuple[str, ...]:
    """The report's own words in a block: its :func:`fragments`, and the words each medium adds
    around them (an assumption's unit, "worst case"); not the titles of the papers it cites
    ("Language Models are Few-Shot Learners" uses no term of the report's)."""
    match block:
        case Verdict(worst_case=worst_case):
            return (*fragments(block), f"worst case {worst_case}")
        case AssumptionList(entries=entries):
            return (*fragments(block), *(entry.unit for entry in entries if entry.unit))
    return fragments(block)


def _glossary(report: Report, sections: Iterable[Section]) -> tuple[Section, ...]:
    """Last, each glossary term the report uses, once, in the order of its first use, with its
    definition: every word one step from its meaning. The sources are the documents' words, not
    the report's, and are not read for terms. The chat's card makes these terms links instead."""
    texts = (
        text
        for section in sections
        for block in (Paragraph(section.title or ""), *section.blocks)
        if not isinstance(block, SourceList)
        for text in _shown(block)
    )
    used = Terms(jargon_terms(report.kb)).used(texts)
    return (Section("glossary", "Words used here", (Words(used),)),) if used else ()


def method_sentence(method: Method) -> str:
    """``Assumes LoRA (the default from 1B parameters) on 1 GPU of 80 GB; full fine-tuning would
    need 2 and cost $X – $Y.``"""
    size = f"{with_article(format_params(method.params))}-parameter model" if method.params else "the model"
    how = "as you said" if method.given else "the default for that size"
    gpus = round(method.gpus)
    memory = f" of {method.gpu_memory_gb:g} GB" if method.gpu_memory_gb else ""
    if method.on is not None:
        text = f"Assumes {method.said_as} of {size} ({how}), on {method.on}: no GPUs rented."
    else:
        rented = " rented" if method.rented_instead else ""
        text = f"Assumes {method.said_as} of {size} ({how}), on {gpus}{rented} GPU{'s' if gpus != 1 else ''}"
        text += memory + ("; it fits on one GPU." if method.fits_one_gpu else ".")
    if method.full is not None:
        full_gpus = round(method.gpus_full)
        text += (
            f" Full fine-tuning would need {full_gpus} GPU{'s' if full_gpus != 1 else ''} and cost "
            f"{usd_range(method.full.low, method.full.high)}."
        )
    return text
