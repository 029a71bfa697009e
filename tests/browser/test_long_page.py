"""A long transcript in parts, in real Chromium (static/parts.mjs, webapp/paging.py): a
deep link lights its sentence, seeking or playing into a part not on the page fetches it
first, scrolling fills the next part in, and keys cross from one part to the next."""

from __future__ import annotations

import pytest

from tests.browser.pages import CURRENT, open_player, until

pytestmark = pytest.mark.browser

SIZE = 40  # sentences a part: the 240 of `long_recording` make six parts


@pytest.fixture
def long_page(app, long_recording):
    app.config["PAGE_SENTENCES"] = SIZE
    return long_recording


def lit(page) -> str | None:
    return page.evaluate(f"(document.querySelector({CURRENT!r}) || {{}}).id || null")


def on_page(page, sid: str) -> bool:
    return page.evaluate(f"!!document.getElementById({sid!r})")


def test_a_deep_link_lights_its_sentence(page, live_server, long_page) -> None:
    rid, syncmap = long_page
    s = syncmap.sentences[201]
    open_player(page, live_server, f"/r/{rid}?t={(s.begin + 200) / 1000}")
    page.wait_for_selector(f"#{s.id}[aria-current='true']")
    assert not on_page(page, syncmap.sentences[0].id)  # the first part is not fetched
    assert page.locator(".part-pending").count() > 0


def test_a_permalink_and_a_fragment_light_their_sentence(page, live_server, long_page) -> None:
    rid, syncmap = long_page
    s = syncmap.sentences[130]
    open_player(page, live_server, f"/r/{rid}/s/{s.id}")
    page.wait_for_selector(f"#{s.id}[aria-current='true']")
    # a #t= link into a part the first page does not have opens the page that has it
    t = syncmap.sentences[170]
    page.goto(f"{live_server.url}/r/{rid}#t={(t.begin + 300) / 1000}")
    page.wait_for_selector(f"#{t.id}[aria-current='true']")
    assert "t=" in page.url and "#" not in page.url
    # a #t= set on the open page fetches its part first
    u = syncmap.sentences[5]
    page.evaluate(f"window.location.hash = 't={(u.begin + 300) / 1000}'")
    page.wait_for_selector(f"#{u.id}[aria-current='true']")


def test_a_seek_far_away_fetches_its_part(page, live_server, long_page) -> None:
    rid, syncmap = long_page
    open_player(page, live_server, f"/r/{rid}")
    for n in (190, 60, 235):
        s = syncmap.sentences[n]
        # until its part is on the page no other sentence is lit in its place
        now = page.evaluate(f"""(() => {{
            document.getElementById('audio').currentTime = {(s.begin + 300) / 1000};
            window.transcriptPlayer.update();
            const el = document.querySelector({CURRENT!r});
            return el ? el.id : null; }})()""")
        assert now in (None, s.id)
        page.wait_for_selector(f"#{s.id}[aria-current='true']")
        assert page.locator(CURRENT).count() == 1


def test_a_search_hit_in_a_part_not_on_the_page_plays_there(page, live_server,
                                                             long_page) -> None:
    rid, syncmap = long_page
    open_player(page, live_server, f"/r/{rid}")
    page.mouse.move(300, 500)
    page.mouse.wheel(0, 1500)  # the reader scrolls away from where the player is
    page.wait_for_selector("#back-to-now:not([hidden])")
    page.fill("#q", "bridge")
    page.wait_for_selector("#search-results a.hit")
    sid = page.eval_on_selector_all(
        "#search-results a.hit", "hs => hs.map(h => h.dataset.sid)"
        ".filter(sid => !document.getElementById(sid)).pop() || null")
    assert sid  # a hit whose sentence is in a part still to come
    s = next(s for s in syncmap.sentences if s.id == sid)
    page.click(f"#search-results a.hit[data-sid='{sid}']")
    page.wait_for_selector(f"#{sid}[aria-current='true']")
    assert abs(page.evaluate("document.getElementById('audio').currentTime")
               - s.begin / 1000) < 1
    # playing from there, the page follows it again: no way "back" is offered
    assert page.is_hidden("#back-to-now")


