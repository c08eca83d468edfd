"""Reading what people write, one answer at a time: choices (aliases, typos, sentences,
short labels), counts, money, model sizes, and numbers beyond belief. Expectations come
from DESIGN.md's answers-file contract and PITFALLS.md's notes on fuzzy matching."""

from __future__ import annotations

import functools
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import normalize
from advisor.errors import AnswersError
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.kb.models import Question
from advisor.numbers import numbers_in
from advisor.reading import Reader, Reading, Unreadable, band_of, read_count, read_money

GOOD: dict[str, Any] = {
    "task": "text",
    "labels": "labeled",
    "labeled_examples": 2000,
    "model_size": "small",
    "budget_usd": 10000,
}


def problems(raw: Any, kb: KnowledgeBase) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        normalize(raw, kb)
    return [str(p) for p in caught.value.problems]


@functools.cache
def _reader() -> Reader:
    return Reader(load_knowledge())


def read_choice(question: Question, raw: Any, **options: Any) -> Reading:
    return _reader().choice(question, raw, **options)


def read_model_size(question: Question, raw: Any, **options: Any) -> Reading:
    return _reader().model_size(question, raw, **options)


@pytest.fixture(scope="module")
def labels(kb: KnowledgeBase) -> Question:
    return kb.question["labels"]


@pytest.fixture(scope="module")
def task(kb: KnowledgeBase) -> Question:
    return kb.question["task"]


@pytest.fixture(scope="module")
def model_size(kb: KnowledgeBase) -> Question:
    return kb.question["model_size"]


@pytest.fixture(scope="module")
def hardware(kb: KnowledgeBase) -> Question:
    return kb.question["hardware"]


# --- choices -------------------------------------------------------------------------------


@pytest.mark.parametrize("canonical", ["labeled", "partially-labeled", "unlabeled"])
def test_canonical_label_values_read_as_themselves_without_a_note(labels: Question, canonical: str) -> None:
    reading = read_choice(labels, canonical)
    assert reading.value == canonical
    assert reading.note is None


def test_british_spelling_is_read_with_a_note_naming_what_it_became(labels: Question) -> None:
    reading = read_choice(labels, "labelled")
    assert reading.value == "labeled"
    assert reading.note is not None
    assert "labelled" in reading.note and "labeled" in reading.note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes we have labels", "labeled"),
        ("Yes", "labeled"),
        ("LABELED ", "labeled"),
        ("none, only raw logs", "unlabeled"),
        ("no labels at all", "unlabeled"),
        ("some of it", "partially-labeled"),
        ("partially labelled", "partially-labeled"),
        ("part", "partially-labeled"),
    ],
)
def test_label_phrases_map_to_the_value_they_mean(labels: Question, text: str, expected: str) -> None:
    reading = read_choice(labels, text)
    assert reading.value == expected
    if text.strip().casefold() != expected:
        assert reading.note is not None


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("labled", "labeled"),
        ("labeld", "labeled"),
        ("unlabled", "unlabeled"),
        ("unlabeld", "unlabeled"),
        ("partialy", "partially-labeled"),
        ("partially labled", "partially-labeled"),
        ("partialy labeled", "partially-labeled"),
        ("partialy labelled", "partially-labeled"),
    ],
)
def test_typos_map_to_the_intended_value(labels: Question, typo: str, expected: str) -> None:
    reading = read_choice(labels, typo)
    assert reading.value == expected
    assert reading.note is not None and typo in reading.note


@pytest.mark.parametrize("text", ["maybe", "not sure", "perhaps", "dunno", "labels", "x", "?"])
def test_ambiguous_or_meaningless_label_answers_are_asked_again_not_guessed(
    labels: Question, text: str
) -> None:
    # PITFALLS: WRatio maps "maybe" to "Yes" at 60; we must ask instead.
    with pytest.raises(Unreadable) as caught:
        read_choice(labels, text)
    assert set(caught.value.suggestions) <= {"labeled", "partially-labeled", "unlabeled", "none-yet"}
    assert caught.value.suggestions


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("hardware", "n"),
        ("hardware", "no"),
        ("hardware", "y"),
        ("model_size", "n"),
        ("model_size", "y"),
        ("model_size", "m"),
        ("model_size", "s"),
        ("data", "n"),
        ("output", "maybe"),
    ],
)
def test_one_or_two_letters_are_not_silently_mapped(kb: KnowledgeBase, question: str, text: str) -> None:
    # Short labels that are not aliases tie or mislead in fuzzy matching (PITFALLS).
    with pytest.raises(Unreadable):
        read_choice(kb.question[question], text)


