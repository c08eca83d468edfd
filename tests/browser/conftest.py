"""Fixtures for the browser tests: Chromium, Playwright, ``advisor serve`` and its visitors.

The tests skip, saying why, when there is no Chromium or no Playwright on this machine, unless
``ADVISOR_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs both): then they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from visitors import ServedChat, Visitor, find_chromium, visitors

REQUIRED = os.environ.get("ADVISOR_REQUIRE_BROWSER") == "1"


def _missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason}, and ADVISOR_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        _missing("no Chromium found (apt-get install chromium, or set ADVISOR_CHROMIUM to a Chromium binary)")
    assert path is not None
    return path


@pytest.fixture(scope="module")
def playwright(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing('Playwright for Python is not installed (python3 -m pip install ".[test]")')
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedChat]:
    """One ``advisor serve`` for the module's tests: it holds no state of its own."""
    server = ServedChat(tmp_path_factory.mktemp("served"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def visit(
    playwright: Any, chromium: str, served: ServedChat, tmp_path: Path
) -> Iterator[Callable[[], Visitor]]:
    """A new visitor (a browser profile of their own) each call; all closed after the test."""
    with visitors(playwright, chromium, served.url, tmp_path) as new_visitor:
        yield new_visitor
