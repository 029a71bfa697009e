"""Fixtures for the web app (flaskr style) and for real-Chromium tests.

`app`, `client`: a fresh application on a temporary data folder (the commands are tested
with click's CliRunner on `webapp.cli.main`, not through Flask's CLI).
`speech`: a short reading synthesised with espeak-ng (`tests.helpers.synthesise`), so
every sentence's begin and end are known exactly.
`recording`: that reading stored in the app with its known timings (no aligner needed).
`seed_forms_reading`: the seed-clean reading cut as tests/data/seed-forms is (its audio
and truth), built once per session.
`live_server`: the app served on a real port for Playwright; `page`: a Chromium page.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from alignment.syncmap import SyncMap
from tests.helpers import READING, Speech, add_reading, synthesise
from testsupport.browser import CHROMIUM, LiveServer, launch
from webapp import create_app

# The suite's property tests draw the same examples on every run, so CI is reproducible;
# `pytest --hypothesis-profile=explore` draws new ones (and finds what the fixed ones miss).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile("ci")

# A shell that starts the suite in the background (`make test &`, nohup) ignores SIGINT,
# and children inherit an ignored signal across exec: the Ctrl-C tests' children would
# then never see their KeyboardInterrupt. A Python-level handler is reset to the default
# on exec, so the children start as they would from a terminal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

#: the fixtures that start a real server, and the marker of the tests that ask for them
SERVER_FIXTURES = {"postgres": "postgres", "pg_url": "postgres", "redis_url": "redis"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a real PostgreSQL or Redis is marked for it, so that
    `-m "not postgres"` leaves it out (`make test-fast`)."""
    for item in items:
        for fixture, mark in SERVER_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    """The test reading, synthesised once per session."""
    assert shutil.which("espeak-ng") and shutil.which("ffmpeg"), \
        "espeak-ng and ffmpeg are needed (make setup installs them)"
    return synthesise(READING, tmp_path_factory.mktemp("speech") / "reading.wav")


@pytest.fixture(scope="session")
def seed_forms_reading(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed-clean case (flite and festival voices) cut as the transcripts of
    tests/data/seed-forms are (`make_seed_forms.CUT`, about 2 minutes): a folder with
    `audio.wav` and `truth.json`, built once per session."""
    from benchmarks import corpus
    from tests.data.make_seed_forms import cut_reading

    out = tmp_path_factory.mktemp("corpus")
    corpus.make("seed-clean", out)
    return cut_reading(out / "seed-clean", out / "seed-forms")


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
def recording(app, speech: Speech) -> tuple[str, SyncMap]:
    """The reading stored in the app, aligned with its exact times."""
    return add_reading(app, speech)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test app served on a free port of 127.0.0.1."""
    with LiveServer(app) as server:
        app.config["SERVER_URL"] = server.url  # as `serve` names its own address
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


@pytest.fixture(scope="session")
def long_audio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten minutes of constant-bitrate silence, made once per session."""
    from testsupport.recordings import silent_mp3

    return silent_mp3(tmp_path_factory.mktemp("long") / "long.mp3", 600)


@pytest.fixture
def long_recording(app, long_audio: Path) -> tuple[str, SyncMap]:
    """240 sentences over ten minutes (fake timings): a page long enough to scroll."""
    from tests.browser.pages import add_long_recording

    return add_long_recording(app, long_audio)
