"""The advisor's exceptions.

::

    AdvisorError                 anything the advisor reports to a person
    ├── UsageError               a command used the wrong way: exit code 2
    ├── AnswersError             bad answers (file or chat text): exit code 2
    ├── KnowledgeError           invalid knowledge base: exit code 3
    ├── OutputError              standard output cannot be written (full, closed, its reader
    │                            gone): exit code 4
    └── YamlError                a file that is not the safe YAML we accept
                                 (raised by the loader, re-raised as one of the above)

Every error carries :class:`Problem` items: a file, a line where one is known,
and a sentence a person can act on. ``str(error)`` prints one problem a line.
"""

from __future__ import annotations

from advisor.records import dataclass

__all__ = [
    "AdvisorError",
    "AnswersError",
    "KnowledgeError",
    "OutputError",
    "Problem",
    "UsageError",
    "YamlError",
    "quoted",
]


def quoted(value: object, limit: int = 60) -> str:
    """A value from a file, quoted for a message: one line, at most ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    """1-based, where one is known (a character on the line): ``file:line:column:``."""

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class AdvisorError(Exception):
    """Base class: a problem to show to a person, never a traceback."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(AdvisorError):
    """A command used the wrong way (``-`` twice, the chat without a terminal)."""

    exit_code = 2


class YamlError(AdvisorError):
    """A file could not be read as safe YAML (size, encoding, syntax, tags, aliases)."""

    exit_code = 2


class AnswersError(AdvisorError):
    """An answers file or a typed answer that cannot be used."""

    exit_code = 2


class KnowledgeError(AdvisorError):
    """A knowledge base that does not validate."""

    exit_code = 3


class OutputError(AdvisorError):
    """Standard output cannot be written: a full disk, a closed stream, a reader gone (``| head``)."""

    exit_code = 4
