"""Benchmarks: engine throughput, full reports, cold start of `advisor recommend`, and
the chat (the chat's live in chat.py beside this file).

    python benchmarks/bench.py              # all of them
    python benchmarks/bench.py engine       # decisions with trace and costs per second
    python benchmarks/bench.py report       # one full report (ranges, sensitivity, what-ifs), in ms
    python benchmarks/bench.py batch        # `advisor recommend` on 1,000 answers files, reports/s
    python benchmarks/bench.py kb-check     # `advisor kb check` with the sweep, in s
    python benchmarks/bench.py sweep        # the sweep alone, wall and CPU time, in s
    python benchmarks/bench.py scale        # kb check and a report with 1,000 and 3,000 more rules
    python benchmarks/bench.py startup      # `advisor recommend FILE` against the import floor
    python benchmarks/bench.py startup-cache  # `advisor recommend` with the knowledge cache and without
    python benchmarks/bench.py chat-start   # the chat's first question painted, against a minimal app
    python benchmarks/bench.py chat-reply   # a typed line -> its reply on screen
    python benchmarks/bench.py ask-start    # `advisor ask` to its first question, against the floor
    python benchmarks/bench.py one-line     # turns from one full sentence to the recommendation
    python benchmarks/bench.py browser-start  # page load -> first question on the page (advisor serve)
    python benchmarks/bench.py numbers      # the numbers reader on 256 KB texts of numbers and signs, in ms
    python benchmarks/bench.py fuzz         # `advisor recommend` on 3,000 full-size fuzz files: exit codes,
                                            # the slowest in-process and, re-run, in their own processes
    python benchmarks/bench.py serve-load     # advisor serve with 1, 10 and the cap's visitors: time, memory

The engine's headline number comes from *varied* profiles: a seeded random
sample shaped like the answers people give (every choice of every question;
labeled examples and budgets spread log-uniformly over their realistic range;
a share with a cost assumption overridden). Continuous values matter: the cost
model may memoize what depends only on discrete answers, and a benchmark that
replayed the few points of the discretized answer space would mostly measure
memo hits. That grid sweep is still reported, labelled as such: it covers
every choice and both sides of every threshold that a rule tests.

Targets: a full report (percentile ranges from the cost model's draws, what
moves the cost, the changes that would make each alternative win) at a
median of 5 ms or less and a p99 of 20 ms or less; 1,000 answers files in one
`advisor recommend` run at 1,000 reports/s or more; `advisor recommend` within
1.3x of its import floor with bytecode caches on; with 3,000 more rules
(`scale`), `advisor kb check` in under 10 s and 300 MB, and a report in under
200 ms. Decisions per second are
reported for comparison with earlier runs. Timings are the best of several
repeats (the least disturbed by other work).
"""

from __future__ import annotations

import itertools
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.answers import Answers
    from advisor.decision.engine import Engine
    from advisor.kb import KnowledgeBase

SEED = 2024
"""The varied profiles are the same on every run, so runs compare."""
VARIED_PROFILES = 20_000
OVERRIDDEN_SHARE = 0.1
"""The share of varied profiles with a cost assumption overridden (a tenth to ten times its default)."""
MAX_LABELED = 200_000
BUDGETS = (500.0, 1_000_000.0)

VARIED_SET = (
    f"{VARIED_PROFILES:,} varied profiles (seed {SEED}: every choice of every question, "
    f"labeled examples 0 to {MAX_LABELED:,} and budgets ${BUDGETS[0]:,.0f} to ${BUDGETS[1]:,.0f} "
    f"log-uniform, {OVERRIDDEN_SHARE:.0%} with an assumption overridden)"
)


def _engine() -> tuple[KnowledgeBase, Engine]:
    from advisor.decision.engine import Engine
    from advisor.kb import load_knowledge

    kb = load_knowledge()
    return kb, Engine(kb)


