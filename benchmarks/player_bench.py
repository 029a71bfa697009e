"""How the player copes with a four-hour recording of about 3,000 sentences.

    python -m benchmarks.player_bench [--sentences 3000] [--hours 4] [--runs 15]
                                      [--seeks 400] [--no-words] [--no-doc]

Builds a recording of that length (silent audio from ffmpeg's anullsrc, at a low
constant bitrate; sentence timings laid out evenly, the seed's sentences and speakers,
as the demo reads them (`alignment.synthetic.seed_sentences`), repeated; each word's
time a share of its sentence by its length, `testsupport.recordings.words_by_length`,
unless `--no-words`)
straight into a temporary store, then measures:

- server: the render time of the player page `/r/<id>` (Flask test client, median and
  90th percentile of N requests after one warm-up), its size, and the same for a share
  link and for the search partial;
- browser (real Chromium through Playwright): the time from navigation to the player
  being set up, the time of one highlight update (`TranscriptPlayer.update`, which runs
  the binary search and moves `aria-current`) measured with `performance.now()` around
  seeks to random moments, alone and with the style and layout it causes (the lit word
  with it, and the wrapping of the words of the sentences it lights), and the update
  time while the audio really plays; and how many word elements the page then holds.

Results go to stdout, bench-out/player_bench.json, and the "player-bench" section of
docs/player.md (`benchmarks.doc.update_section`: between its markers, written atomically;
nothing else in docs/ is touched).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from alignment.syncmap import SyncMap
from benchmarks.doc import update_section
from testsupport.browser import CHROMIUM, LiveServer, launch, wait_ready
from testsupport.recordings import long_syncmap, silent_mp3

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "player.md"
SECTION = "player-bench"  # <!-- player-bench:begin --> ... <!-- player-bench:end -->


def _stats(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "mean": statistics.fmean(values),
        "median": statistics.median(values),
        "p90": values[min(len(values) - 1, int(len(values) * 0.9))],
        "max": values[-1],
        "n": len(values),
    }


def measure_server(app, rid: str, syncmap: SyncMap, runs: int) -> dict:  # type: ignore[no-untyped-def]
    """Render times (ms) of the player page, a share link and the search partial."""
    client = app.test_client()
    mid = syncmap.sentences[len(syncmap.sentences) // 2]
    urls = {
        "player": f"/r/{rid}",
        "share_link": f"/r/{rid}?t={mid.begin / 1000}&end={mid.end / 1000 + 20}",
        "search_partial": f"/r/{rid}/search?q=enlargement",
    }
    out = {}
    for name, url in urls.items():
        headers = {"HX-Request": "true"} if name == "search_partial" else {}
        resp = client.get(url, headers=headers)  # warm-up (templates compiled, caches)
        assert resp.status_code == 200, (url, resp.status_code)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            resp = client.get(url, headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {**_stats(times), "bytes": len(resp.data)}
    return out


SEEK_JS = """
([seeks, within]) => {
  const p = window.transcriptPlayer;
  const audio = p.audio;
  p.state.setFollowing(true);  // following, and not detached
  const d = audio.duration;
  let x = 12345;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  const js = [], withLayout = [], steady = [];
  let changes = 0, wordChanges = 0;
  for (let k = 0; k < seeks; k++) {
    const litWord = p.karaoke.litWord;
    // anywhere, or (`within`) inside the part of the transcript on the page
    const shown = document.querySelector('#transcript .part:not(.part-pending)');
    const [lo, hi] = within && shown ? [parseFloat(shown.dataset.begin),
                                        parseFloat(shown.dataset.end)] : [0, d * 0.999];
    audio.currentTime = lo + rnd() * (hi - lo);
    const before = p.state.current;
    let t0 = performance.now();
    p.update();
    const t1 = performance.now();
    document.body.getBoundingClientRect();  // style and layout the update caused
    const t2 = performance.now();
    js.push(t1 - t0);
    withLayout.push(t2 - t0);
    if (p.state.current !== before) changes++;
    if (p.karaoke.litWord !== litWord) wordChanges++;
    t0 = performance.now();
    p.update();  // the same moment again: what each animation frame costs while playing
    steady.push(performance.now() - t0);
  }
  const wordEls = document.querySelectorAll('#transcript [data-word]');
  return { js, withLayout, steady, changes, wordChanges, wordElements: wordEls.length,
           wrappedSentences: new Set(Array.from(wordEls, (w) => w.closest('a.s'))).size,
           sentencesWithWords: document.querySelectorAll('#transcript a.s[data-words]').length };
}
"""


def measure_browser(url: str, seeks: int) -> dict:
    """Set-up time and per-update times in real Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      reduced_motion="reduce")
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        wait_ready(page)
        ready_ms = (time.perf_counter() - t0) * 1000
        nav = page.evaluate("""(() => { const n = performance.getEntriesByType('navigation')[0];
            const m = performance.getEntriesByName('transcript-player:setup')[0];
            return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                     setup: m ? m.duration : null,
                     sentences: window.transcriptPlayer.sentences.length }; })()""")
        result = page.evaluate(SEEK_JS, [seeks, False])
        # the same inside the part on the page, where every seek lights a sentence and
        # its word (elsewhere the part has to be fetched first: nothing is lit meanwhile)
        near = page.evaluate(SEEK_JS, [seeks, True])
        # real playback at 2x for a few seconds: the rAF loop's cost per frame
        page.evaluate("""(() => { const p = window.transcriptPlayer;
            p.stats = { updates: 0, changes: 0, totalMs: 0, maxMs: 0 };
            p.audio.currentTime = 600; p.audio.playbackRate = 2; return p.audio.play(); })()""")
        page.wait_for_timeout(5000)
        playing = page.evaluate("""(() => { const p = window.transcriptPlayer; p.audio.pause();
            return { ...p.stats, time: p.audio.currentTime }; })()""")
        browser.close()
    return {
        "ready_ms": ready_ms,
        "navigation": nav,
        "update_js_ms": _stats(result["js"]),
        "update_with_layout_ms": _stats(result["withLayout"]),
        "update_no_change_ms": _stats(result["steady"]),
        "sentence_changes": result["changes"],
        "update_in_part_js_ms": _stats(near["js"]),
        "update_in_part_with_layout_ms": _stats(near["withLayout"]),
        "in_part_sentence_changes": near["changes"],
        "word_changes": near["wordChanges"],
        "word_elements": near["wordElements"],
        "wrapped_sentences": near["wrappedSentences"],
        "sentences_with_words": near["sentencesWithWords"],
        "seeks": seeks,
        "playing": {
            "updates": playing["updates"],
            "changes": playing["changes"],
            "mean_ms": playing["totalMs"] / max(1, playing["updates"]),
            "max_ms": playing["maxMs"],
            "played_to": playing["time"],
        },
    }


