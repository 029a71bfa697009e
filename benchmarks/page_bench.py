"""What a very long transcript's player page costs a real `serve` (issue 11 item 8).

    python -m benchmarks.page_bench [--sentences 20000] [--views 16] [--data DIR]

Makes (or reuses) a data folder with one recording of `--sentences` sentences (the
seed's, evenly timed over silent audio, as `benchmarks.player_bench` lays them out),
starts `transcript-player serve --workers 0` on it, and measures over HTTP only (so the
same command measures any version of the server):

- the page's size (uncompressed and gzipped) and the time of its first view after the
  server started (nothing built yet), of a second view, and of a conditional GET;
- `--views` parallel views of the player (each its own connection, each at its own
  `?t=`), while `status.json` of the same recording is fetched once they are under way:
  how long the views took (slowest) and how long `status.json` waited.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from testsupport.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
SECONDS_EACH = 2  # 20,000 sentences last 11 h, under the default bound of 12


def make_data(data: Path, sentences: int) -> str:
    """A data folder holding one recording of `sentences` sentences; its id."""
    from testsupport.recordings import long_syncmap, silent_mp3
    from webapp import create_app
    from webapp.importer import store_recording

    data.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATA_DIR": str(data)})
    store = app.extensions["store"]
    seconds = int(sentences * SECONDS_EACH)
    audio = data / "silence.mp3"
    if not audio.exists():
        silent_mp3(audio, seconds)
    syncmap = long_syncmap(sentences, seconds * 1000)
    with app.app_context():
        rid = store_recording(app, audio, "\n".join(s.text for s in syncmap.sentences[:50]),
                              title=f"{sentences:,} sentences")
    store.save_alignment(rid, syncmap)
    store.dispose()
    return rid


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict, float]:
    t0 = time.perf_counter()
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            body = resp.read()
            heads = {k.lower(): v for k, v in resp.headers.items()}
            return resp.status, body, heads, time.perf_counter() - t0
    except urllib.error.HTTPError as err:
        heads = {k.lower(): v for k, v in err.headers.items()}
        return err.code, err.read(), heads, time.perf_counter() - t0


def start_server(data: Path, port: int) -> subprocess.Popen:
    """`transcript-player serve` on `data` (the one on PATH next to this Python)."""
    exe = Path(sys.executable).with_name("transcript-player")
    proc = subprocess.Popen([str(exe), "serve", "--data", str(data), "--port", str(port),
                             "--workers", "0"], stderr=subprocess.DEVNULL, env=os.environ)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("serve did not start")


def measure(base: str, rid: str, duration_s: float, views: int) -> dict:
    """The figures of the module doc, against a server at `base`."""
    out: dict = {}
    status, body, headers, first = _get(f"{base}/r/{rid}")
    assert status == 200, status
    out["bytes"] = len(body)
    out["gzip_bytes"] = len(gzip.compress(body, 6))
    out["first_s"] = first
    out["second_s"] = _get(f"{base}/r/{rid}")[3]
    etag = headers.get("etag")
    if etag:
        code, _, _, took = _get(f"{base}/r/{rid}", {"If-None-Match": etag})
        out["conditional"] = (code, took)
    times: list[float] = [0.0] * views
    started = threading.Barrier(views + 1)

    def view(k: int) -> None:
        started.wait()
        t = duration_s * (k + 0.5) / views
        times[k] = _get(f"{base}/r/{rid}?t={t:.1f}")[3]

    threads = [threading.Thread(target=view, args=(k,)) for k in range(views)]
    for th in threads:
        th.start()
    started.wait()
    t0 = time.perf_counter()
    time.sleep(0.05)  # the views are being built
    code, _, _, waited = _get(f"{base}/r/{rid}/status.json")
    for th in threads:
        th.join()
    out["parallel"] = {"views": views, "slowest_s": max(times), "all_s": time.perf_counter() - t0,
                       "status_code": code, "status_s": waited}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--views", type=int, default=16)
    parser.add_argument("--data", type=Path, help="reuse this data folder (made when empty)")
    args = parser.parse_args(argv)
    tmp = None
    data = args.data
    if data is None:
        tmp = tempfile.mkdtemp(prefix="tp-page-bench-")
        data = Path(tmp)
    marker = data / "page-bench-recording"
    if marker.exists():
        rid = marker.read_text().strip()
    else:
        rid = make_data(data, args.sentences)
        marker.write_text(rid)
    port = free_port()
    proc = start_server(data, port)
    try:
        r = measure(f"http://127.0.0.1:{port}", rid, args.sentences * SECONDS_EACH, args.views)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    p = r["parallel"]
    print(f"page: {r['bytes']:,} bytes ({r['gzip_bytes']:,} gzipped); first view "
          f"{r['first_s']:.2f} s, second {r['second_s']:.3f} s"
          + (f", conditional GET {r['conditional'][0]} in {r['conditional'][1] * 1000:.0f} ms"
             if "conditional" in r else ", no ETag"))
    print(f"{p['views']} parallel views: slowest {p['slowest_s']:.2f} s, all done in "
          f"{p['all_s']:.2f} s; status.json meanwhile {p['status_code']} in "
          f"{p['status_s'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
