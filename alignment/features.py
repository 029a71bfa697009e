"""What the aligner keeps of a recording: MFCCs every 40 ms and a loudness curve every 10 ms.

Both are computed block by block while ffmpeg decodes, so memory holds a few hundred
bytes per second of audio (about 10 MB for four hours), never the samples themselves.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from alignment import audio, frontend

ENERGY_HOP = frontend.HOP  # seconds per loudness frame
_RATE = audio.SAMPLE_RATE
_HOP = int(round(_RATE * frontend.HOP))
_BLOCK_SECONDS = 60.0  # a whole number of both frame hops
_THREADS = 2  # blocks measured at once


@dataclass(frozen=True)
class RecordingFeatures:
    """mfcc: frames x 13 (40 ms hop); loudness: dB per 10 ms of the speech above the
    recording's noise floor, over all bands; onsets: the same over the few most risen
    bands, which hears soft starts (see `alignment.frontend.loudness`)."""

    mfcc: np.ndarray
    loudness: np.ndarray
    onsets: np.ndarray
    duration: int  # ms
    # the samples (int16) of the stretches `extract` was asked to keep, by stretch
    kept: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)


def extract(path: str | os.PathLike, expected_ms: int,
            progress: Callable[[float], None] | None = None,
            keep: Sequence[tuple[int, int]] = ()) -> RecordingFeatures:
    """Decode `path` as a stream and compute its features; `expected_ms`, the probed
    duration, only scales the progress reports. The samples of the stretches `keep`
    ([begin, end) in ms) are kept as they pass, in `kept`: a few seconds the probes
    listen to, which ffmpeg would otherwise decode again, a process each."""
    expected = max(1, expected_ms)
    per_ms = _RATE // 1000
    kept: list[list[np.ndarray]] = [[] for _ in keep]
    parts: list[Future[tuple[np.ndarray, np.ndarray, np.ndarray]]] = []
    carry = np.zeros(0, np.int16)  # samples of frames that straddle a block edge
    previous = 0.0
    frames = 0  # band frames so far, to keep every STEP-th one across blocks
    samples = 0
    scratch = frontend.ThreadScratch()  # FFT buffers, kept from block to block
    # Blocks are measured two at a time, in threads (numpy's FFTs and products free the
    # GIL), while the next is decoded: where eSpeak's reading is done first, or there is
    # none to wait for, the features do not go on alone on one core with the other idle
    # (on their own, the 67-minute case's take 2.1 s instead of 3.8).
    with ThreadPoolExecutor(max_workers=_THREADS) as pool, \
            contextlib.closing(audio.pcm_blocks(path, block_seconds=_BLOCK_SECONDS)) as blocks:
        # closed when the loop stops early (a progress report that raises), not when the
        # traceback holding this frame is freed: ffmpeg stops at once
        for block in blocks:
            for pieces, (a, b) in zip(kept, keep, strict=True):
                lo, hi = max(a * per_ms - samples, 0), min(b * per_ms - samples, len(block))
                if lo < hi:
                    pieces.append(block[lo:hi].copy())
            samples += len(block)
            buf = np.concatenate([carry, block])
            count = frontend.frame_count(len(buf), _RATE)
            used = count * _HOP
            parts.append(pool.submit(_measured, buf, previous, (-frames) % frontend.STEP,
                                     scratch))
            previous = float(buf[used - 1]) / 32768.0 if used else previous
            carry = buf[used:]
            frames += count
            if len(parts) > _THREADS:  # no more blocks held than are measured at once
                parts[-_THREADS - 1].result()
            if progress:
                progress(min(1.0, samples / _RATE * 1000 / expected))
        measured = [part.result() for part in parts]
    duration = int(round(samples * 1000 / _RATE))
    stretches = {(a, b): np.concatenate(p) if p else np.zeros(0, np.int16)
                 for (a, b), p in zip(keep, kept, strict=True)}
    if not measured:
        empty = np.zeros(0, np.float32)
        return RecordingFeatures(np.zeros((0, frontend.CEPSTRA), np.float32), empty, empty,
                                 duration, stretches)
    cep, loud, onsets = (np.concatenate(k) for k in zip(*measured, strict=True))
    return RecordingFeatures(cep, loud, onsets, duration, stretches)


def _measured(buf: np.ndarray, previous: float, offset: int,
              scratch: frontend.ThreadScratch,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A block's cepstra (every STEP-th band frame from `offset`), loudness and onset
    curves; `previous`, the sample before it."""
    energies = frontend.band_energies(buf, _RATE, previous, scratch.buffers)
    floor, quiet = frontend.noise_floors(energies, (frontend.ONSET_FLOOR_PERCENTILE,))
    clean = frontend.denoise(energies, floor)
    return (frontend.cepstra(frontend.pooled(clean, offset)),
            frontend.loudness(frontend.rise(energies, floor)),
            frontend.loudness(frontend.rise(energies, quiet), frontend.ONSET_BANDS))
