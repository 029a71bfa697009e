"""Two request-body bounds in waitress: a large one for uploads, the small one elsewhere.

waitress has one `max_request_body_size` for every request, and reads (and spools to the
temporary folder) a body up to it before the app sees the request. `serve` sets it to the
upload bound (MAX_UPLOAD), and its request parser, `BoundedParser`, lowers it to
MAX_CONTENT_LENGTH as soon as the request line shows a request that is not an upload:
a body announced larger is answered 413 at once, unread, and a chunked one is cut off
at the bound. Each 413 names its bound and the setting that raises it.

For an upload, two more things happen once its headers are in (`bounded_server(gate=,
spool_dir=)`): `gate(...)` (`webapp.uploadgate`) may refuse it from the headers alone,
answered at once with the connection closed and the body never read; and a body waitress
keeps is spooled into `spool_dir` (the data folder's temporary area), not /tmp.
"""

from __future__ import annotations

import copy
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from waitress import create_server
from waitress.buffers import OverflowableBuffer, TempfileBasedBuffer
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.utilities import Error, RequestEntityTooLarge

from webapp.connguard import GuardedChannel, guard_server

__all__ = ["bounded_server"]


def _refused(code: int, reason: str, message: str, headers: list[tuple[str, str]]) -> Error:
    """A waitress error answer with this status, message and headers."""

    class Refused(Error):
        def to_response(self, ident: str | None = None):  # type: ignore[no-untyped-def]
            status, base, body = super().to_response(ident)
            return status, base + headers, body

    Refused.code, Refused.reason = code, reason
    return Refused(message)


def _spooling_buffer(folder: Path) -> OverflowableBuffer:
    """waitress's body buffer, its overflow file in `folder`."""

    class Spool(TempfileBasedBuffer):
        def newfile(self):  # type: ignore[no-untyped-def]
            return tempfile.TemporaryFile("w+b", dir=folder, prefix=".body-")

    class Buffer(OverflowableBuffer):
        def _set_large_buffer(self) -> None:
            old = self.buf
            self.buf = Spool(old)
            if hasattr(old, "close"):
                old.close()
            self.overflowed = True

    return Buffer(0)


Gate = Callable[..., Any]


def _parser_class(upload_paths: frozenset[str], small: int, large: int, gate: Gate | None,
                  spool_dir: Path | None) -> type:
    class BoundedParser(HTTPRequestParser):
        """waitress's parser with the body bound chosen by the request line; an upload's
        headers are put to `gate` before its body is read."""

        _named = False
        remote_addr = ""

        def __init__(self, adj: Any) -> None:
            super().__init__(adj)
            self.started = time.monotonic()  # the head deadline counts from here

        def parse_header(self, header_plus: bytes) -> None:
            super().parse_header(header_plus)
            self._upload = self.command == "POST" and self.path in upload_paths
            if not self._upload:
                adj = copy.copy(self.adj)
                adj.max_request_body_size = small
                self.adj = adj
                return
            if spool_dir is not None and self.body_rcv is not None:
                buf = _spooling_buffer(spool_dir)
                buf.overflow = self.adj.inbuf_overflow
                self.body_rcv.buf = buf
            refusal = gate(self.command, self.path, self.query, self.url_scheme,
                           self.headers, self.remote_addr) if gate else None
            if refusal is not None:  # answered now; the body is never read
                self.error = _refused(*refusal)
                self.completed = True
                self.body_rcv = None
                self.content_length = 0

        def received(self, data: bytes) -> int:
            consumed = super().received(data)
            if isinstance(self.error, RequestEntityTooLarge) and not self._named:
                self._named = True
                upload = getattr(self, "_upload", False)
                limit, setting = ((large, "TRANSCRIPT_PLAYER_MAX_UPLOAD") if upload
                                  else (small, "TRANSCRIPT_PLAYER_MAX_BODY"))
                self.error = RequestEntityTooLarge(
                    f"The request sends more than this server takes ({limit:,} bytes). "
                    f"Send a smaller request. (The bound is set by {setting}.)")
            return consumed

    return BoundedParser


def bounded_server(upload_paths: Iterable[str], small: int, large: int,
                   gate: Gate | None = None, spool_dir: Path | None = None,
                   guard: dict[str, Any] | None = None) -> Callable[..., Any]:
    """A `waitress.create_server` (call it, then `run()` what it returns) whose servers
    bound bodies by `small` bytes except POSTs to `upload_paths`, bounded by `large`
    (which must be waitress's own `max_request_body_size`). An upload is first put to
    `gate(method, path, query, scheme, headers, remote_addr)`, which may return
    `(code, reason, message, headers)` to answer it unread; its body is spooled into
    `spool_dir`. With `guard` (`webapp.connguard.guard_server`'s keywords), a request's
    head has a deadline and each client address a cap on its connections."""
    parser = _parser_class(frozenset(upload_paths), small, large, gate, spool_dir)

    class BoundedChannel(GuardedChannel, HTTPChannel):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            address = self.addr[0] if isinstance(self.addr, tuple) else ""

            def make_parser(adj: Any) -> Any:
                made = parser(adj)
                made.remote_addr = address
                return made

            self.parser_class = make_parser

    channel = BoundedChannel

    def make(app: Any, **kw: Any) -> Any:
        server = create_server(app, **kw)
        # one listening socket: the server itself; several: each is in its map
        servers = [server] if isinstance(server, BaseWSGIServer) else [
            s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)]
        for s in servers:
            s.channel_class = channel
            if guard is not None:
                guard_server(s, **guard)
        return server

    return make
