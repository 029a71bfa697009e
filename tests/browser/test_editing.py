"""Correcting a transcript in real Chromium: words edited in place and re-aligned, edges
nudged with the keyboard and dragged on the strip (and heard), undo, and an edited
sentence's old link.

Editing is open here as `make run` has it: the server on loopback, no editor defined yet.
"""

from __future__ import annotations

import pytest

from alignment import SyncMap
from tests.browser.pages import audio_time, open_player, paused, until

pytestmark = pytest.mark.browser


def stored(app, rid: str) -> SyncMap:
    store = app.extensions["store"]
    return store.load_syncmap(store.get_recording_info(rid))


@pytest.fixture
def open_editing(app):
    """Editing without a login: loopback, and no editor yet (webapp.auth.editing_open)."""
    app.config["LISTEN_HOST"] = "127.0.0.1"
    return app


def open_editor(page, live_server, path: str):
    """The player, then its Edit switch pressed, as an editor does: the page opens for
    listening, with no editing tool."""
    open_player(page, live_server, path)
    assert page.locator("#edit-bar").is_hidden() and page.locator("#edit-tools").is_hidden()
    page.click("#edit-switch")
    until(page, "!!window.transcriptEditor")
    assert page.get_attribute("#edit-switch", "aria-pressed") == "true"
    return page


def begin_ms(page, sid: str) -> int:
    return round(float(page.get_attribute(f"#{sid}", "data-begin")) * 1000)


def end_ms(page, sid: str) -> int:
    return round(float(page.get_attribute(f"#{sid}", "data-end")) * 1000)


def test_words_edited_in_place_are_saved_realigned_and_played(page, live_server, open_editing,
                                                             recording) -> None:
    app = open_editing
    rid, syncmap = recording
    s = syncmap.sentences[2]
    open_editor(page, live_server, f"/r/{rid}")
    # the bar is there from the start (choosing a sentence moves nothing under the
    # pointer), saying what to do until a sentence is chosen
    until(page, "window.transcriptPlayer !== undefined")
    assert page.locator("#edit-bar").is_visible()
    assert page.text_content("#edit-n") == "Choose a sentence"
    page.click(f"#{s.id}")
    page.wait_for_selector("#edit-bar:not([hidden])")
    assert page.text_content("#edit-n") == "Sentence 3"
    page.keyboard.press("Escape")  # nothing open yet: nothing happens
    page.focus(f"#{s.id}")
    page.keyboard.press("e")
    area = page.wait_for_selector("#s-edit textarea")
    assert area.input_value() == s.text
    # Escape closes the form and changes nothing
    page.keyboard.press("Escape")
    until(page, "!document.getElementById('s-edit')")
    page.dblclick(f"#{s.id}")  # a double click opens it too
    page.wait_for_selector("#s-edit textarea")
    page.fill("#s-edit textarea", "Thank you for having us.")
    page.keyboard.press("Enter")
    # the old id is only an anchor now (span.sid-alias), no longer a sentence
    until(page, "!document.getElementById('s-edit') && "
                f"!document.querySelector('a.s#{s.id}')", timeout=30_000)
    assert page.get_attribute(f"#{s.id}", "class") == "sid-alias"
    new = stored(app, rid).sentences[2]
    assert new.text == "Thank you for having us." and new.id != s.id
    el = page.locator(f"#{new.id}")
    assert el.text_content() == "Thank you for having us."
    page.wait_for_selector(f"#{new.id}.edit-target")  # still the one being corrected
    # the player knows the new sentence: it is lit while its re-aligned words play
    until(page, f"document.getElementById('{new.id}').getAttribute('aria-current') === 'true'",
          timeout=5000)
    assert new.begin / 1000 - 0.05 <= audio_time(page) <= new.end / 1000 + 0.1
    until(page, "document.getElementById('audio').paused", timeout=5000)
    assert audio_time(page) <= new.end / 1000 + 0.3  # the preview stops at its end
    assert "Saved and re-aligned." in page.text_content("#edit-status")
    page.wait_for_selector("#history li.change-text")
    # the old link's anchor now leads to the new sentence
    page.goto("about:blank")
    page.goto(live_server.url + f"/r/{rid}#{s.id}")
    until(page, "window.transcriptPlayer && document.getElementById('audio').readyState >= 1")
    assert page.evaluate("location.hash") == f"#{new.id}"
    page.wait_for_selector(f"#{new.id}.quote")


