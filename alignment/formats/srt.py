"""SubRip (SRT): numbered cues for the aligned sentences.

    1
    00:00:01,230 --> 00:00:02,340
    Lord Robertson: Ladies and Gentlemen,

SRT has no markup for speakers, so a known speaker is written as a "Name: " prefix on
every cue (not only at changes: a cue stays right when a player shows it alone, or when
an editor cuts or reorders cues). Reading strips a prefix back off only when what
precedes the first ": " (at most 60 characters) is a name by the one speaker-label rule
that reads transcripts (`alignment.labels.label_name`: up to six name-like words,
the first capitalised; not "Note", "Thanks", "1984"). The choice has a known cost, and
JSON is the format without it: a name that does not look like one ("de Gaulle",
"R2: D2"), or a sentence with no speaker that starts like "Dana: ...", does not come
back as it was.

Cues fit a screen (`cues`: two lines of about 42 characters, the prefix included, and
7 s), so a long sentence becomes several cues; where its words have times, it is cut
between words and each cue runs from its first word's begin to its last word's end (SRT
has no timestamps inside a cue). `write(syncmap, fit=False)` writes one cue per sentence
on one line (see `common.one_line`). Sentences marked
`aligned: false` are left out; text is written as is, since SRT has no escaping.
Reading takes cues apart with the one cue reader (`captions`), as the transcript reader
does: formatting tags (`<i>`, `<font ...>`) and `{\\an8}`-style overrides are dropped,
so a sentence whose text looks like a tag does not come back with it.
"""

from __future__ import annotations

import re

from alignment.formats import captions
from alignment.formats.common import Cue, format_clock, one_line, parse_timing, split_lines
from alignment.formats.cues import cues_for_words, split_sentence
from alignment.formats.words import timed_words
from alignment.labels import label_name
from alignment.syncmap import Sentence, SyncMap

__all__ = ["read", "split_speaker", "write"]

_PREFIX = re.compile(r"([^:]{1,60}): (.*)", re.S)


def split_speaker(line: str) -> tuple[str | None, str]:
    """("Name", "text") for "Name: text" when the prefix names a speaker by the one
    speaker-label rule (`alignment.labels.label_name`); else (None, line)."""
    m = _PREFIX.fullmatch(line)
    if m:
        name = m.group(1)
        if name == name.strip() and label_name(name + ":") == name:
            return name, m.group(2)
    return None, line


def write(syncmap: SyncMap, *, fit: bool = True) -> str:
    """The aligned sentences of `syncmap` as an SRT file, cues numbered from 1; with
    `fit`, in cues that fit a screen, else one cue per sentence on one line."""
    cues = []
    for s in syncmap.sentences:
        if not s.aligned:
            continue
        speaker = one_line(s.speaker)
        prefix = f"{speaker}: " if speaker else ""
        words = timed_words(s)
        if not fit:
            parts = [Cue(s.begin, s.end, (prefix + one_line(s.text),))]
        elif words:
            parts = cues_for_words(words, prefix=prefix)
        else:
            parts = split_sentence(s.text, s.begin, s.end, prefix=prefix)
        for cue in parts:
            cues.append("\n".join([
                str(len(cues) + 1),
                f"{format_clock(cue.begin, ',')} --> {format_clock(cue.end, ',')}",
                *cue.lines,
            ]))
    return "\n\n".join(cues) + "\n" if cues else ""


def read(text: str) -> SyncMap:
    """Parse SRT into a sync map: one aligned sentence per cue, in file order.

    Cue numbers are not trusted (editors leave gaps); sentences are indexed in order,
    get stable ids from their text, confidence 1.0 (the times are given) and a new
    paragraph at each change of speaker.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    for number, cue in enumerate(captions.cues(split_lines(text), vtt=False), start=1):
        if not isinstance(cue, captions.Cue):
            timing = next((line for line in cue[:2] if "-->" in line), None)
            if timing is not None:
                _timing(timing, number)  # names what is wrong with it
            raise ValueError(
                f"not an SRT file: cue {number} has no timing line "
                "\"HH:MM:SS,mmm --> HH:MM:SS,mmm\""
            )
        # The prefix is split off before whitespace is collapsed, so that "Name: " (a
        # named sentence with no words) keeps the space that marks it as a prefix.
        speaker, body = split_speaker(captions.cue_text(" ".join(cue.lines), vtt=False).lstrip())
        speaker, body = one_line(speaker) or None, one_line(body)
        if sentences and speaker != sentences[-1].speaker:
            paragraph += 1
        sentences.append(Sentence(
            index=len(sentences), text=body, speaker=speaker, begin=cue.begin, end=cue.end,
            confidence=1.0, aligned=True, paragraph=paragraph,
        ))
    return SyncMap(sentences=tuple(sentences)).with_ids()


def _timing(line: str, number: int) -> tuple[int, int]:
    try:
        return parse_timing(line)
    except ValueError as err:
        raise ValueError(f"SRT cue {number}, timing {line.strip()!r}: {err}") from None
