"""``advisor recommend`` over generated hostile files: seeded, reproducible, bounded in time.

Every file gets exit code 0 (with a report on stdout), 2 (a bad answers file) or 3 (a bad
knowledge base), a few plain ``advisor: `` lines on stderr and never a traceback, and no raw
control character reaches the terminal. In a run over many files, each file gets either its
report or its error, never both and never neither.

The files: random bytes; a good file with fields replaced by hostile values (1e308, .nan,
0x10, 0500, 5,000-digit integers, negatives, markup, wrong types); structure that YAML
allows and people should not send (deep nesting, aliases, tags, merge keys, duplicate keys,
several documents); byte-level damage (control characters, BOMs, invalid UTF-8, NUL); other
encodings; tiny divisors (``5e-324``, ``1e-310``, subnormals) and values just inside and just
outside each assumption's accepted range; long runs of numbers, separators and currency signs in
a text field (once read in time quadratic in their length); and a few knowledge bases with a
hostile number in them.

The default run keeps each text under 16 KB; :func:`make_case` with ``large=True`` goes up to the
answers file's size cap (256 KB), as the run marked ``slow`` and ``benchmarks/bench.py fuzz`` do.

A failure names its case. ``ADVISOR_FUZZ_SEED`` and ``ADVISOR_FUZZ_COUNT`` explore further
(``ADVISOR_FUZZ_SEED=7 ADVISOR_FUZZ_COUNT=5000 pytest tests/test_fuzz.py``); each case is
generated from the seed and its number alone, so one case can be made again by itself.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.answers import MAX_ANSWERS_BYTES
from advisor.bounds import allowed
from advisor.cli import main
from advisor.kb import default_knowledge_dir, load_knowledge

SEED = int(os.environ.get("ADVISOR_FUZZ_SEED", "11"))
COUNT = int(os.environ.get("ADVISOR_FUZZ_COUNT", "150"))
"""Files in the default run; the run marked ``slow`` adds :data:`LARGE_COUNT` at full size."""
BATCH = 25
"""Files per multi-file run."""

FIELDS = {
    "task": "text",
    "labels": "labeled",
    "labeled_examples": "1000",
    "unlabeled_examples": "5000",
    "model_size": "small",
    "budget_usd": "10000",
    "team": "in-house",
    "hardware": "gpu",
    "method": "lora",
}
ASSUMPTIONS = (
    "gpu_hour_usd",
    "annotation_usd_per_label",
    "weight_task_base",
    "budget_tight_percentile",
    "gpu_hour",
)

HOSTILE_SCALARS = (
    # numbers at and past every edge
    "1.0e+308", "-1.0e+308", "1.0e+309", "4.9e-324", ".nan", ".NaN", ".inf", "-.inf", "+.INF",
    "0x10", "0500", "02000", "0b1010", "0o17", "-0x1F", "0_7", "1_000", "-5", "-0", "0", "0.0",
    "1e400", "1e308", "9" * 400, "1" * 5000, "-" + "9" * 400, "12:30", "1:2:3", "2024-01-01",
    "1.5", "0.49", "1e12", "1000000000001", "'0500'", '"1e308"', "$1e308", "1e308 dollars",
    # words YAML 1.1 turns into other things
    "yes", "no", "NO", "on", "off", "y", "n", "~", "null", "true", "false", "True",
    # wrong types and shapes
    "[1, 2]", "[]", "{}", "{a: 1}", "[[[1]]]", "[.nan, 1]", "[1, .inf]", "[3, 1]", "[-1, 2]", '""', "''",
    # text that looks like markup or a terminal's control
    '"[bold]x[/bold]"', '"[@click=app.quit]x"', '"[ @click=app.quit]"', '"[$accent]x"', '"\\e[31mred"',
    '"\\e]0;title\\a"', '"\\x9b31m"', '"\\u202e reversed"', '"\\0"', "' '", '"x\\ny"',
    # long and odd text
    "x" * 5000, "Medium (1B to 30B)", "MEDIUM (1B TO 30B)", "7B", "175e9", "GPT-3", "bertt", "$10k", "€10k",
    "10 lakh", "half a million", "-$5", "5-10k", "not 2k, 3k", "∞", "NaN", "Infinity", "١٠٠٠",
)  # fmt: skip

ODD_BUT_READABLE = {
    "task": (
        "medical imaging",
        "Text",
        "IMAGES",
        "spot fractures in x-rays",
        "'[bold]support tickets[/bold]'",
    ),
    "labels": ("Yes, labeled", "labelled", "some of it", "Only raw data", "no", "yes", "partialy"),
    "labeled_examples": (
        "0500",
        "02000",
        "1_000",
        "1e4",
        "2k",
        "'1,000'",
        "about 10,000 images",
        "0",
        "1.0e+3",
    ),
    "model_size": (
        "Medium (1B to 30B)",
        "large (gpt-3)",
        "7B",
        "175e9",
        "1.1e+8",
        "bertt",
        "ResNet-50",
        "110M",
    ),
    "budget_usd": ("$10k", "02000", "1.5e+4", "'10,000 USD'", "ten grand", "5-10k", "1e12", "0"),
    "hardware": ("GPU", "CPU only", "tpu"),
}
"""Values that are odd but readable: a file made of these gets a report (with warnings)."""

STRUCTURES = (
    lambda r: "task: " + "[" * r.randint(40, 3000) + "]" * 10 + "\n",
    lambda r: "task: " + "{a: " * r.randint(40, 600) + "1" + "}" * 5 + "\n",
    lambda r: (
        "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(r.randint(40, 120))) + "  " * 120 + "x: 1\n"
    ),
    lambda r: (
        'a: &a ["x","x","x","x","x","x","x","x"]\n'
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 8)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
        )
    ),
    lambda r: "task: &t text\nlabels: *t\n",
    lambda r: "base: &b {task: text}\n<<: *b\nlabels: labeled\n",
    lambda r: "task: !!python/object/apply:os.system ['echo pwned']\n",
    lambda r: "task: !!binary aGVsbG8=\n",
    lambda r: "task: !custom text\n",
    lambda r: "task: !!set {a, b}\n",
    lambda r: "!!omap [task: text]\n",
    lambda r: "? [a, b]\n: 1\n",
    lambda r: "task: text\ntask: images\n",
    lambda r: "task: text\n---\ntask: images\n",
    lambda r: "- task\n- labels\n",
    lambda r: "just words\n",
    lambda r: "",
    lambda r: "# only a comment\n",
    lambda r: "~\n",
    lambda r: "task: [\n",
    lambda r: "\t task: text\n",
    lambda r: "%YAML 1.2\n---\ntask: text\n",
    lambda r: "%TAG ! tag:example.com,2000:\n---\ntask: !x text\n",
    lambda r: '{"task": "text", "labels": "labeled", "labeled_examples": 1e400, "budget_usd": -0.0}',
    lambda r: "task: text\n" + "".join(f"field_{i}: {i}\n" for i in range(r.randint(1, 3000))),
    lambda r: "task: " + "x" * r.choice([256 * 1024, 300 * 1024]) + "\n",  # past the size cap
)


@dataclass(frozen=True)
class Case:
    number: int
    kind: str
    content: bytes

    def describe(self) -> str:
        return (
            f"fuzz case {self.number} ({self.kind}; ADVISOR_FUZZ_SEED={SEED}): "
            f"{self.content[:300]!r}{'...' if len(self.content) > 300 else ''}"
        )


def _answers(r: random.Random, replaced: int) -> dict[str, str]:
    fields = {name: value for name, value in FIELDS.items() if r.random() < 0.9}
    for _ in range(replaced):
        fields[r.choice([*FIELDS, "assumptions", "interval", "budjet", "Task", "task "])] = r.choice(
            HOSTILE_SCALARS
        )
    return fields


EXTREME_NUMBERS = tuple(
    s for s in HOSTILE_SCALARS if re.fullmatch(r"[-+]?[0-9.][0-9._:xobe+-]*|[-+]?\.(nan|NaN|inf|INF)", s)
)
"""The hostile scalars that YAML reads as numbers (or PyYAML as text that looks like one)."""


MILD_NUMBERS = ("2", "[1, 3]", "-1", "[0, 1.0e+6]")


def _yaml(fields: dict[str, str], r: random.Random, overrides: float = 0.3) -> str:
    lines = [f"{name}: {value}" for name, value in fields.items()]
    if r.random() < overrides:
        pool = r.choice([HOSTILE_SCALARS, EXTREME_NUMBERS, EXTREME_NUMBERS, MILD_NUMBERS])
        values = [f"  {r.choice(ASSUMPTIONS)}: {r.choice(pool)}" for _ in range(r.randint(1, 2))]
        lines.append("\n".join(["assumptions:", *values]))  # one block: shuffled as one
    if r.random() < 0.2:
        lines.append(
            f"interval: {r.choice(['[5, 95]', '[50, 50]', '[.nan, 90]', '[0x5, 95]', '[1, 99]', '5'])}"
        )
    r.shuffle(lines)
    return "\n".join(lines) + "\n"


def _damaged(content: bytes, r: random.Random) -> bytes:
    data = bytearray(content)
    insertions = (
        b"\x1b[31m", b"\x1b]0;title\x07", b"\x07", b"\x00", b"\x7f", b"\xc2\x9b", b"\xef\xbb\xbf",
        b"\xff", b"\xc3\x28", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\r", b"\r\n", b"\t",
        b"\x0c", b"\xe2\x80\xa8", b"&a ", b"*a", b"!!str ", b"? ", b"- ", b": ", b"{", b"]", b"'", b'"',
        b"#", b"%", b"@", b"`", b"|", b">",
    )  # fmt: skip
    for _ in range(r.randint(1, 6)):
        where = r.randint(0, len(data))
        choice = r.random()
        if choice < 0.5:
            data[where:where] = r.choice(insertions)
        elif choice < 0.8 and data:
            data[min(where, len(data) - 1)] = r.randrange(256)
        else:
            del data[where : where + r.randint(1, 8)]
    return bytes(data)


def _readable(r: random.Random) -> dict[str, str]:
    fields = dict(FIELDS)
    for name in r.sample(sorted(ODD_BUT_READABLE), r.randint(1, 3)):
        fields[name] = r.choice(ODD_BUT_READABLE[name])
    return fields


TINY = (
    "5.0e-324", "4.9e-324", "1.0e-310", "2.2250738585072014e-308", "1.0e-300", "1.0e-9", "9.9e-10",
    "-5.0e-324", "[5.0e-324, 1]", "[1.0e-310, 1.0e+18]", "1.0e+18", "1.0e+17", "0", "0.0",
)  # fmt: skip
"""Numbers near 0 and far from it: their quotients were infinite, their products NaN."""


def _edges() -> dict[str, tuple[str, ...]]:
    """Each assumption's accepted range's ends, and numbers just outside them."""
    kb = load_knowledge(default_knowledge_dir())
    edges = {}
    for a in kb.costs.assumptions:
        bounds = allowed(a.low, a.high, a.unit, divisor=a.id in kb.divisors, signed=a.id in kb.weights)
        edges[a.id] = tuple(
            repr(float(v)) for v in (bounds.low, bounds.high, bounds.low * 0.999, bounds.high * 1.001)
        )
    return edges


EDGES = _edges()
DIVISORS = ("gpu_effective_tflops", "gpu_memory_gb")
"""The assumptions a cost formula divides by (``KnowledgeBase.divisors``, with the constants)."""


def _divisors(r: random.Random) -> str:
    """A good file with assumptions near 0, far from it, or at the edges of their ranges."""
    values = []
    for _ in range(r.randint(1, 4)):
        name = r.choice([*DIVISORS, *DIVISORS, *EDGES])
        pool = TINY if r.random() < 0.5 else EDGES.get(name, TINY)
        values.append(f"  {name}: {r.choice(pool)}")
    return _yaml(dict(FIELDS), r, overrides=0) + "\n".join(["assumptions:", *values]) + "\n"


RUNS = (
    "1 ", "1,", "1.", "$1 ", "$", "€", "$$5", "5$ ", "US$ 5 ", "not 5 ", "not ", "between 1 and 2 ",
    "1,000 ", "1.000.000 ", "10 000 ", "5-10k ", "3,5k ", "1e5 ", "two thousand ", "a hundred ",
    "hundred ", "ten ", "5% ", "(5", "-5", "x5", "5x ", "10x ", " ", "\t", "1 000 000 ", "١ ",
)  # fmt: skip
"""What a long text is made of: runs of numbers, separators and currency signs."""


def _long_text(r: random.Random, large: bool) -> str:
    """A text field made of a long run of numbers or signs, in double quotes."""
    most = MAX_ANSWERS_BYTES - 200 if large else 16 * 1024
    size = r.choice([most, most // 2, r.randint(256, most)])
    run = "".join(r.choice(RUNS) for _ in range(r.randint(1, 3)))
    text = (run * (size // len(run.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")
    return json.dumps(text, ensure_ascii=False)


def _numbers_text(r: random.Random, large: bool) -> str:
    fields = dict(FIELDS)
    fields[r.choice(["budget_usd", "budget_usd", "task", "labeled_examples", "model_size"])] = _long_text(
        r, large
    )
    return _yaml(fields, r, overrides=0.1)


def make_case(number: int, *, large: bool = False) -> Case:
    """Case ``number`` of seed :data:`SEED`: the same bytes on every run and machine. ``large``:
    texts up to the answers file's size cap, not 16 KB."""
    r = random.Random(f"advisor-fuzz-{SEED}-{number}")
    kind = r.choice(
        ["fields"] * 3
        + ["readable"] * 2
        + ["structure", "damaged", "damaged", "bytes", "encoding", "divisors", "numbers-text"]
    )
    if kind == "divisors":
        content = _divisors(r).encode()
    elif kind == "numbers-text":
        content = _numbers_text(r, large).encode()
    elif kind == "fields":
        content = _yaml(_answers(r, r.randint(1, 3)), r).encode()
    elif kind == "readable":
        content = _yaml(_readable(r), r, overrides=0.7).encode()
    elif kind == "structure":
        content = r.choice(STRUCTURES)(r).encode()
    elif kind == "damaged":
        good = _yaml(_answers(r, 0), r)
        if r.random() < 0.3:
            good = json.dumps(FIELDS)
        content = _damaged(good.encode(), r)
    elif kind == "bytes":
        content = r.randbytes(r.choice([0, 1, 3, 16, 200, 2000]))
    else:
        text = _yaml(_answers(r, r.randint(0, 1)), r)
        encoding = r.choice(["utf-16", "utf-16-le", "utf-32", "latin-1", "utf-8-sig", "cp1252"])
        content = (text + "task: café\n" * r.randint(0, 1)).encode(encoding, "replace")
    return Case(number, kind, content)


