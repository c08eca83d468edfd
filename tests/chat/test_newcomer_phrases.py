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
        ("spot tumours in xrays", "images"),
        ("classify product photos", "images"),
        ("count cars in satellite images", "images"),
        ("recognise faces", "images"),
        ("sort support emails by urgency", "text"),
        ("summarise legal contracts", "text"),
        ("answer questions about our docs", "text"),
        ("we want a chatbot for our docs", "text"),
        ("transcribe calls", "other"),
        ("predict churn from tables", "other"),
    ],
)
def test_tasks_in_a_newcomers_words(kb: KnowledgeBase, reader: Reader, said: str, expected: str) -> None:
    reading = reader.choice(kb.question["task"], said)
    assert reading.value == expected
    assert reading.note is not None and said in reading.note


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
def test_what_is_not_a_task_is_asked_again_not_guessed(kb: KnowledgeBase, reader: Reader, said: str) -> None:
    with pytest.raises(Unreadable):
        reader.choice(kb.question["task"], said)
