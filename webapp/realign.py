"""Re-aligning a stretch after an edit: seconds of audio, not the whole recording.

When a sentence's words change, only the stretch between its nearest trusted neighbours
is aligned again: the closest sentence before and after it that the aligner found in the
audio and that this edit does not touch. Their times stay as they are; the audio between
the end of the one and the start of the other is cut out (ffmpeg, through pydub as
`webapp.clips` cuts clips), aligned with the public `alignment.align` on just the
sentences in between, and the result is shifted back to the recording's clock.

The stretch's sentences go to the aligner as this program's own JSON transcript (one
paragraph each), so none is merged with another or read as a header; its answer is
mapped back onto them by their words, so an edit that the sentence splitter would cut
in two still stays one sentence.

Words: a sentence placed from the aligner's answer takes the words the aligner found in
it, on the recording's clock and inside its new span; one spread by estimate has none
(old word times would not fit its words or its span). When an editor moves a sentence's
edges by hand, `reword` finds the words of the sentences that moved again, over the
spans as set, the same way (cut, align); where that fails they lose their words.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import alignment
from alignment import AlignmentError, Sentence, SyncMap, Word, split_words

__all__ = ["MIN_SPAN_MS", "PAD_MS", "Span", "cut_wav", "place", "realign", "reword", "spread",
           "trusted_span"]

#: below this much audio between the neighbours there is nothing to align: the
#: sentences are spread over it and marked as not found
MIN_SPAN_MS = 250
#: silence laid before and after the cut: a stretch can start a few milliseconds before
#: its first word, and the aligner finds an onset it is given a pause before (measured
#: on the seed: a start 80 ms late with a 40 ms lead-in, as exact as the full alignment
#: with this)
PAD_MS = 300


@dataclass(frozen=True)
class Span:
    """Sentences `first`..`last` (positions, inclusive) and the audio `begin`..`end` (ms)
    between their trusted neighbours."""

    first: int
    last: int
    begin: int
    end: int

    @property
    def length(self) -> int:
        """The stretch's length in ms."""
        return self.end - self.begin


def _trusted(s: Sentence) -> bool:
    return s.aligned and s.end > s.begin


def trusted_span(sentences: Sequence[Sentence], edited: Collection[int],
                 duration_ms: int) -> Span:
    """The stretch to align again after the sentences at positions `edited` changed:
    from the end of the nearest trusted sentence before them (or the recording's start)
    to the start of the nearest trusted one after them (or its end)."""
    if not edited:
        raise ValueError("no sentence was edited")
    lo, hi = min(edited), max(edited)
    j = lo - 1
    while j >= 0 and (j in edited or not _trusted(sentences[j])):
        j -= 1
    k = hi + 1
    while k < len(sentences) and (k in edited or not _trusted(sentences[k])):
        k += 1
    begin = sentences[j].end if j >= 0 else 0
    end = sentences[k].begin if k < len(sentences) else max(duration_ms, begin)
    return Span(first=j + 1, last=k - 1, begin=begin, end=max(begin, end))


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def spread(pieces: Sequence[Sentence], begin: int, end: int) -> list[Sentence]:
    """`pieces` laid evenly over `begin`..`end` by their length in letters, marked as not
    found in the audio (their times are estimates), without words."""
    weights = [max(1, len(_letters(s.text))) for s in pieces]
    total = sum(weights)
    out, at = [], float(begin)
    for s, w in zip(pieces, weights, strict=True):
        step = (end - begin) * w / total
        out.append(replace(s, begin=int(round(at)), end=int(round(at + step)),
                           aligned=False, confidence=0.0, words=()))
        at += step
    return out


def _found(pieces: Sequence[Sentence], result: SyncMap) -> list[list[Sentence]]:
    """For each piece, the aligner's sentences (`result`) that start inside it: the
    aligner's sentences are found in the pieces' letters, in order."""
    bounds, text = [], ""
    for s in pieces:
        text += _letters(s.text)
        bounds.append(len(text))
    found: list[list[Sentence]] = [[] for _ in pieces]
    cursor = 0
    for r in result.sentences:
        key = _letters(r.text)
        if not key:
            continue
        pos = text.find(key, cursor)
        if pos < 0:
            pos = text.find(key[:12], cursor)
        if pos < 0:
            continue
        owner = next(n for n, b in enumerate(bounds) if pos < b)
        found[owner].append(r)
        cursor = pos + min(len(key), 12)
    return found


def fit_words(piece: Sentence, hits: Sequence[Sentence], offset: int) -> tuple[Word, ...]:
    """The words the aligner found for `piece` (those of its sentences `hits`, whose
    clock starts at `offset` ms of the recording), on the recording's clock and inside
    the piece's span; none unless they are the piece's own words, one for one."""
    words = [w for r in hits for w in r.words]
    texts = split_words(piece.text)
    if not words or len(words) != len(texts):
        return ()

    def inside(t: int) -> int:
        return min(max(t + offset, piece.begin), piece.end)

    return tuple(Word(text, inside(w.begin), inside(w.end), w.aligned)
                 for text, w in zip(texts, words, strict=True))


