"""Clips: `/r/<id>/clip.mp3?t=A&end=B`, the quoted range as an MP3 to download.

Cut by ffmpeg from the recording as uploaded (the seek-safe copy when the upload is
gone) into the clip cache, a few at a time (`webapp.clipcache`), and sent from there;
tagged with the recording's title, the range and the quoted words. A clip is at
most `MAX_CLIP_MS` (`webapp.limits`) long; anything longer, or a range that is not one,
is a 400 that says what to change.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_file
from werkzeug.exceptions import ServiceUnavailable

from webapp.clipcache import RETRY_AFTER, Busy, cached_clip
from webapp.limits import MAX_CLIP_MS, MAX_QUOTE_CHARS
from webapp.media import media_path
from webapp.moments import clock, parse_seconds, resolve
from webapp.ratelimit import rate_limited
from webapp.request_helpers import get_store, recording_or_404
from webapp.store import slug
from webapp.transcript_view import quoted_indices

__all__ = ["bp"]

bp = Blueprint("clips", __name__)


@bp.get("/r/<rid>/clip.mp3")
@rate_limited("clips")
def clip(rid: str) -> Response:
    """The quoted range `t`..`end` as an MP3 attachment, at most five minutes long."""
    rec = recording_or_404(rid, with_transcript=False)
    t, end = request.args.get("t"), request.args.get("end")
    if parse_seconds(t) is None or parse_seconds(end) is None:
        abort(400, description="A clip needs a start and an end, as in "
                               "clip.mp3?t=83.2&end=91 (seconds, or 1:23.2).")
    moment = resolve(t, end, rec.duration_ms)
    if moment.start is None or moment.end is None:
        abort(400, description="That range is not inside the recording, or its end does not "
                               f"come after its start (the recording is {clock(rec.duration_ms)}"
                               " long).")
    assert moment.start is not None and moment.end is not None
    length = moment.end - moment.start
    if length > MAX_CLIP_MS:
        abort(400, description=f"A clip is at most {MAX_CLIP_MS // 60000} minutes long; this "
                               f"range is {clock(length)}. Choose a shorter quote.")
    media_dir = Path(current_app.config["MEDIA_DIR"])
    source = media_path(media_dir, rec.audio_name) or media_path(media_dir, rec.rendition_name)
    if source is None:
        abort(404, description="The audio of this recording is missing from the server.")
    syncmap = get_store().load_syncmap(rec)
    quoted = [s for s in syncmap.sentences if s.index in quoted_indices(syncmap, moment)]
    words = " ".join(s.text for s in quoted)[:MAX_QUOTE_CHARS]
    when = f"{clock(moment.start)}–{clock(moment.end)}"
    speakers = list(dict.fromkeys(s.speaker for s in quoted if s.speaker))
    tags = {"title": f"{rec.title} ({when})", "album": rec.title, "comment": words}
    if speakers:
        tags["artist"] = ", ".join(speakers)
    try:  # cut by ffmpeg into the clip cache (a few at a time), then sent from there
        path = cached_clip(current_app._get_current_object(),  # type: ignore[attr-defined]
                           source, moment.start, moment.end, tags)
    except Busy:
        raise ServiceUnavailable(
            "The server is cutting as many clips as it can right now. Try again in a few "
            "seconds.", retry_after=RETRY_AFTER) from None
    name = f"{slug(rec.title)}-{clock(moment.start).replace(':', '.')}.mp3"
    resp = send_file(path, mimetype="audio/mpeg", conditional=True, etag=True)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
