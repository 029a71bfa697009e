"""Caption cues that fit a screen: at most two lines of about 42 characters and 7 s.

A sentence longer than that is cut at phrase boundaries (after a comma, semicolon,
colon or dash, else before a word such as "and", "but" or "which", else between any two
words), each cut as near the middle as such a boundary allows, until every piece fits.
The sentence's time is shared among its pieces in proportion to their words; exact
times will come with word-level timings. A single word longer than a line stays whole.
The JSON format keeps whole sentences; only WebVTT and SRT use this.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_CUE_MS", "MAX_LINE", "MAX_LINES", "Cue", "split_sentence", "wrap"]

MAX_LINE = 42
MAX_LINES = 2
MAX_CUE_MS = 7000

_AFTER = (",", ";", ":", "—", "–", "-", ")", "”", '"')
_BEFORE = frozenset(
    "and but or nor so yet because which who whom whose that where when while if "
    "although though unless until since as than then to for with without about from".split()
)


@dataclass(frozen=True)
class Cue:
    """One caption: its times (ms) and its lines."""

    begin: int
    end: int
    lines: tuple[str, ...]


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
    text = " ".join(words)
    if len(text) <= width:
        return [text]
    cuts = [k for k in range(1, len(words))
            if len(" ".join(words[:k])) <= width and len(" ".join(words[k:])) <= width]
    if not cuts:
        return None
    k = min(cuts, key=lambda k: _cost(words, k) + (10 if k <= keep else 0))
    return [" ".join(words[:k]), " ".join(words[k:])]


def _pieces(words: list[str], ms_per_word: float, max_ms: int,
            pre: list[str]) -> list[list[str]]:
    fits_time = len(words) * ms_per_word <= max_ms
    if len(words) == 1 or (fits_time and wrap(pre + words, keep=len(pre)) is not None):
        return [words]
    k = _best_cut(words)
    return (_pieces(words[:k], ms_per_word, max_ms, pre)
            + _pieces(words[k:], ms_per_word, max_ms, pre))


def split_sentence(text: str, begin: int, end: int, *, prefix: str = "",
                   max_ms: int = MAX_CUE_MS) -> list[Cue]:
    """`text` said from `begin` to `end` (ms) as cues that fit a screen.

    `prefix` (SRT's "Name: ") is written at the start of each cue and counts toward its
    first line.
    """
    words = text.split()
    if not words:
        return [Cue(begin, end, (prefix.rstrip(),) if prefix.strip() else ("",))]
    pre = prefix.split()
    duration = max(end - begin, 0)
    per_word = duration / len(words)
    out: list[Cue] = []
    done = 0
    for piece in _pieces(words, per_word, max_ms, pre):
        lines = wrap(pre + piece, keep=len(pre)) or [" ".join(pre + piece)]
        b = begin + round(done * per_word)
        done += len(piece)
        e = begin + round(done * per_word) if done < len(words) else end
        out.append(Cue(b, e, tuple(lines)))
    return out
