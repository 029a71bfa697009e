"""Forced alignment of a transcript onto its recording, sentence by sentence.

    align(audio, transcript, language="eng", progress=None, *, sha256=None,
          duration_ms=None) -> SyncMap

`audio` is a path to anything ffmpeg reads; `transcript` is the raw text as published
(plain text with labels and headers, or WebVTT/SRT). `progress(stage, fraction)` is called
with stage in "reading", "decoding", "aligning", "refining" (in that order) and fraction
in [0, 1]. Bad input raises a subclass of `AlignmentError` whose message names the
problem and fix.

The public API is `__all__`: the web app and the benchmarks use these names alone, and
the public modules listed there (`formats`, one module per sync-map format; `documents`,
transcript files of every kind; `cli`, the `align` command and its helpers; `synthetic`,
readings with known timings for the demo, the benchmarks and the tests). The names
whose modules are heavy (the engine loads aeneas and the recogniser, the transcript
reader pysbd) are loaded on first use (PEP 562), so `import alignment` stays light.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

from alignment.errors import (
    AlignmentError,
    AudioError,
    LanguageError,
    TooManySentences,
    TranscriptError,
)
from alignment.syncmap import Kind, Sentence, SetAside, SyncMap, Word, sentence_id, split_words

if TYPE_CHECKING:
    from alignment.audio import check_file as check_audio_file
    from alignment.audio import ffmpeg_path, probe_duration, sha256_file
    from alignment.children import run as run_child
    from alignment.children import start as start_child
    from alignment.engine import Progress
    from alignment.labels import label_name
    from alignment.languages import two_letter
    from alignment.transcript import Script, read_transcript

__all__ = [
    # aligning
    "align", "Progress", "check_language",
    # what it reads and gives
    "read_transcript", "Script", "Sentence", "SetAside", "Kind", "SyncMap", "sentence_id",
    "label_name", "Word", "split_words",
    # audio files
    "check_audio_file", "ffmpeg_path", "probe_duration", "sha256_file",
    # languages
    "two_letter",
    # child processes (ffmpeg) that end with their parent, and a Ctrl-C as they start
    "run_child", "start_child",
    # errors
    "AlignmentError", "AudioError", "LanguageError", "TooManySentences", "TranscriptError",
    # public modules
    "cli", "documents", "formats", "synthetic",
]

#: name -> (module, name there), loaded on first use
_LAZY = {
    "Progress": ("alignment.engine", "Progress"),
    "read_transcript": ("alignment.transcript", "read_transcript"),
    "Script": ("alignment.transcript", "Script"),
    "label_name": ("alignment.labels", "label_name"),
    "check_audio_file": ("alignment.audio", "check_file"),
    "probe_duration": ("alignment.audio", "probe_duration"),
    "ffmpeg_path": ("alignment.audio", "ffmpeg_path"),
    "sha256_file": ("alignment.audio", "sha256_file"),
    "two_letter": ("alignment.languages", "two_letter"),
    "run_child": ("alignment.children", "run"),
    "start_child": ("alignment.children", "start"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    if name in ("cli", "documents", "formats", "synthetic"):
        return import_module(f"alignment.{name}")
    raise AttributeError(f"module 'alignment' has no attribute {name!r}")


def align(audio: str | os.PathLike, transcript: str | Script, language: str = "eng",
          progress: Progress | None = None, *, sha256: str | None = None,
          duration_ms: int | None = None) -> SyncMap:
    """Align `transcript` (raw text, or a Script already read) to the recording at
    `audio` (see the module doc); `sha256` and `duration_ms`, when the caller knows
    them, are not read from the file again."""
    # imported here so that `import alignment` (formats, the sync map) stays light
    from alignment.engine import align as engine_align

    return engine_align(audio, transcript, language=language, progress=progress,
                        sha256=sha256, duration_ms=duration_ms)


def check_language(language: str) -> None:
    """Refuse a language the aligner cannot read: `LanguageError` names the fix.

    Loads aeneas (its list of eSpeak voices), so call it when a recording is to be aligned.
    """
    from alignment.aeneas_backend import voice_for

    voice_for(language)
