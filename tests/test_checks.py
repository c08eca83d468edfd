"""``advisor kb check``: quotes found verbatim in their sources, the answer space
covered with a recommendation at every point, no dead rules, the cases held to the documents'
figures, stale prices, and the sweep that reads every report as a practitioner would."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from helpers import append, edit

from advisor.checks import check_knowledge, check_quotes, stale_prices
from advisor.kb import KnowledgeBase, load_knowledge
from advisor.kb.models import APPROACHES
from advisor.sweep import FINDINGS, MAX_WIDTH, profiles
from advisor.text import fold_whitespace


def messages(result_problems: list) -> list[str]:  # type: ignore[type-arg]
    return [str(problem) for problem in result_problems]


def test_bundled_knowledge_base_passes_every_check_with_its_sources_and_its_sweep(
    seeds: Path, sweep_stride: int
) -> None:
    """Every profile of the sweep in the full run (``pytest -m slow``), a sample by default."""
    result = check_knowledge(None, seeds)
    assert result.ok, messages(result.problems)
    assert result.kb is not None
    assert result.quotes_checked == len(result.kb.claims)
    assert result.cases >= 3
    assert result.points > 0
    sweep = result.sweep
    grid = len(list(profiles(result.kb)))  # the whole grid: this module's own import
    assert sweep is not None and sweep.profiles == len(range(0, grid, sweep_stride))
    # What a practitioner would not sign: none of it, and ranges narrow enough to decide with.
    assert sweep.counts == dict.fromkeys(FINDINGS, 0), sweep.examples
    assert 1 < sweep.median_width <= MAX_WIDTH
    assert set(sweep.wins) == set(APPROACHES)  # each approach is the advice somewhere


def test_a_price_older_than_eighteen_months_is_a_warning_not_a_failure(kb: KnowledgeBase) -> None:
    assumption = kb.assumption["gpu_hour_usd"]
    assert assumption.as_of is not None
    year, month = (int(part) for part in assumption.as_of.split("-"))
    fresh = datetime.date(year + 1, month, 1)
    assert not [p for p in stale_prices(kb, fresh) if "'gpu_hour_usd'" in str(p)]
    stale = [
        str(p) for p in stale_prices(kb, datetime.date(year + 2, month, 1)) if "'gpu_hour_usd'" in str(p)
    ]
    assert stale and "24 months ago" in stale[0] and "price lists" in stale[0]


def test_every_approach_stays_open_across_the_answer_space() -> None:
    result = check_knowledge(None, None, with_sweep=False)
    assert result.ok, messages(result.problems)
    assert set(result.wins) == set(APPROACHES)


def test_every_quote_is_verbatim_in_its_source(kb: KnowledgeBase, seeds: Path) -> None:
    # Independent of check_quotes: read each source ourselves.
    texts = {s.id: fold_whitespace((seeds / s.file).read_text(encoding="utf-8")) for s in kb.sources}
    missing = [c.id for c in kb.claims if fold_whitespace(c.quote) not in texts[c.source]]
    assert missing == []
    assert check_quotes(kb, seeds) == []


def test_one_changed_word_of_a_quote_is_reported_precisely(kb_dir: Path, seeds: Path) -> None:
    claims = kb_dir / "claims.yaml"
    kb = load_knowledge(kb_dir)
    claim = next(c for c in kb.claims if len(c.quote.split()) > 8)
    words = claim.quote.split()
    changed = words[:]
    changed[5] = "zebra"
    edit(claims, claim.quote, " ".join(changed))
    result = check_knowledge(kb_dir, seeds, with_sweep=False)
    assert not result.ok
    problems = messages(result.problems)
    assert len(problems) == 1, problems
    line = claims.read_text().splitlines().index(f"  - id: {claim.id}") + 1
    source_file = kb.source[claim.source].file
    assert problems[0].startswith(
        f"claims.yaml:{line}: claim {claim.id!r}: its quote is not in {source_file}"
    )
    # It shows where the quote stops matching: the source's words after the match.
    assert words[5] in problems[0]


def test_a_changed_first_word_of_a_quote_is_reported_precisely(kb_dir: Path, seeds: Path) -> None:
    """Nothing of the quote's start matches, so the hint comes from its end."""
    kb = load_knowledge(kb_dir)
    claim = next(c for c in kb.claims if len(c.quote.split()) > 8 and '"' not in c.quote)
    words = claim.quote.split()
    edit(kb_dir / "claims.yaml", claim.quote, " ".join(["Zebra", *words[1:]]))
    problems = messages(check_knowledge(kb_dir, seeds, with_sweep=False).problems)
    assert len(problems) == 1, problems
    assert "it matches from" in problems[0]
    assert words[0] in problems[0]  # the source's word before the match


def test_whitespace_differences_in_a_quote_are_not_reported(kb_dir: Path, seeds: Path) -> None:
    kb = load_knowledge(kb_dir)
    claim = next(c for c in kb.claims if " " in c.quote and '"' not in c.quote and "\\" not in c.quote)
    spaced = claim.quote.replace(" ", "   ", 2)
    edit(kb_dir / "claims.yaml", f'"{claim.quote}"', f'"{spaced}"')
    assert load_knowledge(kb_dir).claim[claim.id].quote == spaced
    assert check_knowledge(kb_dir, seeds, with_sweep=False).ok


