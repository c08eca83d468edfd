"""Reading what people write: choices (aliases, typos, sentences, short labels),
counts, money, model sizes, whole answers files, --strict and assumption
overrides. Expectations come from DESIGN.md's answers-file contract and
PITFALLS.md's notes on YAML 1.1 and fuzzy matching."""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import (
    Answers,
    AnswersFile,
    Unreadable,
    load_answers,
    normalize,
    read_answer,
    read_choice,
    read_count,
    read_model_size,
    read_money,
)
from advisor.engine import Engine
from advisor.errors import AnswersError
from advisor.knowledge import KnowledgeBase
from advisor.models import Question

GOOD: dict[str, Any] = {
    "task": "text",
    "labels": "labeled",
    "labeled_examples": 2000,
    "model_size": "small",
    "budget_usd": 10000,
}


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


def problems(raw: Any, kb: KnowledgeBase, **kwargs: Any) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        normalize(raw, kb, **kwargs)
    assert caught.value.exit_code == 2
    return [str(p) for p in caught.value.problems]


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
    assert set(caught.value.suggestions) <= {"labeled", "partially-labeled", "unlabeled"}
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
        ("task", "n"),
        ("task", "maybe"),
    ],
)
def test_one_or_two_letters_are_not_silently_mapped(kb: KnowledgeBase, question: str, text: str) -> None:
    # Short labels that are not aliases tie or mislead in fuzzy matching (PITFALLS).
    with pytest.raises(Unreadable):
        read_choice(kb.question[question], text)


@pytest.mark.parametrize(("text", "expected"), [("y", "labeled"), ("n", "unlabeled"), ("no", "unlabeled")])
def test_short_label_answers_map_only_through_explicit_aliases(
    labels: Question, text: str, expected: str
) -> None:
    aliases = next(c for c in labels.choices if c.value == expected).aliases
    assert text in aliases
    assert read_choice(labels, text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("medical imaging", "images"),
        ("X-rays", "images"),
        ("sort support tickets", "text"),
        ("sentiment analysis", "text"),
        ("time series", "other"),
    ],
)
def test_task_in_free_text_maps_to_the_task_vocabulary(task: Question, text: str, expected: str) -> None:
    assert read_choice(task, text).value == expected


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
    "raw", ["-5", -5, "1.5", 2.5, "a few", "lots", "3k-5k", "12,34", True, [1], float("nan")]
)
def test_impossible_or_vague_counts_are_unreadable(raw: Any) -> None:
    with pytest.raises(Unreadable):
        read_count(raw)


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


@pytest.mark.parametrize("raw", ["-100", "$-100", -1, float("inf"), "$10k to $20k", True])
def test_negative_infinite_or_several_amounts_are_unreadable(raw: Any) -> None:
    with pytest.raises(Unreadable):
        read_money(raw)


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
    ("raw", "expected"),
    [
        ("7B", "medium"),
        ("110M", "small"),
        ("BERT-base (110M)", "small"),
        ("GPT-3", "large"),
        (175e9, "large"),
        ("175e9", "large"),
        ("13B", "medium"),
        ("999M", "small"),
        ("1B", "medium"),
        ("30B", "large"),
        ("70b", "large"),
        ("ResNet-50", "small"),
        ("small", "small"),
        ("large", "large"),
    ],
)
def test_model_sizes_bands_counts_and_names(model_size: Question, raw: Any, expected: str) -> None:
    assert read_model_size(model_size, raw).value == expected


def test_model_size_bands_follow_the_documented_thresholds(model_size: Question) -> None:
    # questions.yaml: small under 1B, medium 1B to 30B, large 30B and more.
    assert read_model_size(model_size, 1e9 - 1).value == "small"
    assert read_model_size(model_size, 1e9).value == "medium"
    assert read_model_size(model_size, 3e10 - 1).value == "medium"
    assert read_model_size(model_size, 3e10).value == "large"


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


# --- whole answers ------------------------------------------------------------------------------


def test_canonical_answers_normalize_without_warnings(kb: KnowledgeBase) -> None:
    normalized = normalize({**GOOD, "hardware": "gpu"}, kb)
    assert normalized.warnings == ()
    assert normalized.answers == Answers(
        task="text",
        labels="labeled",
        labeled_examples=2000,
        model_size="small",
        budget_usd=10000,
        hardware="gpu",
    )


def test_fuzzy_answers_normalize_with_one_warning_per_interpreted_field(kb: KnowledgeBase) -> None:
    normalized = normalize(
        {
            "task": "medical imaging",
            "labels": "labelled",
            "labeled_examples": "1,000 images",
            "model_size": "ResNet-50",
            "budget_usd": "$10k",
        },
        kb,
    )
    answers = normalized.answers
    assert (answers.task, answers.labels, answers.labeled_examples) == ("images", "labeled", 1000)
    assert (answers.model_size, answers.budget_usd) == ("small", 10000)
    fields = sorted(w.split(":")[0] for w in normalized.warnings)
    assert fields == ["budget_usd", "labeled_examples", "labels", "model_size", "task"]


