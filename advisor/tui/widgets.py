"""The chat's widgets: message bubbles, the recommendation card, quick replies.

Every string that comes from a person or a knowledge file reaches the screen
as :class:`~textual.content.Content` built from plain text (or through
``Content.from_markup`` with the text as a *variable*), never spliced into
markup: ``[bold]`` or ``[@click=app.quit]`` in an answer shows as typed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Input, Static

from advisor.chat.conversation import MAX_LINE
from advisor.chat.replies import Compared, Explained, Traced
from advisor.formatting import format_amount, usd_range
from advisor.kb.base import KnowledgeBase

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = [
    "BotMessage",
    "ChatInput",
    "ComparisonCard",
    "QuickReplies",
    "QuickReply",
    "Quoted",
    "RecommendationCard",
    "ReplyButton",
    "TraceMessage",
    "UserMessage",
    "UserRow",
]


def cited(text: str, report: Report | None, claims: Iterable[str]) -> Content:
    """Plain text followed by clickable citation numbers (ids are validated slugs)."""
    content = Content(text)
    if report is None:
        return content
    for claim in dict.fromkeys(claims):
        number = report.numbered(claim)
        if number is not None:
            content += Content(" ") + Content.from_markup(
                f"[@click=app.cite('{claim}')]\\[{number}][/]"
            ).stylize("$accent")
    return content


class ChatInput(Input):
    """The line the person types in. Each line leaves it the moment Enter is pressed, and it is
    clear at once: keys typed, or lines pasted, while the chat is still answering go into the
    next line and are read in turn, never merged with one before or lost (PITFALLS).

    It holds at most :data:`~advisor.chat.conversation.MAX_LINE` characters, the longest line
    the conversation reads: without a limit, 20 KB of keys took half a minute of CPU."""

    TOO_LONG = f"A line holds at most {MAX_LINE} characters: please answer in a sentence or two."
    _told_at = -60.0

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LINE)
        super().__init__(**kwargs)

    def restricted(self) -> None:
        """A key past the limit: said once in a while, not a bell a key."""
        now = time.monotonic()
        if now - self._told_at > 10:
            self._told_at = now
            self.notify(self.TOO_LONG, severity="warning", markup=False)

    async def _on_key(self, event: events.Key) -> None:
        # Enter is handled here, in turn with the keys typed before it. As a binding it would
        # run only once the key had bubbled up to the app, after keys typed later had already
        # reached this input: fast typing then merged lines.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        value = self.value
        self.value = ""
        self.post_message(self.Submitted(self, value))

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted list is several lines: each full line is sent, the last one stays to edit."""
        lines = event.text.splitlines()
        if len(lines) <= 1:
            return
        event.prevent_default()
        event.stop()
        *complete, last = lines if not event.text.endswith(("\n", "\r")) else [*lines, ""]
        for number, line in enumerate(complete):
            value = self.value + line if number == 0 else line
            self.value = ""
            if value.strip():
                self.post_message(self.Submitted(self, value))
        self.insert_text_at_cursor(last)


class BotMessage(Static):
    """Something the advisor says."""


class ShownFromTop(Widget):
    """A long reply, scrolled into view from its top once laid out: the point comes first.

    Listed after the widget class it is mixed into: Textual takes CSS type names
    (``BotMessage``, ``Vertical``) from the first base only."""

    _revealed = False

    def on_resize(self) -> None:
        if not self._revealed:
            self._revealed = True
            self.scroll_visible(top=True, animate=False)


class TraceMessage(BotMessage, ShownFromTop):
    """The trace after "why?"."""


class UserMessage(Static):
    """Something the person said; clicking an answer asks its question again."""

    @dataclass
    class Edit(Message):
        """The person wants to change the answer to ``field``."""

        field: str

    def __init__(self, text: str, field: str | None = None) -> None:
        super().__init__(Content(text), markup=False)
        self.field = field
        if field is not None:
            self.tooltip = "Click to change this answer"
            self.add_class("answer")

    def on_click(self) -> None:
        if self.field is not None:
            self.post_message(self.Edit(self.field))


