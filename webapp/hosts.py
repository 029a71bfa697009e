"""Which names this server answers to (its `Host` header), and a 400 for the rest.

A page on another site can make a browser send requests to a server on loopback under
the other site's name (DNS rebinding), and a proxy set up for something else can forward
anything to it. So a request is answered only when its `Host` names this server: a
loopback name (`localhost`, `127.0.0.1` and the rest of 127.0.0.0/8, `[::1]`), the host
of `TRANSCRIPT_PLAYER_PUBLIC_URL`, or the address `serve` was started on (`SERVER_URL`),
with any port. Anything else gets 400 naming the name and the setting.

    from webapp import hosts
    hosts.init_app(app)     # before any other check: a foreign request reads nothing
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

__all__ = ["LOOPBACK_NAMES", "allowed_hosts", "host_name", "init_app", "is_allowed"]

#: the loopback names every server answers to
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(header: str) -> str | None:
    """The name in a `Host` header, lower case, without its port or a final dot
    (`[::1]:5000` gives `::1`); None when the header is not a host and port."""
    header = header.strip().lower()
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name or None
    name, colon, port = header.partition(":")
    if colon and not port.isdigit():
        return None
    name = name.rstrip(".")
    if not name or any(not (c.isalnum() or c in "-._") for c in name):
        return None
    return name


def allowed_hosts(config: Mapping[str, Any]) -> frozenset[str]:
    """The names a request may give: loopback, `PUBLIC_URL`'s host, `SERVER_URL`'s host."""
    names = set(LOOPBACK_NAMES)
    for key in ("PUBLIC_URL", "SERVER_URL"):
        url = config.get(key)
        host = urlsplit(url).hostname if url else None
        if host:
            names.add(host.lower().rstrip("."))
    return frozenset(names)


def _is_loopback_address(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_allowed(header: str | None, config: Mapping[str, Any]) -> bool:
    """True when a request whose `Host` header is `header` may be answered. A request
    without one (HTTP/1.0) names no other site, so it is answered."""
    if header is None:
        return True
    name = host_name(header)
    return name is not None and (name in allowed_hosts(config) or _is_loopback_address(name))


def _check_host() -> None:
    """Refuse (400) a request whose Host header names another site."""
    header = request.environ.get("HTTP_HOST")
    if is_allowed(header, current_app.config):
        return
    names = sorted(allowed_hosts(current_app.config) - {"::1"}) + ["[::1]"]
    abort(400, description=(
        f"This server does not answer to the name “{header[:100]}” (the request's Host "
        f"header); it answers to {', '.join(names)}. An operator serving it under another "
        "name sets TRANSCRIPT_PLAYER_PUBLIC_URL to the address people open."))


def init_app(app: Flask) -> None:
    """Check every request's Host before anything else looks at it."""
    app.before_request_funcs.setdefault(None, []).insert(0, _check_host)
