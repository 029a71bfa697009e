"""Uploads from the browser: `POST /recordings`, and Retry of a failed alignment.

The library's form posts `title`, `audio`, `transcript` (a file) or `transcript_text`,
and `language`. Everything is checked before anything is stored (the title, the
language, the transcript read by `alignment.documents.load` and the limits of
`webapp.limits`, the audio probed with ffprobe); the checked upload then goes through
the one import path, `webapp.importer.store_recording`, and its alignment is queued.

A good upload is answered 303 to the player, which shows the job until it is aligned
(an htmx request gets `HX-Redirect`). A bad one gets a 4xx and the form again with a
message naming the problem, and nothing is stored.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO

from flask import Blueprint, Request, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from alignment import AlignmentError, AudioError, LanguageError, TranscriptError, documents
from webapp.auth import editor_required, may_edit
from webapp.importer import TitleError, check_title, store_recording
from webapp.jobs import enqueue_alignment
from webapp.library import library_page
from webapp.limits import check_transcript_file
from webapp.progress import job_status
from webapp.ratelimit import refusal, wait_for
from webapp.redirects import see_other
from webapp.request_helpers import get_store, recording_or_404, wants_partial

__all__ = ["UPLOAD_ENDPOINTS", "SpoolInDataFolder", "UploadForm", "bp"]

bp = Blueprint("upload", __name__)

#: the endpoints whose request body is bounded by MAX_UPLOAD, not MAX_CONTENT_LENGTH
UPLOAD_ENDPOINTS = frozenset({"upload.create"})

#: where an upload's audio waits while it is checked (in the data folder, so a killed
#: upload's copy is collected with the other litter after an hour)
TEMP_PREFIX = ".upload-"


class SpoolInDataFolder(Request):
    """A request (mixed into the app's request class) whose uploaded files are spooled
    into a folder of its own in the data folder (`.upload-*`), not the system's temporary
    folder, which is often a tmpfs (memory): a 2 GB upload must not take 2 GB of memory.
    The spool file is the only copy the app makes: it is linked, not copied, to its name
    for checking and into the media folder (`webapp.media.store_file(link=True)`). The
    folder goes when the request ends; a killed process's is collected by
    `webapp.litter` once an hour old."""

    _upload_dir: Path | None = None

    def upload_dir(self) -> Path:
        """This request's folder for its uploaded files (made on first use)."""
        if self._upload_dir is None:
            self._upload_dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX,
                                                     dir=current_app.config["DATA_DIR"]))
        return self._upload_dir

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> IO[bytes]:
        return tempfile.NamedTemporaryFile(mode="w+b", dir=self.upload_dir(),
                                           prefix="spool-")

    def close(self) -> None:
        """Close the files, and remove this request's upload folder."""
        super().close()
        if self._upload_dir is not None:
            shutil.rmtree(self._upload_dir, ignore_errors=True)


@dataclass
class UploadForm:
    """What the form was filled with, and what is wrong with it (field -> message)."""

    title: str = ""
    language: str = "eng"
    transcript_text: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """All the problems, in the form's order."""
        order = ("title", "audio", "transcript", "language", "form")
        return " ".join(self.errors[k][:1].upper() + self.errors[k][1:]
                        for k in order if k in self.errors)


def _form_page(form: UploadForm, status: int):  # type: ignore[no-untyped-def]
    """The form again with its problems: the library page, or for htmx the problems only
    (the files the person chose stay chosen in their form)."""
    if wants_partial():
        return render_template("_upload_errors.html", form=form), status
    return library_page(upload=form), status


def _sent_file(name: str) -> FileStorage | None:
    """The file sent as `name`, or None when the field was left empty."""
    f = request.files.get(name)
    return f if f is not None and f.filename else None


def _transcript(form: UploadForm) -> str | None:
    """The transcript's text from the file or the pasted text; None (and the problem in
    `form.errors`) when there is none or it cannot be read."""
    config = current_app.config
    upload = _sent_file("transcript")
    if upload is not None and form.transcript_text.strip():
        form.errors["transcript"] = ("give the transcript either as a file or as pasted "
                                     "text, not both")
        return None
    if upload is None:
        if not form.transcript_text.strip():
            form.errors["transcript"] = ("the transcript is empty: choose its file or paste "
                                         "the text that is said in the recording")
            return None
        return form.transcript_text
    label = PurePath(upload.filename or "transcript").name
    upload.stream.seek(0, 2)
    size = upload.stream.tell()
    upload.stream.seek(0)
    try:
        check_transcript_file(size, config, label)
        text = documents.load(upload.stream.read(), label)
    except TranscriptError as err:
        form.errors["transcript"] = str(err)
        return None
    if not text.strip():
        form.errors["transcript"] = f"the transcript {label} is empty"
        return None
    return text


