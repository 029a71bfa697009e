"""Podcasting 2.0 JSON transcript (podcast:transcript, type application/json). Write only.

    {"version": "1.0.0",
     "segments": [{"speaker": "Lord Robertson", "startTime": 1.23, "endTime": 1.6,
                   "body": "Ladies"},
                  {"speaker": "Lord Robertson", "startTime": 1.6, "endTime": 1.7,
                   "body": "and"},
                  {"speaker": "Lord Robertson", "startTime": 1.7, "endTime": 2.34,
                   "body": "Gentlemen,"}]}

The specification lets a segment hold any amount of text, and its own example gives one
word per segment; players that highlight the word being said (and the proposal to keep
the JSON format for word timings, podcast-namespace issue 366) expect exactly that. So a
sentence whose words have times becomes one segment per word, each with the speaker,
as in the specification's example; a word that was not heard joins the word before it
(`words.timed_words`), as in the WebVTT karaoke. A sentence without word times (an old
JSON, an imported caption file) stays one segment, so one file may mix the two.
Unaligned sentences are left out (they have no time to give); times in seconds with
three decimals; body on one line. The spec makes "speaker" optional, so it is left out,
rather than written as null, when the speaker is not known.
"""

from __future__ import annotations

import json

from alignment.formats.common import one_line
from alignment.formats.words import timed_words
from alignment.syncmap import SyncMap, ms_to_s

__all__ = ["VERSION", "write"]

VERSION = "1.0.0"


def write(syncmap: SyncMap) -> str:
    """The aligned sentences of `syncmap` as a Podcasting 2.0 JSON transcript: a segment
    per timed word where the sentence has word times, else a segment per sentence."""
    segments = []
    for s in syncmap.sentences:
        if not s.aligned:
            continue
        speaker = one_line(s.speaker)
        pieces = [(w.begin, w.end, w.text) for w in timed_words(s)] or [(s.begin, s.end, s.text)]
        for begin, end, body in pieces:
            segment: dict[str, object] = {}
            if speaker:
                segment["speaker"] = speaker
            segment["startTime"] = ms_to_s(begin)
            segment["endTime"] = ms_to_s(end)
            segment["body"] = one_line(body)
            segments.append(segment)
    doc = {"version": VERSION, "segments": segments}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
