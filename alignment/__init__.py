"""Forced alignment of a transcript onto its recording, sentence by sentence.

    align(audio, transcript, language="eng", progress=None) -> SyncMap

`audio` is a path to anything ffmpeg reads; `transcript` is the raw text as published
(plain text with labels and headers, or WebVTT/SRT). `progress(stage, fraction)` is called
with stage in "decoding", "reading", "aligning", "refining" and fraction in [0, 1].
Bad input raises a subclass of `AlignmentError` whose message names the problem and fix.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from alignment.errors import AlignmentError, AudioError, LanguageError, TranscriptError
from alignment.syncmap import Sentence, SetAside, SyncMap

if TYPE_CHECKING:  # the engine loads numba: only when a recording is aligned
    from alignment.engine import Progress

__all__ = [
    "align", "AlignmentError", "AudioError", "LanguageError", "TranscriptError",
    "Sentence", "SetAside", "SyncMap",
]


def align(audio: str | os.PathLike, transcript: str, language: str = "eng",
          progress: Progress | None = None) -> SyncMap:
    """Align `transcript` (raw text) to the recording at `audio` (see the module doc)."""
    # imported here so that `import alignment` (formats, the sync map) stays light
    from alignment.engine import align as engine_align

    return engine_align(audio, transcript, language=language, progress=progress)
