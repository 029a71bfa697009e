"""Issue 11, hardening: what an unlucky operator or a hostile client must not break."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.helpers import RAW_TRANSCRIPT
from webapp import importer


def test_an_interrupted_import_leaves_the_other_imports_audio(app, speech,
                                                               monkeypatch) -> None:
    """Two imports of one audio file; Ctrl-C on one while the other is still encoding
    must not take away the content-addressed file the other is about to play."""
    media = Path(app.config["MEDIA_DIR"])
    real = importer.make_rendition
    other_encoding, interrupted = threading.Event(), threading.Event()

    def rendition(src, media_dir, claim=None):
        if threading.current_thread().name == "other":
            other_encoding.set()
            assert interrupted.wait(30)
            return real(src, media_dir, claim)
        raise KeyboardInterrupt  # Ctrl-C while this import encodes

    monkeypatch.setattr(importer, "make_rendition", rendition)
    result: dict[str, object] = {}

    def other() -> None:
        try:
            result["rid"] = importer.store_recording(app, speech.wav, RAW_TRANSCRIPT,
                                                     title="Other")
        except BaseException as err:  # noqa: BLE001 - reported below
            result["error"] = err

    thread = threading.Thread(target=other, name="other")
    thread.start()
    assert other_encoding.wait(30)
    with pytest.raises(KeyboardInterrupt):
        importer.store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Interrupted")
    interrupted.set()
    thread.join(60)
    assert "error" not in result, result.get("error")
    rec = app.extensions["store"].get_recording(result["rid"])
    assert (media / rec.audio_name).is_file() and (media / rec.rendition_name).is_file()
    # the claims are gone once the recording names its files: only the two files remain
    assert sorted(p.name for p in media.iterdir()) == sorted(
        {rec.audio_name, rec.rendition_name})
    assert not app.extensions["store"].media_in_use("0" * 64 + ".mp3")
