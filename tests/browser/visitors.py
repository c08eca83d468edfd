"""Visitors of ``advisor serve``: the server on a free port, and headless Chromium driven by
Playwright, one browser profile per visitor. Used by the browser tests and by
``benchmarks/browser.py``.

The page draws the chat on a canvas (xterm.js): its text is in no DOM node, so nothing here
reads page text. What a test can see:

- **downloads**, as the browser saves them (the export), read from disk;
- **the page's websocket**, watched by a script added to the page before it loads: when it
  opened, the time and key of every file the app delivers, and when the screen last changed;
- **the ready hook**: a server started with ``ADVISOR_DELIVER_READY=1`` gives every visitor an
  app that delivers ``advisor-ready.txt`` once its first question is on screen. Its message
  comes down the same websocket after the screen update that shows the question, so its time
  is when the question reached the page, and its text (fetched from the server) says which.

Playwright switches Chromium's pop-up blocker off; it is switched back on here, because a
person's browser has it: a download window opened without a key press or click just before
is blocked. So the ready file is never opened by the browser, and the export must work with
one download per key press.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Download, Page, Playwright

CHROMIUM_ARGS = (
    "--no-sandbox",  # root in CI; the page is our own, on this machine
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium dials out at start; on a closed network its refused
    # connections slow it down.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

RECORDER = """
(() => {
  const tell = (seen) => console.debug("advisor-test " + JSON.stringify(seen));
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => tell({ kind: "open", at: performance.now() }));
      this.addEventListener("message", (event) => {
        const at = performance.now();
        if (typeof event.data !== "string") {
          tell({ kind: "screen", at: at });
          return;
        }
        const [kind, key] = JSON.parse(event.data);
        if (kind === "deliver_file_start") tell({ kind: "delivery", key: key, at: at });
      });
    }
  };
})();
"""
"""Tells the test, from inside the page, what its websocket brings (times in milliseconds since
navigation start), as console messages. Not through ``page.evaluate`` or an exposed function:
Playwright runs both as user gestures (it answers an exposed function's call with an
evaluation), which would let the page open download windows that a person's browser blocks."""

VIEWPORT = {"width": 1000, "height": 700}


