"""Cutting clips: ffmpeg straight to a file, a few at a time, each range cut once.

A clip is cut by ffmpeg from the stored audio into `<data>/cache/clips/<key>.mp3`
(`key`: the audio's content name, the range and the tags), never through Python's
memory, and then sent from that file like any other (ranges, ETag). At most
`CLIP_WORKERS` (config, default 2) are cut at once in a process; a request that finds
every slot busy for `CLIP_WAIT` seconds gets `Busy` (503 with Retry-After) and holds
no thread. The same range again is sent from the cache without cutting; the cache keeps
at most `CLIP_CACHE_BYTES` (config, default 256M), the least recently used going first.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from pathlib import Path

from flask import Flask

from alignment import ffmpeg_path, run_child

__all__ = ["CLIP_WAIT", "RETRY_AFTER", "Busy", "cached_clip", "cut_clip"]

#: seconds a request waits for a free slot before it is told to come back
CLIP_WAIT = 0.5
#: seconds to come back after (Retry-After)
RETRY_AFTER = 3
_locks = threading.Lock()


class Busy(Exception):
    """Every slot for cutting clips is taken."""


def cut_clip(source: Path, start_ms: int, end_ms: int, tags: dict[str, str],
             out: Path) -> None:
    """Write the range `start_ms`..`end_ms` of `source` to `out` as a 128 kb/s MP3 with
    ID3v2.3 `tags`; ffmpeg's own error (one line) on failure."""
    command = [ffmpeg_path(), "-nostdin", "-v", "error", "-y",
               "-ss", f"{start_ms / 1000:.3f}", "-t", f"{(end_ms - start_ms) / 1000:.3f}",
               "-i", str(source), "-vn", "-map", "0:a:0", "-c:a", "libmp3lame",
               "-b:a", "128k", "-id3v2_version", "3"]
    for key, value in tags.items():
        command += ["-metadata", f"{key}={value}"]
    command += ["-f", "mp3", str(out)]
    done = run_child(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
        raise RuntimeError(f"cutting a clip failed: {reason}")


def _slots(app: Flask) -> threading.BoundedSemaphore:
    with _locks:
        if "clip_slots" not in app.extensions:
            app.extensions["clip_slots"] = threading.BoundedSemaphore(
                int(app.config.get("CLIP_WORKERS") or 2))
        return app.extensions["clip_slots"]


def _folder(app: Flask) -> Path:
    folder = Path(app.config["DATA_DIR"]) / "cache" / "clips"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _key(audio_name: str, start_ms: int, end_ms: int, tags: dict[str, str]) -> str:
    text = json.dumps([audio_name, start_ms, end_ms, sorted(tags.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def cached_clip(app: Flask, source: Path, start_ms: int, end_ms: int,
                tags: dict[str, str]) -> Path:
    """The clip's file in the cache, cut now when it is not there; `Busy` when every
    slot stays taken for CLIP_WAIT seconds."""
    path = _folder(app) / f"{_key(source.name, start_ms, end_ms, tags)}.mp3"
    if path.exists():
        os.utime(path)  # recently used: kept longest
        return path
    slots = _slots(app)
    if not slots.acquire(timeout=float(app.config.get("CLIP_WAIT", CLIP_WAIT))):
        raise Busy
    try:
        if not path.exists():  # another request may have cut it meanwhile
            part = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.part")
            try:
                cut_clip(source, start_ms, end_ms, tags, part)
                os.replace(part, path)
            finally:
                part.unlink(missing_ok=True)
            _evict(path.parent, int(app.config.get("CLIP_CACHE_BYTES") or 256 << 20), path)
    finally:
        slots.release()
    return path


def _evict(folder: Path, bound: int, keep: Path) -> None:
    """Remove the least recently used clips until the folder holds at most `bound`."""
    files = []
    for p in folder.glob("*.mp3"):
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        files.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in files)
    for _, size, p in sorted(files):
        if total <= bound:
            break
        if p != keep:
            p.unlink(missing_ok=True)
            total -= size
