"""Whether an upload may be sent, told from its request line and headers alone.

waitress reads a whole request body before the app sees the request, so `serve` asks
this first (`webapp.bodylimit` calls `gate(app)` once an upload's headers are in): a
request for another site's name (400), from someone who may not upload (403), or from a
client over its upload rate (429) is answered at once, and its connection closed,
without reading the body. The same checks run again in the app (for any WSGI server).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask

from webapp import hosts, ratelimit
from webapp.auth import may_edit

__all__ = ["Refusal", "gate"]

#: (status code, reason, message, extra headers)
Refusal = tuple[int, str, str, list[tuple[str, str]]]


def _environ(method: str, path: str, query: str, scheme: str, headers: Mapping[str, str],
             remote_addr: str) -> dict[str, Any]:
    """A bodiless WSGI environ of the request, from waitress's parsed headers (upper-case
    names with `_`, as waitress keeps them)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path,
        "QUERY_STRING": query, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": remote_addr,
        "wsgi.version": (1, 0), "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False, "CONTENT_LENGTH": "0",
    }
    for key, value in headers.items():
        if key not in ("CONTENT_LENGTH", "CONTENT_TYPE", "TRANSFER_ENCODING"):
            environ[f"HTTP_{key}"] = value
    return environ


def gate(app: Flask) -> Callable[..., Refusal | None]:
    """The check `webapp.bodylimit` runs on an upload's headers: a `Refusal`, or None to
    read the body. Any failure of the check itself lets the request through to the app,
    which checks again."""

    def check(method: str, path: str, query: str, scheme: str, headers: Mapping[str, str],
              remote_addr: str) -> Refusal | None:
        environ = _environ(method, path, query, scheme, headers, remote_addr)
        if not hosts.is_allowed(environ.get("HTTP_HOST"), app.config):
            return (400, "Bad Request", "This server does not answer to that name (the "
                    "request's Host header). Set TRANSCRIPT_PLAYER_PUBLIC_URL to serve it "
                    "under another.", [])
        try:
            with app.request_context(environ):
                if not may_edit():
                    return (403, "Forbidden", "Only editors may upload. Log in at /login "
                            "as an editor, then send the recording again. Nothing was read.",
                            [])
                wait = ratelimit.wait_for("uploads", take=False)
                if wait > 0:
                    return (429, "Too Many Requests", ratelimit.refusal("uploads", wait),
                            [("Retry-After", str(max(1, round(wait))))])
        except Exception:  # noqa: BLE001 - the app itself checks again, and logs
            app.logger.exception("the upload gate failed; the app checks the upload")
        return None

    return check
