"""The README's install and test commands are the ones CI runs, word for word,
so the README cannot drift from what is tested."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "python3 -m pip install ."
TEST = 'python3 -m pip install ".[test]" && pytest'


def _shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)


def _ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]


def test_readme_gives_the_install_and_test_commands_in_shell_blocks() -> None:
    lines = [
        line.strip()
        for block in _shell_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
        for line in block.splitlines()
    ]
    assert INSTALL in lines
    assert TEST in lines


def test_ci_runs_the_readme_install_and_test_commands_verbatim() -> None:
    ci = _ci_lines()
    assert INSTALL in ci
    assert TEST in ci


def test_every_pip_command_of_the_readme_blocks_is_in_ci() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for block in _shell_blocks(readme)
        for line in block.splitlines()
        if line.strip().startswith("python3 -m pip")
    ]
    assert commands
    ci = _ci_lines()
    for command in commands:
        assert command in ci, command
