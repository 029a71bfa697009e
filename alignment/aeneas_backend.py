"""The only module that imports aeneas: languages, voices and eSpeak synthesis.

eSpeak-ng reads the transcript as aeneas's C extension `cew` has it read (same library,
voice and flags: the same samples), driven by `alignment.espeak_child`, which also
keeps eSpeak's word events: where in the reading each word starts. The reading's
cepstra come from the same front end as the recording's (`alignment.frontend`). The
reading runs in a thread (`SynthesisJob`), beside the decoding of the recording: eSpeak-ng
reads the text in batches, in two small processes of their own (eSpeak-ng cannot be
initialised twice in one process), and each batch's features are computed, in threads,
while the next ones are read.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import wave
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from aeneas.language import Language
from aeneas.ttswrappers.espeakngttswrapper import ESPEAKNGTTSWrapper

from alignment import children, frontend
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


# Batches of about seven minutes: eSpeak reads two at once, and the features of one are
# computed while the next are read.
BATCH_CHARS = 8000
PARALLEL_BATCHES = 2  # eSpeak is the slowest stage of a long alignment: use both cores
FEATURE_THREADS = 2  # batches whose features are computed at once


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


# Small processes of their own, each reading every PARALLEL_BATCHES-th batch in turn:
# eSpeak-ng initialises once per process, and a bare interpreter with only ctypes costs
# 15 MB where a fork of this one would carry numpy and the batches read so far. It reads
# as aeneas's `cew` does, and keeps the words' start times `cew` drops.
_CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "espeak_child.py")


class _Reader:
    """A process that synthesises each (wav_path, texts) batch in turn into its wav_path
    (and its intervals and word starts beside it), and names each path on its stdout
    once the batch is complete. Its stderr goes to a file: a pipe no one reads while the
    batches are awaited could fill and stop it."""

    def __init__(self, batches: list[tuple[str, list[str]]], voice: str,
                 err_path: str) -> None:
        self._err_path = err_path
        with open(err_path, "wb") as err:
            self._proc = children.start([sys.executable, "-I", _CHILD],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=err)
        try:
            pickle.dump((voice, batches), self._proc.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            self._proc.stdin.close()
        except BaseException:  # it died at once, or Ctrl-C: its last words tell why
            self.stop()
            raise

    def ready(self, wav_path: str) -> None:
        """Wait until the batch of `wav_path` is read; AlignmentError if reading failed."""
        try:
            said = self._proc.stdout.readline().decode("utf-8", "replace").rstrip("\n")
        except ValueError:  # stopped from another thread (the reading was cancelled)
            said = ""
        if said != wav_path:
            self.wait()  # it died (or said something else): its last words tell why
            raise AlignmentError("eSpeak-ng failed to synthesise the transcript: "
                                 f"it stopped before {os.path.basename(wav_path)}")

    def wait(self) -> None:
        """Wait for the process to end; AlignmentError with its last words if it failed."""
        self._proc.stdout.close()
        if self._proc.wait() != 0:
            with open(self._err_path, "rb") as f:
                err = f.read().decode("utf-8", "replace").strip()
            last = err.splitlines()[-1] if err else f"exit status {self._proc.returncode}"
            raise AlignmentError(f"eSpeak-ng failed to synthesise the transcript: {last}")

    def stop(self) -> None:
        """Kill the process if it still runs (a batch failed: the rest is for no one)."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            with contextlib.suppress(OSError):  # a pipe broken by the killed process
                stream.close()


def _features_of(wav_path: str, scratch: frontend.Scratch) -> np.ndarray:
    """Cepstra of a WAV file, one per 40 ms, read a minute at a time (a block holds
    whole frames, so no window straddles two blocks); `scratch`, the FFT's buffers,
    kept from block to block and batch to batch."""
    parts = []
    previous = 0.0
    with wave.open(wav_path) as w:
        rate = w.getframerate()
        block = int(round(rate * FRAME_SHIFT)) * 1500
        while data := w.readframes(block):
            pcm = np.frombuffer(data, dtype=np.int16)
            # the reading is clean: no noise to take out, and no loudness curve to keep
            parts.append(frontend.cepstra(frontend.pooled(
                frontend.band_energies(pcm, rate, previous, scratch), 0)))
            previous = float(pcm[-1]) / 32768.0
    return np.concatenate(parts) if parts else np.zeros((0, frontend.CEPSTRA), np.float32)


