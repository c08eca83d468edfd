"""Task descriptions read as a practitioner reads them (advisor.tasks).

Every `at: task` line of tests/chat/corpus_project.yaml is read by `read_task` and compared
with what the corpus says it must be read as: `output`, `data` and `domain` (a field the
entry's `read` leaves out must be read as nothing), and the clarifying question where the
entry asks one. The lines not read right yet are listed in KNOWN_MISSES with the reason; the
test fails when a line outside the list is misread, and when a listed line is read right
(take it off the list: it only shrinks).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.errors import KnowledgeError
from advisor.kb.loader import default_knowledge_dir
from advisor.kb.vocabulary import DATA, DOMAINS, OUTPUTS, TaskVocabulary, load_vocabulary
from advisor.tasks import Clarify, TaskReading, read_task
from advisor.text import lemma, lemmas

CORPUS = Path(__file__).parent / "chat" / "corpus_project.yaml"
TASK_LINES: list[dict[str, Any]] = [
    entry for entry in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["lines"] if entry["at"] == "task"
]

KNOWN_MISSES: dict[str, str] = {
    "densenet-121 for skin lesion photos, 2k labeled by dermatologists": (
        "no word says what to produce: the output follows from the model named (an image "
        "classifier) and the labels, which the reader of task words does not know"
    ),
    "recommend articles to readers": (
        "the articles are what is recommended, not what the recommendations are learned from; "
        "the reader takes them as the data (text)"
    ),
}


@pytest.fixture(scope="module")
def vocabulary() -> TaskVocabulary:
    return load_vocabulary(default_knowledge_dir())


def expected(entry: dict[str, Any]) -> tuple[dict[str, Any], Clarify | None]:
    read = entry.get("read", {})
    fields = {name: read.get(name) for name in ("output", "data", "domain")}
    clarify = entry.get("clarify")
    return fields, None if clarify is None else Clarify(clarify["field"], tuple(clarify["choices"]))


def mismatch(entry: dict[str, Any], vocabulary: TaskVocabulary) -> str | None:
    """What is read wrong in a corpus line, or None. A line the chat asks again (`unclear`)
    must read nothing."""
    reading = read_task(entry["say"], vocabulary, known=entry.get("given"))
    fields, clarify = expected(entry)
    got = {"output": reading.output, "data": reading.data, "domain": reading.domain}
    if got != fields:
        return f"read {got}, expected {fields}"
    if not entry.get("unclear") and reading.clarify != clarify:
        return f"asks {reading.clarify}, expected {clarify}"
    return None


def test_the_corpus_task_lines(vocabulary: TaskVocabulary) -> None:
    misses = {entry["say"]: mismatch(entry, vocabulary) for entry in TASK_LINES}
    wrong = {say: why for say, why in misses.items() if why is not None}
    read_right = len(misses) - len(wrong)
    print(f"\ntask lines read right: {read_right} of {len(misses)}")
    unexpected = {say: why for say, why in wrong.items() if say not in KNOWN_MISSES}
    assert not unexpected, "\n".join(f"{say!r}: {why}" for say, why in unexpected.items())
    fixed = [say for say in KNOWN_MISSES if say in misses and say not in wrong]
    assert not fixed, f"read right now, take them off KNOWN_MISSES: {fixed}"
    assert set(KNOWN_MISSES) <= set(misses), "a known miss is no longer in the corpus"
    assert read_right >= len(misses) - len(KNOWN_MISSES)


@pytest.mark.parametrize(
    ("text", "output", "data", "domain"),
    [
        ("flag fraudulent transactions", "category", "tables", "financial"),
        ("Summarising the call transcripts", "generation", "text", None),
        ("segmentaion of polyps in colonoscopy videos", "segmentation", "video", "medical"),
        ("transalte manuals to french", "generation", "text", None),
        ("classify scanned invoices", "category", "images", None),
        ("find the clauses in our contracts", "extraction", "text", "legal"),
        ("find cracks in drone pictures", "segmentation", "images", None),
        ("images, not text: classify them", "category", "images", None),
        ("caption the photos and the videos", "captioning", "video", None),
    ],
)
def test_readings(
    vocabulary: TaskVocabulary, text: str, output: str | None, data: str | None, domain: str | None
) -> None:
    reading = read_task(text, vocabulary)
    assert (reading.output, reading.data, reading.domain) == (output, data, domain)
    assert reading.clarify is None


def test_a_line_of_two_kinds_of_data_is_mixed(vocabulary: TaskVocabulary) -> None:
    assert read_task("photo and the seller's text description", vocabulary).data == "mixed"


def test_what_is_open_is_asked_never_refused(vocabulary: TaskVocabulary) -> None:
    assert read_task("", vocabulary).clarify == Clarify("output", vocabulary.ask.output)
    noun_only = read_task("our factory", vocabulary)
    assert noun_only.output is None and noun_only.clarify is not None
    assert noun_only.clarify.field == "output" and len(noun_only.clarify.choices) > 1
    imaging = read_task("medical imaging", vocabulary)
    assert (imaging.data, imaging.domain) == ("images", "medical")
    assert imaging.clarify == Clarify("output", ("category", "segmentation", "captioning"))
    pdfs = read_task("extract fields from PDFs", vocabulary)
    assert pdfs.clarify == Clarify("data", ("text", "images"))
    assert read_task("extract fields from PDFs", vocabulary, known={"data": "text"}).clarify is None


def test_the_words_each_field_came_from(vocabulary: TaskVocabulary) -> None:
    reading = read_task("classify chest X-rays", vocabulary)
    assert reading.words["output"] == "classify"
    assert reading.words["data"] == "chest x-rays"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("summarise", "summarizing"),
        ("summarised", "summarize"),
        ("grade", "grading"),
        ("x-rays", "xray"),
        ("tumours", "tumor"),
        ("categorise", "categorizing"),
        ("labelled", "labeled"),
        ("flagged", "flag"),
        ("catalogue", "catalog"),
        ("categories", "category"),
        ("analyse", "analyze"),
    ],
)
def test_lemmas(one: str, other: str) -> None:
    assert lemmas(one) == lemmas(other)


def test_notes_are_not_a_negation() -> None:
    assert lemma("notes") != lemma("not") and lemma("note") != "not"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_read(text: str) -> None:
    reading = read_task(text, _VOCABULARY)
    assert isinstance(reading, TaskReading)
    assert reading.output in (None, *OUTPUTS)
    assert reading.data in (None, *DATA)
    assert reading.domain in (None, *DOMAINS)
    if reading.output is None:
        assert reading.clarify is not None and reading.clarify.field == "output"


_VOCABULARY = load_vocabulary(default_knowledge_dir())


@pytest.mark.parametrize("unit", ["1 ", "classify ", "pdf x-ray and ", "zzzzzzq ", "not "])
def test_long_text_is_read_in_bounded_time(vocabulary: TaskVocabulary, unit: str) -> None:
    """Linear: 64 KB of one word repeated is read in well under a second (fuzzy look-ups capped)."""
    started = time.perf_counter()
    read_task(unit * (65536 // len(unit)), vocabulary)
    assert time.perf_counter() - started < 2.0


# --- the file, checked ---------------------------------------------------------------------------


def _edit(kb_dir: Path, old: str, new: str) -> None:
    path = kb_dir / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(kb_dir: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as error:
        load_vocabulary(kb_dir)
    return [str(problem) for problem in error.value.problems]


def test_an_unknown_value_is_refused_with_its_line(kb_dir: Path) -> None:
    _edit(kb_dir, "  - output: transcription\n", "  - output: transcriptions\n")
    problems = _problems(kb_dir)
    assert problems and all(problem.startswith("vocabulary.yaml:") for problem in problems)
    assert any("transcription" in problem for problem in problems)


def test_a_word_in_two_families_is_refused_with_both_lines(kb_dir: Path) -> None:
    _edit(kb_dir, "[ecg, ", "[ecg, scanned pdf, classifying, ")
    problems = _problems(kb_dir)
    assert any("'classifying' is already a word of outputs[0] (line" in problem for problem in problems)
    assert all(problem.startswith("vocabulary.yaml:") for problem in problems)


def test_a_word_twice_in_one_family_is_refused(kb_dir: Path) -> None:
    _edit(kb_dir, "[ecg, ", "[ecg, ekgs, ")
    assert any("already a word of this family" in problem for problem in _problems(kb_dir))


def test_kb_check_checks_the_vocabulary(kb_dir: Path) -> None:
    from advisor.checks import check_knowledge

    (kb_dir / "vocabulary.yaml").unlink()
    result = check_knowledge(kb_dir, None, with_sweep=False)
    assert [str(problem) for problem in result.problems] == [
        "vocabulary.yaml: is missing from the knowledge base"
    ]


def test_a_misnamed_vocabulary_is_not_silently_ignored(kb_dir: Path) -> None:
    from advisor.kb.loader import _unread

    (kb_dir / "vocabulary.yaml").rename(kb_dir / "Vocabulary.yml")
    misnamed, _ = _unread(kb_dir)
    assert any("rename it to vocabulary.yaml" in str(problem) for problem in misnamed)


def test_the_cached_vocabulary_is_the_parsed_one(kb_dir: Path) -> None:
    from advisor.kb import vocabulary as module

    parsed = load_vocabulary(kb_dir, use_cache=False)
    module._LOADED.clear()
    assert load_vocabulary(kb_dir) == parsed  # parsed again, and kept
    module._LOADED.clear()
    assert load_vocabulary(kb_dir) == parsed  # from the cache
    entry = module._entry(module._cache_key((kb_dir / "vocabulary.yaml").read_bytes()))
    assert entry.is_file()
    entry.write_text("0" * 64 + "\n{}", encoding="utf-8")
    module._LOADED.clear()
    assert load_vocabulary(kb_dir) == parsed  # a damaged entry is parsed around
