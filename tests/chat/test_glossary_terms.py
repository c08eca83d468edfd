"""Every word of the jargon list, asked about, is answered with its own definition.

"what is LoRA?", "what's a GPU-hour", "what does percentile mean?", "what are adapters?": the
answer is the glossary term that covers the word, or the FAQ entry that ``defines`` that term,
through the lookup and through the conversation a newcomer types into.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.chat.conversation import Conversation
from advisor.chat.lookup import Lookup
from advisor.chat.replies import Explained
from advisor.chat.store import SessionStore
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.kb.jargon import covering_term

JARGON = load_knowledge().glossary.jargon

PHRASINGS = (
    "what is {}?",
    "what's a {}",
    "what are {}?",
    "what does {} mean?",
    "explain {}",
    "{}?",
    "What is the {}",
)


@pytest.fixture(scope="module")
def lookup(kb: KnowledgeBase) -> Lookup:
    return Lookup(kb)


def expected(kb: KnowledgeBase, word: str) -> tuple[str, str]:
    """The title and the text of the answer to "what is ``word``?"."""
    term_id = covering_term(kb, word)
    assert term_id is not None, word
    entry = next((entry for entry in kb.faq if entry.defines == term_id), None)
    if entry is not None:
        return entry.question, entry.answer
    term = next(term for term in kb.terms if term.id == term_id)
    return term.term, term.definition


@pytest.mark.parametrize("word", JARGON)
def test_each_jargon_word_is_answered_with_its_own_entry(
    kb: KnowledgeBase, lookup: Lookup, word: str
) -> None:
    title, text = expected(kb, word)
    for phrasing in PHRASINGS:
        for spelled in (word, word.lower()):
            found = lookup.answer(phrasing.format(spelled))
            assert found is not None and (found.title, found.text) == (title, text), phrasing.format(spelled)


@pytest.mark.parametrize("word", JARGON)
def test_each_jargon_word_is_answered_in_the_chat(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, word: str
) -> None:
    title, text = expected(kb, word)
    for number, phrasing in enumerate(("what is {}?", "what does {} mean?")):
        chat = Conversation(kb, engine, SessionStore(tmp_path / str(number)))
        chat.start()
        replies = chat.handle(phrasing.format(word))
        explained = [r for r in replies if isinstance(r, Explained)]
        assert explained and (explained[0].title, explained[0].text) == (title, text), phrasing.format(word)
        assert chat.given.values == {}


@pytest.mark.parametrize(
    ("asked", "term"),
    [
        ("what is lora?", "lora"),
        ("whats qlora", "qlora"),
        ("what's a GPU-hour", "gpu-hour"),
        ("gpu hours?", "gpu-hour"),
        ("what does percentile mean?", "percentile"),
        ("what is p90?", "percentile"),
        ("what are adapters?", "adapters"),
        ("what is an epoch?", "epoch"),
        ("epochs?", "epoch"),
        ("what are tflops", "tflops"),
        ("what is rag?", "retrieval"),
        ("what is an engineer-week?", "engineer-week"),
        ("what is a checkpoint?", "checkpoint"),
        ("what is quantisaton?", "quantization"),
        ("what does held-out mean?", "test-set"),
    ],
)
def test_the_spellings_people_type(lookup: Lookup, asked: str, term: str) -> None:
    found = lookup.answer(asked)
    assert found is not None and (found.entry.id == term or getattr(found.entry, "defines", None) == term)


@pytest.mark.parametrize(
    ("asked", "term"),
    [
        ("what is classification?", "classification"),
        ("what does 'a label per input' mean?", "classification"),
        ("what is extraction?", "extraction"),
        ("what are fields pulled out?", "extraction"),
        ("what is regression?", "regression"),
        ("what is ranking?", "ranking"),
        ("what's transcription", "transcription"),
        ("what is captioning?", "captioning"),
        ("what is segmentation?", "segmentation"),
        ("what are masks?", "segmentation"),
        ("what is text generation?", "generation"),
        ("what does written text mean?", "generation"),
        ("what is document-qa?", "document-qa"),
        ("what is text data?", "text-data"),
        ("what are images?", "image-data"),
        ("what is audio?", "audio-data"),
        ("what is video?", "video-data"),
        ("what are tables?", "tabular-data"),
        ("what is a time series?", "time-series"),
        ("what is code?", "source-code"),
        ("what is multimodal?", "mixed-data"),
        ("what does in-region mean?", "in-region"),
        ("what does on-premise mean?", "on-premise"),
    ],
)
def test_the_output_and_data_kinds_are_explained(lookup: Lookup, asked: str, term: str) -> None:
    found = lookup.answer(asked)
    assert found is not None and found.entry.id == term, found and found.entry.id