def run(n: int, hours: float, runs: int, seeks: int, words: bool = True) -> dict:
    """Build the long recording (`words`: with its words' times), measure server and
    browser; return the figures."""
    from webapp import create_app
    from webapp.media import store_file

    duration_ms = int(hours * 3600 * 1000)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        app = create_app({"DATA_DIR": str(tmpdir / "data")})
        store = app.extensions["store"]
        audio = tmpdir / "silence.mp3"
        t0 = time.perf_counter()
        silent_mp3(audio, int(duration_ms / 1000))
        media = store_file(audio, Path(app.config["MEDIA_DIR"]))
        syncmap = long_syncmap(n, duration_ms, words=words)
        rid = store.add_recording(
            title=f"Benchmark: {hours:g} hours, {n} sentences", language="eng",
            transcript="\n".join(s.text for s in syncmap.sentences), audio_name=media.name,
            audio_sha256=media.sha256, rendition_name=media.name, duration_ms=duration_ms)
        t1 = time.perf_counter()
        store.save_alignment(rid, syncmap)
        save_ms = (time.perf_counter() - t1) * 1000
        build_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        store.load_syncmap(store.get_recording(rid))
        load_ms = (time.perf_counter() - t1) * 1000
        server = measure_server(app, rid, syncmap, runs)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        with LiveServer(app) as live:
            browser = measure_browser(f"{live.url}/r/{rid}", seeks)
        store.dispose()
    return {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {platform.python_version()}, "
                   f"{_cpu_count()} CPU, Debian Chromium {_chromium_version()}",
        "load_average": load,
        "sentences": n,
        "hours": hours,
        "build_s": build_s,
        "save_alignment_ms": save_ms,
        "load_syncmap_ms": load_ms,
        "words": sum(len(s.words) for s in syncmap.sentences),
        "server": server,
        "browser": browser,
    }


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True,
                             text=True, timeout=20).stdout
        return out.split()[1] if out else "?"
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def _ms(x: float) -> str:
    return f"{x:.3f} ms" if x < 1 else f"{x:.1f} ms" if x < 10 else f"{x:.0f} ms"


