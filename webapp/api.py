"""Files: the transcript exports (text, Word, JSON, WebVTT, SRT, Praat TextGrid), the audio,
and job status as JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify

from alignment import SyncMap, formats
from webapp import chapters, reading
from webapp.media import send_media
from webapp.messages import public_message
from webapp.progress import job_status
from webapp.request_helpers import get_store, recording_or_404
from webapp.store import slug

__all__ = ["EXPORTS", "Export", "bp"]

bp = Blueprint("api", __name__)

@dataclass(frozen=True)
class Export:
    """A download the player offers, transcript.<ext>: a sync-map format written by
    `alignment.formats`, or (with a `writer`) a transcript to read, `webapp.reading`."""

    ext: str  # transcript.<ext>, and the downloaded file's suffix
    label: str  # the link's text
    title: str  # what it is for
    writer: Callable[[SyncMap, str], str | bytes] | None = None  # (syncmap, title)
    media: str = ""  # the writer's media type
    fmt: str = ""  # the `alignment.formats` name, where it is not `ext` (TextGrid)

    @property
    def format(self) -> str:
        """The name of the sync-map format that writes it."""
        return self.fmt or self.ext

    @property
    def media_type(self) -> str:
        """The format's media type, as the download is answered with."""
        return self.media or formats.get(self.format).media_type


#: the downloads the player offers (its links list them): to read, then the sync-map formats
EXPORTS: dict[str, Export] = {e.ext: e for e in (
    Export("txt", "Text", "Plain text with speakers and times", reading.plain_text,
           "text/plain"),
    Export("docx", "Word", "A Word document with speakers and times", reading.docx_bytes,
           reading.DOCX_TYPE),
    Export("json", "JSON", "Sentences with their times and confidence"),
    Export("vtt", "WebVTT", "Captions"),
    Export("srt", "SRT", "Subtitles"),
    # Praat's own suffix, so the file opens in Praat as it is downloaded
    Export("TextGrid", "TextGrid", "Praat TextGrid: a tier of sentences and one of words",
           fmt="textgrid"),
)}


@bp.get("/r/<rid>/transcript.<ext>")
def export(rid: str, ext: str) -> Response:
    """The alignment in one of the export formats, written by `alignment.formats`."""
    if ext not in EXPORTS:
        abort(404, description=f"There is no “{ext}” export; the exports are "
                               + ", ".join(f"transcript.{e}" for e in EXPORTS) + ".")
    rec = recording_or_404(rid, with_transcript=False)
    # an earlier alignment stays exportable while a new one runs
    syncmap = get_store().load_syncmap(rec)
    if not syncmap.sentences:
        abort(409, description="This recording is not aligned yet, so it has no timings to "
                               "export. Try again when its player shows the transcript.")
    export = EXPORTS[ext]
    if export.writer is not None:
        body = export.writer(syncmap, rec.title)
    else:
        try:
            body = formats.get(export.format).write(syncmap)
        except ValueError as err:  # timings the format cannot hold (overlaps in a TextGrid)
            abort(409, description=f"This recording's timings cannot be written as "
                                   f"{export.label}: {err}")
    binary = isinstance(body, bytes)
    resp = Response(body, content_type=export.media_type + ("" if binary else "; charset=utf-8"))
    how = "attachment" if binary else "inline"
    resp.headers["Content-Disposition"] = f'{how}; filename="{slug(rec.title)}.{ext}"'
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/r/<rid>/chapters.<ext>")
def chapter_list(rid: str, ext: str) -> Response:
    """The recording's chapters (webapp.chapters): WebVTT chapters, or Podcasting 2.0
    chapters JSON. 404 when it has no outline."""
    if ext not in ("vtt", "json"):
        abort(404, description="The chapters are chapters.vtt and chapters.json.")
    rec = recording_or_404(rid, with_transcript=False)
    items = chapters.chapters(get_store().load_syncmap(rec))
    if not items:
        abort(404, description="This recording has no chapters: its transcript has no "
                               "headings, and it is too short to be divided by its pauses.")
    if ext == "vtt":
        resp = Response(chapters.webvtt(items), content_type="text/vtt; charset=utf-8")
    else:
        resp = Response(chapters.podcast_json(items, rec.title),
                        content_type="application/json+chapters; charset=utf-8")
    resp.headers["Content-Disposition"] = f'inline; filename="{slug(rec.title)}-chapters.{ext}"'
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/media/<name>")
def media(name: str) -> Response:
    """A stored media file by content name; byte ranges get 206 Partial Content."""
    return send_media(Path(current_app.config["MEDIA_DIR"]), name,
                      accel=current_app.config.get("MEDIA_ACCEL_REDIRECT"))


#: a recording's status -> the `state` of status.json
STATES = {"queued": "queued", "aligning": "running", "ready": "done", "failed": "failed"}


@bp.get("/r/<rid>/status.json")
def status_json(rid: str) -> Response:
    """How far a recording's alignment got, for scripts and pages:
    `{"state": "queued"|"running"|"done"|"failed", "stage", "progress" (0 to 1),
    "message" (plain words; why, when it failed), "warnings"}`, and, as before, `id`,
    `status`, `error` and the latest `job`."""
    rec = recording_or_404(rid, with_transcript=False)
    job = get_store().latest_job(rid)
    state = STATES.get(rec.status, rec.status)
    shown = job_status(rec, job)
    stale = shown["stale_since"]
    error = public_message(rec.error or (job.error if job and state == "failed" else ""))
    job_stage, fraction = (job.stage, job.percent / 100) if job else ("", 0.0)
    if state == "done":
        stage, progress, message = "done", 1.0, "aligned"
    elif state == "failed":
        stage, progress = job_stage or "failed", fraction
        message = error or "the alignment failed"
    elif state == "running":
        stage, progress = job_stage or "aligning", fraction
        message = (f"no progress since {stale}; its worker has probably stopped" if stale
                   else f"aligning: {shown['stage_words'] or stage}")
    else:
        stage, progress, message = "queued", 0.0, "waiting for a worker"
    return jsonify(
        state=state, stage=stage, progress=round(min(1.0, max(0.0, progress)), 3),
        message=message, warnings=list(rec.warning_list),
        id=rec.id, status=rec.status, error=error,
        job=None if job is None else {
            "id": job.id, "status": job.status, "stage": job.stage, "percent": job.percent,
            "error": public_message(job.error),
        },
    )
