"""A load test of a real `transcript-player serve`, bounded to two minutes on loopback.

    python -m benchmarks.loadtest [--data DIR] [--seconds 60] [--listeners 200]
                                  [--searches 50] [--slow 100] [--write]

Starts `transcript-player serve --workers 0` on the data folder (by default the seed
demo's, built with `transcript-player demo --no-serve` into `bench-out/loadtest-demo` the
first time), and for `--seconds` keeps up at the same time:

- `--listeners` listeners, each on its own keep-alive connection, seeking in the audio
  as a browser does: a byte range (64 KB) at a random place of the recording's
  rendition, about once a second each, after opening the player page once;
- `--searches` searches a second (the player's search partial as htmx asks for it, and
  every fifth one the library's), over ten connections, words from the transcripts;
- `--slow` slow clients: half send their request one byte every two seconds, half read
  the player page 256 bytes a second; each starts again when it is done.

It reports, per kind of request, how many there were, p50 and p99 latency, and errors
(a status other than the one expected, a connection reset, a timeout; the goal is none),
the server's peak resident memory (VmHWM) and its threads. `--write` puts the report in
`docs/reliability.md` between its `loadtest` markers. Client and server share the
machine: on two cores the client's own work is part of what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from testsupport.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
DEMO_CACHE = ROOT / "bench-out" / "loadtest-demo"  # bench-out/ is not versioned
DOC = ROOT / "docs" / "reliability.md"
SECTION = "loadtest"
SLOW_BYTES = 4  # a slow sender's bytes every two seconds
SLOW_READ = 1024  # a slow reader's bytes a second
MAX_SECONDS = 120  # the whole run, start to report
RANGE_BYTES = 64 * 1024
WORDS = ["enlargement", "terrorism", "russia", "nato", "cooperation", "president",
         "secretary", "council", "question", "security", "moscow", "together", "\"we have\""]


@dataclass
class Stats:
    """Latencies (s) and errors of one kind of request."""

    times: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def row(self, name: str) -> dict:
        t = sorted(self.times)
        pick = (lambda q: t[min(len(t) - 1, int(len(t) * q))] * 1000) if t else (lambda q: 0.0)
        return {"kind": name, "requests": len(t), "p50_ms": round(pick(0.5), 1),
                "p99_ms": round(pick(0.99), 1), "max_ms": round(pick(1.0), 1),
                "errors": sum(self.errors.values()), "error_kinds": dict(self.errors)}


class Conn:
    """One keep-alive HTTP/1.1 connection (asyncio streams; no third-party client)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, path: str, headers: dict[str, str] | None = None,
                  read_delay: float = 0.0) -> tuple[int, dict[str, str], int]:
        """GET `path`; (status, headers, body length). Reopens a closed connection."""
        if self.writer is None or self.writer.is_closing():
            await self.open()
        assert self.reader is not None and self.writer is not None
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before answering")
        status = int(status_line.split()[1])
        heads: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            heads[name.strip().lower()] = value.strip()
        size = 0
        if heads.get("transfer-encoding", "").lower() == "chunked":
            while True:
                n = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(n + 2)
                size += n
                if n == 0:
                    break
        else:
            left = int(heads.get("content-length", "0"))
            while left:
                chunk = await self.reader.read(min(left, SLOW_READ if read_delay else 65536))
                if not chunk:
                    raise ConnectionResetError("closed inside the body")
                left -= len(chunk)
                size += len(chunk)
                if read_delay:
                    await asyncio.sleep(read_delay)
        if heads.get("connection", "").lower() == "close":
            self.close()
        return status, heads, size