def _row(label: str, st: dict) -> str:
    size = f"{st['bytes'] / 1024:.0f} KiB" if "bytes" in st else ""
    return f"| {label} | {_ms(st['mean'])} | {_ms(st['median'])} | {_ms(st['p90'])} | {size} |"


def table(r: dict) -> str:
    """The results as the body of the "player-bench" section of docs/player.md."""
    s, b = r["server"], r["browser"]

    lines = [
        f"Measured {r['when']} on {r['machine']} (load average {r['load_average']:.1f} "
        "when it started: other work shared the machine) with "
        f"`{r.get('command', 'python -m benchmarks.player_bench')}` ({r['sentences']:,} "
        f"sentences and {r.get('words', 0):,} words over {r['hours']:g} hours, silent "
        "constant-bitrate audio, fake timings).",
        "",
        "| What | Mean | Median | 90th percentile | Size |",
        "| --- | --- | --- | --- | --- |",
        _row(f"Server: render the player page `/r/<id>` ({s['player']['n']} runs)",
             s["player"]),
        _row("Server: a share link `?t=…&end=…`", s["share_link"]),
        _row("Server: search partial (htmx)", s["search_partial"]),
        _row(f"Browser: one highlight update after a seek ({b['seeks']} random seeks; "
             f"the lit sentence changed {b['sentence_changes']} times)", b["update_js_ms"]),
        _row("Browser: the same, with the style and layout it causes",
             b["update_with_layout_ms"]),
        _row(f"Browser: a seek inside the part on the page ({b['seeks']} seeks; the lit "
             f"sentence changed {b['in_part_sentence_changes']} times, the lit word "
             f"{b['word_changes']})", b["update_in_part_js_ms"]),
        _row("Browser: the same, with the style and layout it causes",
             b["update_in_part_with_layout_ms"]),
        _row("Browser: an update with no change (each frame while playing)",
             b["update_no_change_ms"]),
        "",
        "Chromium rounds `performance.now()` to 0.1 ms on a page that is not "
        "cross-origin isolated, so single browser updates below that read as 0 or 0.1 ms; "
        "the mean over all of them is the figure to read.",
        "",
        f"While the audio played (5 s at 2×) the player ran {b['playing']['updates']} updates "
        f"(one per animation frame), {b['playing']['changes']} of them lighting a new "
        f"sentence: {b['playing']['mean_ms']:.3f} ms on average, {b['playing']['max_ms']:.1f} ms "
        f"at most. The page was ready to play {b['ready_ms'] / 1000:.1f} s after navigation "
        f"(DOMContentLoaded at {b['navigation']['domContentLoaded'] / 1000:.2f} s; "
        + (f"player set-up {b['navigation']['setup']:.0f} ms" if b['navigation']['setup']
           is not None else "player set-up not marked")
        + f"). Storing the {r['sentences']:,} sentences and their search index took "
        f"{r['save_alignment_ms']:.0f} ms (one transaction); reading them back (the sync map "
        f"a page is built from, once per version of the alignment) {r['load_syncmap_ms']:.0f} "
        "ms.",
    ]
    if r.get("words"):
        lines += [
            "",
            f"Words: after the {b['seeks']} seeks the page held {b['word_elements']} word "
            f"elements, in {b['wrapped_sentences']} sentences (of the "
            f"{b['sentences_with_words']} sentences on the page that carry word times); the "
            "server sends no element per word, only each sentence's times (`data-words`).",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--hours", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=15, help="server renders to time")
    parser.add_argument("--seeks", type=int, default=400, help="browser seeks to time")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    parser.add_argument("--no-words", action="store_true", help="sentences without word times")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/player.md")
    args = parser.parse_args(argv)
    results = run(args.sentences, args.hours, args.runs, args.seeks, words=not args.no_words)
    results["command"] = " ".join(["python -m benchmarks.player_bench",
                                   *(argv if argv is not None else sys.argv[1:])])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "player_bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    body = table(results)
    print(body)
    if not args.no_doc:
        update_section(SECTION, body, DOC)


if __name__ == "__main__":
    main()