def test_labels_no_in_a_yaml_file_is_the_word_not_a_boolean(
    kb: KnowledgeBase, write_answers: Callable[..., Path]
) -> None:
    path = write_answers("task: text\nlabels: no\nmodel_size: small\nbudget_usd: 5000\n")
    normalized = load_answers(str(path), kb)
    assert normalized.answers.labels == "unlabeled"
    assert any("'no'" in w for w in normalized.warnings)


def test_labels_yes_in_a_yaml_file_is_labeled(kb: KnowledgeBase, write_answers: Callable[..., Path]) -> None:
    path = write_answers(
        "task: text\nlabels: yes\nlabeled_examples: 10\nmodel_size: small\nbudget_usd: 5000\n"
    )
    assert load_answers(str(path), kb).answers.labels == "labeled"


def test_labeled_examples_for_unlabeled_data_are_ignored_with_a_warning(kb: KnowledgeBase) -> None:
    normalized = normalize({**GOOD, "labels": "unlabeled", "labeled_examples": 500}, kb)
    assert normalized.answers.labeled_examples == 0
    assert any(w.startswith("labeled_examples:") and "ignored" in w for w in normalized.warnings)


def test_labeled_examples_are_required_for_labeled_data(kb: KnowledgeBase) -> None:
    raw = {key: value for key, value in GOOD.items() if key != "labeled_examples"}
    [message] = problems(raw, kb)
    assert "labeled_examples" in message and "missing" in message


@pytest.mark.parametrize("field", ["task", "labels", "model_size", "budget_usd"])
def test_each_required_field_is_named_when_missing(kb: KnowledgeBase, field: str) -> None:
    raw = {key: value for key, value in GOOD.items() if key != field}
    assert any(field in p and "missing" in p for p in problems(raw, kb))


def test_hardware_is_optional(kb: KnowledgeBase) -> None:
    assert normalize(GOOD, kb).answers.hardware is None
    assert normalize({**GOOD, "hardware": ""}, kb).answers.hardware is None


def test_unknown_field_suggests_the_closest_field(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "budjet": 5}, kb)
    assert "'budjet' is not a field" in message
    assert "did you mean 'budget_usd'?" in message


def test_unknown_field_far_from_all_lists_the_fields(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "zzzzzz": 5}, kb)
    assert "task" in message and "assumptions" in message


def test_errors_name_field_value_and_closest_valid_values(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "hardware": "gpx"}, kb, name="a.yaml")
    assert message.startswith("a.yaml: hardware: ")
    assert "'gpx'" in message
    assert "closest: gpu" in message
    assert "gpu, tpu, cpu" in message


def test_every_problem_is_reported_at_once(kb: KnowledgeBase) -> None:
    found = problems({"task": "text", "labels": "perhaps", "model_size": "7", "budget_usd": "€5", "x": 1}, kb)
    joined = "\n".join(found)
    for part in ("labels", "model_size", "budget_usd", "'x'"):
        assert part in joined
    assert len(found) == 4


@pytest.mark.parametrize("raw", [None, [], ["task", "text"], "task: text", 42])
def test_answers_that_are_not_a_mapping_are_refused(kb: KnowledgeBase, raw: Any) -> None:
    [message] = problems(raw, kb, name="a.yaml")
    assert message.startswith("a.yaml: ")


def test_long_values_are_quoted_back_truncated(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "labels": "q" * 10_000}, kb)
    assert "q" * 100 not in message
    assert len(message) < 400


# --- --strict -------------------------------------------------------------------------------------


def test_strict_accepts_canonical_values(kb: KnowledgeBase) -> None:
    assert normalize({**GOOD, "hardware": "tpu"}, kb, strict=True).warnings == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("labels", "labelled"),
        ("labels", "Labeled"),
        ("labels", "no"),
        ("task", "medical imaging"),
        ("labeled_examples", "1k"),
        ("budget_usd", "$10k"),
        ("model_size", "7B"),
        ("hardware", "GPU"),
    ],
)
def test_strict_refuses_anything_not_canonical(kb: KnowledgeBase, field: str, value: Any) -> None:
    normalize({**GOOD, field: value}, kb)  # readable without --strict ...
    [message] = problems({**GOOD, field: value}, kb, strict=True)  # ... but not with it
    assert field in message


def test_answers_round_trip_through_an_answers_file_in_strict_mode(kb: KnowledgeBase, engine: Engine) -> None:
    import itertools

    space = engine.answer_space()
    for combination in itertools.product(*space.values()):
        answers = Answers(**engine.visible(dict(zip(space, combination, strict=True))))
        assert normalize(answers.to_file(), kb, strict=True).answers == answers


