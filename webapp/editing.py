"""Correcting a recording in place: its sentences' words, speakers and times, its
history of changes with undo, and deleting it.

    GET  /r/<rid>/s/<sid>/edit         the sentence's form (inline for htmx, else a page)
    POST /r/<rid>/s/<sid>/edit         text and speaker; new words re-align their stretch
    POST /r/<rid>/s/<sid>/timing       start and end (seconds); JSON for the editor script
    POST /r/<rid>/speakers             rename a speaker everywhere in the recording
    GET  /r/<rid>/history              the changes, newest first (a partial for htmx)
    POST /r/<rid>/history/<n>/undo     put back what change n replaced
    GET  /r/<rid>/delete               the confirmation; POST deletes

Editors only (`webapp.auth.editor_required`); every form carries the CSRF token, which
Flask-WTF's `CSRFProtect` (set up by `webapp.auth`) checks on every request that changes
something. Every change is written
with its history entry in one transaction (`webapp.history`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from alignment import Sentence, SyncMap, sentence_id
from webapp.auth import current_editor, editor_required
from webapp.history import (
    Change,
    Conflict,
    apply_change,
    get_change,
    list_changes,
    old_ids,
    redirect_target,
    row_of,
    steps,
    undo_change,
)
from webapp.limits import MAX_SENTENCE_CHARS, MAX_SPEAKER, MIN_SENTENCE_MS
from webapp.media import media_path, remove_media
from webapp.moments import clock, parse_seconds
from webapp.realign import realign, reword
from webapp.redirects import see_other
from webapp.request_helpers import get_store, recording_or_404, wants_partial
from webapp.store import RecordingInfo
from webapp.transcript_view import lay_out, timeline_segments
from webapp.words import page_times

__all__ = ["bp", "precise", "retime"]

bp = Blueprint("editing", __name__)

#: who made a change when editing is open to all (no editor defined yet, on loopback)
NO_LOGIN = "local editor"


def precise(ms: int) -> str:
    """Milliseconds as `m:ss.mmm` (or `h:mm:ss.mmm`), for times an editor sets."""
    return f"{clock(ms)}.{int(ms) % 1000:03d}"


def _who() -> str:
    return current_editor() or NO_LOGIN


def _ready(rid: str) -> tuple[RecordingInfo, SyncMap]:
    rec = recording_or_404(rid, with_transcript=False)
    syncmap = get_store().load_syncmap(rec)
    if not syncmap.sentences:
        abort(409, description="This recording is not aligned yet, so it has no sentences to "
                               "correct. Try again when its player shows the transcript.")
    return rec, syncmap


def _position(rid: str, syncmap: SyncMap, sid: str) -> int:
    """The position of sentence `sid`, or a 404 that says where it went."""
    for n, s in enumerate(syncmap.sentences):
        if s.id == sid:
            return n
    if redirect_target(get_store().engine, rid, sid):
        abort(409, description="This sentence was edited since the page was loaded, and has "
                               "a new link. Reload the page and edit it again.")
    abort(404, description="There is no such sentence in this recording. Reload the page.")


def _bad(message: str) -> None:
    abort(400, description=message)


def _text_field(value: str | None) -> str:
    text = " ".join((value or "").split())
    if not text:
        _bad("The sentence is empty. Write the words that are said; to hide a sentence, "
             "undo the change that made it instead.")
    if len(text) > MAX_SENTENCE_CHARS:
        _bad(f"The sentence is longer than {MAX_SENTENCE_CHARS} characters. Split what is "
             "said over several sentences.")
    return text


def _speaker_field(value: str | None) -> str | None:
    name = " ".join((value or "").split())
    if len(name) > MAX_SPEAKER:
        _bad(f"A speaker's name is at most {MAX_SPEAKER} characters.")
    return name or None


def _new_id(sentences: tuple[Sentence, ...], n: int, text: str) -> str:
    """An id for sentence `n` with new words: from the words, as every id is, and the
    first repeat number no other sentence uses."""
    taken = {s.id for k, s in enumerate(sentences) if k != n}
    k = 0
    while sentence_id(text, k) in taken:
        k += 1
    return sentence_id(text, k)


def _quote(text: str | None, limit: int = 80) -> str:
    if not text:
        return "no one"
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


# --------------------------------------------------------------------------- the form

@bp.get("/r/<rid>/s/<sid>/edit")
@editor_required
def edit_form(rid: str, sid: str) -> str:
    """The sentence's words and speaker in a form: in place for htmx, else a page that
    also has its times."""
    rec, syncmap = _ready(rid)
    n = _position(rid, syncmap, sid)
    inline = wants_partial()
    context = {"rec": rec, "s": syncmap.sentences[n], "n": n, "inline": inline,
               "speakers": syncmap.speakers, "precise": precise}
    if inline:
        return render_template("_edit_sentence.html", **context)
    return render_template("edit_sentence.html", **context)


@bp.post("/r/<rid>/s/<sid>/edit")
@editor_required
def save_sentence(rid: str, sid: str):  # type: ignore[no-untyped-def]
    """New words re-align the stretch between the sentence's trusted neighbours; a new
    speaker is set on the sentence, or on all of that speaker's with `everywhere`."""
    rec, syncmap = _ready(rid)
    n = _position(rid, syncmap, sid)
    s = syncmap.sentences[n]
    text = _text_field(request.form.get("text", s.text))
    speaker = _speaker_field(request.form.get("speaker", s.speaker or ""))
    everywhere = request.form.get("everywhere") == "on"
    sentences = list(syncmap.sentences)
    notes = []
    kind = "speaker"
    if speaker != s.speaker and everywhere and s.speaker:
        if text == s.text:
            return _rename(rec, syncmap, s.speaker, speaker)
        sentences = [replace(x, speaker=speaker) if x.speaker == s.speaker else x
                     for x in sentences]
        count = sum(x.speaker == s.speaker for x in syncmap.sentences)
        notes.append(f"speaker {_quote(s.speaker)} renamed {_quote(speaker)} everywhere "
                     f"({count} sentence{'s' if count != 1 else ''})")
    elif speaker != s.speaker:
        sentences[n] = replace(sentences[n], speaker=speaker)
        notes.append(f"speaker {_quote(s.speaker)} → {_quote(speaker)}")
    if text != s.text:
        kind = "text"
        sentences[n] = replace(sentences[n], text=text, id=_new_id(syncmap.sentences, n, text))
        span, placed = realign(_audio(rec), sentences, {n}, syncmap.duration or rec.duration_ms,
                               rec.language)
        sentences[span.first: span.last + 1] = placed
        notes.insert(0, f"{_quote(s.text)} → {_quote(text)}")
        others = span.last - span.first
        notes.append(f"re-aligned {precise(span.begin)}–{precise(span.end)}"
                     + (f" with {others} sentence{'s' if others != 1 else ''} beside it"
                        if others else ""))
    summary = f"Sentence {n + 1}: " + "; ".join(notes) if notes else ""
    if not summary:
        return _answer(rec, None, "Nothing to change.", sid)
    change = _apply(rec, syncmap, kind, summary, sentences)
    message = "Saved."
    if kind == "text":
        message = ("Saved and re-aligned." if sentences[n].aligned else
                   "Saved, but these words were not found in the audio there: the time "
                   "shown is an estimate. Set it by hand, or check the words.")
    return _answer(rec, change, message, sentences[n].id, play=kind == "text",
                   warn=kind == "text" and not sentences[n].aligned)


