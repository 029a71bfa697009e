"""The only module that imports aeneas: languages, voices and eSpeak synthesis.

eSpeak-ng reads the transcript as aeneas's C extension `cew` has it read (same library,
voice and flags: the same samples), driven by `alignment.espeak_child`, which also
keeps eSpeak's word events: where in the reading each word starts. The reading's
cepstra come from the same front end as the recording's (`alignment.frontend`). The
reading runs in a child process (`SynthesisJob`), beside the parent's decoding of the
recording; the child has eSpeak-ng read the text in batches, each in a small process of
its own, since eSpeak-ng cannot be initialised twice in one process, and computes the
reading's features while the next batches are read.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass

import numpy as np
from aeneas.language import Language
from aeneas.ttswrappers.espeakngttswrapper import ESPEAKNGTTSWrapper

from alignment import children, frontend
from alignment.children import ChildJob
from alignment.errors import AlignmentError, LanguageError

FRAME_SHIFT = frontend.FRAME_SHIFT  # the reading's cepstra, one per 40 ms


def languages() -> dict[str, str]:
    """ISO 639-3 codes (and aeneas's regional variants) -> eSpeak-ng voice codes."""
    table = ESPEAKNGTTSWrapper.LANGUAGE_TO_VOICE_CODE
    return {code: table[code] for code in Language.ALLOWED_VALUES if code in table}


def voice_for(language: str) -> str:
    """The eSpeak-ng voice for a language code; LanguageError names the fix."""
    voice = languages().get(language)
    if voice is None:
        raise LanguageError(
            f"unknown language {language!r}: use an ISO 639-3 code such as eng, deu, fra, "
            "ita, spa (see `transcript-player align --help`)"
        )
    return voice


@dataclass(frozen=True)
class Synthesis:
    """eSpeak's reading of the sentences as features.

    features: frames x 13 MFCCs of the whole reading, one frame per 40 ms.
    spans:    per sentence, [first, last) frame of its speech, silence trimmed.
    words:    per sentence, where eSpeak began each of its words: (character offset in
              the sentence's spoken text, reading frame, fractional).
    """

    features: np.ndarray
    spans: np.ndarray  # int32, sentences x 2
    words: tuple[tuple[tuple[int, float], ...], ...] = ()


def _trim(c0: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    """Drop eSpeak's leading and trailing silence from frames [lo, hi)."""
    if hi <= lo:
        return lo, lo
    seg = c0[lo:hi]
    floor, peak = float(seg.min()), float(seg.max())
    if peak - floor < 1e-6:
        return lo, hi
    loud = np.nonzero(seg > floor + 0.25 * (peak - floor))[0]
    if len(loud) == 0:
        return lo, hi
    return lo + int(loud[0]), lo + int(loud[-1]) + 1


# Batches of about ten minutes: eSpeak reads two at once, and the features of one are
# computed while the next is read.
BATCH_CHARS = 8000
PARALLEL_BATCHES = 2  # eSpeak is the slowest stage of a long alignment: use both cores


def _batches(spoken: list[str]) -> list[tuple[int, int]]:
    """[start, end) sentence ranges of about BATCH_CHARS characters each, and at least
    PARALLEL_BATCHES of them when there is enough text, so a short one uses every core."""
    total = sum(len(text) + 1 for text in spoken)
    limit = min(BATCH_CHARS, max(500, total // PARALLEL_BATCHES + 1))
    out, start, size = [], 0, 0
    for k, text in enumerate(spoken):
        size += len(text) + 1
        if size >= limit:
            out.append((start, k + 1))
            start, size = k + 1, 0
    if start < len(spoken):
        out.append((start, len(spoken)))
    return out


# A small process of its own per batch: eSpeak-ng initialises once per process, and a
# bare interpreter with only ctypes costs 15 MB where a fork of this one would carry
# numpy and the batches read so far. It reads as aeneas's `cew` does, and keeps the
# words' start times `cew` drops.
_CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "espeak_child.py")


def _start_reading(texts: list[str], voice: str, wav_path: str) -> subprocess.Popen:
    """Synthesise a batch into `wav_path` (and its intervals and word starts beside it)."""
    proc = children.start([sys.executable, "-I", _CHILD], stdin=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    pickle.dump((wav_path, voice, texts), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    proc.stdin.close()
    return proc


def _wait(proc: subprocess.Popen) -> None:
    err = proc.stderr.read().decode("utf-8", "replace").strip()
    proc.stderr.close()
    if proc.wait() != 0:
        last = err.splitlines()[-1] if err else f"exit status {proc.returncode}"
        raise AlignmentError(f"eSpeak-ng failed to synthesise the transcript: {last}")


def _features_of(wav_path: str) -> np.ndarray:
    """Cepstra of a WAV file, one per 40 ms, read a minute at a time (a block holds
    whole frames, so no window straddles two blocks)."""
    parts = []
    previous = 0.0
    with wave.open(wav_path) as w:
        rate = w.getframerate()
        block = int(round(rate * FRAME_SHIFT)) * 1500
        while data := w.readframes(block):
            pcm = np.frombuffer(data, dtype=np.int16)
            # the reading is clean: no noise to take out, and no loudness curve to keep
            parts.append(frontend.cepstra(frontend.pooled(
                frontend.band_energies(pcm, rate, previous), 0)))
            previous = float(pcm[-1]) / 32768.0
    return np.concatenate(parts) if parts else np.zeros((0, frontend.CEPSTRA), np.float32)


def _synthesize_here(spoken: list[str], voice: str) -> Synthesis:
    texts = [s if s.strip() else "." for s in spoken]
    batches = _batches(spoken)
    feats: list[np.ndarray] = []
    spans = np.zeros((len(spoken), 2), np.int32)
    words: list[tuple[tuple[int, float], ...]] = [() for _ in spoken]
    offset = 0
    with tempfile.TemporaryDirectory(prefix="tp-synth-") as tmp:
        paths = [os.path.join(tmp, f"batch{i}.wav") for i in range(len(batches))]
        running: dict[int, subprocess.Popen] = {}
        try:
            for i, (a, _) in enumerate(batches):
                # keep PARALLEL_BATCHES readings going, this batch's among them
                for j in range(i, min(len(batches), i + PARALLEL_BATCHES)):
                    if j not in running:
                        lo, hi = batches[j]
                        running[j] = _start_reading(texts[lo:hi], voice, paths[j])
                _wait(running.pop(i))
                batch = _features_of(paths[i])
                with open(paths[i] + ".intervals", "rb") as f:
                    intervals = pickle.load(f)
                for k, (begin, end, starts) in enumerate(intervals, start=a):
                    words[k] = tuple((pos, offset + t / FRAME_SHIFT) for pos, t in starts)
                    lo = min(len(batch), int(round(begin / FRAME_SHIFT)))
                    hi = min(len(batch), max(lo + 1, int(round(end / FRAME_SHIFT))))
                    lo, hi = _trim(batch[:, 0], lo, hi)
                    spans[k] = (lo + offset, hi + offset)
                feats.append(batch)
                offset += len(batch)
                os.remove(paths[i])
        finally:
            for proc in running.values():  # a failed batch stops the others
                proc.kill()
                proc.wait()
    all_feats = np.concatenate(feats) if feats else np.zeros((0, frontend.CEPSTRA), np.float32)
    return Synthesis(all_feats, spans, tuple(words))


class SynthesisJob:
    """eSpeak synthesis of `spoken` running in a child process; `result()` waits."""

    def __init__(self, spoken: list[str], language: str) -> None:
        self._job = ChildJob("alignment.aeneas_backend", "_synthesize_here", list(spoken),
                             voice_for(language))

    def result(self) -> Synthesis:
        """The reading; AlignmentError when eSpeak failed."""
        try:
            return self._job.result()
        except RuntimeError as exc:
            raise AlignmentError(f"eSpeak synthesis failed: {exc}") from None

    def cancel(self) -> None:
        """Stop the synthesis if it still runs."""
        self._job.cancel()
