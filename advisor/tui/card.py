"""The recommendation card's medium: the report's outline (:mod:`advisor.outline`) as the chat shows it.

The card walks the same sections as the text and Markdown renderings, in the same order.
It shows the first screen (what to do, what it costs, why, the next steps) and the plan and
its cost open, and folds every later section under a heading (the first fold open), leaves
the blocks meant for a full document to the export, and draws the rest as
:class:`~textual.content.Content` built from plain text: ``[bold]`` in an answer or a
knowledge file shows as typed. Loaded with the first card, not at start.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from advisor.chart import MIN_WIDTH, Chart, chart_rows
from advisor.outline import (
    AssumptionList,
    Block,
    CostTable,
    Counterfactual,
    Headline,
    Items,
    Outline,
    Paragraph,
    Picture,
    Section,
    SectionKind,
    SourceList,
    Verdict,
    Words,
)
from advisor.records import dataclass
from advisor.terms import Terms

__all__ = ["CostChart", "Fold", "Shown", "TermLinks", "card_folds", "card_widgets", "cited"]

_MARKS: dict[SectionKind, str] = {"caveats": "! ", "next_steps": "→ "}
"""How an unnumbered item starts, by section; "• " elsewhere."""


@dataclass(frozen=True, slots=True)
class Shown:
    """One piece of the card: text, or the picture of the cost, with its CSS classes."""

    piece: Content | Chart
    classes: str = ""


@dataclass(frozen=True, slots=True)
class Fold:
    """Consecutive pieces under one heading (``None``: shown open, without a heading)."""

    title: str | None
    collapsed: bool
    """Folded until opened: every fold but the first."""
    pieces: tuple[Shown, ...]


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
"""A term's id as the knowledge base validates it: the only text a link's action holds."""


class TermLinks:
    """The glossary's terms in one section of the card: the first use of each is a link that
    opens its definition in the chat (``app.term``); later uses in the section are plain."""

    def __init__(self, terms: Terms | None) -> None:
        self.terms = terms
        self.linked: set[str] = set()

    def content(self, text: str) -> Content:
        """``text`` as plain :class:`Content`, its terms' first uses links. Only a term's id, a
        validated slug (checked again here), is written into markup; the words linked are a
        value of :meth:`Content.from_markup`, never markup themselves."""
        if self.terms is None:
            return Content(text)
        content, at = Content(""), 0
        for use in self.terms.uses(text):
            if use.term.id in self.linked or not _SLUG.fullmatch(use.term.id):
                continue
            self.linked.add(use.term.id)
            link = Content.from_markup(
                f"[@click=app.term('{use.term.id}')]$word[/]", word=text[use.start : use.end]
            )
            content += Content(text[at : use.start]) + link.stylize("underline")
            at = use.end
        return content + Content(text[at:])


def cited(
    text: str, outline: Outline | None, claims: Iterable[str], links: TermLinks | None = None
) -> Content:
    """Plain text (its terms links, with ``links``) followed by clickable citation numbers (ids
    are validated slugs)."""
    content = Content(text) if links is None else links.content(text)
    if outline is None:
        return content
    for claim in dict.fromkeys(claims):
        number = outline.numbering.numbered(claim)
        if number is not None:
            content += Content(" ") + Content.from_markup(
                f"[@click=app.cite('{claim}')]\\[{number}][/]"
            ).stylize("$accent")
    return content


def card_folds(outline: Outline, heading: str | None = None) -> list[Fold]:
    """The card's pieces, section by section; ``heading`` replaces "I recommend: …"."""
    folds: list[Fold] = []
    words = next((b for s in outline.sections for b in s.blocks if isinstance(b, Words)), None)
    terms = Terms(words.terms) if words is not None else None
    titled = ((_fold_title(section), section) for section in outline.sections)
    for title, sections in itertools.groupby(titled, key=lambda pair: pair[0]):
        pieces = tuple(
            shown for _, section in sections for shown in _section_pieces(section, outline, heading, terms)
        )
        if pieces:
            folded_before = any(fold.title is not None for fold in folds)
            folds.append(Fold(title, title is not None and folded_before, pieces))
    return folds


def card_widgets(outline: Outline, heading: str | None = None) -> Iterator[Widget]:
    """The card's widgets: the open pieces, then a :class:`Collapsible` per fold."""
    for fold in card_folds(outline, heading):
        widgets = [
            CostChart(shown.piece)
            if isinstance(shown.piece, Chart)
            else Static(shown.piece, classes=shown.classes)
            for shown in fold.pieces
        ]
        if fold.title is None:
            yield from widgets
        else:
            yield Collapsible(*widgets, title=fold.title, collapsed=fold.collapsed)


