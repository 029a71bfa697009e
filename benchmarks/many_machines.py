"""Figures of the many-machine mode (docs/many-machines.md), really run: throwaway
PostgreSQL and Redis servers (`testsupport.servers`), `transcript-player worker`
processes, and the 8-minute seed (its synthesised reading, as `make run` builds it).

    python -m benchmarks.many_machines [--recordings 8] [--out bench-out/many-machines]

1. Time from import (`store_recording`: the copy by content, the seek-safe rendition,
   the row) to a playable transcript (status ready), for one seed, with one and with two
   worker processes; and for two seeds imported at once.
2. Recordings aligned per hour by two workers: `--recordings` seeds queued at once, from
   the first queued to the last ready.

Each worker process is warmed up first by one alignment (a long-running worker has
loaded the engine and compiled its kernels long before), so the figures are those of a
running site.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from testsupport.servers import postgres_server, redis_server


def _wait_ready(store, rids: list[str], timeout: float = 1800) -> float:  # type: ignore[no-untyped-def]
    """Seconds until every recording is ready; raises if one fails."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        states = [store.get_recording_info(rid) for rid in rids]
        failed = [s for s in states if s.status == "failed"]
        if failed:
            raise RuntimeError(f"{failed[0].id} failed: {failed[0].error}")
        if all(s.status == "ready" for s in states):
            return time.monotonic() - start
        time.sleep(0.05)
    raise TimeoutError("not ready in time")


def measure(workers: int, out: Path, pg, redis_url: str, seed: Path, transcript: str,  # type: ignore[no-untyped-def]
            recordings: int) -> dict[str, float]:
    """The figures for `workers` worker processes on a fresh database and queue."""
    import redis

    from webapp import create_app
    from webapp.importer import store_recording
    from webapp.jobs import enqueue_alignment

    redis.Redis.from_url(redis_url).flushall()
    url = pg.create_database(f"bench_{workers}_{os.getpid()}")
    data = out / f"data-{workers}"
    app = create_app({"DATA_DIR": str(data), "DATABASE_URL": url, "REDIS_URL": redis_url})
    store = app.extensions["store"]
    env = {**os.environ, "TRANSCRIPT_PLAYER_DATA": str(data),
           "TRANSCRIPT_PLAYER_DATABASE_URL": url, "TRANSCRIPT_PLAYER_REDIS_URL": redis_url}
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "worker",
               "--workers", "1"]
    procs = [subprocess.Popen(command,
                              env=env, stdout=subprocess.DEVNULL,
                              stderr=(out / f"worker-{workers}-{n}.log").open("w"))
             for n in range(workers)]

    def imported(title: str) -> str:
        return store_recording(app, seed, transcript, title=title)

    try:
        # warm-up: one alignment per worker process
        warm = [imported(f"warm-up {n}") for n in range(workers)]
        for rid in warm:
            enqueue_alignment(app, rid)
        _wait_ready(store, warm)
        figures: dict[str, float] = {}
        start = time.monotonic()
        rid = imported("one seed")
        figures["import"] = time.monotonic() - start
        enqueue_alignment(app, rid)
        _wait_ready(store, [rid])
        figures["one"] = time.monotonic() - start
        start = time.monotonic()
        pair = [imported(f"two at once {n}") for n in range(2)]
        for rid in pair:
            enqueue_alignment(app, rid)
        _wait_ready(store, pair)
        figures["two"] = time.monotonic() - start
        if recordings:
            batch = [imported(f"batch {n}") for n in range(recordings)]
            start = time.monotonic()
            for rid in batch:
                enqueue_alignment(app, rid)
            elapsed = _wait_ready(store, batch)
            figures["batch_seconds"] = elapsed
            figures["per_hour"] = recordings * 3600 / elapsed
        return figures
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)
        store.dispose()


def main(argv: list[str] | None = None) -> None:
    """Measure and print the figures as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recordings", type=int, default=8,
                        help="seeds queued at once for the throughput of two workers")
    parser.add_argument("--out", type=Path, default=Path("bench-out/many-machines"))
    args = parser.parse_args(argv)
    from webapp.demo import SEED_TEXT, synthesised_seed

    args.out.mkdir(parents=True, exist_ok=True)
    seed = synthesised_seed(args.out, say=lambda m: print(m, file=sys.stderr))
    transcript = SEED_TEXT.read_text(encoding="utf-8")  # the page as published
    results = {}
    with postgres_server() as pg, redis_server() as redis_url:
        for workers in (1, 2):
            results[workers] = measure(workers, args.out, pg, redis_url, seed, transcript,
                                       args.recordings if workers == 2 else 0)
            print(f"{workers} worker(s): {results[workers]}", file=sys.stderr)
    print("| workers | one seed: import to playable (of which storing) "
          "| two seeds at once: both playable |")
    print("|---|---|---|")
    for workers, fig in results.items():
        print(f"| {workers} | {fig['one']:.1f} s ({fig['import']:.1f} s) "
              f"| {fig['two']:.1f} s |")
    two = results[2]
    print(f"\n{args.recordings} seeds queued at once, two workers: all ready in "
          f"{two['batch_seconds']:.1f} s, {two['per_hour']:.0f} recordings per hour")


if __name__ == "__main__":
    main()
