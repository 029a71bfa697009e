"""Raw transcript text -> sentences to align, and the blocks that are not spoken.

    read_transcript(raw: str, language="eng", max_sentences=None) -> Script

Every word of `raw` ends up in exactly one sentence or one set-aside block, in order.

How a text is read:

- WebVTT ("WEBVTT" first) and SRT (a number, then a "-->" timing line) are read as cues:
  cue text is spoken, `<v Name>` names the speaker, and cue numbers, timing lines, the
  header and NOTE/STYLE blocks are set aside as kind "cue". Consecutive cues run on into
  one paragraph so a sentence may span cues; a cue's metadata (and a repeated `<v Name>`
  of the same speaker) is then placed before the sentence its text starts in: the only
  place where set-aside text moves. Markup inside
  cue text (`<i>`, `</v>`, `&amp;`, `{\\an8}`) is formatting, not words, and is dropped.
- Anything else is plain text: a header (dates, "Updated: ...", navigation) and a footer
  are set aside; short unpunctuated lines at the top (a place, a byline, a title) become
  sentences marked uncertain so the audio decides. Speaker labels (a line of their own,
  or "NAME:" opening a line) change the speaker and are kept as "label" blocks; stage
  directions ([MUSIC], (applause)) and timestamps anywhere in a line are set aside where
  they stand, so text around one inline is split there.

The package, one job a module: `reader` (checks the text and picks its reader), `layout`
(plain text: header, body, footer), `furniture` (what page furniture looks like), `cues`
(caption files), `events` (what the readers hand on), `builder` (events -> sentences and
set-aside blocks). What a speaker label is
(`alignment.labels`) and what a mark is (`alignment.marks`) are decided below it, since
the caption formats share them.
"""

from __future__ import annotations

from alignment.errors import TranscriptError
from alignment.labels import label_name
from alignment.transcript.reader import Script, read_transcript

__all__ = ["Script", "TranscriptError", "label_name", "read_transcript"]
