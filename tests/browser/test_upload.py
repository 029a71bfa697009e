"""Upload, watch, log in and CSRF in real Chromium, against the app with a real queue.

The upload goes through the library's form with its progress bar (the connection slowed
down with Chromium's network emulation, so the progress can be seen); the player then
shows the job, a real worker thread aligns the reading with the real aligner, and the
transcript appears without the page being reloaded. The screenshots taken on the way
(upload form, upload in progress, the job, the player after it) go to the folder named
by TP_SCREENSHOTS (`TP_SCREENSHOTS=docs/screenshots` renews the documentation's), else to
the temporary folder.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path

import pytest

from tests.browser.pages import until
from tests.helpers import RAW_TRANSCRIPT
from webapp import create_app
from webapp.auth import hash_password

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("TP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "tp-upload-shots")
PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app as `serve` runs it on loopback (open editing until an editor exists), with
    jobs on a real queue that the test starts a worker for."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "HUEY_IMMEDIATE": False, "LISTEN_HOST": "127.0.0.1"})
    yield app
    app.extensions["store"].dispose()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def _expected_errors(page, status: int) -> None:  # type: ignore[no-untyped-def]
    """Take from the page's console errors the ones Chromium logs for a refusal with
    `status` that the test asked for (the page fixture fails on any left)."""
    errors = page.console_errors
    # Chromium's line for the resource, and htmx's own for a response it does not swap
    expected = [e for e in errors if f"status of {status}" in e or f"Code {status} " in e]
    assert expected, errors
    errors[:] = [e for e in errors if e not in expected]


def _record_status(page) -> None:  # type: ignore[no-untyped-def]
    """Keep every text the job's status shows, and how many times the page loaded."""
    page.evaluate("""(() => {
        window.__seen = [];
        const note = () => {
            const el = document.getElementById('job-status');
            const text = el ? el.textContent.replace(/\\s+/g, ' ').trim() : '';
            if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
        };
        note();
        new MutationObserver(note).observe(document.body, {subtree: true, childList: true,
                                                            characterData: true, attributes: true});
        window.__sameDocument = 'yes';
    })()""")


