"""Two request-body bounds in waitress: a large one for uploads, the small one elsewhere.

waitress has one `max_request_body_size` for every request, and reads (and spools to the
temporary folder) a body up to it before the app sees the request. `serve` sets it to the
upload bound (MAX_UPLOAD), and its request parser, `BoundedParser`, lowers it to
MAX_CONTENT_LENGTH as soon as the request line shows a request that is not an upload:
a body announced larger is answered 413 at once, unread, and a chunked one is cut off
at the bound. Each 413 names its bound and the setting that raises it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.utilities import RequestEntityTooLarge

__all__ = ["bounded_server"]


def _parser_class(upload_paths: frozenset[str], small: int, large: int) -> type:
    class BoundedParser(HTTPRequestParser):
        """waitress's parser with the body bound chosen by the request line."""

        _named = False

        def parse_header(self, header_plus: bytes) -> None:
            super().parse_header(header_plus)
            self._upload = self.command == "POST" and self.path in upload_paths
            if not self._upload:
                adj = copy.copy(self.adj)
                adj.max_request_body_size = small
                self.adj = adj

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


def bounded_server(upload_paths: Iterable[str], small: int, large: int) -> Callable[..., Any]:
    """A `create_server` for `waitress.serve(_server=...)` whose servers bound bodies
    by `small` bytes except POSTs to `upload_paths`, bounded by `large`
    (which must be waitress's own `max_request_body_size`)."""
    parser = _parser_class(frozenset(upload_paths), small, large)
    channel = type("BoundedChannel", (HTTPChannel,), {"parser_class": parser})

    def make(app: Any, **kw: Any) -> Any:
        server = create_server(app, **kw)
        # one listening socket: the server itself; several: each is in its map
        servers = [server] if isinstance(server, BaseWSGIServer) else [
            s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)]
        for s in servers:
            s.channel_class = channel
        return server

    return make