def _audio_file(rec: RecordingInfo) -> Path | None:
    """The recording's audio as uploaded (else its rendition); None when it is gone."""
    media_dir = Path(current_app.config["MEDIA_DIR"])
    return media_path(media_dir, rec.audio_name) or media_path(media_dir, rec.rendition_name)


def _audio(rec: RecordingInfo) -> Path:
    source = _audio_file(rec)
    if source is None:
        abort(409, description="The audio of this recording is missing from the server, so "
                               "the sentence cannot be re-aligned.")
    return source


def _apply(rec: RecordingInfo, syncmap: SyncMap, kind: str, summary: str,
           sentences: list[Sentence]) -> Change:
    """Write the sentences that differ from `syncmap`'s, with their history entry; a 409
    that says why when someone else changed them first."""
    before = {s.index: row_of(s) for s in syncmap.sentences}
    after = [row_of(s) for s, old in zip(sentences, syncmap.sentences, strict=True)
             if s != old]
    try:
        return apply_change(get_store().engine, rec.id, kind=kind, editor=_who(),
                            summary=summary, after=after,
                            expect={r["idx"]: before[r["idx"]] for r in after})
    except Conflict as err:
        abort(409, description=f"Not saved: {err}.")


def _answer(rec: RecordingInfo, change: Change | None, message: str, sid: str | None = None,
            play: bool = False, warn: bool = False) -> Any:
    """After a change: for htmx the transcript again (and, out of band, the timeline's
    segments and the speakers), with an event the editor script follows (`play`: play
    the sentence `sid`, to hear where it was placed; `warn`: the message is a warning);
    else back to the page."""
    if not wants_partial():
        target = url_for("player.show", rid=rec.id) + (f"#{sid}" if sid else "")
        return redirect(target, 303)
    html = render_template("_edit_applied.html", **_transcript_context(rec))
    detail = {"message": message, "change": change.id if change else None, "sid": sid,
              "play": play, "warn": warn}
    # after the settle, so the script finds the new sentences in the page
    return Response(html, headers={"HX-Trigger-After-Settle":
                                   json.dumps({"transcript-edited": detail})})