@pytest.mark.parametrize(("text", "expected"), [("y", "labeled"), ("n", "unlabeled"), ("no", "unlabeled")])
def test_short_label_answers_map_only_through_explicit_replies(
    labels: Question, text: str, expected: str
) -> None:
    choice = next(c for c in labels.choices if c.value == expected)
    assert text in choice.replies
    assert read_choice(labels, text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("medical imaging", {"data": "images", "domain": "medical"}),
        ("X-rays", {"data": "images", "domain": "medical"}),
        ("sort support tickets", {"output": "category", "data": "text"}),
        ("sentiment analysis", {"output": "category", "data": "text"}),
        ("forecast sales from daily time series", {"output": "number", "data": "time-series"}),
    ],
)
def test_task_in_free_text_fills_what_it_says_and_keeps_the_words(
    task: Question, text: str, expected: dict[str, str]
) -> None:
    reading = _reader().task(task, text)
    assert reading.value == text  # the task is kept in the person's words
    assert {name: reading.also.get(name) for name in expected} == expected


@pytest.mark.parametrize("text", ["flag fraudulent card payments", "n", "asdf qwerty", "grade essays"])
def test_a_task_description_is_never_refused(task: Question, text: str) -> None:
    reading = _reader().task(task, text)
    # What it leaves open is asked, never an error.
    assert reading.also.get("output") is not None or reading.clarify is not None


def test_unreadable_choice_message_quotes_the_value_and_offers_close_values(labels: Question) -> None:
    with pytest.raises(Unreadable) as caught:
        read_choice(labels, "lbld")
    assert "'lbld'" in caught.value.message
    assert "labeled" in caught.value.suggestions


@pytest.mark.parametrize("raw", [[1, 2], {"a": 1}, None, 3.5])
def test_non_text_choice_is_unreadable_not_a_crash(labels: Question, raw: Any) -> None:
    with pytest.raises(Unreadable):
        read_choice(labels, raw)


def test_booleans_from_yaml_or_json_read_as_yes_and_no(labels: Question) -> None:
    assert read_choice(labels, True).value == "labeled"
    assert read_choice(labels, False).value == "unlabeled"


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_read_choice_raises_only_unreadable_for_any_text(kb: KnowledgeBase, text: str) -> None:
    for question in kb.questions:
        if question.kind == "choice":
            try:
                reading = read_choice(question, text)
            except Unreadable:
                continue
            assert reading.value in {c.value for c in question.choices}


# --- counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1k", 1000),
        ("about 1,000 images", 1000),
        ("2.5k", 2500),
        ("1,234", 1234),
        ("none", 0),
        ("10 000", 10000),
        ("ten thousand", 10000),
        (500, 500),
        ("500", 500),
        (0, 0),
    ],
)
def test_counts_in_the_ways_people_write_them(raw: Any, expected: int) -> None:
    reading = read_count(raw)
    assert reading.value == expected
    assert isinstance(reading.value, int)
    if isinstance(raw, str) and not raw.isdigit():
        assert reading.note is not None


@pytest.mark.parametrize(
    "raw", ["-5", -5, "1.5", 2.5, "a few", "lots", "12,34", "3k or 5k", True, [1], float("nan")]
)
def test_impossible_or_vague_counts_are_unreadable(raw: Any) -> None:
    with pytest.raises(Unreadable):
        read_count(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("3k-5k", 3000), ("5-10k", 5000), ("between 10k and 20k", 10000)]
)
def test_a_range_of_counts_is_read_as_its_low_end_and_says_so(raw: str, expected: int) -> None:
    reading = read_count(raw)
    assert reading.value == expected
    assert reading.note is not None and "low end" in reading.note


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12))
def test_any_count_written_plainly_or_with_separators_reads_back(n: int) -> None:
    assert read_count(str(n)).value == n
    assert read_count(f"{n:,}").value == n
    assert read_count(n).value == n


