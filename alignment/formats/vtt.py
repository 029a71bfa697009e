"""WebVTT: the aligned sentences as cues, their speaker as a voice span.

    WEBVTT

    s-1a2b3c4d5e
    00:00:01.230 --> 00:00:02.340
    <v Lord Robertson>Ladies and Gentlemen,

Cues fit a screen (`cues.split_sentence`: two lines of about 42 characters, 7 s); a
longer sentence becomes several cues, the first with the sentence's id, the next ones
`<id>-2`, `<id>-3`... `write(syncmap, fit=False)` writes one cue per sentence instead.

Sentences marked `aligned: false` have no trustworthy time and are left out. Cue text
is one line (whitespace collapsed, see `common.one_line`) with `&`, `<` and `>` written as
character references, so text such as "a<b" or "-->" cannot be taken for markup.
Reading accepts files from other tools too: hours are optional, NOTE/STYLE/REGION blocks
and cue settings are skipped, tags other than the first voice span are dropped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import replace

from alignment.formats.common import (
    VOICE,
    blocks,
    format_clock,
    one_line,
    parse_timing,
    split_lines,
)
from alignment.formats.cues import Cue, split_sentence
from alignment.syncmap import Sentence, SyncMap

__all__ = ["escape", "read", "write"]

_TAG = re.compile(r"<[^>]*>")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")


def escape(text: str) -> str:
    """Text safe inside a WebVTT cue or voice annotation."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(syncmap: SyncMap, *, fit: bool = True) -> str:
    """The aligned sentences of `syncmap` as a WebVTT file; with `fit`, in cues that fit
    a screen, else one cue per sentence on one line."""
    cues = []
    for s in syncmap.sentences:
        if not s.aligned:
            continue
        cue_id = one_line(s.id)
        # An identifier may not contain "-->" (it would read as a timing line).
        if "-->" in cue_id:
            cue_id = ""
        speaker = one_line(s.speaker)
        voice = f"<v {escape(speaker)}>" if speaker else ""
        parts = (split_sentence(s.text, s.begin, s.end) if fit
                 else [Cue(s.begin, s.end, (one_line(s.text),))])
        for n, cue in enumerate(parts, start=1):
            lines = []
            if cue_id:
                lines.append(cue_id if n == 1 else f"{cue_id}-{n}")
            lines.append(f"{format_clock(cue.begin)} --> {format_clock(cue.end)}")
            text = "\n".join(escape(line) for line in cue.lines)
            lines.append(voice + text)
            cues.append("\n".join(lines))
    return "\n\n".join(["WEBVTT", *cues]) + "\n"


def read(text: str) -> SyncMap:
    """Parse WebVTT into a sync map: one aligned sentence per cue, in file order.

    Sentences get the cue identifier as id (or, where it is missing or repeated, a stable
    id from their text), confidence
    1.0 (the times are given, not guessed) and a new paragraph at each change of speaker.
    """
    lines = split_lines(text)
    if not lines or not _HEADER.match(lines[0]):
        raise ValueError("not a WebVTT file: the first line must be \"WEBVTT\"")
    sentences: list[Sentence] = []
    paragraph = 0
    for block in blocks(lines[1:]):
        timing = next((i for i, line in enumerate(block) if "-->" in line), None)
        if timing is None:
            continue  # header metadata, NOTE, STYLE, REGION: nothing to play
        cue_id = block[timing - 1].strip() if timing > 0 else ""
        begin, end = _timing(block[timing])
        payload = " ".join(block[timing + 1:])
        voice = VOICE.search(payload)
        speaker = (one_line(html.unescape(voice.group(1))) or None) if voice else None
        body = one_line(html.unescape(_TAG.sub("", payload)))
        if sentences and speaker != sentences[-1].speaker:
            paragraph += 1
        sentences.append(Sentence(
            index=len(sentences), text=body, speaker=speaker, begin=begin, end=end,
            confidence=1.0, aligned=True, paragraph=paragraph, id=cue_id,
        ))
    # a cue id is kept as the sentence id only where it is unique: ids name permalinks
    seen = Counter(s.id for s in sentences)
    sentences = [s if seen[s.id] == 1 else replace(s, id="") for s in sentences]
    return SyncMap(sentences=tuple(sentences)).with_ids()


def _timing(line: str) -> tuple[int, int]:
    try:
        return parse_timing(line)
    except ValueError as err:
        raise ValueError(f"WebVTT cue timing {line!r}: {err}") from None