def _transcript_context(rec: RecordingInfo) -> dict[str, Any]:
    """What `_transcript.html` and the timeline's segments need."""
    syncmap = get_store().load_syncmap(rec)
    layout = lay_out(syncmap)
    low = current_app.config["LOW_CONFIDENCE"]
    return {
        "rec": rec, "syncmap": syncmap, "layout": layout, "quoted": set(),
        "quoted_first": None, "quoted_last": None, "low_confidence": low,
        "base": url_for("player.show", rid=rec.id),
        "segments": timeline_segments(syncmap, layout.speakers, low),
        "duration": syncmap.duration or rec.duration_ms,
        "aliases": old_ids(get_store().engine, rec.id),
    }


# --------------------------------------------------------------------------- times

def retime(sentences: list[Sentence], n: int, begin: int, end: int, duration: int
           ) -> list[Sentence]:
    """Sentence `n` moved to `begin`..`end` (ms), set by hand (found, certain).

    A neighbour whose edge touched the moved one's, or that the move now overlaps, has
    its edge moved along (finetuneas's "couple"); a gap between them stays a gap.
    ValueError with the reason when the times cannot be set.
    """
    s = sentences[n]
    if not 0 <= begin < end <= duration:
        raise ValueError(f"the times must be within the recording (0:00.000–{precise(duration)})"
                         ", with the start before the end")
    if end - begin < MIN_SENTENCE_MS:
        raise ValueError(f"a sentence is at least {MIN_SENTENCE_MS} ms long")
    out = list(sentences)
    out[n] = replace(s, begin=begin, end=end, aligned=True, confidence=1.0)
    if n > 0:
        p = out[n - 1]
        if p.end > begin or p.end == s.begin:
            if begin - p.begin < MIN_SENTENCE_MS:
                raise ValueError(f"that start would leave sentence {n} (before it) shorter "
                                 f"than {MIN_SENTENCE_MS} ms; move that one first")
            out[n - 1] = replace(p, end=begin)
    if n + 1 < len(out):
        x = out[n + 1]
        if x.begin < end or x.begin == s.end:
            if x.end - end < MIN_SENTENCE_MS:
                raise ValueError(f"that end would leave sentence {n + 2} (after it) shorter "
                                 f"than {MIN_SENTENCE_MS} ms; move that one first")
            out[n + 1] = replace(x, begin=end)
    return out


def _seconds_field(name: str, default: int) -> int:
    raw = request.form.get(name)
    if raw is None or not raw.strip():
        return default
    value = parse_seconds(raw.strip())
    if value is None:
        _bad(f"The {name} “{raw[:40]}” is not a time: give seconds (83.25) or m:ss.mmm "
             "(1:23.250).")
    return int(value)


@bp.post("/r/<rid>/s/<sid>/timing")
@editor_required
def save_timing(rid: str, sid: str):  # type: ignore[no-untyped-def]
    """Move the sentence's start and end (`begin`, `end`: seconds or m:ss.mmm). The
    editor script asks for JSON: the sentences that moved, their classes and the
    timeline's segments; a plain form goes back to the page."""
    rec, syncmap = _ready(rid)
    n = _position(rid, syncmap, sid)
    s = syncmap.sentences[n]
    begin, end = _seconds_field("begin", s.begin), _seconds_field("end", s.end)
    duration = syncmap.duration or rec.duration_ms
    try:
        sentences = retime(list(syncmap.sentences), n, begin, end, duration)
    except ValueError as err:
        _bad(f"Not saved: {err}.")
    # the words of a sentence whose edges moved are found again inside its new span (or
    # dropped): none may be left outside it
    edges = [k for k, (t, old) in enumerate(zip(sentences, syncmap.sentences, strict=True))
             if (t.begin, t.end) != (old.begin, old.end)]
    sentences = reword(_audio_file(rec), sentences, edges, rec.language)
    moves = []
    if begin != s.begin:
        moves.append(f"start {precise(s.begin)} → {precise(begin)}")
    if end != s.end:
        moves.append(f"end {precise(s.end)} → {precise(end)}")
    if not moves and sentences[n] == s:
        return _timing_answer(rec, None, [], sid)
    change = _apply(rec, syncmap, "timing", f"Sentence {n + 1}: " + "; ".join(moves or
                    ["times confirmed"]), sentences)
    moved = [t for t, old in zip(sentences, syncmap.sentences, strict=True) if t != old]
    return _timing_answer(rec, change, moved, sid)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def _timing_answer(rec: RecordingInfo, change: Change | None, moved: list[Sentence],
                   sid: str) -> Any:
    if not _wants_json():
        return _answer(rec, change, "Saved.", sid)
    context = _transcript_context(rec)
    low = context["low_confidence"]
    return jsonify(
        change=change.id if change else None,
        summary=change.summary if change else "",
        sentences=[{
            "id": t.id, "begin": round(t.begin / 1000, 3), "end": round(t.end / 1000, 3),
            "css": "unaligned" if not t.aligned else ("low" if t.confidence < low else ""),
            # the words' times as the page carries them ("" when it has none any more)
            "words": page_times(t.words),
        } for t in moved],
        segments=render_template("_timeline_segments.html", **context),
    )


