"""Whether the chat is drawn in a browser: the one question the command line asks before
it opens the chat, kept apart so that asking it loads nothing when the answer is no.

``textual serve`` and ``advisor serve`` start the app with ``TEXTUAL_DRIVER`` naming
Textual's web driver, and talk to it through pipes; a terminal check of stdin and
stdout would refuse it. Only a driver class that is Textual's :class:`WebDriver` (or
derives from it) counts: a pipe with any other driver still gets the helpful error.
"""

from __future__ import annotations

import importlib
import os

__all__ = ["browser_driver"]


def browser_driver() -> bool:
    """``True`` when ``TEXTUAL_DRIVER`` names Textual's web driver or a subclass of it."""
    named = os.environ.get("TEXTUAL_DRIVER", "")
    if not named:
        return False
    module_name, _, class_name = named.partition(":")
    try:
        driver = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError):
        return False
    from textual.drivers.web_driver import WebDriver

    return isinstance(driver, type) and issubclass(driver, WebDriver)
