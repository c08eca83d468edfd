"""Benchmarks: engine throughput, full reports, and cold start of `advisor recommend`.

    python benchmarks/bench.py            # all three
    python benchmarks/bench.py engine     # decisions with trace and costs per second
    python benchmarks/bench.py report     # one full report with counterfactuals, in ms
    python benchmarks/bench.py startup    # `advisor recommend` against the import floor

Profiles cover the whole discretized answer space of the bundled knowledge
base (every field's representative values), so every rule and cost line runs.
Timings are the best of several repeats (the least disturbed by other work).
"""

from __future__ import annotations

import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _profiles():
    from advisor.answers import Answers
    from advisor.engine import Engine
    from advisor.knowledge import load_knowledge

    kb = load_knowledge()
    engine = Engine(kb)
    space = engine.answer_space()
    fields = list(space)
    profiles = []
    seen = set()
    for combination in itertools.product(*(space[f] for f in fields)):
        values = engine.visible(dict(zip(fields, combination, strict=True)))
        key = tuple(values.items())
        if key in seen:
            continue
        seen.add(key)
        profiles.append(Answers(**values))
    return kb, engine, profiles


def bench_engine(repeats: int = 5) -> None:
    _, engine, profiles = _profiles()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for answers in profiles:
            engine.decide(answers)
        best = min(best, time.perf_counter() - start)
    rate = len(profiles) / best
    print(
        f"engine: {rate:,.0f} decisions/s with trace and costs "
        f"({len(profiles)} profiles, {len(engine.rules)} rules, best of {repeats})"
    )
    # With an assumption overridden, cost estimates are computed afresh every time.
    overridden = [a.model_copy(update={"assumptions": {"annotation_usd_per_label": 0.5}}) for a in profiles]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for answers in overridden:
            engine.decide(answers)
        best = min(best, time.perf_counter() - start)
    print(
        f"engine: {len(overridden) / best:,.0f} decisions/s with an assumption overridden "
        "(cost estimates not memoized)"
    )


def bench_report(repeats: int = 3) -> None:
    from advisor.answers import Normalized
    from advisor.render import to_dict
    from advisor.report import build_report

    kb, engine, profiles = _profiles()
    times = []
    for _ in range(repeats):
        for answers in profiles:
            start = time.perf_counter()
            to_dict(build_report(kb, engine, Normalized(answers, ())))
            times.append(time.perf_counter() - start)
    times.sort()
    print(
        f"report: median {statistics.median(times) * 1000:.2f} ms, "
        f"p99 {times[int(len(times) * 0.99)] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms "
        f"per full report with counterfactuals and JSON ({len(times)} reports)"
    )


def _best_wall(command: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def bench_startup(repeats: int = 10) -> None:
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.yaml"
        answers.write_text(
            "task: text\nlabels: labeled\nlabeled_examples: 2000\nmodel_size: small\nbudget_usd: 5000\n"
        )
        floor = _best_wall([sys.executable, "-c", "import yaml, pydantic, rapidfuzz"], repeats)
        recommend = _best_wall(
            [sys.executable, "-m", "advisor", "recommend", str(answers), "--format", "json"],
            repeats,
        )
        textual = subprocess.run(
            [sys.executable, "-c", "import sys, advisor.cli; print('textual' in sys.modules)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    print(
        f"startup: advisor recommend {recommend * 1000:.0f} ms, import floor {floor * 1000:.0f} ms "
        f"({recommend / floor:.2f}x; best of {repeats}); textual imported by the CLI: {textual}"
    )


def main(argv: list[str]) -> int:
    wanted = argv or ["engine", "report", "startup"]
    benches = {"engine": bench_engine, "report": bench_report, "startup": bench_startup}
    unknown = [name for name in wanted if name not in benches]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)} (choose from {', '.join(benches)})")
        return 2
    for name in wanted:
        benches[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
