"""What the aligner keeps of a recording: MFCCs every 40 ms and a loudness curve every 10 ms.

Both are computed block by block while ffmpeg decodes, so memory holds a few hundred
bytes per second of audio (about 10 MB for four hours), never the samples themselves.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from alignment import audio, frontend

ENERGY_HOP = frontend.HOP  # seconds per loudness frame
_RATE = audio.SAMPLE_RATE
_HOP = int(round(_RATE * frontend.HOP))
_BLOCK_SECONDS = 60.0  # a whole number of both frame hops


@dataclass(frozen=True)
class RecordingFeatures:
    """mfcc: frames x 13 (40 ms hop); loudness: dB per 10 ms of the speech above the
    recording's noise floor, over all bands; onsets: the same over the few most risen
    bands, which hears soft starts (see `alignment.frontend.loudness`)."""

    mfcc: np.ndarray
    loudness: np.ndarray
    onsets: np.ndarray
    duration: int  # ms


def extract(path: str | os.PathLike, expected_ms: int,
            progress: Callable[[float], None] | None = None) -> RecordingFeatures:
    """Decode `path` as a stream and compute its features; `expected_ms`, the probed
    duration, only scales the progress reports."""
    expected = max(1, expected_ms)
    # one BLAS thread: the filter products are small, and a second thread only spins,
    # taking the core eSpeak reads the transcript on meanwhile
    with threadpool_limits(1, user_api="blas"):
        return _extract(path, expected, progress)


def _extract(path: str | os.PathLike, expected: int,
             progress: Callable[[float], None] | None) -> RecordingFeatures:
    cep, loud, onsets = [], [], []
    carry = np.zeros(0, np.int16)  # samples of frames that straddle a block edge
    previous = 0.0
    frames = 0  # band frames so far, to keep every STEP-th one across blocks
    samples = 0
    scratch = frontend.Scratch()  # the FFT's buffers, kept from block to block
    # closed when the loop stops early (a progress report that raises), not when the
    # traceback holding this frame is freed: ffmpeg stops at once
    with contextlib.closing(audio.pcm_blocks(path, block_seconds=_BLOCK_SECONDS)) as blocks:
        for block in blocks:
            samples += len(block)
            buf = np.concatenate([carry, block])
            energies = frontend.band_energies(buf, _RATE, previous, scratch)
            floor, quiet = frontend.noise_floors(energies, (frontend.ONSET_FLOOR_PERCENTILE,))
            clean = frontend.denoise(energies, floor)
            cep.append(frontend.cepstra(frontend.pooled(clean, (-frames) % frontend.STEP)))
            loud.append(frontend.loudness(frontend.rise(energies, floor)))
            onsets.append(frontend.loudness(frontend.rise(energies, quiet), frontend.ONSET_BANDS))
            used = len(energies) * _HOP
            previous = float(buf[used - 1]) / 32768.0 if used else previous
            carry = buf[used:]
            frames += len(energies)
            if progress:
                progress(min(1.0, samples / _RATE * 1000 / expected))
    duration = int(round(samples * 1000 / _RATE))
    m = np.concatenate(cep) if cep else np.zeros((0, frontend.CEPSTRA), np.float32)
    empty = np.zeros(0, np.float32)
    return RecordingFeatures(m, np.concatenate(loud) if loud else empty,
                             np.concatenate(onsets) if onsets else empty, duration)
