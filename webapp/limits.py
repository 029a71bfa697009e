"""What one recording may cost: the bounds on uploads, transcripts and recordings.

Each is a setting with a generous default, read from the environment by `create_app`
and named in the error that enforces it, so an operator knows what to raise:

| config | environment | default |
|---|---|---|
| MAX_UPLOAD | TRANSCRIPT_PLAYER_MAX_UPLOAD | 2G (the body of POST /recordings) |
| MAX_TRANSCRIPT_BYTES | TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES | 5M (of text, UTF-8) |
| MAX_SENTENCES | TRANSCRIPT_PLAYER_MAX_SENTENCES | 50000 |
| MAX_RECORDING_SECONDS | TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS | 43200 (12 hours) |

The body of every other request is bounded by MAX_CONTENT_LENGTH
(`TRANSCRIPT_PLAYER_MAX_BODY`, 1M). A transcript *file* (Word, PDF, a web page) may be
larger than its text: it is refused unread beyond `FILE_FACTOR` times MAX_TRANSCRIPT_BYTES.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from alignment import AudioError, TranscriptError

__all__ = [
    "DEFAULTS", "FILE_FACTOR", "check_duration", "check_sentence_count",
    "check_transcript_file", "check_transcript_text", "from_env", "human_bytes",
]

#: config key -> (environment variable, default as written there)
DEFAULTS: dict[str, tuple[str, str]] = {
    "MAX_UPLOAD": ("TRANSCRIPT_PLAYER_MAX_UPLOAD", "2G"),
    "MAX_TRANSCRIPT_BYTES": ("TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES", "5M"),
    "MAX_SENTENCES": ("TRANSCRIPT_PLAYER_MAX_SENTENCES", "50000"),
    "MAX_RECORDING_SECONDS": ("TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS", "43200"),
}
#: how much larger than its text a transcript file may be (markup, fonts, compression)
FILE_FACTOR = 8


def _count(value: str | int, name: str) -> int:
    if isinstance(value, int):
        return value
    text = value.strip().replace("_", "")
    if not text.isdigit() or int(text) <= 0:
        raise ValueError(f"{name} is {value!r}; give a whole number above 0")
    return int(text)


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """The four limits from the environment (else their defaults), as config values;
    ValueError naming the variable when one is not a size or a number."""
    from webapp.app import byte_size

    environ = os.environ if environ is None else environ
    out: dict[str, int] = {}
    for key, (var, default) in DEFAULTS.items():
        raw = environ.get(var) or default
        out[key] = byte_size(raw, var) if key in ("MAX_UPLOAD", "MAX_TRANSCRIPT_BYTES") \
            else _count(raw, var)
    return out


def checked(config: Mapping[str, Any]) -> None:
    """Refuse (ValueError naming it) a limit given in the config that is not usable."""
    for key, (var, _) in DEFAULTS.items():
        value = config.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{key} ({var}) is {value!r}; give a number above 0")


def human_bytes(n: int) -> str:
    """`2 GB`, `5 MB`, `512 KB`, `300 bytes` (powers of 1024, as the settings read them)."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) or value >= 10 \
                else f"{value:.1f} {unit}"
    return f"{n} bytes"


def check_transcript_file(size: int, config: Mapping[str, Any], label: str) -> None:
    """Refuse a transcript file too large to be worth reading (before it is read)."""
    limit = config["MAX_TRANSCRIPT_BYTES"] * FILE_FACTOR
    if size > limit:
        raise TranscriptError(
            f"{label} is {human_bytes(size)}; this server reads transcript files of at most "
            f"{human_bytes(limit)} ({FILE_FACTOR} × TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES). "
            "Save it as plain text, or split the recording.")


def check_transcript_text(text: str, config: Mapping[str, Any]) -> None:
    """Refuse a transcript whose text is over MAX_TRANSCRIPT_BYTES (UTF-8)."""
    limit = config["MAX_TRANSCRIPT_BYTES"]
    # a cheap bound first: no character is more than 4 bytes, none less than 1
    if len(text) <= limit // 4:
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise TranscriptError(
            f"the transcript is {human_bytes(size)} of text; this server takes at most "
            f"{human_bytes(limit)} (TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES). Split the "
            "recording and its transcript, or ask the operator to raise the limit.")


def check_sentence_count(count: int, config: Mapping[str, Any]) -> None:
    """Refuse a transcript of more than MAX_SENTENCES sentences."""
    limit = config["MAX_SENTENCES"]
    if count > limit:
        raise TranscriptError(
            f"the transcript has {count:,} sentences; this server aligns at most {limit:,} "
            "(TRANSCRIPT_PLAYER_MAX_SENTENCES). Split the recording and its transcript.")


def check_duration(duration_ms: int, config: Mapping[str, Any]) -> None:
    """Refuse a recording longer than MAX_RECORDING_SECONDS (as ffprobe tells its length)."""
    limit = config["MAX_RECORDING_SECONDS"]
    if duration_ms > limit * 1000:
        raise AudioError(
            f"the recording is {_hours(duration_ms // 1000)} long; this server takes "
            f"recordings of at most {_hours(limit)} (TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS="
            f"{limit}). Split it into parts.")


def _hours(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"
