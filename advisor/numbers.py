"""Numbers as people write them: "2k", "1.5k", "~12k", "two thousand", "half a million", "2.000".

:func:`numbers_in` finds every number in a line, with where it is and what
surrounds it: its scale ("k", "billion", "grand"), a money mark ("$", "USD",
"dollars") or another currency ("€", "rupees", "lakh"), a percent sign, a
"not" before it ("3k, not 2k"), and a range it is the low end of ("5-10k").
Thousands separators of other locales are read where they are unambiguous:
"2.000" and "1.234.567" (a dot followed by groups of exactly three digits, the
first not 0), "10 000", and a decimal comma before a scale ("3,5k"). Numbers
in words go as far as people write them: "twenty five thousand", "a couple
hundred", "a few thousand", "half a million", "one hundred and fifty", "a dozen".

:func:`multipliers_in` finds "10x", "ten times", "twice", "double", "half the":
how a what-if says "more" or "less" of an answer.

Nothing here knows the questions: which answer a number belongs to is decided
by :mod:`advisor.understanding`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache, lru_cache
from itertools import islice

from advisor.records import dataclass

__all__ = ["MOST_NUMBERS", "Multiplier", "Number", "multipliers_in", "numbers_in"]

MOST_NUMBERS = 1_000
"""The most numbers read in one text: an answer or a line names a few; a text of thousands
(a pasted table, a run of "1 1 1 …") is read for its first thousand, in time that stays short."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in a text."""

    value: float
    """The number, its scale applied; the low end of a range."""
    words: str
    """As it was written: ``"1.5k"``, ``"two thousand"``, ``"5-10k"``."""
    start: int
    end: int
    """Where it is in the text (the span of :attr:`words`)."""
    scale: str = ""
    """The scale word, lower case, if one was written: ``k``, ``thousand``, ``b``, ``grand``."""
    high: float | None = None
    """The high end, when the number is a range ("5-10k", "between 10k and 20k")."""
    money: bool = False
    """US dollars were named: ``$``, ``USD``, ``dollars``, ``bucks``, ``grand``."""
    currency: str | None = None
    """Another currency named next to it ("euros", "rupees"): the advisor works in US dollars."""
    percent: bool = False
    negated: bool = False
    """Written after "not" ("3k, not 2k"): the number the person takes back."""
    negative: bool = False
    """Written with a minus sign."""
    spelled: bool = False
    """Written in words ("two thousand")."""
    per: str | None = None
    """The period a rate is said for ("650 a day", "$80/hour", "a week is 3.250"): ``hour``,
    ``day``, ``week``, ``month`` or ``year``; ``None`` for an amount."""

    @property
    def billions(self) -> bool:
        """Scaled in billions ("7B", "7 billion"): how model sizes are written, not counts."""
        return self.scale in ("b", "bn", "billion", "billions")

    @property
    def indian(self) -> bool:
        """Scaled in lakh or crore: a sum of money written so is in rupees."""
        return self.scale in _RUPEE_SCALES


@dataclass(frozen=True, slots=True)
class Multiplier:
    """How many times an answer a what-if asks for: "10x the data" is 10, "half the budget" 0.5."""

    factor: float
    words: str
    start: int
    end: int


_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "trillion": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "crore": 1e7,
    "crores": 1e7,
}
_RUPEE_SCALES = frozenset({"lakh", "lakhs", "lac", "crore", "crores"})
"""Indian number words: a sum of money written with them is in rupees."""

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_COUNTED = {"couple": 2, "few": 3, "dozen": 12}
"""Words that count like numbers after "a": "a couple hundred", "a few thousand", "a dozen"."""

