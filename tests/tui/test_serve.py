"""``advisor serve`` without a browser: its command line, the command it runs per visitor, the
page it serves and what it prints. (With a browser: ``tests/browser``.)"""

from __future__ import annotations

import shlex
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from advisor.tui.serve import ChatServer, chat_command

Run = Any
"""conftest.Run: code, out, err."""


def test_help_says_what_exposing_the_chat_means(cli: Callable[..., Run]) -> None:
    run = cli("serve", "--help")
    assert run.code == 0
    text = " ".join(run.out.split())
    assert "--host" in text and "--port" in text
    assert "By default only this machine can connect (127.0.0.1)" in text
    assert "--host 0.0.0.0 exposes the chat to every machine that can reach the port" in text
    assert "anyone who can reach it gets a chat" in text
    assert "each visitor starts a process on this machine" in text
    assert "--max-visitors N chats running at once; the next visitor is asked to wait" in text
    assert "--allow-origin ORIGIN also accept pages and websockets from ORIGIN" in text
    assert "another site's page, or a name that merely points at this machine, gets 403 Forbidden" in text


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--max-visitors", "0"], "--max-visitors 0: a number of visitors from 1 to 10,000"),
        (["--allow-origin", "chat.example.org"], "an origin is a scheme and a host"),
        (["--allow-origin", "http://x/path"], "an origin is a scheme and a host"),
    ],
)
def test_a_bad_cap_or_origin_is_a_usage_error(
    cli: Callable[..., Run], option: list[str], message: str
) -> None:
    run = cli("serve", *option)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("port", ["0", "65536", "-1"])
def test_a_port_out_of_range_is_a_usage_error(cli: Callable[..., Run], port: str) -> None:
    run = cli("serve", "--port", port)
    assert run.code == 2
    assert "a port is a number from 1 to 65535" in run.err


def test_a_port_in_use_is_a_plain_error(advisor_process: Callable[..., Run]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = advisor_process("serve", "--port", str(port))
    assert run.code == 2
    assert f"advisor: cannot serve on 127.0.0.1:{port}" in run.err
    assert "try another --port" in run.err
    assert "Traceback" not in run.err


def test_an_invalid_knowledge_base_stops_the_server_before_it_starts(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    run = cli("serve", "--knowledge", tmp_path / "nowhere", "--port", "8799")
    assert run.code == 3
    assert run.out == ""


def test_each_visitor_runs_this_python_and_this_knowledge_base(tmp_path: Path) -> None:
    folder = tmp_path / "my knowledge; rm -rf"
    assert shlex.split(chat_command()) == [sys.executable, "-m", "advisor", "chat"]
    assert shlex.split(chat_command(folder)) == [
        sys.executable,
        "-m",
        "advisor",
        "chat",
        "--knowledge",
        str(folder.resolve()),
    ]


def test_it_prints_where_to_open_the_chat() -> None:
    local = ChatServer("true", "127.0.0.1", 8765).banner()
    assert "the chat is at http://127.0.0.1:8765: open it in a browser on this machine" in local
    everywhere = ChatServer("true", "0.0.0.0", 8765).banner()
    assert f"http://{socket.gethostname()}:8765" in everywhere
    assert "http://127.0.0.1:8765 on this machine" in everywhere
    assert "Anyone who can reach port 8765 gets a chat, without a password" in everywhere
    assert "0.0.0.0" not in everywhere  # not an address a browser can open


@pytest.mark.parametrize(
    ("host", "websocket", "static"),
    [
        ("127.0.0.1:8765", "ws://127.0.0.1:8765/ws", "http://127.0.0.1:8765/static/"),
        ("localhost:8765", "ws://localhost:8765/ws", "http://localhost:8765/static/"),
        ("192.168.1.20:8765", "ws://192.168.1.20:8765/ws", "http://192.168.1.20:8765/static/"),
        ("[::1]:8765", "ws://[::1]:8765/ws", "http://[::1]:8765/static/"),
        (
            f"{socket.gethostname().lower()}:8765",
            f"ws://{socket.gethostname().lower()}:8765/ws",
            f"http://{socket.gethostname().lower()}:8765/static/",
        ),
    ],
)
async def test_the_page_points_at_the_address_the_browser_used(
    host: str, websocket: str, static: str
) -> None:
    server = ChatServer("true", "0.0.0.0", 8765)
    async with TestClient(TestServer(await server._make_app())) as client:
        response = await client.get("/", headers={"Host": host})
        page = await response.text()
    assert response.status == 200
    assert f'data-session-websocket-url="{websocket}"' in page
    assert f'href="{static}css/xterm.css"' in page