# --- assumptions -----------------------------------------------------------------------------------


def test_assumption_override_with_a_number(kb: KnowledgeBase) -> None:
    answers = normalize({**GOOD, "assumptions": {"annotation_usd_per_label": 0.5}}, kb).answers
    assert answers.assumptions == {"annotation_usd_per_label": 0.5}


def test_assumption_override_with_a_range(kb: KnowledgeBase) -> None:
    answers = normalize({**GOOD, "assumptions": {"annotation_usd_per_label": [0.1, 0.3]}}, kb).answers
    assert answers.assumptions == {"annotation_usd_per_label": (0.1, 0.3)}


def test_unknown_assumption_is_an_error_with_a_suggestion(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "assumptions": {"annotation_usd_per_labl": 0.5}}, kb)
    assert "'annotation_usd_per_labl' is not an assumption" in message
    assert "did you mean 'annotation_usd_per_label'?" in message


@pytest.mark.parametrize("value", [-1, [3, 1], [-1, 2], "0.5", [1, 2, 3], True, float("nan")])
def test_negative_reversed_or_non_numeric_assumption_is_an_error(kb: KnowledgeBase, value: Any) -> None:
    [message] = problems({**GOOD, "assumptions": {"annotation_usd_per_label": value}}, kb)
    assert "assumptions.annotation_usd_per_label" in message
    assert "USD per labeled example" in message  # the unit it expects


def test_assumptions_must_be_a_mapping(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "assumptions": [1, 2]}, kb)
    assert "assumptions" in message and "mapping" in message


# --- files -------------------------------------------------------------------------------------------


def test_load_answers_reads_json_too(kb: KnowledgeBase, write_answers: Callable[..., Path]) -> None:
    path = write_answers(GOOD, name="answers.json")
    assert load_answers(str(path), kb).answers.labeled_examples == 2000


def test_load_answers_reads_standard_input(kb: KnowledgeBase) -> None:
    import io

    stdin = io.TextIOWrapper(io.BytesIO(b"task: text\nlabels: no\nmodel_size: small\nbudget_usd: 1k\n"))
    normalized = load_answers("-", kb, stdin=stdin)
    assert normalized.answers.labels == "unlabeled"
    assert normalized.answers.budget_usd == 1000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"- a\n- b\n", "mapping"),
        (b"task: text\ntask: images\n", "twice"),
        (b"a: &x 1\nb: *x\n", "alias"),
        (b"task: !!python/object/apply:os.system ['echo pwned']\n", "tag"),
        (bytes(range(256)), "UTF-8"),
        (b"task: " + b"x" * (300 * 1024), "larger than"),
    ],
)
def test_bad_answers_files_are_answers_errors_naming_the_file(
    kb: KnowledgeBase, write_answers: Callable[..., Path], content: bytes, expected: str
) -> None:
    path = write_answers(content)
    with pytest.raises(AnswersError) as caught:
        load_answers(str(path), kb)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message


def test_missing_answers_file_and_folder(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="no such file"):
        load_answers(str(tmp_path / "nope.yaml"), kb)
    with pytest.raises(AnswersError, match="folder"):
        load_answers(str(tmp_path), kb)


# --- properties ----------------------------------------------------------------------------------------

_FIELDS = ["task", "labels", "labeled_examples", "model_size", "budget_usd", "hardware", "assumptions"]
# Integers stay within float range here; beyond it is the OverflowError bug tested above.
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats()
    | st.text(max_size=30)
)
_JSON_LIKE = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12) | st.sampled_from(_FIELDS), children, max_size=6)
    ),
    max_leaves=20,
)
_ANSWERS_LIKE = st.fixed_dictionaries({}, optional=dict.fromkeys(_FIELDS, _JSON_LIKE))


@settings(max_examples=300, deadline=None)
@given(raw=_JSON_LIKE | _ANSWERS_LIKE)
def test_normalize_raises_only_answers_errors_for_any_json_like_value(kb: KnowledgeBase, raw: Any) -> None:
    try:
        normalized = normalize(raw, kb)
    except AnswersError as error:
        assert error.problems
        return
    assert isinstance(normalized.answers, Answers)


@settings(max_examples=200, deadline=None)
@given(raw=_SCALARS)
def test_every_reader_raises_only_unreadable_for_any_scalar(kb: KnowledgeBase, raw: Any) -> None:
    for question in kb.questions:
        with contextlib.suppress(Unreadable):
            read_answer(question, raw)


def test_schema_model_names_every_contract_field() -> None:
    assert {field.name for field in dataclasses.fields(AnswersFile)} == set(_FIELDS)