def _save_audio(form: UploadForm, folder: Path) -> Path | None:
    """The audio file saved under `folder` (its suffix kept for ffmpeg), or None."""
    upload = _sent_file("audio")
    if upload is None:
        form.errors["audio"] = "choose the recording's audio or video file"
        return None
    # the person's own file name, made safe, so that messages name the file they chose
    name = secure_filename(PurePath(upload.filename or "").name)[-120:] or "audio"
    path = folder / name
    spooled = getattr(upload.stream, "name", None)
    try:  # the spool file itself under that name: no copy
        os.link(spooled, path)  # type: ignore[arg-type]
    except (TypeError, OSError):
        upload.save(path)
    if path.stat().st_size == 0:
        form.errors["audio"] = f"the audio file {name} is empty (0 bytes)"
        return None
    return path


#: the form's field an error of the import path is about, by the error's type (the first
#: that matches); any other error is the transcript's
_FIELDS: tuple[tuple[type[AlignmentError], str], ...] = (
    (LanguageError, "language"), (AudioError, "audio"), (TitleError, "title"),
)


def _placed(form: UploadForm, err: AlignmentError, audio: Path) -> None:
    """Put an error of the import path on the field it is about."""
    field = next((name for kind, name in _FIELDS if isinstance(err, kind)), "transcript")
    message = str(err)
    form.errors[field] = _audio_message(message, audio.name) if field == "audio" else message


def _audio_message(message: str, name: str) -> str:
    """ffprobe's refusal in plain words."""
    if "cannot read audio" in message or "no audio stream" in message:
        return (f"this file ({name}) is not audio we can read: ffprobe finds no sound in "
                "it. Give a recording ffmpeg reads (mp3, m4a, ogg, wav, flac, or a video "
                "file with sound)")
    return message


@bp.post("/recordings")
@editor_required
def create():  # type: ignore[no-untyped-def]
    """Check the upload, store it and queue its alignment; 303 to its player."""
    form = UploadForm(
        title=request.form.get("title", ""),
        language=request.form.get("language", "eng").strip().lower() or "eng",
        transcript_text=request.form.get("transcript_text", ""),
    )
    try:
        form.title = check_title(form.title)  # folded as stored; as typed if refused
    except TitleError as err:
        form.errors["title"] = str(err)
    text = _transcript(form)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    folder = request.upload_dir() / "checked"  # removed with the request's upload folder
    folder.mkdir()
    audio = _save_audio(form, folder)
    if form.errors or audio is None or text is None:
        return _form_page(form, 422)
    try:
        rid = store_recording(app, audio, text, title=form.title, language=form.language,
                              link=True)
    except AlignmentError as err:
        _placed(form, err, audio)
        return _form_page(form, 422)
    _queue(rid)
    return see_other(url_for("player.show", rid=rid))  # htmx is sent there by HX-Redirect


@bp.get("/recordings/may-upload")
def may_upload():  # type: ignore[no-untyped-def]
    """204 when this request's sender may upload now, else 403 naming why: asked by
    nginx (`auth_request`, deploy/nginx.conf) with an upload's headers and no body, so
    an upload that would be refused is refused before nginx reads its body."""
    if not may_edit():
        return "Only editors may upload.", 403, {"Content-Type": "text/plain"}
    wait = wait_for("uploads", take=False)
    if wait > 0:
        return refusal("uploads", wait), 403, {"Content-Type": "text/plain"}
    return "", 204


def _queue(rid: str) -> None:
    """Queue the alignment; when the queue is down, the recording is marked failed with
    the reason (by `enqueue_alignment`) and its page says so, with Retry."""
    try:
        enqueue_alignment(current_app._get_current_object(), rid)  # type: ignore[attr-defined]
    except Exception:  # the reason is on the recording; the log gets the traceback
        current_app.logger.exception("could not queue the alignment of %s", rid)


@bp.post("/r/<rid>/retry")
@editor_required
def retry(rid: str):  # type: ignore[no-untyped-def]
    """Queue a new alignment of a failed (or stopped) recording from its kept inputs."""
    rec = recording_or_404(rid, with_transcript=False)
    job = get_store().latest_job(rid)
    # a second click, or another editor was quicker: nothing to do but show it
    if rec.status == "failed" or job_status(rec, job)["stale_since"]:
        _queue(rid)
    if wants_partial():
        # the job's status in place of the failure: it polls until the player comes
        rec = recording_or_404(rid, with_transcript=False)
        return render_template("_job_status.html",
                               **job_status(rec, get_store().latest_job(rid)))
    return redirect(url_for("player.show", rid=rid), 303)