class UserRow(Horizontal):
    """A row that right-aligns the person's bubble."""

    def __init__(self, message: UserMessage) -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class QuickReply:
    """A button under the transcript: a choice of the current question, or an action."""

    label: str
    action: Literal[
        "choose",
        "explain",
        "skip",
        "why",
        "what_if",
        "export",
        "download_answers",
        "copy_report",
        "restart",
        "undo",
        "resume",
        "keep",
        "yes",
        "no",
    ]
    value: str | None = None
    """The choice's canonical value, for ``choose``."""


class ReplyButton(Button):
    """A quick reply's button; it knows its reply."""

    def __init__(self, reply: QuickReply) -> None:
        super().__init__(Content(reply.label), compact=True, classes="reply")
        self.reply = reply


class QuickReplies(Horizontal):
    """Buttons for the current question's choices and for the actions at hand."""

    @dataclass
    class Picked(Message):
        """The person pressed a quick reply."""

        reply: QuickReply

    def set_replies(self, replies: Sequence[QuickReply]) -> None:
        self.remove_children()
        self.mount_all(ReplyButton(reply) for reply in replies)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, ReplyButton):
            event.stop()
            self.post_message(self.Picked(event.button.reply))


class Card(Vertical, ShownFromTop):
    """A card in the transcript."""


class RecommendationCard(Card):
    """The recommendation: approach, costs, reasons, why not the others, sources."""

    def __init__(self, report: Report, *, title: str | None = None) -> None:
        super().__init__(classes="card")
        self.report = report
        self.heading = title

    def compose(self) -> ComposeResult:
        report = self.report
        yield Static(
            Content.from_markup("[b]$title[/b]", title=self.heading or f"I recommend: {report.name}"),
            classes="card-title",
        )
        yield Static(cited(report.summary.text, report, report.summary.claims))
        yield Static(
            Content.from_markup(
                "[b]Estimated cost: $range[/b]\nIt $verdict.",
                range=usd_range(report.cost.low, report.cost.high),
                verdict=report.budget.text,
            ),
            classes=f"verdict {report.budget.level}",
        )
        if report.fit_hint:
            yield Static(Content(report.fit_hint))
        yield CostChart(report)
        yield Static(_cost_table(report), classes="costs")
        with Collapsible(title="Why", collapsed=False):
            for number, reason in enumerate(report.rationale, start=1):
                yield Static(cited(f"{number}. {reason.text}", report, reason.claims))
        for alt in report.alternatives:
            title = f"Why not {alt.name.lower()} ({usd_range(alt.cost.low, alt.cost.high)})"
            with Collapsible(title=title):
                for reason in alt.why_not:
                    yield Static(cited(f"• {reason.text}", report, reason.claims))
                yield Static(
                    Content(alt.would_win), classes="would-win" if alt.would_win_if is not None else ""
                )
        if report.caveats or report.next_steps:
            with Collapsible(title="Caveats and next steps"):
                for reason in report.caveats:
                    yield Static(cited(f"! {reason.text}", report, reason.claims))
                for reason in report.next_steps:
                    yield Static(cited(f"→ {reason.text}", report, reason.claims))
        # One widget per list, not per item: a card with ninety widgets takes a visible
        # moment to lay out, and these two lists are the longest.
        with Collapsible(title=f"Assumptions ({len(report.assumptions)})"):
            yield Static(_assumptions(report), classes="assumptions")
        documents = len({claim.source for claim in report.citations})
        quotes = f"{len(report.citations)} quote{'s' if len(report.citations) != 1 else ''}"
        with Collapsible(title=f"Sources: {quotes} from {documents} document{'s' if documents != 1 else ''}"):
            yield Static(
                Content("\n").join(
                    Content(f"[{number}] \u201c{claim.quote}\u201d {report.kb.source[claim.source].title}")
                    for number, claim in enumerate(report.citations, start=1)
                ),
                classes="sources",
            )


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

    def __init__(self, report: Report) -> None:
        super().__init__()
        from advisor.chart import lay_out  # with the first card, not at start

        self.chart = lay_out(report)

    def render(self) -> Content:
        from advisor.chart import MIN_WIDTH, chart_rows

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