def test_missing_source_file_is_reported(kb_dir: Path, tmp_path: Path, seeds: Path) -> None:
    partial = tmp_path / "sources"
    partial.mkdir()
    kb = load_knowledge(kb_dir)
    for source in kb.sources[1:]:
        (partial / source.file).write_bytes((seeds / source.file).read_bytes())
    problems = messages(check_knowledge(kb_dir, partial, with_sweep=False).problems)
    assert any(kb.sources[0].file in p and kb.sources[0].id in p for p in problems), problems


def test_sources_that_are_not_a_folder_are_reported(tmp_path: Path) -> None:
    problems = messages(check_knowledge(None, tmp_path / "nowhere", with_sweep=False).problems)
    assert problems == [f"--sources {tmp_path / 'nowhere'} is not a folder"]


def test_rule_that_can_never_fire_is_reported(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    # labeled_examples is only asked for labeled data: it is 0 whenever labels is unlabeled.
    append(
        rules,
        """
  - id: impossible-unlabeled-with-many-labels
    when:
      all:
        - {field: labels, equals: unlabeled}
        - {field: labeled_examples, at_least: enough_labels_for_supervised}
    effects:
      - {favor: supervised, weight: weight_fits_the_data}
    claims: [data-governance]
    explanation: Cannot happen.
""",
    )
    line = rules.read_text().splitlines().index("  - id: impossible-unlabeled-with-many-labels") + 1
    result = check_knowledge(kb_dir, None, with_sweep=False)
    assert messages(result.problems) == [
        f"rules.yaml:{line}: rule 'impossible-unlabeled-with-many-labels' never fires for any "
        "answers; check its condition"
    ]


def test_case_whose_expected_approach_is_wrong_is_reported(kb_dir: Path) -> None:
    edit(kb_dir / "cases" / "medical-imaging.yaml", "approach: transfer-learning", "approach: supervised")
    problems = messages(check_knowledge(kb_dir, None, with_sweep=False).problems)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        "cases/medical-imaging.yaml: recommends transfer-learning, expected supervised"
    )


def test_case_whose_documented_total_is_far_off_is_reported(kb_dir: Path) -> None:
    edit(kb_dir / "cases" / "medical-imaging.yaml", "usd: 10000", "usd: 1000000")
    problems = messages(check_knowledge(kb_dir, None, with_sweep=False).problems)
    assert len(problems) == 1, problems
    assert problems[0].startswith("cases/medical-imaging.yaml: data + compute of transfer-learning estimated")
    assert "more than a factor 2 from the documented $1,000,000" in problems[0]


def test_case_with_unreadable_answers_is_reported(kb_dir: Path) -> None:
    edit(kb_dir / "cases" / "medical-imaging.yaml", "labels: no data yet", "labels: perhaps")
    problems = messages(check_knowledge(kb_dir, None, with_sweep=False).problems)
    assert len(problems) == 1, problems
    assert problems[0].startswith("cases/medical-imaging.yaml: answers: labels:")
    assert "perhaps" in problems[0]


def test_case_file_with_a_schema_error_is_reported(kb_dir: Path) -> None:
    edit(kb_dir / "cases" / "medical-imaging.yaml", "expect:", "expected_by_typo: 1\nexpect:")
    problems = messages(check_knowledge(kb_dir, None, with_sweep=False).problems)
    assert any(p.startswith("cases/medical-imaging.yaml:") and "expected_by_typo" in p for p in problems), (
        problems
    )


def test_point_where_every_approach_is_excluded_is_reported(kb_dir: Path) -> None:
    append(
        kb_dir / "rules.yaml",
        """
  - id: nothing-on-cpus
    when: {field: hardware, equals: cpu}
    effects:
      - {exclude: supervised}
      - {exclude: unsupervised}
      - {exclude: transfer-learning}
    claims: [compute-hardware]
    explanation: Nothing works on CPUs.
""",
    )
    problems = messages(check_knowledge(kb_dir, None, with_sweep=False).problems)
    assert problems
    excluded = [p for p in problems if "every approach is excluded" in p]
    assert excluded, problems
    for problem in excluded:
        assert problem.startswith("rules.yaml: ")
        assert "hardware='cpu'" in problem
    # The report is capped: a person needs a few examples, not hundreds.
    assert len(excluded) <= 5


def test_invalid_knowledge_base_is_reported_not_raised(kb_dir: Path) -> None:
    (kb_dir / "rules.yaml").unlink()
    result = check_knowledge(kb_dir, None, with_sweep=False)
    assert not result.ok
    assert result.kb is None
    assert any(re.match(r"rules\.yaml: is missing", str(p)) for p in result.problems)


def test_what_not_sure_takes_must_be_an_answer_the_question_accepts(kb_dir: Path) -> None:
    edit(kb_dir / "questions.yaml", "  unsure:\n      value: small", "  unsure:\n      value: tiny")
    edit(kb_dir / "questions.yaml", "{label: Thousands, value: 1000}", "{label: Thousands, value: many}")
    result = check_knowledge(kb_dir, None, with_sweep=False)
    found = [str(problem) for problem in result.problems]
    assert not result.ok
    assert any("unsure: 'tiny' is not an answer to 'model_size'" in problem for problem in found), found
    assert any("unsure: 'many' is not an answer to 'labeled_examples'" in problem for problem in found), found