class Load:
    """The clients of the module doc, against one server, until `deadline`."""

    def __init__(self, host: str, port: int, rid: str, rendition: str, size: int,
                 deadline: float) -> None:
        self.host, self.port, self.rid, self.rendition = host, port, rid, rendition
        self.size, self.deadline = size, deadline
        self.stats: dict[str, Stats] = defaultdict(Stats)
        self.rnd = random.Random(11)
        self.started = time.monotonic()
        self.searches = 0  # made so far, by all searchers
        self.error_times: list[tuple[float, str, str]] = []  # (s into the run, kind, what)

    def error(self, kind: str, what: str) -> None:
        self.stats[kind].errors[what] += 1
        self.error_times.append((round(time.monotonic() - self.started, 1), kind, what))

    async def timed(self, kind: str, conn: Conn, path: str, expect: tuple[int, ...],
                    headers: dict[str, str] | None = None, read_delay: float = 0.0,
                    timeout: float = 30.0, cut: bool = False) -> None:
        """One request, timed; `cut`: a timeout is the run's end, not an error."""
        t0 = time.monotonic()
        try:
            status, _, _ = await asyncio.wait_for(conn.get(path, headers, read_delay), timeout)
        except TimeoutError:  # (an OSError too: first)
            conn.close()
            if not cut:
                self.error(kind, "timeout")
            return
        except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as err:
            conn.close()
            self.error(kind, type(err).__name__)
            return
        if status not in expect:
            self.error(kind, f"HTTP {status}")
            return
        self.stats[kind].times.append(time.monotonic() - t0)

    async def listener(self, k: int) -> None:
        conn = Conn(self.host, self.port)
        await asyncio.sleep(self.rnd.random() * 2)
        await self.timed("player page", conn, f"/r/{self.rid}", (200,),
                         {"Accept-Encoding": "gzip"})
        while time.monotonic() < self.deadline:
            start = self.rnd.randrange(0, max(1, self.size - RANGE_BYTES))
            await self.timed("audio range", conn, f"/media/{self.rendition}", (206,),
                             {"Range": f"bytes={start}-{start + RANGE_BYTES - 1}"})
            await asyncio.sleep(0.5 + self.rnd.random())
        conn.close()

    async def searcher(self, rate: float, k: int, n: int) -> None:
        conn = Conn(self.host, self.port)
        interval = n / rate
        nxt = time.monotonic() + interval * k / n
        while nxt < self.deadline:
            await asyncio.sleep(max(0.0, nxt - time.monotonic()))
            nxt += interval
            word = self.rnd.choice(WORDS)
            self.searches += 1
            if self.searches % 5 == 0:
                await self.timed("library search", conn, f"/search?q={_q(word)}", (200,),
                                 {"HX-Request": "true"})
            else:
                await self.timed("search partial", conn, f"/r/{self.rid}/search?q={_q(word)}",
                                 (200,), {"HX-Request": "true"})
        conn.close()

    async def slow_sender(self) -> None:
        """A request sent four bytes every two seconds (never 20 s silent, the idle
        timeout); one still being sent at the end is left, not counted."""
        request = f"GET /r/{self.rid}/status.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        while time.monotonic() < self.deadline:
            t0 = time.monotonic()
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
                sent = 0
                while sent < len(request) and time.monotonic() < self.deadline:
                    writer.write(request[sent:sent + SLOW_BYTES])
                    await writer.drain()
                    sent += SLOW_BYTES
                    if sent < len(request):
                        await asyncio.sleep(2.0)
                if sent >= len(request):
                    line = await asyncio.wait_for(reader.readline(), 30)
                    if b" 200 " not in line:
                        self.error("slow sender", line[:12].decode() or "closed")
                    else:
                        self.stats["slow sender"].times.append(time.monotonic() - t0)
                writer.close()
            except TimeoutError:
                self.error("slow sender", "timeout")
            except (OSError, ConnectionError) as err:
                self.error("slow sender", type(err).__name__)

    async def slow_reader(self) -> None:
        """The player page (gzipped) read a kilobyte a second; one still being read at
        the end is left, not counted."""
        conn = Conn(self.host, self.port)
        while time.monotonic() < self.deadline:
            await self.timed("slow reader", conn, f"/r/{self.rid}", (200,),
                             {"Accept-Encoding": "gzip"}, read_delay=1.0,
                             timeout=max(1.0, self.deadline - time.monotonic()), cut=True)
        conn.close()

    async def run(self, listeners: int, searches: float, slow: int) -> None:
        tasks = [self.listener(k) for k in range(listeners)]
        n = 10 if searches >= 10 else max(1, int(searches))
        tasks += [self.searcher(searches, k, n) for k in range(n)] if searches > 0 else []
        tasks += [self.slow_sender() for _ in range(slow // 2)]
        tasks += [self.slow_reader() for _ in range(slow - slow // 2)]
        try:  # bounded whatever happens: the run ends MAX_SECONDS after it began
            await asyncio.wait_for(asyncio.gather(*tasks),
                                   max(1.0, self.deadline - time.monotonic()) + 20)
        except TimeoutError:
            self.error("run", "clients still busy 20 s after the end")


def _q(word: str) -> str:
    return urllib.request.quote(word)


def demo_data(folder: Path = DEMO_CACHE) -> Path:
    """The seed demo's data folder, built the first time (a few minutes)."""
    if not (folder / "transcript-player.sqlite3").exists():
        exe = Path(sys.executable).with_name("transcript-player")
        subprocess.run([str(exe), "demo", "--no-serve", "--data", str(folder)], check=True)
    return folder


def pick_recording(base: str) -> tuple[str, str, int]:
    """The longest ready recording the server lists: (id, rendition name, its bytes)."""
    html = urllib.request.urlopen(f"{base}/", timeout=30).read().decode()
    best = None
    for rid in dict.fromkeys(re.findall(r'href="/r/([^"/?#]+)"', html)):
        info = json.load(urllib.request.urlopen(f"{base}/r/{rid}/status.json", timeout=30))
        if info.get("state") != "done":
            continue
        page = urllib.request.urlopen(f"{base}/r/{rid}", timeout=30).read().decode()
        m = re.search(r'src="/media/([0-9a-f]+\.mp3)', page)
        if not m:
            continue
        req = urllib.request.Request(f"{base}/media/{m.group(1)}", method="HEAD")
        size = int(urllib.request.urlopen(req, timeout=30).headers["Content-Length"])
        if best is None or size > best[2]:
            best = (rid, m.group(1), size)
    if best is None:
        raise SystemExit("the data folder has no ready recording to load")
    return best


def _memory(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "Threads"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def run(data: Path, seconds: float, listeners: int, searches: float, slow: int) -> dict:
    """Serve `data`, load it for `seconds`, and report (see the module doc)."""
    seconds = min(seconds, MAX_SECONDS - 30)
    port = free_port()
    exe = Path(sys.executable).with_name("transcript-player")
    # its log goes to a file: a pipe nobody reads fills up, and then the server's threads
    # block on writing waitress's "task queue depth" warnings
    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen([str(exe), "serve", "--data", str(data), "--port", str(port),
                               "--workers", "0"], stderr=log, stdout=log, env=os.environ)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    log.seek(0)
                    raise SystemExit("serve did not start:\n" + log.read()[-2000:]) from None
                time.sleep(0.2)
        rid, rendition, size = pick_recording(base)
        idle = _memory(server.pid)
        busy = os.getloadavg()[0]  # other work on the machine, before this load
        load = Load("127.0.0.1", port, rid, rendition, size, time.monotonic() + seconds)
        t0 = time.monotonic()
        asyncio.run(load.run(listeners, searches, slow))
        took = time.monotonic() - t0
        mem = _memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    rows = [load.stats[k].row(k) for k in ("audio range", "player page", "search partial",
                                           "library search", "slow reader", "slow sender")
            if k in load.stats]
    total = sum(r["requests"] for r in rows if r["kind"] not in ("slow reader", "slow sender"))
    return {"seconds": round(took, 1), "listeners": listeners, "searches": searches,
            "slow": slow, "recording": rid, "rows": rows,
            "requests_per_second": round(total / took, 1) if took else 0,
            "errors": sum(r["errors"] for r in rows),
            "peak_rss_mb": round(mem.get("VmHWM", 0) / 1024, 1),
            "idle_rss_mb": round(idle.get("VmRSS", 0) / 1024, 1),
            "threads": mem.get("Threads", 0),
            "first_errors": load.error_times[:10], "load_average": round(busy, 1)}


def table(r: dict, command: str) -> str:
    """The report as the Markdown `docs/reliability.md` holds."""
    lines = [
        f"`{command}`: {r['listeners']} listeners seeking, {r['searches']:g} searches a "
        f"second and {r['slow']} slow clients for {r['seconds']} s against `serve` on the "
        f"recording `{r['recording']}`. {r['requests_per_second']} requests a second "
        f"(slow clients not counted); **{r['errors']} errors**; the server's memory "
        f"{r['idle_rss_mb']} MB before, peak {r['peak_rss_mb']} MB; {r['threads']} threads. "
        f"The machine's load average before the run: {r['load_average']}.",
        "",
        "| requests | count | p50 | p99 | max | errors |",
        "|---|---|---|---|---|---|",
    ]
    for row in r["rows"]:
        kinds = ", ".join(f"{k} {v}" for k, v in row["error_kinds"].items())
        lines.append(f"| {row['kind']} | {row['requests']:,} | {row['p50_ms']:.0f} ms | "
                     f"{row['p99_ms']:.0f} ms | {row['max_ms']:.0f} ms | {row['errors']}"
                     + (f" ({kinds})" if kinds else "") + " |")
    return "\n".join(lines) + "\n"


def write_doc(text: str) -> None:
    """Replace the `loadtest` section of docs/reliability.md with `text`."""
    from benchmarks.doc import update_section

    update_section(SECTION, text, DOC)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="data folder (default: the seed demo's)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--listeners", type=int, default=200)
    parser.add_argument("--searches", type=float, default=50, help="a second")
    parser.add_argument("--slow", type=int, default=100)
    parser.add_argument("--write", action="store_true", help="into docs/reliability.md")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    data = args.data or demo_data()
    r = run(data, args.seconds, args.listeners, args.searches, args.slow)
    given = sys.argv[1:] if argv is None else argv
    command = " ".join(["python -m benchmarks.loadtest", *given])
    if args.json:
        print(json.dumps(r, indent=1))
    else:
        print(table(r, command.replace(" --write", "")))
    if args.write:
        write_doc(table(r, command.replace(" --write", "")))


if __name__ == "__main__":
    main()
