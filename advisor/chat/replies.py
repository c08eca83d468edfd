"""What the chat says: small frozen dataclasses that any view can show.

The conversation (:mod:`advisor.chat.conversation`) returns a list of these
for every line a person types or button they press; the terminal chat, the
browser and ``advisor ask`` each show them in their own way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from advisor.kb.models import Question
from advisor.records import dataclass

if TYPE_CHECKING:
    from advisor.outline import Outline
    from advisor.report import Report

__all__ = [
    "Asked",
    "Compared",
    "Confirm",
    "Explained",
    "Exported",
    "Goodbye",
    "Recommended",
    "Reply",
    "Said",
    "TraceLine",
    "Traced",
    "Unclear",
]


@dataclass(frozen=True, slots=True)
class Said:
    """A plain message."""

    text: str


@dataclass(frozen=True, slots=True)
class Asked:
    """A guided question, with its place in the sequence and any earlier answer."""

    question: Question
    number: int
    total: int
    previous: str | None = None
    """What the person said last time, when the question is asked again."""


@dataclass(frozen=True, slots=True)
class Unclear:
    """An answer that could not be read, with what would be."""

    text: str
    suggestions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Confirm:
    """A reading to confirm before it is used ("only 2 labeled examples?"): yes or no."""

    text: str


@dataclass(frozen=True, slots=True)
class Goodbye:
    """The person ended the chat ("quit", "exit"); the answers are saved."""

    text: str = "Bye! Your answers are saved: run the advisor again to pick up where you left off."


@dataclass(frozen=True, slots=True)
class Explained:
    """Help for a question, a FAQ answer or a glossary term, with citations."""

    title: str
    text: str
    claims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recommended:
    """The recommendation card."""

    report: Report


@dataclass(frozen=True, slots=True)
class TraceLine:
    """One paragraph of "why?"."""

    kind: Literal["step", "applied", "missed", "note", "decided"]
    """What it says: a step of the decision, a rule that applied, one that did not, a plain
    note, or the conclusion."""
    text: str
    effects: str = ""
    """What the rule does to the scores ("+2 supervised, rules out unsupervised")."""
    title: str = ""
    """A step's name ("2. Does it fit the budget?")."""

    @property
    def heading(self) -> str:
        return self.title or {"applied": "Counted", "missed": "Did not apply"}.get(self.kind, "")


@dataclass(frozen=True, slots=True)
class Traced:
    """ "why?": the decision in plain language."""

    report: Report
    lines: tuple[TraceLine, ...]


@dataclass(frozen=True, slots=True)
class Compared:
    """A what-if or a changed answer: the new recommendation and what moved."""

    before: Report
    after: Report
    changes: tuple[str, ...]
    moved: tuple[str, ...]
    kept: bool
    """Whether the change was applied (False for a what-if the person may keep)."""


@dataclass(frozen=True, slots=True)
class Exported:
    """The report and the answers, ready to be saved or downloaded where the person wants them."""

    outline: Outline
    """The report, as every rendering of it walks it: the Markdown and the chart come from it."""
    answers_yaml: str
    """An answers file: ``advisor recommend`` on it gives the same report."""

    def markdown(self, chart: str | None) -> str:
        """The report with its picture linked at ``chart`` (a file name beside it, or a data URL),
        or, with ``None``, without the image (its text version stays)."""
        from advisor.render import to_markdown  # rendered only on export

        return to_markdown(self.outline, chart=chart)

    @property
    def chart_svg(self) -> str:
        """The picture of the cost as an SVG document ("" when the report has none)."""
        from advisor.chart import chart_svg

        chart = self.outline.chart
        return "" if chart is None else chart_svg(chart)


Reply = Said | Asked | Unclear | Confirm | Explained | Recommended | Traced | Compared | Exported | Goodbye
