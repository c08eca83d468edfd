"""Whole answers files: normalizing every field at once, --strict, assumption overrides,
files and standard input, the way back to a file, and the JSON Schema. Expectations come
from DESIGN.md's answers-file contract and PITFALLS.md's notes on YAML 1.1."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import sample_points
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import Answers, answers_schema, load_answers, normalize, to_file
from advisor.decision.engine import Engine
from advisor.errors import AnswersError
from advisor.kb import KnowledgeBase
from advisor.reading import Reader, Unreadable

GOOD: dict[str, Any] = {
    "task": "text",
    "output": "category",
    "data": "text",
    "labels": "labeled",
    "labeled_examples": 2000,
    "model_size": "small",
    "budget_usd": 10000,
}


def problems(raw: Any, kb: KnowledgeBase, **kwargs: Any) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        normalize(raw, kb, **kwargs)
    assert caught.value.exit_code == 2
    return [str(p) for p in caught.value.problems]


# --- whole answers ------------------------------------------------------------------------------


def test_canonical_answers_normalize_without_warnings(kb: KnowledgeBase) -> None:
    normalized = normalize({**GOOD, "hardware": "gpu"}, kb)
    assert normalized.warnings == ()
    # Every question has a value: the answer, or its default where there is none.
    unasked = {
        "unlabeled_examples": None,
        "team": None,
        "team_size": 1,
        "method": None,
        "domain": "general",
        "data_location": "anywhere",
    }
    assert normalized.answers == Answers({**GOOD, **unasked, "budget_usd": 10000.0, "hardware": "gpu"})


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
    assert normalized.answers.values == {
        "task": "medical imaging",  # kept in the person's words; what it says fills the fields below
        "output": "category",
        "data": "images",
        "domain": "medical",
        "data_location": "anywhere",
        "labels": "labeled",
        "labeled_examples": 1000,
        "unlabeled_examples": None,
        "model_size": 2.56e7,  # a named model reads as its parameter count
        "budget_usd": 10000,
        "team": None,
        "team_size": 1,
        "hardware": None,
        "method": None,
    }
    fields = sorted(w.split(":")[0] for w in normalized.warnings)
    assert fields == ["budget_usd", "labeled_examples", "labels", "model_size", "output", "task"]


def test_labels_no_in_a_yaml_file_is_the_word_not_a_boolean(
    kb: KnowledgeBase, write_answers: Callable[..., Path]
) -> None:
    path = write_answers("task: text\nlabels: no\nmodel_size: small\nbudget_usd: 5000\n")
    normalized = load_answers(str(path), kb)
    assert normalized.answers.values["labels"] == "unlabeled"
    assert any("'no'" in w for w in normalized.warnings)


def test_labels_yes_in_a_yaml_file_is_labeled(kb: KnowledgeBase, write_answers: Callable[..., Path]) -> None:
    path = write_answers(
        "task: text\nlabels: yes\nlabeled_examples: 10\nmodel_size: small\nbudget_usd: 5000\n"
    )
    assert load_answers(str(path), kb).answers.values["labels"] == "labeled"


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
    assert normalize(GOOD, kb).answers.values["hardware"] is None
    assert normalize({**GOOD, "hardware": ""}, kb).answers.values["hardware"] is None


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
    found = problems(
        {"task": "text", "labels": "perhaps", "model_size": "7", "budget_usd": "5 yen", "x": 1}, kb
    )
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
        ("data", "medical imaging"),
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


@pytest.mark.parametrize(
    ("written", "value", "note"),
    [
        ("0500", 500, "read '0500' (a leading zero, not octal) as 500"),
        ("02000", 2000, "read '02000' (a leading zero, not octal) as 2,000"),
    ],
)
def test_a_yaml_11_octal_in_a_file_is_the_decimal_meant_with_a_warning(
    kb: KnowledgeBase, write_answers: Callable[..., Path], written: str, value: int, note: str
) -> None:
    """PyYAML alone reads 0500 as 320 and 02000 as 1024, without a word."""
    path = write_answers(
        f"task: text\nlabels: labeled\nlabeled_examples: {written}\n"
        f"model_size: small\nbudget_usd: {written}\n"
    )
    normalized = load_answers(str(path), kb)
    assert normalized.answers.values["labeled_examples"] == value
    assert normalized.answers.values["budget_usd"] == value
    assert f"labeled_examples: {note}" in normalized.warnings
    assert f"budget_usd: {note.replace(' as ', ' as $')}" in normalized.warnings
    with pytest.raises(AnswersError) as strict:
        load_answers(str(path), kb, strict=True)
    for problem in strict.value.problems:
        assert "has a leading zero" in problem.message and f"write {value:,}" in problem.message


@pytest.mark.parametrize(("written", "says"), [("0x10", "hexadecimal for 16"), ("0b1010", "binary for 10")])
def test_hexadecimal_and_binary_in_a_file_are_refused_with_the_decimal(
    kb: KnowledgeBase, write_answers: Callable[..., Path], written: str, says: str
) -> None:
    path = write_answers(
        f"task: text\nlabels: labeled\nlabeled_examples: {written}\n"
        f"model_size: small\nbudget_usd: {written}\n"
    )
    for strict in (False, True):
        with pytest.raises(AnswersError) as refused:
            load_answers(str(path), kb, strict=strict)
        assert [p.message.split(":")[0] for p in refused.value.problems] == ["labeled_examples", "budget_usd"]
        assert all(says in p.message and "--strict" not in p.message for p in refused.value.problems)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        pytest.param(1.0e308, "is more than I can believe", id="1e308"),
        pytest.param(10**400, "a number of 401 digits is too large", id="401-digits"),
        pytest.param(float("nan"), "not NaN", id="nan"),
        pytest.param(float("-inf"), "not -Infinity", id="-inf"),
        pytest.param(-5, "cannot be negative", id="negative"),
    ],
)
@pytest.mark.parametrize("field", ["labeled_examples", "budget_usd", "model_size"])
def test_extreme_numbers_in_answers_are_refused_in_one_short_line(
    kb: KnowledgeBase, field: str, value: Any, says: str
) -> None:
    [message] = problems({**GOOD, field: value}, kb)
    assert message.startswith(f"answers: {field}: ")
    assert len(message) < 220, message
    if field != "model_size":
        assert says in message


@pytest.mark.parametrize("step", [pytest.param(1, marks=pytest.mark.slow, id="every-point"), 23])
def test_answers_round_trip_through_an_answers_file_in_strict_mode(
    kb: KnowledgeBase, engine: Engine, step: int
) -> None:
    import itertools

    space = engine.space.grid()
    for point in itertools.islice(sample_points(space, 12_000), 0, None, step):
        answers = Answers(engine.space.visible(point))
        assert normalize(to_file(answers, kb), kb, strict=True).answers == answers


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


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (-1, "cannot be negative: it is USD per labeled example"),
        ([-1, 2], "cannot be negative: it is USD per labeled example"),
        ([3, 1], "the low end (3) is above the high end (1)"),
        ("0.5", "expected a number or [low, high] in USD per labeled example"),
        ([1, 2, 3], "expected a number or [low, high] in USD per labeled example"),
        (True, "expected a number or [low, high] in USD per labeled example"),
        (float("nan"), "not NaN (not a number); give a finite number in USD per labeled example"),
        (float("inf"), "is infinite (or too large to hold); give a finite number in USD per labeled example"),
        ([0.1, float("inf")], "its high end is infinite (or too large to hold)"),
        ([float("nan"), 1], "its low end: expected a number, not NaN"),
        (1.0e308, "1e+308 is far more than any USD per labeled example"),
        ([1, 1.0e308], "its high end: 1e+308 is far more than any USD per labeled example"),
        pytest.param(10**400, "a number of 401 digits is far too large (at most 1e+18)", id="401-digits"),
        ("0x10", "'0x10' is hexadecimal for 16; write it in decimal: 16"),
        (["0b11", 5], "its low end: '0b11' is binary for 3"),
    ],
)
def test_an_override_that_makes_no_sense_says_what_is_wrong(kb: KnowledgeBase, value: Any, says: str) -> None:
    [message] = problems({**GOOD, "assumptions": {"annotation_usd_per_label": value}}, kb)
    assert message.startswith("answers: assumptions.annotation_usd_per_label: ")
    assert says in message


def test_a_number_the_rules_use_takes_one_number_not_a_range(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "assumptions": {"budget_tight_percentile": [1, 2]}}, kb)
    assert "is one number the rules use" in message
    answers = normalize({**GOOD, "assumptions": {"budget_tight_percentile": 2}}, kb).answers
    assert answers.assumptions == {"budget_tight_percentile": 2}


def test_a_weight_that_is_negative_by_default_may_be_overridden_negative(kb: KnowledgeBase) -> None:
    negative = next(a for a in kb.costs.assumptions if a.high < 0)
    answers = normalize({**GOOD, "assumptions": {negative.id: negative.low * 2}}, kb).answers
    assert answers.assumptions == {negative.id: negative.low * 2}


def test_only_a_rules_weight_may_be_overridden_negative(kb: KnowledgeBase) -> None:
    """A weight below 0 disfavors; a negative price, count or threshold means nothing."""
    weight = next(a for a in kb.costs.assumptions if a.id in kb.weights and a.low > 0)
    answers = normalize({**GOOD, "assumptions": {weight.id: -2}}, kb).answers
    assert answers.assumptions == {weight.id: -2}
    for other in ("budget_tight_percentile", "enough_labels_for_supervised", "gpu_hour_usd"):
        assert other not in kb.weights
        [message] = problems({**GOOD, "assumptions": {other: -2}}, kb)
        assert f"assumptions.{other}: cannot be negative" in message


def test_an_override_written_with_a_leading_zero_is_the_decimal_meant_with_a_warning(
    kb: KnowledgeBase,
) -> None:
    normalized = normalize({**GOOD, "assumptions": {"gpu_hour_usd": "02", "training_runs": ["03", 8]}}, kb)
    assert normalized.answers.assumptions == {"gpu_hour_usd": 2.0, "training_runs": (3.0, 8.0)}
    assert normalized.warnings == (
        "assumptions.gpu_hour_usd: read '02' as 2 (a leading zero does not make it octal)",
        "assumptions.training_runs: read '03' as 3 (a leading zero does not make it octal)",
    )
    [message] = problems({**GOOD, "assumptions": {"gpu_hour_usd": "02"}}, kb, strict=True)
    assert "'02' has a leading zero" in message and "write 2" in message


# --- the interval ------------------------------------------------------------------------------------


def test_an_interval_asks_for_other_percentiles(kb: KnowledgeBase, engine: Engine) -> None:
    answers = normalize({**GOOD, "interval": [5, 95]}, kb).answers
    assert answers.interval == (5, 95)
    wide = engine.decide(answers).costs
    usual = engine.decide(normalize(GOOD, kb).answers).costs
    for approach, cost in wide.items():
        assert cost.low <= usual[approach].low and cost.high >= usual[approach].high
        assert cost.median == pytest.approx(usual[approach].median)
    assert to_file(answers, kb)["interval"] == [5, 95]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ([1, 99], "cannot estimate from its 128 draws; choose ends between 4 and 96"),
        ([0, 100], "cannot estimate"),
        ([90, 10], "the low percentile (90) must be below the high one (10)"),
        ([50, 50], "must be below"),
        ("wide", "expected [low, high] percentiles, such as [10, 90]"),
        ([10], "expected [low, high] percentiles"),
        ([10, float("nan")], "expected [low, high] percentiles"),
    ],
)
def test_an_interval_the_model_cannot_produce_says_so(kb: KnowledgeBase, value: Any, says: str) -> None:
    [message] = problems({**GOOD, "interval": value}, kb)
    assert message.startswith("answers: interval: ")
    assert says in message


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
    assert normalized.answers.values["labels"] == "unlabeled"
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

_FIELDS = [
    "task",
    "output",
    "data",
    "domain",
    "data_location",
    "labels",
    "labeled_examples",
    "unlabeled_examples",
    "model_size",
    "budget_usd",
    "team",
    "team_size",
    "hardware",
    "method",
    "assumptions",
    "interval",
    "assumed",
]
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)  # beyond a float: OverflowError in float()
    | st.floats()
    | st.text(max_size=30)
    | st.from_regex(r"[-+]?0[xbo0-9][0-9a-f_]{0,6}", fullmatch=True)  # YAML 1.1 forms: 0500, 0x10
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


@pytest.mark.parametrize("examples", [pytest.param(300, marks=pytest.mark.slow, id="300"), 120])
def test_normalize_raises_only_answers_errors_for_any_json_like_value(
    kb: KnowledgeBase, examples: int
) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(raw=_JSON_LIKE | _ANSWERS_LIKE)
    def holds(raw: Any) -> None:
        try:
            normalized = normalize(raw, kb)
        except AnswersError as error:
            assert error.problems
            return
        assert isinstance(normalized.answers, Answers)

    holds()


@settings(max_examples=200, deadline=None)
@given(raw=_SCALARS)
def test_every_reader_raises_only_unreadable_for_any_scalar(kb: KnowledgeBase, raw: Any) -> None:
    reader = Reader(kb)
    for question in kb.questions:
        with contextlib.suppress(Unreadable):
            reader.read(question, raw)


def test_the_schema_names_every_contract_field_and_every_assumption(kb: KnowledgeBase) -> None:
    schema = answers_schema(kb)
    assert set(schema["properties"]) == set(_FIELDS)
    assert set(schema["properties"]["assumptions"]["properties"]) == set(kb.assumption)
    assert schema["properties"]["interval"]["items"] == {"type": "number", "minimum": 4, "maximum": 96}
    assert set(schema["required"]) == {"task", "labels", "model_size", "budget_usd"}
    labels = ["labeled", "partially-labeled", "unlabeled", "none-yet"]
    assert schema["properties"]["labels"]["examples"] == labels
    # An editor suggests the values; the person's own words stay valid.
    assert {"enum": labels} in schema["properties"]["labels"]["anyOf"]
    assert {"enum": ["anywhere", "in-region", "on-premise"]} in schema["properties"]["data_location"]["anyOf"]


def test_every_choice_label_as_the_chat_shows_it_is_read_in_any_case(kb: KnowledgeBase) -> None:
    for question in kb.questions:
        for choice in question.choices:
            for written in (choice.label, choice.label.upper(), choice.label.lower()):
                normalized = normalize({**GOOD, "labels": "labeled", question.id: written}, kb)
                if question.kind == "task":
                    continue
                assert normalized.answers.values[question.id] == choice.value, (question.id, written)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("gpu_memory_gb", 0, "must be more than 0: it is GB of memory per GPU (got 0)"),
        ("gpu_memory_gb", -1, "must be more than 0: it is GB of memory per GPU (got -1)"),
        ("gpu_effective_tflops", [0, 200], "its low end must be more than 0: it is TFLOP/s"),
    ],
)
def test_an_assumption_a_formula_divides_by_takes_only_more_than_0(
    kb: KnowledgeBase, name: str, value: Any, says: str
) -> None:
    [message] = problems({**GOOD, "assumptions": {name: value}}, kb)
    assert message.startswith(f"answers: assumptions.{name}: {says}")
    answers = normalize({**GOOD, "assumptions": {"gpu_memory_gb": 24}}, kb).answers
    assert answers.assumptions == {"gpu_memory_gb": 24}


BASE = {"task": "text", "labels": "labeled", "labeled_examples": 1000}


@pytest.mark.parametrize("unsure", ["not sure", "idk", "Don't know", "no idea, you pick", "skip"])
def test_an_unsure_model_size_takes_the_stated_default_and_is_marked_assumed(
    kb: KnowledgeBase, unsure: str
) -> None:
    normalized = normalize({**BASE, "model_size": unsure, "budget_usd": 5000}, kb)
    stated = kb.question["model_size"].unsure
    assert stated is not None and normalized.answers.values["model_size"] == stated.value
    assert normalized.answers.assumed == ("model_size",)
    assert any(
        w.startswith("model_size:") and "(assumed: you were not sure)" in w for w in normalized.warnings
    )


@pytest.mark.parametrize("budget", [None, "not sure", "as cheap as possible", "whatever it costs"])
def test_a_budget_left_unsaid_is_none_and_assumed(kb: KnowledgeBase, budget: Any) -> None:
    normalized = normalize({**BASE, "model_size": "small", "budget_usd": budget}, kb)
    assert normalized.answers.budget_usd is None and normalized.answers.assumed == ("budget_usd",)
    data = to_file(normalized.answers, kb)
    assert data["budget_usd"] is None and data["assumed"] == ["budget_usd"]
    assert normalize(data, kb).answers == normalized.answers  # the file reproduces it


def test_a_budget_still_has_to_be_named(kb: KnowledgeBase) -> None:
    """Left out of the file altogether, the budget is missing; only `budget_usd: null` (or
    "not sure") says none was given, on purpose."""
    with pytest.raises(AnswersError, match="budget_usd: missing"):
        normalize({**BASE, "model_size": "small"}, kb)


def test_unsure_where_nothing_can_be_assumed_is_an_error_offering_rough_answers(kb: KnowledgeBase) -> None:
    with pytest.raises(AnswersError) as caught:
        normalize({**BASE, "labeled_examples": "not sure", "model_size": "small", "budget_usd": 1}, kb)
    message = str(caught.value)
    assert "labeled_examples" in message and "a rough answer is fine, such as 100, 1000, 10000" in message
    with pytest.raises(AnswersError, match="assumed: labels has no value to assume"):
        normalize({**BASE, "model_size": "small", "budget_usd": 1, "assumed": ["labels"]}, kb)


def test_assumed_listed_without_a_value_takes_the_default_and_strict_refuses_not_sure(
    kb: KnowledgeBase,
) -> None:
    normalized = normalize({**BASE, "budget_usd": 5000, "assumed": ["model_size"]}, kb, strict=True)
    assert normalized.answers.values["model_size"] == "small" and normalized.answers.assumed == (
        "model_size",
    )
    with pytest.raises(AnswersError, match="model_size"):
        normalize({**BASE, "model_size": "not sure", "budget_usd": 5000}, kb, strict=True)


def test_the_schema_lists_what_may_be_assumed(kb: KnowledgeBase) -> None:
    schema = answers_schema(kb)
    assumed = schema["properties"]["assumed"]
    assert set(assumed["items"]["enum"]) >= {"model_size", "budget_usd", "team", "hardware"}
    assert "labels" not in assumed["items"]["enum"] and "task" not in assumed["items"]["enum"]
    budget = schema["properties"]["budget_usd"]
    assert "null" in budget["type"] and "fits_budget" in budget["description"]


@pytest.mark.parametrize(
    ("said", "dollars", "rate"),
    [
        ("€20k", 23_400, "usd_per_eur"),
        ("£10k", 13_600, "usd_per_gbp"),
        ("30k euros, so ~32k dollars", 32_000, None),
    ],
)
def test_a_budget_in_euros_or_pounds_is_converted_at_the_named_rate(
    kb: KnowledgeBase, said: str, dollars: float, rate: str | None
) -> None:
    normalized = normalize({**GOOD, "budget_usd": said}, kb)
    assert normalized.answers.budget_usd == pytest.approx(dollars)
    [note] = [w for w in normalized.warnings if w.startswith("budget_usd:")]
    if rate is None:
        assert normalized.answers.assumptions == {}  # the dollars said win; no rate is used
    else:
        # The rate used is pinned, named with its date, and reproduced by the file written back.
        assumption = kb.assumption[rate]
        assert normalized.answers.assumptions == {rate: assumption.low}
        assert rate in note and f"as of {assumption.as_of}" in note
        assert normalize(to_file(normalized.answers, kb), kb).answers == normalized.answers


def test_a_budget_in_a_currency_without_a_named_rate_is_refused_with_its_name(kb: KnowledgeBase) -> None:
    [message] = problems({**GOOD, "budget_usd": "5000 yen"}, kb)
    assert "yen" in message and "USD" in message
