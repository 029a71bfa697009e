"""Fixtures for the web app (flaskr style) and for real-Chromium tests.

`app`, `client`, `runner`: a fresh application on a temporary data folder.
`speech`: a short reading synthesised with espeak-ng, sentence by sentence, laid on a
timeline with pauses, so every sentence's begin and end are known exactly.
`recording`: that reading stored in the app with its known timings (no aligner needed).
`live_server`: the app served on a real port for Playwright; `page`: a Chromium page.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alignment.syncmap import Sentence, SetAside, SyncMap
from benchmarks.browser import CHROMIUM, LiveServer, launch
from webapp import create_app
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


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    """The test reading, synthesised once per session."""
    assert shutil.which("espeak-ng") and shutil.which("ffmpeg"), \
        "espeak-ng and ffmpeg are needed (make setup installs them)"
    return synthesise(READING, tmp_path_factory.mktemp("speech") / "reading.wav")


@pytest.fixture
def app(tmp_path: Path):
    """A fresh app on an empty data folder; jobs run at once (Huey immediate mode)."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "HUEY_IMMEDIATE": True})
    yield app
    app.extensions["store"].dispose()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


def add_reading(app, speech: Speech, title: str = "Harbour talk") -> tuple[str, SyncMap]:
    """Store the reading with its known sync map; returns the recording id and the map."""
    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title=title, language="eng")
    syncmap = reading_syncmap(speech)
    app.extensions["store"].save_alignment(rid, syncmap)
    return rid, syncmap


@pytest.fixture
def recording(app, speech: Speech) -> tuple[str, SyncMap]:
    """The reading stored in the app, aligned with its exact times."""
    return add_reading(app, speech)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test app served on a free port of 127.0.0.1."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own download)."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make setup installs it)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page; fails the test on any console error (a CSP violation, a script error).

    It needs the live server so that it closes first: a server stopped under a page that
    is still streaming audio would log a connection error.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"console errors: {errors}"
