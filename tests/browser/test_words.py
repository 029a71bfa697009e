"""Words in real Chromium (static/player/karaoke.mjs, issue 18): the word being said is
lit inside the lit sentence, a click on a word plays from it and a click between words
from the sentence, a drag over words shares a quote from the first word to the last, a
search hit plays from the first word it matched, "Link to now" names the word; a long
transcript with words keeps only a few word elements on the page.

Each is done as a listener does it, with the mouse and the keyboard. The reading's
sentence times are exact (tests/helpers.py); its words' times are each a share of their
sentence by length (`testsupport.recordings.words_by_length`), stored as an import of a
JSON sync map would store them, so the page is checked against the stored truth.
"""

from __future__ import annotations

import pytest

from alignment import Sentence, Word
from tests.browser.pages import (
    CURRENT,
    add_long_recording,
    audio_time,
    char_point,
    new_page,
    open_player,
    paused,
    select_across,
    until,
)
from tests.helpers import add_reading
from webapp.moments import sentence_at

pytestmark = pytest.mark.browser

WORD = "#transcript [data-word][aria-current='time']"


@pytest.fixture
def worded(app, speech):
    """The reading stored with its words' times."""
    return add_reading(app, speech, words=True)


def lit_word(page) -> dict | None:
    """The lit word: its text, its begin (s), its sentence's id and how many are lit."""
    return page.evaluate(f"""(() => {{
        const all = document.querySelectorAll({WORD!r});
        const w = all[0];
        return w ? {{ text: w.textContent, begin: parseFloat(w.dataset.begin),
                      sid: w.closest('a.s').id, count: all.length,
                      sentenceLit: w.closest('a.s').getAttribute('aria-current') }} : null;
    }})()""")


def word_said_at(s: Sentence, ms: int) -> Word | None:
    """The word of `s` being said at `ms`: the last one begun (None before the first)."""
    begun = [w for w in s.words if w.begin <= ms]
    return begun[-1] if begun else None


def expected(syncmap, ms: int, ahead: bool) -> tuple[str | None, str | None]:
    """The sentence (id) and word (text) the page should light at `ms`: the sentence as
    `webapp.moments.sentence_at` says (a seek lights ahead, playing on does not), its
    word being said."""
    timed = [s for s in syncmap.sentences if s.aligned]
    k = sentence_at([s.begin for s in timed], [s.end for s in timed], ms, ahead)
    if k < 0:
        return None, None
    word = word_said_at(timed[k], ms)
    return timed[k].id, word.text if word else None


def now_ms(page) -> int:
    return round(audio_time(page) * 1000)


def settled(page) -> None:
    """Wait for the seek to be done and the page to have lit what is there: the browser
    may settle a little off the time asked (on an MP3 frame)."""
    until(page, "!document.getElementById('audio').seeking")
    page.wait_for_timeout(100)


def word_offset(s: Sentence, k: int) -> int:
    """The character offset in `s.text` of the middle of word `k`."""
    at = 0
    for n, w in enumerate(s.words):
        at = s.text.index(w.text, at)
        if n == k:
            return at + len(w.text) // 2
        at += len(w.text)
    raise IndexError(k)


def click_timeline(page, fraction: float) -> None:
    """Click the timeline strip `fraction` of the way along, as a listener does (where
    the strip is now: the page scrolls as the lit sentence is followed)."""
    box = steady(page, "#timeline svg")
    page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)


def seek_by_timeline(page, ms: int, duration: int) -> None:
    """Click the timeline strip where `ms` is."""
    click_timeline(page, ms / duration)


def watch_seeks(page) -> None:
    """Keep the time of every seek the page makes (read by `seeks`)."""
    page.evaluate("""(() => { window.seekTimes = [];
        const a = document.getElementById('audio');
        a.addEventListener('seeking', () => window.seekTimes.push(a.currentTime)); })()""")


def steady(page, selector: str) -> dict:
    """The element's box once the page has stopped moving (a smooth scroll, a sticky
    bar settling): where a listener would aim."""
    box = page.locator(selector).bounding_box()
    for _ in range(50):
        page.wait_for_timeout(60)
        again = page.locator(selector).bounding_box()
        if again == box:
            return box
        box = again
    return box


def seeks(page) -> list[float]:
    return page.evaluate("window.seekTimes")


