"""The numbers reader reads a text once: the work grows with the text's length, not its square.

The work is counted, not timed: every character copied out of the text by slicing, and every
character a pattern is given to read, add to a count that must stay within a small multiple of
the text's length (a reader that reads all the text before each number would count thousands of
times more). Timings are in ``benchmarks/bench.py --numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import advisor.numbers as numbers_module
from advisor.numbers import numbers_in

WORK_PER_CHARACTER = 24
"""How many characters may be read for each character of the text: a few patterns over each
number and its neighbours, never the whole text before it."""


class Counted(str):
    """A text that counts the characters copied out of it by slicing or indexing."""

    copied = 0

    def __getitem__(self, key: Any) -> str:
        part = str.__getitem__(self, key)
        Counted.copied += len(part)
        return part


class CountingPattern:
    """A compiled pattern that counts the characters it is given to read."""

    scanned = 0

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    @staticmethod
    def _span(text: str, pos: int = 0, endpos: int | None = None) -> int:
        end = len(text) if endpos is None else min(endpos, len(text))
        return max(0, end - pos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        CountingPattern.scanned += self._span(text, pos, endpos)
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        CountingPattern.scanned += self._span(text, pos, endpos)
        return self.pattern.match(text, pos, len(text) if endpos is None else endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        CountingPattern.scanned += self._span(text, pos, endpos)
        return self.pattern.fullmatch(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        CountingPattern.scanned += self._span(text, pos, endpos)
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Count the reader's work from zero, with nothing kept from an earlier read."""
    compiled = numbers_module._pattern
    monkeypatch.setattr(numbers_module, "_pattern", lambda pattern: CountingPattern(compiled(pattern)))
    numbers_module._read.cache_clear()
    Counted.copied = CountingPattern.scanned = 0
    yield
    numbers_module._read.cache_clear()


def _work_per_character(text: str) -> float:
    numbers_in(Counted(text))
    return (Counted.copied + CountingPattern.scanned) / len(text)


LONG_TEXTS = {
    # Fewer numbers than the cap, far apart: the reader's own pace, not the cap, is measured.
    "numbers among words": "we have 12 labeled examples and some more " * 900,
    "dollar signs": "budget: $5, or $$$$ maybe " * 900,
    "currency names": "5 euros or USD 7 and   £ 3 " * 300,
    "not before each": "3k, not 2k, then " * 450,
    "between and": "between 10k and 20k examples " * 450,
    "ranges": "5-10k or 7 to 9 " * 450,
    "spaces": "1" + " " * 40_000 + "2",
    "signs": "$" * 40_000 + "5",
    "separators": "1,000,000 and 2.000.000 and 10 000 000, " * 300,
    "words": "twenty five thousand and a couple hundred, " * 400,
}


@pytest.mark.parametrize("name", LONG_TEXTS)
def test_the_reader_reads_a_long_text_once(work: None, name: str) -> None:
    # 16 KB of numbers among words took minutes to read when the text before each number was
    # searched again for a currency mark, a "not" and a "between".
    assert _work_per_character(LONG_TEXTS[name]) <= WORK_PER_CHARACTER


def test_a_text_of_thousands_of_numbers_is_read_for_its_first_thousand(work: None) -> None:
    from advisor.numbers import MOST_NUMBERS

    text = "1 " * 128 * 1024  # 256 KB: the largest answers file holds no more
    found = numbers_in(Counted(text))
    assert len(found) == MOST_NUMBERS
    assert [number.value for number in found[:3]] == [1.0, 1.0, 1.0]
    # The rest of the text is not read at all: the work is that of the first thousand numbers.
    assert Counted.copied + CountingPattern.scanned <= WORK_PER_CHARACTER * 8 * MOST_NUMBERS + len(text)


def test_what_is_read_around_a_number_is_unchanged() -> None:
    found = numbers_in("between 10k and 20k, not 3k; US$5,000 or 7 euros and ar$6m3")
    assert [(n.words, n.value, n.high, n.negated, n.money, n.currency) for n in found] == [
        ("10k and 20k", 10_000.0, 20_000.0, False, False, None),
        ("3k", 3_000.0, None, True, False, None),
        ("5,000", 5_000.0, None, False, True, None),
        ("7", 7.0, None, False, False, "euros"),
    ]


def test_a_mark_after_a_long_run_of_spaces_is_still_read() -> None:
    [number] = numbers_in("$" + " " * 500 + "5")
    assert number.money


def test_a_number_glued_to_letters_behind_a_run_of_signs_is_no_number() -> None:
    assert numbers_in("ab$$$$5") == []
    assert [n.value for n in numbers_in("($$$$5)")] == [5.0]


def test_an_answer_of_more_numbers_than_are_read_is_refused_not_read_as_its_first() -> None:
    from advisor.reading import Unreadable, read_money

    with pytest.raises(Unreadable) as refused:
        read_money("1 " * 5000 + "2")
    assert "holds more than 1,000 numbers; give one" in refused.value.message


def test_number_words_parted_by_digits_are_two_numbers_not_one_run() -> None:
    # The fuzz run found "1 000 000 $two thousand" repeated read as one number of 21 KB of words,
    # quoted whole in a message.
    text = "two thousand 1 000 000 two thousand"
    assert [(n.words, n.value) for n in numbers_in(text)] == [
        ("two thousand", 2000.0),
        ("1 000 000", 1_000_000.0),
        ("two thousand", 2000.0),
    ]
    assert [n.value for n in numbers_in("twenty-five thousand, five hundred")] == [25_500.0]


def test_a_message_quotes_a_long_number_short() -> None:
    from advisor.reading import Unreadable, read_money

    with pytest.raises(Unreadable) as refused:
        read_money("1 000 000 $two thousand " * 500)
    assert len(refused.value.message) < 300


RATES = [
    ("freelancer, 650 dollar per day", 650, "day"),
    ("so week is 3.250 dollar", 3250, "week"),
    ("600 € a day", 600, "day"),
    ("£80 an hour", 80, "hour"),
    ("$9k a month", 9000, "month"),
    ("contractor at $80/hour", 80, "hour"),
    ("freelancer 500$/day", 500, "day"),
    ("a data scientist here costs 95k a year", 95000, "year"),
    ("rate is 75 dollars hourly", 75, "hour"),
    ("CHF 1200 per day", 1200, "day"),
]


@pytest.mark.parametrize(("text", "value", "per"), RATES, ids=[text for text, _, _ in RATES])
def test_a_rate_is_read_with_its_period(text: str, value: float, per: str) -> None:
    found = [number for number in numbers_in(text) if number.per is not None]
    assert [(number.value, number.per) for number in found] == [(value, per)]


@pytest.mark.parametrize(
    "text",
    ["we could label 500 in a week", "5k images a day later", "3 years of orders, 30k", "$10k", "20% a day"],
)
def test_an_amount_or_a_count_has_no_period(text: str) -> None:
    assert [number.per for number in numbers_in(text)] == [None] * len(numbers_in(text))


def test_a_count_of_x_rays_is_no_multiplier() -> None:
    from advisor.numbers import multipliers_in

    assert multipliers_in("3000 x-rays but nobody tagged them") == []
    assert [m.factor for m in multipliers_in("10x the data")] == [10.0]