def find_chromium() -> str | None:
    """A Chromium to drive: ``ADVISOR_CHROMIUM``, Debian's binary, or one on the PATH."""
    named = os.environ.get("ADVISOR_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    # Debian's /usr/bin/chromium is a shell script around this binary; Playwright wants the binary.
    debian = Path("/usr/lib/chromium/chromium")
    if debian.is_file() and os.access(debian, os.X_OK):
        return str(debian)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServedChat:
    """``advisor serve`` in a process of its own, with private folders and the ready hook on."""

    def __init__(self, folder: Path, *options: str) -> None:
        self.folder = folder
        self.options = options
        """More options of ``advisor serve`` (``--max-visitors 1``)."""
        self.state_dir = folder / "state"
        self.config_dir = folder / "config"
        self.log = folder / "serve.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> None:
        env = {
            **os.environ,
            "ADVISOR_STATE_DIR": str(self.state_dir),
            "ADVISOR_CONFIG_DIR": str(self.config_dir),
            "ADVISOR_DELIVER_READY": "1",
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "advisor", "serve", "--port", str(self.port), *self.options],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.folder,
                start_new_session=True,  # its visitors' processes too can be stopped as a group
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if f"the chat is at {self.url}" in self.printed():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"advisor serve did not start on {self.url}:\n{self.printed()}")

    def chats(self) -> set[int]:
        """The process ids of the chats running now (the server's children)."""
        assert self.process is not None
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return {int(pid) for pid in found.stdout.split()}

    def printed(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@dataclass(frozen=True)
class Saved:
    """A download, as the browser saved it."""

    name: str
    text: str


@dataclass(frozen=True)
class Delivery:
    """A file the app delivered: its key on the server, and when the page heard of it."""

    key: str
    at: float
    """Milliseconds since the page's navigation started."""


class Visitor:
    """One person at the page: a browser profile of their own, a keyboard, their downloads."""

    def __init__(self, playwright: Playwright, chromium: str, url: str, profile: Path) -> None:
        self.url = url
        self.context: BrowserContext = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            args=list(CHROMIUM_ARGS),
            ignore_default_args=["--disable-popup-blocking"],
            headless=True,
            accept_downloads=True,
            viewport=VIEWPORT,  # type: ignore[arg-type]
            permissions=["clipboard-read", "clipboard-write"],
        )
        self.deliveries: list[Delivery] = []
        self.connected: float | None = None
        """When the page's websocket opened (the page has loaded; the server starts the chat)."""
        self.first_screen: float | None = None
        """When the chat process's first output arrived (times: milliseconds since navigation start)."""
        self.screen_changed = time.monotonic()
        self.context.add_init_script(RECORDER)
        self.page: Page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.on("console", self._saw)
        self.downloads: list[Download] = []
        self.page.on("download", lambda download: self.downloads.append(download))

    def _saw(self, message: ConsoleMessage) -> None:
        if not message.text.startswith("advisor-test "):
            return
        seen = json.loads(message.text.removeprefix("advisor-test "))
        if seen["kind"] == "delivery":
            self.deliveries.append(Delivery(seen["key"], seen["at"]))
        elif seen["kind"] == "open":
            self.connected = seen["at"]
        else:
            self.screen_changed = time.monotonic()
            if self.first_screen is None:
                self.first_screen = seen["at"]

    def wait(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        """Let the browser run until ``done()``, without evaluating anything in the page."""
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:.0f} s for {what}")
            self.page.wait_for_timeout(20)

    def open(self, timeout: float = 30) -> float:
        """Load the page and wait for the first question; milliseconds from navigation start."""
        self.page.goto(self.url)
        self.wait(lambda: bool(self.deliveries), timeout, "the first question (the ready hook)")
        self.page.focus(".xterm-helper-textarea")  # where xterm.js takes the keyboard
        return self.deliveries[0].at

    def delivered(self, index: int) -> str:
        """The text of the ``index``-th file the app delivered, from the server or, if the browser
        fetched it itself, from the download."""
        key = self.deliveries[index].key
        for download in self.downloads:
            if download.url.endswith(f"/download/{key}"):
                return Path(download.path()).read_text(encoding="utf-8")
        response = self.page.request.get(f"{self.url}/download/{key}")
        assert response.ok, f"delivery {index} is not on the server: {response.status} {response.text()}"
        return response.text()

    def type_lines(self, lines: Iterable[str]) -> None:
        """Type each line and press Enter, as fast as the keyboard goes (no pauses)."""
        for line in lines:
            self.page.keyboard.type(line)
            self.page.keyboard.press("Enter")

    def settle(self, quiet: float = 0.4, timeout: float = 30) -> None:
        """Wait until the screen has not changed for ``quiet`` seconds, counted from now at the
        earliest (the cursor blinks every half second): time for the app to do what it was asked."""
        asked = time.monotonic()
        self.wait(
            lambda: time.monotonic() - max(self.screen_changed, asked) > quiet,
            timeout,
            "the screen to settle",
        )

    def shot(self, clip: dict[str, float]) -> bytes:
        return self.page.screenshot(clip=clip)  # type: ignore[arg-type]

    def wait_for_shot(
        self, clip: dict[str, float], same_as: bytes, *, same: bool, timeout: float = 15
    ) -> None:
        """Wait until the screenshot of ``clip`` is (or is no longer) ``same_as``."""
        what = "the screen to look as before" if same else "the screen to change"
        self.wait(lambda: (self.shot(clip) == same_as) == same, timeout, what)

    def download(self, *keys: str, timeout: float = 20) -> Saved:
        """Press ``keys`` (after the screen settles) and return the download they start."""
        self.settle()
        with self.page.expect_download(timeout=timeout * 1000) as started:
            for key in keys:
                self.page.keyboard.press(key)
        download = started.value
        return Saved(download.suggested_filename, Path(download.path()).read_text(encoding="utf-8"))

    def palette(self, command: str, timeout: float = 20) -> Saved:
        """Run a command from the command palette (ctrl+p) and return the download it starts."""
        self.settle()
        self.page.keyboard.press("Control+p")
        self.settle()
        self.page.keyboard.type(command)
        return self.download("Enter", timeout=timeout)

    def clipboard(self) -> str:
        text: str = self.page.evaluate("navigator.clipboard.readText()")
        return text

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()


@contextlib.contextmanager
def visitors(playwright: Playwright, chromium: str, url: str, folder: Path) -> Iterator[Any]:
    """A factory of visitors, all closed on the way out."""
    opened: list[Visitor] = []

    def visit() -> Visitor:
        visitor = Visitor(playwright, chromium, url, folder / f"profile-{len(opened)}")
        opened.append(visitor)
        return visitor

    try:
        yield visit
    finally:
        for visitor in opened:
            visitor.close()