def test_seeking_and_playing_light_the_word_being_said(page, live_server, worded) -> None:
    rid, syncmap = worded
    open_player(page, live_server, f"/r/{rid}")
    assert page.locator("#transcript [data-word]").count() < 40  # none sent by the server
    s = syncmap.sentences[3]
    w = s.words[4]
    seek_by_timeline(page, (w.begin + w.end) // 2, syncmap.duration)
    page.wait_for_selector(WORD)
    settled(page)
    want = word_said_at(s, now_ms(page))
    got = lit_word(page)
    assert (got["text"], got["begin"], got["sid"], got["count"], got["sentenceLit"]) == (
        want.text, want.begin / 1000, s.id, 1, "true")
    # a seek with the keyboard (→, five seconds on)
    page.keyboard.press("ArrowRight")
    until(page, f"document.querySelector({WORD!r}) && "
                f"document.querySelector({WORD!r}).closest('a.s').id !== {s.id!r}")
    settled(page)
    got = lit_word(page)
    assert (got["sid"], got["text"], got["count"]) == (*expected(syncmap, now_ms(page), True), 1)
    # playing: the light moves from word to word; paused, it is the word at the time
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    until(page, "!document.getElementById('audio').paused")
    page.wait_for_timeout(1500)
    page.keyboard.press("Space")
    until(page, "document.getElementById('audio').paused")
    page.wait_for_timeout(100)
    sid, text = expected(syncmap, now_ms(page), False)
    got = lit_word(page) or {}
    assert (got.get("sid"), got.get("text")) == (sid, text)


def test_a_click_on_a_word_plays_from_it_and_between_words_from_the_sentence(
        page, live_server, worded) -> None:
    rid, syncmap = worded
    open_player(page, live_server, f"/r/{rid}")
    watch_seeks(page)
    s = syncmap.sentences[1]  # "Today we talk about the old harbour bridge."
    w = s.words[5]  # "old"
    steady(page, f"#{s.id}")
    page.mouse.click(*char_point(page, s.id, word_offset(s, 5)))
    until(page, "!document.getElementById('audio').paused && window.seekTimes.length === 1")
    assert abs(seeks(page)[0] - w.begin / 1000) < 0.002
    page.wait_for_selector(f"#{s.id}[aria-current='true'] [data-word][aria-current='time']")
    page.keyboard.press("Space")
    until(page, "document.getElementById('audio').paused")
    # the space between two words is the sentence's own: from its start
    t = syncmap.sentences[4]
    space = t.text.index(" ", t.text.index(t.words[2].text))
    steady(page, f"#{t.id}")
    x, y = char_point(page, t.id, space)
    page.mouse.move(x, y)
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).id") == t.id
    page.mouse.click(x, y)
    # (the seek's event comes a moment after the click)
    until(page, "!document.getElementById('audio').paused && window.seekTimes.length === 2")
    assert abs(seeks(page)[-1] - t.begin / 1000) < 0.002
    assert t.begin < t.words[0].begin or t.begin == t.words[0].begin
    page.keyboard.press("Space")


def test_a_drag_over_words_shares_a_quote_from_the_first_word_to_the_last(
        browser, live_server, worded) -> None:
    rid, syncmap = worded
    with new_page(browser, viewport={"width": 1280, "height": 900},
                  clipboard=live_server.url) as page:
        open_player(page, live_server, f"/r/{rid}")
        a, b = syncmap.sentences[3], syncmap.sentences[4]
        # from inside a's third word to inside b's second
        select_across(page, a, b, start=word_offset(a, 2), end=word_offset(b, 1))
        button = page.wait_for_selector("#share-selection:not([hidden])")
        want = (f"{live_server.url}/r/{rid}?t={a.words[2].begin / 1000:g}"
                f"&end={b.words[1].end / 1000:g}")
        clip = page.get_attribute("#share-selection .download-clip", "href")
        assert clip.endswith(f"/clip.mp3?t={a.words[2].begin / 1000:g}"
                             f"&end={b.words[1].end / 1000:g}")
        assert paused(page)
        button.click()
        until(page, f"navigator.clipboard.readText().then(t => t === {want!r})")
        # the link opens on that word: the first word lit (the audio may play on from it
        # before the test looks, on a busy machine)
        page.add_init_script(f"""new MutationObserver((changes, seen) => {{
            const w = document.querySelector({WORD!r});
            if (w && !window.firstLit) {{
                window.firstLit = {{ text: w.textContent, sid: w.closest('a.s').id }};
                seen.disconnect();
            }}
        }}).observe(document, {{ subtree: true, childList: true, attributes: true,
                                 attributeFilter: ['aria-current'] }});""")
        page.goto(want)
        page.wait_for_selector(f"#{a.id}[aria-current='true']")
        until(page, "window.firstLit !== undefined")
        got = page.evaluate("window.firstLit")
        assert (got["sid"], got["text"]) == (a.id, a.words[2].text)


def test_a_search_hit_plays_from_the_first_word_it_matched(page, live_server, worded) -> None:
    rid, syncmap = worded
    open_player(page, live_server, f"/r/{rid}")
    watch_seeks(page)
    s = syncmap.sentences[1]
    w = s.words[6]  # "harbour", mid-sentence
    page.click("#q")
    page.keyboard.type("harbour")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#search-results a.hit[data-sid='{s.id}']")
    hit = page.locator(f"#search-results a.hit[data-sid='{s.id}']")
    assert hit.get_attribute("href").endswith(f"?t={w.begin / 1000:.3f}")
    hit.click()
    until(page, "!document.getElementById('audio').paused && window.seekTimes.length > 0")
    assert abs(seeks(page)[-1] - w.begin / 1000) < 0.002
    page.wait_for_selector(f"#{s.id}[aria-current='true']")
    until(page, f"document.querySelector({WORD!r}) !== null")
    assert lit_word(page)["sid"] == s.id


