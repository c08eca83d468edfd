"""Loading a knowledge base: each way a knowledge folder can be wrong gives a
KnowledgeError whose message names the file, the line where it can, and what
is wrong; and the bundled knowledge base loads and is consistent."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import append, edit

from advisor.checks import check_knowledge
from advisor.errors import KnowledgeError
from advisor.kb import FILES, KnowledgeBase, default_knowledge_dir, load_cases, load_knowledge, safeyaml
from advisor.kb.models import APPROACHES


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line containing ``needle``."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(found) >= nth, f"{needle!r} is not in {path.name} {nth} times"
    return found[nth - 1]


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    assert caught.value.exit_code == 3
    return [str(problem) for problem in caught.value.problems]


def only_problem(directory: Path) -> str:
    problems = problems_of(directory)
    assert len(problems) == 1, problems
    return problems[0]


# --- the bundled knowledge base ------------------------------------------------------


def test_bundled_knowledge_base_loads_with_all_three_approaches(kb: KnowledgeBase) -> None:
    assert set(kb.approach) == set(APPROACHES)
    assert sorted(kb.costs.tie_order) == sorted(APPROACHES)
    assert kb.version == kb.index.version and kb.version


def test_bundled_knowledge_base_cross_references_resolve(kb: KnowledgeBase) -> None:
    for claim in kb.claims:
        assert claim.source in kb.source
    for rule in kb.rules:
        assert set(rule.claims) <= set(kb.claim), rule.id
    for approach in kb.approaches:
        assert set(approach.claims) <= set(kb.claim)
    for entry in kb.faq:
        assert set(entry.claims) <= set(kb.claim)


def test_bundled_answer_fields_are_the_design_contract(kb: KnowledgeBase) -> None:
    contract = {"task", "labels", "labeled_examples", "model_size", "budget_usd", "hardware"}
    assert contract <= set(kb.question)
    assert set(kb.question) - contract == {
        "unlabeled_examples",
        "team",
        "team_size",
        "method",
        "output",
        "data",
        "domain",
        "data_location",
    }
    assert {c.value for c in kb.question["labels"].choices} == {
        "labeled",
        "partially-labeled",
        "unlabeled",
        "none-yet",
    }
    assert {c.value for c in kb.question["model_size"].choices} == {"small", "medium", "large"}
    assert {c.value for c in kb.question["hardware"].choices} == {"gpu", "tpu", "cpu", "own-gpu"}
    assert kb.question["hardware"].optional


def test_default_knowledge_dir_holds_every_knowledge_file() -> None:
    directory = default_knowledge_dir()
    for name in FILES:
        assert (directory / name).is_file(), name


def test_knowledge_base_is_frozen(kb: KnowledgeBase) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.claims[0].text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        kb.rules = ()  # type: ignore[misc]


def test_copy_of_bundled_knowledge_base_loads(kb_dir: Path) -> None:
    assert load_knowledge(kb_dir).directory == kb_dir


# --- schema errors ---------------------------------------------------------------------


def test_unknown_field_in_a_claim_names_file_line_claim_and_field(kb_dir: Path) -> None:
    claims = kb_dir / "claims.yaml"
    first_quote = line_of(claims, "    quote: ")
    first_id = re.search(r"- id: (\S+)", claims.read_text()).group(1)  # type: ignore[union-attr]
    edit(claims, "    quote: ", "    quote_text: ")
    problems = problems_of(kb_dir)
    typo = [p for p in problems if "quote_text" in p]
    assert typo == [
        f"claims.yaml:{first_quote}: claim {first_id!r} quote_text: is not a known field (check its spelling)"
    ]
    # and the field it replaced is now missing, on the same claim
    assert any("quote" in p and "missing" in p and first_id in p for p in problems)


def test_wrong_type_names_the_field(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    edit(
        rules,
        "      - {favor: transfer-learning, weight: weight_documented_rank}",
        "      - {favor: transfer-learning, weight: [1, 2]}",
    )
    message = problems_of(kb_dir)[0]
    assert message.startswith(f"rules.yaml:{line_of(rules, 'weight: [1, 2]')}: ")
    assert "rule 'transfer-documented-rank' effects[0].weight" in message


def test_one_bad_value_gives_one_problem(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "      - {favor: transfer-learning, weight: weight_documented_rank}",
        "      - {favor: transfer-learning, weight: [1, 2]}",
    )
    assert "weight" in only_problem(kb_dir)


def test_a_bare_number_as_a_weight_is_refused_until_it_is_named(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    edit(
        rules,
        "      - {favor: transfer-learning, weight: weight_documented_rank}",
        "      - {favor: transfer-learning, weight: 1}",
    )
    problems = problems_of(kb_dir)
    assert (
        f"rules.yaml:{line_of(rules, '- id: transfer-documented-rank')}: rule 'transfer-documented-rank': "
        "the weight 1 is a bare number; name it under assumptions in costs.yaml and give its reason"
    ) in problems


def test_a_bare_number_as_a_threshold_is_refused_until_it_is_named(kb_dir: Path) -> None:
    edit(kb_dir / "rules.yaml", "below: enough_labels_for_supervised}", "below: 10000}")
    message = only_problem(kb_dir)
    assert "rule 'few-labels-suit-transfer': the threshold 10000 is a bare number" in message


def test_a_weight_that_names_a_range_is_refused(kb_dir: Path) -> None:
    edit(kb_dir / "rules.yaml", "weight: weight_documented_rank}", "weight: gpu_hour_usd}")
    assert any(
        "its weight 'gpu_hour_usd' is a range; a weight needs one number" in p for p in problems_of(kb_dir)
    )


def test_a_bare_number_in_a_formula_is_refused(kb_dir: Path) -> None:
    edit(kb_dir / "costs.yaml", "amount: to_collect * collection_usd", "amount: to_collect * 0.25")
    edit(
        kb_dir / "costs.yaml",
        "default: collection_usd_per_example",
        "default: expert_collection_usd_per_example",
    )
    problems = problems_of(kb_dir)
    assert any("cost line 'data-collection': 0.25 is a bare number; name it" in p for p in problems)
    # ...and the assumption it replaced is now unused, which is said too.
    assert any("assumption 'collection_usd_per_example' is not used" in p for p in problems)


def test_a_formula_using_a_quantity_before_it_is_computed_is_refused(kb_dir: Path) -> None:
    edit(kb_dir / "costs.yaml", "amount: max(0, label_need - labeled_examples)", "amount: max(0, gpus)")
    assert any("quantity 'to_label' uses 'gpus' before it is computed" in p for p in problems_of(kb_dir))


def test_effect_with_two_kinds_is_refused(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "      - {exclude: supervised}",
        "      - {exclude: supervised, favor: unsupervised}",
    )
    message = only_problem(kb_dir)
    assert message.startswith("rules.yaml:")
    assert "exactly one of favor, exclude, caveat, next_step" in message


# --- cross-references ------------------------------------------------------------------


def test_dangling_claim_in_a_rule_names_rule_and_claim(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    edit(rules, "claims: [data-governance]", "claims: [data-governance, no-such-claim]")
    line = line_of(rules, "- id: data-governance")
    assert only_problem(kb_dir) == (
        f"rules.yaml:{line}: rule 'data-governance' cites unknown claim 'no-such-claim'"
    )


def test_claim_citing_an_unknown_source(kb_dir: Path) -> None:
    claims = kb_dir / "claims.yaml"
    edit(claims, "source: cost-comparison", "source: nowhere")
    message = only_problem(kb_dir)
    assert re.fullmatch(r"claims\.yaml:\d+: claim '[a-z0-9-]+' cites unknown source 'nowhere'", message)
    assert message.startswith(f"claims.yaml:{line_of(claims, '- id: ')}:")


def test_duplicate_claim_id_is_reported_with_its_file_and_line(kb_dir: Path) -> None:
    claims = kb_dir / "claims.yaml"
    ids = re.findall(r"- id: (\S+)", claims.read_text())
    first, second = ids[0], ids[1]
    edit(claims, f"- id: {second}\n", f"- id: {first}\n")
    problems = problems_of(kb_dir)
    duplicate = [p for p in problems if "twice" in p]
    assert len(duplicate) == 1
    assert f"claim id {first!r} is used twice" in duplicate[0]
    lines = {line_of(claims, f"- id: {first}", 1), line_of(claims, f"- id: {first}", 2)}
    assert int(duplicate[0].split(":")[1]) in lines


def test_duplicate_rule_id(kb_dir: Path) -> None:
    edit(kb_dir / "rules.yaml", "- id: security\n", "- id: data-governance\n")
    message = only_problem(kb_dir)
    assert message.startswith("rules.yaml:")
    assert "rule id 'data-governance' is used twice" in message


def test_unused_claim_is_reported_where_it_is_defined(kb_dir: Path) -> None:
    claims = kb_dir / "claims.yaml"
    append(
        claims,
        "\n  - id: lonely-claim\n    text: A claim nothing cites.\n"
        '    quote: "The time taken to fine-tune a model"\n    source: cost-comparison\n',
    )
    line = line_of(claims, "- id: lonely-claim")
    message = only_problem(kb_dir)
    assert message.startswith(f"claims.yaml:{line}: claim 'lonely-claim' is not used")


def test_condition_on_an_unknown_field(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    edit(rules, "when: {field: hardware, equals: tpu}", "when: {field: hardwear, equals: tpu}")
    line = line_of(rules, "- id: tpu-costs-more")
    message = only_problem(kb_dir)
    assert message.startswith(f"rules.yaml:{line}: rule 'tpu-costs-more' tests unknown field 'hardwear'")
    assert "hardware" in message  # the known fields are listed


def test_condition_on_an_unknown_value_lists_the_values(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    edit(rules, "when: {field: hardware, equals: tpu}", "when: {field: hardware, in: [tpu, fpga]}")
    line = line_of(rules, "- id: tpu-costs-more")
    message = only_problem(kb_dir)
    assert message.startswith(f"rules.yaml:{line}: rule 'tpu-costs-more' tests 'hardware'")
    assert "unknown value 'fpga'" in message
    assert "cpu, gpu, own-gpu, tpu" in message


def test_below_on_a_choice_field_is_refused(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "when: {field: hardware, equals: tpu}",
        "when: {field: hardware, below: enough_labels_for_supervised}",
    )
    message = only_problem(kb_dir)
    assert message.startswith("rules.yaml:")
    assert "'hardware' with below, but it is not a number" in message


def test_number_field_compared_with_text_is_refused(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "{field: labeled_examples, at_least: enough_labels_for_supervised}",
        "{field: labeled_examples, equals: lots}",
    )
    message = only_problem(kb_dir)
    assert "many-labels-suit-supervised" in message
    assert "number field 'labeled_examples'" in message


def test_a_formula_with_an_unknown_name(kb_dir: Path) -> None:
    costs = kb_dir / "costs.yaml"
    edit(costs, "amount: licences_usd * (1 - solo)\n", "amount: licences_usdx * (1 - solo)\n")
    problems = problems_of(kb_dir)
    line = line_of(costs, "- id: licences", nth=2)  # the first is the assumption licences_usd
    assert f"costs.yaml:{line}: cost line 'licences' uses unknown name 'licences_usdx'" in problems


def test_a_cited_figure_out_of_range(kb_dir: Path) -> None:
    costs = kb_dir / "costs.yaml"
    edit(costs, "    figure: 1\n", "    figure: 3\n")
    message = only_problem(kb_dir)
    assert message == (
        f"costs.yaml:{line_of(costs, '- id: transfer_label_target')}: cited figure 'transfer_label_target' "
        "uses figure 3 of claim 'case-medical-imaging', which has 2"
    )


def test_cost_table_with_a_case_its_field_never_takes(kb_dir: Path) -> None:
    factor = "infeasible + (1 - infeasible) * tpu_cost_factor"
    edit(kb_dir / "costs.yaml", f"        tpu: {factor}\n", f"        fpga: {factor}\n")
    message = only_problem(kb_dir)
    assert "case 'fpga' that 'hardware' never takes" in message


# --- files ------------------------------------------------------------------------------


def test_empty_knowledge_file_is_reported(kb_dir: Path) -> None:
    (kb_dir / "rules.yaml").write_text("", encoding="utf-8")
    message = only_problem(kb_dir)
    assert message.startswith("rules.yaml")


@pytest.mark.parametrize(("content", "says"), [("", "empty"), ("- a\n- b\n", "mapping")])
def test_empty_or_non_mapping_knowledge_file_says_so_in_plain_words(
    kb_dir: Path, content: str, says: str
) -> None:
    (kb_dir / "rules.yaml").write_text(content, encoding="utf-8")
    message = only_problem(kb_dir)
    assert says in message
    assert "_RulesFile" not in message


def test_missing_knowledge_file(kb_dir: Path) -> None:
    (kb_dir / "rules.yaml").unlink()
    assert only_problem(kb_dir) == "rules.yaml: is missing from the knowledge base"


def test_missing_folder(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nowhere") == f"{tmp_path / 'nowhere'}: is not a folder"


def test_unknown_extra_file_in_the_folder(kb_dir: Path) -> None:
    (kb_dir / "rule.yaml").write_text("rules: []\n", encoding="utf-8")
    message = only_problem(kb_dir)
    assert message.startswith("rule.yaml: is not a knowledge file")
    assert "rules.yaml" in message


@pytest.mark.parametrize("name", ["Rules.YAML", "rules.yml", "RULES.yaml"])
def test_a_knowledge_file_named_almost_right_is_refused_not_ignored(kb_dir: Path, name: str) -> None:
    (kb_dir / name).write_text("rules: []\n", encoding="utf-8")
    assert only_problem(kb_dir) == (
        f"{name}: is not read (knowledge files are named in lowercase and end in .yaml); "
        "merge it into rules.yaml, or remove it"
    )


def test_a_knowledge_file_named_almost_right_in_place_of_the_right_one_says_to_rename_it(
    kb_dir: Path,
) -> None:
    (kb_dir / "rules.yaml").rename(kb_dir / "Rules.yml")
    assert problems_of(kb_dir) == [
        "Rules.yml: is not read (knowledge files are named in lowercase and end in .yaml); "
        "rename it to rules.yaml",
        "rules.yaml: is missing from the knowledge base",
    ]


def test_a_cases_folder_named_almost_right_is_refused(kb_dir: Path) -> None:
    (kb_dir / "cases").rename(kb_dir / "Cases")
    assert (
        only_problem(kb_dir)
        == "Cases: is not read (the cases are in a folder named cases); rename it to cases"
    )


def test_other_files_in_the_folder_are_read_by_no_one_and_kb_check_says_so(kb_dir: Path) -> None:
    (kb_dir / "notes.txt").write_text("ideas\n", encoding="utf-8")
    (kb_dir / "old").mkdir()
    (kb_dir / ".editorconfig").write_text("root = true\n", encoding="utf-8")
    load_knowledge(kb_dir, use_cache=False)  # they do not stop the advisor
    result = check_knowledge(kb_dir, None, with_sweep=False)
    assert result.ok, result.problems
    unread = [str(w) for w in result.warnings if "is not read" in str(w)]
    assert unread == [
        "notes.txt: is not read by the advisor (only the knowledge files and cases/ are)",
        "old: is not read by the advisor (only the knowledge files and cases/ are)",
    ]


def test_duplicate_key_in_a_knowledge_file_names_both_lines(kb_dir: Path) -> None:
    rules = kb_dir / "rules.yaml"
    first = line_of(rules, "- id: security")
    edit(rules, "  - id: security\n", "  - id: security\n    id: security-again\n")
    assert only_problem(kb_dir) == (
        f"rules.yaml:{first + 1}: the key 'id' appears twice (first on line {first})"
    )


def test_alias_bomb_in_a_knowledge_file_fails_fast(kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    (kb_dir / "glossary.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    built = []
    real = safeyaml._scalar
    monkeypatch.setattr(safeyaml, "_scalar", lambda *a, **k: built.append(1) or real(*a, **k))
    message = only_problem(kb_dir)
    assert len(built) < 9**5  # the other files and the first list; never the 9**9 values of the bomb
    assert message.startswith("glossary.yaml:")
    assert "alias" in message


def test_python_tag_in_a_knowledge_file(kb_dir: Path) -> None:
    edit(kb_dir / "index.yaml", "version:", "evil: !!python/object/apply:os.system ['echo pwned']\nversion:")
    message = only_problem(kb_dir)
    assert message.startswith("index.yaml:")
    assert "python/object/apply" in message
    assert "not allowed" in message


def test_deep_nesting_in_a_knowledge_file(kb_dir: Path) -> None:
    (kb_dir / "faq.yaml").write_text("faq: " + "[" * 10_000 + "]" * 10_000, encoding="utf-8")
    message = only_problem(kb_dir)
    assert message.startswith("faq.yaml:")
    assert "nested" in message


def test_oversized_knowledge_file(kb_dir: Path) -> None:
    (kb_dir / "faq.yaml").write_text("# " + "x" * (1024 * 1024 + 10) + "\n", encoding="utf-8")
    assert only_problem(kb_dir) == "faq.yaml: is larger than 1024 KiB; refusing to read it"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (bytes(range(256)), "not UTF-8"),
        (b"faq: \xff\n", "not UTF-8"),
        (b"faq: []\x00\n", "NUL"),
    ],
    ids=["binary-junk", "not-utf8", "nul-byte"],
)
def test_binary_knowledge_file(kb_dir: Path, raw: bytes, expected: str) -> None:
    (kb_dir / "faq.yaml").write_bytes(raw)
    message = only_problem(kb_dir)
    assert message.startswith("faq.yaml: ")
    assert expected in message


def test_all_problems_are_reported_together(kb_dir: Path) -> None:
    (kb_dir / "faq.yaml").write_bytes(b"\x00")
    (kb_dir / "glossary.yaml").unlink()
    problems = problems_of(kb_dir)
    assert any(p.startswith("faq.yaml") for p in problems)
    assert any(p.startswith("glossary.yaml") for p in problems)


# --- text a terminal would obey ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("escaped", "where", "named"),
    [
        (r"\e]0;pwned\a", 1, "U+001B (ESC)"),  # a terminal title sequence
        (r"What is \x1b[31mfine-tuning?", 9, "U+001B (ESC)"),
        (r"What\ris it?", 5, "U+000D (CR)"),
        (r"What is it\x7f?", 11, "U+007F (DEL)"),
        (r"What is it\x9b?", 11, "U+009B (CSI)"),
        (r"What is \u202eti si tahW", 9, "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        (r"What is \u2066it?", 9, "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ],
    ids=["osc-title", "colour", "carriage-return", "del", "c1", "bidi-override", "bidi-isolate"],
)
def test_a_control_character_in_knowledge_text_is_refused_with_its_place(
    kb_dir: Path, escaped: str, where: int, named: str
) -> None:
    faq = kb_dir / "faq.yaml"
    edit(faq, "question: What is fine-tuning in AI?", f'question: "{escaped}"')
    message = only_problem(kb_dir)
    line = line_of(faq, "question: ")
    assert message == (
        f"faq.yaml:{line}: faq entry 'what-is-fine-tuning' question: holds the control character "
        f"{named} at character {where}, which a terminal would act on when it shows the text; delete it"
    )


def test_tabs_and_line_breaks_are_text(kb_dir: Path) -> None:
    edit(
        kb_dir / "faq.yaml",
        "question: What is fine-tuning in AI?",
        'question: "What is\\tfine-tuning\\n in AI?"',
    )
    kb = load_knowledge(kb_dir, use_cache=False)
    assert kb.faq[0].question == "What is\tfine-tuning\n in AI?"


_CAVEAT = """      - caveat: >-
          The documents name no pre-trained model for this kind of data; check
          that a model close to your task exists before you choose transfer learning.