@settings(max_examples=200, deadline=None)
@given(thousands=st.integers(min_value=0, max_value=10**9))
def test_any_count_of_thousands_written_with_k_reads_back(thousands: int) -> None:
    assert read_count(f"{thousands}k").value == thousands * 1000


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$10k", 10_000),
        ("10,000 USD", 10_000),
        ("$1.5M", 1_500_000),
        ("50k USD", 50_000),
        ("10 grand", 10_000),
        (10000, 10_000),
        (2500.5, 2500.5),
    ],
)
def test_money_in_the_ways_people_write_it(raw: Any, expected: float) -> None:
    assert read_money(raw).value == expected


@pytest.mark.parametrize(("raw", "currency"), [("€5000", "euros"), ("5000 EUR", "euros"), ("£10k", "pounds")])
def test_other_currencies_are_refused_with_a_request_for_usd(raw: str, currency: str) -> None:
    with pytest.raises(Unreadable) as caught:
        read_money(raw)
    assert "USD" in caught.value.message
    assert currency in caught.value.message


@pytest.mark.parametrize("raw", ["unlimited", "no limit", "infinite"])
def test_unlimited_budget_is_refused_with_a_request_for_a_ceiling(raw: str) -> None:
    with pytest.raises(Unreadable) as caught:
        read_money(raw)
    assert "number" in caught.value.message


@pytest.mark.parametrize("raw", ["-100", "$-100", -1, float("inf"), "$10k or $20k", True])
def test_negative_infinite_or_several_amounts_are_unreadable(raw: Any) -> None:
    with pytest.raises(Unreadable):
        read_money(raw)


@pytest.mark.parametrize("raw", [".34kfo5cpzh4.ckct!$s535l", "ar$6m3", "3$bol9", "12ml$6", "x9twenty"])
def test_digits_glued_to_letters_are_no_amount(raw: str) -> None:
    assert numbers_in(raw) == []
    with pytest.raises(Unreadable):
        read_money(raw)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    word=st.from_regex(r"[a-z][a-z0-9$]{0,20}[a-z]", fullmatch=True),
)
def test_a_word_of_letters_digits_and_dollar_signs_holds_no_number(word: str) -> None:
    """Keys mashed ("kfo5cpzh4", "ar$6m3"): every digit is against a letter or a glued sign."""
    assert numbers_in(word) == [], word


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("(about $2k)", 2000), ("budget=$30k", 30000), ("$5k/month", 5000), ("US$5,000", 5000), ("5K$", 5000)],
)
def test_punctuation_parts_an_amount_from_its_neighbours(raw: str, expected: float) -> None:
    assert read_money(raw).value == expected


def test_a_range_of_money_is_read_as_its_low_end() -> None:
    reading = read_money("$10k to $20k")
    assert reading.value == 10000 and reading.note is not None and "low end" in reading.note


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**12))
def test_any_whole_dollar_amount_formatted_with_separators_reads_back(amount: int) -> None:
    assert read_money(f"${amount:,}").value == amount


@settings(max_examples=200, deadline=None)
@given(cents=st.integers(min_value=0, max_value=10**11))
def test_any_amount_with_cents_formatted_with_separators_reads_back(cents: int) -> None:
    amount = cents / 100
    assert math.isclose(read_money(f"${amount:,}").value, amount)


# --- model sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "params", "band"),
    [
        ("7B", 7e9, "medium"),
        ("110M", 1.1e8, "small"),
        ("BERT-base (110M)", 1.1e8, "small"),  # an explicit count wins over a name
        ("GPT-3", 1.75e11, "large"),
        (175e9, 1.75e11, "large"),
        ("175e9", 1.75e11, "large"),
        ("13B", 1.3e10, "medium"),
        ("999M", 9.99e8, "small"),
        ("1B", 1e9, "medium"),
        ("30B", 3e10, "large"),
        ("70b", 7e10, "large"),
        ("ResNet-50", 2.56e7, "small"),
        ("bert", 1.1e8, "small"),
        ("a fine-tuned mistral", 7.3e9, "medium"),
    ],
)
def test_counts_and_known_models_read_as_their_parameter_count(
    model_size: Question, raw: Any, params: float, band: str
) -> None:
    reading = read_model_size(model_size, raw)
    assert reading.value == params
    assert band_of(model_size, reading.value) == band


