"""Podcasting 2.0 JSON transcript (podcast:transcript, type application/json). Write only.

    {"version": "1.0.0",
     "segments": [{"speaker": "Lord Robertson", "startTime": 1.23, "endTime": 2.34,
                   "body": "Ladies and Gentlemen,"}]}

One segment per aligned sentence (unaligned ones have no time to give); times in seconds
with three decimals; body on one line. The spec makes "speaker" optional, so it is left
out, rather than written as null, when the speaker is not known.
"""

from __future__ import annotations

import json

from alignment.formats.common import one_line
from alignment.syncmap import SyncMap, ms_to_s

__all__ = ["VERSION", "write"]

VERSION = "1.0.0"


def write(syncmap: SyncMap) -> str:
    """The aligned sentences of `syncmap` as a Podcasting 2.0 JSON transcript."""
    segments = []
    for s in syncmap.sentences:
        if not s.aligned:
            continue
        segment: dict[str, object] = {}
        speaker = one_line(s.speaker)
        if speaker:
            segment["speaker"] = speaker
        segment["startTime"] = ms_to_s(s.begin)
        segment["endTime"] = ms_to_s(s.end)
        segment["body"] = one_line(s.text)
        segments.append(segment)
    doc = {"version": VERSION, "segments": segments}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
