"""Which way to fine-tune a model, what it will roughly cost, and why, with sources.

The core (everything here but :mod:`advisor.tui`) never imports Textual, so that
``advisor recommend`` and ``advisor kb check`` start fast.
"""

__version__ = "0.1.0"
