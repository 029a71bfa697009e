"""Shared links that play, the embed framed by another site, and clips from the share menu."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.browser.pages import audio_time, open_player, paused, select_across, until
from testsupport.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer
from webapp.moments import clock

pytestmark = pytest.mark.browser



def test_a_shared_link_plays_at_once_where_autoplay_is_allowed(page, live_server,
                                                                recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[3]
    open_player(page, live_server, f"/r/{rid}/s/{s.id}")
    until(page, "!document.getElementById('audio').paused")  # this browser allows it
    assert s.begin / 1000 - 0.05 <= audio_time(page) <= s.end / 1000
    # playing: no need for the button (it goes on the "play" event, just after)
    page.wait_for_selector("#play-from", state="hidden", timeout=5_000)
    assert page.get_attribute(f"#{s.id}", "aria-current") == "true"


def test_where_autoplay_is_blocked_one_obvious_play_button_starts_it(browser, live_server,
                                                                     recording) -> None:
    rid, syncmap = recording
    a, b = syncmap.sentences[2], syncmap.sentences[3]
    args = [x for x in CHROMIUM_ARGS if not x.startswith("--autoplay-policy")]
    strict = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*args, "--autoplay-policy=document-user-activation-required"])
    try:
        page = strict.new_page()
        open_player(page, live_server, f"/r/{rid}?t={a.begin / 1000}&end={b.end / 1000}")
        button = page.wait_for_selector("#play-from:not([hidden]) button")
        want = f"▶ Play the quote {clock(a.begin)}–{clock(b.end)}"
        assert button.inner_text().strip() == want
        page.wait_for_timeout(300)
        assert paused(page)  # the browser said no to starting on its own
        page.click("#play-from button")
        until(page, "!document.getElementById('audio').paused")
        assert a.begin / 1000 - 0.05 <= audio_time(page) <= b.end / 1000
        # the button goes on the "play" event, a task after `paused` turns false
        page.wait_for_selector("#play-from", state="hidden", timeout=5_000)
        until(page, "document.getElementById('audio').paused", timeout=15_000)
        assert b.end / 1000 - 0.01 <= audio_time(page) <= b.end / 1000 + 0.25
        # a moment without an end says where it plays from
        page.goto(f"{live_server.url}/r/{rid}?t=219")
        page.goto(f"{live_server.url}/r/{rid}?t={a.begin / 1000}")
        until(page, "!!window.transcriptPlayer")
        label = page.wait_for_selector("#play-from:not([hidden]) .play-from-label")
        assert label.inner_text() == f"Play from {clock(a.begin)}"
    finally:
        strict.close()


def test_the_embed_plays_inside_a_page_of_another_site(browser, live_server,
                                                       recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[3]
    embed = f"{live_server.url}/r/{rid}/embed?t={s.begin / 1000}"
    player = f"{live_server.url}/r/{rid}"
    host = f"""<!doctype html><title>Another site</title><h1>A blog post</h1>
        <iframe id="embed" src="{embed}" width="640" height="260"></iframe>
        <iframe id="player" src="{player}" width="640" height="260"></iframe>"""

    def blog(environ, start_response):  # another site: its own server, so its own origin
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [host.encode()]

    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        with LiveServer(blog) as other:
            assert other.url != live_server.url
            page.goto(other.url + "/post")
            page.frame_locator("#embed").locator("#transcript a.s").first.wait_for(
                state="attached")
            inner = next(f for f in page.frames if "/embed" in f.url)
            until(inner, "!!window.transcriptPlayer")
            # the quote is in the embed's window, between its neighbours
            inner.wait_for_selector(f"#{s.id}.quote")
            assert inner.is_visible(f"#{s.id}")
            # it does not start on its own on somebody else's page; its button does
            assert inner.evaluate("document.getElementById('audio').paused")
            inner.click("#play-from button")
            until(inner, "!document.getElementById('audio').paused")
            inner.wait_for_selector(f"#{s.id}[aria-current='true']")
            assert page.evaluate("window.scrollY") == 0  # following never scrolls the host
            out = inner.get_attribute(".embed-out", "href")
            assert out == f"{live_server.url}/r/{rid}?t={s.begin / 1000:g}"
            assert inner.get_attribute(".embed-out", "target") == "_blank"
            # the full player refuses to be framed by another site
            assert any("frame-ancestors" in e for e in errors), errors
            framed = [f for f in page.frames if f.url.startswith(player + "?")
                      or f.url == player]
            assert not framed or framed[0].evaluate("!document.getElementById('player')")
    finally:
        context.close()


def test_oembed_from_the_advertised_link(page, live_server, recording) -> None:
    rid, _ = recording
    open_player(page, live_server, f"/r/{rid}?t=5")
    href = page.get_attribute("link[type='application/json+oembed']", "href")
    data = json.loads(page.request.get(href).text())
    assert data["type"] == "rich" and f"/r/{rid}/embed?t=5" in data["html"]


def test_a_selected_quote_downloads_as_a_clip(browser, live_server, recording,
                                              tmp_path) -> None:
    rid, syncmap = recording
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}")
        a, b = syncmap.sentences[3], syncmap.sentences[4]
        select_across(page, a, b)
        page.wait_for_selector("#share-selection:not([hidden])")
        clip = page.locator("#share-selection a.download-clip")
        assert clip.inner_text() == "Download clip" and clip.is_visible()
        with page.expect_download() as info:
            clip.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.suffix == ".mp3"
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                                "-of", "csv=p=0", str(path)], capture_output=True, text=True,
                               check=True)
        assert abs(float(probe.stdout) - (b.end - a.begin) / 1000) < 0.1
        assert page.url.endswith(f"/r/{rid}")
    finally:
        context.close()
