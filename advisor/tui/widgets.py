"""The chat's widgets: message bubbles, the recommendation card, quick replies.

Every string that comes from a person or a knowledge file reaches the screen
as :class:`~textual.content.Content` built from plain text (or through
``Content.from_markup`` with the text as a *variable*), never spliced into
markup: ``[bold]`` or ``[@click=app.quit]`` in an answer shows as typed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from advisor.chat.conversation import MAX_LINE
from advisor.chat.modes import Option
from advisor.chat.replies import Compared, Explained, Traced
from advisor.kb.base import KnowledgeBase

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = [
    "BotMessage",
    "ChatInput",
    "ComparisonCard",
    "QuickReplies",
    "Quoted",
    "RecommendationCard",
    "ReplyButton",
    "TraceMessage",
    "UserMessage",
    "UserRow",
    "typing_suggester",
]


COMMAND_WORDS = (  # the chat's commands, and a what-if to complete
    "help",
    "back",
    "restart",
    "why?",
    "skip",
    "export",
    "keep it",
    "what if my budget were ",
    "what is transfer learning?",
)


def typing_suggester(kb: KnowledgeBase) -> SuggestFromList:
    """What the input completes as the person types: commands, FAQ questions, choices."""
    suggestions = [*COMMAND_WORDS, *(entry.question for entry in kb.faq)]
    for question in kb.questions:
        for choice in question.choices:
            suggestions.extend((choice.value, *choice.aliases))
    return SuggestFromList(dict.fromkeys(suggestions), case_sensitive=False)


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


class ReplyButton(Button):
    """A quick reply's button: one of the options the conversation offers now."""

    def __init__(self, option: Option) -> None:
        super().__init__(Content(option.label), compact=True, classes="reply")
        self.option = option


class QuickReplies(Horizontal):
    """Buttons for the options the person has now (:attr:`Conversation.options
    <advisor.chat.conversation.Conversation.options>`)."""

    @dataclass
    class Picked(Message):
        """The person pressed a quick reply."""

        option: Option

    def set_replies(self, options: Sequence[Option]) -> None:
        self.remove_children()
        self.mount_all(ReplyButton(option) for option in options)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, ReplyButton):
            event.stop()
            self.post_message(self.Picked(event.button.option))


class Card(Vertical, ShownFromTop):
    """A card in the transcript."""


class RecommendationCard(Card):
    """The recommendation: the report's outline as the chat shows it (:mod:`advisor.tui.card`)."""

    def __init__(self, report: Report, *, title: str | None = None) -> None:
        super().__init__(classes="card")
        self.report = report
        self.heading = title

    def compose(self) -> ComposeResult:
        # The outline and the card's rendering of it load with the first card, not at start.
        from advisor.outline import outline_of
        from advisor.tui.card import card_widgets

        yield from card_widgets(outline_of(self.report), self.heading)


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
