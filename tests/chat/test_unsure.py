"""A way forward for someone who does not know: the practitioners' corpus's unsure lines
(corpus_project.yaml, `assumed` and `clarify` at the question on screen) driven through a real
Conversation, then what an assumed answer becomes in the answers file and the report, an empty
line, and the growing count of questions.

Lines about fields the chat does not ask yet (the output, the domain, where the data may go, the
team's size) are left to the reader of those fields; every line about a question the knowledge
base has is driven here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.answers import normalize, to_file, unsure, unsure_only
from advisor.chat.conversation import Conversation
from advisor.chat.modes import Asking, Confirming
from advisor.chat.replies import Asked, Recommended, Reply, Said, Unclear
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.render import to_dict, to_markdown, to_text

HERE = Path(__file__).parent
LINES: list[dict[str, Any]] = yaml.safe_load((HERE / "corpus_project.yaml").read_text(encoding="utf-8"))[
    "lines"
]
CASE = {
    "task": "images",
    "labels": "labeled",
    "labeled_examples": 1000,
    "model_size": "small",
    "budget_usd": 10000,
    "hardware": None,
}
"""The medical-imaging case: the answers before the question on screen, where not given."""


def _questions() -> set[str]:
    data = yaml.safe_load((HERE.parent.parent / "knowledge" / "questions.yaml").read_text(encoding="utf-8"))
    return {question["id"] for question in data["questions"] if question.get("guided", True)}


QUESTIONS = _questions()


def _mine(entry: dict[str, Any]) -> bool:
    """An unsure line at a question the chat asks today, about fields it knows."""
    if entry["at"] not in QUESTIONS or not set(entry.get("given", {})) <= QUESTIONS:
        return False
    if not set(entry.get("read", {})) <= QUESTIONS:
        return False
    return "assumed" in entry or (
        unsure_only(entry["say"]) and ("clarify" in entry or bool(entry.get("unclear")))
    )


UNSURE_LINES = [entry for entry in LINES if _mine(entry)]


def at_question(kb: KnowledgeBase, engine: Engine, at: str, given: dict[str, Any]) -> Conversation:
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    answers = {**CASE, **given}
    if at == "data_location" and "task" not in given:
        answers["task"] = "classify chest x-rays"  # where the data may go is asked of medical data
    for _ in range(len(kb.questions) + 1):
        question = chat.current
        if question is None or question.id == at:
            break
        value = answers.get(question.id)
        chat.act("choose", value) if question.choices else chat.handle(str(value))
    assert chat.current is not None and chat.current.id == at, chat.given.values
    return chat


def text_of(replies: list[Reply]) -> str:
    return " | ".join(reply.text for reply in replies if isinstance(reply, Said | Unclear))


def test_the_unsure_lines_cover_every_question_the_chat_asks() -> None:
    assert len(UNSURE_LINES) >= 25
    assert {entry["at"] for entry in UNSURE_LINES} == QUESTIONS


@pytest.mark.parametrize("entry", UNSURE_LINES, ids=lambda e: f"{e['at']}: {e['say']}")
def test_an_unsure_line_takes_the_stated_default_or_asks(
    kb: KnowledgeBase, engine: Engine, entry: dict[str, Any]
) -> None:
    chat = at_question(kb, engine, entry["at"], entry.get("given", {}))
    question = chat.current
    assert question is not None
    before = dict(chat.given.values)
    replies = chat.handle(entry["say"])
    shown = text_of(replies)
    assert not isinstance(chat.mode, Confirming), shown
    assert not any("I need an answer" in text for text in shown.split(" | "))
    changed = {f: v for f, v in chat.given.values.items() if before.get(f, "missing") != v}
    if "assumed" in entry:
        assert changed == entry["read"], shown
        assert set(entry["assumed"]) <= chat.given.assumed, shown
        # What is assumed is said, and the chat moves on.
        assert isinstance(replies[0], Said) and replies[0].text.startswith(("Not sure is fine", "Then")), (
            shown
        )
        assert chat.current is None or chat.current.id != question.id
        return
    assert changed == {}, shown
    assert chat.current is not None and chat.current.id == question.id
    assert isinstance(replies[0], Unclear), shown
    if "clarify" not in entry:
        return
    # The rough answers are the options now, each a closed answer a number picks.
    offered = [o.value for o in chat.options if o.closed and o.action == "choose"]
    values = [str(choice) for choice in entry["clarify"]["choices"]]
    known = {c.value for c in question.choices}
    expected = [v for v in values if not known or v in known]
    assert offered == expected, shown


@pytest.mark.parametrize(("at", "given"), [("labeled_examples", {"labels": "labeled"}), ("budget_usd", {})])
def test_a_rough_answer_is_picked_by_its_words_or_its_button(
    kb: KnowledgeBase, engine: Engine, at: str, given: dict[str, Any]
) -> None:
    chat = at_question(kb, engine, at, given)
    chat.handle("not sure")
    assert isinstance(chat.mode, Asking) and chat.mode.unsure
    rough = kb.question[at].unsure.rough  # type: ignore[union-attr]
    # By its words, typed ("thousands", "about $10,000").
    typed = at_question(kb, engine, at, given)
    typed.handle("idk")
    replies = typed.handle(rough[1].label.lower())
    assert typed.given.values[at] == rough[1].value, text_of(replies)
    assert at not in typed.given.assumed  # a rough figure of the person's own, not an assumption
    assert "as a rough figure" in text_of(replies)
    # By its button.
    option = next(o for o in chat.options if o.label == rough[0].label)
    chat.pick(option)
    assert chat.given.values[at] == rough[0].value


def test_a_count_with_no_default_is_asked_again_however_often_the_person_is_unsure(
    kb: KnowledgeBase, engine: Engine
) -> None:
    chat = at_question(kb, engine, "labeled_examples", {"labels": "labeled"})
    for line in ["not sure", "no idea", "skip", "", "dunno"]:
        replies = chat.handle(line)
        assert chat.current is not None and chat.current.id == "labeled_examples", text_of(replies)
        assert "labeled_examples" not in chat.given.values
        assert replies and isinstance(replies[0], Unclear)
    chat.handle("about 3k")
    assert chat.given.values["labeled_examples"] == 3000


def test_budget_not_sure_twice_gives_the_report_without_a_budget(kb: KnowledgeBase, engine: Engine) -> None:
    chat = at_question(kb, engine, "budget_usd", {})
    first = chat.handle("idk")
    assert isinstance(first[0], Unclear) and "$10,000" in first[0].text
    replies = chat.handle("still don't know")
    assert chat.given.values["budget_usd"] is None and "budget_usd" in chat.given.assumed
    replies = [*replies, *chat.handle("skip"), *chat.handle("skip")]
    report = next(r.report for r in replies if isinstance(r, Recommended))
    assert report.budget.fits is None and report.budget.level == "unset"
    # The answers file the chat exports keeps the budget unsaid, and what was assumed.
    normalized = chat.given.normalized()
    data = to_file(normalized.answers, kb)
    assert data["budget_usd"] is None and data["assumed"] == ["budget_usd"]
    again = normalize(yaml.safe_load(yaml.safe_dump(data)), kb)
    assert again.answers.values == normalized.answers.values and again.answers.assumed == ("budget_usd",)


def test_an_assumed_answer_is_marked_in_every_report(kb: KnowledgeBase, engine: Engine) -> None:
    chat = at_question(kb, engine, "model_size", {})
    chat.handle("idk")
    for line in ["$10k", "skip", "skip"]:
        replies = chat.handle(line)
    report = next(r.report for r in replies if isinstance(r, Recommended))
    assert report.normalized.answers.assumed == ("model_size",)
    for rendered, heading in (
        (to_text(report), "How I read your answers"),
        (to_markdown(report), "answers were read"),
    ):
        reading = rendered[rendered.index(heading) :]
        assert "(assumed: you were not sure)" in reading.split("Sources")[0]
    assert to_dict(report)["answers"]["assumed"] == ["model_size"]
    # A real answer later is the person's own: no longer assumed.
    chat.handle("actually, BERT-large")
    assert "model_size" not in chat.given.assumed


def test_an_answered_again_question_after_a_not_sure_is_no_longer_assumed(
    kb: KnowledgeBase, engine: Engine
) -> None:
    chat = at_question(kb, engine, "team", {})
    chat.handle("dunno")
    assert chat.given.values["team"] is None and "team" in chat.given.assumed
    chat.handle("back")
    chat.handle("our own team")
    assert chat.given.values["team"] == "in-house" and "team" not in chat.given.assumed


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("not sure", "model_size", True),
        ("Not sure, whatever you recommend", "model_size", True),
        ("still don't know", "budget_usd", True),
        ("as cheap as possible", "budget_usd", True),
        ("cheapest, max $5k", "budget_usd", False),  # a number: an answer after all
        ("as cheap as possible", "model_size", False),  # the budget's words, not the model's
        ("not sure if they are labeled", "labels", False),
        ("BERT", "model_size", False),
    ],
)
def test_what_counts_as_not_sure(kb: KnowledgeBase, text: str, at: str, expected: bool) -> None:
    assert unsure(kb.question[at], text) is expected


def test_unsure_only_is_every_clause() -> None:
    assert unsure_only("no idea, you pick")
    assert not unsure_only("no idea, maybe 2k")


def _asked(replies: list[Reply]) -> Asked | None:
    found = [reply for reply in replies if isinstance(reply, Asked)]
    return found[-1] if found else None


def test_an_empty_line_skips_an_optional_question_and_says_what_to_do_at_a_required_one(
    kb: KnowledgeBase, engine: Engine
) -> None:
    chat = at_question(kb, engine, "model_size", {})
    replies = chat.handle("")
    assert chat.current is not None and chat.current.id == "model_size"
    assert isinstance(replies[0], Unclear) and "not sure" in replies[0].text
    chat.handle("small")
    chat.handle("$10k")
    assert chat.current is not None and chat.current.optional
    optional = chat.current
    replies = chat.handle("   ")
    assert chat.given.values[optional.id] is None and optional.id not in chat.given.assumed
    assert isinstance(replies[0], Said) and replies[0].text.startswith(f"Skipped the {optional.name}")
    assert _asked(replies) is None or _asked(replies).question is not optional  # type: ignore[union-attr]


def test_a_budget_taken_back_after_the_advice_is_said_and_shows_what_moved(
    kb: KnowledgeBase, engine: Engine
) -> None:
    chat = at_question(kb, engine, "team", {})
    chat.handle("skip")
    chat.handle("skip")
    assert chat.done and chat.report is not None and chat.report.budget.level != "unset"
    replies = chat.handle("actually, we don't have a budget yet")
    assert chat.given.values["budget_usd"] is None and "budget_usd" in chat.given.assumed
    assert isinstance(replies[0], Said) and replies[0].text.startswith("Then I'll go without a budget")
    assert chat.report.budget.level == "unset"
    # A budget again, then words about cheapness that take back nothing: nothing changes silently.
    chat.handle("actually, the budget is $20k")
    assert chat.given.values["budget_usd"] == 20000 and "budget_usd" not in chat.given.assumed
    before = dict(chat.given.values)
    for line in ["what is the cheapest approach?", "cheapest possible"]:
        chat.handle(line)
        assert chat.given.values == before, line
    chat.handle("there is no budget")
    assert chat.given.values["budget_usd"] is None


def test_a_what_if_budget_is_not_marked_as_assumed(kb: KnowledgeBase, engine: Engine) -> None:
    chat = at_question(kb, engine, "budget_usd", {})
    chat.handle("no budget yet")
    chat.handle("skip")
    chat.handle("skip")
    assert chat.done
    chat.handle("what if my budget were $5k")
    normalized = chat.given.normalized({**chat.given.values, "budget_usd": 5000})
    assert normalized.answers.assumed == () and normalized.answers.budget_usd == 5000
    assert chat.given.normalized().answers.assumed == ("budget_usd",)


def test_no_budget_said_at_another_question_is_taken_and_that_question_stays_open(
    kb: KnowledgeBase, engine: Engine
) -> None:
    chat = at_question(kb, engine, "model_size", {})
    replies = chat.handle("we have no budget yet")
    assert chat.given.values["budget_usd"] is None and "budget_usd" in chat.given.assumed
    assert "model_size" not in chat.given.values
    assert chat.current is not None and chat.current.id == "model_size", text_of(replies)