# --------------------------------------------------------------------------- speakers

@bp.post("/r/<rid>/speakers")
@editor_required
def rename_speaker(rid: str):  # type: ignore[no-untyped-def]
    """Rename speaker `old` to `new` in every sentence of the recording."""
    rec, syncmap = _ready(rid)
    old = _speaker_field(request.form.get("old"))
    new = _speaker_field(request.form.get("new"))
    if old is None or old not in syncmap.speakers:
        _bad("Choose one of this recording's speakers to rename.")
    if new is None:
        _bad("Give the speaker's new name.")
    return _rename(rec, syncmap, old, new)


def _rename(rec: RecordingInfo, syncmap: SyncMap, old: str, new: str | None) -> Any:
    sentences = [replace(s, speaker=new) if s.speaker == old else s for s in syncmap.sentences]
    count = sum(s.speaker == old for s in syncmap.sentences)
    summary = (f"Speaker {_quote(old)} renamed {_quote(new)} "
               f"({count} sentence{'s' if count != 1 else ''})")
    change = _apply(rec, syncmap, "rename", summary, sentences)
    return _answer(rec, change, f"Renamed in {count} sentence{'s' if count != 1 else ''}.")


# --------------------------------------------------------------------------- history

@bp.get("/r/<rid>/history")
@editor_required
def history(rid: str) -> str:
    """The recording's changes, newest first, each with who, when, before and after."""
    rec = recording_or_404(rid, with_transcript=False)
    changes = list_changes(get_store().engine, rid)
    inline = wants_partial()
    undo_id, redo_id = steps(changes)
    return render_template("_history.html" if inline else "history.html", rec=rec,
                           changes=changes, details=_details, inline=inline,
                           undo_id=undo_id, redo_id=redo_id)


def _details(change: Change) -> list[dict[str, str]]:
    """Per sentence the change touched, what it was and what it became, in words."""
    after = {r["idx"]: r for r in change.after}
    out = []
    for b in change.before:
        a = after.get(b["idx"], b)
        parts_b, parts_a = [], []
        for key, label in (("text", ""), ("speaker", "speaker "), ("begin_ms", "start "),
                           ("end_ms", "end ")):
            if b[key] != a[key]:
                if key in ("begin_ms", "end_ms"):
                    parts_b.append(label + precise(b[key]))
                    parts_a.append(label + precise(a[key]))
                else:
                    parts_b.append(label + _quote(b[key], 200))
                    parts_a.append(label + _quote(a[key], 200))
        if parts_b:
            out.append({"n": str(b["idx"] + 1), "before": ", ".join(parts_b),
                        "after": ", ".join(parts_a)})
    return out


@bp.post("/r/<rid>/history/<int:change_id>/undo")
@editor_required
def undo(rid: str, change_id: int):  # type: ignore[no-untyped-def]
    """Put back what a change replaced (itself kept as a change)."""
    rec = recording_or_404(rid, with_transcript=False)
    engine = get_store().engine
    if get_change(engine, rid, change_id) is None:
        abort(404, description=f"There is no change {change_id} in this recording's history.")
    try:
        change = undo_change(engine, rid, change_id, _who())
    except Conflict as err:
        abort(409, description=f"Not undone: {err}.")
    if not wants_partial() and request.form.get("back") == "history":
        return redirect(url_for("editing.history", rid=rid), 303)
    sid = change.after[0]["sid"] if change.after else None
    return _answer(rec, change, "Undone.", sid)


# --------------------------------------------------------------------------- delete

@bp.get("/r/<rid>/delete")
@editor_required
def confirm_delete(rid: str) -> str:
    """Ask before deleting: what goes with the recording, and what stays."""
    rec = recording_or_404(rid, with_transcript=False)
    count = len(get_store().load_syncmap(rec).sentences)
    return render_template("delete_recording.html", rec=rec, sentence_count=count)


@bp.post("/r/<rid>/delete")
@editor_required
def delete(rid: str):  # type: ignore[no-untyped-def]
    """Delete the recording, its sentences, jobs and history; its media files go once no
    other recording uses them (`Store.delete_recording`)."""
    recording_or_404(rid, with_transcript=False)
    remove = partial(remove_media, Path(current_app.config["MEDIA_DIR"]))
    if not get_store().delete_recording(rid, remove):
        abort(404, description=f"There is no recording called “{rid}”.")
    return see_other(url_for("library.index"))
