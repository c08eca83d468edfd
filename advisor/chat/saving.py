"""Keeping a chat's answers for the next one, and saying so only when it is true.

:class:`Saving` stands between the conversation and its :class:`~advisor.chat.store.SessionStore`
(none in a browser: nothing is kept there). It saves after every answer, says at once when the
answers cannot be saved and when they can be again, finds the saved chat to offer, and words
the goodbye and the note after an error of ours: "your answers are saved" only when they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from advisor.chat.given import Given
from advisor.chat.replies import Goodbye, Reply, Said
from advisor.chat.store import SessionStore, restore
from advisor.crash import log_failure
from advisor.kb.models import Question
from advisor.locations import state_dir

__all__ = ["Saving"]


class Saving:
    """The answers of one chat, kept in its store after each one."""

    def __init__(self, store: SessionStore | None) -> None:
        self.store = store
        self.problem: str | None = None
        """Why the answers could not be saved, as last told to the person."""

    def offer(self, given: Given) -> dict[str, Any] | None:
        """The saved chat to offer, checked again; one that cannot be used is set aside."""
        saved = self.store.load() if self.store is not None else None
        if not saved:
            return None
        try:
            return restore(saved, given.kb, given.reader)
        except Exception:  # data of a shape no check foresaw: set aside, never fatal
            if self.store is not None:
                self.store.set_aside()
            return None

    @property
    def open_elsewhere(self) -> bool:
        """Whether a more recent chat is open in another window (and so not offered)."""
        return self.store is not None and bool(self.store.open_elsewhere)

    def save(self, given: Given, current: Question | None) -> list[Reply]:
        """Save the answers (after every one: a chat killed at any point loses none); say at once
        when they could not be saved, and when they can be again."""
        if self.store is None or not given:
            return []
        self.store.save(given.state(current))
        problem, self.problem = self.problem, self.store.error
        if self.store.error is not None and problem is None:
            return [
                Said(
                    f"Note: I {self.store.error}. Until I can, they last only as long as this chat: "
                    "export keeps them in a file once you have the recommendation."
                )
            ]
        if self.store.error is None and problem is not None:
            return [Said("Your answers are saved again.")]
        return []

    def clear(self) -> None:
        """Forget the saved answers: the chat starts over."""
        if self.store is not None:
            self.store.clear()

    def kept(self, given: Given, offered: Mapping[str, Any] | None) -> bool:
        """Whether there are answers and they are saved for a next chat: never said otherwise
        (in a browser nothing is saved; before the first answer there is nothing to save)."""
        if self.store is None or self.store.error is not None:
            return False
        return bool(given or offered)

    def goodbye(self, kept: bool) -> Goodbye:
        """Bye, and whether the answers will be there next time."""
        if self.store is not None and self.store.error is not None:
            return Goodbye(f"Bye! I {self.store.error}, so they will not be there next time.")
        return Goodbye() if kept else Goodbye("Bye!")

    @property
    def unsaved(self) -> str:
        """For a status line: " · Not saved: why", or nothing."""
        reason = self.store.reason if self.store is not None else None
        return f" · Not saved: {reason}" if reason else ""

    def log_failure(self, error: BaseException, *, written: bool = True) -> Path | None:
        """An error of ours in the crash log beside the saved answers; its path, or ``None``
        when not kept (``written=False``: in a browser, whose server's folders are not the
        visitor's)."""
        if not written:
            return None
        return log_failure(error, self.store.folder if self.store is not None else state_dir())