_SCALE_WORDS = "|".join(sorted(_SCALES, key=len, reverse=True))
_SCALE_NAMES = frozenset({"hundred", "of", *(word for word in _SCALES if len(word) > 2)})
"""What may follow "a couple" or "a few" in a number: "a couple (of) hundred", "a few thousand"."""
_DIGITS = (
    r"(?<![\w.,])(?:(?<![a-z]-)|(?<=\d[kmb]-))(?P<minus>-)?(?P<num>"
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,000 and 1,000.50
    r"|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?(?![\d.])"  # 2.000, 1.234.567 and 1.234,56
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])"  # 10 000
    rf"|\d+,\d{{1,2}}(?=\s?(?:{_SCALE_WORDS})\b)"  # 3,5k: a decimal comma before a scale
    r"|\d+(?:\.\d+)?(?:e[+-]?\d+)?(?!\d|[,.]\d)"  # 12, 1.5 and 1e4 (not "12,34": ambiguous)
    r"|\.\d+"
    r")"
    rf"(?:\s?(?P<scale>{_SCALE_WORDS}))?(?P<plus>\+)?(?P<percent>\s?%|\s?percent\b)?(?![a-z])"
)
_WORD = r"[a-z]+"


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A pattern compiled (case-blind) on first use, not on import: the chat shows its first
    question before any number is read. Kept here, since ``re``'s own cache costs more per look-up
    than the short reads around each number."""
    return re.compile(pattern, re.IGNORECASE)


_BEFORE = r"(?<![a-z])(?P<mark>us\$|usd|\$|a\$|au\$|c\$|ca\$|€|£|¥|₹|eur|gbp|inr|rs\.?|chf|jpy|cad|aud)\s*$"
_AFTER = (
    r"^\s*(?P<mark>usd|us dollars?|dollars?|bucks|\$|€|£|¥|₹|eur|euros?|gbp|pounds?|quid|inr|rupees?|"
    r"yen|jpy|chf|francs?|cad|aud|canadian dollars?|australian dollars?)(?![a-z])"
)
_USD = frozenset({"us$", "usd", "$", "dollar", "dollars", "us dollar", "us dollars", "bucks"})
_CURRENCY_NAMES = {
    "€": "euros",
    "eur": "euros",
    "euro": "euros",
    "euros": "euros",
    "£": "pounds",
    "gbp": "pounds",
    "pound": "pounds",
    "pounds": "pounds",
    "quid": "pounds",
    "¥": "yen",
    "jpy": "yen",
    "yen": "yen",
    "₹": "rupees",
    "inr": "rupees",
    "rs": "rupees",
    "rs.": "rupees",
    "rupee": "rupees",
    "rupees": "rupees",
    "chf": "Swiss francs",
    "franc": "Swiss francs",
    "francs": "Swiss francs",
    "a$": "Australian dollars",
    "au$": "Australian dollars",
    "aud": "Australian dollars",
    "australian dollar": "Australian dollars",
    "australian dollars": "Australian dollars",
    "c$": "Canadian dollars",
    "ca$": "Canadian dollars",
    "cad": "Canadian dollars",
    "canadian dollar": "Canadian dollars",
    "canadian dollars": "Canadian dollars",
}
_RANGE_JOIN = r"^\s*+[$€£]?\s*+(?:-|–|—|to)\s*+[$€£]?\s*+$"
"""Possessive (``*+``): a long run of spaces between two numbers is read once, not split every way."""


def numbers_in(text: str) -> list[Number]:
    """Every number in ``text``, in order, up to :data:`MOST_NUMBERS`; a range ("5-10k") is one
    number.

    The text is read once, left to right; what is read around each number (a currency mark, a
    "not", a "between") is read in a window next to it, never in all the text before it, so the
    time taken grows with the length of the text, not with its square."""
    return list(_read(text))


@lru_cache(maxsize=32)
def _read(text: str) -> tuple[Number, ...]:
    """:func:`numbers_in`, kept for the texts read last: an answer is read by several readers
    (its question's, the budget's, the currency's), each asking for its numbers."""
    digits = _digit_numbers(text)
    # Read only as far as both readers got: a text cut short for one is cut short for the other.
    stop = digits[-1].end if len(digits) == MOST_NUMBERS else len(text)
    words = _word_numbers(text, stop)
    if len(words) == MOST_NUMBERS:
        stop = min(stop, words[-1].end)
    found = [number for number in (*digits, *words) if number.end <= stop]
    found.sort(key=lambda number: number.start)
    return tuple(_surroundings(text, number) for number in _ranges(text, found) if not _glued(text, number))


_SIGNS = "$€£¥₹"


def _glued(text: str, number: Number) -> bool:
    """Whether a letter or a digit is written against the number, or against the currency sign
    written against it: the digits of ".34kfo5", "ar$6m3" or "3$bol9" are part of a word (or
    of keys mashed), not a number. Space and punctuation part a number from its neighbours
    ("(about $2k)", "budget=$30k", "$5k/month"), and so does a currency's name ("US$5,000").

    Only the characters next to the number are read (the mark, then the run of signs before it,
    and the run after it), never the text before it all: each run of signs is read for the one
    number on either side, so a line is read in time linear in its length."""
    mark = _mark_before(text, number.start)  # none when the sign is glued to a letter
    left = mark.start() if mark is not None else number.start
    while left > 0 and text[left - 1] in _SIGNS:
        left -= 1
    right = number.end
    while right < len(text) and text[right] in _SIGNS:
        right += 1
    return (left > 0 and text[left - 1].isalnum()) or (right < len(text) and text[right].isalnum())


_LONGEST_MARK = 3
"""The longest currency mark written before a number: ``us$``, ``usd``, ``rs.``."""


def _mark_before(text: str, start: int) -> re.Match[str] | None:
    """The currency mark written just before ``start`` ("$", "USD "): the mark and the spaces
    between it and the number are all that is read (the pattern still sees the letter before)."""
    reach = max(0, _spaces_before(text, start) - _LONGEST_MARK)
    return _pattern(_BEFORE).search(text, reach, start)


def _spaces_before(text: str, start: int) -> int:
    """Where the run of spaces that ends at ``start`` begins (``start`` itself when there is none).
    The run before a number is that number's alone: reading it for each number stays linear."""
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start


def _ends_with(text: str, end: int, word: str) -> bool:
    """Whether ``text[:end]`` ends with ``word`` (lower case), in any case."""
    return text[max(0, end - len(word)) : end].lower() == word


def _word_before(text: str, start: int, longest: int) -> str:
    """The word (as ``str.split`` parts words) just before ``start`` and the spaces after it,
    lower case; ``""`` when it is longer than ``longest`` characters (no word sought is)."""
    end = _spaces_before(text, start)
    begin = end
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
        if end - begin > longest:
            return ""
    return text[begin:end].lower()


def _digit_numbers(text: str) -> list[Number]:
    """Numbers in digits ("2k", "1,000", "3,5k", "10 000", "1e4"): at most :data:`MOST_NUMBERS`."""
    numbers = []
    for match in islice(_pattern(_DIGITS).finditer(text), MOST_NUMBERS):
        written = match["num"]
        scale = (match["scale"] or "").lower()
        digits = written.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if digits.isdigit():
            pass  # most numbers: no separator to read
        elif _pattern(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?").fullmatch(digits):
            digits = digits.replace(".", "").replace(",", ".")  # 2.000 and 1.234,56
        elif _pattern(r"\d+,\d{1,2}").fullmatch(digits):
            digits = digits.replace(",", ".")  # 3,5k
        else:
            digits = digits.replace(",", "")
        try:
            value = float(digits) * _SCALES.get(scale, 1.0)
        except (ValueError, OverflowError):
            value = math.inf
        numbers.append(
            Number(
                value=value,
                words=match.group(0).strip(),
                start=match.start("num") if not match["minus"] else match.start(),
                end=match.end(),
                scale=scale,
                money=scale == "grand",
                percent=bool(match["percent"]),
                negative=bool(match["minus"]),
            )
        )
    return numbers


def _word_numbers(text: str, stop: int) -> list[Number]:
    """Numbers in words before ``stop``: a run of number words, read the way people say them;
    at most :data:`MOST_NUMBERS`."""
    numbers: list[Number] = []
    # A number is the whole text when only spaces come before it and only spaces, dots and "!"
    # after: where those ends are is worked out once, not for each number.
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip(" .!"))
    for words in _runs(text, stop):
        index = 0
        while index < len(words):
            parsed = _parse_words(words, index)
            if parsed is None:
                index += 1
                continue
            value, last, scale, counted = parsed
            start, end = words[index][1], words[last][2]
            whole = start <= lead and end >= tail
            if counted or value >= 10 or whole:
                numbers.append(
                    Number(
                        value=value,
                        words=text[start:end],
                        start=start,
                        end=end,
                        scale=scale,
                        money=scale == "grand",
                        spelled=True,
                    )
                )
                if len(numbers) == MOST_NUMBERS:
                    return numbers
            index = last + 1
    return numbers


_BETWEEN_WORDS = r"[\s,-]*"
"""What may part two words of one number: "twenty-five", "two thousand, five hundred"."""


def _runs(text: str, stop: int) -> Iterator[list[tuple[str, int, int]]]:
    """The words before ``stop`` (lower case, with where they are), in runs of words written next
    to each other: "two thousand 1 000 000 two thousand" is two runs, not one number."""
    run: list[tuple[str, int, int]] = []
    for match in _pattern(_WORD).finditer(text, 0, stop):
        if run and not _pattern(_BETWEEN_WORDS).fullmatch(text, run[-1][2], match.start()):
            yield run
            run = []
        run.append((match.group(0).lower(), match.start(), match.end()))
    if run:
        yield run


def _parse_words(words: list[tuple[str, int, int]], first: int) -> tuple[float, int, str, bool] | None:
    """The number in words starting at ``words[first]``: its value, its last word's index, its
    scale word, and whether it counted with "hundred", a scale or "a couple"/"a few"/"a dozen"."""
    total = 0.0
    current: float | None = None
    scale = ""
    counted = False
    last = -1
    index = first
    while index < len(words):
        word = words[index][0]
        following = words[index + 1][0] if index + 1 < len(words) else ""
        if word in ("a", "an") and (following in _COUNTED or following == "hundred" or following in _SCALES):
            current = current or 1.0
            if following in _COUNTED:
                current = float(_COUNTED[following])
                counted = following == "dozen"
                if not counted and (index + 2 >= len(words) or words[index + 2][0] not in _SCALE_NAMES):
                    break  # "a few" and "a couple" alone are no number; "a few hundred" is
                index += 1
                if index + 1 < len(words) and words[index + 1][0] == "of":
                    index += 1
            last = index
        elif word == "half" and following in ("a", "an") and index + 2 < len(words):
            after = words[index + 2][0]
            if after not in _SCALES and after != "hundred" and after != "dozen":
                break
            current = 0.5
            index += 1
            last = index
        elif word in _UNITS:
            unit = _UNITS[word]
            if current is None:
                current = float(unit)
            elif current >= 100 and current % 100 == 0 and unit < 100:
                current += unit  # one hundred (and) fifty
            elif 20 <= current < 100 and current % 10 == 0 and unit < 10:
                current += unit  # twenty five
            else:
                break
            last = index
        elif word == "hundred" and (current is not None or last >= 0):
            current = (current or 1.0) * 100
            counted = True
            last = index
        elif word == "dozen" and current is not None:
            current *= 12
            counted = True
            last = index
        elif word in _SCALES and len(word) > 2 and (current is not None or last >= 0):
            total += (current or 1.0) * _SCALES[word]
            current = None
            scale = word
            counted = True
            last = index
        elif word == "and" and last >= 0 and following in _UNITS:
            pass
        else:
            break
        index += 1
    if last < 0:
        return None
    value = total + (current or 0.0)
    if last == first and words[first][0] in ("a", "an"):
        return None
    return value, last, scale, counted


def _ranges(text: str, numbers: list[Number]) -> list[Number]:
    """Join "5-10k", "5k to 10k" and "between 10k and 20k" into one number: the low end, with
    the high end beside it (the scale of the second applies to a bare first: "5-10k")."""
    joined: list[Number] = []
    index = 0
    while index < len(numbers):
        number = numbers[index]
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        if following is not None and not number.percent and not number.negative:
            between = text[number.end : following.start]
            if _pattern(_RANGE_JOIN).match(between) or (
                _ends_with(text, _spaces_before(text, number.start), "between")
                and between.strip().lower() == "and"
            ):
                low = number.value
                if not number.scale and following.scale:
                    low *= _SCALES.get(following.scale, 1.0)
                joined.append(
                    replace(
                        number,
                        value=min(low, following.value),
                        high=max(low, following.value),
                        words=text[number.start : following.end],
                        end=following.end,
                        scale=number.scale or following.scale,
                        money=number.money or following.money,
                    )
                )
                index += 2
                continue
        # "-500" after a word ("5-10k" is a range, "resnet-50" no number at all) is a dash.
        joined.append(number)
        index += 1
    return joined


_TAKEN_BACK = frozenset({"not", "isnt", "isn't", "nor"})
"""The words that take back the number after them ("3k, not 2k")."""

_PERIODS = {
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour", "hourly": "hour",
    "day": "day", "days": "day", "daily": "day", "d": "day",
    "week": "week", "weeks": "week", "wk": "week", "weekly": "week",
    "month": "month", "months": "month", "mo": "month", "mth": "month", "monthly": "month",
    "year": "year", "years": "year", "yr": "year", "annum": "year", "yearly": "year",
    "annually": "year", "annual": "year", "pa": "year",
}  # fmt: skip
_PERIOD_WORDS = "|".join(sorted(_PERIODS, key=len, reverse=True))
_PER_AFTER = (
    r"^\s*(?:us\$|usd|us dollars?|dollars?|bucks|\$|€|£|¥|₹|eur|euros?|gbp|pounds?|inr|rupees?|chf|"
    r"lakhs?|crores?)?\s*(?:/\s*|(?:per|an?|each|every|a\s+single)\s+)"
    rf"(?P<per>{_PERIOD_WORDS})(?![a-z])"
    r"|^\s*(?:us\$|usd|dollars?|\$|€|£|eur|euros?|gbp|pounds?)?\s*"
    r"(?P<adverb>hourly|daily|weekly|monthly|yearly|annually)(?![a-z])"
)
_PER_BEFORE = (
    rf"(?<![a-z])(?:an?\s+|per\s+|the\s+|one\s+|1\s+)?(?P<per>{_PERIOD_WORDS})"
    r"\s+(?:is|=|costs?|at|:)\s*~?\s*$"
)
"""A rate said with its period first: "a week is 3.250 dollar", "day rate: 650"."""


_PER_REACH = 24
"""How far after a number its period is looked for: " us dollars per annum" is the longest said."""
_PER_REACH_BEFORE = 16
"""How far before it: "per month is ~ "."""


def _per(text: str, number: Number) -> str | None:
    """The period a number is a rate for, read next to it only."""
    found = _pattern(_PER_AFTER).match(text[number.end : number.end + _PER_REACH])
    if found is not None:
        return _PERIODS[(found["per"] or found["adverb"]).lower()]
    before = _pattern(_PER_BEFORE).search(text, max(0, number.start - _PER_REACH_BEFORE), number.start)
    if before is not None and before["per"].lower() not in ("h", "d", "pa", "mo"):
        return _PERIODS[before["per"].lower()]
    return None


def _surroundings(text: str, number: Number) -> Number:
    """The money mark or currency, and a "not", around a number."""
    after = text[number.end : number.end + 24]
    money = number.money
    currency = None
    marks = []
    if found := _mark_before(text, number.start):
        marks.append(found["mark"].lower())
    if found := _pattern(_AFTER).match(after):
        marks.append(found["mark"].lower())
    # "5K$" and "$10,000-$20,000": a mark written inside the range counts too.
    marks.extend(mark for mark in number.words if mark in _SIGNS)
    for mark in marks:
        if mark in _USD:
            money = True
        else:
            currency = _CURRENCY_NAMES.get(mark.rstrip("."), mark)
    if number.scale in _RUPEE_SCALES and (money or currency):
        currency = "rupees"
    negated = _word_before(text, number.start, len("isn't")) in _TAKEN_BACK
    per = None if number.percent else _per(text, number)
    if (money, currency, negated, per) == (number.money, number.currency, number.negated, None):
        return number
    return replace(number, money=money, currency=currency, negated=negated, per=per)


_MULTIPLIER = (
    r"(?<![\w.])(?:(?P<x>\d+(?:\.\d+)?)\s?(?:x|×|times)(?![a-z-])|x\s?(?P<xafter>\d+(?:\.\d+)?)(?![\w.])"
    r"|(?P<word>two|three|four|five|ten|twenty|fifty|a hundred|hundred)\s+times"
    r"|(?P<twice>twice|double|doubled|triple|tripled|quadruple)"
    r"|(?P<part>half(?=\s+(?:the|my|our|your|as)\b)|a third of|a quarter of|a tenth of))"
)
_MULTIPLIER_WORDS = {
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "ten": 10.0,
    "twenty": 20.0,
    "fifty": 50.0,
    "a hundred": 100.0,
    "hundred": 100.0,
    "twice": 2.0,
    "double": 2.0,
    "doubled": 2.0,
    "triple": 3.0,
    "tripled": 3.0,
    "quadruple": 4.0,
    "half": 0.5,
    "a third of": 1 / 3,
    "a quarter of": 0.25,
    "a tenth of": 0.1,
}


def multipliers_in(text: str) -> list[Multiplier]:
    """ "10x the data", "ten times more", "twice the budget", "half the budget"."""
    found = []
    for match in _pattern(_MULTIPLIER).finditer(text):
        if match["x"] or match["xafter"]:
            factor = float(match["x"] or match["xafter"])
        else:
            key = (match["word"] or match["twice"] or match["part"]).lower()
            factor = _MULTIPLIER_WORDS[key]
        if 0 < factor < math.inf:  # "1000…0x" of 400 digits is read as infinity: no multiplier
            found.append(Multiplier(factor, match.group(0), match.start(), match.end()))
    return found
