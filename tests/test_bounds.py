"""The number policy (:mod:`advisor.bounds`): finite, in range, not negative where that means
nothing; YAML 1.1 integer forms read as the decimal meant or refused; and the formatting of
amounts, which must never fail on any float."""

from __future__ import annotations

import math
import random
import struct

import pytest

from advisor.bounds import LARGEST, SMALLEST, NumberError, allowed, as_number, within, written
from advisor.formatting import format_amount, format_params, format_usd, format_value, usd_range


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (12, 12.0), (-3, -3.0), (2.5, 2.5), ("1e5", 1e5), (" 2.5 ", 2.5), ("-.5", -0.5)],
)
def test_numbers_and_decimal_text_are_read(value: object, expected: float) -> None:
    assert as_number(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (True, "not true"),
        (math.nan, "NaN"),
        (math.inf, "infinite"),
        (-math.inf, "infinite"),
        (10**400, "401 digits"),
        ("1" * 5000, "5,000 characters"),
        ("9" * 400, "far too large"),
        ("ten", "not the text 'ten'"),
        ([1, 2], "not a list"),
        (None, "not a NoneType"),
        ("0x10", "hexadecimal for 16"),
        ("0b1010", "binary for 10"),
        ("-0x1F", "hexadecimal for -31"),
    ],
)
def test_what_is_not_a_finite_number_is_refused_in_words(value: object, said: str) -> None:
    with pytest.raises(NumberError) as refused:
        as_number(value)
    assert said in refused.value.message
    assert len(refused.value.message) < 120


@pytest.mark.parametrize(
    ("text", "value"), [("0500", 500.0), ("02000", 2000.0), ("-010", -10.0), ("0900", 900.0)]
)
def test_a_leading_zero_is_the_decimal_meant_with_a_note_or_refused_without_notes(
    text: str, value: float
) -> None:
    read, note = as_number(text)
    assert read == value
    assert note is not None and repr(text) in note and "leading zero" in note
    assert written(text) == (read, note)
    with pytest.raises(NumberError) as refused:
        as_number(text, notes=False)
    assert f"write {value:,.0f}" in refused.value.message


def test_plain_text_is_not_a_yaml_form() -> None:
    assert written("500") is None
    assert written("0") is None
    assert written("medium") is None


def test_within_holds_a_number_to_its_range() -> None:
    assert within(5.0, low=0) == 5.0
    assert within(-5.0) == -5.0
    with pytest.raises(NumberError, match="cannot be negative: it is USD per GPU-hour"):
        within(-1.0, low=0, what="USD per GPU-hour")
    with pytest.raises(NumberError, match="must be more than 0"):
        within(0.0, positive=True)
    with pytest.raises(NumberError, match=r"more than 1e\+18, the largest number accepted"):
        within(1e308)
    with pytest.raises(NumberError, match="far more than any USD"):
        within(1e308, what="USD")
    with pytest.raises(NumberError, match="at least"):
        within(-1e308)
    with pytest.raises(NumberError, match="more than 100"):
        within(101.0, high=100, what="percent")
    assert within(LARGEST) == LARGEST


# --- formatting never fails ------------------------------------------------------------------------

ODD_FLOATS: list[float] = [
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -1e308,
    5e-324,
    -0.0,
    0.0,
    0.3,
    0.5,
    1e15,
    -460.4,
]
ODD_FLOATS += [2**63, 10**400, -(10**400)]  # integers too, some too large for a float


def _random_floats(count: int) -> list[float]:
    """Any bit pattern of a double: NaNs with payloads, subnormals, both infinities."""
    rng = random.Random(11)
    return [struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(count)]


@pytest.mark.parametrize("amount", ODD_FLOATS)
def test_format_usd_takes_any_float(amount: float) -> None:
    text = format_usd(amount)
    assert text and "\n" not in text and len(text) < 40


