"""The core never imports Textual (DESIGN.md, "Layers"): proven in a fresh
interpreter, where an import hook also records any *attempt* to import it."""

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
