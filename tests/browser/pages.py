"""What the browser tests share: waiting on the page, opening the player, a long recording.

Playwright's wait_for_function polls with eval, which the page's Content-Security-Policy
forbids (as it should); `until` polls with page.evaluate, which goes through the debugger
protocol instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alignment.syncmap import SyncMap
from tests.helpers import RAW_TRANSCRIPT, wait_for
from testsupport.browser import READY

CURRENT = "#transcript a.s[aria-current='true']"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.10.3.min.js"


def until(page, expression: str, timeout: float = 5000) -> None:
    """Wait until `expression` is truthy in the page (`timeout` in ms, as Playwright's)."""
    wait_for(lambda: page.evaluate(expression), timeout / 1000,
             f"timed out waiting for {expression}", interval=0.03)


def char_point(page, sid: str, offset: int) -> tuple[float, float]:
    """Where character `offset` of sentence `sid` is on the screen (its middle): a place
    for the mouse to press."""
    return tuple(page.evaluate(f"""(() => {{
        const el = document.getElementById({sid!r});
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let left = {offset}, node = walker.nextNode();
        while (node && left >= node.data.length) {{
            left -= node.data.length; node = walker.nextNode(); }}
        const r = document.createRange();
        r.setStart(node, left); r.setEnd(node, left + 1);
        const box = r.getClientRects()[0];
        return [box.left + box.width / 2, box.top + box.height / 2]; }})()"""))


def select_across(page, a, b, start: int = 4, end: int = 7) -> None:
    """Select from character `start` of sentence `a` to character `end` of sentence `b`
    with a real mouse drag (press, move in steps, release), as a reader does."""
    page.locator(f"#{a.id}").scroll_into_view_if_needed()
    x0, y0 = char_point(page, a.id, start)
    x1, y1 = char_point(page, b.id, end)
    page.mouse.move(x0 - 3, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1 + 3, y1, steps=5)
    page.mouse.up()


def audio_time(page) -> float:
    return page.evaluate("document.getElementById('audio').currentTime")


def paused(page) -> bool:
    return page.evaluate("document.getElementById('audio').paused")


def open_player(page, live_server, path: str):
    page.goto(live_server.url + path)
    until(page, READY)
    return page


@contextmanager
def new_page(browser, clipboard: str | None = None, **options: Any) -> Iterator[Any]:
    """A page in a browser context of its own (`options` as Playwright's `new_context`:
    a viewport, a phone, no JavaScript...), closed when the block ends; with `clipboard`
    (an origin, the live server's url), allowed to write and read the clipboard there."""
    context = browser.new_context(**options)
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=clipboard)
    try:
        yield context.new_page()
    finally:
        context.close()


def in_viewport(page, selector: str) -> bool:
    """True when the element is wholly inside the window, below the sticky deck."""
    return page.evaluate(f"""(() => {{
        const el = document.querySelector({selector!r});
        const r = el.getBoundingClientRect();
        const deck = document.querySelector('.deck');
        const top = deck ? deck.getBoundingClientRect().bottom : 0;
        return r.top >= top - 1 && r.bottom <= window.innerHeight + 1; }})()""")


def add_long_recording(app, audio: Path, sentences: int = 240,
                       seconds: int = 600, words: bool = False) -> tuple[str, SyncMap]:
    """A long transcript (the seed's sentences, evenly timed) over silent audio (with
    `words`, its words' times too)."""
    from testsupport.recordings import long_syncmap
    from webapp.importer import store_recording

    with app.app_context():
        rid = store_recording(app, audio, RAW_TRANSCRIPT, title="A long meeting")
    syncmap = long_syncmap(sentences, seconds * 1000, words=words)
    app.extensions["store"].save_alignment(rid, syncmap)
    return rid, syncmap


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the page at the given impacts (vendored axe, run in the page)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("axe.run(document).then(r => r.violations.map(v => ({id: v.id, "
                           "impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + "
                           "' ' + (n.failureSummary || '').slice(0, 160))})))")
    return [v for v in result if v["impact"] in impacts]
