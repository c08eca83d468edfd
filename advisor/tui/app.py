"""The chat app: a thin Textual view over :class:`~advisor.chat.conversation.Conversation`.

Attributes down, messages up: handlers pass what the person typed or clicked
to the conversation and mount what it replies. No domain logic lives here.

The same app runs in a terminal (``advisor``) and in a browser (``advisor serve``,
through Textual's web driver). In a browser the export is handed to the visitor as
downloads instead of files on the server, and nothing is kept between visits:
no saved answers, no remembered theme (visitors share the server's folders).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Collapsible, Footer, Input, Static

from advisor.chat.conversation import Conversation
from advisor.chat.export import export_into
from advisor.chat.modes import Event, OfferingHelp, Option
from advisor.chat.newcomer import OFFER
from advisor.chat.replies import Explained, Exported, Goodbye, Reply, Said, Unclear
from advisor.chat.store import SessionStore
from advisor.kb.base import KnowledgeBase
from advisor.settings import Settings, VisitSettings
from advisor.terminal import printable, visible
from advisor.tui.driver import browser_driver
from advisor.tui.screens import CitationScreen, SettingsScreen, quotes
from advisor.tui.transcript import deliver_answers, deliver_report, reply_widgets
from advisor.tui.widgets import (
    ChatInput,
    ComparisonCard,
    QuickReplies,
    RecommendationCard,
    ReplyButton,
    TraceMessage,
    UserMessage,
    UserRow,
    typing_suggester,
)

__all__ = ["READY_NAME", "AdvisorApp", "create_app", "run"]

READY_HOOK = "ADVISOR_DELIVER_READY"
"""For the browser tests and benchmarks: when this environment variable is set, an app in a
browser delivers a small file (:data:`READY_NAME`) once its first question is on screen."""
READY_NAME = "advisor-ready.txt"


class AdvisorApp(App[None]):
    """The fine-tuning advisor chat."""

    CSS_PATH = Path(__file__).with_name("advisor.tcss")
    TITLE = "Fine-tuning advisor"
    AUTO_FOCUS = "#input"
    ENABLE_COMMAND_PALETTE = True
    # Classes of the screen by its height (advisor.tcss): on a short screen the title and the
    # status line go, on a tiny one the footer, the quick replies and the input's border too,
    # so that the conversation keeps most of the rows.
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012 - declared on App without ClassVar
        (0, "-tiny"),
        (12, "-short"),
        (18, "-tall"),
    ]

    # The footer shows the keys a newcomer needs at every step; why, export and restart are
    # buttons when they apply and in the command palette (ctrl+p) with their keys. Every key
    # in the footer is laid out again on each change of focus: three fewer keys take about
    # 30 ms off the time to the first question (benchmarks/chat.py, chat-start).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "explain", "Explain"),
        Binding("ctrl+b", "previous", "Back"),
        Binding("f2", "why", "Why?", show=False),
        Binding("f3", "export", "Export", show=False),
        Binding("f4", "copy_report", "Copy", show=False),
        Binding("ctrl+r", "restart", "Restart", show=False),
        Binding("f5", "settings", "Settings", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # The input keeps the focus; these scroll the transcript from it.
        Binding("pageup", "scroll_transcript(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_transcript(1)", "Scroll down", show=False),
    ]

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        store: SessionStore | None = None,
        export_dir: Path | None = None,
        resume: bool = True,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.kb = kb
        self.conversation = Conversation(kb, store=store, settings=settings)
        self.export_dir = export_dir or Path.cwd()
        self.resume_allowed = resume
        self.settings = settings
        """Where the chosen theme is remembered; ``None``: not remembered."""
        if settings is not None:
            theme = settings.text("theme")
            if theme in self.available_themes:
                self.theme = theme
        self.failures: list[Path | None] = []
        """Errors caught on the way to the screen (a bug of ours), with the file that has the details."""
        self._escaped: BaseException | None = None

    def compose(self) -> ComposeResult:
        # The greeting, the first question and its buttons are composed with the screen, not
        # mounted after it: every later mount makes the footer lay its keys out again, which
        # is most of what a first screen costs (benchmarks/chat.py, chat-start).
        opening = self._replies(lambda: self.conversation.start(resume=self.resume_allowed))
        yield Static(Content(self.TITLE), id="title")
        # Not focusable: a click in the transcript leaves the focus in the input.
        with VerticalScroll(id="transcript", can_focus=False):
            yield from reply_widgets(opening, self.kb, self.conversation.report, self._told)
        yield QuickReplies(*(ReplyButton(option) for option in self._options()), id="replies")
        yield ChatInput(placeholder=self.conversation.hint, suggester=typing_suggester(self.kb), id="input")
        yield Static(Content(self.conversation.summary_line()), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#transcript", VerticalScroll).anchor()
        if self.is_web and os.environ.get(READY_HOOK):
            self.call_after_refresh(self._deliver_ready)

    def on_unmount(self) -> None:
        """The chat is closing: another chat may take up its answers now."""
        if self.conversation.store is not None:
            self.conversation.store.close()

    def _deliver_ready(self) -> None:
        question = self.conversation.current
        offering = isinstance(self.conversation.mode, OfferingHelp)
        shown = question.prompt if question else OFFER if offering else "(none)"
        text = f"first question on screen: {shown}\nscreen: {self.size.width}x{self.size.height}\n"
        self.deliver_text(io.StringIO(text), save_filename=READY_NAME, mime_type="text/plain")

    def watch_theme(self, theme: str) -> None:
        if self.settings is not None and not self.settings.change("theme", theme):
            error = visible(self.settings.error)
            self.notify(f"The theme is not remembered: {error}", severity="warning", markup=False)

    def focus_input(self, _: object = None) -> None:
        """The input has the focus back (after a click, a collapsible section, a pop-up)."""
        if self.screen is self.screen_stack[0]:
            self.query_one("#input", Input).focus()

    # --- showing replies ---------------------------------------------------------

    def reply(self, work: Callable[[], Iterable[Reply]]) -> None:
        """Do what the person asked and show the replies."""
        self.show(self._replies(work))

    def _replies(self, work: Callable[[], Iterable[Reply]]) -> list[Reply]:
        """The replies to what the person asked; a bug of ours is said in plain words, its
        details written to a file, and the chat goes on (the exit code says it happened)."""
        try:
            return list(work())
        except Exception as error:
            path = self._log_failure(error)
            self.failures.append(path)
            where = f" The details are in {visible(path)}." if path else ""
            saved = " Your answers are saved;" if self.conversation.answers_kept else ""
            return [
                Unclear(
                    "Sorry, something went wrong on my side and I could not do that."
                    f"{saved} try saying it another way.{where}",
                    (),
                )
            ]

    def _log_failure(self, error: BaseException) -> Path | None:
        """The details in the crash log; ``None`` when not kept. In a browser nothing is
        written: the server's folders are not the visitor's, nor are its paths theirs to see."""
        return self.conversation.saving.log_failure(error, written=not self.is_web)

    def _handle_exception(self, error: Exception) -> None:
        self._escaped = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An error escaped every guard: one plain line on exit, the traceback in a file."""
        path = self._log_failure(self._escaped) if self._escaped is not None else None
        where = f"; the details are in {visible(path)}" if path else ""
        saved = " Your answers are saved." if self.conversation.answers_kept else ""
        self.bell()
        self.panic(Content(f"advisor: the chat stopped because of an error of ours{where}.{saved}"))

    def show(self, replies: Iterable[Reply]) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        replies = list(replies)
        widgets = reply_widgets(replies, self.kb, self.conversation.report, self._told)
        long = any(isinstance(w, RecommendationCard | ComparisonCard | TraceMessage) for w in widgets)
        if long:
            transcript.anchor(False)  # a card scrolls itself into view from its top (ShownFromTop)
        transcript.mount_all(widgets)
        if widgets and not long:
            # Anchored, the transcript stays at its end through every layout pass of the new
            # messages, until the person scrolls or a card is shown.
            transcript.anchor()
        self._update_replies()
        self.query_one("#status", Static).update(Content(self.conversation.summary_line()))
        if any(isinstance(reply, Goodbye) for reply in replies):
            self.exit()

    def _told(self, exported: Exported) -> str:
        """An export saved into the export folder, or in a browser downloaded; what to say."""
        return deliver_report(self, exported) if self.is_web else export_into(exported, self.export_dir)

    def _exported(self) -> Exported | None:
        """The export, or ``None`` once the person has been told why there is none yet."""
        replies = self.conversation.act("export")
        exported = next((reply for reply in replies if isinstance(reply, Exported)), None)
        if exported is None:
            self.show(replies)
        return exported

    def action_download_answers(self) -> None:
        """In a browser: download the answers file (the terminal's export saves it already)."""
        exported = self._exported()
        if exported is None:
            return
        self.show([Said(deliver_answers(self, exported))])

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.show([Said(f"The download failed: {event.exception}. Please try again.")])

    def _update_replies(self) -> None:
        self.query_one("#input", Input).placeholder = self.conversation.hint
        self.query_one("#replies", QuickReplies).set_replies(self._options())

    def _options(self) -> list[Option]:
        """The conversation's options as buttons; in a browser, where an export is a download
        and a page may start one download a click, the answers file has a button of its own."""
        options = list(self.conversation.options)
        if self.is_web:
            at = next((n + 1 for n, option in enumerate(options) if option.action == "export"), None)
            if at is not None:
                options.insert(at, Option("Answers file", "download_answers"))
        return options

    def say(self, text: str, field: str | None = None) -> None:
        """Show what the person said, as the chat reads it (without escape codes)."""
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(UserRow(UserMessage(printable(text), field)))

    # --- input -----------------------------------------------------------------

    @on(Input.Submitted, "#input")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value  # the input cleared itself when it sent the line (ChatInput)
        if not text.strip():  # Enter on nothing: the chat says what it does (skip, or what to type)
            self.reply(lambda: self.conversation.handle(""))
            return
        question = self.conversation.current
        self.say(text, question.id if question else None)
        self.reply(lambda: self.conversation.handle(text))

    @on(QuickReplies.Picked)
    def picked(self, event: QuickReplies.Picked) -> None:
        option = event.option
        if option.action == "what_if":  # the start of a what-if, for the person to finish
            input_widget = self.query_one("#input", Input)
            input_widget.value = option.value or ""
            input_widget.cursor_position = len(input_widget.value)
        elif option.action == "copy_report":
            self.say(option.label)
            self.action_copy_report()
        elif option.action == "download_answers":
            self.say(option.label)
            self.action_download_answers()
        else:
            question = self.conversation.current
            self.say(option.label, question.id if question and option.action == "choose" else None)
            self.reply(lambda: self.conversation.pick(option))
        self.focus_input()

    @on(UserMessage.Edit)
    def edit(self, event: UserMessage.Edit) -> None:
        self.reply(lambda: self.conversation.act("edit", event.field))
        self.focus_input()

    @on(Collapsible.Toggled)
    def toggled(self) -> None:
        """A section of a card opened or closed: back to typing."""
        self.call_after_refresh(self.focus_input)

    # --- actions (keys, buttons, command palette) ---------------------------------

    def action_scroll_transcript(self, direction: int) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        if direction < 0:
            transcript.scroll_page_up(animate=False)
        else:
            transcript.scroll_page_down(animate=False)

    def _act(self, event: Event) -> None:
        self.reply(lambda: self.conversation.act(event))

    def action_explain(self) -> None:
        self._act("explain")

    def action_previous(self) -> None:
        self._act("back")

    def action_why(self) -> None:
        self._act("why")

    def action_export(self) -> None:
        self._act("export")

    def action_copy_report(self) -> None:
        """Copy the report (Markdown) to the clipboard."""
        exported = self._exported()
        if exported is None:
            return
        self.copy_to_clipboard(exported.markdown(None))
        self.show([Said("Copied the report (Markdown) to the clipboard.")])

    def action_restart(self) -> None:
        # The transcript stays: "undo" brings the answers back, and the person can read them.
        self._act("restart")

    def action_settings(self) -> None:
        """The settings: explain as we go, on or off (remembered where settings are kept)."""
        self.push_screen(SettingsScreen(self.conversation.newcomer.explaining), callback=self._set)

    def _set(self, explaining: bool | None) -> None:
        if explaining is not None and explaining != self.conversation.newcomer.explaining:
            self.reply(lambda: self.conversation.explain_as_we_go(explaining))
        self.focus_input()

    def action_change(self, field: str) -> None:
        self.reply(lambda: self.conversation.act("edit", field))

    def action_cite(self, claim_ids: str) -> None:
        """Show the quotes of comma-separated claim ids (numbered as in the report, if any)."""
        entries = quotes(self.kb, self.conversation.report, claim_ids.split(","))
        if entries:
            self.push_screen(CitationScreen(entries), callback=self.focus_input)

    def action_term(self, term_id: str) -> None:
        """Show a glossary term's definition in the chat (a term on the card is a link to it), as
        "what is X?" shows it."""
        term = next((term for term in self.kb.terms if term.id == term_id), None)
        if term is not None:
            self.show([Explained(term.term, term.definition, term.claims)])

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Explain the question", "What the current question means", self.action_explain)
        yield SystemCommand("Back", "Go to the previous question", self.action_previous)
        yield SystemCommand("Why?", "How the recommendation was decided", self.action_why)
        exported = (
            "Download the report (Markdown)" if self.is_web else "Save the report (Markdown) and the answers"
        )
        yield SystemCommand("Export", exported, self.action_export)
        if self.is_web:
            yield SystemCommand(
                "Download the answers file",
                "Your answers as a file for `advisor recommend`",
                self.action_download_answers,
            )
        yield SystemCommand(
            "Copy the report", "Copy the report (Markdown) to the clipboard", self.action_copy_report
        )
        yield SystemCommand(
            "Restart", "Forget the answers and start over (undo brings them back)", self.action_restart
        )
        yield SystemCommand("Settings", "Explain as we go, on or off", self.action_settings)
        for question, _ in self.conversation.given.answered():
            yield SystemCommand(
                f"Change answer: {question.name}",
                f"Ask the {question.name} question again",
                lambda field=question.id: self.action_change(field),
            )


def create_app(
    kb: KnowledgeBase,
    *,
    store: SessionStore | None = None,
    export_dir: Path | None = None,
    resume: bool = True,
    settings: Settings | None = None,
) -> AdvisorApp:
    """The app for a knowledge base; tests pass their own store, export folder and settings."""
    return AdvisorApp(kb, store=store, export_dir=export_dir, resume=resume, settings=settings)


def run(kb: KnowledgeBase, *, new: bool = False) -> int:
    """Open the chat; return the exit code: not 0 if an error of ours happened on the way.

    In a browser each visitor's chat is a process of its own, but all of them share the
    server's folders: so there it keeps no saved answers (no visitor can resume another's)
    and its settings last as long as the page (no visitor changes another's theme, and each
    is offered the explanations afresh). The chat lasts as long as the page.
    """
    if browser_driver():
        app = create_app(kb, resume=False, settings=VisitSettings())
    else:
        app = create_app(kb, store=SessionStore(), resume=not new, settings=Settings())
    app.run()
    if app.return_code:
        return app.return_code
    return 1 if app.failures else 0