# --- what every run must show ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters that must never reach a terminal from a file: ESC, BEL, C1 controls..."""


def check_output(code: int, out: str, err: str, fmt: str, what: str) -> None:
    assert code in (0, 2, 3), f"exit {code}: {what}\n{err}"
    assert "Traceback" not in err, f"{what}\n{err}"
    assert not _CONTROL.search(err), f"a control character on stderr: {what}\n{err!r}"
    assert not _CONTROL.search(out), f"a control character on stdout: {what}\n{out[:2000]!r}"
    lines = err.splitlines()
    assert all(line.startswith("advisor: ") for line in lines), f"{what}\n{err}"
    assert len(lines) <= 21, f"{len(lines)} lines on stderr: {what}"
    assert all(len(line) < 600 for line in lines), f"a line of {max(map(len, lines))} characters: {what}"
    if code != 0:
        assert out == "", f"exit {code} with a report: {what}"
        assert lines, f"exit {code} without a word: {what}"
        return
    assert not lines, f"exit 0 with errors: {what}\n{err}"
    if fmt == "json":
        report = json.loads(out)
        assert report["schema_version"] >= 2 and report["recommendation"]["approach"], what
    else:
        assert out.startswith("# Recommendation: " if fmt == "markdown" else "Recommendation: "), what


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return [make_case(number) for number in range(COUNT)]


