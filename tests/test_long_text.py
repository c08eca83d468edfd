"""A long text is matched against the knowledge base's phrases without comparing it to each:
a text far longer than a phrase cannot be similar to it, and 256 KB compared with every phrase
took seconds."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from advisor.text import Vocabulary

PHRASES = Vocabulary(
    [("text", "text"), ("images", "images"), ("labeled", "labeled"), ("labelled", "labeled")]
)


def test_a_text_far_longer_than_every_phrase_is_compared_with_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> float:
        raise AssertionError("compared a 256 KB text with a phrase")

    monkeypatch.setattr(fuzz, "ratio", refuse)
    monkeypatch.setattr(fuzz, "token_sort_ratio", refuse)
    ranked = PHRASES.ranked("1 " * 128 * 1024)
    assert {match.score for match in ranked} == {0.0}
    assert PHRASES.closest("classify 1 " * 1000, cutoff=50, margin=0) is None


@pytest.mark.parametrize(("typed", "meant"), [("imges", "images"), ("labled", "labeled"), ("txt", "text")])
def test_a_short_typo_is_still_matched(typed: str, meant: str) -> None:
    match = PHRASES.closest(typed, cutoff=60, margin=8)
    assert match is not None and match.thing == meant