def test_format_functions_take_every_bit_pattern_of_a_float() -> None:
    for value in [*ODD_FLOATS, *_random_floats(3000)]:
        for text in (
            format_usd(value),
            usd_range(value, value * 2),
            usd_range(0.0, value),
            format_params(value),
            format_amount(value, value),
            format_value(value, "money"),
            format_value(value, "count"),
            format_value(value, "model_size"),
        ):
            assert isinstance(text, str) and len(text) < 100, (value, text)


def test_amounts_read_as_before() -> None:
    assert format_usd(1234.4) == "$1,234"
    assert format_usd(0.3) == "under $1"
    assert format_usd(0) == "$0"
    assert usd_range(1000, 5000) == "$1,000 – $5,000"
    assert usd_range(1000.2, 999.9) == "$1,000"


def test_non_finite_and_huge_amounts_say_what_they_are() -> None:
    assert format_usd(-460.4) == "-$460"
    assert format_usd(math.nan) == "an unknown amount"
    assert format_usd(math.inf) == "an unbounded amount"
    assert format_usd(1e308) == "$1e+308"
    assert usd_range(math.nan, math.nan) == "an unknown amount"


# --- near 0, and the range an assumption may be overridden within --------------------------------


@pytest.mark.parametrize("value", [5e-324, 1e-310, 2.2250738585072014e-308, -1e-300, SMALLEST / 2])
def test_a_number_too_near_0_is_refused_as_its_quotients_would_be_infinite(value: float) -> None:
    # 1 / 5e-324 is infinity, and infinity times 0 is NaN: a floor, not only "above 0".
    with pytest.raises(NumberError) as refused:
        within(value, what="GB of memory per GPU")
    assert "too near 0 for GB of memory per GPU: give at least 1e-09" in refused.value.message
    assert within(0.0) == 0.0 and within(SMALLEST) == SMALLEST


@pytest.mark.parametrize(
    ("low", "high", "divisor", "signed", "accepted"),
    [
        (100, 300, True, False, "0.1 to 300,000 TFLOP/s"),
        (80, 80, True, False, "0.08 to 80,000 TFLOP/s"),
        (0.1, 1.0, False, False, "0, or 0.0001 to 1,000 TFLOP/s"),
        (0, 1000, False, False, "0 to 1,000,000 TFLOP/s"),
        (0, 0, False, False, "0 to 1e+12 TFLOP/s"),
        (-1, -1, False, True, "-1,000 to 1,000 TFLOP/s"),
        (1e17, 1e17, False, False, "0, or 1e+14 to 1e+18 TFLOP/s"),
        (1e-9, 1e-9, True, False, "1e-09 to 1e-06 TFLOP/s"),
    ],
)
def test_an_assumption_may_be_overridden_within_its_own_range_widened(
    low: float, high: float, divisor: bool, signed: bool, accepted: str
) -> None:
    bounds = allowed(low, high, "TFLOP/s", divisor=divisor, signed=signed)
    assert str(bounds) == accepted
    assert bounds.low >= (-LARGEST if signed else SMALLEST) and bounds.high <= LARGEST
    assert bounds.check(bounds.low) == bounds.low and bounds.check(bounds.high) == bounds.high
    for outside in (bounds.low - abs(bounds.low) / 100, bounds.high * 1.01):
        with pytest.raises(NumberError) as refused:
            bounds.check(outside)
        assert f"the range I accept: {accepted}" in refused.value.message
    if bounds.zero:
        assert bounds.check(0.0) == 0.0
    elif not signed:
        with pytest.raises(NumberError):
            bounds.check(0.0)


def test_a_refused_value_is_shown_as_written_not_as_its_nearest_float() -> None:
    with pytest.raises(NumberError) as refused:
        allowed(100, 300, "TFLOP/s", divisor=True).check(5e-324)
    assert refused.value.message == "5e-324 is below the range I accept: 0.1 to 300,000 TFLOP/s"
