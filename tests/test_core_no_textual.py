"""The core never imports Textual (DESIGN.md, "Layers"): proven in a fresh
interpreter, where an import hook also records any *attempt* to import it.
And ``advisor recommend`` with a warm knowledge cache imports no pydantic at
all, nor rapidfuzz for answers it can read without fuzzy matching."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import contextlib, io, json, sys

    attempts = []

    class Recorder:
        def find_spec(self, name, path=None, target=None):
            if name == "textual" or name.startswith("textual."):
                attempts.append(name)
            return None

    sys.meta_path.insert(0, Recorder())

    import advisor.answers, advisor.checks, advisor.cli, advisor.engine
    import advisor.render, advisor.report
    from advisor.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        codes = [
            main(["recommend", sys.argv[1]]),
            main(["recommend", sys.argv[1], "--format", "json"]),
            main(["recommend", sys.argv[1], "--format", "markdown"]),
            main(["kb", "check"]),
            main(["schema"]),
        ]
    print(json.dumps({
        "codes": codes,
        "attempts": attempts,
        "loaded": sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.")),
        "printed": len(out.getvalue()),
        "errors": err.getvalue(),
    }))
    """
)


def test_core_commands_never_import_textual(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "task: medical imaging\nlabels: labeled\nlabeled_examples: 1000\n"
        "model_size: small\nbudget_usd: 10000\n",
        encoding="utf-8",
    )
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(answers)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.splitlines()[-1])
    assert result["codes"] == [0, 0, 0, 0, 0], result["errors"]
    assert result["printed"] > 0
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