def test_link_to_now_names_the_word_being_said(browser, live_server, worded) -> None:
    rid, syncmap = worded
    with new_page(browser, viewport={"width": 1280, "height": 900},
                  clipboard=live_server.url) as page:
        open_player(page, live_server, f"/r/{rid}")
        s = syncmap.sentences[2]
        w = s.words[3]
        seek_by_timeline(page, (w.begin + w.end) // 2, syncmap.duration)
        page.wait_for_selector(WORD)
        said = lit_word(page)
        page.click("button[data-action='share-now']")
        until(page, "document.getElementById('toast').dataset.copied")
        link = page.evaluate("navigator.clipboard.readText()")
        assert link == f"{live_server.url}/r/{rid}?t={said['begin']:g}"
        assert f"“{said['text'].strip('.,')}”" in page.inner_text("#toast")
        page.goto(link)
        page.wait_for_selector(WORD)
        assert lit_word(page)["text"] == said["text"]


def test_without_javascript_the_page_is_as_it_was(browser, live_server, worded) -> None:
    rid, syncmap = worded
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(live_server.url + f"/r/{rid}")
        s = syncmap.sentences[1]
        assert page.locator("[data-word]").count() == 0
        assert page.inner_text(f"#{s.id}") == s.text
        assert page.get_attribute(f"#{s.id}", "href").endswith(f"?t={s.begin / 1000:.3f}")


def test_a_long_transcript_keeps_few_word_elements(page, live_server, app,
                                                   long_audio) -> None:
    app.config["PAGE_SENTENCES"] = 80
    rid, syncmap = add_long_recording(app, long_audio, words=True)
    open_player(page, live_server, f"/r/{rid}")
    # clicks on the timeline all over the recording: parts are fetched on the way, and
    # each time the lit word is the one said then
    for n in range(1, 30):
        click_timeline(page, (n * 0.377) % 1)
        settled(page)
        sid, text = expected(syncmap, now_ms(page), True)
        until(page, f"(document.querySelector({CURRENT!r}) || {{}}).id === {sid!r}")
        if text:
            until(page, f"(document.querySelector({WORD!r}) || {{}}).textContent === {text!r}")
    on_page = page.locator("#transcript a.s[data-words]").count()
    wrapped = page.evaluate("new Set(Array.from(document.querySelectorAll("
                            "'#transcript [data-word]'), w => w.closest('a.s'))).size")
    assert on_page > 100 and wrapped <= 25, (on_page, wrapped)
    assert page.locator(CURRENT).count() == 1


def test_an_edge_nudged_by_an_editor_leaves_no_word_outside_its_sentence(
        page, live_server, app, speech) -> None:
    from tests.browser.test_editing import open_editor, stored
    from webapp.words import page_times

    app.config["LISTEN_HOST"] = "127.0.0.1"  # editing open: loopback, no editor yet
    rid, syncmap = add_reading(app, speech, words=True)
    s = syncmap.sentences[3]
    open_editor(page, live_server, f"/r/{rid}")
    # its words are wrapped (the pointer came over it) before the edge moves
    page.mouse.move(*char_point(page, s.id, 2))
    until(page, f"document.querySelectorAll('#{s.id} [data-word]').length === {len(s.words)}")
    page.focus(f"#{s.id}")
    page.keyboard.press("Shift+BracketRight")  # its start 250 ms later: past its first word
    page.wait_for_selector("#history li.change-timing", timeout=30_000)
    now = stored(app, rid).sentences[3]
    assert now.begin == s.begin + 250
    assert all(now.begin <= w.begin <= w.end <= now.end for w in now.words)
    # the page carries what the server keeps: the words found again, or none
    want = page_times(now.words) or None
    until(page, f"document.getElementById({s.id!r}).getAttribute('data-words') === "
                f"{want!r}".replace("None", "null"))
    # and a click where the first word was plays from the sentence's new start
    until(page, "document.getElementById('audio').paused", timeout=10_000)  # heard
    watch_seeks(page)
    page.mouse.click(*char_point(page, s.id, 1))
    until(page, "window.seekTimes.length > 0")
    first = now.words[0].begin if now.words else now.begin
    assert abs(seeks(page)[0] - first / 1000) < 0.002


def test_a_tap_on_a_word_plays_from_it(browser, live_server, worded) -> None:
    rid, syncmap = worded
    with new_page(browser, viewport={"width": 390, "height": 844}, has_touch=True,
                  is_mobile=True) as page:
        open_player(page, live_server, f"/r/{rid}")
        watch_seeks(page)
        s = syncmap.sentences[4]
        page.locator(f"#{s.id}").scroll_into_view_if_needed()
        # a finger hovers nothing before it lands: the words are not wrapped yet, and the
        # tap itself must find its word
        assert page.locator(f"#{s.id} [data-word]").count() == 0
        page.touchscreen.tap(*char_point(page, s.id, word_offset(s, 3)))
        until(page, "window.seekTimes.length > 0")
        assert abs(seeks(page)[0] - s.words[3].begin / 1000) < 0.002
