"""A stand-in for the chat under ``advisor serve``, speaking textual-serve's protocol.

It says its terminal size, how many bytes of keys it has read so far after each packet, and
each resize; it quits when asked. ``--stubborn`` ignores the request to quit, SIGTERM and the
end of its input (a chat too busy to listen); ``--child`` starts a ``sleep`` of its own first
and says its process id (to see that a visitor's whole process group ends).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

out = sys.stdout.buffer
stubborn = "--stubborn" in sys.argv


def say(text: str) -> None:
    data = text.encode()
    out.write(b"D" + len(data).to_bytes(4, "big") + data)
    out.flush()


def hold() -> None:
    while True:
        time.sleep(60)


out.write(b"__GANGLION__\n")
say(f"size {os.environ['COLUMNS']}x{os.environ['ROWS']}")
if "--child" in sys.argv:
    say(f"child {subprocess.Popen(['sleep', '600']).pid}")
if stubborn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
received = 0
keys = sys.stdin.buffer
while True:
    head = keys.read(5)
    if len(head) < 5:
        break
    payload = keys.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"D":
        received += len(payload)
        say(f"received {received}")
        continue
    meta = json.loads(payload)
    if meta["type"] == "resize":
        say(f"size {meta['width']}x{meta['height']}")
    elif meta["type"] == "quit" and not stubborn:
        sys.exit(0)
if stubborn:
    hold()
