"""The demo library: imported once, aligned again when a run stopped half-way."""

from __future__ import annotations

import alignment
from tests.helpers import RAW_TRANSCRIPT, reading_syncmap
from webapp.demo import ensure_recording
from webapp.importer import store_recording


def test_a_half_done_recording_is_reused_only_for_the_same_transcript(app, speech,
                                                                      monkeypatch) -> None:
    monkeypatch.setattr(alignment, "align",
                        lambda *a, **k: reading_syncmap(speech))
    store = app.extensions["store"]
    title = "Demo talk"
    # an earlier run stored the recording with an older transcript and stopped
    older = RAW_TRANSCRIPT.replace("That is all for today.", "That is all.")
    stale = store_recording(app, speech.wav, older, title=title)
    store.update_job(store.add_job(stale), status="failed", error="interrupted")

    item = ensure_recording(app, speech.wav, RAW_TRANSCRIPT, title=title, note="",
                            progress=lambda: None)
    assert item.created and item.recording_id != stale
    assert store.get_recording(item.recording_id).transcript == RAW_TRANSCRIPT
    assert store.get_recording(stale).transcript == older  # left as it was

    # the same transcript, stopped half-way: aligned again in place
    store.update_job(store.add_job(item.recording_id), status="failed", error="interrupted")
    again = ensure_recording(app, speech.wav, RAW_TRANSCRIPT, title=title, note="",
                             progress=lambda: None)
    assert again.recording_id == item.recording_id and again.created
    assert store.get_recording(item.recording_id).status == "ready"
    # and once ready, only found
    done = ensure_recording(app, speech.wav, RAW_TRANSCRIPT, title=title, note="",
                            progress=lambda: None)
    assert done.recording_id == item.recording_id and not done.created
