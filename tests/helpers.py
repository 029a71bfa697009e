"""What the tests share besides fixtures: the test reading and how it is stored.

`synthesise` reads turns with espeak-ng, sentence by sentence, laid on a timeline with
pauses (`alignment.synthetic`), so every sentence's begin and end are known exactly;
`reading_syncmap` is that reading's sync map as an aligner would give it; `add_reading`
stores it in an app; `Serving` runs `transcript-player serve` in a process of its own.
`free_port` and `wait_for` are the project's one free-port finder and one polling loop
(`testsupport.servers`, below the tests and the benchmarks, which share them).
`children` and `command_line` read the processes a test started from Linux's /proc.
The fixtures built on them are in tests/conftest.py.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

from alignment import Sentence, SetAside, SyncMap
from alignment.synthetic import synthesize_reading
from testsupport.recordings import with_words
from testsupport.servers import free_port, wait_for

__all__ = ["RAW_TRANSCRIPT", "READING", "Serving", "Speech", "add_reading", "free_port",
           "reading_syncmap", "synthesise", "wait_for"]

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
#: eSpeak voices, one per speaker in turn, a little quicker than eSpeak's default pace
ESPEAK_VOICES = [("espeak", "en-us@0.92"), ("espeak", "en-gb@0.92")]
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
    """Read the turns with espeak-ng (a voice per speaker) into one WAV; known times.

    The reading is `alignment.synthetic`'s, the builder the demo and the benchmarks use,
    with eSpeak's voices (quick) and fixed pauses.
    """
    voices = {}
    for speaker, _ in turns:
        voices.setdefault(speaker, ESPEAK_VOICES[len(voices) % len(ESPEAK_VOICES)])
    gaps = [0.0] + [PAUSE_MS / 1000] * (len(turns) - 1)
    truth = synthesize_reading(turns, str(out), voices=voices, gaps=gaps,
                               lead=LEAD_IN_MS / 1000, tail=LEAD_IN_MS / 1000)
    sentences: list[Sentence] = []
    paragraph = 0
    for i, t in enumerate(truth):
        if i and truth[i - 1]["speaker"] != t["speaker"]:
            paragraph += 1
        sentences.append(Sentence(index=i, text=t["text"], speaker=t["speaker"],
                                  begin=round(t["begin"] * 1000), end=round(t["end"] * 1000),
                                  confidence=0.9, aligned=True, paragraph=paragraph))
    with wave.open(str(out), "rb") as w:
        duration = round(w.getnframes() * 1000 / w.getframerate())
    return Speech(wav=out, sentences=sentences, duration=duration)


def reading_syncmap(speech: Speech, words: bool = False) -> SyncMap:
    """The reading's sync map as an aligner would give it, with set-aside blocks (with
    `words`, each sentence's words too, each a share of its sentence by its length:
    `testsupport.recordings.words_by_length`)."""
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
    syncmap = SyncMap(sentences=tuple(sentences), set_aside=blocks, language="eng",
                      duration=speech.duration).with_ids()
    return with_words(syncmap) if words else syncmap


def add_reading(app, speech: Speech, title: str = "Harbour talk",
                words: bool = False) -> tuple[str, SyncMap]:
    """Store the reading with its known sync map (`words`: and its words' times), as
    an import of a JSON sync map would; returns the recording id and the map."""
    from webapp.importer import store_recording

    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title=title, language="eng")
    syncmap = reading_syncmap(speech, words=words)
    app.extensions["store"].save_alignment(rid, syncmap)
    return rid, syncmap


class Serving:
    """`transcript-player serve` in a process of its own on a free port of 127.0.0.1."""

    def __init__(self, data: Path, *args: str, env: dict[str, str] | None = None) -> None:
        import os
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = dict(os.environ, TRANSCRIPT_PLAYER_DATA=str(data))
        environ.pop("TRANSCRIPT_PLAYER_PUBLIC_URL", None)
        environ.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", "serve", "--port",
             str(self.port), "--workers", "0", *args],
            env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def get(self, path: str, headers: dict[str, str] | None = None,
            method: str = "GET", body: bytes | None = None):  # type: ignore[no-untyped-def]
        """(status, headers, body) of one request; waits for the server to start."""
        import http.client
        import time

        for _ in range(200):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request(method, path, body=body, headers=headers or {})
                resp = conn.getresponse()
                return resp.status, resp.headers, resp.read()
            except ConnectionRefusedError:
                assert self.proc.poll() is None, self.proc.stderr.read().decode()
                time.sleep(0.1)
            finally:
                conn.close()
        raise AssertionError("serve did not answer")

    def __enter__(self) -> Serving:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def children(pid: int) -> list[int]:
    """The live children of `pid`, whichever of its threads started them (a process
    started from a thread is listed under that thread, /proc/PID/task/TID/children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def command_line(pid: int) -> str:
    """The command line of `pid`, its arguments joined by spaces ("" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except (FileNotFoundError, ProcessLookupError):
        return ""
