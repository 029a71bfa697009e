"""WebVTT: the aligned sentences as cues, their speaker as a voice span.

    WEBVTT

    s-1a2b3c4d5e
    00:00:01.230 --> 00:00:02.340
    <v Lord Robertson>Ladies <00:00:01.600>and <00:00:01.700>Gentlemen,

Cues fit a screen (`cues`: two lines of about 42 characters, 7 s); a longer sentence
becomes several cues, the first with the sentence's id, the next ones `<id>-2`,
`<id>-3`... `write(syncmap, fit=False)` writes one cue per sentence instead.

A sentence whose words have times is cut between its words, each cue from its first
word's begin to its last word's end, and every word after a cue's first gets a WebVTT
timestamp (`<00:00:01.600>`) before it, so that players light the words as they are
said (karaoke style). A word that was not heard has no time of its own: it joins the
word before it (`words.timed_words`). WebVTT wants a cue's timestamps to rise strictly
and to lie between its start and end, so one that would not (a word of no length) is
left out: that word lights with the one before it. A sentence without word times
(an old JSON, an imported caption file) is cut by the share of its words, no timestamps.

Sentences marked `aligned: false` have no trustworthy time and are left out. Cue text
is one line (whitespace collapsed, see `common.one_line`) with `&`, `<` and `>` written as
character references, so text such as "a<b" or "-->" cannot be taken for markup.
Reading accepts files from other tools too: hours are optional, NOTE/STYLE/REGION blocks
and cue settings are skipped, tags other than the first voice span are dropped (so are
the timestamps: the sync map read back has no words). Cues are taken apart by the one
cue reader, `captions`, as the transcript reader takes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from alignment.formats import captions
from alignment.formats.common import (
    Cue,
    format_clock,
    one_line,
    parse_timing,
    split_lines,
)
from alignment.formats.cues import cues_for_words, split_sentence
from alignment.formats.words import timed_words
from alignment.syncmap import Sentence, SyncMap

__all__ = ["escape", "read", "write"]


def escape(text: str) -> str:
    """Text safe inside a WebVTT cue or voice annotation."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(syncmap: SyncMap, *, fit: bool = True) -> str:
    """The aligned sentences of `syncmap` as a WebVTT file; with `fit`, in cues that fit
    a screen, else one cue per sentence on one line. Words with times get timestamps."""
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
        for n, cue in enumerate(_cues(s, fit), start=1):
            lines = []
            if cue_id:
                lines.append(cue_id if n == 1 else f"{cue_id}-{n}")
            lines.append(f"{format_clock(cue.begin)} --> {format_clock(cue.end)}")
            lines.append(voice + "\n".join(_payload(cue)))
            cues.append("\n".join(lines))
    return "\n\n".join(["WEBVTT", *cues]) + "\n"


def _cues(s: Sentence, fit: bool) -> list[Cue]:
    """The sentence's cues: cut to fit a screen (between timed words where it has them),
    or the whole sentence on one line in its own times."""
    words = timed_words(s)
    if fit:
        return cues_for_words(words) if words else split_sentence(s.text, s.begin, s.end)
    return [Cue(s.begin, s.end, (one_line(s.text),), (tuple(words),) if words else ())]


def _payload(cue: Cue) -> list[str]:
    """The cue's lines, escaped, with a timestamp before each word after the first that
    begins strictly after the last timestamp (the cue's start at first) and before the
    cue's end, as WebVTT requires."""
    if not cue.words:
        return [escape(line) for line in cue.lines]
    out = []
    last = cue.begin
    first = True  # the first word is lit by the cue's start
    for line_words in cue.words:
        parts = []
        for w in line_words:
            if not first and last < w.begin < cue.end:
                parts.append(f"<{format_clock(w.begin)}>{escape(w.text)}")
                last = w.begin
            else:
                parts.append(escape(w.text))
            first = False
        out.append(" ".join(parts))
    return out


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
        payload = " ".join(cue.lines)
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
