"""How the chat's replies look: the widgets the transcript shows for each, and its downloads.

The conversation says what to show (:data:`~advisor.chat.replies.Reply`); this module
decides only the look. Every string from a person or a knowledge file goes in as
:class:`~textual.content.Content` built from plain text, never spliced into markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.content import Content
from textual.widget import Widget

from advisor.chat.export import ANSWERS_NAME, REPORT_NAME, data_url
from advisor.chat.replies import (
    Asked,
    Compared,
    Confirm,
    Explained,
    Exported,
    Recommended,
    Reply,
    Said,
    Traced,
    Unclear,
)
from advisor.kb.base import KnowledgeBase
from advisor.tui.widgets import (
    BotMessage,
    ComparisonCard,
    RecommendationCard,
    TraceMessage,
    explanation,
    trace_content,
)

if TYPE_CHECKING:
    from advisor.report import Report

__all__ = ["deliver_answers", "deliver_report", "question_content", "reply_widgets"]


def reply_widgets(
    replies: Iterable[Reply], kb: KnowledgeBase, report: Report | None, told: Callable[[Exported], str]
) -> list[Widget]:
    """The widgets that show ``replies``; ``told`` saves or hands over an export and says where."""
    widgets: list[Widget] = []
    for reply in replies:
        if isinstance(reply, Said):
            widgets.append(BotMessage(Content(reply.text)))
        elif isinstance(reply, Asked):
            widgets.append(BotMessage(question_content(reply), classes="question"))
        elif isinstance(reply, Unclear):
            examples = f" For example: {', '.join(reply.suggestions)}." if reply.suggestions else ""
            widgets.append(BotMessage(Content(reply.text + examples), classes="unclear"))
        elif isinstance(reply, Confirm):
            widgets.append(BotMessage(Content(reply.text), classes="unclear"))
        elif isinstance(reply, Explained):
            widgets.append(BotMessage(explanation(reply, report, kb), classes="explained"))
        elif isinstance(reply, Recommended):
            widgets.append(RecommendationCard(reply.report))
        elif isinstance(reply, Traced):
            widgets.append(TraceMessage(trace_content(reply), classes="explained"))
        elif isinstance(reply, Compared):
            widgets.extend(_compared(reply))
        elif isinstance(reply, Exported):
            widgets.append(BotMessage(Content(told(reply))))
    return widgets


def _compared(compared: Compared) -> list[Widget]:
    """What moved, and the new recommendation's card when the approach changed."""
    if compared.before.approach == compared.after.approach:
        return [ComparisonCard(compared)]
    title = f"{'Now' if compared.kept else 'Then'} I would recommend: {compared.after.name}"
    return [ComparisonCard(compared), RecommendationCard(compared.after, title=title)]


def question_content(asked: Asked) -> Content:
    """A question with its place ("2 of 7"), and what the person said last time."""
    head = Content.from_markup("[dim]$n of $total[/dim]  ", n=str(asked.number), total=str(asked.total))
    body = Content(asked.question.prompt)
    if asked.previous:
        body += Content.from_markup("\n[dim]Last time you said: $previous[/dim]", previous=asked.previous)
    return head + body


def deliver_report(app: App[Any], exported: Exported) -> str:
    """Hand the report to the visitor's browser as a download, its picture inside it; what to say.

    One download per key press or click: browsers let a page open one download window
    per gesture and silently block the next, so the answers file has its own button."""
    markdown = exported.markdown(data_url(exported.chart_svg))
    app.deliver_text(io.StringIO(markdown), save_filename=REPORT_NAME, mime_type="text/markdown")
    return (
        f"Your browser is downloading the report ({REPORT_NAME}). Answers file downloads your "
        f"answers too, for `advisor recommend`."
    )


def deliver_answers(app: App[Any], exported: Exported) -> str:
    """Hand the answers file to the visitor's browser as a download; what to say."""
    answers = io.StringIO(exported.answers_yaml)
    app.deliver_text(answers, save_filename=ANSWERS_NAME, mime_type="application/yaml")
    return (
        f"Your browser is downloading your answers ({ANSWERS_NAME}): "
        f"`advisor recommend {ANSWERS_NAME}` gives the same recommendation."
    )
