"""Listening to a recording for its transcript's words: where, and what was heard.

The recogniser (`alignment.recognizer`) decodes one utterance at a time; a recording is
cut into utterances of about half a minute at its pauses, so no word is cut in two and
each utterance's cepstral mean is its own speaker's. Stretches are read from the file
by ffmpeg as they are needed, so an hour is never held as samples.

    words_heard(path, tokens, stretches, speech) -> list[Heard]   here
    ListeningJob(path, tokens, stretches, speech).result()        in a child process
    probes(duration_ms) -> stretches                              where to listen first
    everywhere(path, tokens, duration_ms, speech) -> list[Heard]  on both cores
    placed(path, sentences) -> (per sentence, per token: Heard or None; fillers heard)
                                                                   on both cores
    unsaid(path, tried) -> per word tried, whether the recording does not hold it
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from alignment import audio, recognizer
from alignment.children import ChildJob
from alignment.features import ENERGY_HOP
from alignment.recognizer import Heard

UTTERANCE_MS = 30_000  # an utterance is cut at the longest pause near this length
SHORTEST_MS = 15_000  # ... and no shorter, where a pause allows
LONGEST_MS = 45_000  # ... and no longer, pause or not
_HOP_MS = int(round(ENERGY_HOP * 1000))
# Where to listen first, while the warp runs on the other core: a few seconds in each
# part of the recording. One probe a minute, four to six of them, of 4 s: on the 67-minute
# case they take about 1.5 s of the second core, and the whole alignment 8.8 s against
# 8.5 s without them (eight of 6 s: 9.4 s). Started at once instead, beside the
# decoding, they saved nothing (both cores are busy then) and the child's memory came
# on top of eSpeak's (495 MB at the peak, against 372 MB).
PROBE_MS = 4000
PROBE_EVERY_MS = 60_000
FEWEST_PROBES, MOST_PROBES = 4, 6
READ_MS = 60_000  # sentences are placed by ear from stretches read this long at a time
# A run's first (last) word laid at the edge of its stretch (`recognizer.pressed`) was
# pressed against an edge the warp put inside it: the run is laid again, its stretch
# widened by up to WIDEN_MS that way (not past the stretch of the run beside it).
WIDEN_MS = 1000
AGREE_MS = 20  # two layings put a word in the same place within this
# Words tried for unsaid (`unsaid`) are tried on both cores from this many on: a word
# takes about 30 ms, a child about 0.5 s to start and load its decoders.
TRIED_APART = 40


def probes(duration_ms: int) -> list[tuple[int, int]]:
    """Stretches (ms) spread evenly over the recording, to hear whether the warp placed
    the transcript where its words are said."""
    count = int(min(MOST_PROBES, max(FEWEST_PROBES, duration_ms // PROBE_EVERY_MS)))
    if duration_ms <= count * PROBE_MS:
        return [(0, duration_ms)] if duration_ms > 0 else []
    centres = [(i + 0.5) * duration_ms / count for i in range(count)]
    return [(int(c - PROBE_MS / 2), int(c + PROBE_MS / 2)) for c in centres]


class ListeningJob:
    """`words_heard` in a child process, so it runs beside the warp; `result()` waits."""

    def __init__(self, path: str | os.PathLike, tokens: Sequence[Sequence[str]],
                 stretches: Sequence[tuple[int, int]], speech: np.ndarray,
                 samples: Sequence[np.ndarray] | None = None) -> None:
        self._job = ChildJob("alignment.listening", "_heard_plain", os.fspath(path),
                             [list(t) for t in tokens], list(stretches), speech,
                             None if samples is None else list(samples))
        self._heard: list[Heard] | None = None

    def result(self) -> list[Heard]:
        """The words heard (RuntimeError if the child failed); asked again, the same."""
        if self._heard is None:
            self._heard = [Heard(*h) for h in self._job.result()]
        return self._heard

    def cancel(self) -> None:
        """Stop listening if it still runs."""
        self._job.cancel()


def _heard_plain(path: str, tokens: list[list[str]], stretches: list[tuple[int, int]],
                 speech: np.ndarray, samples: list[np.ndarray] | None,
                 ) -> list[tuple[str, int, int]]:
    return [(h.text, h.begin, h.end)
            for h in words_heard(path, tokens, stretches, speech, samples=samples)]


def everywhere(path: str | os.PathLike, tokens: Sequence[Sequence[str]], duration_ms: int,
               speech: np.ndarray, progress: Callable[[float], None] | None = None,
               ) -> list[Heard]:
    """The words heard in the whole recording: its second half in a child process, the
    first here (reporting progress), so both cores listen."""
    pieces = utterances(0, duration_ms, speech)
    half = len(pieces) // 2
    if half == 0:
        return words_heard(path, tokens, pieces, speech, progress)
    job = ListeningJob(path, tokens, pieces[half:], speech)
    try:
        first = words_heard(path, tokens, pieces[:half], speech, progress)
        return first + job.result()
    finally:
        job.cancel()


def words_heard(path: str | os.PathLike, tokens: Sequence[Sequence[str]],
                stretches: Sequence[tuple[int, int]], speech: np.ndarray,
                progress: Callable[[float], None] | None = None,
                samples: Sequence[np.ndarray] | None = None) -> list[Heard]:
    """The words heard in each of `stretches` (ms, in order) of the recording at `path`,
    listening for the transcript's `tokens` (per sentence); `speech` is the 10 ms speech
    mask, whose pauses are where utterances are cut. `samples`, per stretch, are its
    samples when the caller has them (int16 at recognizer.RATE), else read from the
    file."""
    per_ms = recognizer.RATE // 1000
    pieces = [(u, k) for k, (a, b) in enumerate(stretches) for u in utterances(a, b, speech)]
    total = sum(b - a for (a, b), _ in pieces) or 1
    done = 0
    out: list[Heard] = []
    with recognizer.Listener(tokens) as listener:
        for (a, b), k in pieces:
            if samples is None:
                pcm = audio.pcm_range(path, a, b)
            else:
                start = stretches[k][0]
                pcm = samples[k][(a - start) * per_ms:(b - start) * per_ms]
            out.extend(listener.hear(pcm, a))
            done += b - a
            if progress:
                progress(done / total)
    return out


# a sentence's tokens, its stretch (ms), and per token its estimated start (ms) or None
Placing = tuple[Sequence[str], int, int, Sequence[int | None]]


def placed(path: str | os.PathLike, sentences: Sequence[Placing],
           progress: Callable[[float], None] | None = None,
           ) -> tuple[list[list[Heard | None]], list[Heard]]:
    """Per sentence (its tokens, the stretch it was laid on, and where each token is
    thought to start), where each token is said in that stretch (`recognizer.Aligner`),
    and the fillers heard among them (an "uh", a breath), in order of time; the second
    half of the sentences in a child process, the first here, so both cores listen."""
    half = len(sentences) // 2
    room = _room(sentences)
    if half < 2:
        return _placed_here(path, sentences, room, progress)
    job = ChildJob("alignment.listening", "_placed_plain", os.fspath(path),
                   [(list(t), a, b, list(g)) for t, a, b, g in sentences[half:]],
                   room[half:])
    try:
        first, sounds = _placed_here(path, sentences[:half], room[:half], progress)
        laid, more = job.result()
        second = [[None if h is None else Heard(*h) for h in hs] for hs in laid]
        return first + second, sounds + [Heard(*h) for h in more]
    finally:
        job.cancel()


def _room(sentences: Sequence[Placing]) -> list[tuple[int, int]]:
    """Per stretch (in order of time), how far out it may be widened: to the end of the
    one before and the start of the one after, and no more than WIDEN_MS; never less
    than the stretch itself (stretches either side of a short pause overlap)."""
    out = []
    for i, (_, a, b, _) in enumerate(sentences):
        lo = sentences[i - 1][2] if i else 0
        hi = sentences[i + 1][1] if i + 1 < len(sentences) else b + WIDEN_MS
        out.append((min(a, max(lo, a - WIDEN_MS, 0)), max(b, min(hi, b + WIDEN_MS))))
    return out


def _placed_plain(path: str, sentences: list[tuple[list[str], int, int, list[int | None]]],
                  room: list[tuple[int, int]],
                  ) -> tuple[list[list[tuple[str, int, int] | None]], list[tuple[str, int, int]]]:
    laid, sounds = _placed_here(path, sentences, [tuple(r) for r in room])
    return ([[None if h is None else (h.text, h.begin, h.end) for h in hs] for hs in laid],
            [(h.text, h.begin, h.end) for h in sounds])


def _placed_here(path: str | os.PathLike, sentences: Sequence[Placing],
                 room: Sequence[tuple[int, int]],
                 progress: Callable[[float], None] | None = None,
                 ) -> tuple[list[list[Heard | None]], list[Heard]]:
    out: list[list[Heard | None]] = []
    sounds: list[Heard] = []
    per_ms = recognizer.RATE // 1000
    with recognizer.Aligner([t for t, _, _, _ in sentences]) as aligner:
        for i, j in _read_together([r[0] for r in room], [b for _, _, b, _ in sentences]):
            lo, hi = room[i][0], max(r[1] for r in room[i:j])
            pcm = audio.pcm_range(path, lo, hi)
            hi = lo + len(pcm) // per_ms  # the file may end sooner
            for (tokens, a, b, guesses), (wide_a, wide_b) in zip(sentences[i:j], room[i:j],
                                                                 strict=True):
                out.append(_placed_widened(aligner, pcm, lo, (a, b), (wide_a, min(wide_b, hi)),
                                           tokens, guesses, sounds))
            if progress:
                progress(j / len(sentences))
    return out, sounds


def _read_together(firsts: Sequence[int], lasts: Sequence[int]) -> Iterator[tuple[int, int]]:
    """The stretches (in order of time; each from `firsts` to `lasts`, ms) read from the
    file in one go, as [i, j): from stretch i on, those that end within READ_MS of its
    start. A minute or so of them at a time, not one read each (a read of an MP3 took 60
    ms: 7 s of 13 on a fast podcast of 2.5 min when each word tried for unsaid was read
    on its own)."""
    i = 0
    while i < len(firsts):
        j = i + 1
        while j < len(firsts) and lasts[j] - firsts[i] <= READ_MS:
            j += 1
        yield i, j
        i = j


def unsaid(path: str | os.PathLike, tried: Sequence[tuple[Sequence[str], int, int, int]],
           ) -> list[bool]:
    """Per word tried (the words around it and it, its place among them, and the
    stretch, ms, that holds them; in order of time), whether the recording does not hold
    it there (`recognizer.Aligner.unsaid`); the second half in a child process when there
    are TRIED_APART or more, so both cores listen."""
    half = len(tried) // 2
    if len(tried) < TRIED_APART:
        return _unsaid_here(path, tried)
    job = ChildJob("alignment.listening", "_unsaid_here", os.fspath(path),
                   [(list(w), k, a, b) for w, k, a, b in tried[half:]])
    try:
        first = _unsaid_here(path, tried[:half])
        return first + job.result()
    finally:
        job.cancel()


def _unsaid_here(path: str | os.PathLike, tried: Sequence[tuple[Sequence[str], int, int, int]],
                 ) -> list[bool]:
    out = [False] * len(tried)
    if not tried:
        return out
    per_ms = recognizer.RATE // 1000
    with recognizer.Aligner([words for words, _, _, _ in tried]) as aligner:
        for i, j in _read_together([a for _, _, a, _ in tried], [b for _, _, _, b in tried]):
            lo = tried[i][2]
            pcm = audio.pcm_range(path, lo, max(b for _, _, _, b in tried[i:j]))
            for n in range(i, j):
                words, k, a, b = tried[n]
                piece = pcm[(a - lo) * per_ms:(b - lo) * per_ms]
                out[n] = len(piece) > 0 and aligner.unsaid(piece, words, k)
    return out


def _placed_widened(aligner: recognizer.Aligner, pcm: np.ndarray, pcm_from: int,
                    stretch: tuple[int, int], room: tuple[int, int], tokens: Sequence[str],
                    guesses: Sequence[int | None], sounds: list[Heard]) -> list[Heard | None]:
    """`tokens` laid on `stretch` of `pcm` (samples from `pcm_from` ms). Where the first
    word heard starts at the stretch's start (the last ends at its end) and there is
    `room` beyond it, the word was pressed against an edge the warp put inside it: the
    run is laid again on the stretch widened that way, and its words are taken from that
    laying up to the first word both layings put in the same place (at the end: after
    the last such word), the rest from the first laying; so are the fillers heard. In
    noise a laying of a longer stretch may take another way through the middle of the
    run too (words 0.35 s off under a cafe's noise), where nothing was pressed."""
    per_ms = recognizer.RATE // 1000

    def laid(a: int, b: int, found: list[Heard]) -> list[Heard | None]:
        return aligner.place(pcm[(a - pcm_from) * per_ms:(b - pcm_from) * per_ms], a,
                             tokens, guesses, found)

    (a, b), found = stretch, []
    out = laid(a, b, found)
    at_start, at_end = recognizer.pressed([h for h in out if h is not None], stretch)
    wider = (room[0] if at_start else a, room[1] if at_end else b)
    if wider != (a, b):
        again: list[Heard] = []
        out, lo, hi = _spliced(out, laid(*wider, again), wider[0] < a, wider[1] > b)
        found = [h for h in found if lo <= h.begin and h.end <= hi] + \
            [h for h in again if h.end <= lo or h.begin >= hi]
        found.sort(key=lambda h: h.begin)
    sounds += found
    return out


def _spliced(first: list[Heard | None], wider: list[Heard | None], start: bool, end: bool,
             ) -> tuple[list[Heard | None], int | float, int | float]:
    """`first`, with its words before the first word `wider` puts in the same place
    (within AGREE_MS) taken from `wider` (when `start`), and those after the last such
    word too (when `end`); and the span, ms, in which `first`'s words were kept. Where the
    two agree nowhere, `first` as it is."""
    same = [k for k, (x, y) in enumerate(zip(first, wider, strict=True))
            if x is not None and y is not None and abs(x.begin - y.begin) <= AGREE_MS]
    if not same:
        return first, -np.inf, np.inf
    i, j = (same[0] if start else 0), (same[-1] if end else len(first) - 1)
    lo = first[i].begin if start and first[i] is not None else -np.inf
    hi = first[j].end if end and first[j] is not None else np.inf
    return [*wider[:i], *first[i:j + 1], *wider[j + 1:]], lo, hi


def utterances(begin: int, end: int, speech: np.ndarray) -> list[tuple[int, int]]:
    """[begin, end) ms cut into utterances of SHORTEST_MS to LONGEST_MS, each cut in the
    middle of the longest pause there (by the 10 ms `speech` mask)."""
    out = []
    a = begin
    while end - a > LONGEST_MS:
        lo, hi = (a + SHORTEST_MS) // _HOP_MS, (a + LONGEST_MS) // _HOP_MS
        cut = _longest_pause_middle(speech[lo:hi])
        b = (lo + cut) * _HOP_MS if cut is not None else a + UTTERANCE_MS
        out.append((a, b))
        a = b
    if end > a:
        out.append((a, end))
    return out


def _longest_pause_middle(speech: np.ndarray) -> int | None:
    """The middle of the longest run of non-speech frames, or None if there is none."""
    quiet = ~speech.astype(bool)
    if not quiet.any():
        return None
    edges = np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]]))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    longest = int(np.argmax(ends - starts))
    return int((starts[longest] + ends[longest]) // 2)


__all__ = ["Heard", "ListeningJob", "everywhere", "placed", "probes", "utterances",
           "words_heard"]
