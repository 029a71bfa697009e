"""How long a re-alignment after a one-sentence edit takes, against a full alignment.

    python -m benchmarks.realign_bench [--outdir bench-out] [--edits 12]

The recording is the seed as published (`seed-raw`: the 8.5-minute synthesised reading of
the NATO–Russia press conference with its header, labels and footer; built by
`benchmarks.corpus` when missing). It is stored in a web app on a temporary data folder
and aligned in full (`alignment.align`, timed three times). Then, for sentences spread
over the recording, a word of the stored text is made wrong (written straight to the
store, as a transcript with a typo would be), and an editor corrects it through the web
app (`POST /r/<id>/s/<sid>/edit`, as htmx sends it): the wall time of that request is
the figure, cut, alignment of the stretch, the write in one transaction and the
transcript rendered again included. The corrected sentence's new times are compared with
the truth the reading was made from.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import ensure_case

CASE = "seed-raw"


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _typo(text: str) -> str:
    """The sentence with its longest word made wrong (what an editor would correct)."""
    words = text.split()
    longest = max(range(len(words)), key=lambda i: len(words[i].strip(".,;:?!")))
    words[longest] = "banana" + words[longest][len(words[longest].rstrip(".,;:?!")):]
    return " ".join(words)


def run(outdir: Path, edits: int) -> dict:
    """Measure; returns the figures (times in seconds, errors in ms)."""
    import alignment
    from webapp import create_app
    from webapp.history import apply_change, row_of
    from webapp.importer import store_recording

    audio, _ = ensure_case(CASE, outdir)
    case_dir = audio.parent
    transcript = (case_dir / "transcript.txt").read_text(encoding="utf-8")
    truth = json.loads((case_dir / "truth.json").read_text(encoding="utf-8"))
    true_times = {_norm(s["text"]): (round(s["begin"] * 1000), round(s["end"] * 1000))
                  for s in truth["sentences"]}

    with tempfile.TemporaryDirectory(prefix="tp-realign-bench-") as tmp:
        app = create_app({"DATA_DIR": tmp, "HUEY_IMMEDIATE": True,
                          "LISTEN_HOST": "127.0.0.1"})
        store = app.extensions["store"]
        with app.app_context():
            rid = store_recording(app, audio, transcript, title="Seed", language="eng")
        full = []
        for _ in range(3):
            t0 = time.perf_counter()
            syncmap = alignment.align(str(audio), transcript, language="eng")
            full.append(time.perf_counter() - t0)
        store.save_alignment(rid, syncmap)
        rec = store.get_recording_info(rid)
        stored = store.load_syncmap(rec)
        candidates = [s for s in stored.sentences
                      if s.aligned and len(s.text.split()) >= 5 and _norm(s.text) in true_times]
        step = max(1, len(candidates) // edits)
        chosen = candidates[::step][:edits]

        client = app.test_client()
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        rows = []
        for s in chosen:
            wrong = _typo(s.text)
            apply_change(store.engine, rid, kind="text", editor="bench", summary="typo",
                         after=[row_of(s.__class__(**{**s.__dict__, "text": wrong}))])
            t0 = time.perf_counter()
            resp = client.post(f"/r/{rid}/s/{s.id}/edit", headers={"HX-Request": "true"},
                               data={"text": s.text, "speaker": s.speaker or "",
                                     "csrf_token": token})
            took = time.perf_counter() - t0
            assert resp.status_code == 200, resp.text[:500]
            after = store.load_syncmap(rec).sentences[s.index]
            begin, end = true_times[_norm(s.text)]
            span = re.search(r"re-aligned (\S+)–(\S+)", store_summary(store, rid))
            rows.append({"index": s.index, "seconds": took, "words": len(s.text.split()),
                         "span": span.group(0) if span else "",
                         "begin_err": after.begin - begin, "end_err": after.end - end,
                         "full_begin_err": s.begin - begin, "full_end_err": s.end - end})
        store.dispose()

    edit_times = [r["seconds"] for r in rows]
    return {
        "load": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "duration_s": truth["duration"],
        "sentences": len(stored.sentences),
        "full_s": full,
        "edits": rows,
        "edit_median_s": statistics.median(edit_times),
        "edit_max_s": max(edit_times),
        "within_100": sum(abs(r["begin_err"]) <= 100 for r in rows) / len(rows),
        "full_within_100": sum(abs(r["full_begin_err"]) <= 100 for r in rows) / len(rows),
    }


def store_summary(store, rid: str) -> str:  # type: ignore[no-untyped-def]
    """The newest change's summary (it names the stretch re-aligned)."""
    from webapp.history import list_changes

    return list_changes(store.engine, rid, limit=1)[0].summary


def report(r: dict) -> str:
    """The figures as the Markdown table docs/editing.md shows."""
    full = statistics.median(r["full_s"])
    lines = [
        "| what | wall time |",
        "|---|---|",
        f"| full alignment of the seed ({r['duration_s'] / 60:.1f} min, {r['sentences']} "
        f"sentences), median of 3 | {full:.2f} s |",
        f"| one sentence corrected and re-aligned (the whole request), median of "
        f"{len(r['edits'])} | {r['edit_median_s']:.2f} s ({r['edit_median_s'] / full:.0%} of "
        "a full alignment) |",
        f"| the same, slowest | {r['edit_max_s']:.2f} s |",
        "",
        f"Measured on {r['cpus']} cores shared with other work (load average "
        f"{r['load']:.1f} at the end): both figures under the same load.",
        "",
        f"Starts of the corrected sentences within 100 ms of the truth: "
        f"{r['within_100']:.0%} after the re-alignment (the full alignment had "
        f"{r['full_within_100']:.0%}).",
        "",
        "| sentence | words | stretch re-aligned | request | start error | end error |",
        "|---|---|---|---|---|---|",
    ]
    for e in r["edits"]:
        lines.append(f"| {e['index'] + 1} | {e['words']} | {e['span'].replace('re-aligned ', '')} "
                     f"| {e['seconds']:.2f} s | {e['begin_err']:+d} ms | {e['end_err']:+d} ms |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outdir", type=Path, default=Path("bench-out"))
    ap.add_argument("--edits", type=int, default=12)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    r = run(a.outdir, a.edits)
    if a.json:
        a.json.write_text(json.dumps(r, indent=1))
    print(report(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
