"""Marks in a transcript's text: timestamps ("00:01:02", "[05:10]") and stage directions
("[MUSIC]", "(applause)"), which are written but not said.

    leading_marks("[MUSIC] 00:01:02 Hello.") -> ([Mark("direction", ...), Mark(...)], "Hello.")
    split_marks(text) -> the text cut around the marks between its sentences
    unmarked(sentence) -> the sentence without the marks kept inside it

Round brackets are speech unless they hold a time or a direction word ("(laughs)"; not
"(and I mean it)"); square brackets are the transcriber's, never the speaker's. The time
pattern and the direction words are shared with the speaker-label rule (`labels`):
"JOHN (laughing):" and "Dana (0:01):" name JOHN and Dana.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from alignment.syncmap import Kind

__all__ = ["TIME", "TIME_ONLY", "Mark", "is_direction_words", "leading_marks", "split_marks",
           "unmarked"]

#: a clock time as transcripts write one: "5:10", "00:05:10", "00:05:10.250"
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
TIME_ONLY = re.compile(TIME)
_TRAILING_PUNCT = r"[.,;:!?…]*"
_MARK = re.compile(
    rf"(?:\[[^\[\]\n]{{1,100}}\]|\([^()\n]{{1,60}}\)"
    rf"|(?<![\w:.,])\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?(?![\w:])){_TRAILING_PUNCT}"
)
# "05:10 Hello" at a line's start; "10:30" alone is a time only on a line of its own,
# since "10:30 is when we met" is speech.
_LINE_START_TIME = re.compile(r"(\d{1,2}):[0-5]\d(?:[.,]\d{1,3})?(?=\s|$)")
_DIRECTION_WORDS = frozenset(
    "applause laughter laughs laughing laugh music inaudible unintelligible indistinct "
    "crosstalk cross-talk silence pause pauses cheers cheering coughs coughing cough sighs "
    "sigh chuckles chuckling booing boos groans noise break recess interruption overlapping "
    "off-mic off mic audio video clip applauding speaking speaks foreign singing sings "
    "phonetic ph end beep bleep static begin commercial unidentified voice-over "
    "on-camera sot vo nat background murmuring whispering whispers gavel "
    "technical difficulties"
    .split()
)
_ENDS_SENTENCE = ".!?…\"”’"


@dataclass(frozen=True)
class Mark:
    """A mark as written: its kind (`Kind.TIMESTAMP` or `Kind.DIRECTION`) and its text."""

    kind: str
    text: str


def _mark_kind(mark: str) -> str | None:
    """"timestamp", "direction", or None when the brackets are speech: "(and I mean it)"."""
    core = mark.rstrip(".,;:!?…")
    inner = core[1:-1].strip() if core[0] in "[(" else core
    if TIME_ONLY.fullmatch(inner):
        return Kind.TIMESTAMP
    if core[0] == "[":
        return Kind.DIRECTION  # square brackets are the transcriber's, never the speaker's
    return Kind.DIRECTION if is_direction_words(inner) else None


def is_direction_words(text: str) -> bool:
    """Whether `text` opens with a stage direction's word: "laughing", "inaudible", ..."""
    first = re.split(r"[\s,.;:!?]+", text.strip().lower(), maxsplit=1)[0]
    return first in _DIRECTION_WORDS


def leading_marks(line: str) -> tuple[list[Mark], str]:
    """Timestamps and directions opening a line, and the rest of it."""
    marks = []
    rest = line
    while rest:
        match = _MARK.match(rest)
        kind = _mark_kind(match.group()) if match else None
        if kind is None:
            match = _LINE_START_TIME.match(rest)
            whole_line = match is not None and match.end() == len(rest)
            if match is None or not (whole_line or match.group(1).startswith("0")):
                break
            kind = Kind.TIMESTAMP
        marks.append(Mark(kind, match.group()))
        rest = rest[match.end():].strip()
    return marks, rest


def split_marks(text: str) -> Iterator[str | Mark]:
    """Text with the marks between its sentences set aside where they stand.

    A mark inside a sentence ("cost us eleven [inaudible] months") stays in its text, as
    an editor would print it: cutting there would make two sentences of one. It is left
    out of what the synthesiser reads (`unmarked`).
    """
    start = 0
    for match in _MARK.finditer(text):
        kind = _mark_kind(match.group())
        if kind is None:
            continue
        before = text[start:match.start()].strip()
        if before and before[-1] not in _ENDS_SENTENCE and text[match.end():].strip():
            continue
        if before:
            yield before
        yield Mark(kind, match.group())
        start = match.end()
    if text[start:].strip():
        yield text[start:].strip()


def unmarked(sentence: str) -> str:
    """The sentence without the marks kept inside it, for the synthesiser."""
    def drop(match: re.Match[str]) -> str:
        mark = match.group()
        if _mark_kind(mark) is None:
            return mark
        return " " + mark[len(mark.rstrip(".,;:!?…")):]  # keep the punctuation after it

    return _MARK.sub(drop, sentence).strip() or sentence
