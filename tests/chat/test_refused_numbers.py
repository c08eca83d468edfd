"""A cost set in the chat that the number policy refuses is never kept nor saved, and one already
in a saved chat (saved before the policy refused it) is left out on resume, saying so: a tiny
divisor (``5e-324``) once made every report, and so every resume, crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import MEDICAL

from advisor.chat.conversation import Conversation
from advisor.chat.modes import OfferingResume
from advisor.chat.replies import Reply
from advisor.chat.store import SessionStore
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase


def text_of(replies: list[Reply]) -> str:
    return " ".join(getattr(reply, "text", "") for reply in replies)


def saved(folder: Path) -> list[dict[str, object]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("session-*.json")]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("set gpu_effective_tflops to 5e-324", "5e-324 is below the range I accept: 0.03 to 120,000 TFLOP/s"),
        ("set gpu_memory_gb to 1e-310", "1e-310 is below the range I accept: 0.08 to 80,000 GB"),
        ("set gpu_hour_usd to 1e300", "is far more than any USD per GPU-hour"),
        (
            "set gpu_hour_usd to 9000",
            "9000 is above the range I accept: 0, or 0.0015 to 4,000 USD per GPU-hour",
        ),
    ],
)
def test_a_cost_the_policy_refuses_is_said_and_never_saved(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, line: str, says: str
) -> None:
    conversation = Conversation(kb, engine, SessionStore(tmp_path))
    conversation.start()
    conversation.handle(MEDICAL[0])  # an answer, so that the chat is saved
    said = text_of(conversation.handle(line))
    assert says in said
    assert conversation.given.assumptions == {}
    assert all(not file.get("assumptions") for file in saved(tmp_path))


def test_a_refused_cost_in_a_saved_chat_is_left_out_on_resume_saying_so(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    store = SessionStore(tmp_path)
    first = Conversation(kb, engine, store)
    first.start()
    for line in (*MEDICAL[:3], "set gpu_hour_usd to 2.5"):
        first.handle(line)
    assert first.given.assumptions == {"gpu_hour_usd": 2.5}
    [path] = tmp_path.glob("session-*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["assumptions"] = {"gpu_hour_usd": 2.5, "gpu_effective_tflops": 5e-324, "gpu_memory_gb": 1e-310}
    path.write_text(json.dumps(data), encoding="utf-8")
    del first  # closed: nothing else is written

    second = Conversation(kb, engine, store)
    second.start()
    assert isinstance(second.mode, OfferingResume)
    said = text_of(second.handle("resume"))
    assert second.given.assumptions == {"gpu_hour_usd": 2.5}
    assert "I left out a cost you had set, which I no longer accept: gpu_effective_tflops: 5e-324" in said
    assert "gpu_memory_gb: 1e-310 is below the range I accept: 0.08 to 80,000 GB of memory per GPU" in said
    # The rest of the chat goes on, to a report with finite numbers.
    for line in MEDICAL[3:]:
        said = text_of(second.handle(line))
    assert second.report is not None
    assert "nan" not in said.lower()


@pytest.mark.parametrize(
    ("line", "says"),
    [
        # 400 digits before the "x": read as an infinite factor, whose product round() refused
        ("what if 1" + "0" * 400 + "x the data", "I couldn't tell which answer to change"),
        (
            "what if 10000000000x the budget",
            "10000000000x makes $100,000,000,000,000, more than I can believe for budget (at most 1e+12)",
        ),
    ],
)
def test_a_what_if_past_the_largest_answer_is_refused_in_words(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, line: str, says: str
) -> None:
    conversation = Conversation(kb, engine, SessionStore(tmp_path))
    conversation.start()
    for answer in MEDICAL:
        conversation.handle(answer)
    assert conversation.report is not None
    before = dict(conversation.given.values)
    assert says in text_of(conversation.handle(line))
    assert conversation.given.values == before