"""


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "rules.yaml",
            _CAVEAT,
            '      - caveat: "\\e[2JCheck that a model close to your task exists."\n',
            "rule 'other-data-may-lack-a-base' effects[1].caveat: holds the control character "
            "U+001B (ESC) at character 1",
        ),
        (
            "costs.yaml",
            "        tpu: infeasible + (1 - infeasible) * tpu_cost_factor\n",
            '        "tpu\\e": infeasible + (1 - infeasible) * tpu_cost_factor\n',
            "quantity 'hardware_factor' amount.cases: a key holds the control character "
            "U+001B (ESC) at character 4",
        ),
        (
            "questions.yaml",
            "          - not collected\n",
            '          - "not collected\\u202e"\n',
            "question 'labels' choices[3].aliases[12]: holds the control character "
            "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 14",
        ),
    ],
    ids=["rule-caveat", "mapping-key", "alias"],
)
def test_every_text_of_the_knowledge_base_is_checked_keys_too(
    kb_dir: Path, file: str, old: str, new: str, expected: str
) -> None:
    path = kb_dir / file
    edit(path, old, new)
    message = only_problem(kb_dir)
    line = line_of(path, new.strip().split("\\")[0])
    assert message == (
        f"{file}:{line}: {expected}, which a terminal would act on when it shows the text; delete it"
    )


def test_a_control_character_in_a_case_is_refused(kb_dir: Path) -> None:
    case = kb_dir / "cases" / "laptop-images.yaml"
    edit(case, "description: A student has", 'description: "\\e]8;;https://example.com\\aA student has')
    edit(case, "$500.\n", '$500."\n')
    with pytest.raises(KnowledgeError) as caught:
        load_cases(kb_dir)
    assert [str(p) for p in caught.value.problems] == [
        "cases/laptop-images.yaml:1: description: holds the control character U+001B (ESC) at character 1, "
        "which a terminal would act on when it shows the text; delete it"
    ]


# --- values from files are never echoed at unbounded length --------------------------------

LONG = 900
"""Long, but under YAML's 1,024-character limit for plain keys."""


