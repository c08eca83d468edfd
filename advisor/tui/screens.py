"""The chat's pop-up: the quotes behind a citation, with their documents' titles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from advisor.tui.widgets import Quoted

__all__ = ["CitationScreen"]


class CitationScreen(ModalScreen[None]):
    """Quotes and their sources, opened from a citation number or a source link."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "dismiss", "Close")]

    def __init__(self, entries: Sequence[Quoted]) -> None:
        super().__init__()
        self.entries = tuple(entries)

    def compose(self) -> ComposeResult:
        parts = [
            Content.from_markup(
                "[b]$number\u201c$quote\u201d[/b]\n$text\n[dim]$title[/dim]",
                number=f"[{entry.number}] " if entry.number else "",
                quote=entry.quote,
                text=entry.text,
                title=entry.title,
            )
            for entry in self.entries
        ]
        parts.append(Content.from_markup("[dim]Esc to close[/dim]"))
        with VerticalScroll(id="citation"):
            yield Static(Content("\n\n").join(parts), id="quotes")

    def on_click(self) -> None:
        self.dismiss()
