"""Plain means plain: ``advisor ask`` under ``TERM=dumb`` (or ``--ascii``) prints ASCII only, never
speaks of buttons, and reads well a line at a time (no table, no drawing), over whole
conversations driven through a real process with piped answers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MEDICAL, SHOES

from advisor.kb import default_knowledge_dir
from advisor.terminal import ascii_only, spoken_ranges

ROOT = Path(__file__).resolve().parent.parent

FLOWS: dict[str, list[str]] = {
    "one line, help, a what-if, why and why not": [
        "I have 5k labelled support tickets to classify, want to fine-tune BERT, budget 3000 dollars",
        "help",
        "skip",
        "what if my budget were $50k",
        "why?",
        "why not supervised?",
        "quit",
    ],
    "numbers, an unreadable answer, a question's help and a euro budget": [
        SHOES,
        "blorp",
        "1",
        "2k",
        "help",
        "what is an epoch?",
        "1",
        "10000 euros",
        "3",
        "5",
        "what if we had 20k labeled images",
        "keep it",
        "what is transfer learning?",
    ],
    "someone who is not sure": [
        "sort support tickets",
        "",
        "not sure",
        "some of it",
        "idk",
        "2",
        "",
        "not sure",
        "dunno",
        "as cheap as possible",
        "",
        "no idea",
        "why?",
    ],
    "typed with curly quotes, dashes and other currencies": [
        "classify “café” reviews — 5k labelled ones…",
        "≤ £8k",
        "small",
        "skip",
        "skip",
        "what if my budget were €20k?",
        "what’s “LoRA”?",
    ],
    "a medical project, step by step": [*MEDICAL, "why not unsupervised?", "what would supervised cost?"],
}


def ask(
    tmp_path: Path, lines: list[str], *args: str, term: str = "dumb"
) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"ADVISOR_STATE_DIR": str(tmp_path / "state"), "TERM": term})
    return subprocess.run(
        [sys.executable, "-m", "advisor", "ask", "--new", *args],
        input=("\n".join(lines) + "\n").encode(),
        capture_output=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


BUTTONS = re.compile(r"\bbuttons?\b|\bclick(ing)? (it|on|the|a|to)\b|\bpress (the|a)\b", re.IGNORECASE)
"""Words for what a plain terminal has not got ("a few cents for a click" is a price, not one)."""

BOX = re.compile(r"[|+][-=]{2,}|-{2,}[|+]|[#.:]{6,}|\|\s+\||o--|--o")
"""What a chart or a table drawn in ASCII looks like: ``|--o--|``, ``####....``, column rules."""


@pytest.mark.parametrize("flow", FLOWS, ids=lambda name: name.replace(" ", "-").replace(",", ""))
def test_every_byte_is_ascii_and_no_line_needs_two_dimensions(flow: str, tmp_path: Path) -> None:
    done = ask(tmp_path, FLOWS[flow])
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout
    assert out.isascii(), sorted({chr(b) for b in out if b > 127} or {"?"})
    text = out.decode("ascii")
    assert "Traceback" not in text
    assert not BUTTONS.search(text)
    _, rule, report = text.partition("\n" + "-" * 78 + "\n")
    assert rule and "Recommendation: " in report, flow  # each flow reaches the report
    assert "Words used here" in report
    for line in text.splitlines():
        if line != "-" * 78:
            assert not BOX.search(line), line
        assert len(line) <= 80 or line.startswith("> "), line  # what was typed is echoed as it came
    # The report a line at a time: no header of columns, no figures lined up in columns, the
    # chart said in words, ranges said "to".
    assert not re.search(r"(?m)^\s*category\s+low\s+high", report)
    assert not re.search(r"\$[\d,]+ {2,}\$", report)
    assert "The approaches compared" in report and "(recommended)" in report
    assert re.search(r"(?m)^  - compute: \S+( to \S+)? ", report)
    assert not re.search(r"\$[\d,]+ - \$", report)


def test_ascii_is_asked_for_in_any_terminal(tmp_path: Path) -> None:
    lines = FLOWS["typed with curly quotes, dashes and other currencies"]
    done = ask(tmp_path, lines, "--ascii", "--save", "résumé.yaml", term="xterm-256color")
    assert done.returncode == 0 and done.stdout.isascii()
    # A file's name is not respelled: what is not ASCII in it is written as its escape.
    assert done.stderr == b"advisor: answers saved to r\\xe9sum\\xe9.yaml\n"
    assert (tmp_path / "résumé.yaml").is_file()
    # Typed words are echoed in ASCII too, as near as they can be.
    assert b'> classify "cafe" reviews -- 5k labelled ones...' in done.stdout


def test_a_unicode_terminal_keeps_its_characters_but_reads_as_lines(tmp_path: Path) -> None:
    done = ask(tmp_path, FLOWS["a medical project, step by step"], term="xterm-256color")
    text = done.stdout.decode("utf-8")
    assert "“" in text  # quotes as the texts have them
    assert "├" not in text and "█" not in text and "▶" not in text  # but no drawing
    assert "The approaches compared" in text


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("“quoted” ‘single’", "\"quoted\" 'single'"),
        ("a – b — c", "a - b -- c"),
        ("wait…", "wait..."),
        ("3 × 4 ≤ 12 ≥ 1", "3 x 4 <= 12 >= 1"),
        ("• one · two", "* one - two"),
        ("€5, £3, ¥9", "EUR5, GBP3, JPY9"),
        ("├──●─┤ █░ ▶ │ →", "|--*-| #. > | ->"),
        ("café naïve Ångström", "cafe naive Angstrom"),
        ("ﬁne", "fine"),
        ("x\u00a0y\u200bz", "x yz"),
        ("模型", "??"),
        ("plain", "plain"),
    ],
)
def test_ascii_only(typed: str, plain: str) -> None:
    assert ascii_only(typed) == plain


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("$11,794 – $26,307", "$11,794 to $26,307"),
        ("1.7 – 3.0 engineer-weeks", "1.7 to 3.0 engineer-weeks"),
        ("under $1 – $3", "under $1 to $3"),
        ("$11,794 –\n  $26,307", "$11,794 to\n  $26,307"),
        ("$$ – $$$", "$$ – $$$"),  # a document's words, not two amounts
        ("before – after", "before – after"),
        ("10 - 2", "10 - 2"),
    ],
)
def test_spoken_ranges(text: str, said: str) -> None:
    assert spoken_ranges(text) == said


def test_every_character_the_advisor_writes_has_an_ascii_form() -> None:
    """The knowledge base's texts and the code's own: no character of them becomes a "?"."""
    files = [*default_knowledge_dir().rglob("*.yaml"), *(ROOT / "advisor").rglob("*.py")]
    unknown = {
        char: path.name
        for path in files
        for char in set(path.read_text(encoding="utf-8"))
        if not char.isascii() and ascii_only(char) == "?"
    }
    assert unknown == {}
