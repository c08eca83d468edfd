"""The architecture, checked: imports only point down the layers, and the core runs
without the view. In a fresh interpreter, importing the whole chat core and running every
command that has no screen (``advisor ask`` too) loads neither Textual nor Rich, nor the web
server of ``advisor serve`` (textual-serve, aiohttp); ``advisor recommend`` with a
warm knowledge cache does not load pydantic, nor rapidfuzz for answers it can read without
fuzzy matching.

``python tests/test_layers.py`` prints the import graph, layer by layer."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import sweep_sample_code

import advisor

PACKAGE = Path(advisor.__file__).resolve().parent

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("interface", ("advisor.cli", "advisor.__main__")),
    ("view", ("advisor.tui", "advisor.ask")),
    ("chat", ("advisor.chat",)),
    (
        "explaining",
        (
            "advisor.report",
            "advisor.outline",
            "advisor.render",
            "advisor.chart",
            "advisor.checks",
            "advisor.sweep",
            "advisor.terms",
        ),
    ),
    ("deciding", ("advisor.decision",)),
    ("understanding", ("advisor.understanding",)),
    (
        "answers",
        (
            "advisor.answers",
            "advisor.reading",
            "advisor.tasks",
            "advisor.scope",
            "advisor.conditions",
            "advisor.terminal",
        ),
    ),
    ("knowledge", ("advisor.kb",)),
    (
        "foundation",
        (
            "advisor",
            "advisor.errors",
            "advisor.records",
            "advisor.bounds",
            "advisor.text",
            "advisor.numbers",
            "advisor.formatting",
            "advisor.files",
            "advisor.crash",
            "advisor.locations",
            "advisor.settings",
        ),
    ),
)
"""Top to bottom: a module may import from its own layer or the layers below it."""


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def layer_of(module: str) -> int:
    """The layer's index (0 is the top); a package's entry covers its modules."""
    for index, (_, members) in enumerate(LAYERS):
        inside = any(module == member or module.startswith(member + ".") for member in members)
        if inside and (module != "advisor" or "advisor" in members):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def imports_of(module: str, known: set[str]) -> set[str]:
    """The advisor modules ``module`` imports, anywhere in it (inside functions too)."""
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("advisor"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("advisor"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return found - {module}


def import_graph() -> dict[str, set[str]]:
    names = module_names()
    known = set(names)
    return {name: imports_of(name, known) for name in names}


def test_every_import_points_down_the_layers() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in import_graph().items()
        for target in sorted(targets)
        if layer_of(target) < layer_of(module)
    ]
    assert upward == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = import_graph()
    # Importing a package runs its __init__; a module importing its own package is not a circle.
    edges = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in graph.items()}
    state: dict[str, str] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                circles.append([*path[path.index(target) :], target] if target in path else [node, target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert circles == []


def test_the_layer_map_names_only_modules_that_exist() -> None:
    names = set(module_names())
    for _, members in LAYERS:
        for member in members:
            assert member in names, member


CORE = textwrap.dedent(
    """
    import contextlib, io, json, sys

    attempts = []
    VIEW = ("textual", "rich", "textual_serve", "aiohttp", "jinja2")

    class Recorder:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in VIEW:
                attempts.append(name)
            return None

    sys.meta_path.insert(0, Recorder())
    # kb check's sweep: a sample in the default run

    import advisor.answers, advisor.checks, advisor.cli, advisor.decision.engine, advisor.reading
    import advisor.render, advisor.report, advisor.kb, advisor.kb.cache, advisor.kb.references
    import advisor.chat.conversation, advisor.chat.intents, advisor.chat.lookup
    import advisor.chat.store, advisor.chat.export, advisor.chat.trace, advisor.settings
    import advisor.ask, advisor.understanding
    from advisor.chat.conversation import Conversation
    from advisor.cli import main
    from advisor.kb import load_knowledge

    chat = Conversation(load_knowledge())
    chat.start(resume=False)
    for line in ["medical imaging", "labelled", "1k", "ResNet", "$10k", "skip", "skip", "why?", "export"]:
        chat.handle(line)
    asked = io.StringIO("\\n".join(["5k labelled tickets, BERT, $3k", "skip", "skip", "why not supervised?"]))

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        codes = [
            main(["recommend", sys.argv[1]]),
            main(["recommend", sys.argv[1], "--format", "json"]),
            main(["recommend", sys.argv[1], "--format", "markdown"]),
            main(["kb", "check"]),
            main(["schema"]),
        ]
        sys.stdin = asked
        codes.append(main(["ask", "--new"]))
        try:
            main(["serve", "--help"])
        except SystemExit as exit_:
            codes.append(exit_.code)
    print(json.dumps({
        "codes": codes,
        "done": chat.done,
        "attempts": attempts,
        "loaded": sorted(m for m in sys.modules if m.split(".")[0] in VIEW),
        "printed": len(out.getvalue()),
        "errors": err.getvalue(),
    }))
    """
)


SAMPLE = "# kb check's sweep: a sample in the default run\n"
"""Where :func:`helpers.sweep_sample_code` goes in CORE (``pytest -m slow`` sweeps every profile)."""


def test_the_core_and_every_command_without_a_screen_never_import_textual_or_the_server(
    tmp_path: Path, sweep_stride: int
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "task: medical imaging\nlabels: labeled\nlabeled_examples: 1000\n"
        "model_size: small\nbudget_usd: 10000\n",
        encoding="utf-8",
    )
    assert SAMPLE in CORE
    completed = subprocess.run(
        [sys.executable, "-c", CORE.replace(SAMPLE, sweep_sample_code(sweep_stride)), str(answers)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "ADVISOR_STATE_DIR": str(tmp_path / "state")},
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.splitlines()[-1])
    assert result["codes"] == [0, 0, 0, 0, 0, 0, 0], result["errors"]
    assert result["done"] and result["printed"] > 0
    assert result["attempts"] == []
    assert result["loaded"] == []


# --- `advisor recommend` stays lean -------------------------------------------------------------

LEAN = textwrap.dedent(
    """
    import contextlib, io, json, sys

    from advisor.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["recommend", sys.argv[1], "--format", "json"])
    heavy = ("pydantic", "pydantic_core", "textual", "rapidfuzz")
    print(json.dumps({
        "code": code,
        "printed": len(out.getvalue()),
        "loaded": sorted(m for m in sys.modules if m.split(".")[0] in heavy),
    }))
    """
)


def _recommend_in_a_fresh_interpreter(answers: Path) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", LEAN, str(answers)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.splitlines()[-1])
    assert result["code"] == 0
    assert result["printed"]
    return result


def test_recommend_with_a_warm_cache_imports_neither_pydantic_nor_textual(tmp_path: Path) -> None:
    """Pydantic validates files when they are parsed; a cached knowledge base needs none of it."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "task: text\nlabels: labeled\nlabeled_examples: 2000\nmodel_size: small\nbudget_usd: 5000\n",
        encoding="utf-8",
    )
    _recommend_in_a_fresh_interpreter(answers)  # warms the cache (the tests' own, see conftest)
    loaded = _recommend_in_a_fresh_interpreter(answers)["loaded"]
    assert loaded == [], "canonical answers and a warm cache need no pydantic, textual or rapidfuzz"


def test_a_typo_brings_in_the_fuzzy_matcher_and_still_no_pydantic(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "task: medical imaging\nlabels: labled\nlabeled_examples: 1k\nmodel_size: BERT\nbudget_usd: $10k\n",
        encoding="utf-8",
    )
    _recommend_in_a_fresh_interpreter(answers)
    loaded = _recommend_in_a_fresh_interpreter(answers)["loaded"]
    assert isinstance(loaded, list)
    assert "rapidfuzz" in loaded
    assert not [m for m in loaded if m.startswith(("pydantic", "textual"))]


if __name__ == "__main__":
    graph = import_graph()
    for name, _ in LAYERS:
        print(f"{name}:")
        for module in sorted(m for m in graph if LAYERS[layer_of(m)][0] == name):
            print(f"  {module} -> {', '.join(sorted(graph[module])) or '(nothing of ours)'}")