def test_an_empty_sentence_is_refused_in_the_form(page, live_server, open_editing,
                                                 recording) -> None:
    rid, syncmap = recording
    s = syncmap.sentences[1]
    open_editor(page, live_server, f"/r/{rid}")
    page.focus(f"#{s.id}")
    page.keyboard.press("e")
    page.wait_for_selector("#s-edit textarea")
    page.evaluate("document.querySelector('#s-edit textarea').removeAttribute('required')")
    page.fill("#s-edit textarea", "   ")
    page.keyboard.press("Enter")
    page.wait_for_selector("#s-edit .s-edit-error:not([hidden])")
    assert "The sentence is empty" in page.text_content("#s-edit .s-edit-error")
    page.console_errors.clear()  # the browser logs the 400 it was answered
    assert stored(open_editing, rid).sentences == syncmap.sentences


def test_keys_nudge_a_sentence_start_play_it_and_save_one_change(page, live_server,
                                                                 open_editing, recording):
    app = open_editing
    rid, syncmap = recording
    s = syncmap.sentences[3]
    open_editor(page, live_server, f"/r/{rid}")
    page.focus(f"#{s.id}")
    page.keyboard.press("BracketRight")
    page.keyboard.press("BracketRight")
    page.keyboard.press("Shift+BracketRight")
    page.keyboard.press("BracketLeft")
    moved = s.begin + 50 + 50 + 250 - 50
    assert begin_ms(page, s.id) == moved
    assert page.text_content("#edit-begin") == f"0:{moved // 1000:02d}.{moved % 1000:03d}"
    # heard at once: it plays from the new start
    until(page, "!document.getElementById('audio').paused")
    assert moved / 1000 - 0.05 <= audio_time(page) < s.end / 1000
    # one change for the burst, saved a moment after the last key
    page.wait_for_selector("#history li.change-timing")
    assert page.locator("#history li.change").count() == 1
    assert stored(app, rid).sentences[3].begin == moved
    # the page's timeline moved with it
    assert int(page.get_attribute(f"#timeline rect.seg[data-sid='{s.id}']", "x")) == moved
    # the end too: comma and period
    page.focus(f"#{s.id}")
    page.keyboard.press("Shift+Period")
    assert end_ms(page, s.id) == s.end + 250
    until(page, "document.querySelectorAll('#history li.change').length === 2", timeout=5000)
    assert stored(app, rid).sentences[3].end == s.end + 250
    # Ctrl+Z undoes the latest change
    page.focus(f"#{s.id}")
    page.keyboard.press("Control+z")
    until(page, "document.querySelectorAll('#history li.change').length === 3", timeout=5000)
    assert stored(app, rid).sentences[3].end == s.end
    assert end_ms(page, s.id) == s.end
    # pressed again, it goes one step further back (not undoing its own undo): the start
    page.focus(f"#{s.id}")
    page.keyboard.press("Control+z")
    until(page, "document.querySelectorAll('#history li.change').length === 4", timeout=5000)
    assert stored(app, rid).sentences[3].begin == s.begin
    assert begin_ms(page, s.id) == s.begin
    assert "Undid: Undid" not in page.inner_text("#history")
    # Ctrl+Shift+Z redoes the last undo: the start moves again
    page.focus(f"#{s.id}")
    page.keyboard.press("Control+Shift+Z")
    until(page, "document.querySelectorAll('#history li.change').length === 5", timeout=5000)
    assert stored(app, rid).sentences[3].begin == moved
    assert page.locator("#history li.change-redo").count() == 1


