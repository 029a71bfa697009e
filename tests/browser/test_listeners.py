"""What listeners tripped over (issue 8, points 1 to 10), each tried as they tried it.

Each test failed on the player before the fix and passes after it, in real Chromium.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    CURRENT,
    audio_time,
    in_viewport,
    new_page,
    open_player,
    paused,
    until,
)

pytestmark = pytest.mark.browser

VISIBLE_SENTENCE = """(() => {
    const deck = document.querySelector('.deck').getBoundingClientRect().bottom;
    const bar = document.querySelector('.controls').getBoundingClientRect();
    const bottom = getComputedStyle(document.querySelector('.controls')).position === 'fixed'
        ? bar.top : window.innerHeight;
    const els = Array.from(document.querySelectorAll('#transcript a.s:not(.unaligned)'));
    const el = els.find(e => { const r = e.getBoundingClientRect();
        return r.top > deck + 80 && r.bottom < bottom - 80; });
    return el ? el.id : null; })()"""


def _click_after_scrolling_away(page, live_server, rid, tap: bool) -> None:
    open_player(page, live_server, f"/r/{rid}")
    page.click("button[data-action='toggle']")
    until(page, "!document.getElementById('audio').paused")
    page.mouse.move(300, 500)
    for _ in range(7):
        page.mouse.wheel(0, 400)  # about 2,800 px, as a reader scrolls
    until(page, "window.scrollY > 2000")
    page.wait_for_selector("#back-to-now:not([hidden])")
    settled = 0
    while settled < 3:  # a wheel scroll may still glide under a loaded machine
        y = page.evaluate("window.scrollY")
        page.wait_for_timeout(100)
        settled = settled + 1 if page.evaluate("window.scrollY") == y else 0
    target = page.evaluate(VISIBLE_SENTENCE)
    assert target
    before = page.evaluate("window.scrollY")
    if tap:
        page.tap(f"#{target}")
    else:
        page.click(f"#{target}")
    page.wait_for_selector(f"#{target}[aria-current='true']")
    page.wait_for_timeout(600)  # a smooth scroll back up would be under way by now
    assert abs(page.evaluate("window.scrollY") - before) < 150
    assert in_viewport(page, f"#{target}")
    assert page.get_attribute(f"#{target}", "aria-current") == "true"
    assert page.is_hidden("#back-to-now")  # the lit sentence is the one in view
    assert not paused(page)


def test_1_click_after_scrolling_away_plays_where_the_reader_is(page, live_server,
                                                                 long_recording) -> None:
    rid, _ = long_recording
    _click_after_scrolling_away(page, live_server, rid, tap=False)


def test_1_tap_after_scrolling_away_on_a_phone(browser, live_server, long_recording) -> None:
    rid, _ = long_recording
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        _click_after_scrolling_away(page, live_server, rid, tap=True)
    finally:
        context.close()


def test_2_back_after_a_library_search(page, live_server, recording) -> None:
    rid, _ = recording
    page.goto(live_server.url + "/")
    start = page.evaluate("history.length")
    page.click("#library-q")
    for ch in "bridg":
        page.keyboard.type(ch)
        page.wait_for_timeout(350)  # a pause in typing after each letter
    page.wait_for_selector("#library-hits a.hit")
    assert page.url.endswith("/search?q=bridg")
    assert page.evaluate("history.length") == start  # no entry per pause in typing
    page.click("#library-hits a.hit")
    page.wait_for_url(f"**/r/{rid}?t=*")
    page.go_back()
    page.wait_for_selector("#library-q")
    assert page.title() == "Library · Transcript player"
    assert page.input_value("#library-q") == "bridg"
    assert page.locator("h1").inner_text() == "Library"
    assert page.locator("#library-hits a.hit").count() == 2
    # styled: the stylesheet is there
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") \
        == "flex"


def test_3_phone_layout_keeps_everything_on_screen(browser, live_server, recording) -> None:
    rid, syncmap = recording
    for width in (390, 320):
        context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True,
                                      has_touch=True)
        page = context.new_page()
        try:
            open_player(page, live_server, f"/r/{rid}")
            # the sentence whose end is furthest right, tapped
            right = page.evaluate("""(() => { let best = null, x = -1;
                for (const el of document.querySelectorAll('#transcript a.s')) {
                  const rs = el.getClientRects(); const r = rs[rs.length - 1];
                  if (r.right > x) { x = r.right; best = el.id; } }
                return best; })()""")
            page.tap(f"#{right}")
            page.wait_for_selector("#sentence-tools:not([hidden])")
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            boxes = page.evaluate("""Array.from(document.querySelectorAll(
                '.controls button:not([hidden]), #sentence-tools button')).filter(
                b => b.offsetParent).map(b => { const r = b.getBoundingClientRect();
                return {id: b.id || b.dataset.action, l: r.left, r: r.right, t: r.top,
                        b: r.bottom, w: r.width, h: r.height}; })""")
            assert {b["id"] for b in boxes} >= {"prev", "toggle", "next", "share-now", "more",
                                               "play-sentence", "share-sentence"}
            for b in boxes:
                assert b["l"] >= 0 and b["r"] <= width and b["t"] >= 0 and b["b"] <= 844, b
                assert b["w"] >= 44 and b["h"] >= 44, b
            # speed, follow and study are behind "More", on screen when opened
            page.tap("#more")
            for sel in ("#speed", "#follow", "#study"):
                box = page.locator(sel).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, sel
                assert box["height"] >= 44, sel
            page.tap("#study")
            assert page.get_attribute("#study", "aria-pressed") == "true"
        finally:
            context.close()


def test_4_enter_in_the_search_does_not_reload(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    page.click(f"#{syncmap.sentences[1].id}")
    until(page, "!document.getElementById('audio').paused")
    page.evaluate("window.sameDocument = true")
    page.fill("#q", "bridge")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results a.hit")
    page.wait_for_timeout(400)
    assert page.evaluate("window.sameDocument === true")  # not reloaded
    assert not paused(page)
    assert audio_time(page) > syncmap.sentences[1].begin / 1000


def test_5_link_to_now_at_a_sentences_first_moment(browser, live_server, recording) -> None:
    rid, syncmap = recording
    with new_page(browser, viewport={"width": 1280, "height": 900},
                  clipboard=live_server.url) as page:
        open_player(page, live_server, f"/r/{rid}")
        s = syncmap.sentences[3]
        page.evaluate(f"document.getElementById('audio').currentTime = {s.begin / 1000}")
        page.wait_for_selector(f"#{s.id}[aria-current='true']")
        page.click("button[data-action='share-now']")
        until(page, "document.getElementById('toast').dataset.copied")
        link = page.evaluate("navigator.clipboard.readText()")
        assert link.endswith(f"?t={s.begin / 1000:g}")
        page.goto(link)
        page.wait_for_selector(f"#{s.id}[aria-current='true']")
        assert page.get_attribute(f"#{s.id}", "class").split().count("quote-first") == 1


def test_5_a_link_into_a_pause_lights_the_sentence_it_quotes(page, live_server,
                                                              recording) -> None:
    rid, syncmap = recording
    before, after = syncmap.sentences[2], syncmap.sentences[3]
    t = (before.end + 200) / 1000  # in the pause between them
    page.goto(f"{live_server.url}/r/{rid}?t={t}")
    until(page, "!!window.transcriptPlayer")
    page.evaluate("document.getElementById('audio').pause()")
    page.wait_for_selector(f"#{after.id}[aria-current='true']")
    assert "quote" in page.get_attribute(f"#{after.id}", "class")
    assert page.get_attribute(f"#{before.id}", "aria-current") is None
    assert page.locator(CURRENT).count() == 1


def test_6_exports_download_without_leaving_the_player(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    page.click(f"#{syncmap.sentences[1].id}")
    until(page, "!document.getElementById('audio').paused")
    for name in ("JSON", "WebVTT", "SRT"):
        with page.expect_download() as info:
            page.click(f".exports a:text-is('{name}')")
        assert info.value.suggested_filename.startswith("harbour-talk.")
        assert page.url.endswith(f"/r/{rid}")
    assert not paused(page)


def test_7_keyboard_reaches_the_search_and_shares_a_quote(browser, live_server,
                                                           long_recording) -> None:
    rid, syncmap = long_recording
    with new_page(browser, viewport={"width": 1280, "height": 900},
                  clipboard=live_server.url) as page:
        open_player(page, live_server, f"/r/{rid}")
        tabs = 0
        while page.evaluate("document.activeElement.id") != "q":
            page.keyboard.press("Tab")
            tabs += 1
            assert tabs < 30, "the search is more than 30 Tabs away"
        # back to the transcript: one stop, then the keys
        page.keyboard.press("Shift+Tab")
        while not page.evaluate("document.activeElement.matches('#transcript a.s')"):
            page.keyboard.press("Shift+Tab")
        first = page.evaluate("document.activeElement.id")
        page.keyboard.press("Shift+ArrowDown")
        page.keyboard.press("Shift+ArrowDown")
        page.wait_for_selector("#share-selection:not([hidden])")
        page.keyboard.press("c")
        until(page, "document.getElementById('toast').dataset.copied")
        i = next(k for k, s in enumerate(syncmap.sentences) if s.id == first)
        a, b = syncmap.sentences[i], syncmap.sentences[i + 2]
        want = f"{live_server.url}/r/{rid}?t={a.begin / 1000:g}&end={b.end / 1000:g}"
        assert page.evaluate("navigator.clipboard.readText()") == want


def test_7_copy_fallback_gives_focus_back(page, live_server, recording) -> None:
    rid, _ = recording
    open_player(page, live_server, f"/r/{rid}")
    # a browser that refuses the clipboard
    page.evaluate("(() => { navigator.clipboard.writeText = "
                  "() => Promise.reject(new Error('denied')); })()")
    page.focus("button[data-action='share-now']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#link-box:not([hidden])")
    assert page.evaluate("document.activeElement.closest('#link-box') !== null")
    assert "?t=" in page.evaluate("document.activeElement.value")
    page.wait_for_timeout(3500)  # longer than a toast lives: the box stays
    assert page.is_visible("#link-box")
    page.keyboard.press("Escape")
    assert page.is_hidden("#link-box")
    assert page.evaluate("document.activeElement.dataset.action") == "share-now"


def test_9_sentence_tools_cover_no_words_and_ignore_an_idle_pointer(page, live_server,
                                                                     long_recording) -> None:
    rid, syncmap = long_recording
    open_player(page, live_server, f"/r/{rid}")
    s = syncmap.sentences[12]
    page.hover(f"#{s.id}")
    page.wait_for_selector("#sentence-tools:not([hidden])")
    page.wait_for_timeout(200)
    overlaps = page.evaluate("""(() => {
        const t = document.getElementById('sentence-tools').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#transcript a.s')).filter(el =>
          Array.from(el.getClientRects()).some(r => r.right > t.left && r.left < t.right &&
            r.bottom > t.top && r.top < t.bottom)).length; })()""")
    assert overlaps == 0
    # follow mode scrolls the text under the resting pointer: the tools stay put
    far = syncmap.sentences[120]
    page.evaluate(f"document.getElementById('audio').currentTime = {far.begin / 1000 + 0.1}")
    until(page, "window.scrollY > 1000")
    page.wait_for_timeout(500)
    assert page.evaluate("window.transcriptPlayer.share.toolsFor.id") == s.id


def test_9_back_to_now_points_to_the_sentence(page, live_server, long_recording) -> None:
    rid, syncmap = long_recording
    open_player(page, live_server, f"/r/{rid}")
    s = syncmap.sentences[4]
    page.evaluate(f"document.getElementById('audio').currentTime = {s.begin / 1000 + 0.1}")
    page.wait_for_selector(f"#{s.id}[aria-current='true']")
    page.mouse.move(300, 500)
    for _ in range(8):
        page.mouse.wheel(0, 400)
    button = page.wait_for_selector("#back-to-now:not([hidden])")
    assert button.inner_text().startswith("↑")
    page.click("#back-to-now")
    until(page, f"document.getElementById('{s.id}').getBoundingClientRect().top > 0")
    far = syncmap.sentences[200]
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate(f"document.getElementById('audio').currentTime = {far.begin / 1000 + 0.1}")
    page.wait_for_timeout(400)
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.wheel(0, -100)
    button = page.wait_for_selector("#back-to-now:not([hidden])")
    assert button.inner_text().startswith("↓")


def test_9_a_media_fragment_moves_an_open_page(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    s = syncmap.sentences[4]
    page.evaluate(f"location.hash = '#t={s.begin / 1000},{s.end / 1000}'")
    page.wait_for_selector(f"#{s.id}.quote")
    until(page, f"document.getElementById('audio').currentTime >= {s.begin / 1000 - 0.05}")
    # the address becomes one whose preview shows the quote
    until(page, "location.search.startsWith('?t=')")
    assert page.url.endswith(f"?t={s.begin / 1000:g}&end={s.end / 1000:g}")
    html = page.request.get(page.url).text()
    assert s.text in html.split('property="og:description" content="', 1)[1].split('"')[0]


def test_9_a_link_without_javascript_opens_at_its_quote(browser, live_server,
                                                         long_recording) -> None:
    rid, syncmap = long_recording
    s = syncmap.sentences[150]
    with new_page(browser, java_script_enabled=False,
                  viewport={"width": 1280, "height": 900}) as page:
        page.goto(f"{live_server.url}/r/{rid}?t={s.begin / 1000}")
        page.wait_for_timeout(300)
        assert page.evaluate("window.scrollY") > 2000
        assert in_viewport(page, f"#{s.id}")


def test_10_query_and_fragment_quote_the_same_sentence(page, live_server, app,
                                                      recording) -> None:
    from dataclasses import replace

    rid, syncmap = recording
    # sentences that touch (each ends where the next begins), as an aligner often gives
    touching = tuple(replace(s, end=syncmap.sentences[i + 1].begin)
                     if i + 1 < len(syncmap.sentences) else s
                     for i, s in enumerate(syncmap.sentences))
    app.extensions["store"].save_alignment(rid, replace(syncmap, sentences=touching))
    said, next_one = touching[2], touching[3]
    t = (next_one.begin - 10) / 1000  # 10 ms before the next begins: JS used to add 20 ms
    quotes = []
    for url in (f"/r/{rid}?t={t}", f"/r/{rid}#t={t}"):
        page.goto("about:blank")
        open_player(page, live_server, url)
        page.wait_for_selector("#transcript a.s.quote-first")
        quotes.append(page.get_attribute("#transcript a.s.quote-first", "id"))
    assert quotes == [said.id, said.id]
