"""What the format modules share: clock times, one-line text, line splitting, the cue.

Times are integer milliseconds inside the program; the caption formats write them as
`HH:MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SRT), aeneas and Praat as seconds `S.mmm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alignment.syncmap import Word

__all__ = [
    "VOICE", "Cue", "blocks", "format_clock", "format_seconds", "one_line", "parse_clock",
    "parse_timing", "split_lines",
]

# Times as files in the wild write them: WebVTT's `[HH:]MM:SS.mmm` and SRT's
# `HH:MM:SS,mmm`, and the looser forms other tools produce (a one-digit minute, fewer
# digits of milliseconds or none, a comma or a dot before them).
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):([0-5]\d)(?:[.,](\d{1,3}))?$")
_TIMING = re.compile(r"^\s*(\S+?)\s*(?:-->|,(?=\d+:\d\d:\d\d[.,]\d))(.*)$")
# A WebVTT voice span, <v Name> or <v.class Name>: who says the cue.
VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")

# WebVTT ends lines at CRLF, CR or LF only; str.splitlines would also split on U+2028,
# form feeds and the like, which may legally sit inside cue text written by others.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Cue:
    """A caption cue, read or to be written: its times (ms) and its text lines.

    Read from a file (`captions.cues`), it keeps the lines before its text, `head` (an
    identifier or cue number, if any, then the timing line), and its lines as written (a
    trailing space may matter: SRT's "Name: " prefix). Made to be written
    (`cues.cues_for_words`), it may carry the timed words on each of its lines, for
    WebVTT's karaoke timestamps (a speaker prefix is not among them); else `words` is
    empty.
    """

    begin: int
    end: int
    lines: tuple[str, ...]
    words: tuple[tuple[Word, ...], ...] = ()
    head: tuple[str, ...] = ()

    @property
    def ident(self) -> str:
        """The cue's identifier (WebVTT) or number (SRT) as read, "" when it has none."""
        return self.head[0] if len(self.head) > 1 else ""


def format_clock(ms: int, decimal_separator: str = ".") -> str:
    """Integer milliseconds as `HH:MM:SS.mmm` (hours widen past 99 rather than wrap)."""
    if ms < 0:
        raise ValueError(f"cannot write a negative time ({ms} ms)")
    seconds, millis = divmod(int(ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{decimal_separator}{millis:03d}"


def format_seconds(ms: int) -> str:
    """Integer milliseconds as seconds with three decimals, "SS.mmm", exactly (integer
    arithmetic: no float rounding can turn 1.005 s into 1.004)."""
    if ms < 0:
        raise ValueError(f"cannot write a negative time ({ms} ms)")
    return f"{ms // 1000}.{ms % 1000:03d}"


def parse_clock(text: str) -> int:
    """`[HH:]MM:SS.mmm` or `HH:MM:SS,mmm` to integer milliseconds; ValueError otherwise."""
    m = _CLOCK.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a time of the form HH:MM:SS.mmm")
    hours, minutes, seconds = (int(g) if g else 0 for g in m.groups()[:3])
    millis = int((m.group(4) or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def parse_timing(line: str) -> tuple[int, int]:
    """A cue timing line, `start --> end [settings]` (or YouTube's SBV `start,end`), to
    (begin, end) in milliseconds; ValueError naming what is wrong otherwise."""
    m = _TIMING.match(line)
    if not m:
        raise ValueError(f"{line.strip()!r} is not a cue timing (start --> end)")
    fields = m.group(2).split()
    if not fields:
        raise ValueError("the timing has no end time")
    return parse_clock(m.group(1)), parse_clock(fields[0])


def one_line(text: str | None) -> str:
    """Collapse every run of whitespace (line breaks included) to one space, and trim.

    A caption cue ends at a blank line, so a sentence that spans lines in the transcript
    has to become one line to survive the trip; the JSON format keeps the text as is.
    """
    return " ".join((text or "").split())


def split_lines(text: str) -> list[str]:
    """Lines of a caption file, without a leading byte-order mark."""
    return _LINE_BREAK.split(text.removeprefix("\ufeff"))


def blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines: the cues (and other blocks) of a caption file.

    A line of only spaces and tabs counts as blank, as most caption readers treat it.
    """
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip(" \t"):
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
