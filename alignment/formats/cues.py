"""Caption cues that fit a screen: at most two lines of about 42 characters and 7 s.

A sentence longer than that is cut at phrase boundaries (after a comma, semicolon,
colon or dash, else before a word such as "and", "but" or "which", else between any two
words), each cut as near the middle as such a boundary allows, until every piece fits.
A single word longer than a line stays whole. The JSON format keeps whole sentences;
WebVTT and SRT use this.

Where the sentence's words have times (`cues_for_words`, given `words.timed_words`), the
cuts fall between those words and each cue runs from its first word's begin to its last
word's end; the cue also keeps its words, line by line, for WebVTT's karaoke timestamps.
Without them (`split_sentence`) the sentence's time is shared among its pieces in
proportion to their words, and the cues follow on without gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alignment.formats.common import Cue
from alignment.syncmap import Word

__all__ = ["MAX_CUE_MS", "MAX_LINE", "MAX_LINES", "cues_for_words", "split_sentence", "wrap"]

MAX_LINE = 42
MAX_LINES = 2
MAX_CUE_MS = 7000

_AFTER = (",", ";", ":", "—", "–", "-", ")", "”", '"')
_BEFORE = frozenset(
    "and but or nor so yet because which who whom whose that where when while if "
    "although though unless until since as than then to for with without about from".split()
)


def _cost(words: list[str], k: int) -> float:
    """How bad a cut before words[k] is: 0 after a phrase mark, 1 before a joining word,
    3 elsewhere, plus how far it is from the middle (in characters, relative)."""
    left = len(" ".join(words[:k]))
    right = len(" ".join(words[k:]))
    balance = abs(left - right) / max(left + right, 1)
    prev = words[k - 1]
    if prev.endswith(_AFTER) or prev.endswith((".", "?", "!")):
        kind = 0.0
    elif words[k].lower().strip("“\"'(") in _BEFORE:
        kind = 1.0
    else:
        kind = 3.0
    return kind + 4 * balance


def _best_cut(words: list[str]) -> int:
    return min(range(1, len(words)), key=lambda k: _cost(words, k))


def wrap(words: list[str], width: int = MAX_LINE, keep: int = 0) -> list[str] | None:
    """The words on two balanced lines of at most `width` characters (one line when they
    fit on one); None when they do not fit on two. A cut within the first `keep` words
    (a speaker prefix) is taken only when no other fits."""
    k = _line_cut(words, width, keep)
    if k is None:
        return None
    if k == 0:
        return [" ".join(words)]
    return [" ".join(words[:k]), " ".join(words[k:])]


def _line_cut(words: list[str], width: int, keep: int) -> int | None:
    """Where `wrap` breaks the line: 0 for one line, None when two do not hold them."""
    if len(" ".join(words)) <= width:
        return 0
    cuts = [k for k in range(1, len(words))
            if len(" ".join(words[:k])) <= width and len(" ".join(words[k:])) <= width]
    if not cuts:
        return None
    return min(cuts, key=lambda k: _cost(words, k) + (10 if k <= keep else 0))


def _pieces(words: list[str], lo: int, hi: int, fits_time: Callable[[int, int], bool],
            pre: list[str]) -> list[tuple[int, int]]:
    """words[lo:hi] cut until each piece fits a screen: (lo, hi) of each piece in order.
    `fits_time(lo, hi)` tells whether a piece is short enough in time."""
    piece = words[lo:hi]
    if hi - lo == 1 or (fits_time(lo, hi) and wrap(pre + piece, keep=len(pre)) is not None):
        return [(lo, hi)]
    k = lo + _best_cut(piece)
    return _pieces(words, lo, k, fits_time, pre) + _pieces(words, k, hi, fits_time, pre)


def _lines(pre: list[str], piece: list[str]) -> tuple[tuple[str, ...], int]:
    """A piece's lines with the prefix before it, and how many of the piece's words are
    on the first line (all of them when it is one line)."""
    units = pre + piece
    k = _line_cut(units, MAX_LINE, len(pre))
    if not k:  # one line; or a single word too long for two, kept whole
        return (" ".join(units),), len(piece)
    return (" ".join(units[:k]), " ".join(units[k:])), max(0, k - len(pre))


def split_sentence(text: str, begin: int, end: int, *, prefix: str = "",
                   max_ms: int = MAX_CUE_MS) -> list[Cue]:
    """`text` said from `begin` to `end` (ms) as cues that fit a screen, its time shared
    in proportion to the words (for a sentence without word timings).

    `prefix` (SRT's "Name: ") is written at the start of each cue and counts toward its
    first line.
    """
    words = text.split()
    if not words:
        return [Cue(begin, end, (prefix.rstrip(),) if prefix.strip() else ("",))]
    pre = prefix.split()
    per_word = max(end - begin, 0) / len(words)
    out: list[Cue] = []
    for lo, hi in _pieces(words, 0, len(words),
                          lambda lo, hi: (hi - lo) * per_word <= max_ms, pre):
        lines, _ = _lines(pre, words[lo:hi])
        b = begin + round(lo * per_word)
        e = begin + round(hi * per_word) if hi < len(words) else end
        out.append(Cue(b, e, lines))
    return out


def cues_for_words(words: Sequence[Word], *, prefix: str = "",
                   max_ms: int = MAX_CUE_MS) -> list[Cue]:
    """A sentence's timed words (`words.timed_words`: at least one) as cues that fit a
    screen, cut between words, each from its first word's begin to its last word's end.

    A word's text may hold a space ("Ladies and" when "and" was not heard); it is
    never cut. `prefix` is as for `split_sentence`.
    """
    if not words:
        raise ValueError("cues_for_words needs at least one word; use split_sentence")
    units = [w.text for w in words]
    pre = prefix.split()
    out: list[Cue] = []
    for lo, hi in _pieces(units, 0, len(units),
                          lambda lo, hi: words[hi - 1].end - words[lo].begin <= max_ms, pre):
        lines, first = _lines(pre, units[lo:hi])
        piece = tuple(words[lo:hi])
        on_lines = (piece,) if len(lines) == 1 else (piece[:first], piece[first:])
        out.append(Cue(words[lo].begin, words[hi - 1].end, lines, on_lines))
    return out
