"""One matching policy for the FAQ and the glossary: a newcomer's question in their own words gets
its own entry or none, never another's; a question with no answer gets three topics instead.

The questions are in faq_paraphrases.yaml, written before the matching they test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.chat.conversation import Conversation
from advisor.chat.lookup import Found, Lookup, title
from advisor.chat.replies import Explained
from advisor.chat.store import SessionStore
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase

DATA = yaml.safe_load((Path(__file__).parent / "faq_paraphrases.yaml").read_text(encoding="utf-8"))
PARAPHRASES: list[dict[str, Any]] = DATA["paraphrases"]


@pytest.fixture(scope="module")
def lookup(kb: KnowledgeBase) -> Lookup:
    return Lookup(kb)


@pytest.fixture
def chat(kb: KnowledgeBase, engine: Engine, tmp_path: Path) -> Conversation:
    conversation = Conversation(kb, engine, SessionStore(tmp_path / "state"))
    conversation.start()
    return conversation


def answers(kb: KnowledgeBase, found: Found | None, expected: str) -> bool:
    """Whether ``found`` is the entry ``expected`` names (a FAQ entry or a term), or the FAQ
    entry that defines that term."""
    if found is None:
        return False
    entry = found.entry
    return entry.id == expected or getattr(entry, "defines", None) == expected


def titles(kb: KnowledgeBase) -> dict[str, str]:
    """Every entry's title, and the id it is the title of."""
    return {title(entry): entry.id for entry in (*kb.faq, *kb.terms)}


def test_there_are_forty_paraphrases_at_least_and_each_names_an_entry(kb: KnowledgeBase) -> None:
    assert len(PARAPHRASES) >= 40
    ids = {entry.id for entry in (*kb.faq, *kb.terms)}
    assert [p["expect"] for p in PARAPHRASES if p["expect"] not in ids] == []


@pytest.mark.parametrize("line", PARAPHRASES, ids=lambda p: p["asks"])
def test_a_paraphrase_finds_its_own_entry(kb: KnowledgeBase, lookup: Lookup, line: dict[str, Any]) -> None:
    found = lookup.answer(line["asks"])
    assert answers(kb, found, line["expect"]), found and found.entry.id


def test_no_paraphrase_is_answered_with_another_entry_in_the_chat(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    """Through the conversation a newcomer types into, at the first question. Some lines are
    answered before the FAQ by what the chat knows for sure (what it can do, the cheapest plan):
    those replies carry no FAQ or glossary title. None may carry another entry's."""
    named = titles(kb)
    wrong, read = [], []
    for number, line in enumerate(PARAPHRASES):
        chat = Conversation(kb, engine, SessionStore(tmp_path / str(number)))
        chat.start()
        explained = [r for r in chat.handle(line["asks"]) if isinstance(r, Explained)]
        if not explained:  # "break down the costs for me", "explain epochs": read as a task
            read.append(line["asks"])
            continue
        entry = named.get(explained[0].title)
        expected = {line["expect"], *(e.id for e in kb.faq if e.defines == line["expect"])}
        if entry is not None and entry not in expected:
            wrong.append((line["asks"], entry))
        elif entry is not None:
            assert chat.given.values == {}, line["asks"]  # a question is never read as an answer
    assert wrong == []
    assert len(read) <= len(PARAPHRASES) // 10, read


def test_what_costs_are_there_finds_the_cost_entry(lookup: Lookup) -> None:
    found = lookup.answer("what costs are there?")
    assert found is not None and found.entry.id == "cost-categories"
    assert "compute" in found.text.lower() and "tooling" in found.text.lower()


@pytest.mark.parametrize("line", DATA["no_match"])
def test_an_off_topic_question_gets_no_answer_and_three_topics(
    kb: KnowledgeBase, lookup: Lookup, chat: Conversation, line: str
) -> None:
    assert lookup.answer(line) is None
    topics = lookup.topics(line)
    assert len(topics) == 3 and len(set(topics)) == 3
    assert all(topic in titles(kb) for topic in topics)
    replies = chat.handle(line if line.endswith("?") else line + "?")
    explained = [r for r in replies if isinstance(r, Explained)]
    assert explained and explained[0].title == "I don't have an answer to that"
    assert sum(f"“{topic}”" in explained[0].text for topic in titles(kb)) == 3


def test_the_topics_of_a_near_miss_are_the_closest(lookup: Lookup) -> None:
    """A question on a known subject that no entry answers lists entries of that subject."""
    topics = lookup.topics("how do GPUs get shipped to the data center?")
    assert any("GPU" in topic for topic in topics), topics


@pytest.mark.parametrize("line", DATA["not_questions"])
def test_an_answer_is_not_taken_for_a_question(kb: KnowledgeBase, chat: Conversation, line: str) -> None:
    named = titles(kb)
    replies = chat.handle(line)
    assert not [r.title for r in replies if isinstance(r, Explained) and r.title in named]
    assert not any(isinstance(r, Explained) and r.title == "I don't have an answer to that" for r in replies)


@pytest.mark.parametrize(
    "line",
    ["what is lora?", "what's a gpu-hour", "percentile?", "what are adapters?", "what costs are there?"],
)
def test_the_score_of_an_exact_entry_is_sure(lookup: Lookup, line: str) -> None:
    """The chat takes a line that is no question mark as a question only at 90 or more."""
    found = lookup.answer(line)
    assert found is not None and found.score >= 90
