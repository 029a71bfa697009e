"""What the browser tests share: waiting on the page, opening the player, a long recording.

Playwright's wait_for_function polls with eval, which the page's Content-Security-Policy
forbids (as it should); `until` polls with page.evaluate, which goes through the debugger
protocol instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from alignment.syncmap import SyncMap
from tests.helpers import RAW_TRANSCRIPT, wait_for

CURRENT = "#transcript a.s[aria-current='true']"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.10.3.min.js"


def until(page, expression: str, timeout: float = 5000) -> None:
    """Wait until `expression` is truthy in the page (`timeout` in ms, as Playwright's)."""
    wait_for(lambda: page.evaluate(expression), timeout / 1000,
             f"timed out waiting for {expression}", interval=0.03)


def select_across(page, a, b, start: int = 4, end: int = 7) -> None:
    """Select the text of the page from character `start` of sentence `a` to character
    `end` of sentence `b`, as a mouse would."""
    page.evaluate(f"""(() => {{
        const r = document.createRange();
        r.setStart(document.getElementById('{a.id}').firstChild, {start});
        r.setEnd(document.getElementById('{b.id}').firstChild, {end});
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r); }})()""")


def audio_time(page) -> float:
    return page.evaluate("document.getElementById('audio').currentTime")


def paused(page) -> bool:
    return page.evaluate("document.getElementById('audio').paused")


def open_player(page, live_server, path: str):
    page.goto(live_server.url + path)
    until(page, "window.transcriptPlayer && document.getElementById('audio').readyState >= 1")
    return page


def in_viewport(page, selector: str) -> bool:
    """True when the element is wholly inside the window, below the sticky deck."""
    return page.evaluate(f"""(() => {{
        const el = document.querySelector({selector!r});
        const r = el.getBoundingClientRect();
        const deck = document.querySelector('.deck');
        const top = deck ? deck.getBoundingClientRect().bottom : 0;
        return r.top >= top - 1 && r.bottom <= window.innerHeight + 1; }})()""")


def silent_mp3(path: Path, seconds: int) -> Path:
    """Constant-bitrate silence: pages that only need a long recording."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
         "anullsrc=r=8000:cl=mono", "-t", str(seconds), "-codec:a", "libmp3lame",
         "-b:a", "8k", str(path)], check=True)
    return path


def add_long_recording(app, audio: Path, sentences: int = 240,
                       seconds: int = 600) -> tuple[str, SyncMap]:
    """A long transcript (the seed's sentences, evenly timed) over silent audio."""
    from benchmarks.player_bench import long_syncmap
    from webapp.importer import store_recording

    with app.app_context():
        rid = store_recording(app, audio, RAW_TRANSCRIPT, title="A long meeting")
    syncmap = long_syncmap(sentences, seconds * 1000)
    app.extensions["store"].save_alignment(rid, syncmap)
    return rid, syncmap


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the page at the given impacts (vendored axe, run in the page)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("axe.run(document).then(r => r.violations.map(v => ({id: v.id, "
                           "impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + "
                           "' ' + (n.failureSummary || '').slice(0, 160))})))")
    return [v for v in result if v["impact"] in impacts]