def _fold_title(section: Section) -> str | None:
    """The heading a section is folded under (``None``: not folded)."""
    if section.group in ("glance", "summary"):
        return None
    match section:
        case Section(kind="caveats" | "next_steps"):
            return "Caveats and next steps"
        case Section(blocks=(AssumptionList(entries),)):
            return f"Assumptions ({len(entries)})"
        case Section(blocks=(SourceList(entries),)):
            quotes = f"{len(entries)} quote{'s' if len(entries) != 1 else ''}"
            documents = len({entry.source for entry in entries})
            return f"Sources: {quotes} from {documents} document{'s' if documents != 1 else ''}"
        case Section(title=title, aside=str(aside)):
            return f"{title} ({aside})"
    return section.title


def _section_pieces(
    section: Section, outline: Outline, heading: str | None, terms: Terms | None = None
) -> Iterator[Shown]:
    links = TermLinks(terms)
    if section.title is not None and _fold_title(section) is None:  # an open section's heading
        yield Shown(Content.from_markup("[b]$title[/b]", title=section.title), "card-heading")
    for block in section.blocks:
        yield from _block_pieces(block, section.kind, outline, heading, links)


def _block_pieces(
    block: Block, kind: SectionKind, outline: Outline, heading: str | None, links: TermLinks | None = None
) -> Iterator[Shown]:
    """A block as the card shows it: nothing for the blocks a full document keeps to itself."""
    match block:
        case Headline(name):
            title = Content.from_markup("[b]$title[/b]", title=heading or f"I recommend: {name}")
            yield Shown(title, "card-title")
        case Verdict():
            verdict = Content.from_markup(
                "[b]Estimated cost: $range[/b]\nIt $verdict.", range=block.range, verdict=block.budget
            )
            yield Shown(verdict, f"verdict {block.level}")
        case Paragraph(detail=True) | Items(detail=True):
            return
        case Words():
            return  # on the card, the terms are links to their definitions instead
        case Paragraph(text, claims):
            yield Shown(cited(text, outline, claims, links))
        case Items(items, numbered):
            for number, item in enumerate(items, start=1):
                mark = f"{number}. " if numbered else _MARKS.get(kind, "• ")
                yield Shown(cited(mark + item.text, outline, item.claims, links))
        case CostTable():
            yield Shown(_cost_table(block), "costs")
        case Picture(chart):
            yield Shown(chart)
        case Counterfactual(text, possible):
            yield Shown(cited(text, None, (), links), "would-win" if possible else "")
        case AssumptionList():
            yield Shown(_assumptions(block, outline), "assumptions")
        case SourceList(entries):
            lines = (
                Content(f"[{number}] \u201c{entry.quote}\u201d {entry.title}")
                for number, entry in enumerate(entries, start=1)
            )
            yield Shown(Content("\n").join(lines), "sources")


def _assumptions(block: AssumptionList, outline: Outline) -> Content:
    """Each assumption's value, then why, dimmed, with its citations: one widget for the list
    (a card with ninety widgets takes a visible moment to lay out)."""
    parts = []
    for entry in block.entries:
        mark = " (yours)" if entry.yours else ""
        why = cited(entry.why, outline, entry.claims)
        parts.append(
            Content(f"{entry.named} = {entry.value} {entry.unit}{mark}\n").stylize("bold")
            + why.stylize_before("$text-muted")
        )
    return Content("\n").join(parts)


def _cost_table(table: CostTable) -> Content:
    lines = [Content.from_markup("[b]$a[/b]", a=f"{'':<12}{'low':>10}{'high':>11}")]
    for row in table.rows:
        lines.append(Content(f"{row.category:<12}{row.low:>10}{row.high:>11}"))
    total = table.total
    lines.append(Content(f"{total.category:<12}{total.low:>10}{total.high:>11}").stylize("bold"))
    return Content("\n").join(lines)


class CostChart(Widget):
    """The picture of the cost (:mod:`advisor.chart`), drawn to the card's width and coloured by
    what each part is: the recommended approach, the ranges, the budget."""

    DEFAULT_CSS = """
    CostChart {
        height: auto;
        margin-top: 1;
    }
    """

    STYLES: ClassVar[dict[str, str]] = {
        "chosen": "bold $accent",
        "range": "$primary",
        "middle": "bold $primary",
        "budget": "bold $warning",
        "low": "$primary",
        "spread": "$primary 50%",
        "axis": "$text-muted",
    }

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart

    def render(self) -> Content:
        width = self.size.width or MIN_WIDTH
        lines = []
        for row in chart_rows(self.chart, width):
            line = Content("")
            for span in row:
                piece = Content(span.text)
                style = self.STYLES.get(span.role)
                line += piece.stylize(style) if style else piece
            lines.append(line.rstrip())
        return Content("\n").join(lines)