def _long_field_in_a_condition(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "when: {field: hardware, equals: tpu}",
        f"when: {{field: {'h' * LONG}, equals: tpu}}",
    )


def _long_value_in_a_condition(kb_dir: Path) -> None:
    edit(
        kb_dir / "rules.yaml",
        "when: {field: hardware, equals: tpu}",
        f"when: {{field: hardware, equals: {'t' * LONG}}}",
    )


def _long_unknown_key(kb_dir: Path) -> None:
    edit(kb_dir / "claims.yaml", "    quote: ", f"    {'q' * LONG}: 1\n    quote: ")


def _long_tag(kb_dir: Path) -> None:
    edit(kb_dir / "index.yaml", "version:", f"x: !{'t' * LONG} y\nversion:")


def _long_cost_table_field(kb_dir: Path) -> None:
    edit(kb_dir / "costs.yaml", "      by: hardware", f"      by: {'h' * LONG}")


def _long_cost_table_case(kb_dir: Path) -> None:
    factor = "infeasible + (1 - infeasible) * tpu_cost_factor"
    edit(kb_dir / "costs.yaml", f"        tpu: {factor}\n", f"        {'p' * LONG}: {factor}\n")


def _long_duplicate_key(kb_dir: Path) -> None:
    key = "k" * LONG
    edit(kb_dir / "index.yaml", "version:", f"{key}: 1\n{key}: 2\nversion:")


