"""The player, third round (issue 19): the six listener checks, tried as a listener does,
with the mouse and the keyboard, in real Chromium."""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    CURRENT,
    audio_time,
    char_point,
    open_player,
    paused,
    select_across,
    until,
)

pytestmark = pytest.mark.browser


def test_a1_a_mouse_drag_selects_words_and_does_not_seek(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    a, b = syncmap.sentences[2], syncmap.sentences[3]
    # within one sentence, then across two: words are selected, nothing plays or moves
    x0, y0 = char_point(page, a.id, 4)
    x1, y1 = char_point(page, a.id, 12)
    page.mouse.move(x0 - 3, y0)
    page.mouse.down()
    page.mouse.move(x1 + 3, y1, steps=6)
    page.mouse.up()
    page.wait_for_timeout(300)
    chosen = page.evaluate("getSelection().toString()")
    assert len(chosen.strip()) >= 6 and chosen in a.text
    assert paused(page) and audio_time(page) == 0
    page.click("h1")  # a click off the text clears the selection (a press inside would drag it)
    select_across(page, a, b)
    page.wait_for_timeout(300)
    chosen = page.evaluate("getSelection().toString()")
    assert a.text[4:] in chosen and b.text[:6] in chosen
    assert "0:0" not in chosen  # the paragraph times are not part of the quote
    assert paused(page) and audio_time(page) == 0
    page.wait_for_selector("#share-selection:not([hidden])")
    # a double click selects a word
    x, y = char_point(page, b.id, 1)
    page.mouse.dblclick(x, y)
    assert page.evaluate("getSelection().toString()").strip() == b.text.split()[0]
    # and a plain click still plays from the sentence
    page.mouse.click(*char_point(page, b.id, 3))
    until(page, "!document.getElementById('audio').paused")
    assert page.get_attribute(CURRENT, "id") == b.id


def test_a2_a_misspelt_search_finds_and_marks_its_hits(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    page.click("#q")
    page.keyboard.type("brigde")  # a slip: two letters swapped
    page.keyboard.press("Enter")
    # typing searches too (after 200 ms): both answers in, before stepping through them
    page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".hit-nav:not([hidden])")
    assert page.inner_text(".hit-pos") == "1 of 2"
    marked = page.eval_on_selector_all("#transcript mark", "ms => ms.map(m => m.textContent)")
    assert [m.casefold() for m in marked] == ["bridge", "bridges"]
    assert page.evaluate("document.activeElement.id") == "q"  # still typing there
    page.click("button[data-action='hit-next']")
    assert page.inner_text(".hit-pos") == "2 of 2"
    current = page.eval_on_selector_all("#transcript mark.hit-current",
                                        "ms => ms.map(m => m.closest('.s').id)")
    assert current == [syncmap.sentences[4].id]
    page.click("button[data-action='hit-next']")
    assert page.inner_text(".hit-pos") == "1 of 2"
    page.click("button[data-action='hit-prev']")
    assert page.inner_text(".hit-pos") == "2 of 2"
    # numbers: digits find words; a new search clears the old marks
    page.fill("#q", "")
    page.click("#q")
    page.keyboard.type("9")
    until(page, "document.querySelector('.hit-pos') && "
                "document.querySelector('.hit-pos').textContent === '1 of 1'")
    marked = page.eval_on_selector_all("#transcript mark", "ms => ms.map(m => m.textContent)")
    assert marked == ["nine"]


def test_a2_search_without_javascript_marks_the_transcript(browser, live_server,
                                                           recording) -> None:
    rid, _ = recording
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/r/{rid}")
        page.fill("#q", "harbur")
        page.click(".search button[type='submit']")
        page.wait_for_url("**/search?q=harbur")
        assert page.eval_on_selector_all("#transcript mark", "ms => ms.map(m => m.textContent)") \
            == ["harbour"]
        assert "1 sentence matches" in page.inner_text("#search-results")
    finally:
        context.close()


def test_a6_every_paragraph_has_a_time_that_plays_from_there(page, live_server,
                                                              recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    paragraphs = page.eval_on_selector_all(
        "#transcript .turn p", "ps => ps.map(p => { const t = p.querySelector('time'); "
        "return t ? [t.getAttribute('datetime'), t.textContent] : null; })")
    assert paragraphs and all(paragraphs)
    assert paragraphs[0] == ["PT1.000S", "0:01"] or paragraphs[0][0].startswith("PT")
    last = page.locator("#transcript .turn p time").last
    last.click()
    until(page, "!document.getElementById('audio').paused")
    begin = float(page.locator("#transcript .turn p a.para-time").last.get_attribute("data-begin"))
    assert abs(audio_time(page) - begin) < 1.0
    assert page.get_attribute(CURRENT, "id") == syncmap.sentences[-1].id


def test_a5_text_and_word_downloads(page, live_server, recording) -> None:
    import io

    import docx

    rid, _ = recording
    open_player(page, live_server, f"/r/{rid}")
    with page.expect_download() as info:
        page.click(".exports a:text-is('Text')")
    assert info.value.suggested_filename == "harbour-talk.txt"
    text = open(info.value.path(), encoding="utf-8").read()
    assert "GUEST:\n[0:05] Thank you for having me." in text
    with page.expect_download() as info:
        page.click(".exports a:text-is('Word')")
    assert info.value.suggested_filename == "harbour-talk.docx"
    doc = docx.Document(io.BytesIO(open(info.value.path(), "rb").read()))
    assert "[0:05] Thank you for having me." in [p.text for p in doc.paragraphs]
    assert page.url.endswith(f"/r/{rid}")


def test_a3_the_place_is_kept_over_a_reload(page, live_server, recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[4]
    open_player(page, live_server, f"/r/{rid}")
    page.click(f"#{s.id}")  # plays from there
    until(page, "!document.getElementById('audio').paused")
    page.wait_for_timeout(600)
    page.click("button[data-action='toggle']")  # pause
    until(page, "document.getElementById('audio').paused")
    kept = audio_time(page)
    assert kept > s.begin / 1000
    page.reload()
    until(page, "window.transcriptPlayer && document.getElementById('audio').readyState >= 1")
    until(page, f"Math.abs(document.getElementById('audio').currentTime - {kept}) < 0.05")
    assert paused(page)  # resumes where it was, and waits to be played
    assert page.get_attribute(CURRENT, "id") == s.id
    button = page.locator("#play-from button")
    assert button.is_visible()
    assert button.inner_text().strip().startswith("▶ Resume from 0:")
    button.click()
    until(page, "!document.getElementById('audio').paused")
    assert audio_time(page) >= kept - 0.05
    # nothing is kept on the server: another browser starts at the beginning
    context = page.context.browser.new_context()
    other = context.new_page()
    try:
        open_player(other, live_server, f"/r/{rid}")
        assert audio_time(other) == 0 and other.locator("#play-from").is_hidden()
    finally:
        context.close()


def test_b_the_player_opens_for_listening_and_edit_is_one_switch_away(page, live_server, app,
                                                                      recording) -> None:
    app.config["LISTEN_HOST"] = "127.0.0.1"  # as `make run`: loopback, no editor yet
    rid, syncmap = recording
    s = syncmap.sentences[2]
    open_player(page, live_server, f"/r/{rid}")
    # no editing tool in sight, and the editing keys do nothing
    assert page.locator("#edit-bar").is_hidden() and page.locator("#edit-tools").is_hidden()
    page.click(f"#{s.id}")
    page.keyboard.press("e")
    page.keyboard.press("]")
    page.wait_for_timeout(300)
    assert page.locator("#s-edit").count() == 0
    assert page.get_attribute(f"#{s.id}", "data-begin") == f"{s.begin / 1000:.3f}"
    switch = page.locator("#edit-switch")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    switch.click()
    page.wait_for_selector("#edit-bar:not([hidden])")
    assert page.locator("#edit-tools").is_visible()
    assert page.url.endswith("?edit=1")
    page.focus(f"#{s.id}")
    page.keyboard.press("e")
    page.wait_for_selector("#s-edit textarea")
    page.keyboard.press("Escape")
    # a reload stays in the mode; pressing the switch again puts the tools away
    page.reload()
    page.wait_for_selector("#edit-bar:not([hidden])")
    page.click("#edit-switch")
    page.wait_for_selector("#edit-bar", state="hidden")
    assert page.locator("#edit-tools").is_hidden()
    assert switch.get_attribute("aria-pressed") == "false" and not page.url.endswith("edit=1")
    page.focus(f"#{s.id}")
    page.keyboard.press("e")
    page.wait_for_timeout(300)
    assert page.locator("#s-edit").count() == 0


def test_b_listeners_get_no_edit_switch(page, live_server, recording) -> None:
    rid, _ = recording  # served as on a network: a login is needed to edit
    open_player(page, live_server, f"/r/{rid}")
    assert page.locator("#edit-switch").count() == 0


NOTE = ("The audio is a synthesised reading. The original recording is not available, so "
        "computer voices (one per speaker) read the published transcript aloud. The timings "
        "are real: the program aligned the transcript to this audio.")

FIRST_SCREEN = """(() => {
    const bar = document.querySelector('.controls').getBoundingClientRect();
    const el = document.querySelector('#transcript a.s:not(.unaligned)');
    const r = el.getBoundingClientRect();
    return [r.top, r.bottom, bar.top, window.innerHeight]; })()"""


def test_a4_on_a_phone_the_transcript_starts_on_the_first_screen(browser, live_server, app,
                                                                 recording) -> None:
    from sqlalchemy import text

    rid, syncmap = recording
    with app.extensions["store"].engine.begin() as conn:  # a note, as the demo's
        conn.execute(text("UPDATE recordings SET note = :n WHERE id = :r"),
                     {"n": NOTE, "r": rid})
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}")
        top, bottom, bar, height = page.evaluate(FIRST_SCREEN)
        assert height == 844 and bottom <= bar <= height, (top, bottom, bar)
        # the note says what matters in its first sentence; the rest is a tap away
        assert page.locator(".note summary").inner_text().endswith("synthesised reading.")
        page.tap(".note summary")
        assert page.locator(".note").inner_text().endswith("to this audio.")
        # the search is above the transcript, the downloads below it
        q = page.locator("#q").bounding_box()
        exports = page.locator(".exports").bounding_box()
        first = page.locator(f"#{syncmap.sentences[0].id}").bounding_box()
        assert q["y"] < first["y"] < exports["y"]
    finally:
        context.close()


def test_a4_the_lit_sentence_stays_above_the_phones_bar_and_tools(browser, live_server,
                                                                  long_recording) -> None:
    rid, _ = long_recording
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}")
        # tap the lowest sentence above the bar: it plays, the sentence tools dock
        target = page.evaluate("""(() => {
            const bar = document.querySelector('.controls').getBoundingClientRect().top;
            const els = Array.from(document.querySelectorAll('#transcript a.s'));
            return els.filter(e => e.getBoundingClientRect().bottom < bar - 4).pop().id; })()""")
        page.tap(f"#{target}")
        until(page, "!document.getElementById('audio').paused")
        page.wait_for_selector("#sentence-tools.docked:not([hidden])")
        page.wait_for_timeout(900)  # the scroll that keeps it in view
        assert page.evaluate(COVERED) == 0
        until(page, f'document.querySelector("{CURRENT}").id !== "{target}"', timeout=8000)
        page.wait_for_timeout(900)
        assert page.evaluate(COVERED) == 0
        # playing on, the tools of the tapped sentence go: they cover no words of the next
        assert page.locator("#sentence-tools").is_hidden()
    finally:
        context.close()


COVERED = """(() => {
    const lit = document.querySelector("#transcript a.s[aria-current='true']")
        .getBoundingClientRect();
    return ['.controls', '#sentence-tools', '#back-to-now']
        .map(s => document.querySelector(s))
        .filter(el => el && !el.hidden)
        .map(el => el.getBoundingClientRect())
        .filter(r => r.height && r.top < lit.bottom && r.bottom > lit.top).length; })()"""


@pytest.mark.parametrize("width", [1280, 1000])
def test_c9_sentence_tools_cover_neither_words_nor_the_sides_links(browser, live_server,
                                                                   recording, width) -> None:
    rid, syncmap = recording
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}")
        page.click("#q")
        page.keyboard.type("bridge")
        page.keyboard.press("Enter")
        page.wait_for_selector(".hit-nav:not([hidden])")
        for s in syncmap.sentences:
            page.hover(f"#{s.id}")
            page.wait_for_timeout(250)
            covered = page.evaluate("""(() => {
                const t = document.getElementById('sentence-tools').getBoundingClientRect();
                const hit = (r) => r.right > t.left && r.left < t.right && r.bottom > t.top
                    && r.top < t.bottom;
                return Array.from(document.querySelectorAll(
                    '.side a, .side button, .side input, .side summary, #transcript a.s'))
                  .filter(el => Array.from(el.getClientRects()).some(hit))
                  .map(el => el.id || el.className || el.textContent.trim()); })()""")
            assert covered == [], (s.text, covered)
    finally:
        context.close()


