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
and cue settings are skipped, tags other than the first voice span are dropped. Cues are
taken apart by the one cue reader, `captions`, as the transcript reader takes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from alignment.formats import captions
from alignment.formats.common import (
    format_clock,
    one_line,
    parse_timing,
    split_lines,
)
from alignment.formats.cues import Cue, split_sentence
from alignment.syncmap import Sentence, SyncMap

__all__ = ["escape", "read", "write"]



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
    if not captions.is_webvtt(lines):
        raise ValueError("not a WebVTT file: the first line must be \"WEBVTT\"")
    sentences: list[Sentence] = []
    paragraph = 0
    for cue in captions.cues(lines, vtt=True):
        if not isinstance(cue, captions.Cue):
            # header metadata, NOTE, STYLE, REGION: nothing to play; a timing that
            # cannot be read is named rather than passed over
            timing = next((line for line in cue[:2] if "-->" in line), None)
            if timing is not None and not captions.META.match(cue[0]):
                _timing(timing)
            continue
        payload = " ".join(cue.text)
        voice = captions.VOICE.search(payload)
        speaker = (captions.voice_name(voice) or None) if voice else None
        body = one_line(captions.cue_text(payload, vtt=True))
        if sentences and speaker != sentences[-1].speaker:
            paragraph += 1
        sentences.append(Sentence(
            index=len(sentences), text=body, speaker=speaker, begin=cue.begin, end=cue.end,
            confidence=1.0, aligned=True, paragraph=paragraph, id=cue.ident,
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
