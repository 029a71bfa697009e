"""Caption files (WebVTT, SRT, YouTube's SBV) as a transcript: cue text is spoken.

`<v Name>` names the speaker; cue numbers, timing lines, the header and NOTE/STYLE blocks
are set aside as kind "cue". Consecutive cues run on into one paragraph so a sentence may
span cues; a cue's metadata (and a repeated `<v Name>` of the same speaker) floats to the
start of the sentence its text starts in. Markup inside cue text (`<i>`, `</v>`, `&amp;`,
`{\\an8}`) is formatting, not words, and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator

from alignment.formats import captions
from alignment.marks import leading_marks
from alignment.syncmap import Kind
from alignment.transcript.events import BREAK, Block, Event, Turn, blocks, line_events

__all__ = ["cue_events"]

# Cues are read by the one cue reader, `alignment.formats.captions`.
# Consecutive cues run on into one paragraph unless this much silence parts them.
_PARAGRAPH_GAP_MS = 2000


def cue_events(lines: list[str], vtt: bool) -> Iterator[Event]:
    """The events of a caption file's lines (`vtt`: WebVTT, else SRT or SBV)."""
    previous_end: int | None = None
    for cue in captions.cues(lines, vtt):
        if not isinstance(cue, captions.Cue):
            if vtt and captions.META.match(cue[0].removeprefix("\ufeff")):
                yield Block(Kind.CUE, "\n".join(cue))
                continue
            for line in cue:  # not a cue: keep its lines as speech rather than lose them
                yield from _cue_line(line, vtt)
            continue
        if previous_end is not None and cue.begin - previous_end >= _PARAGRAPH_GAP_MS:
            yield BREAK
        previous_end = cue.end
        yield Block(Kind.CUE, "\n".join(cue.head), floating=True)
        for line in cue.lines:
            yield from _cue_line(line.strip(), vtt)


def _cue_line(line: str, vtt: bool) -> Iterator[Event]:
    """A line of cue text: voice tags name the speaker; other markup is dropped."""
    start = 0
    for voice in captions.VOICE.finditer(line) if vtt else ():
        yield from _cue_text(line[start:voice.start()], vtt)
        # a name is cue text too: `&quot;`, `&amp;` and the like are characters
        name = captions.voice_name(voice)
        if name:
            yield Turn(name, voice.group(), can_float=True)
        else:  # a voice span without a name says nothing: keep it as a cue mark
            yield Block(Kind.CUE, voice.group(), floating=True)
        start = voice.end()
    yield from _cue_text(line[start:], vtt)


def _cue_text(text: str, vtt: bool) -> Iterator[Event]:
    marks, rest = leading_marks(captions.cue_text(text, vtt).strip())
    yield from blocks(marks)
    if rest:
        yield from line_events(rest, can_float=True, periods=False)
