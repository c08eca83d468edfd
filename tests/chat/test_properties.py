"""Properties of the chat over generated input (hypothesis, derandomized: the same every run).

- No line crashes the sentence reader or the conversation, at any question.
- A random mix of answers, newcomer phrasings, questions, corrections, what-ifs, back,
  restart, undo, confirmations and garbage never leaves the conversation stuck: it can
  always be finished, and it ends with the recommendation ``advisor recommend`` gives
  for the answers file it exports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.answers import normalize
from advisor.chat.conversation import Conversation
from advisor.chat.replies import Exported, Reply
from advisor.engine import Engine
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.report import build_report
from advisor.understanding import Understander

CORPUS = yaml.safe_load((Path(__file__).with_name("corpus.yaml")).read_text(encoding="utf-8"))
PHRASES: dict[str, list[str]] = {}
for entry in CORPUS["lines"]:
    PHRASES.setdefault(entry["at"], []).append(entry["say"])
EVERY_PHRASE = sorted({entry["say"] for entry in CORPUS["lines"]})

COMMANDS = ["back", "restart", "undo", "help", "why?", "skip", "keep it", "export", "yes", "no", "resume"]
RANDOM_CONVERSATIONS = 1000

KB = load_knowledge()
ENGINE = Engine(KB)
UNDERSTANDER = Understander(KB)

_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
)
_wordy = st.lists(
    st.sampled_from([*EVERY_PHRASE, "2k", "$5", "none", "not", "half", "7B", "€", "lakh", "?", ",", "and"]),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_texts, _wordy), at=st.sampled_from([None, *(q.id for q in KB.questions)]))
def test_no_line_crashes_the_sentence_reader(text: str, at: str | None) -> None:
    understanding = UNDERSTANDER.understand(text, at=KB.question[at] if at else None, known={"task": "text"})
    for heard in understanding.heard:
        assert heard.field in KB.question
        strictly = UNDERSTANDER.reader.read(KB.question[heard.field], heard.value, strict=True)
        assert strictly.value == heard.value


def canonical(kb: KnowledgeBase, question_id: str, pick: int) -> str:
    """A plain answer to a question, as a person might type it."""
    question = kb.question[question_id]
    if question.choices:
        return question.choices[pick % len(question.choices)].value
    if question.kind == "count":
        return ("500", "2k", "12,000", "50")[pick % 4]
    return ("$3k", "10000", "$50k", "800 dollars")[pick % 4]


def finish(chat: Conversation, steps: int = 20) -> list[Reply]:
    """Answer what is left plainly; the conversation must reach a recommendation."""
    replies: list[Reply] = []
    for step in range(steps):
        if chat.done and chat.confirming is None and chat.offering_resume is None:
            return replies
        if chat.offering_resume is not None:
            replies = chat.handle("resume")
        elif chat.confirming is not None:
            replies = chat.handle("yes")
        elif chat.current is not None:
            replies = chat.handle(canonical(chat.kb, chat.current.id, step))
        else:  # no question and no report: only a bug gets here
            raise AssertionError(f"stuck with no question and no report: {chat.values}")
    raise AssertionError(f"stuck after {steps} plain answers: {chat.values}, asking {chat.current}")


_step = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 7)),
    st.tuples(st.just("phrase"), st.integers(0, 10_000)),
    st.tuples(st.just("any"), st.sampled_from(EVERY_PHRASE)),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("what if"), st.sampled_from([*PHRASES["done"], "what if my budget were $50k"])),
    st.tuples(st.just("edit"), st.sampled_from([q.id for q in KB.questions])),
    st.tuples(st.just("text"), _texts),
)


@settings(
    max_examples=RANDOM_CONVERSATIONS,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(_step, max_size=10))
def test_random_conversations_never_get_stuck_and_end_as_recommend_does(steps: list[tuple[str, Any]]) -> None:
    chat = Conversation(KB, ENGINE)
    chat.start(resume=False)
    for kind, value in steps:
        if kind == "answer" and chat.current is not None:
            chat.handle(canonical(KB, chat.current.id, value))
        elif kind == "phrase":
            phrases = PHRASES.get(chat.current.id if chat.current else "done", EVERY_PHRASE)
            chat.handle(phrases[value % len(phrases)])
        elif kind == "edit":
            chat.edit(value)
        elif kind != "answer":
            chat.handle(value)
        if chat.current is not None:
            assert chat.current in chat.questions
    finish(chat)
    report = chat.report
    assert report is not None
    exported = next(reply for reply in chat.export() if isinstance(reply, Exported))
    again = build_report(KB, ENGINE, normalize(yaml.safe_load(exported.answers_yaml), KB, strict=True))
    assert again.approach == report.approach
    assert (again.cost.low, again.cost.high) == (report.cost.low, report.cost.high)
    assert again.budget.level == report.budget.level
