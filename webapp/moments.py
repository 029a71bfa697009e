"""Share-link parameters: `?t=83.2` (start there) and `&end=91.0` (stop there).

Times in links are seconds, as people and media fragments write them: `83.2`, `83.2s`,
`1:23.2`, `01:01:23`, `npt:83.2`. Anything else, a time past the end of the recording,
or an end that does not come after the start is ignored: a bad link opens the player at
the beginning rather than failing.

`static/moments.mjs` does the same in the browser; both are run on one table of cases
(`tests/data/moment_cases.json`), so a `?t=` read here and a `#t=` read by the page mean
the same moment and quote the same sentences.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Moment", "clock", "link_seconds", "parse_seconds", "quote_span", "resolve", "sentence_at",
]

# ASCII digits only, as in the browser (Python's \d would take other scripts' digits too)
_CLOCK = re.compile(r"(?:([0-9]{1,3}):)?([0-9]{1,2}):([0-9]{1,2}(?:\.[0-9]+)?)")
_SPACE = " \t\n\r\f\v"  # what both sides trim (str.strip and JS trim differ beyond ASCII)
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


@dataclass(frozen=True)
class Moment:
    """Where a link asks the player to start, and where to stop (ms), each optional."""

    start: int | None = None
    end: int | None = None

    @property
    def is_range(self) -> bool:
        """True when the link names both ends of a quote."""
        return self.start is not None and self.end is not None


def parse_seconds(value: str | None) -> int | None:
    """A time as written in a link, in integer milliseconds; None when it is not a time."""
    if value is None:
        return None
    text = value.strip(_SPACE).lower()
    text = text.removeprefix("npt:").removesuffix("s")
    if not text or len(text) > 32:
        return None
    m = _CLOCK.fullmatch(text)
    if m:
        hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
        if (m.group(1) and minutes >= 60) or seconds >= 60:
            return None
        total = hours * 3600 + minutes * 60 + seconds
    else:
        if not _DECIMAL.fullmatch(text):
            return None
        total = float(text)
    if not math.isfinite(total) or total < 0:
        return None
    # half up, with the same double arithmetic as the browser's Math.floor(x * 1000 + 0.5)
    return math.floor(total * 1000 + 0.5)


def resolve(t: str | None, end: str | None, duration_ms: int) -> Moment:
    """The moment a link names, with whatever does not fit the recording dropped."""
    start = parse_seconds(t)
    stop = parse_seconds(end)
    if start is not None and duration_ms and start >= duration_ms:
        start = None
    if start is None:
        return Moment()
    if stop is not None:
        if stop <= start:
            stop = None
        elif duration_ms:
            stop = min(stop, duration_ms)
    return Moment(start=start, end=stop)


def link_seconds(ms: int) -> str:
    """Milliseconds as a link writes seconds: `83.2`, `14399.123`, `12` (no trailing zeros)."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


def clock(ms: int | float | None) -> str:
    """Milliseconds as a reading clock: `m:ss` or `h:mm:ss`."""
    total = int((ms or 0) // 1000)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def sentence_at(begins: Sequence[int], ends: Sequence[int], ms: int, ahead: bool = False) -> int:
    """Which sentence a time lights, as a rank in `begins` (sorted begin times, ms, of the
    sentences found in the audio; `ends` beside them), or -1 before the first.

    It is the last sentence begun by `ms`. With `ahead` (a link or a seek landing in the
    pause after a sentence) it is the next one, since that is what will be heard next.
    """
    k = bisect_right(begins, ms) - 1
    if ahead and k >= 0 and ms >= ends[k] and k + 1 < len(begins):
        k += 1
    return k


def quote_span(
    begins: Sequence[int], ends: Sequence[int], start: int | None, end: int | None = None
) -> tuple[int, int] | None:
    """The ranks (first, last) a link quotes: the sentence its start lights (ahead; the
    first sentence before any), through the last one begun before its end."""
    if not begins or start is None:
        return None
    first = max(sentence_at(begins, ends, start, ahead=True), 0)
    last = first if end is None else max(first, sentence_at(begins, ends, end - 1))
    return first, last
