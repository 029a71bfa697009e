"""The player: `/r/<id>`, its sentence permalinks, its search and its progress partial.

The server renders the whole transcript (a long one in parts, `webapp.paging`, with a
plain link to each other part), so the page reads, links and plays without JavaScript;
`static/player.js` adds highlight, seek, follow, keys and share, `static/parts.mjs` the
other parts as they are needed. Pages of a ready recording answer a conditional GET with
304.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from htmx_flask import make_response

from alignment import SyncMap, two_letter
from webapp.auth import may_edit
from webapp.chapters import chapters as chapter_list
from webapp.history import old_ids, redirect_target
from webapp.moments import Moment, clock, link_seconds, resolve
from webapp.paging import (
    Prepared,
    not_modified,
    part_items,
    part_of_sentence,
    prepared,
    requested_page,
    set_etag,
)
from webapp.progress import job_status
from webapp.request_helpers import (
    external_url,
    get_store,
    recording_or_404,
    search_query,
    wants_partial,
)
from webapp.store import Recording
from webapp.transcript_view import lay_out, quoted_indices, timeline_segments

__all__ = ["DEFAULT_SPEED", "SPEEDS", "bp", "render_player", "share_query"]

bp = Blueprint("player", __name__)

QUOTE_PREVIEW = 280
#: the playback speeds offered (the template's menu; player.js reads them from it)
SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2")
DEFAULT_SPEED = "1"


def _fragment(moment: Moment) -> str:
    """The W3C media fragment for a moment (`#t=83.2` or `#t=83.2,91`), or ''."""
    if moment.start is None:
        return ""
    frag = f"#t={link_seconds(moment.start)}"
    return frag + (f",{link_seconds(moment.end)}" if moment.end is not None else "")


def share_query(moment: Moment) -> dict[str, str]:
    """The `t` and `end` query arguments of a link to `moment` (none for no moment)."""
    if moment.start is None:
        return {}
    args = {"t": link_seconds(moment.start)}
    if moment.end is not None:
        args["end"] = link_seconds(moment.end)
    return args


def _open_graph(rec: Recording, quoted: list, moment: Moment) -> dict[str, str]:
    """Open Graph fields: the title, the quoted words and the time, for link previews."""
    og = {"title": rec.title, "description": "", "time": ""}
    if quoted:
        words = " ".join(s.text for s in quoted)
        if len(words) > QUOTE_PREVIEW:
            words = words[: QUOTE_PREVIEW - 1].rsplit(" ", 1)[0] + "…"
        speaker = quoted[0].speaker
        when = clock(moment.start)
        if moment.end is not None:
            when += "–" + clock(moment.end)
        og["time"] = when
        og["description"] = f"“{words}”" + (f" — {speaker}" if speaker else "") + f", at {when}"
        og["title"] = f"{rec.title} at {when}"
    elif rec.note:
        og["description"] = rec.note
    return og


def _parts(ready: Prepared | None, quoted: set[int], page: int | None,
           template: str) -> dict[str, Any]:
    """The parts of a long transcript and the one shown: the quote's, else page `page`,
    else the first (webapp.paging); none for a short one. The embed has them too."""
    if ready is None or len(ready.parts) < 2:
        return {"parts": ()}
    parts = ready.parts
    if quoted:
        shown = part_of_sentence(parts, min(quoted))
    else:
        shown = parts[min(max(page or 1, 1), len(parts)) - 1]
    items = part_items(ready.layout, shown, len(ready.syncmap.sentences))
    return {"parts": parts, "shown": shown, "part": shown, "part_items": items}


def render_player(
    rec: Recording,
    moment: Moment,
    *,
    query: str = "",
    permalink_sid: str | None = None,
    syncmap: SyncMap | None = None,
    template: str = "player.html",
    page: int | None = None,
) -> str:
    """The whole player page for a recording, opened at `moment` (or, with
    `template="embed.html"`, the compact player other sites frame)."""
    store = get_store()
    # built once per version of the alignment (webapp.paging), not on every view
    ready = prepared(rec) if syncmap is None else None
    syncmap = ready.syncmap if ready else syncmap
    layout = ready.layout if ready else lay_out(syncmap)
    quoted_set = quoted_indices(syncmap, moment, ready.time_index if ready else None)
    quoted = [s for s in syncmap.sentences if s.index in quoted_set]
    limit = current_app.config["SEARCH_LIMIT"]
    hits, total = store.search(query, rec.id, limit) if query else ([], 0)
    canonical = (
        external_url("player.show", rid=rec.id, **share_query(moment))
        if permalink_sid is None
        else external_url("player.sentence", rid=rec.id, sid=permalink_sid)
    )
    context: dict[str, Any] = {
        "rec": rec,
        "syncmap": syncmap,
        "layout": layout,
        "moment": moment,
        "quoted": quoted_set,
        "quoted_first": min(quoted_set) if quoted_set else None,
        "quoted_last": max(quoted_set) if quoted_set else None,
        "quote_first": quoted[0].id if quoted else "",
        "og": _open_graph(rec, quoted, moment),
        "audio_url": url_for("api.media", name=rec.rendition_name) + _fragment(moment),
        **job_status(rec, store.latest_job(rec.id) if rec.status != "ready" else None),
        "low_confidence": current_app.config["LOW_CONFIDENCE"],
        "segments": ready.segments if ready else timeline_segments(
            syncmap, layout.speakers, current_app.config["LOW_CONFIDENCE"]),
        **_parts(ready, quoted_set, page, template),
        "q": query,
        "hits": hits,
        "total": total,
        # an outline from the headings, or the pauses and turns (webapp.chapters)
        "chapters": chapter_list(syncmap),
        # the hits' words marked in the transcript as well (a search page without script)
        "marks": {h.index: h.html for h in hits if h.recording_id == rec.id},
        "canonical": canonical,
        "share_query": share_query(moment),
        "oembed_url": external_url("embed.oembed", url=canonical, format="json"),
        "duration": syncmap.duration or rec.duration_ms,
        "base": url_for("player.show", rid=rec.id),
        "lang": two_letter(rec.language) or rec.language,
        # an edited sentence's former ids, kept as anchors (webapp.history)
        "aliases": old_ids(store.engine, rec.id),
        # the editing tools (webapp.editing) on the player, for editors
        "editor": template == "player.html" and bool(syncmap.sentences) and may_edit(),
    }
    if ready is not None:
        context["word_times"] = ready.word_times
    # the player opens for listening; `?edit=1` (the Edit switch without script) opens
    # it with the editing tools
    context["editing"] = context["editor"] and request.args.get("edit") == "1"
    return render_template(template, **context)


@bp.get("/r/<rid>")
def show(rid: str) -> Any:
    """The player, started at `?t=` and stopped at `&end=` when the link says so (or at
    part `?page=` of a long transcript); a 304 when the browser has this page already."""
    rec = recording_or_404(rid)
    unchanged = not_modified(rec)
    if unchanged is not None:
        return unchanged
    moment = resolve(request.args.get("t"), request.args.get("end"), rec.duration_ms)
    page = render_player(rec, moment, page=requested_page(request.args.get("page")))
    return set_etag(current_app.make_response(page), rec)


@bp.get("/r/<rid>/part/<int:number>")
def part(rid: str, number: int) -> Any:
    """Part `number` of a long transcript, for `static/parts.mjs` to put in its place."""
    rec = recording_or_404(rid, with_transcript=False)
    unchanged = not_modified(rec)
    if unchanged is not None:
        return unchanged
    ready = prepared(rec)
    if not 1 <= number <= len(ready.parts):
        abort(404, description=f"This transcript has {len(ready.parts)} part(s), not "
                               f"{number}.")
    shown = ready.parts[number - 1]
    html = render_template(
        "_part.html", rec=rec, part=shown, parts=ready.parts,
        part_items=part_items(ready.layout, shown, len(ready.syncmap.sentences)),
        quoted=set(), quoted_first=None, quoted_last=None,
        low_confidence=current_app.config["LOW_CONFIDENCE"], word_times=ready.word_times,
        base=url_for("player.show", rid=rec.id), aliases=old_ids(get_store().engine, rec.id))
    return set_etag(current_app.make_response(html), rec)


@bp.get("/r/<rid>/s/<sid>")
def sentence(rid: str, sid: str) -> Any:
    """A sentence's permalink: its id comes from its words, so it survives re-alignment."""
    rec = recording_or_404(rid)
    unchanged = not_modified(rec)
    if unchanged is not None:
        return unchanged
    ready = prepared(rec)
    position = ready.positions.get(sid)
    s = ready.syncmap.sentences[position] if position is not None else None
    moved = redirect_target(get_store().engine, rid, sid) if s is None else None
    if moved:
        # its words were edited: the link leads to it under its new id. Not a 301: an
        # undo gives the old id back, and a browser must not remember the way round
        return redirect(url_for("player.sentence", rid=rid, sid=moved), 302)
    if s is None:
        abort(404, description="That sentence is not in this recording's transcript any "
                               "more (the transcript was edited). The player has the rest.")
    page = render_player(rec, Moment(start=s.begin), permalink_sid=sid)
    return set_etag(current_app.make_response(page), rec)


@bp.get("/r/<rid>/search")
def search(rid: str):  # type: ignore[no-untyped-def]
    """Sentences of this recording that match `q`: the results partial for htmx, else the page."""
    rec = recording_or_404(rid)
    query = search_query()
    if wants_partial():
        hits, total = get_store().search(query, rid, current_app.config["SEARCH_LIMIT"])
        return render_template("_search_results.html", rec=rec, q=query, hits=hits, total=total)
    return render_player(rec, Moment(), query=query)


@bp.get("/r/<rid>/status")
def status(rid: str):  # type: ignore[no-untyped-def]
    """How far the alignment got (the `_job_status.html` partial, which polls while the
    job runs). Once it is done, an htmx poll gets the aligned player instead, swapped in
    for the page's player (`static/job-watch.mjs` starts its script again): the
    transcript appears without a reload, and the poll has nothing left to trigger it."""
    rec = recording_or_404(rid, with_transcript=False)
    if request.htmx and rec.status == "ready":
        page = render_player(recording_or_404(rid), Moment())
        resp = make_response(page, retarget="#player", reswap="outerHTML")
        resp.headers["HX-Reselect"] = "#player"
        return resp
    job = get_store().latest_job(rid)
    return render_template("_job_status.html", **job_status(rec, job))
