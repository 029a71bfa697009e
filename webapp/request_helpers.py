"""What a view asks of the request it answers: the app's store, the recording the address
names, whether htmx wants a partial, the search query, and the site's absolute addresses.

Every blueprint uses these, and so do some services (`webapp.paging`); they sit below the
blueprints and above the store, so no blueprint imports the factory (`webapp.app`) for
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, abort, after_this_request, current_app, g, request, url_for

from webapp import limits, ratelimit
from webapp.store import Recording, RecordingInfo, Store

__all__ = ["external_url", "get_store", "public_base", "recording_or_404", "search_query",
           "wants_partial"]


def get_store() -> Store:
    """The current application's store."""
    return current_app.extensions["store"]


def recording_or_404(rid: str, *, with_transcript: bool = True) -> Recording | RecordingInfo:
    """The recording called `rid` (a `Recording`), or a 404 that says so.

    `with_transcript=False` gives a `RecordingInfo`, without the (long) transcript.
    """
    store = get_store()
    rec = store.get_recording(rid) if with_transcript else store.get_recording_info(rid)
    if rec is None:
        abort(404, description=f"There is no recording called “{rid}”. "
                               "The library lists every recording there is.")
    return rec


def search_query() -> str:
    """The request's search query `q`, cut to `limits.MAX_QUERY` characters. A query is a
    search: a client over its search rate (`webapp.ratelimit`, "searches") gets 429 here."""
    query = request.args.get("q", "")[:limits.MAX_QUERY]
    if query.strip() and not g.get("search_counted"):
        g.search_counted = True  # one search a request, however often this is asked
        ratelimit.enforce("searches")
    return query


def wants_partial() -> bool:
    """True for an htmx request that swaps in a partial (not a history restore, which
    needs the whole page).

    The answer then depends on htmx's request headers, so it says so (`Vary`): a browser
    going Back to the address must not be handed the partial it cached for htmx.
    """

    @after_this_request
    def _vary(resp: Response) -> Response:
        resp.vary.update(("HX-Request", "HX-History-Restore-Request"))
        return resp

    return bool(request.htmx and not request.htmx.history_restore_request)


def public_base(config: Mapping[str, Any]) -> str:
    """The base of every absolute link the site writes: `PUBLIC_URL`
    (`TRANSCRIPT_PLAYER_PUBLIC_URL`), else the address `serve` listens on (`SERVER_URL`),
    else http://localhost. Never the request's Host header, which the client chooses."""
    return (config.get("PUBLIC_URL") or config.get("SERVER_URL") or "http://localhost") \
        .rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL of this site on its trusted base (`public_base`)."""
    path = url_for(endpoint, **values)
    root = request.script_root if request else ""
    if root and path.startswith(root):
        path = path[len(root):]  # the public address already says where the root is
    return public_base(current_app.config) + path
