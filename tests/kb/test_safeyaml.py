"""The YAML loader for files written by people (PITFALLS: aliases, tags, depth,
duplicate keys, YAML 1.1 words): every refusal is a YamlError naming the file,
the line where there is one, and what is wrong. Every test runs with the pure
loader (answers files) and with libyaml (knowledge files, ``fast=True``): both
give the same values and the same refusals. Work is bounded by what is built
(values constructed), never by a clock."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.errors import YamlError
from advisor.kb import safeyaml

LOADERS = ["pure", *(["libyaml"] if safeyaml._CLoader is not None else [])]


@pytest.fixture(autouse=True, params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test with each loader: ``safeyaml.load`` composes with libyaml for ``libyaml``."""
    if request.param == "libyaml":
        monkeypatch.setattr(safeyaml, "load", functools.partial(safeyaml.load, fast=True))
    return str(request.param)


@pytest.fixture
def values_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many scalar values were constructed: the work a refused document cost."""
    built = [0]
    real = safeyaml._scalar

    def counting(*args: Any, **kwargs: Any) -> Any:
        built[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(safeyaml, "_scalar", counting)
    yield built


BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def refusal(raw: bytes | str, **kwargs: object) -> str:
    """The one-line message of a refused document, as ``str(problem)``."""
    with pytest.raises(YamlError) as caught:
        safeyaml.load(raw, name="people.yaml", **kwargs)  # type: ignore[arg-type]
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_plain_mapping_loads_with_the_line_of_every_value() -> None:
    loaded = safeyaml.load("task: text\nnested:\n  budget: 5\nitems:\n  - a\n  - b\n", name="f.yaml")
    assert loaded.data == {"task": "text", "nested": {"budget": 5}, "items": ["a", "b"]}
    assert loaded.line_of(("task",)) == 1
    assert loaded.line_of(("nested", "budget")) == 3
    assert loaded.line_of(("items", 1)) == 6
    # An unknown path falls back to its nearest located ancestor.
    assert loaded.line_of(("nested", "budget", "deeper")) == 3


def test_duplicate_key_names_both_lines() -> None:
    message = refusal("a: 1\nb: 2\na: 3\n")
    assert message.startswith("people.yaml:3: ")
    assert "'a'" in message
    assert "twice" in message
    assert "line 1" in message


def test_duplicate_key_in_a_nested_mapping_is_refused_too() -> None:
    message = refusal("outer:\n  x: 1\n  y: 2\n  x: 3\n")
    assert message.startswith("people.yaml:4: ")
    assert "line 2" in message


def test_billion_laughs_fails_fast_with_a_message_about_aliases(values_built: list[int]) -> None:
    message = refusal(BILLION_LAUGHS)
    assert values_built[0] <= 12  # at most the first list and two keys, never the 9**9 values
    assert "alias" in message
    assert message.startswith("people.yaml:2: ")


def test_a_single_harmless_alias_is_refused_as_well() -> None:
    assert "alias" in refusal("base: &b {a: 1}\ncopy: *b\n")


def test_merge_keys_are_refused() -> None:
    message = refusal("base: {a: 1}\nx:\n  <<: {a: 2}\n")
    assert message.startswith("people.yaml:3: ")


@pytest.mark.parametrize(
    "document",
    [
        "x: !!python/object:os.system {}\n",
        "x: !!python/object/apply:os.system ['echo pwned']\n",
        "x: !!python/name:os.system\n",
        "x: !!binary aGVsbG8=\n",
        "x: !custom value\n",
    ],
)
def test_tags_are_refused_without_being_constructed(document: str) -> None:
    message = refusal(document)
    assert message.startswith("people.yaml:1: ")
    assert "tag" in message
    assert "not allowed" in message


@pytest.mark.parametrize(
    "document",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        # Block style cannot go as deep within the size cap: 900 levels is ~800 KB.
        "".join("  " * depth + "- \n" for depth in range(900)),
    ],
    ids=["flow-lists-10000", "flow-mappings-10000", "block-lists-900"],
)
def test_deep_nesting_is_an_error_not_a_recursion_error(document: str, values_built: list[int]) -> None:
    message = refusal(document)
    assert values_built[0] == 0
    assert "nested" in message or "deep" in message


def test_nesting_within_the_limit_is_fine() -> None:
    depth = safeyaml.MAX_DEPTH - 2
    loaded = safeyaml.load("[" * depth + "1" + "]" * depth, name="f.yaml")
    value = loaded.data
    for _ in range(depth):
        value = value[0]
    assert value == 1


def test_oversized_input_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parser(*_: object) -> None:
        raise AssertionError("a parser was made for a file over the limit")

    monkeypatch.setattr(safeyaml, "_Loader", no_parser)
    monkeypatch.setattr(safeyaml, "_CLoader", no_parser)
    message = refusal(b"a" * (safeyaml.MAX_BYTES + 1))
    assert "larger than" in message
    assert "1024 KiB" in message


def test_oversized_file_is_refused_by_load_path(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (safeyaml.MAX_BYTES + 10) + b"\n")
    with pytest.raises(YamlError) as caught:
        safeyaml.load_path(path, name="big.yaml")
    assert str(caught.value).startswith("big.yaml: ")
    assert "larger than" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (bytes(range(256)), "UTF-8"),
        (b"task: \xff\xfe\n", "UTF-8"),
        (b"task: \xc3\x28\n", "UTF-8"),
        (b"task: text\x00\n", "NUL"),
    ],
    ids=["binary-junk", "not-utf8", "broken-utf8-sequence", "nul-byte"],
)
def test_binary_and_undecodable_input_is_refused_with_a_reason(raw: bytes, expected: str) -> None:
    message = refusal(raw)
    assert message.startswith("people.yaml: ")
    assert expected in message


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert safeyaml.load(b"\xef\xbb\xbfa: 1\n", name="f.yaml").data == {"a": 1}


@pytest.mark.parametrize("document", ["", "   \n", "# only a comment\n"])
def test_empty_document_loads_as_none(document: str) -> None:
    assert safeyaml.load(document, name="f.yaml").data is None


def test_syntax_error_names_the_line() -> None:
    message = refusal("a: 1\n  b: 2\n")
    assert message.startswith("people.yaml:2: ")
    assert "not valid YAML" in message


def test_two_documents_in_one_file_are_refused() -> None:
    assert "not valid YAML" in refusal("a: 1\n---\nb: 2\n")


def test_a_non_scalar_key_is_refused() -> None:
    assert "key" in refusal("? [a, b]\n: 1\n")


def test_missing_file_and_folder_are_named(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as missing:
        safeyaml.load_path(tmp_path / "nope.yaml", name="nope.yaml")
    assert str(missing.value) == "nope.yaml: no such file"
    with pytest.raises(YamlError) as folder:
        safeyaml.load_path(tmp_path, name="dir")
    assert str(folder.value).startswith("dir: ")
    assert "folder" in str(folder.value)


def test_yes_and_no_stay_words_but_true_and_false_are_booleans() -> None:
    data = safeyaml.load(
        "a: no\nb: yes\nc: NO\nd: on\ne: off\nf: true\ng: false\nh: True\n", name="f.yaml"
    ).data
    assert data == {
        "a": "no",
        "b": "yes",
        "c": "NO",
        "d": "on",
        "e": "off",
        "f": True,
        "g": False,
        "h": True,
    }


def test_sexagesimal_numbers_and_dates_stay_text() -> None:
    data = safeyaml.load("time: 12:30\nday: 2024-01-01\n", name="f.yaml").data
    assert data == {"time": "12:30", "day": "2024-01-01"}


def test_without_plain_words_yaml_11_booleans_come_back() -> None:
    assert safeyaml.load("labels: no\n", name="f.yaml", plain_words=False).data == {"labels": False}


def test_json_is_accepted_as_yaml() -> None:
    data = safeyaml.load('{"task": "text", "budget_usd": 10000, "x": [1, 2.5, null]}', name="f.json")
    assert data.data == {"task": "text", "budget_usd": 10000, "x": [1, 2.5, None]}


def test_a_long_duplicate_key_is_not_echoed_in_full() -> None:
    key = "k" * 900
    message = refusal(f'"{key}": 1\n"{key}": 2\n')
    assert "k" * 200 not in message
    assert len(message) < 300


def test_the_loader_reads_knowledge_files_up_to_the_size_the_parser_accepts() -> None:
    from advisor.kb.loader import MAX_FILE_BYTES

    assert MAX_FILE_BYTES == safeyaml.MAX_BYTES


# --- control characters (PyYAML's reader refuses them before parsing) ---------------------------


@pytest.mark.parametrize(
    ("document", "line", "column", "named"),
    [
        ("task: text\nlabels: labeled  # \x1b[31mred\n", 2, 20, "U+001B (ESC)"),
        ("task: te\x07xt\n", 1, 9, "U+0007 (BEL)"),
        ("a: 1\nb: 2\n\n  \x7f\n", 4, 3, "U+007F (DEL)"),
        ("a: \x9b1m\n", 1, 4, "U+009B"),
        ('a: "\x1b"\n', 1, 5, "U+001B (ESC)"),
        ("# \x0c\na: 1\n", 1, 3, "U+000C (FF)"),
    ],
    ids=["esc-in-a-comment", "bel-in-a-value", "del-on-its-own-line", "c1-control", "in-quotes", "form-feed"],
)
def test_a_control_character_anywhere_is_refused_with_its_place_and_name(
    document: str, line: int, column: int, named: str
) -> None:
    message = refusal(document)
    assert message.startswith(f"people.yaml:{line}:{column}: "), message
    assert named in message
    assert "control character" in message
    assert "delete it" in message
    assert "\x1b" not in message and "\x07" not in message  # never echoed to the terminal


def test_control_characters_that_yaml_allows_are_read() -> None:
    data = safeyaml.load('a: 1\r\nb: "x\ty"  #\tcomment\x85\r\n', name="f.yaml")
    assert data.data == {"a": 1, "b": "x\ty"}


def test_an_escaped_control_character_inside_double_quotes_is_yaml_text() -> None:
    # Written as an escape it is valid YAML; what reads the value decides what to do with it.
    assert safeyaml.load('a: "\\e[31m"\n', name="f.yaml").data == {"a": "\x1b[31m"}


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["0500", "02000", "-010", "0x10", "0b1010", "0_7", "+0x_1F"])
def test_yaml_11_integers_that_are_not_plain_decimal_stay_the_text_written(written: str) -> None:
    """PyYAML reads 0500 as octal 320 and 0x10 as 16: what reads the field decides instead."""
    assert safeyaml.load(f"n: {written}\n", name="f.yaml").data == {"n": written}


@pytest.mark.parametrize(
    ("written", "value"), [("500", 500), ("0", 0), ("-3", -3), ("1_000", 1000), ("1.5", 1.5)]
)
def test_plain_numbers_are_numbers(written: str, value: float) -> None:
    assert safeyaml.load(f"n: {written}\n", name="f.yaml").data == {"n": value}


def test_an_integer_too_long_for_python_is_refused_with_its_line() -> None:
    message = refusal("a: 1\nn: " + "1" * 5000 + "\n")
    assert message.startswith("people.yaml:2: ")
    assert "5,000 digits" in message
    assert len(message) < 200


def test_nesting_past_the_limit_on_one_short_line_is_refused_by_either_loader() -> None:
    depth = safeyaml.MAX_DEPTH + 10  # short enough for libyaml to compose it: the refusal is ours
    message = refusal("x: " + "[" * depth + "1" + "]" * depth + "\n")
    assert message == f"people.yaml:1: nested more than {safeyaml.MAX_DEPTH} levels deep"


def test_an_alias_of_a_key_is_refused_by_either_loader() -> None:
    assert "alias" in refusal("a: &k key\n*k : 1\n")