def test_c9_the_phone_embed_shows_the_start_of_a_long_sentence(browser, live_server,
                                                               long_recording) -> None:
    rid, syncmap = long_recording
    s = max(syncmap.sentences[:100], key=lambda x: len(x.text))
    context = browser.new_context(viewport={"width": 390, "height": 260}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/r/{rid}/embed?t={s.begin / 1000 + 0.2:.3f}")
        until(page, "!!window.transcriptPlayer")
        page.wait_for_selector(f"#{s.id}[aria-current='true']")
        page.wait_for_timeout(400)
        top, box_top, height, box_height = page.evaluate(f"""(() => {{
            const r = document.getElementById('{s.id}').getBoundingClientRect();
            const b = document.querySelector('.embed-window').getBoundingClientRect();
            return [r.top, b.top, r.height, b.height]; }})()""")
        assert height > box_height  # taller than the window: its start is what shows
        assert box_top - 1 <= top <= box_top + 8, (top, box_top)
    finally:
        context.close()


def test_d_only_one_speaker_is_shown_and_played(page, live_server, recording) -> None:
    rid, syncmap = recording
    open_player(page, live_server, f"/r/{rid}")
    guest = [s for s in syncmap.sentences if s.speaker == "Guest"]
    page.select_option("#speaker-filter", "Guest")
    host = next(s for s in syncmap.sentences if s.speaker == "Host")
    assert page.locator(f"#{host.id}").is_hidden()
    assert page.locator(f"#{guest[0].id}").is_visible()
    page.click("button[data-action='toggle']")  # play from the start: the host is skipped
    until(page, f"document.getElementById('audio').currentTime >= {guest[0].begin / 1000}")
    assert page.get_attribute(CURRENT, "id") in {s.id for s in guest}
    # after the guest's last sentence it stops, rather than playing the host
    until(page, "document.getElementById('audio').paused", timeout=12000)
    assert audio_time(page) < guest[-1].end / 1000 + 1.0
    # stopped on the guest's last sentence; previous goes through theirs alone
    until(page, f"document.querySelector(\"{CURRENT}\").id === '{guest[-1].id}'")
    for s in reversed(guest[:-1]):
        page.click("button[data-action='prev']")
        until(page, f"document.querySelector(\"{CURRENT}\").id === '{s.id}'")
    page.click("button[data-action='prev']")  # the first of theirs: nowhere further back
    page.wait_for_timeout(200)
    assert page.get_attribute(CURRENT, "id") == guest[0].id
    page.select_option("#speaker-filter", "")
    assert page.locator(f"#{host.id}").is_visible()


def test_d_a_chapter_plays_from_its_start(page, live_server, app, long_audio) -> None:
    from tests.browser.pages import add_long_recording

    rid, _ = add_long_recording(app, long_audio, sentences=120, seconds=600)
    open_player(page, live_server, f"/r/{rid}")
    links = page.locator("a.chapter")
    assert links.count() >= 2
    second = links.nth(1)
    begin = float(second.get_attribute("data-begin"))
    second.click()
    until(page, "!document.getElementById('audio').paused")
    assert abs(audio_time(page) - begin) < 1.0
    until(page, "document.querySelector('a.chapter[aria-current]') !== null")
    assert page.get_attribute("a.chapter[aria-current]", "data-begin") == \
        second.get_attribute("data-begin")
    assert page.locator("#timeline line.chapter-mark").count() == links.count() - 1



@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_the_phone_with_a_search_and_in_the_editing_mode(browser, live_server, app,
                                                                  recording, scheme) -> None:
    from tests.browser.pages import axe_violations

    app.config["LISTEN_HOST"] = "127.0.0.1"  # the Edit switch, as on `make run`
    rid, syncmap = recording
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, color_scheme=scheme)
    page = context.new_page()
    try:
        open_player(page, live_server, f"/r/{rid}/search?q=brigde")
        page.wait_for_selector(".hit-nav:not([hidden])")
        page.evaluate("document.getElementById('audio').pause()")
        assert axe_violations(page) == [], "phone, search"
        page.tap("#edit-switch")
        page.wait_for_selector("#edit-bar:not([hidden])")
        page.tap(f"#{syncmap.sentences[2].id}")
        page.evaluate("document.getElementById('audio').pause()")
        page.wait_for_timeout(300)
        assert axe_violations(page) == [], "phone, editing"
    finally:
        context.close()