@pytest.mark.parametrize(("raw", "band"), [("small", "small"), ("Large", "large"), ("mid-sized", "medium")])
def test_a_size_without_a_count_reads_as_its_band(model_size: Question, raw: str, band: str) -> None:
    assert read_model_size(model_size, raw).value == band


def test_model_size_bands_follow_the_documented_thresholds(model_size: Question) -> None:
    # questions.yaml: small under 1B, medium 1B to 30B, large 30B and more.
    assert band_of(model_size, 1e9 - 1) == "small"
    assert band_of(model_size, 1e9) == "medium"
    assert band_of(model_size, 3e10 - 1) == "medium"
    assert band_of(model_size, 3e10) == "large"


@pytest.mark.parametrize("raw", ["7", 7])
def test_a_bare_small_number_is_refused_because_it_needs_a_unit(
    kb: KnowledgeBase, model_size: Question, raw: Any
) -> None:
    with pytest.raises(Unreadable):
        read_model_size(model_size, raw)
    message = problems({**GOOD, "model_size": raw}, kb)[0]
    assert "model_size" in message
    assert "7B" in message or "110M" in message  # the fix: write the unit


def test_two_different_sizes_in_one_answer_are_unreadable(model_size: Question) -> None:
    with pytest.raises(Unreadable):
        read_model_size(model_size, "7B or 13B")


# --- huge numbers ------------------------------------------------------------------------------

_BEYOND_FLOATS = pytest.mark.parametrize(
    "raw", ["1e400", "9" * 400, 10**400, "$1e400"], ids=["1e400", "400-digits", "int-10**400", "$1e400"]
)


@_BEYOND_FLOATS
def test_numbers_beyond_float_range_are_unreadable_not_a_crash(kb: KnowledgeBase, raw: Any) -> None:
    for reader in (read_count, read_money):
        with pytest.raises(Unreadable):
            reader(raw)
    for field in ("labeled_examples", "budget_usd"):
        with pytest.raises(AnswersError, match=field):
            normalize({**GOOD, field: raw}, kb)


@_BEYOND_FLOATS
def test_model_size_beyond_float_range_is_refused_not_a_crash(
    kb: KnowledgeBase, model_size: Question, raw: Any
) -> None:
    with pytest.raises(Unreadable, match="too large"):
        read_model_size(model_size, raw)
    with pytest.raises(AnswersError, match="model_size"):
        normalize({**GOOD, "model_size": raw}, kb)


def test_numbers_beyond_belief_but_within_float_range_are_unreadable() -> None:
    with pytest.raises(Unreadable):
        read_count("1e15")
    with pytest.raises(Unreadable):
        read_money(1e300)


@pytest.mark.parametrize(
    ("said", "name", "data"),
    [
        ("ResNet-18", "ResNet-18", "images"),
        ("T5", "T5-base", "text"),
        ("whisper", "Whisper small", "audio"),
        ("DeBERTa", "DeBERTa-v3-base", "text"),
        ("CLIP", "CLIP ViT-B/32", "mixed"),
        ("DenseNet-121", "DenseNet-121", "images"),
        ("Mixtral", "Mixtral 8x7B", "text"),
        ("Phi-3", "Phi-3-mini", "text"),
        ("Llama 3", "Llama 3 8B", "text"),
        ("wav2vec2", "wav2vec 2.0 base", "audio"),
    ],
)
def test_the_open_models_people_name_are_known_with_their_kind_of_data(
    model_size: Question, said: str, name: str, data: str
) -> None:
    reading = read_model_size(model_size, said)
    model = next(m for m in model_size.models if m.name == name)
    assert reading.value == model.params and model.data == data
    assert reading.note is not None and name in reading.note


def test_a_size_said_with_a_models_name_keeps_both() -> None:
    # "Llama 3 70B" was read as "70B parameters (Llama 2 7B)".
    question = _reader().kb.question["model_size"]
    reading = read_model_size(question, "Llama 3 70B")
    assert reading.value == 70e9
    assert reading.note is not None and "Llama 3 70B" in reading.note and "Llama 2" not in reading.note
