"""The one place that reads audio for alignment: check, probe, stream-decode to 16 kHz mono.

Decoding streams through ffmpeg in chunks, so a four-hour file never sits in memory as
samples; callers get int16 blocks and keep only what they compute from them. A WAV file
that already holds what ffmpeg would make of it (16-bit PCM, mono, at the rate asked) is
read as it is, the same samples without ffmpeg's copy of them through a pipe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from pydub.utils import mediainfo_json, which

from alignment import children
from alignment.errors import AudioError

SAMPLE_RATE = 16000


def ffmpeg_path() -> str:
    """The ffmpeg executable; AudioError saying how to install it when there is none."""
    exe = which("ffmpeg")
    if not exe:
        raise AudioError("ffmpeg is not installed: install it (apt-get install ffmpeg) and retry")
    return exe


def check_file(path: str | os.PathLike) -> Path:
    """Refuse, before any long work, an audio path that cannot possibly be decoded."""
    p = Path(path)
    name = f"the audio file {p}"
    if not p.exists():
        raise AudioError(f"{name} does not exist (not found); check the path")
    if p.is_dir():
        raise AudioError(f"{name} is a folder; give the recording's audio or video file")
    if not os.access(p, os.R_OK):
        raise AudioError(f"cannot read {name}: permission denied")
    if p.stat().st_size == 0:
        raise AudioError(f"{name} is empty (0 bytes); give a recording that plays")
    return p


def probe_duration(path: str | os.PathLike) -> int:
    """Duration in ms of the first audio stream; AudioError when there is none."""
    p = check_file(path)
    plain = _already_decoded(p, SAMPLE_RATE)
    if plain is not None:  # its header says it (ffprobe, 0.09 s, prints it to the µs)
        with contextlib.closing(plain):
            return int(round(float(f"{plain.getnframes() / SAMPLE_RATE:.6f}") * 1000))
    try:
        info = mediainfo_json(str(p))
    except Exception as exc:  # pydub raises bare exceptions on ffprobe failures
        raise AudioError(f"cannot read audio from {p.name}: {exc}") from exc
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise AudioError(
            f"no audio stream in {p.name}: give a recording ffmpeg can read (mp3, m4a, wav, ...)"
        )
    duration = streams[0].get("duration") or info.get("format", {}).get("duration")
    try:
        return int(round(float(duration) * 1000))
    except (TypeError, ValueError):
        return 0  # unknown until decoded (some streams carry no duration)


def _already_decoded(p: Path, rate: int) -> wave.Wave_read | None:
    """`p` opened as a WAV file when its samples are what ffmpeg would decode it to: PCM,
    16-bit, mono, at `rate` (ffmpeg passes such samples through as they are), and it
    holds some; else None, and ffmpeg decodes it."""
    try:
        w = wave.open(str(p), "rb")
    except (wave.Error, EOFError, OSError):  # not WAV, or a kind `wave` does not read
        return None
    if (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getcomptype()) != \
            (1, 2, rate, "NONE") or not 0 < w.getnframes() * 2 <= p.stat().st_size:
        w.close()  # (an empty or damaged header: ffmpeg says what is wrong)
        return None
    return w


def _samples(data: bytes) -> np.ndarray:
    """int16 samples of little-endian bytes (a WAV file's, or ffmpeg's s16le)."""
    return np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16, copy=False)


def pcm_blocks(
    path: str | os.PathLike, block_seconds: float = 30.0, rate: int = SAMPLE_RATE
) -> Iterator[np.ndarray]:
    """Yield the recording as int16 mono blocks at `rate`, each `block_seconds` long
    (the last one shorter). Raises AudioError when ffmpeg cannot decode it."""
    p = check_file(path)
    block = int(block_seconds * rate)
    plain = _already_decoded(p, rate)
    if plain is not None:
        with contextlib.closing(plain):
            while data := plain.readframes(block):
                yield _samples(data)
        return
    cmd = [ffmpeg_path(), "-nostdin", "-v", "error", "-i", str(p), "-vn", "-ac", "1",
           "-ar", str(rate), "-f", "s16le", "-"]
    block_bytes = block * 2
    proc = children.start(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    total = 0
    try:
        while True:
            data = proc.stdout.read(block_bytes)
            if not data:
                break
            total += len(data)
            yield _samples(data)
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace").strip()
        proc.stderr.close()
        code = proc.wait()
    if code != 0 or total == 0:
        last = err.splitlines()[-1] if err else "no audio decoded"
        raise AudioError(f"cannot decode audio from {p.name}: {last}")


def pcm_range(path: str | os.PathLike, begin_ms: int, end_ms: int,
              rate: int = SAMPLE_RATE) -> np.ndarray:
    """The recording from `begin_ms` to `end_ms` as int16 mono at `rate` (read from a
    plain WAV file, else decoded by ffmpeg, which seeks there: a stretch of a long file
    costs about its own length either way)."""
    p = check_file(path)
    plain = _already_decoded(p, rate)
    if plain is not None:
        per_ms = rate / 1000
        with contextlib.closing(plain):
            first = min(int(round(begin_ms * per_ms)), plain.getnframes())
            plain.setpos(first)
            return _samples(plain.readframes(max(0, int(round(end_ms * per_ms)) - first)))
    cmd = [ffmpeg_path(), "-nostdin", "-v", "error", "-ss", f"{begin_ms / 1000:.3f}",
           "-i", str(p), "-t", f"{max(0, end_ms - begin_ms) / 1000:.3f}", "-vn", "-ac", "1",
           "-ar", str(rate), "-f", "s16le", "-"]
    done = children.run(cmd, capture_output=True)
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise AudioError(f"cannot decode audio from {p.name}: {last[0]}")
    return _samples(done.stdout)


def sha256_file(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (hex): the one way a file is hashed, here and in the web
    app (media names, backups, asset versions)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
