"""Praat TextGrid: a "sentences" tier and a "words" tier, in Praat's long text format.
Write only.

    File type = "ooTextFile"
    Object class = "TextGrid"

    xmin = 0
    xmax = 3.5
    tiers? <exists>
    size = 2
    item []:
        item [1]:
            class = "IntervalTier"
            name = "sentences"
            xmin = 0
            xmax = 3.5
            intervals: size = 3
            intervals [1]:
                xmin = 0
                xmax = 1.23
                text = ""
            intervals [2]:
                xmin = 1.23
                xmax = 2.34
                text = "Ladies and Gentlemen,"
            ...
        item [2]:
            class = "IntervalTier"
            name = "words"
            ...

(Praat's own files, and these, end each value line with a space.) Both tiers cover
0 to the recording's duration (or to the last interval's end, when the sync map does not
know the duration); the stretches between intervals are empty intervals, as Praat
requires of an interval tier. A sentence marked `aligned: false` and a word that was not
heard get no interval (so "not said" shows as a gap); nor does anything of no length,
which a tier cannot hold. A sentence without word times has its interval on
"sentences" and nothing on "words". Times are seconds, written exactly from the
milliseconds in the shortest form (Praat writes "0", "1.23"); text is one line, with `"`
doubled as Praat escapes it; the file is UTF-8, which Praat reads.

Overlapping sentences (a hand-made map, a caption file from elsewhere) cannot be two
intervals of one tier: they are refused with a ValueError naming both.
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment.formats.common import format_seconds, one_line
from alignment.formats.words import check_words
from alignment.syncmap import SyncMap

__all__ = ["TIERS", "write"]

#: the tiers' names, in their order in the file
TIERS = ("sentences", "words")


@dataclass(frozen=True)
class _Span:
    """An interval to write (ms), and how to name it in an error."""

    begin: int
    end: int
    text: str
    name: str


def write(syncmap: SyncMap) -> str:
    """`syncmap` as a Praat TextGrid (long text format) with the tiers of `TIERS`.
    ValueError when sentences overlap, when words are not their sentence's
    (`words.check_words`), or when there is nothing with a length to write."""
    sentences: list[_Span] = []
    words: list[_Span] = []
    for s in syncmap.sentences:
        if not s.aligned:
            continue
        label = f"sentence {s.id or s.index}"
        sentences.append(_Span(s.begin, s.end, one_line(s.text), label))
        words += [_Span(w.begin, w.end, w.text, f"the word {w.text!r} of {label}")
                  for w in check_words(s) if w.aligned]
    xmax = max([syncmap.duration, *(span.end for span in sentences + words)])
    if xmax <= 0:
        raise ValueError("nothing to write as a TextGrid: the sync map has no duration and "
                         "no aligned sentence with a length")
    lines = [
        'File type = "ooTextFile"',
        'Object class = "TextGrid"',
        "",
        "xmin = 0 ",
        f"xmax = {_number(xmax)} ",
        "tiers? <exists> ",
        f"size = {len(TIERS)} ",
        "item []: ",
    ]
    for n, (name, spans) in enumerate(zip(TIERS, (sentences, words), strict=True), start=1):
        intervals = _intervals(spans, xmax)
        lines += [
            f"    item [{n}]:",
            '        class = "IntervalTier" ',
            f"        name = {_quote(name)} ",
            "        xmin = 0 ",
            f"        xmax = {_number(xmax)} ",
            f"        intervals: size = {len(intervals)} ",
        ]
        for k, (begin, end, text) in enumerate(intervals, start=1):
            lines += [
                f"        intervals [{k}]:",
                f"            xmin = {_number(begin)} ",
                f"            xmax = {_number(end)} ",
                f"            text = {_quote(text)} ",
            ]
    return "\n".join(lines) + "\n"


def _intervals(spans: list[_Span], xmax: int) -> list[tuple[int, int, str]]:
    """The spans in order with empty intervals between them, from 0 to `xmax`."""
    out: list[tuple[int, int, str]] = []
    at, previous = 0, None
    for span in spans:
        if span.end <= span.begin:
            continue  # a tier has no room for an interval of no length
        if span.begin < at and previous is None:
            raise ValueError(f"cannot write a negative time ({span.name} begins at "
                             f"{span.begin} ms)")
        if span.begin < at:
            raise ValueError(
                f"{span.name} begins ({span.begin} ms) before {previous} ends ({at} ms): "
                "the intervals of a TextGrid tier cannot overlap"
            )
        if span.begin > at:
            out.append((at, span.begin, ""))
        out.append((span.begin, span.end, span.text))
        at, previous = span.end, span.name
    if at < xmax:
        out.append((at, xmax, ""))
    return out


def _number(ms: int) -> str:
    """Seconds as Praat writes them, shortest: 0, 1.23, 3700 (exact: from integer ms)."""
    return format_seconds(ms).rstrip("0").rstrip(".")


def _quote(text: str) -> str:
    """A Praat string: in double quotes, a double quote inside written twice."""
    return '"' + text.replace('"', '""') + '"'