def test_dragging_an_edge_on_the_strip_moves_it(page, live_server, open_editing, recording):
    app = open_editing
    rid, syncmap = recording
    s = syncmap.sentences[4]
    open_editor(page, live_server, f"/r/{rid}")
    page.click(f"#{s.id}")
    page.evaluate("document.getElementById('audio').pause()")
    box = page.locator("#edit-strip svg").bounding_box()
    view = page.evaluate("(() => { const v = document.querySelector('#edit-strip svg')"
                         ".viewBox.baseVal; return {x: v.x, width: v.width}; })()")
    per_px = view["width"] / box["width"]
    x_end = box["x"] + (s.end - view["x"]) / per_px
    y = box["y"] + box["height"] / 2
    page.mouse.move(x_end, y)
    page.mouse.down()
    page.mouse.move(x_end - 30, y, steps=5)
    page.mouse.move(x_end - 60, y, steps=5)
    page.mouse.up()
    expected = s.end - 60 * per_px
    assert abs(end_ms(page, s.id) - expected) <= 2 * per_px
    # heard: the end of the sentence plays, up to its new end, and stops there
    until(page, "!document.getElementById('audio').paused")
    until(page, "document.getElementById('audio').paused", timeout=6000)
    assert audio_time(page) <= end_ms(page, s.id) / 1000 + 0.3
    page.wait_for_selector("#history li.change-timing")
    assert stored(app, rid).sentences[4].end == end_ms(page, s.id)
    assert stored(app, rid).sentences[4].begin == s.begin  # the other edge stayed
    # a press away from the edges drags nothing
    page.mouse.click(box["x"] + 2, y)
    assert stored(app, rid).sentences[4].end == end_ms(page, s.id)
    assert paused(page)


def test_undo_from_the_history_puts_a_rename_back(page, live_server, open_editing, recording):
    app = open_editing
    rid, _ = recording
    open_editor(page, live_server, f"/r/{rid}")
    page.select_option("#rename-old", "Guest")
    page.fill("#rename-new", "Dr Amira Osei")
    page.click("form.rename button[type='submit']")
    page.wait_for_selector(".turn[data-speaker='Dr Amira Osei']")
    assert page.locator(".turn[data-speaker='Guest']").count() == 0
    # the speaker list offers the new name
    assert page.locator("#rename-old option[value='Dr Amira Osei']").count() == 1
    page.wait_for_selector("#history li.change-rename form.undo button")
    page.click("#history li.change-rename form.undo button")
    page.wait_for_selector(".turn[data-speaker='Guest']")
    page.wait_for_selector("#history li.change-undo")
    assert "Guest" in stored(app, rid).speakers
    # the player still plays the new transcript's sentences
    first = stored(app, rid).sentences[3]
    page.click(f"#{first.id}")
    until(page, f"document.getElementById('{first.id}').getAttribute('aria-current') === 'true'")


def test_dragging_an_edge_on_the_page_timeline_moves_it(page, live_server, open_editing,
                                                        recording) -> None:
    app = open_editing
    rid, syncmap = recording
    s = syncmap.sentences[4]
    open_editor(page, live_server, f"/r/{rid}")
    page.click(f"#{s.id}")
    page.evaluate("document.getElementById('audio').pause()")
    box = page.locator("#timeline svg").bounding_box()
    per_px = syncmap.duration / box["width"]
    x_begin = box["x"] + s.begin / per_px
    y = box["y"] + 8
    page.mouse.move(x_begin, y)
    page.mouse.down()
    page.mouse.move(x_begin - 20, y, steps=4)
    page.mouse.up()
    expected = s.begin - 20 * per_px
    assert abs(begin_ms(page, s.id) - expected) <= 2 * per_px
    # the drag was not taken for a click that seeks: it plays from the new start
    until(page, "!document.getElementById('audio').paused")
    assert abs(audio_time(page) - begin_ms(page, s.id) / 1000) < 0.5
    page.wait_for_selector("#history li.change-timing")
    assert stored(app, rid).sentences[4].begin == begin_ms(page, s.id)
    # the previous sentence ended well before: the gap stays a gap, it did not move
    assert stored(app, rid).sentences[3] == syncmap.sentences[3]


def test_an_undo_that_must_wait_says_why(page, live_server, open_editing, recording) -> None:
    rid, _ = recording
    open_editor(page, live_server, f"/r/{rid}")
    for old, new in (("Guest", "Caller"), ("Caller", "Listener")):
        page.select_option("#rename-old", old)
        page.fill("#rename-new", new)
        page.click("form.rename button[type='submit']")
        page.wait_for_selector(f".turn[data-speaker='{new}']")
    until(page, "document.querySelectorAll('#history li.change-rename').length === 2")
    # the older rename cannot be undone before the newer one: the page says why
    page.click("#history li.change-rename:last-child form.undo button")
    page.wait_for_selector("#toast:has-text('undo that one first')")
    page.console_errors.clear()  # the browser logs the 409 it was answered
    assert "Listener" in stored(open_editing, rid).speakers
