"""A large valid knowledge base: a copy of ``knowledge/`` with N more threshold rules.

    python benchmarks/large_kb.py 3000 /tmp/kb-3000    # write one (the folder must not exist)

The extra rules test the answers against the thresholds the shipped rules already name (so the
answer space keeps its size: what grows is the number of rules, nothing else), alone or with a
choice, and cite real claims. They come in threes, one for each approach with the same
condition and weight (the last one or two favor all three at once), so that they add the same
to every approach's score: every decision, case and sweep count stays what it was, and the
base passes ``advisor kb check``.
Each rule is about 260 bytes: 3,000 of them stay under the 1 MiB limit on a knowledge file.

``python benchmarks/bench.py scale`` checks and reports from such bases.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_MANY_LABELS = "{field: labeled_examples, at_least: enough_labels_for_supervised}"
_FEW_LABELS = "{field: labeled_examples, below: enough_labels_for_supervised}"
_MUCH_RAW = "{field: unlabeled_examples, at_least: min_raw_for_unsupervised}"
_LITTLE_RAW = "{field: unlabeled_examples, below: min_raw_for_unsupervised}"
_SMALL = "{field: model_params, below: small_model_below_params}"
_NOT_SMALL = "{field: model_params, at_least: small_model_below_params}"

CONDITIONS = (
    _MANY_LABELS,
    _FEW_LABELS,
    _MUCH_RAW,
    _NOT_SMALL,
    "{not: {field: model_params, below: large_model_from_params}}",
    f"{{all: [{{field: labels, equals: labeled}}, {_NOT_SMALL}]}}",
    f"{{all: [{{field: data, in: [text, images]}}, {_FEW_LABELS}]}}",
    f"{{any: [{{field: data, equals: images}}, {_LITTLE_RAW}]}}",
    f"{{all: [{{field: hardware, equals: gpu}}, {{not: {_SMALL}}}]}}",
    f"{{any: [{{field: team, equals: in-house}}, {_MANY_LABELS}]}}",
    f"{{all: [{{field: method, equals: lora}}, {_MUCH_RAW}]}}",
    "{not: {field: labels, equals: unlabeled}}",
)
"""Conditions over the thresholds (and choices) that the shipped rules already test."""

WEIGHTS = ("weight_documented_rank", "weight_fits_the_data", "weight_can_use_the_data")

CLAIMS = (
    "finetuning-definition",
    "pick-pretrained-model",
    "transfer-learning-reuse",
    "unsupervised-uses-unlabeled-data",
    "supervised-uses-labeled-data",
)
"""Real claims that are about no one approach (a claim scoped to one cannot favor the others)."""

APPROACHES = ("supervised", "unsupervised", "transfer-learning")


def rules_text(count: int) -> str:
    """``count`` rules in the shape of ``rules.yaml``'s items."""
    rules = []
    for number in range(count):
        group = number // 3
        if group < count // 3:
            approaches: tuple[str, ...] = (APPROACHES[number % 3],)  # one of three alike
        else:
            approaches = APPROACHES  # the last one or two: each favors all three alike
        weight = WEIGHTS[group % len(WEIGHTS)]
        effects = ", ".join(f"{{favor: {approach}, weight: {weight}}}" for approach in approaches)
        rules.append(
            f"  - id: scale-{number:05}\n"
            f"    when: {CONDITIONS[group % len(CONDITIONS)]}\n"
            f"    effects: [{effects}]\n"
            f"    claims: [{CLAIMS[number % len(CLAIMS)]}]\n"
            f"    explanation: Scale test rule {number}.\n"
        )
    return "\n" + "\n".join(rules)


def write_large_kb(count: int, target: Path, source: Path | None = None) -> Path:
    """A copy of ``source`` (the shipped knowledge base) at ``target`` with ``count`` more rules."""
    shutil.copytree(source or ROOT / "knowledge", target)
    rules = target / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + rules_text(count), encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python benchmarks/large_kb.py COUNT FOLDER", file=sys.stderr)
        return 2
    target = write_large_kb(int(argv[0]), Path(argv[1]))
    size = (target / "rules.yaml").stat().st_size
    print(f"{target}: {argv[0]} more rules, rules.yaml {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
