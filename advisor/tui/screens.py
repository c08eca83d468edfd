"""The chat's pop-ups: the quotes behind a citation, with their documents' titles; the settings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, Switch

from advisor.kb.base import KnowledgeBase
from advisor.tui.widgets import Quoted

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = ["CitationScreen", "SettingsScreen", "quotes"]


def quotes(kb: KnowledgeBase, report: Report | None, claim_ids: Iterable[str]) -> list[Quoted]:
    """The quotes of claims, numbered as in ``report`` if it cites them (unknown ids left out)."""
    entries = []
    for claim_id in claim_ids:
        claim = kb.claim.get(claim_id)
        if claim is not None:
            number = (report.numbered(claim_id) if report is not None else None) or 0
            entries.append(Quoted(number, claim.quote, claim.text, kb.source[claim.source].title))
    return entries


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


class SettingsScreen(ModalScreen[bool | None]):
    """The chat's settings: explain as we go, on or off (the theme is in the command palette).
    Dismissed with the new value when it is switched, ``None`` when closed unchanged."""

    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > #settings {
        width: 64; height: auto; padding: 1 2; border: round $accent; background: $surface;
    }
    SettingsScreen .setting { height: auto; margin: 1 0; }
    SettingsScreen .setting Static { width: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]
    AUTO_FOCUS = "#explain"

    def __init__(self, explaining: bool) -> None:
        super().__init__()
        self.explaining = explaining

    def compose(self) -> ComposeResult:
        with Vertical(id="settings"):
            yield Static(Content.from_markup("[b]Settings[/b]"))
            with Horizontal(classes="setting"):
                yield Switch(value=self.explaining, id="explain")
                yield Static(
                    Content(
                        "Explain as we go: why each question matters, and at the recommendation "
                        "the three approaches and the four kinds of cost, with your numbers."
                    )
                )
            yield Static(Content.from_markup("[dim]Esc to close · the theme: ctrl+p, then Theme[/dim]"))

    @on(Switch.Changed, "#explain")
    def switched(self, event: Switch.Changed) -> None:
        self.dismiss(event.value)

    def action_close(self) -> None:
        self.dismiss(None)
