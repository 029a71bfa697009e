"""Word times inside a placed sentence: eSpeak's word starts carried over by the warp.

eSpeak says where each word of its reading starts (`alignment.espeak_child`); the warp of
a sentence's reading onto its stretch of the recording says which recording frame each
reading frame fell on; together they give each written word its start. A pause the
speaker made mid-sentence, which eSpeak did not, falls inside a word's stretch: the
word then starts after it when more of its stretch lies after it than before. The start is
then moved onto the end of a pause when one lies just there (a word after a breath
starts with its first sound), and a word ends where the next begins, or where the pause
before the next begins.

    reading_starts(text, spoken, events, span) -> per written word, its reading frame
    carried(starts, reading, recording) -> per word, its recording frame
    timed(text, begins_ms, sentence, pauses) -> the sentence's Words
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Collection, Sequence

import numpy as np

from alignment.features import ENERGY_HOP
from alignment.syncmap import Sentence, Word, split_words

SNAP_MS = 100  # a word start this near the end of a pause moves onto it
LEAD_MS = 20  # ... to this much before the first sound after the pause
WORD_PAUSE_MS = 150  # a pause this long is not inside a word
SHARED_RUN = 3  # characters text and spoken form must share in a row to be matched


def _offsets(text: str, words: Sequence[str]) -> list[int]:
    """Where each word of `split_words(text)` starts in `text`."""
    out, cursor = [], 0
    for w in words:
        first = w.split()[0]
        at = text.find(first, cursor)
        at = cursor if at < 0 else at
        out.append(at)
        cursor = at + len(first)
    return out


def reading_starts(text: str, spoken: str, events: Sequence[tuple[int, float]],
                   span: tuple[int, int]) -> list[float | None]:
    """Per written word of `text`, the reading frame where eSpeak began it (None for a
    word eSpeak did not read: a mark taken out of the spoken form, a symbol). `events`
    are eSpeak's word starts as (character offset in `spoken`, reading frame); the
    spoken form differs from the text where symbols and abbreviations were spelt out, so
    offsets are carried over by the characters the two share."""
    words = split_words(text)
    if not words:
        return []
    offsets = _offsets(text, words)
    # shared runs of a few characters or more: a letter or two in common between a
    # spelt-out "dollars" and a "[laughter]" the synthesiser never read is chance
    blocks = [difflib.Match(0, 0, len(text))] if text == spoken else \
        [b for b in difflib.SequenceMatcher(None, text.lower(), spoken.lower(),
                                            autojunk=False).get_matching_blocks()
         if b.size >= SHARED_RUN]
    lo, hi = span
    out: list[float | None] = [None] * len(words)
    for pos, frame in events:
        at = _carried(pos, blocks)
        if at is None:
            continue
        k = max(0, bisect.bisect_right(offsets, at) - 1)
        frame = float(min(max(frame, lo), max(lo, hi - 1)))
        if out[k] is None or frame < out[k]:
            out[k] = frame
    # eSpeak's word events run forward; a word met out of order was mapped wrongly
    latest = -1.0
    for k, f in enumerate(out):
        if f is not None:
            if f < latest:
                out[k] = None
            else:
                latest = f
    return _read_between(out, [_spoken_at(o, blocks) for o in offsets], len(spoken), hi)


def _spoken_at(offset: int, blocks: Sequence[difflib.Match]) -> int | None:
    """Where the text's character at `offset` is in the spoken form, if the two share it."""
    for b in blocks:
        if b.a <= offset < b.a + b.size:
            return b.b + (offset - b.a)
    return None


def _read_between(frames: list[float | None], spoken_at: list[int | None],
                  spoken_length: int, end: int) -> list[float | None]:
    """Words eSpeak read without an event of their own (it runs "in the" together as one
    word) placed between the words around them that have one, in proportion to where
    they stand in the spoken form; words not in the spoken form stay None."""
    out = list(frames)
    for k, f in enumerate(frames):
        if f is not None or spoken_at[k] is None:
            continue
        before = next((j for j in range(k - 1, -1, -1)
                       if frames[j] is not None and spoken_at[j] is not None), None)
        if before is None:
            continue
        after = next((j for j in range(k + 1, len(frames))
                      if frames[j] is not None and spoken_at[j] is not None), None)
        f0, c0 = frames[before], spoken_at[before]
        f1, c1 = (float(end), spoken_length) if after is None else \
            (frames[after], spoken_at[after])
        if c1 > c0:
            out[k] = f0 + (f1 - f0) * (spoken_at[k] - c0) / (c1 - c0)
    return out


def _carried(pos: int, blocks: Sequence[difflib.Match]) -> int | None:
    """The offset in the text of the character at `pos` in the spoken form: itself when
    the two share it, else just after the last character they share before it (the
    written word being spelt out: "$5" read "five dollars")."""
    after = None
    for b in blocks:
        if pos < b.b:
            break
        if pos < b.b + b.size:
            return b.a + (pos - b.b)
        after = b.a + b.size
    return after if after is not None else (blocks[0].a if blocks else None)


