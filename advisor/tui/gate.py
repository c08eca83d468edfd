"""Which requests ``advisor serve`` answers: those for the address it serves, from its own pages.

A web page the person happens to visit can send requests to ``127.0.0.1``, and with DNS
rebinding a name it controls can point at this machine. Two checks shut both out, as careful
local servers (Jupyter) do:

- the ``Host`` a request names must be one this server is reached by: the address it listens
  on (every loopback name when that is loopback; any IP address, ``localhost`` and this
  machine's names when it listens everywhere), and the hosts of ``--allow-origin``. A rebound
  name (``evil.example.com:8000``) is not one of them, so its pages get nothing.
- the ``Origin`` of a websocket, which every browser sends, must be the page's own (the
  request's scheme and host) or one given with ``--allow-origin``; a page request with a
  foreign ``Origin`` is refused too.

Nothing here imports aiohttp: the checks take header values and answer with a reason.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Gate", "normal_origin"]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
EVERYWHERE = frozenset({"0.0.0.0", "::", ""})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?")
"""A Host header: a name, an IPv4 address or a bracketed IPv6 address, with an optional port."""


def split_host(value: str) -> tuple[str, int | None] | None:
    """``Host`` header ``value`` as (lower-case name, IPv6 without brackets, and port or
    ``None``), or ``None`` when it is not a name or an address with an optional port."""
    found = _HOST.fullmatch(value.strip().lower())
    if found is None or (found["ip6"] is not None and not _is_ip(found["ip6"])):
        return None
    return found["ip6"] or found["name"], int(found["port"]) if found["port"] else None


def normal_origin(value: str) -> str | None:
    """An origin (``http://host:port``) written as browsers send it, without a default port and
    in lower case; ``None`` when ``value`` is not an http(s) origin (a path, ``null``, ...)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    if parts.username is not None or parts.hostname is None:
        return None
    host = parts.hostname.lower()
    shown = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[parts.scheme]:
        shown = f"{shown}:{port}"
    return f"{parts.scheme}://{shown}"


def _machine_names() -> set[str]:
    """This machine's own names, as another machine on the network may call it (no lookups:
    a resolver that hangs would hold up the start)."""
    name = socket.gethostname().lower()
    return {name, f"{name.split('.')[0]}.local"} if name else set()


@dataclass(frozen=True)
class Gate:
    """The hosts and origins ``advisor serve`` answers, for the address it listens on."""

    port: int
    names: frozenset[str]
    """Host names (lower case, IPv6 without brackets) accepted at :attr:`port`."""
    any_ip: bool
    """Whether any IP address is accepted at :attr:`port` (when listening everywhere)."""
    origins: frozenset[str]
    """Origins allowed besides the page's own (``--allow-origin``), in :func:`normal_origin` form."""
    extra_hosts: frozenset[tuple[str, int]]
    """The (name, port) of each allowed origin: a proxy in front may pass its own host."""

    @classmethod
    def serving(cls, host: str, port: int, allow_origins: tuple[str, ...] = ()) -> Gate:
        """The gate of a server listening on ``host``:``port``; ``allow_origins`` are already
        in :func:`normal_origin` form."""
        host = host.lower().strip("[]")
        if host in LOOPBACK:
            names = set(LOOPBACK)
        elif host in EVERYWHERE:
            names = set(LOOPBACK) | _machine_names()
        else:
            names = {host}
        extra = set()
        for origin in allow_origins:
            parts = urlsplit(origin)
            assert parts.hostname is not None
            extra.add((parts.hostname, parts.port or _DEFAULT_PORTS[parts.scheme]))
        return cls(port, frozenset(names), host in EVERYWHERE, frozenset(allow_origins), frozenset(extra))

    def host_refused(self, host: str | None) -> str | None:
        """Why a request naming ``host`` in its ``Host`` header is refused, or ``None``."""
        if not host:
            return "a request without a Host header"
        split = split_host(host)
        if split is None:
            return "a malformed Host header"
        name, port = split
        if any(name == other and port in (None, other_port) for other, other_port in self.extra_hosts):
            return None
        if (port or 80) == self.port and (name in self.names or (self.any_ip and _is_ip(name))):
            return None
        return "a host this server is not reached by"

    def allowed_origin(self, host: str) -> str | None:
        """The ``--allow-origin`` origin whose host is ``host`` (a proxy in front passing its own
        host), or ``None``: the page's URLs then take its scheme."""
        split = split_host(host)
        for origin in sorted(self.origins):
            parts = urlsplit(origin)
            if split is not None and split[0] == parts.hostname and split[1] in (None, parts.port):
                return origin
        return None

    def origin_refused(self, origin: str | None, host: str, scheme: str, *, required: bool) -> str | None:
        """Why a request from ``origin`` (its ``Origin`` header) for ``scheme``://``host`` is
        refused, or ``None``. Without an ``Origin``, refused only when ``required``."""
        if origin is None:
            return "a websocket without an Origin (browsers always send one)" if required else None
        normal = normal_origin(origin)
        if normal is not None and (normal in self.origins or normal == normal_origin(f"{scheme}://{host}")):
            return None
        return "a page of another site"
