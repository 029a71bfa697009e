"""What the tests share besides fixtures: the test reading and how it is stored.

`synthesise` reads turns with espeak-ng, sentence by sentence, laid on a timeline with
pauses, so every sentence's begin and end are known exactly; `reading_syncmap` is that
reading's sync map as an aligner would give it; `add_reading` stores it in an app.
The fixtures built on them are in tests/conftest.py.
"""

from __future__ import annotations

import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from alignment.syncmap import Sentence, SetAside, SyncMap
from webapp.importer import store_recording

# (speaker, sentence): two speakers, a word with an accent for the search tests.
READING: list[tuple[str, str]] = [
    ("Host", "Welcome to the transcript player."),
    ("Host", "Today we talk about the old harbour bridge."),
    ("Guest", "Thank you for having me."),
    ("Guest", "The café on the pier opens at nine."),
    ("Guest", "Bridges need careful maintenance every year."),
    ("Host", "That is all for today."),
]
LEAD_IN_MS = 1000
PAUSE_MS = 600
RAW_TRANSCRIPT = """Episode 12, recorded live

HOST: Welcome to the transcript player. Today we talk about the old harbour bridge.

GUEST: Thank you for having me. [laughs] The café on the pier opens at nine.
Bridges need careful maintenance every year.

HOST: That is all for today.
"""


@dataclass(frozen=True)
class Speech:
    """A synthesised reading and its exact sentence times (ms)."""

    wav: Path
    sentences: list[Sentence]
    duration: int


def synthesise(turns: list[tuple[str, str]], out: Path) -> Speech:
    """Read the turns with espeak-ng (a voice per speaker) into one WAV; known times."""
    voices: dict[str, str] = {}
    clips: list[bytes] = []
    rate = 0
    params = None
    for speaker, text in turns:
        voice = voices.setdefault(speaker, ["en-us", "en-gb"][len(voices) % 2])
        proc = subprocess.run(["espeak-ng", "-v", voice, "-s", "190", "--stdout", text],
                              check=True, capture_output=True)
        part = out.with_suffix(".part.wav")
        part.write_bytes(proc.stdout)
        with wave.open(str(part), "rb") as w:
            params, rate = w.getparams(), w.getframerate()
            clips.append(w.readframes(w.getnframes()))
        part.unlink()
    assert params is not None

    def ms(samples: int) -> int:
        return int(round(samples * 1000 / rate))

    def silence(duration_ms: int) -> bytes:
        return b"\x00\x00" * int(rate * duration_ms / 1000)

    frames = [silence(LEAD_IN_MS)]
    pos = len(frames[0]) // 2  # samples so far
    sentences: list[Sentence] = []
    paragraph = 0
    for i, ((speaker, text), clip) in enumerate(zip(turns, clips, strict=True)):
        if i and turns[i - 1][0] != speaker:
            paragraph += 1
        n = len(clip) // 2
        sentences.append(Sentence(index=i, text=text, speaker=speaker, begin=ms(pos),
                                  end=ms(pos + n), confidence=0.9, aligned=True,
                                  paragraph=paragraph))
        gap = silence(PAUSE_MS if i < len(turns) - 1 else LEAD_IN_MS)
        frames += [clip, gap]
        pos += n + len(gap) // 2
    with wave.open(str(out), "wb") as w:
        w.setparams(params)
        w.writeframes(b"".join(frames))
    return Speech(wav=out, sentences=sentences, duration=ms(pos))


def reading_syncmap(speech: Speech) -> SyncMap:
    """The reading's sync map as an aligner would give it, with set-aside blocks."""
    sentences = list(speech.sentences)
    # one sentence is uncertain, so the page has something to mark
    s4 = sentences[4]
    sentences[4] = Sentence(index=s4.index, text=s4.text, speaker=s4.speaker, begin=s4.begin,
                            end=s4.end, confidence=0.2, aligned=True, paragraph=s4.paragraph)
    blocks = (
        SetAside(kind="header", text="Episode 12, recorded live", after=-1),
        SetAside(kind="label", text="HOST:", after=-1),
        SetAside(kind="label", text="GUEST:", after=1),
        SetAside(kind="direction", text="[laughs]", after=2),
        SetAside(kind="label", text="HOST:", after=4),
    )
    return SyncMap(sentences=tuple(sentences), set_aside=blocks, language="eng",
                   duration=speech.duration).with_ids()


def add_reading(app, speech: Speech, title: str = "Harbour talk") -> tuple[str, SyncMap]:
    """Store the reading with its known sync map; returns the recording id and the map."""
    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title=title, language="eng")
    syncmap = reading_syncmap(speech)
    app.extensions["store"].save_alignment(rid, syncmap)
    return rid, syncmap