def _assumptions(report: Report) -> Content:
    """Each assumption's value, then why, dimmed, with its citations."""
    parts = []
    for assumption, (low, high), overridden in report.assumptions:
        shown = format_amount(low, high)
        mark = " (yours)" if overridden else ""
        why = cited(" ".join(assumption.why.split()), report, assumption.claims)
        parts.append(
            Content(f"{assumption.id} = {shown} {assumption.unit}{mark}\n").stylize("bold")
            + why.stylize_before("$text-muted")
        )
    return Content("\n").join(parts)


def _cost_table(report: Report) -> Content:
    from advisor.render import cost_rows  # the renderers load with the first card, not at start

    rows = cost_rows(report.cost)
    lines = [Content.from_markup("[b]$a[/b]", a=f"{'':<12}{'low':>10}{'high':>11}")]
    for name, low, high in rows:
        line = Content(f"{name:<12}{low:>10}{high:>11}")
        lines.append(line.stylize("bold") if name == "total" else line)
    return Content("\n").join(lines)


class ComparisonCard(Card):
    """A what-if or a changed answer: what moved, and the new recommendation in short."""

    def __init__(self, compared: Compared) -> None:
        super().__init__(classes="card compare")
        self.compared = compared

    def compose(self) -> ComposeResult:
        compared = self.compared
        heading = "Changed" if compared.kept else "What if"
        yield Static(
            Content.from_markup(
                "[b]$heading: $changes[/b]",
                heading=heading,
                changes="; ".join(compared.changes) or "your answers",
            ),
            classes="card-title",
        )
        for line in compared.moved:
            yield Static(Content(f"• {line}"))
        if not compared.kept:
            yield Static(Content("Say keep it to use these answers, or carry on."), classes="hint")


@dataclass(frozen=True, slots=True)
class Quoted:
    """A claim's quote as the citation screen shows it (number 0: not numbered)."""

    number: int
    quote: str
    text: str
    title: str
    """The document's title: people read titles, not file names."""


def explanation(explained: Explained, report: Report | None, kb: KnowledgeBase) -> Content:
    """A help text, FAQ answer or term, then its sources: one link per document,
    which opens the quotes taken from it."""
    content = Content.from_markup("[b]$title[/b]\n", title=explained.title) + Content(explained.text)
    by_source: dict[str, list[str]] = {}
    for claim_id in dict.fromkeys(explained.claims):
        claim = kb.claim.get(claim_id)
        if claim is not None:
            by_source.setdefault(claim.source, []).append(claim_id)
    if not by_source:
        return content
    links = [
        # Claim ids are validated slugs ([a-z0-9-]), so they are safe inside an action.
        Content.from_markup(
            f"[@click=app.cite('{','.join(claims)}')]$title[/]", title=short_title(kb.source[source].title)
        ).stylize("underline $accent")
        + Content(f" ({len(claims)})" if len(claims) > 1 else "")
        for source, claims in by_source.items()
    ]
    return content + Content("\n") + Content.from_markup("[dim]Sources:[/dim] ") + Content(" · ").join(links)


def short_title(title: str) -> str:
    """A document's title up to its colon: "The Price of Precision"."""
    return title.split(":", 1)[0].strip()


def trace_content(traced: Traced) -> Content:
    """The trace, one rule a paragraph, with what happened to it in bold."""
    paragraphs = [Content.from_markup("[b]How I decided[/b]")]
    for line in traced.lines:
        text = f"{line.text} ({line.effects})" if line.effects else line.text
        if line.heading:
            paragraphs.append(Content.from_markup("[b]$head:[/b] ", head=line.heading) + Content(text))
        else:
            paragraphs.append(Content(text))
    return Content("\n\n").join(paragraphs)