def _long_claim_id(kb_dir: Path) -> None:
    edit(kb_dir / "claims.yaml", "- id: ", f"- id: {'z' * LONG}\n    old-id: ")


@pytest.mark.parametrize(
    "make_long",
    [
        pytest.param(_long_duplicate_key, id="duplicate-key"),
        pytest.param(_long_claim_id, id="claim-id"),
        pytest.param(_long_field_in_a_condition, id="condition-field"),
        pytest.param(_long_value_in_a_condition, id="condition-value"),
        pytest.param(_long_unknown_key, id="unknown-key"),
        pytest.param(_long_tag, id="tag"),
        pytest.param(_long_cost_table_field, id="cost-by"),
        pytest.param(_long_cost_table_case, id="cost-case"),
    ],
)
def test_long_values_from_knowledge_files_are_truncated_in_messages(
    kb_dir: Path, make_long: Callable[[Path], None]
) -> None:
    make_long(kb_dir)
    problems = problems_of(kb_dir)
    assert problems
    for problem in problems:
        assert len(problem) < 500, problem[:120] + "..."


# --- the parsed-knowledge cache ----------------------------------------------------------------


# --- which YAML parser reads what ------------------------------------------------------------------


@pytest.mark.skipif(safeyaml._CLoader is None, reason="PyYAML was built without libyaml")
def test_knowledge_files_are_composed_by_libyaml_and_answers_by_the_pure_loader(
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    case_answers: Callable[[str], dict[str, object]],
    tmp_path: Path,
) -> None:
    from advisor.answers import load_answers, normalize

    def wrong_parser(*_: object) -> None:
        raise AssertionError("the wrong YAML parser")

    monkeypatch.setattr(safeyaml, "_Loader", wrong_parser)
    load_knowledge(use_cache=False)
    assert load_cases(default_knowledge_dir())
    monkeypatch.undo()
    # Reading the task loads the task vocabulary, a knowledge file (libyaml), once a process.
    expected = normalize(case_answers("medical-imaging"), kb).answers
    monkeypatch.setattr(safeyaml, "_CLoader", wrong_parser)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(case_answers("medical-imaging")), encoding="utf-8")
    assert load_answers(str(answers), kb).answers == expected
