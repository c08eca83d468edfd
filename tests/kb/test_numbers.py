"""The number policy in knowledge files: every number finite and within its range, negative
only where a rule weighs with it, no YAML 1.1 octal or hexadecimal, and each refusal naming
its file, line and item. A number that slipped through used to pass ``kb check`` and then
crash every report (an assumption of 1.0e+308), or crash ``kb check`` itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import edit

from advisor.errors import KnowledgeError
from advisor.kb import KnowledgeBase, default_knowledge_dir, load_cases, load_knowledge

Edit = tuple[str, str, str]
"""A file of the knowledge folder, text in it, and what to write instead."""

GPU_HOUR = ("costs.yaml", "value: [1.5, 4.0]", "value: {}")
"""gpu_hour_usd's value in costs.yaml."""


def _gpu_hour_lines() -> tuple[int, int]:
    """The lines of gpu_hour_usd in the bundled costs.yaml: the item, and its value."""
    lines = (default_knowledge_dir() / "costs.yaml").read_text(encoding="utf-8").splitlines()
    item = lines.index("  - id: gpu_hour_usd") + 1
    return item, item + 1


GPU_HOUR_ITEM, GPU_HOUR_VALUE = _gpu_hour_lines()


def refusal(kb_dir: Path, file: str, old: str, new: str) -> str:
    edit(kb_dir / file, old, new)
    with pytest.raises(KnowledgeError) as refused:
        load_knowledge(kb_dir, use_cache=False)
    assert refused.value.exit_code == 3
    return "\n".join(str(problem) for problem in refused.value.problems)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        pytest.param("1.0e+308", "1e+308 is more than 1e+18, the largest number accepted here", id="1e308"),
        pytest.param(
            "[1, 1.0e+308]",
            "1e+308 is more than 1e+18, the largest number accepted here",
            id="range-to-1e308",
        ),
        pytest.param(".nan", "not NaN", id="nan"),
        pytest.param(".inf", "is infinite", id="inf"),
        pytest.param("[-.inf, 4]", "is infinite", id="range-from-minus-inf"),
        pytest.param("1" + "0" * 400, "a number of 401 digits is far too large", id="400-digits"),
        pytest.param("1" * 5000, "a number of 5,000 digits is far too long to read", id="5000-digits"),
        pytest.param(
            "0500", "'0500' has a leading zero, which YAML 1.1 reads as octal; write 500", id="octal"
        ),
        pytest.param("0x10", "'0x10' is hexadecimal for 16", id="hexadecimal"),
        pytest.param("5.0e-324", "5e-324 is too near 0: give at least 1e-09, or 0", id="5e-324"),
        pytest.param("[1.0e-310, 4]", "its low end: 1e-310 is too near 0", id="range-from-1e-310"),
        pytest.param("-3", "assumption 'gpu_hour_usd' is negative (-3)", id="negative"),
        pytest.param("[-1, 4]", "assumption 'gpu_hour_usd' is negative (-1 to 4)", id="negative-range"),
    ],
)
def test_an_assumption_outside_the_policy_is_refused_at_its_line(kb_dir: Path, value: str, says: str) -> None:
    file, old, new = GPU_HOUR
    message = refusal(kb_dir, file, old, new.format(value))
    assert message.startswith((f"costs.yaml:{GPU_HOUR_ITEM}: ", f"costs.yaml:{GPU_HOUR_VALUE}: ")), message
    assert says in message
    assert len(message) < 300


def test_a_weight_may_be_negative_but_nothing_else(kb: object, kb_dir: Path) -> None:
    edit(
        kb_dir / "costs.yaml",
        "  - id: weight_task_base\n    value: 1\n",
        "  - id: weight_task_base\n    value: -2\n",
    )
    assert load_knowledge(kb_dir, use_cache=False).numbers["weight_task_base"] == -2
    edit(
        kb_dir / "costs.yaml",
        "  - id: flops_per_param_token\n    value: 6\n",
        "  - id: flops_per_param_token\n    value: -6\n",
    )
    with pytest.raises(KnowledgeError, match="constant 'flops_per_param_token' is negative"):
        load_knowledge(kb_dir, use_cache=False)


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        pytest.param("costs.yaml", "value: 1.0e+12", "value: .inf", "is infinite", id="constant"),
        pytest.param("claims.yaml", "amount: 50000", "amount: .nan", "not NaN", id="figure"),
        pytest.param("claims.yaml", "amount: 50000", "amount: 1.0e+300", "more than 1e+18", id="figure-huge"),
        pytest.param("questions.yaml", "below_params: 1.0e+9", "below_params: -1", "more than 0", id="band"),
        pytest.param("questions.yaml", "params: 2.56e+7,", "params: .inf,", "is infinite", id="known-model"),
        pytest.param(
            "questions.yaml", "plausible: [20, 1.0e+9]", "plausible: [20, .inf]", "infinite", id="plausible"
        ),
        pytest.param(
            "questions.yaml",
            "plausible: [20, 1.0e+9]",
            "plausible: [020, 1.0e+9]",
            "leading zero",
            id="octal",
        ),
    ],
)
def test_other_knowledge_numbers_outside_the_policy_are_refused(
    kb_dir: Path, file: str, old: str, new: str, says: str
) -> None:
    message = refusal(kb_dir, file, old, new)
    assert message.startswith(f"{file}:"), message
    assert says in message


@pytest.mark.parametrize(
    ("usd", "says"),
    [
        pytest.param("0", "a documented cost is a positive number of dollars", id="zero"),
        pytest.param("-5", "a documented cost is a positive number of dollars", id="negative"),
        pytest.param(".nan", "not NaN", id="nan"),
        pytest.param(".inf", "is infinite", id="inf"),
        pytest.param("1.0e+300", "more than 1e+18", id="huge"),
    ],
)
def test_a_case_whose_documented_cost_is_not_a_positive_finite_amount_is_refused(
    kb_dir: Path, usd: str, says: str
) -> None:
    edit(kb_dir / "cases" / "medical-imaging.yaml", "usd: 10000", f"usd: {usd}")
    with pytest.raises(KnowledgeError) as refused:
        load_cases(kb_dir)
    [problem] = refused.value.problems
    assert str(problem).startswith("cases/medical-imaging.yaml:")
    assert says in str(problem)


def test_kb_check_refuses_an_assumption_that_would_crash_every_report(
    cli: Callable[..., object], kb_dir: Path
) -> None:
    edit(kb_dir / "costs.yaml", "value: [1.5, 4.0]", "value: 1.0e+308")
    run = cli("kb", "check", "--knowledge", kb_dir)
    assert run.code == 3, run.err  # type: ignore[attr-defined]
    assert (
        f"costs.yaml:{GPU_HOUR_VALUE}: assumption 'gpu_hour_usd' value: 1e+308 is more than 1e+18" in run.err
    )  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["0", "[0, 80]"])
def test_an_assumption_a_formula_divides_by_must_be_above_0(kb_dir: Path, value: str) -> None:
    """GPUs of 0 GB would read as "fits on one GPU": the cost model takes x / 0 as 0."""
    message = refusal(
        kb_dir,
        "costs.yaml",
        "  - id: gpu_memory_gb\n    value: 80\n",
        f"  - id: gpu_memory_gb\n    value: {value}\n",
    )
    assert "assumption 'gpu_memory_gb' can be 0, but a cost formula divides by it" in message


def test_the_divisors_are_found_in_every_formula(kb: KnowledgeBase) -> None:
    assert {"gpu_memory_gb", "gpu_effective_tflops"} <= kb.divisors
    assert "gpu_hour_usd" not in kb.divisors  # multiplied, never divided by
