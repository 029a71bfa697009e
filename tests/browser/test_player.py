"""The player in real Chromium: playback lights the right sentence, seeks, search, share links.

The reading's sentence times are known exactly (tests/helpers.py synthesises it), so
these tests check the page against the truth, not against the aligner.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    CURRENT,
    audio_time,
    new_page,
    open_player,
    paused,
    select_across,
    until,
)
from webapp.moments import clock

pytestmark = pytest.mark.browser


def test_playback_lights_the_sentence_being_said(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    assert page.locator(CURRENT).count() == 0
    page.click("button[data-action='toggle']")
    second = syncmap.sentences[1]
    page.wait_for_selector(f"#{second.id}[aria-current='true']", timeout=10_000)
    t = audio_time(page)
    assert second.begin / 1000 - 0.05 <= t < syncmap.sentences[2].begin / 1000
    assert page.locator(CURRENT).count() == 1
    assert page.get_attribute("button[data-action='toggle']", "aria-label") == "Pause"
    # the playhead on the timeline moves with it
    x = float(page.get_attribute("#playhead", "x1"))
    assert abs(x / 1000 - audio_time(page)) < 0.5
    page.keyboard.press("Space")
    until(page, "document.getElementById('audio').paused")


def test_click_on_a_sentence_plays_from_it(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    target = syncmap.sentences[3]
    page.click(f"#{target.id}")
    until(page, "!document.getElementById('audio').paused")
    assert page.get_attribute(f"#{target.id}", "aria-current") == "true"
    t = audio_time(page)
    assert target.begin / 1000 - 0.05 <= t <= target.end / 1000
    assert page.url.endswith(f"/r/{rid}")  # played in place, not followed as a link


def test_enter_on_a_focused_sentence_plays_it(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    target = syncmap.sentences[2]
    page.focus(f"#{target.id}")
    page.keyboard.press("Enter")
    until(page, "!document.getElementById('audio').paused")
    assert page.get_attribute(f"#{target.id}", "aria-current") == "true"


def test_seek_while_paused_moves_the_light(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    for s in (syncmap.sentences[4], syncmap.sentences[0], syncmap.sentences[5]):
        page.evaluate(f"document.getElementById('audio').currentTime = {(s.begin + 300) / 1000}")
        page.wait_for_selector(f"#{s.id}[aria-current='true']")
        assert paused(page)


def test_keys_move_between_sentences(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    page.keyboard.press("j")
    page.wait_for_selector(f"#{syncmap.sentences[0].id}[aria-current='true']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("j")
    page.wait_for_selector(f"#{syncmap.sentences[2].id}[aria-current='true']")
    page.keyboard.press("k")
    page.wait_for_selector(f"#{syncmap.sentences[1].id}[aria-current='true']")
    page.keyboard.press("ArrowRight")  # five seconds on
    until(page, f"Math.abs(document.getElementById('audio').currentTime - "
                           f"{syncmap.sentences[1].begin / 1000 + 5}) < 0.1")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_search_hit_jumps_and_plays(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    page.fill("#q", "CAFE")  # htmx, as you type
    hit = page.wait_for_selector("#search-results a.hit")
    assert hit.inner_html().count("<mark>café</mark>") == 1
    hit.click()
    target = syncmap.sentences[3]
    page.wait_for_selector(f"#{target.id}[aria-current='true']")
    assert not paused(page)
    assert target.begin / 1000 - 0.05 <= audio_time(page) <= target.end / 1000


def test_range_link_plays_the_quote_and_stops_at_its_end(page, live_server, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[2]
    start, end = s.begin / 1000, s.end / 1000
    open_player(page, live_server, f"/r/{rid}?t={start}&end={end}")
    assert page.get_attribute(f"#{s.id}", "class").split().count("quote") == 1
    # the test browser allows autoplay, so a shared link plays at once from its start
    until(page, "!document.getElementById('audio').paused")
    assert start - 0.05 <= audio_time(page) <= end
    until(page, "document.getElementById('audio').paused", timeout=10_000)
    t = audio_time(page)
    assert end - 0.01 <= t <= end + 0.25, t
    assert page.get_attribute(f"#{s.id}", "aria-current") == "true"


def test_media_fragment_on_the_page_url(page, live_server, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[4]
    start, end = s.begin / 1000, s.end / 1000
    open_player(page, live_server, f"/r/{rid}#t={start},{end}")
    page.wait_for_selector(f"#{s.id}.quote")
    until(page, "!document.getElementById('audio').paused")  # plays at once
    assert start - 0.05 <= audio_time(page) <= end
    until(page, "document.getElementById('audio').paused", timeout=10_000)
    assert end - 0.01 <= audio_time(page) <= end + 0.25


def test_share_link_opens_at_its_quote(browser, live_server, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[5]
    # a phone-sized window, so the quote starts out of view and must be scrolled to
    context = browser.new_context(viewport={"width": 390, "height": 500}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}/s/{s.id}")
        until(page, f"""(() => {{
            const r = document.getElementById('{s.id}').getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight; }})()""", timeout=5000)
        assert "quote" in page.get_attribute(f"#{s.id}", "class")
        assert s.begin / 1000 - 0.05 <= audio_time(page) <= s.end / 1000
        assert page.get_attribute(f"#{s.id}", "aria-current") == "true"
        og = page.get_attribute("meta[property='og:description']", "content")
        assert s.text in og
        # no horizontal scrolling at a phone's width
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_copy_links_to_a_sentence_a_moment_a_selection(browser, live_server, recording) -> None:
    rid, syncmap = recording
    clipboard = "navigator.clipboard.readText()"
    with new_page(browser, viewport={"width": 1280, "height": 900},
                  clipboard=live_server.url) as page:
        open_player(page, live_server, f"/r/{rid}")
        s = syncmap.sentences[1]
        page.hover(f"#{s.id}")
        page.click("#sentence-tools button[data-action='share-sentence']")
        until(page, "document.getElementById('toast').dataset.copied")
        assert page.evaluate(clipboard) == f"{live_server.url}/r/{rid}/s/{s.id}"
        # the current moment
        now = syncmap.sentences[3].begin + 257  # ms: a time with milliseconds to keep
        page.evaluate(f"document.getElementById('audio').currentTime = {now / 1000}")
        page.wait_for_selector(f"#{syncmap.sentences[3].id}[aria-current='true']")
        page.click("button[data-action='share-now']")
        # to the millisecond (issue 8.5: it was rounded down to 0.1 s)
        until(page, f"({clipboard}).then(t => t.endsWith('t={now / 1000:g}'))")
        # a selection across two sentences offers the quote as a range
        a, b = syncmap.sentences[3], syncmap.sentences[4]
        select_across(page, a, b)
        button = page.wait_for_selector("#share-selection:not([hidden])")
        assert f"{clock(a.begin)}–{clock(b.end)}" in button.inner_text()
        button.click()
        want = f"{live_server.url}/r/{rid}?t={a.begin / 1000:g}&end={b.end / 1000:g}"
        until(page, f"({clipboard}).then(t => t === {want!r})")


def test_timeline_click_seeks(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    box = page.locator("#timeline svg").bounding_box()
    s = syncmap.sentences[4]
    mid = (s.begin + s.end) / 2 / syncmap.duration
    page.mouse.click(box["x"] + box["width"] * mid, box["y"] + box["height"] / 2)
    page.wait_for_selector(f"#{s.id}[aria-current='true']")


def test_study_mode_pauses_after_the_sentence(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    page.click("#study")
    assert page.get_attribute("#study", "aria-pressed") == "true"
    s = syncmap.sentences[2]
    page.click(f"#{s.id}")
    until(page, "!document.getElementById('audio').paused")
    until(page, "document.getElementById('audio').paused", timeout=10_000)
    assert s.end / 1000 - 0.01 <= audio_time(page) <= s.end / 1000 + 0.25


def test_follow_mode_scrolls_and_offers_back_to_now(browser, live_server, recording) -> None:
    rid, syncmap = recording
    context = browser.new_context(viewport={"width": 390, "height": 420}, reduced_motion="reduce")
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}")
        last = syncmap.sentences[5]
        in_view = f"""(() => {{ const r = document.getElementById('{last.id}')
            .getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }})()"""
        assert not page.evaluate(in_view)
        page.evaluate(f"document.getElementById('audio').currentTime = {last.begin / 1000 + 0.2}")
        until(page, in_view)  # follow mode brought it into view
        page.mouse.move(200, 300)
        page.mouse.wheel(0, -2000)  # the reader scrolls away
        page.wait_for_selector("#back-to-now:not([hidden])")
        page.click("#back-to-now")
        until(page, in_view)
        assert page.is_hidden("#back-to-now")
    finally:
        context.close()


def test_the_page_reads_and_links_without_javascript(browser, live_server, recording) -> None:
    rid, syncmap = recording
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(f"{live_server.url}/r/{rid}")
        assert page.locator("#transcript a.s").count() == len(syncmap.sentences)
        assert page.is_hidden(".controls")  # script-only controls stay out of the way
        s = syncmap.sentences[3]
        page.click(f"#{s.id}")
        page.wait_for_url(f"**/r/{rid}?t={s.begin / 1000:.3f}")
        assert "quote" in page.get_attribute(f"#{s.id}", "class")
        assert page.get_attribute("#audio", "src").endswith(f"#t={s.begin / 1000:g}")
        # search works as a plain form
        page.fill("#q", "bridg")
        page.click("form.search button[type='submit']")
        page.wait_for_url("**/search?q=bridg")
        assert page.locator("#search-results a.hit").count() == 2


def test_media_fragment_on_a_recording_without_sentences(page, live_server, app,
                                                         speech) -> None:
    # a #t= link to a recording still being aligned: no sentence to mark, no script error
    from tests.helpers import RAW_TRANSCRIPT
    from webapp.importer import store_recording

    rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Not aligned yet")
    open_player(page, live_server, f"/r/{rid}#t=2,3")
    assert page.locator("#transcript a.s").count() == 0
    assert page.is_visible(".controls")  # the script got to the end of its setup
    # at the fragment's start, or (if it played on at once) within it, stopped by its end
    until(page, "(t => t > 1.95 && t < 3.1)(document.getElementById('audio').currentTime)")
    assert not page.console_errors


def test_opening_the_player_does_not_fetch_the_captions(page, live_server, recording) -> None:
    rid, _ = recording
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    open_player(page, live_server, f"/r/{rid}")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "transcript.vtt" in u], requested