def test_playing_into_the_next_part_fetches_and_lights_it(page, live_server, long_page) -> None:
    rid, syncmap = long_page
    open_player(page, live_server, f"/r/{rid}")
    first_pending = int(page.evaluate(
        "document.querySelector('.part-pending:not(#part-2)').dataset.first"))
    nxt = syncmap.sentences[first_pending]
    before = syncmap.sentences[first_pending - 1]
    assert not on_page(page, nxt.id)
    # from the sentence before the part boundary, playing on crosses it
    page.evaluate(f"""(() => {{ const a = document.getElementById('audio');
        a.playbackRate = 2; a.currentTime = {(before.begin + 100) / 1000}; a.play(); }})()""")
    page.wait_for_selector(f"#{nxt.id}[aria-current='true']", timeout=15_000)
    page.evaluate("document.getElementById('audio').pause()")


def test_keys_cross_into_the_next_part(page, live_server, long_page) -> None:
    rid, syncmap = long_page
    s = syncmap.sentences[100]
    open_player(page, live_server, f"/r/{rid}?t={(s.begin + 100) / 1000}")
    page.wait_for_selector(f"#{s.id}[aria-current='true']")
    stop = int(page.evaluate(f"document.getElementById({s.id!r}).closest('.part').dataset.stop"))
    last = next(x for x in reversed(syncmap.sentences[:stop]) if x.aligned)
    following = next(x for x in syncmap.sentences[stop:] if x.aligned)
    page.evaluate(f"document.getElementById('audio').currentTime = {(last.begin + 100) / 1000}")
    page.wait_for_selector(f"#{last.id}[aria-current='true']")
    until(page, f"!!document.getElementById({following.id!r})")  # the next part came
    page.focus(f"#{last.id}")
    page.keyboard.press("j")
    page.wait_for_selector(f"#{following.id}[aria-current='true']")


def test_scrolling_fills_the_next_part_in(page, live_server, long_page) -> None:
    rid, syncmap = long_page
    open_player(page, live_server, f"/r/{rid}?page=3")
    assert lit(page) is None or on_page(page, lit(page))
    pending = page.locator(".part-pending").count()
    later = page.evaluate("document.querySelector('#part-3 ~ .part-pending').id")
    page.evaluate(f"document.getElementById({later!r}).scrollIntoView()")
    until(page, f"!document.getElementById({later!r}).classList.contains('part-pending')")
    assert page.locator(".part-pending").count() < pending
    # its sentences play like the others
    first = int(page.evaluate(f"document.getElementById({later!r}).dataset.first"))
    s = syncmap.sentences[first + 3]
    page.click(f"#{s.id}")
    page.wait_for_selector(f"#{s.id}[aria-current='true']")


def test_the_embed_of_a_long_transcript_comes_in_parts_too(browser, live_server,
                                                          long_page) -> None:
    # its own page: an embed links no icon, so Chromium's /favicon.ico 404 is no error here
    rid, syncmap = long_page
    context = browser.new_context(viewport={"width": 640, "height": 260})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        s = syncmap.sentences[150]
        open_player(page, live_server, f"/r/{rid}/embed?t={(s.begin + 200) / 1000}")
        page.wait_for_selector(f"#{s.id}[aria-current='true']", state="attached")
        assert not on_page(page, syncmap.sentences[0].id)
        far = syncmap.sentences[10]
        page.evaluate(f"document.getElementById('audio').currentTime = {(far.begin + 300) / 1000}")
        page.wait_for_selector(f"#{far.id}[aria-current='true']", state="attached")
    finally:
        context.close()
    assert not errors


def test_after_an_editors_change_swaps_in_the_whole_transcript(page, live_server,
                                                               long_page) -> None:
    # an editor's change answers with the whole transcript, put into #transcript-body
    # (webapp/editing.py); the parts are gone and every sentence lights as on a short page
    rid, syncmap = long_page
    open_player(page, live_server, f"/r/{rid}")
    page.evaluate("""(async () => {
        const srcs = Array.from(document.querySelectorAll('.part[data-part]'),
            (el) => `${location.pathname}/part/${el.dataset.part}`);
        const parts = await Promise.all(srcs.map((u) => fetch(u).then((r) => r.text())));
        document.getElementById('transcript-body').innerHTML = parts.join('');
        window.transcriptPlayer.refresh();
    })()""")
    until(page, "!document.querySelector('.parts') && document.querySelectorAll('a.s').length"
                f" === {len(syncmap.sentences)}")
    for n in (200, 20):
        s = syncmap.sentences[n]
        page.evaluate(f"document.getElementById('audio').currentTime = {(s.begin + 300) / 1000}")
        page.wait_for_selector(f"#{s.id}[aria-current='true']")
