"""The chat's modes: one at a time, the events each takes, and the options a person has in each,
which both views render as they are (the chat's buttons, ``advisor ask``'s numbers)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from helpers import TICKETS, TICKETS_TASK

from advisor.chat.conversation import Conversation
from advisor.chat.modes import (
    MOVES,
    NOT_NOW,
    Advising,
    Asking,
    Confirming,
    Mode,
    OfferingResume,
    Option,
    Starting,
    TryingWhatIf,
)
from advisor.chat.replies import Compared, Exported, Said
from advisor.chat.store import SessionStore
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase

ANSWERS = [TICKETS, "labeled", "2k", "small", "$10k", "skip", "skip"]


@pytest.fixture
def chat(kb: KnowledgeBase, engine: Engine, tmp_path: Path) -> Conversation:
    conversation = Conversation(kb, engine, SessionStore(tmp_path / "state"))
    conversation.start()
    return conversation


def actions(chat: Conversation) -> list[str]:
    return [option.action for option in chat.options]


def test_every_mode_has_its_row_in_the_table() -> None:
    assert set(MOVES) == set(get_args(Mode))
    assert set(NOT_NOW) <= {event for row in MOVES.values() for event in row}


def test_before_the_greeting_nothing_can_be_done(kb: KnowledgeBase, engine: Engine) -> None:
    chat = Conversation(kb, engine)
    assert isinstance(chat.mode, Starting) and chat.options == ()


def test_asking_offers_the_choices_skip_when_optional_and_explain(chat: Conversation) -> None:
    assert isinstance(chat.mode, Asking) and chat.mode.question.id == "task"
    task = chat.kb.question["task"]
    assert chat.options == (
        *(Option(c.label, "choose", c.value, closed=True) for c in task.choices),
        Option("Explain", "explain"),
    )
    for line in ANSWERS[:5]:
        chat.handle(line)
    assert chat.current is not None and chat.current.optional and chat.current.choices
    assert actions(chat)[-2:] == ["skip", "explain"] and chat.options[-2].closed


def test_skip_of_a_question_without_choices_is_no_numbered_answer(chat: Conversation) -> None:
    """A number typed at a count is the count: only a closed set of answers is numbered."""
    for line in [TICKETS, "nobody tagged them"]:
        chat.handle(line)
    assert chat.current is not None and chat.current.id == "unlabeled_examples"
    assert [(o.action, o.closed) for o in chat.options] == [("skip", False), ("explain", False)]


def test_a_reading_to_confirm_offers_yes_and_no_and_stays_through_help(chat: Conversation) -> None:
    chat.handle(TICKETS)
    chat.handle("labeled")
    chat.handle("2")  # two labeled examples: confirmed first
    assert isinstance(chat.mode, Confirming) and isinstance(chat.mode.then, Asking)
    assert [(o.label, o.closed) for o in chat.options] == [("Yes", True), ("No", True)]
    chat.handle("help")
    assert isinstance(chat.mode, Confirming)
    chat.handle("yes")
    assert isinstance(chat.mode, Asking) and chat.given.values["labeled_examples"] == 2


def test_a_move_leaves_a_reading_waiting_for_a_yes(chat: Conversation) -> None:
    chat.handle(TICKETS)
    chat.handle("labeled")
    chat.handle("2")
    chat.act("back")
    assert isinstance(chat.mode, Asking) and chat.mode.question.id == "labels"
    assert "labeled_examples" not in chat.given.values


def test_after_the_recommendation_and_in_a_what_if(chat: Conversation) -> None:
    for line in ANSWERS:
        chat.handle(line)
    assert isinstance(chat.mode, Advising)
    assert actions(chat) == ["why", "what_if", "export", "copy_report", "restart"]
    replies = chat.handle("what if my budget were $50k")
    assert isinstance(replies[-1], Compared) and isinstance(chat.mode, TryingWhatIf)
    assert chat.mode.answers == {"budget_usd": 50000}
    assert actions(chat)[0] == "keep"
    chat.pick(chat.options[0])
    assert isinstance(chat.mode, Advising) and chat.given.values["budget_usd"] == 50000


def test_undo_restart_is_offered_while_a_restart_can_be_undone(chat: Conversation) -> None:
    chat.handle(TICKETS)
    chat.pick(Option("Restart", "restart"))
    assert chat.options[0] == Option("Undo restart", "undo")
    chat.pick(chat.options[0])
    assert "undo" not in actions(chat) and chat.given.values["task"] == TICKETS


def test_an_event_the_mode_does_not_take_is_said_not_done(chat: Conversation) -> None:
    replies = chat.act("keep")
    assert isinstance(replies[0], Said) and "no what-if" in replies[0].text
    assert isinstance(chat.mode, Asking)
    assert not any(isinstance(reply, Exported) for reply in chat.act("export"))
    assert chat.act("why")[-1] == chat.again()[0]  # said why not, and the question again


def test_the_offer_to_resume_offers_resume_or_start_over(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    store = SessionStore(tmp_path / "state")
    first = Conversation(kb, engine, store)
    first.start()
    first.handle(TICKETS)
    store.close()
    second = Conversation(kb, engine, SessionStore(tmp_path / "state"))
    second.start()
    assert isinstance(second.mode, OfferingResume)
    assert [(o.label, o.action, o.closed) for o in second.options] == [
        ("Resume", "resume", True),
        ("Start over", "restart", True),
    ]
    second.act("back")  # not taken while offering: the offer again
    assert isinstance(second.mode, OfferingResume)
    second.pick(second.options[0])
    assert isinstance(second.mode, Asking) and second.given.values == TICKETS_TASK


def test_what_a_view_does_itself_is_not_picked(chat: Conversation) -> None:
    with pytest.raises(ValueError, match="what_if"):
        chat.pick(Option("What if…", "what_if"))