@pytest.fixture(scope="module")
def case_files(cases: list[Case], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for case in cases:
        path = folder / f"case-{case.number:05d}.yaml"
        path.write_bytes(case.content)
        paths.append(path)
    return paths


Runner = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Runner:
    """``advisor ...`` in this process: the command's own ``main``, its output captured."""

    def run_main(args: list[str]) -> tuple[int, str, str]:
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse only
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run_main


def test_the_cases_are_the_same_on_every_run() -> None:
    assert make_case(3) == make_case(3)
    kinds = {"fields", "readable", "structure", "damaged", "bytes", "encoding", "divisors", "numbers-text"}
    assert {make_case(n).kind for n in range(80)} == kinds


def test_every_hostile_file_gets_a_report_or_a_plain_error(
    cases: list[Case], case_files: list[Path], run: Runner
) -> None:
    codes = {0: 0, 2: 0, 3: 0}
    for case, path in zip(cases, case_files, strict=True):
        fmt = ("text", "json", "markdown")[case.number % 3]
        args = ["recommend", str(path), "--format", fmt]
        if case.number % 7 == 0:
            args.append("--strict")
        code, out, err = run(args)
        check_output(code, out, err, fmt, case.describe())
        codes[code] = codes.get(code, 0) + 1
    # The generator must reach both outcomes, or it tests less than it seems to.
    assert codes[0] >= COUNT // 20 and codes[2] >= COUNT // 2, codes


LARGE_COUNT = int(os.environ.get("ADVISOR_FUZZ_LARGE_COUNT", "3000"))
"""Files in the full-size run (marked slow): ``benchmarks/bench.py fuzz`` times the same files."""


@pytest.mark.slow
def test_every_hostile_file_at_full_size_gets_a_report_or_a_plain_error(tmp_path: Path, run: Runner) -> None:
    """The cases with texts up to the size cap: 256 KB of "1 1 1 …" once took minutes."""
    path = tmp_path / "case.yaml"
    codes: dict[int, int] = {}
    for number in range(LARGE_COUNT):
        case = make_case(number, large=True)
        path.write_bytes(case.content)
        fmt = ("text", "json", "markdown")[number % 3]
        code, out, err = run(["recommend", str(path), "--format", fmt])
        check_output(code, out, err, fmt, case.describe())
        codes[code] = codes.get(code, 0) + 1
    assert codes.get(0, 0) >= LARGE_COUNT // 20 and codes.get(2, 0) >= LARGE_COUNT // 2, codes


def test_in_a_run_over_many_files_each_gets_its_report_or_its_error(
    cases: list[Case], case_files: list[Path], run: Runner
) -> None:
    for start in range(0, len(case_files), BATCH):
        paths = [str(path) for path in case_files[start : start + BATCH]]
        code, out, err = run(["recommend", *paths])
        what = f"fuzz cases {start} to {start + len(paths) - 1} (ADVISOR_FUZZ_SEED={SEED})"
        assert code in (0, 2) and "Traceback" not in err, f"exit {code}: {what}\n{err}"
        reported = set(re.findall(r"^Answers: (.+)$", out, re.MULTILINE))
        refused = {path for path in paths if f"advisor: {path}:" in err}
        assert reported.isdisjoint(refused), what
        assert reported | refused == set(paths), f"{what}: neither {set(paths) - reported - refused}"
        assert (code == 0) == (not refused), what


def test_hostile_files_in_a_real_process(case_files: list[Path]) -> None:
    """What only a real process shows: the exit status itself, and output flushed at exit."""
    paths = [str(path) for path in case_files[:40]]
    completed = subprocess.run(
        [sys.executable, "-m", "advisor", "recommend", *paths, "--format", "json"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    err = completed.stderr.decode("utf-8", "replace")
    assert completed.returncode in (0, 2), err
    assert "Traceback" not in err and not _CONTROL.search(err)
    for line in completed.stdout.decode().splitlines():
        assert json.loads(line)["schema_version"] >= 2


# --- hostile numbers in the knowledge base: exit 3, or a report ------------------------------------

KNOWLEDGE_EDITS = (
    ("costs.yaml", "value: [1.5, 4.0]", "value: {}"),
    ("costs.yaml", "  - id: weight_task_base\n    value: 1\n", "  - id: weight_task_base\n    value: {}\n"),
    ("costs.yaml", "value: 3600", "value: {}"),
    ("claims.yaml", "amount: 50000", "amount: {}"),
    ("questions.yaml", "below_params: 1.0e+9", "below_params: {}"),
    ("questions.yaml", "plausible: [20, 1.0e+9]", "plausible: [20, {}]"),
    ("rules.yaml", "rules:", "# {}\nrules:"),
)


def test_hostile_numbers_in_a_knowledge_base_give_exit_3_or_a_report(
    tmp_path: Path, case_files: list[Path], run: Runner
) -> None:
    r = random.Random(f"advisor-fuzz-knowledge-{SEED}")
    good = tmp_path / "good.yaml"
    good.write_text(
        "task: text\nlabels: labeled\nlabeled_examples: 1000\nmodel_size: small\nbudget_usd: 10000\n"
    )
    numbers = [s for s in HOSTILE_SCALARS if not s.startswith(("[", "{", '"', "'"))][:60]
    for number, (file, old, new) in enumerate(KNOWLEDGE_EDITS * 2):
        folder = tmp_path / f"knowledge-{number}"
        shutil.copytree(default_knowledge_dir(), folder)
        value = (
            r.choice(numbers) if number < len(KNOWLEDGE_EDITS) else r.choice(["\x1b[31m", "\x07", "1" * 5000])
        )
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}: the test is out of date"
        (folder / file).write_text(text.replace(old, new.format(value), 1), encoding="utf-8")
        code, out, err = run(["recommend", str(good), "--knowledge", str(folder), "--format", "json"])
        check_output(code, out, err, "json", f"{file} with {value[:40]!r} (ADVISOR_FUZZ_SEED={SEED})")
        assert code in (0, 3)
