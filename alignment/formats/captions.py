"""The one cue reader: WebVTT, SRT and SBV files taken apart into cues.

The sync-map readers (`vtt.read`, `srt.read`) and the transcript reader (a caption file
uploaded as a transcript, `alignment.transcript`) all read cues here, so they agree on
what a WebVTT header is, where a cue's timing line is, which markup is formatting (`<i>`,
`<b>`, `<c.loud>`, `<00:01.000>`, SRT's `{\\an8}`) and what a character reference means
(`&amp;`, `&quot;`, `&#233;`: decoded in WebVTT, whose cue text escapes `&` and `<`; SRT
has no escaping, so there they stay as written).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from alignment.formats.common import VOICE, Cue, blocks, parse_timing

# Cue: the type `cues` yields, defined with the format modules' other shared parts
__all__ = ["META", "VOICE", "Cue", "cue_text", "cues", "is_timing", "is_webvtt", "voice_name"]

#: a WebVTT file's first line: "WEBVTT", alone or followed by a space or tab and text
_HEADER = re.compile(r"WEBVTT(?:[ \t]|$)")
#: WebVTT blocks that are not cues: the header, NOTE, STYLE, REGION
META = re.compile(r"(?:WEBVTT|NOTE|STYLE|REGION)(?:\s|$)")
# tags (<i>, </v>, <c.loud>, <lang en>) and WebVTT's inline timestamps (<00:01.000>)
_VTT_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>")
# tags as players render them (<i>, <font color=...>) and SSA overrides ({\an8})
_SRT_MARKUP = re.compile(r"</?[A-Za-z][^>]*>|\{\\[^}]*\}")


def is_webvtt(lines: list[str]) -> bool:
    """Whether a file's lines are WebVTT: its first line that is not blank is the header."""
    first = next((line.strip() for line in lines if line.strip()), "")
    return bool(_HEADER.match(first.removeprefix("\ufeff")))


def is_timing(line: str) -> bool:
    """Whether `line` is a cue timing, `start --> end` (or SBV's `start,end`)."""
    try:
        parse_timing(line)
    except ValueError:
        return False
    return True


def cues(lines: list[str], vtt: bool) -> Iterator[Cue | tuple[str, ...]]:
    """The blocks of a caption file in order: a `Cue` for each cue, and the lines
    (stripped) of any other block: WebVTT's header, NOTE, STYLE and REGION blocks, or
    lines that are no cue at all. A cue's timing is its first or second line."""
    for raw in blocks(lines):
        block = tuple(line.strip() for line in raw)
        if vtt and META.match(block[0].removeprefix("\ufeff")):
            yield block
            continue
        timing = next((k for k in range(min(2, len(block))) if is_timing(block[k])), None)
        if timing is None:
            yield block
            continue
        begin, end = parse_timing(block[timing])
        yield Cue(head=block[: timing + 1], begin=begin, end=end,
                  lines=tuple(raw[timing + 1:]))


def cue_text(text: str, vtt: bool) -> str:
    """Cue text as words: formatting markup dropped; in WebVTT, character references
    decoded (voice spans are markup too: read their names with `voice_name` first)."""
    if vtt:
        return html.unescape(_VTT_MARKUP.sub("", text))
    return _SRT_MARKUP.sub("", text)


def voice_name(span: re.Match[str]) -> str:
    """The name a WebVTT voice span (`common.VOICE`) gives, on one line, decoded."""
    return " ".join(html.unescape(span.group(1)).split())