def _grid(engine: Engine) -> list[Answers]:
    """Every point of the discretized answer space (each field's representative values), once."""
    from advisor.answers import Answers

    space = engine.space.grid()
    fields = list(space)
    points: dict[tuple[Any, ...], dict[str, Any]] = {}
    for combination in itertools.product(*(space[f] for f in fields)):
        values = engine.space.visible(dict(zip(fields, combination, strict=True)))
        points.setdefault(tuple(values.items()), values)
    return [Answers(values) for values in points.values()]


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _override(rng: random.Random, kb: KnowledgeBase) -> dict[str, float | tuple[float, float]]:
    """One cost assumption, a tenth to ten times its default: as one number or as a range."""
    assumption = rng.choice([a for a in kb.costs.assumptions if a.id not in kb.numbers])
    scale = 10 ** rng.uniform(-1, 1)
    if rng.random() < 0.5:
        return {assumption.id: round(assumption.high * scale, 4)}
    return {assumption.id: (round(assumption.low * scale, 4), round(assumption.high * scale, 4))}


def _varied(
    kb: KnowledgeBase,
    engine: Engine,
    count: int = VARIED_PROFILES,
    overridden_share: float = OVERRIDDEN_SHARE,
) -> list[Answers]:
    """A seeded random sample of valid answers over every field (see :data:`VARIED_SET`)."""
    from advisor.answers import Answers

    rng = random.Random(SEED)
    draw: dict[str, Callable[[], Any]] = {
        # log-uniform-ish, with 0 included: expm1 of a uniform draw over [0, log1p(max)]
        "count": lambda: round(math.expm1(rng.uniform(0, math.log1p(MAX_LABELED)))),
        "money": lambda: round(_log_uniform(rng, *BUDGETS), 2),
    }
    profiles = []
    for _ in range(count):
        values: dict[str, Any] = {}
        for question in kb.questions:
            if question.choices:
                options: list[Any] = [choice.value for choice in question.choices]
                if question.optional:
                    options.append(question.default)
                values[question.id] = rng.choice(options)
            else:
                values[question.id] = draw[question.kind]()
        # Unasked questions get their defaults: no labeled examples for unlabeled data.
        values = engine.space.visible(values)
        overrides = _override(rng, kb) if rng.random() < overridden_share else {}
        profiles.append(Answers(values, overrides))
    return profiles


def _with_override(profiles: Sequence[Answers], kb: KnowledgeBase) -> list[Answers]:
    """The same profiles, each with one assumption overridden (none keeps its earlier override)."""
    from advisor.answers import Answers

    rng = random.Random(SEED + 1)
    return [Answers(answers.values, _override(rng, kb)) for answers in profiles]


def _decisions_per_second(engine: Engine, profiles: Sequence[Answers], repeats: int) -> float:
    decide = engine.decide
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for answers in profiles:
            decide(answers)
        best = min(best, time.perf_counter() - start)
    return len(profiles) / best


