"""Files: the transcript exports (JSON, WebVTT, SRT), the audio, and job status as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify

from alignment import formats
from webapp import get_store, recording_or_404
from webapp.media import send_media
from webapp.messages import public_message
from webapp.store import slug

__all__ = ["EXPORTS", "Export", "bp"]

bp = Blueprint("api", __name__)

@dataclass(frozen=True)
class Export:
    """A download the player offers, transcript.<ext>, written by `alignment.formats`."""

    ext: str
    label: str  # the link's text
    title: str  # what it is for

    @property
    def media_type(self) -> str:
        """The format's media type, as the download is answered with."""
        return formats.get(self.ext).media_type


#: the formats of `alignment.formats` offered for download (the player's links list them)
EXPORTS: dict[str, Export] = {e.ext: e for e in (
    Export("json", "JSON", "Sentences with their times and confidence"),
    Export("vtt", "WebVTT", "Captions"),
    Export("srt", "SRT", "Subtitles"),
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
    fmt = formats.get(ext)
    resp = Response(fmt.write(syncmap), content_type=f"{fmt.media_type}; charset=utf-8")
    resp.headers["Content-Disposition"] = f'inline; filename="{slug(rec.title)}.{ext}"'
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
    from webapp.player import job_status

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