class _Cancel:
    """Cancels a reading from another thread: its readers are stopped, now or as they
    start, and the reading ends at its next wait with an AlignmentError (for no one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readers: list[_Reader] = []
        self._cancelled = False

    def started(self, reader: _Reader) -> _Reader:
        """`reader`, stopped at once if the reading is already cancelled."""
        with self._lock:
            self._readers.append(reader)
            if self._cancelled:
                reader.stop()
        return reader

    def __call__(self) -> None:
        with self._lock:
            self._cancelled = True
            for reader in self._readers:
                reader.stop()


def _synthesize_here(spoken: list[str], voice: str, cancel: _Cancel | None = None,
                     ) -> Synthesis:
    """eSpeak's reading of `spoken` with `voice`, and its features; AlignmentError when
    eSpeak failed (or `cancel` was called)."""
    cancel = cancel or _Cancel()
    texts = [s if s.strip() else "." for s in spoken]
    batches = _batches(spoken)
    feats: list[np.ndarray] = []
    spans = np.zeros((len(spoken), 2), np.int32)
    words: list[tuple[tuple[int, float], ...]] = [() for _ in spoken]
    offset = 0
    scratch = frontend.ThreadScratch()  # FFT buffers, kept from batch to batch
    with tempfile.TemporaryDirectory(prefix="tp-synth-") as tmp, \
            ThreadPoolExecutor(max_workers=FEATURE_THREADS) as pool:
        paths = [os.path.join(tmp, f"batch{i}.wav") for i in range(len(batches))]
        readers: list[_Reader] = []
        measured: list[Future[np.ndarray]] = []
        try:
            for r in range(min(PARALLEL_BATCHES, len(batches))):
                mine = [(paths[j], texts[lo:hi]) for j, (lo, hi) in enumerate(batches)
                        if j % PARALLEL_BATCHES == r]
                readers.append(cancel.started(
                    _Reader(mine, voice, os.path.join(tmp, f"reader{r}.err"))))
            # Each batch's features are computed in a thread as soon as it is read, while
            # both readers go on with their next batches: the readers are done before
            # the features, and two batches measured at once end the reading sooner
            # than one after the other on a core while the other idles.
            for i in range(len(batches)):
                readers[i % PARALLEL_BATCHES].ready(paths[i])
                measured.append(pool.submit(_measured_batch, paths[i], scratch))
            for (a, _), part, path in zip(batches, measured, paths, strict=True):
                batch = part.result()
                with open(path + ".intervals", "rb") as f:
                    intervals = pickle.load(f)
                for k, (begin, end, starts) in enumerate(intervals, start=a):
                    words[k] = tuple((pos, offset + t / FRAME_SHIFT) for pos, t in starts)
                    lo = min(len(batch), int(round(begin / FRAME_SHIFT)))
                    hi = min(len(batch), max(lo + 1, int(round(end / FRAME_SHIFT))))
                    lo, hi = _trim(batch[:, 0], lo, hi)
                    spans[k] = (lo + offset, hi + offset)
                feats.append(batch)
                offset += len(batch)
            for reader in readers:
                reader.wait()
        finally:
            for part in measured:
                part.cancel()
            for reader in readers:
                reader.stop()
    all_feats = np.concatenate(feats) if feats else np.zeros((0, frontend.CEPSTRA), np.float32)
    return Synthesis(all_feats, spans, tuple(words))


def _measured_batch(wav_path: str, scratch: frontend.ThreadScratch) -> np.ndarray:
    """A batch's cepstra, its WAV file removed once read."""
    try:
        return _features_of(wav_path, scratch.buffers)
    finally:
        os.remove(wav_path)


class SynthesisJob:
    """eSpeak's reading of `spoken` and its features, made in a thread of this process
    while the caller goes on (its readers are processes of their own); `result()` waits.
    It ran in a child process of its own, which cost 0.3 s of a core to start (numpy and
    aeneas imported again) and held eSpeak's first batch back by 0.2 s."""

    def __init__(self, spoken: list[str], language: str) -> None:
        voice = voice_for(language)
        self._cancel = _Cancel()
        self._future: Future[Synthesis] = Future()
        self._thread = threading.Thread(target=self._run, args=(list(spoken), voice),
                                        name="eSpeak reading", daemon=True)
        self._thread.start()

    def _run(self, spoken: list[str], voice: str) -> None:
        try:
            self._future.set_result(_synthesize_here(spoken, voice, self._cancel))
        except BaseException as exc:  # told to whoever waits in result()
            self._future.set_exception(exc)

    def result(self) -> Synthesis:
        """The reading; AlignmentError when eSpeak failed."""
        try:
            return self._future.result()
        except AlignmentError:
            raise
        except Exception as exc:  # noqa: BLE001 -- anything else the thread met
            raise AlignmentError(f"eSpeak synthesis failed: {exc}") from None

    def cancel(self) -> None:
        """Stop the synthesis if it still runs: its readers are killed, and the thread
        ends once the batches being measured are done."""
        self._cancel()