def bench_engine(repeats: int = 7) -> None:
    kb, engine = _engine()
    varied = _varied(kb, engine)
    rate = _decisions_per_second(engine, varied, repeats)
    print(
        f"engine: {rate:,.0f} decisions/s with trace and costs, on {VARIED_SET}; "
        f"{len(engine.rules.rules)} rules, best of {repeats}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    overridden = _with_override(varied, kb)
    rate = _decisions_per_second(engine, overridden, repeats)
    print(f"engine: {rate:,.0f} decisions/s on the same profiles, every one with an assumption overridden")
    grid = _grid(engine)
    rate = _decisions_per_second(engine, grid, repeats)
    print(
        f"engine: {rate:,.0f} decisions/s on the {len(grid):,} points of the discretized answer space "
        "(few distinct values: not the headline)"
    )


def _report_times(kb: KnowledgeBase, engine: Engine, profiles: Sequence[Answers], repeats: int) -> str:
    from advisor.answers import Normalized
    from advisor.render import to_dict
    from advisor.report import build_report

    times = []
    for _ in range(repeats):
        for answers in profiles:
            start = time.perf_counter()
            to_dict(build_report(kb, engine, Normalized(answers, ())))
            times.append(time.perf_counter() - start)
    times.sort()
    return (
        f"median {statistics.median(times) * 1000:.2f} ms, "
        f"p99 {times[int(len(times) * 0.99)] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms "
        f"({len(times):,} reports)"
    )


def bench_report(repeats: int = 3) -> None:
    kb, engine = _engine()
    grid = _grid(engine)
    print(
        "report: full report (ranges, what moves the cost, what-ifs) and its JSON, on the answer-space grid: "
        + _report_times(kb, engine, grid, repeats)
    )
    varied = _varied(kb, engine, count=len(grid))
    print(
        f"report: the same, on the first {len(varied):,} of the varied profiles: "
        + _report_times(kb, engine, varied, repeats)
    )


FLOOR = [sys.executable, "-c", "import yaml, pydantic, rapidfuzz"]
"""What any Python tool with this project's dependencies pays to start."""


def bench_batch(count: int = 1_000, repeats: int = 3) -> None:
    """`advisor recommend` on ``count`` answers files of the varied profiles, in one process."""
    import yaml

    from advisor.answers import to_file

    kb, engine = _engine()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, answers in enumerate(_varied(kb, engine, count=count)):
            path = Path(folder) / f"answers-{index:04}.yaml"
            path.write_text(yaml.safe_dump(to_file(answers, kb), sort_keys=False), encoding="utf-8")
            paths.append(str(path))
        command = [sys.executable, "-m", "advisor", "recommend", *paths, "--format", "json"]
        wall = min(_wall(command) for _ in range(repeats))
    print(
        f"batch: advisor recommend on {count:,} answers files (the first of the varied profiles) "
        f"in {wall:.2f} s: {count / wall:,.0f} reports/s, start-up included (best of {repeats})"
    )


def bench_kb_check(repeats: int = 3) -> None:
    """`advisor kb check` on the shipped knowledge base: schema, cross-references, the answer
    space, the cases and the sweep of profiles (target: under 10 s)."""
    command = [sys.executable, "-m", "advisor", "kb", "check"]
    wall = min(_wall(command) for _ in range(repeats))
    print(f"kb check: advisor kb check in {wall:.1f} s, sweep included (best of {repeats})")


def bench_sweep(repeats: int = 3) -> None:
    """The sweep of `kb check` alone, in-process: wall time, and the CPU time the process spent
    (steadier when other work shares the machine)."""
    from advisor.checks import available_processors
    from advisor.kb import load_knowledge
    from advisor.sweep import sweep

    kb = load_knowledge()
    runs = []
    for _ in range(repeats):  # a new engine each time: nothing remembered from the run before
        cpu = time.process_time()
        result = sweep(kb)
        runs.append((result.seconds, time.process_time() - cpu, result.profiles))
    wall, cpu, profiles = min(runs)
    print(f"sweep: {profiles:,} profiles in {wall:.1f} s wall, {cpu:.1f} s CPU (best of {repeats})")
    workers = available_processors()
    if workers > 1:  # as `kb check` reads it: a part of the grid on each processor
        forked = min(sweep(kb, workers=workers).seconds for _ in range(repeats))
        print(f"sweep on {workers} processors, as kb check runs it: {forked:.1f} s wall (best of {repeats})")


SCALE_RULES = (1_000, 3_000)
SCALE_TIMEOUT = 600.0
"""Seconds after which a run of `kb check` is stopped and reported as slower than that."""


def _measured(command: list[str], env: dict[str, str], timeout: float) -> tuple[float, float] | None:
    """Wall time in s and peak resident memory in MB of ``command``, or ``None`` past ``timeout``."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env
        )
        while True:  # os.wait4, not Popen.wait: it gives this child's own peak memory
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.kill()
                os.wait4(process.pid, 0)
                return None
            time.sleep(0.001)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024  # KiB on Linux


def bench_scale(repeats: int = 5) -> None:
    """`advisor kb check` (wall time, peak memory) and `advisor recommend` from the cache (wall
    time, peak memory, and the report alone in process) on the shipped knowledge base with
    1,000 and 3,000 more threshold rules (benchmarks/large_kb.py)."""
    from large_kb import write_large_kb  # benchmarks/large_kb.py, beside this file

    for count in SCALE_RULES:
        with tempfile.TemporaryDirectory() as folder:
            kb_dir = write_large_kb(count, Path(folder) / "knowledge")
            size = (kb_dir / "rules.yaml").stat().st_size / 1024
            env = {**os.environ, "ADVISOR_CACHE_DIR": str(Path(folder) / "cache")}
            check = _measured(
                [sys.executable, "-m", "advisor", "kb", "check", "--knowledge", str(kb_dir)],
                env,
                SCALE_TIMEOUT,
            )
            shown = f"over {SCALE_TIMEOUT:.0f} s" if check is None else f"{check[0]:.1f} s, {check[1]:.0f} MB"
            print(f"scale: {count:,} more rules (rules.yaml {size:,.0f} KiB): kb check {shown}")
            answers = Path(folder) / "answers.yaml"
            answers.write_text(
                "task: text\nlabels: labeled\nlabeled_examples: 2000\nmodel_size: small\nbudget_usd: 5000\n"
            )
            command = [sys.executable, "-m", "advisor", "recommend", str(answers), "--knowledge", str(kb_dir)]
            command += ["--format", "json"]
            _measured(command, env, SCALE_TIMEOUT)  # writes the cache entry
            runs = [_measured(command, env, SCALE_TIMEOUT) for _ in range(repeats)]
            wall = min(run[0] for run in runs if run is not None)
            peak = max(run[1] for run in runs if run is not None)
            print(
                f"scale: {count:,} more rules: advisor recommend from the cache {wall * 1000:.0f} ms, "
                f"{peak:.0f} MB (best of {repeats}, start-up included); the report alone "
                + _scale_report(kb_dir, answers, repeats)
            )


def _scale_report(kb_dir: Path, answers: Path, repeats: int) -> str:
    """The report (decision, ranges, what moves the cost, what-ifs) and its JSON, in process."""
    from advisor.answers import normalize
    from advisor.decision.engine import Engine
    from advisor.kb import load_knowledge
    from advisor.kb.safeyaml import load_path
    from advisor.render import to_dict
    from advisor.report import build_report

    kb = load_knowledge(kb_dir)
    engine = Engine(kb)
    normalized = normalize(load_path(answers).data, kb, name=answers.name)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        to_dict(build_report(kb, engine, normalized))
        times.append(time.perf_counter() - start)
    return f"{min(times) * 1000:.0f} ms (best of {repeats})"


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    return time.perf_counter() - start


def in_turns(
    commands: dict[str, list[str]], repeats: int, envs: dict[str, dict[str, str]] | None = None
) -> dict[str, list[float]]:
    """Wall times of each command, ``repeats`` each, run in turns so that a busy moment of the
    machine slows all alike (after one run of each that writes its caches)."""
    envs = envs or {}
    for name, command in commands.items():
        _wall(command, envs.get(name))
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(_wall(command, envs.get(name)))
    return times


def _ratios(times: dict[str, list[float]], name: str, floor: str = "floor") -> str:
    """``name`` against ``floor``: best and median of each, and their ratios."""
    best, median = min(times[name]), statistics.median(times[name])
    floor_best, floor_median = min(times[floor]), statistics.median(times[floor])
    return (
        f"{best * 1000:.0f} ms against {floor_best * 1000:.0f} ms best ({best / floor_best:.2f}x), "
        f"median {median * 1000:.0f} against {floor_median * 1000:.0f} ({median / floor_median:.2f}x)"
    )


def _textual_imported(module: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print('textual' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _caches() -> str:
    # Without bytecode caches (PYTHONDONTWRITEBYTECODE, an editable install) the
    # advisor's own modules are compiled on every start; an installed wheel has them.
    return "off" if sys.dont_write_bytecode else "on"


ANSWERS = "task: text\nlabels: labeled\nlabeled_examples: 2000\nmodel_size: small\nbudget_usd: 5000\n"
"""An answers file for the start-up benchmarks."""


def bench_startup(repeats: int = 20) -> None:
    """`advisor recommend FILE` (the text report, its default) and `advisor recommend FILE --format
    json`, against `python -c "import yaml, pydantic, rapidfuzz"`, in turns; best and median of each.

    The knowledge cache is a folder of its own, written by the first run: in the shared one,
    other runs (tests, another checkout) write entries and prune the oldest, and a start that
    misses the cache measures the parse instead (``startup-cache``). It is named the way a
    person's environment names it (``XDG_CACHE_HOME``), so that finding it costs what it costs
    them."""
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.yaml"
        answers.write_text(ANSWERS)
        env = {k: v for k, v in os.environ.items() if k != "ADVISOR_CACHE_DIR"}
        env["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
        recommend = [sys.executable, "-m", "advisor", "recommend", str(answers)]
        commands = {"floor": FLOOR, "text": recommend, "json": [*recommend, "--format", "json"]}
        times = in_turns(commands, repeats, dict.fromkeys(commands, env))
    print(
        f"startup: advisor recommend FILE {_ratios(times, 'text')}; with --format json "
        f'{_ratios(times, "json")}; the floor is python -c "{FLOOR[2]}" ({repeats} runs each, in '
        f"turns; bytecode caches {_caches()}); textual imported by the CLI: "
        f"{_textual_imported('advisor.cli')}"
    )


def bench_startup_cache(repeats: int = 20) -> None:
    """`advisor recommend` with a warm knowledge cache, and with none (a cache folder that cannot
    be written: every start parses, validates and checks the knowledge base), in turns with the
    import floor so that a busy moment slows all three alike; best and median of each."""
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.yaml"
        answers.write_text(ANSWERS)
        command = [sys.executable, "-m", "advisor", "recommend", str(answers), "--format", "json"]
        envs = {
            "floor": {**os.environ},
            "cache": {**os.environ, "ADVISOR_CACHE_DIR": str(Path(folder) / "cache")},
            "no cache": {**os.environ, "ADVISOR_CACHE_DIR": str(answers / "cannot-be-a-folder")},
        }
        times = in_turns({"floor": FLOOR, "cache": command, "no cache": command}, repeats, envs)
    shown = ", ".join(
        f"{name} {min(runs) * 1000:.0f} ms (median {statistics.median(runs) * 1000:.0f})"
        for name, runs in times.items()
    )
    print(f"startup with and without the knowledge cache: {shown}; {repeats} runs each, in turns")


def bench_ask_start(repeats: int = 20) -> None:
    """`advisor ask` from process start to its first question printed and the end of its
    (empty) input, against the same floor, in turns; best and median of each."""
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k != "ADVISOR_CACHE_DIR"}
        env.update({"ADVISOR_STATE_DIR": folder, "XDG_CACHE_HOME": str(Path(folder) / "cache")})
        ask = [sys.executable, "-m", "advisor", "ask", "--new"]
        times = in_turns({"floor": FLOOR, "ask": ask}, repeats, {"floor": env, "ask": env})
    print(
        f"ask start: advisor ask to its first question and out {_ratios(times, 'ask')} ({repeats} runs "
        f"each, in turns; bytecode caches {_caches()}); textual imported: {_textual_imported('advisor.ask')}"
    )


def bench_numbers(repeats: int = 3) -> None:
    """The numbers reader on texts of 256 KB (the answers file's size cap), one per run of
    numbers, separators or signs of the fuzz tests: linear, so each in well under a second."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_fuzz import RUNS

    import advisor.numbers as numbers

    size = 256 * 1024
    times = []
    for run in RUNS:
        text = (run * (size // len(run) + 1))[:size]
        best = math.inf
        for _ in range(repeats):
            numbers._read.cache_clear()
            start = time.perf_counter()
            numbers.numbers_in(text)
            best = min(best, time.perf_counter() - start)
        times.append((best, run))
    times.sort(reverse=True)
    slowest = ", ".join(f"{run.strip() or repr(run)!s}: {t * 1000:.0f} ms" for t, run in times[:3])
    median = statistics.median(t for t, _ in times) * 1000
    print(f"numbers: {len(RUNS)} texts of 256 KB, median {median:.0f} ms, slowest {slowest}")


def bench_fuzz(count: int = 3_000, rerun: int = 10) -> None:
    """``advisor recommend`` on the fuzz tests' cases at full size (texts up to the size cap):
    every exit code, and the time of each file in-process (the knowledge base loaded once, as
    in a run over many files); the slowest are run again each in its own process."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import contextlib
    import io

    from test_fuzz import make_case

    from advisor.cli import main as advisor

    codes: dict[int, int] = {}
    timed: list[tuple[float, int, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(count):
            case = make_case(number, large=True)
            path = Path(folder) / f"case-{number:05d}.yaml"
            path.write_bytes(case.content)
            fmt = ("text", "json", "markdown")[number % 3]
            out, err = io.StringIO(), io.StringIO()
            start = time.perf_counter()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = advisor(["recommend", str(path), "--format", fmt])
                except SystemExit as exit_:
                    code = exit_.code if isinstance(exit_.code, int) else 1
            timed.append((time.perf_counter() - start, number, fmt))
            codes[code] = codes.get(code, 0) + 1
        timed.sort(reverse=True)
        times = sorted(t for t, _, _ in timed)
        median, p99 = statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000
        print(
            f"fuzz: {count} files, exit codes {dict(sorted(codes.items()))}; in-process per file: "
            f"median {median:.0f} ms, p99 {p99:.0f} ms, max {times[-1] * 1000:.0f} ms; "
            f"over 2 s: {sum(t > 2 for t in times)}"
        )
        for seconds, number, fmt in timed[:rerun]:
            kind = make_case(number, large=True).kind
            path = Path(folder) / f"case-{number:05d}.yaml"
            command = [sys.executable, "-m", "advisor", "recommend", str(path), "--format", fmt]
            start = time.perf_counter()
            completed = subprocess.run(command, capture_output=True, check=False)
            wall = time.perf_counter() - start
            print(
                f"  case {number} ({kind}, {path.stat().st_size:,} bytes, {fmt}): {seconds * 1000:.0f} ms "
                f"in-process, {wall * 1000:.0f} ms in its own process, exit {completed.returncode}"
            )


def main(argv: list[str]) -> int:
    from browser import bench_browser_start  # benchmarks/browser.py, beside this file
    from chat import bench_chat_reply, bench_chat_start, bench_one_line  # benchmarks/chat.py
    from serve import bench_serve_load  # benchmarks/serve.py

    benches = {
        "engine": bench_engine,
        "report": bench_report,
        "batch": bench_batch,
        "kb-check": bench_kb_check,
        "sweep": bench_sweep,
        "scale": bench_scale,
        "startup": bench_startup,
        "startup-cache": bench_startup_cache,
        "chat-start": bench_chat_start,
        "chat-reply": bench_chat_reply,
        "ask-start": bench_ask_start,
        "one-line": bench_one_line,
        "browser-start": bench_browser_start,
        "numbers": bench_numbers,
        "fuzz": bench_fuzz,
        "serve-load": bench_serve_load,
    }
    wanted = argv or list(benches)
    unknown = [name for name in wanted if name not in benches]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)} (choose from {', '.join(benches)})")
        return 2
    for name in wanted:
        benches[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