def test_upload_with_progress_then_watch_it_align(page, live_server, app, speech) -> None:
    from webapp.jobs import start_consumer_threads, stop_consumer_threads

    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(live_server.url + "/")
    form = page.locator("#upload-form")
    assert form.is_visible()  # an empty library opens the form
    page.fill("#upload-title", "Harbour talk")
    page.set_input_files("#upload-audio", str(speech.wav))
    page.fill("#upload-text", RAW_TRANSCRIPT)
    page.select_option("#upload-language", "eng")
    _shot(page, "upload-form.png")

    # a slow line, so the upload takes a couple of seconds and its progress shows
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = max(64 * 1024, speech.wav.stat().st_size // 3)  # bytes a second: about 3 s
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": rate})
    # what the bar shows at each step, kept across the navigation that follows
    page.evaluate("""(() => {
        const bar = document.getElementById('upload-bar');
        const keep = () => {
            const seen = JSON.parse(sessionStorage.getItem('bar') || '[]');
            seen.push(Number(bar.value));
            sessionStorage.setItem('bar', JSON.stringify(seen));
        };
        new MutationObserver(keep).observe(bar, {attributes: true, attributeFilter: ['value']});
        const form = document.getElementById('upload-form');
        form.addEventListener('htmx:xhr:progress', keep);
        form.addEventListener('htmx:afterRequest', keep);
    })()""")
    page.click("#upload-form button[type=submit]")
    until(page, "!document.getElementById('upload-progress').hidden")
    until(page, "JSON.parse(sessionStorage.getItem('bar') || '[]')"
                ".some(v => v > 0 && v < 100)", timeout=15000)
    _shot(page, "upload-progress.png")
    # HX-Redirect takes the browser to the player
    page.wait_for_url(re.compile(r"/r/[a-z0-9-]+$"), timeout=30000)
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    bar = page.evaluate("JSON.parse(sessionStorage.getItem('bar'))")
    assert bar == sorted(bar) and max(bar) == 100 and len(set(bar)) >= 3, bar
    rid = page.url.rsplit("/", 1)[1]

    # queued: no worker yet
    _record_status(page)
    status = page.locator("#job-status")
    assert "Queued: waiting for a worker" in status.inner_text()
    assert page.locator("#transcript a.s").count() == 0
    assert "The café on the pier opens at nine." in page.locator("#transcript").inner_text()
    _shot(page, "upload-queued.png")

    consumer = start_consumer_threads(app.extensions["huey"], workers=1)
    try:
        # the worker takes it; the transcript appears in the same document, playable
        until(page, "document.querySelectorAll('#transcript a.s').length >= 6", timeout=90000)
    finally:
        stop_consumer_threads(consumer, timeout=10)
    assert page.evaluate("window.__sameDocument") == "yes"  # no reload
    seen = page.evaluate("window.__seen")
    assert seen[0].startswith("Queued: waiting for a worker"), seen
    assert page.locator("#job-status").count() == 0  # the poll has ended with the job
    # the player runs on the new transcript: a click plays from that sentence; the
    # Edit switch the job's page did not have is loaded and started too (the page is
    # for listening: no editing tool until it is pressed)
    until(page, "window.transcriptPlayer && window.transcriptPlayer.sentences.length >= 6")
    page.wait_for_selector("#edit-switch:not([hidden])", timeout=5000)
    assert page.locator("#edit-bar").is_hidden()
    target = page.locator("#transcript a.s", has_text="The café on the pier")
    target.click()
    until(page, "!document.getElementById('audio').paused", timeout=5000)
    begin = float(target.get_attribute("data-begin"))
    t = page.evaluate("document.getElementById('audio').currentTime")
    assert begin - 0.1 <= t <= begin + 2.5, (begin, t)
    page.evaluate("document.getElementById('audio').pause()")
    status = app.test_client().get(f"/r/{rid}/status.json").get_json()
    assert status["state"] == "done" and status["progress"] == 1.0
    _shot(page, "upload-aligned.png")


def test_watching_shows_the_stage_and_its_progress(page, live_server, app, speech) -> None:
    """While a job runs, the page shows its stage and a progress bar (the job's row set
    as a worker sets it, then the real worker finishes it)."""
    from webapp.importer import store_recording
    from webapp.jobs import enqueue_alignment

    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Harbour talk")
    job = enqueue_alignment(app, rid)
    store = app.extensions["store"]
    page.goto(f"{live_server.url}/r/{rid}")
    _record_status(page)
    store.update_job(job, status="running", stage="aligning", percent=42.0)
    until(page, "/finding each sentence/.test(document.getElementById('job-status')"
                ".textContent)", timeout=5000)
    assert page.locator("#job-status progress").get_attribute("value") == "42.0"
    assert "42%" in page.locator("#job-status").inner_text()
    _shot(page, "upload-aligning.png")


def test_a_failure_says_why_and_retry_aligns_it(page, live_server, app, speech,
                                                tmp_path) -> None:
    import shutil

    from webapp.importer import store_recording
    from webapp.jobs import enqueue_alignment, start_consumer_threads, stop_consumer_threads

    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Harbour talk")
    media = Path(app.config["MEDIA_DIR"])
    name = app.extensions["store"].get_recording(rid).audio_name
    shutil.move(media / name, tmp_path / "kept")  # the job will not find its audio
    consumer = start_consumer_threads(app.extensions["huey"], workers=1)
    try:
        enqueue_alignment(app, rid)
        page.goto(f"{live_server.url}/r/{rid}")
        until(page, "/The alignment failed/.test(document.body.textContent)", timeout=60000)
        text = page.locator("#job-status").inner_text()
        assert name in text and app.config["DATA_DIR"] not in text
        assert "The audio and the transcript are kept." in text
        _shot(page, "upload-failed.png")
        _record_status(page)
        shutil.move(tmp_path / "kept", media / name)
        page.click("#job-status button:has-text('Retry')")
        until(page, "document.querySelectorAll('#transcript a.s').length >= 6", timeout=90000)
    finally:
        stop_consumer_threads(consumer, timeout=10)
    assert page.evaluate("window.__sameDocument") == "yes"


# ---------------------------------------------------------------- logins and CSRF

def test_an_editor_logs_in_in_the_browser(page, live_server, app) -> None:
    app.extensions["users"].set("dana", hash_password(PASSWORD))
    page.goto(live_server.url + "/")
    assert page.locator("#upload-form").count() == 0
    page.click("footer.site a:has-text('Editors: log in')")
    page.fill("#login-name", "dana")
    page.fill("#login-password", "not the password")
    page.click(".stack-form button[type=submit]")
    assert "do not match an editor" in page.locator("#login-error").inner_text()
    assert page.locator("#upload-form").count() == 0
    _expected_errors(page, 401)
    page.fill("#login-password", PASSWORD)
    page.click(".stack-form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("#upload-form").count() == 1
    assert "dana" in page.locator("header.site").inner_text()
    cookie = next(c for c in page.context.cookies() if c["name"] == "tp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    _shot(page, "login-editor.png")
    page.click("header.site button:has-text('Log out')")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("#upload-form").count() == 0


def test_forged_requests_are_refused(page, live_server, app, speech) -> None:
    """A form on another site that posts here carries no token (and, SameSite=Lax, no
    session cookie); a form on this site with a tampered token is refused too."""
    from werkzeug.serving import make_server

    app.extensions["users"].set("dana", hash_password(PASSWORD))
    page.goto(live_server.url + "/login")
    page.fill("#login-name", "dana")
    page.fill("#login-password", PASSWORD)
    page.click(".stack-form button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    # another site ("localhost" is another site than 127.0.0.1) posts a logout here
    evil_html = (f'<!doctype html><form id="f" method="post" action="{live_server.url}/logout">'
                 '<input name="csrf_token" value="guess"><button>Win a prize</button></form>')

    def evil(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [("Content-Type", "text/html")])
        return [evil_html.encode()]

    server = make_server("localhost", 0, evil)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://localhost:{server.server_port}/")
        page.click("text=Win a prize")
        page.wait_for_load_state()
        assert "security token is missing or does not match" in page.content()
        _expected_errors(page, 400)
    finally:
        server.shutdown()
        thread.join(5)
    page.goto(live_server.url + "/")
    assert "dana" in page.locator("header.site").inner_text()  # still logged in

    # this site's own form with its token tampered with (and htmx's header removed)
    page.evaluate("""(() => {
        document.body.removeAttribute('hx-headers');
        document.querySelector('#upload-form input[name=csrf_token]').value = 'tampered';
    })()""")
    page.fill("#upload-title", "Forged")
    page.set_input_files("#upload-audio", str(speech.wav))
    page.fill("#upload-text", RAW_TRANSCRIPT)
    page.click("#upload-form button[type=submit]")
    until(page, "!!document.querySelector('#upload-feedback .form-error')")
    assert "security token" in page.locator("#upload-feedback").inner_text()
    assert app.extensions["store"].list_recordings() == []
    _expected_errors(page, 400)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_the_forms(browser, live_server, app, speech,
                                                     scheme) -> None:
    """axe-core on the upload form (empty and with its problems), the job's status
    (queued, failed with Retry) and the login page, in both themes."""
    from tests.browser.pages import axe_violations
    from webapp.importer import store_recording
    from webapp.jobs import enqueue_alignment

    with app.app_context():
        queued = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Queued talk")
        failed = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Failed talk")
    enqueue_alignment(app, queued)
    store = app.extensions["store"]
    job = store.add_job(failed)
    store.update_job(job, status="failed", error="the audio is silent: nothing to align")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.click("#upload summary")  # recordings exist: the form starts folded
        page.wait_for_timeout(150)
        assert axe_violations(page) == [], "/"
        # sent as a plain form (as without script): the whole page comes back with the
        # problems, the fields marked
        with page.expect_navigation():
            page.locator("#upload-form").evaluate("f => f.submit()")
        assert page.locator("#upload-error li").count() == 3
        assert page.locator("#upload-title[aria-invalid=true]").count() == 1
        assert axe_violations(page) == [], "the form with its problems"
        for path in (f"/r/{queued}", f"/r/{failed}", "/login"):
            page.goto(live_server.url + path)
            page.wait_for_timeout(150)
            assert axe_violations(page) == [], path
    finally:
        context.close()


def test_a_bad_uploads_problem_is_in_sight_focused_and_on_its_field(browser, live_server,
                                                                     tmp_path) -> None:
    bad = tmp_path / "talk.mp3"
    bad.write_text("this is not audio at all\n" * 50)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(live_server.url + "/")
        page.fill("#upload-title", "Not audio")
        page.set_input_files("#upload-audio", str(bad))
        page.fill("#upload-text", RAW_TRANSCRIPT)
        page.locator("#upload-form button[type=submit]").scroll_into_view_if_needed()
        page.tap("#upload-form button[type=submit]")
        page.wait_for_selector("#upload-error")
        until(page, "document.activeElement && document.activeElement.id === 'upload-error'")
        box = page.evaluate("(() => { const r = document.getElementById('upload-error')"
                            ".getBoundingClientRect(); return [r.top, r.bottom]; })()")
        assert 0 <= box[0] and box[1] <= 844, box  # in sight
        assert page.get_attribute("#upload-audio", "aria-invalid") == "true"
        assert page.get_attribute("#upload-audio", "aria-describedby") == "upload-error"
        assert page.get_attribute("#upload-title", "aria-invalid") is None
        assert "audio" in page.inner_text("#upload-error").lower()
        assert all("422" in e for e in errors), errors  # only the refusal itself
    finally:
        context.close()


def _colours(png: bytes) -> int:
    """How many different byte values a PNG's pixel data holds (a blank box: a handful;
    drawn controls, with their text and icons: many). PNG is zlib inside: no imaging
    library needed."""
    import struct
    import zlib

    pos, data = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(data)))


def test_the_audio_bar_is_drawn_when_the_player_is_swapped_in_while_playing(page, live_server,
                                                                           app, speech) -> None:
    from webapp.jobs import start_consumer_threads, stop_consumer_threads

    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(live_server.url + "/")
    page.fill("#upload-title", "Harbour talk")
    page.set_input_files("#upload-audio", str(speech.wav))
    page.fill("#upload-text", RAW_TRANSCRIPT)
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/r/[a-z0-9-]+$"), timeout=30000)
    # the listener plays the recording while it is aligned (the audio's own play button)
    box = page.locator("#audio").bounding_box()
    page.mouse.click(box["x"] + 25, box["y"] + box["height"] / 2)
    until(page, "!document.getElementById('audio').paused")
    drawn = _colours(page.locator("#audio").screenshot())
    consumer = start_consumer_threads(app.extensions["huey"], workers=1)
    try:
        until(page, "document.querySelectorAll('#transcript a.s').length >= 6", timeout=90000)
    finally:
        stop_consumer_threads(consumer, timeout=10)
    page.wait_for_timeout(500)
    assert not page.evaluate("document.getElementById('audio').paused")  # played on
    after = _colours(page.locator("#audio").screenshot())
    assert after >= drawn * 0.6, (drawn, after)  # its time and scrubber are drawn
