"""Embeds: `/r/<id>/embed`, a compact player other sites may frame, and `/oembed`.

The embed is the only route whose Content-Security-Policy lets other origins frame it
(`frame-ancestors *`); every other page keeps `frame-ancestors 'self'`. It takes the
player's link parameters (`?t=`, `&end=`, `#t=`). `/oembed?url=…&format=json` answers
an oEmbed 1.0 `rich` type whose html is an iframe of the embed, for any player address
of this site (`/r/<id>`, `/r/<id>?t=…&end=…`, `/r/<id>/s/<sentence>`, `/r/<id>/embed`).
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, Response, abort, current_app, jsonify, request

from webapp.headers import CSP
from webapp.moments import Moment, resolve
from webapp.player import render_player, share_query
from webapp.request_helpers import external_url, get_store, public_base, recording_or_404

__all__ = ["EMBED_CSP", "bp"]

bp = Blueprint("embed", __name__)

#: the site's policy with one change: any site may frame the embed
EMBED_CSP = CSP.replace("frame-ancestors 'self'", "frame-ancestors *")

DEFAULT_WIDTH, DEFAULT_HEIGHT = 640, 260
MIN_WIDTH, MIN_HEIGHT = 240, 200
_PLAYER_PATH = re.compile(r"^/r/(?P<rid>[^/]+)(?:/s/(?P<sid>[^/]+)|/embed)?/?$")


@bp.get("/r/<rid>/embed")
def embed(rid: str) -> Response:
    """The compact player: the audio, the lit sentence and its neighbours, a link out."""
    rec = recording_or_404(rid)
    moment = resolve(request.args.get("t"), request.args.get("end"), rec.duration_ms)
    resp = Response(render_player(rec, moment, template="embed.html"), mimetype="text/html")
    resp.headers["Content-Security-Policy"] = EMBED_CSP
    return resp


def _moment_of(path_match: re.Match[str], query: dict[str, list[str]], rec) -> Moment:  # type: ignore[no-untyped-def]
    sid = path_match.group("sid")
    if sid:
        syncmap = get_store().load_syncmap(rec)
        s = next((s for s in syncmap.sentences if s.id == sid), None)
        if s is None:
            abort(404, description="That sentence is not in this recording's transcript.")
        return Moment(start=s.begin)
    first = lambda name: (query.get(name) or [None])[0]  # noqa: E731
    return resolve(first("t"), first("end"), rec.duration_ms)


def _size(name: str, default: int, least: int) -> int:
    """`maxwidth`/`maxheight`: the embed fits inside them, but not below a usable size."""
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit():
        abort(400, description=f"{name} must be a whole number of pixels, not “{raw}”.")
    return max(least, min(default, int(raw)))


@bp.get("/oembed")
def oembed() -> Response:
    """oEmbed 1.0 for a player address of this site: a `rich` type with an iframe."""
    url = request.args.get("url", "")
    fmt = request.args.get("format", "json")
    if fmt != "json":
        # the oEmbed spec's answer for a format the provider does not offer
        abort(501, description="Only format=json is offered.")
    if not url:
        abort(400, description="Give the address of a player page as url=…")
    parts = urlsplit(url)
    match = _PLAYER_PATH.match(parts.path)
    if parts.netloc != urlsplit(public_base(current_app.config)).netloc or match is None:
        abort(404, description="That address is not a player page of this site, so there is "
                               "nothing to embed. Use the address of a /r/<id> page.")
    rec = recording_or_404(match.group("rid"))
    moment = _moment_of(match, parse_qs(parts.query), rec)
    width = _size("maxwidth", DEFAULT_WIDTH, MIN_WIDTH)
    height = _size("maxheight", DEFAULT_HEIGHT, MIN_HEIGHT)
    src = external_url("embed.embed", rid=rec.id, **share_query(moment))
    title = f"{rec.title} (transcript player)"
    html = (f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
            f'title="{escape(title)}" style="border:0" allow="autoplay; clipboard-write" '
            f'loading="lazy"></iframe>')
    return jsonify(
        version="1.0",
        type="rich",
        title=rec.title,
        provider_name="Transcript player",
        provider_url=external_url("library.index"),
        html=html,
        width=width,
        height=height,
        cache_age=3600,
    )