def place(pieces: Sequence[Sentence], result: SyncMap, offset: int, end: int,
          begin: int | None = None) -> list[Sentence]:
    """`pieces` with the times the aligner gave the stretch (`result`, whose clock starts
    at `offset` ms of the recording), matched by their words, kept within `begin`
    (`offset` when not given) and `end`.

    The aligner's sentences are found in the pieces' letters in order; a piece gets the
    span of the aligned sentences that start inside it, and their words (`fit_words`).
    A piece nothing aligned starts in keeps its text and gets an estimate between its
    neighbours, marked not found, without words.
    """
    low = offset if begin is None else begin
    out: list[Sentence | None] = []
    for s, rs in zip(pieces, _found(pieces, result), strict=True):
        hits = [r for r in rs if r.aligned]
        if hits:
            b = max(low, min(r.begin for r in hits) + offset)
            e = max(r.end for r in hits) + offset
            moved = replace(s, begin=min(b, end - 1), end=min(end, max(b + 1, e)),
                            aligned=True, confidence=min(float(r.confidence) for r in hits))
            out.append(replace(moved, words=fit_words(moved, hits, offset)))
        else:
            out.append(None)
    # what was not found goes between what was, so the times stay in order
    placed: list[Sentence] = []
    n = 0
    while n < len(pieces):
        if out[n] is not None:
            placed.append(out[n])  # type: ignore[arg-type]
            n += 1
            continue
        m = n
        while m < len(pieces) and out[m] is None:
            m += 1
        lo = placed[-1].end if placed else low
        hi = out[m].begin if m < len(pieces) else end  # type: ignore[union-attr]
        placed.extend(spread(pieces[n:m], lo, max(lo, hi)))
        n = m
    return placed


def cut_wav(source: Path, begin_ms: int, end_ms: int, dst: Path, pad_ms: int = 0) -> None:
    """Write `begin_ms`..`end_ms` of `source` to `dst` as 16 kHz mono WAV, with `pad_ms`
    of silence before and after."""
    from pydub import AudioSegment  # imported on use: pydub warns about audioop on import

    segment = AudioSegment.from_file(str(source), start_second=begin_ms / 1000,
                                     duration=(end_ms - begin_ms) / 1000)
    segment = segment.set_channels(1).set_frame_rate(16000)
    if pad_ms:
        silence = AudioSegment.silent(duration=pad_ms, frame_rate=16000)
        segment = silence + segment + silence
    segment.export(str(dst), format="wav")


def realign(source: Path, sentences: Sequence[Sentence], edited: Collection[int],
            duration_ms: int, language: str) -> tuple[Span, list[Sentence]]:
    """The stretch around the edited sentences (positions) and its sentences with new
    times. Only the sentences between the trusted neighbours are returned; the rest keep
    theirs. When the aligner finds nothing (or refuses the words), the stretch's
    sentences are spread over it and marked not found: an edit is never lost to it."""
    span = trusted_span(sentences, edited, duration_ms)
    pieces = list(sentences[span.first: span.last + 1])
    if span.length < MIN_SPAN_MS:
        return span, spread(pieces, span.begin, span.end)
    result = _align_cut(source, pieces, span.begin, span.end, language)
    if result is None:
        return span, spread(pieces, span.begin, span.end)
    return span, place(pieces, result, span.begin - PAD_MS, span.end, begin=span.begin)


def _align_cut(source: Path, pieces: Sequence[Sentence], begin: int, end: int,
               language: str) -> SyncMap | None:
    """The aligner's answer for `pieces` over `begin`..`end` of the recording (cut with
    `PAD_MS` of silence each side, so its clock starts at `begin - PAD_MS`); None when
    the aligner refuses the words or the audio."""
    transcript = json.dumps(SyncMap(sentences=tuple(
        replace(s, index=k, paragraph=k, begin=0, end=0, id="", words=())
        for k, s in enumerate(pieces)
    )).to_dict())
    with tempfile.TemporaryDirectory(prefix="tp-realign-") as tmp:
        wav = Path(tmp) / "span.wav"
        cut_wav(source, begin, end, wav, pad_ms=PAD_MS)
        try:
            return alignment.align(wav, transcript, language=language)
        except AlignmentError:
            return None


def _runs(positions: Collection[int]) -> list[tuple[int, int]]:
    """Positions as runs of neighbours, (first, last) inclusive, in order."""
    runs: list[tuple[int, int]] = []
    for n in sorted(positions):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def reword(source: Path | None, sentences: Sequence[Sentence], moved: Collection[int],
           language: str) -> list[Sentence]:
    """`sentences` with the words of those at positions `moved` (whose edges an editor
    set) found again over their spans as set: each run of neighbours is cut and aligned
    once, and the words it gives each sentence are kept inside that sentence's span
    (the edges themselves stay where the editor put them). A sentence the aligner gives
    no words for, or all of a run when there is no audio (`source` None) or the aligner
    refuses it, has none: never words outside its span. A run none of whose sentences
    had words is left alone (nothing to keep right, and no aligning to wait for)."""
    out = list(sentences)
    for first, last in _runs(moved):
        pieces = out[first: last + 1]
        if not any(s.words for s in pieces):
            continue
        result = None
        if source is not None and pieces[-1].end - pieces[0].begin >= MIN_SPAN_MS:
            result = _align_cut(source, pieces, pieces[0].begin, pieces[-1].end, language)
        found = _found(pieces, result) if result is not None else [[] for _ in pieces]
        offset = pieces[0].begin - PAD_MS
        for k, (s, rs) in enumerate(zip(pieces, found, strict=True)):
            hits = [r for r in rs if r.aligned]
            out[first + k] = replace(s, words=fit_words(s, hits, offset) if hits else ())
    return out