def carried(starts: Sequence[float | None], reading: np.ndarray,
            recording: np.ndarray) -> list[float | None]:
    """Reading frames carried onto recording frames by a warp: `reading[j]` is the
    reading frame the warp matched to recording frame `recording[j]` (non-decreasing).
    A start between two matched reading frames lands in proportion between theirs."""
    if len(reading) == 0:
        return [None for _ in starts]
    first_of, idx = np.unique(reading, return_index=True)
    at = recording[idx].astype(np.float64)
    # all starts in one call (element by element, the values of a call each)
    found = np.interp(np.array([0.0 if s is None else s for s in starts], np.float64),
                      first_of.astype(np.float64), at)
    return [None if s is None else float(v) for s, v in zip(starts, found, strict=True)]


def timed(text: str, begins_ms: Sequence[int | None], sentence: Sentence,
          pause_starts: Sequence[float], pause_ends: Sequence[float],
          heard: Sequence[tuple[int, int] | None] = (), unsaid: Collection[int] = (),
          ) -> tuple[Word, ...]:
    """The sentence's words with times. A word heard (`heard`: its begin and end, from an
    acoustic model) keeps them; a word the recording does not hold (`unsaid`, by index)
    is not aligned and sits at the end of the word before it. Otherwise its start from
    `begins_ms` (None: not found) is moved onto a pause's end within SNAP_MS, and it
    ends where the next word begins, or where the pause before that begins. Starts stay
    in order inside the sentence; a word not found takes the end of the word before it
    as its begin and end."""
    words = split_words(text)
    heard = list(heard) or [None] * len(words)
    hop = ENERGY_HOP * 1000.0
    begins: list[int | None] = []
    floor = sentence.begin
    for k, (b, h) in enumerate(zip(begins_ms, heard, strict=True)):
        if k in unsaid:
            begins.append(None)
            continue
        if h is not None:
            b = h[0]
        elif b is not None:
            nxt = next((x for x in begins_ms[k + 1:] if x is not None), sentence.end)
            b = _after_pause(_snapped(b, pause_ends), nxt,
                             pause_starts, pause_ends, hop)
        else:
            begins.append(None)
            continue
        b = int(min(max(b, floor), sentence.end))
        begins.append(b)
        floor = b
    out: list[Word] = []
    for k, w in enumerate(words):
        b = begins[k]
        nxt = next((x for x in begins[k + 1:] if x is not None), sentence.end)
        if b is None:
            at = out[-1].end if out else sentence.begin
            out.append(Word(w, at, at, aligned=False))
            continue
        h = heard[k]
        end = min(h[1], nxt) if h is not None else \
            _pause_before(b, nxt, pause_starts, pause_ends, hop)
        out.append(Word(w, b, max(b, end)))
    return tuple(out)


def edge_near(ms: int, edges: Sequence[float]) -> int | None:
    """The pause edge (`edges`: 10 ms frames, in order) within SNAP_MS of `ms`, nearest
    first, in ms; None when there is none."""
    hop = ENERGY_HOP * 1000.0
    t = ms / hop
    j = bisect.bisect_left(edges, t)
    near = [edges[i] for i in (j - 1, j) if 0 <= i < len(edges) and
            abs(edges[i] - t) * hop <= SNAP_MS]
    return int(round(min(near, key=lambda e: abs(e - t)) * hop)) if near else None


def _snapped(ms: int, pause_ends: Sequence[float]) -> int:
    """`ms` moved to LEAD_MS before the end of a pause that ends within SNAP_MS of it
    (a pause is longer than LEAD_MS, so that stays inside it)."""
    end = edge_near(ms, pause_ends)
    return ms if end is None else end - LEAD_MS


def _after_pause(begin: int, nxt: int, pause_starts: Sequence[float], pause_ends: Sequence[float],
                 hop: float) -> int:
    """A word's start moved past the longest pause of WORD_PAUSE_MS or more inside its
    stretch [begin, nxt), when more of the stretch lies after the pause than before it."""
    lo = bisect.bisect_right(pause_starts, begin / hop)
    best = None
    for j in range(lo, len(pause_starts)):
        if pause_ends[j] * hop >= nxt:
            break
        length = (pause_ends[j] - pause_starts[j]) * hop
        if length >= WORD_PAUSE_MS and (best is None or length > best[1]):
            best = (j, length)
    if best is None:
        return begin
    j = best[0]
    if nxt - pause_ends[j] * hop > pause_starts[j] * hop - begin:
        return int(round(pause_ends[j] * hop - LEAD_MS))
    return begin


def _pause_before(begin: int, nxt: int, pause_starts: Sequence[float], pause_ends: Sequence[float],
                  hop: float) -> int:
    """Where a word starting at `begin` ends, the next starting at `nxt`: at the start
    of a pause that runs up to the next word's start, else at that start."""
    j = bisect.bisect_right(pause_ends, (nxt + LEAD_MS) / hop) - 1
    if 0 <= j < len(pause_ends):
        start, end = pause_starts[j] * hop, pause_ends[j] * hop
        if start > begin and end >= nxt - SNAP_MS:
            return int(round(start))
    return nxt
