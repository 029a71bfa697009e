"""Share-link parameters: `?t=83.2` (start there) and `&end=91.0` (stop there).

Times in links are seconds, as people and media fragments write them: `83.2`, `83.2s`,
`1:23.2`, `01:01:23`, `npt:83.2`. Anything else, a time past the end of the recording,
or an end that does not come after the start is ignored: a bad link opens the player at
the beginning rather than failing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Moment", "clock", "link_seconds", "parse_seconds", "resolve"]

_CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


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
    text = value.strip().lower()
    text = text.removeprefix("npt:").removesuffix("s")
    if not text or len(text) > 32:
        return None
    m = _CLOCK.match(text)
    if m:
        hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
        if (m.group(1) and minutes >= 60) or seconds >= 60:
            return None
        total = hours * 3600 + minutes * 60 + seconds
    else:
        if not re.fullmatch(r"\d+(?:\.\d*)?|\.\d+", text):
            return None
        total = float(text)
    if not math.isfinite(total) or total < 0:
        return None
    return int(round(total * 1000))


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
