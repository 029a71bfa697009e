"""What the aligner keeps of a recording: MFCCs every 40 ms and a loudness curve every 10 ms.

Both are computed block by block while ffmpeg decodes, so memory holds a few hundred
bytes per second of audio (about 10 MB for four hours), never the samples themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from alignment import audio
from alignment.aeneas_backend import FRAME_SHIFT, mfcc

ENERGY_HOP = 0.010  # seconds per loudness frame
_RATE = audio.SAMPLE_RATE
_BLOCK_SECONDS = 60.0  # a whole number of both frame hops


@dataclass(frozen=True)
class RecordingFeatures:
    """mfcc: frames x 13 (40 ms hop); loudness: dB per 10 ms of the high-passed signal."""

    mfcc: np.ndarray
    loudness: np.ndarray
    duration: int  # ms


def _loudness(block: np.ndarray, previous: float) -> np.ndarray:
    """dB per 10 ms frame after pre-emphasis, which removes hum and rumble below speech."""
    x = block.astype(np.float32) / 32768.0
    y = np.empty_like(x)
    y[0] = x[0] - 0.97 * previous
    y[1:] = x[1:] - 0.97 * x[:-1]
    hop = int(_RATE * ENERGY_HOP)
    n = len(y) // hop
    frames = y[: n * hop].reshape(n, hop)
    power = np.einsum("ij,ij->i", frames, frames) / hop
    return (10.0 * np.log10(power + 1e-10)).astype(np.float32)


def extract(path: str | os.PathLike, expected_ms: int,
            progress: Callable[[float], None] | None = None) -> RecordingFeatures:
    """Decode `path` as a stream and compute its features; `expected_ms`, the probed
    duration, only scales the progress reports."""
    expected = max(1, expected_ms)
    feats, loud = [], []
    previous = 0.0
    samples = 0
    for block in audio.pcm_blocks(path, block_seconds=_BLOCK_SECONDS):
        feats.append(mfcc(block, _RATE))
        loud.append(_loudness(block, previous))
        previous = float(block[-1]) / 32768.0
        samples += len(block)
        if progress:
            progress(min(1.0, samples / _RATE * 1000 / expected))
    duration = int(round(samples * 1000 / _RATE))
    m = np.concatenate(feats) if feats else np.zeros((0, 13), np.float32)
    # the last frame of the recording may be partial; keep frames within the audio
    m = m[: int(samples / _RATE / FRAME_SHIFT) or len(m)]
    return RecordingFeatures(m, np.concatenate(loud), duration)
