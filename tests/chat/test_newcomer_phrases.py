"""How newcomers actually answer, typos and plurals included, and what each must be read as.

Each line here was typed into the chat while trying it as a newcomer would; the
ones that were misread before are the reason this file exists.
"""

from __future__ import annotations

import pytest

from advisor.kb import KnowledgeBase
from advisor.reading import Reader, Unreadable


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("spot tumours in xrays", {"output": "category", "data": "images", "domain": "medical"}),
        ("classify product photos", {"output": "category", "data": "images"}),
        ("count cars in satellite images", {"output": "number", "data": "images"}),
        ("recognise faces", {"output": "category", "data": "images"}),
        ("sort support emails by urgency", {"output": "category", "data": "text"}),
        ("summarise legal contracts", {"output": "generation", "data": "text", "domain": "legal"}),
        ("answer questions about our docs", {"output": "document-qa", "data": "text"}),
        ("transcribe calls", {"output": "transcription", "data": "audio"}),
        ("predict churn from tables", {"output": "number", "data": "tables"}),
    ],
)
def test_tasks_in_a_newcomers_words(
    kb: KnowledgeBase, reader: Reader, said: str, expected: dict[str, str]
) -> None:
    reading = reader.task(kb.question["task"], said)
    assert reading.value == said
    assert reading.also == expected
    assert reading.clarify is None


def test_a_chatbot_for_documents_is_text_and_asks_what_it_should_produce(
    kb: KnowledgeBase, reader: Reader
) -> None:
    reading = reader.task(kb.question["task"], "we want a chatbot for our docs")
    assert reading.also == {"data": "text"}
    assert reading.clarify is not None and reading.clarify.field == "output"
    assert "document-qa" in reading.clarify.choices


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("yes we have labels", "labeled"),
        ("yes all labelled", "labeled"),
        ("labled", "labeled"),
        ("partialy labelled", "partially-labeled"),
        ("some are labelled", "partially-labeled"),
        ("we labeled a few of them", "partially-labeled"),
        ("half of it is labeled", "partially-labeled"),
        ("only some of it", "partially-labeled"),
        ("none, only raw logs", "unlabeled"),
        ("no labels at all", "unlabeled"),
        ("nope", "unlabeled"),
    ],
)
def test_labels_in_a_newcomers_words(kb: KnowledgeBase, reader: Reader, said: str, expected: str) -> None:
    """A qualifier ("some", "a few") must not lose to the longer word "labelled" beside it."""
    assert reader.choice(kb.question["labels"], said).value == expected


@pytest.mark.parametrize("said", ["dunno", "asdf", "the blue one"])
def test_what_is_not_a_task_is_asked_about_not_guessed(kb: KnowledgeBase, reader: Reader, said: str) -> None:
    reading = reader.task(kb.question["task"], said)
    assert reading.also == {}
    assert reading.clarify is not None and reading.clarify.field == "output"


@pytest.mark.parametrize("said", ["", "   ", "1234", "?!"])
def test_a_task_without_words_is_refused(kb: KnowledgeBase, reader: Reader, said: str) -> None:
    with pytest.raises(Unreadable):
        reader.task(kb.question["task"], said)
