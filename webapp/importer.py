"""Taking in a recording: store its audio by content, make the seek-safe rendition, save the row.

The alignment itself is a job (`webapp.jobs`); `import` on the command line runs it at
once in-process, an upload would queue it.
"""

from __future__ import annotations

import secrets
from functools import partial
from pathlib import Path

from flask import Flask

from alignment import TranscriptError, check_language, probe_duration
from webapp import limits
from webapp.media import make_rendition, remove_media, store_file
from webapp.store import Store
from webapp.textguard import check_text

__all__ = ["TitleError", "check_plain", "check_title", "store_recording"]


class TitleError(TranscriptError):
    """A title refused. Its own type, so that whoever shows the error puts it by the title
    (the form's field, the command's --title), not by the transcript."""


def check_title(title: str) -> str:
    """The title with its white space folded, as it is stored; `TitleError` when it is
    empty, longer than `limits.MAX_TITLE`, or holds a control character. The one title
    check, of the form and of the command line alike."""
    title = " ".join(title.split())
    if not title:
        raise TitleError("the title is empty: give the recording a title")
    if len(title) > limits.MAX_TITLE:
        raise TitleError(
            f"the title is {len(title)} characters long; keep it under {limits.MAX_TITLE}")
    try:
        return check_text(title, "the title")
    except ValueError as err:
        raise TitleError(str(err)) from None


def check_plain(transcript: str) -> None:
    """Refuse (TranscriptError) a transcript with a NUL (no database stores one; a
    transcript's tabs, line and page breaks are text)."""
    if "\0" in transcript:
        line = transcript.count("\n", 0, transcript.index("\0")) + 1
        raise TranscriptError(f"the transcript holds a NUL character (U+0000) on line {line}; "
                              "is it a binary file? Give it as text")


def store_recording(
    app: Flask,
    audio: Path,
    transcript: str,
    *,
    title: str,
    language: str = "eng",
    note: str = "",
    source_url: str | None = None,
    link: bool = False,
) -> str:
    """Store audio and transcript as a new recording (queued for alignment); return its id.

    `source_url` is the page they were fetched from (`import-url`), credited on the player.
    `link`: the audio file is this program's own (an upload's spool file) and is put in
    the media folder as it is, linked rather than copied, when the file system allows.
    """
    title = check_title(title)
    if not transcript.strip():
        raise TranscriptError("the transcript is empty; give the text that is spoken")
    check_plain(transcript)
    # Everything that can be refused is refused before anything is stored: a language the
    # synthesiser does not know, a transcript with nothing spoken in it, audio that is
    # not audio.
    check_language(language)
    # the limits of webapp.limits, each named in its error: text (bytes and lines, before
    # it is read), sentences (reading stops at the first over), length
    limits.read_checked(transcript, language, app.config)
    media_dir = Path(app.config["MEDIA_DIR"])
    duration = probe_duration(Path(audio))
    limits.check_duration(duration, app.config)
    store: Store = app.extensions["store"]
    # Each media file is claimed under this token before it is written, and the claims
    # are dropped only once the recording row names the files (or the import failed):
    # another import of the same audio can then never see its file taken away.
    token = secrets.token_hex(16)

    def claim(name: str) -> None:
        store.claim_media(token, name)

    remove = partial(remove_media, media_dir)
    try:
        original = store_file(Path(audio), media_dir, claim, link=link)
        rendition = make_rendition(original.path, media_dir, claim)
        rid = store.add_recording(
            title=title, language=language, transcript=transcript, audio_name=original.name,
            audio_sha256=original.sha256, rendition_name=rendition.name, duration_ms=duration,
            note=note, source_url=source_url,
        )
    except BaseException:
        # what no recording and no other import uses is taken away again (Ctrl-C too)
        store.release_media(token, remove)
        raise
    store.release_media(token)
    return rid
