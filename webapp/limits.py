"""What one recording may cost: the bounds on uploads, transcripts and recordings.

Each is a setting with a generous default, read from the environment with the others
(`webapp.settings`) and named in the error that enforces it, so an operator knows what
to raise:

| config | environment | default |
|---|---|---|
| MAX_UPLOAD | TRANSCRIPT_PLAYER_MAX_UPLOAD | 2G (the body of POST /recordings) |
| MAX_TRANSCRIPT_BYTES | TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES | 5M (of text, UTF-8) |
| MAX_SENTENCES | TRANSCRIPT_PLAYER_MAX_SENTENCES | 50000 |
| MAX_RECORDING_SECONDS | TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS | 43200 (12 hours) |

The body of every other request is bounded by MAX_CONTENT_LENGTH
(`TRANSCRIPT_PLAYER_MAX_BODY`, 1M). A transcript *file* (Word, PDF, a web page) may be
larger than its text: it is refused unread beyond `FILE_FACTOR` times MAX_TRANSCRIPT_BYTES.

Reading a transcript costs by its lines and its sentences more than by its bytes: 5 MB
of one-word lines is a million of each, and took a minute and 600 MB to read only to
be refused for its sentences. So a transcript is refused unread beyond `LINE_FACTOR`
lines per sentence MAX_SENTENCES allows (counted with `str.count`, milliseconds), and
`read_checked` stops reading at the first sentence over MAX_SENTENCES.

The bounds that are not settings (titles, queries, edits, clips, import-url) are defined
at the end of this module, each with the reason for its value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from alignment import AudioError, TooManySentences, TranscriptError

if TYPE_CHECKING:
    from alignment import Script

__all__ = [
    "DEFAULTS", "FILE_FACTOR", "LINE_FACTOR", "byte_size", "check_duration",
    "check_transcript_file", "check_transcript_text", "count", "human_bytes", "line_count",
    "read_checked", "size",
]

#: config key -> its default, as an operator writes it (`webapp.settings` reads them)
DEFAULTS: dict[str, str] = {
    "MAX_UPLOAD": "2G",
    "MAX_TRANSCRIPT_BYTES": "5M",
    "MAX_SENTENCES": "50000",
    "MAX_RECORDING_SECONDS": "43200",
}
#: how much larger than its text a transcript file may be (markup, fonts, compression)
FILE_FACTOR = 8
#: lines a transcript may have for each sentence MAX_SENTENCES allows: captions take four
#: a cue (number, timing, text, blank), YouTube's copy two (a time, a few words); twelve
#: hours of one-second cues is 173,000 lines, under the default's 200,000
LINE_FACTOR = 4
#: what `str.splitlines` breaks lines at, as the reader does ("\r\n" counted once)
_LINE_BREAKS = ("\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
                "\u2029")


def count(value: str | int, name: str) -> int:
    """A whole number above 0 from `1000`, `1_000` or an int; ValueError naming the
    setting `name` otherwise."""
    text = str(value).strip().replace("_", "")
    if isinstance(value, bool) or not text.isdigit() or int(text) <= 0:
        raise ValueError(f"{name} is {value!r}; give a whole number above 0")
    return int(text)


_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def byte_size(value: str | int, name: str = "the size") -> int:
    """Bytes from `1048576`, `512K`, `1M` or `2G` (powers of 1024); ValueError naming
    `name` otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().lower().removesuffix("b").removesuffix("i")
    unit = text[-1:] if text[-1:] in ("k", "m", "g") else ""
    number = text[: len(text) - len(unit)].strip()
    if not number.isdigit():
        raise ValueError(f"{name} is {value!r}; give a number of bytes, or one with K, M or "
                         "G after it (512K, 1M)")
    return int(number) * _SIZE_UNITS[unit]


def size(value: str | int, name: str) -> int:
    """`byte_size`, and above 0: a bound on what a recording may cost."""
    found = byte_size(value, name)
    if found <= 0:
        raise ValueError(f"{name} is {value!r}; give a size above 0 (512K, 1M, 2G)")
    return found


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


def _check_bytes(text: str, config: Mapping[str, Any]) -> None:
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


def line_count(text: str) -> int:
    """How many lines `text.splitlines()` would give, without making them (a pass of
    `str.count` per kind of line break: milliseconds for megabytes, no memory)."""
    breaks = sum(text.count(ch) for ch in _LINE_BREAKS) - text.count("\r\n")
    return breaks + (0 if not text or text.endswith(_LINE_BREAKS) else 1)


def check_transcript_text(text: str, config: Mapping[str, Any]) -> None:
    """Refuse, before it is read, a transcript whose text is over MAX_TRANSCRIPT_BYTES
    (UTF-8) or has more than LINE_FACTOR × MAX_SENTENCES lines."""
    _check_bytes(text, config)
    limit = config["MAX_SENTENCES"] * LINE_FACTOR
    # a cheap bound first: a line takes at least one character
    if len(text) <= limit:
        return
    lines = line_count(text)
    if lines > limit:
        raise TranscriptError(
            f"the transcript has {lines:,} lines; this server reads at most {limit:,} "
            f"({LINE_FACTOR} × TRANSCRIPT_PLAYER_MAX_SENTENCES). Split the recording and its "
            "transcript.")


def read_checked(text: str, language: str, config: Mapping[str, Any]) -> Script:
    """The transcript read (`alignment.read_transcript`) within the limits: refused
    unread when `check_transcript_text` refuses it, and as soon as a sentence over
    MAX_SENTENCES is found (TranscriptError naming the limit, one line)."""
    from alignment import read_transcript  # the reader loads pysbd: only when reading

    check_transcript_text(text, config)
    limit = config["MAX_SENTENCES"]
    try:
        return read_transcript(text, language, max_sentences=limit)
    except TooManySentences:
        raise TranscriptError(
            f"the transcript has more than {limit:,} sentences; this server aligns at most "
            f"{limit:,} (TRANSCRIPT_PLAYER_MAX_SENTENCES). Split the recording and its "
            "transcript.") from None


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


# ------------------------------------------------------------------ the fixed bounds
# Not settings: bounds the code keeps whatever the deployment, each defined here once, so
# that a newcomer finds every limit in one file. The modules that enforce them read them
# as `limits.NAME` when they run (a test may lower one with monkeypatch).

__all__ += [
    "AUDIO_DEADLINE", "CONNECT_TIMEOUT", "FORM_SLACK", "MAX_AUDIO_BYTES", "MAX_BODY_DEFAULT",
    "MAX_CLIP_MS", "MAX_PAGE_BYTES", "MAX_QUERY", "MAX_QUOTE_CHARS", "MAX_REDIRECTS",
    "MAX_SENTENCE_CHARS", "MAX_SPEAKER", "MAX_TITLE", "MIN_SENTENCE_MS", "PAGE_DEADLINE",
    "READ_TIMEOUT", "SEARCH_LIMIT", "upload_form_memory",
]

# -- requests (webapp.app)

#: the default of TRANSCRIPT_PLAYER_MAX_BODY, the body of every request but an upload:
#: those are small forms (a login, an edited sentence), so anything larger is refused
#: with 413 before it is read instead of being spooled to disk
MAX_BODY_DEFAULT = "1M"
#: room in an upload's form beyond the pasted transcript: the other fields (title,
#: language, CSRF token) and the multipart framing take a few hundred bytes; 64 KB is
#: generous and still nothing to hold in memory
FORM_SLACK = 64 * 1024
#: the longest search query taken (characters; the rest is cut off): a quote typed to
#: find a line, not a paragraph, and every word of it costs the full-text query a term
MAX_QUERY = 200
#: the most search hits listed (config SEARCH_LIMIT's default): a page's worth to read;
#: a longer list would only say that the query is too common
SEARCH_LIMIT = 50


def upload_form_memory(config: Mapping[str, Any]) -> int:
    """How much of an upload's form is read into memory (werkzeug's
    `max_form_memory_size`): twice MAX_TRANSCRIPT_BYTES, so that pasted text a little over
    its bound is still read and then refused with a message naming the limit, rather
    than cut off with a bare 413 (UTF-8 may take up to 4 bytes a character, and the
    bound counts the text, the form its encoding)."""
    return 2 * config["MAX_TRANSCRIPT_BYTES"] + FORM_SLACK


# -- recordings and edits (webapp.importer, webapp.upload, webapp.editing)

#: the longest title (characters, spaces folded): it heads the page and names the
#: clips' tags and files; a title longer than a line or two is a description
MAX_TITLE = 300
#: the longest sentence an edit may write (characters): a sentence of a transcript is a
#: line or two; 2000 is a paragraph, long enough for any run-on speech, and a page of
#: them still lays out
MAX_SENTENCE_CHARS = 2000
#: the longest speaker name an edit may write (characters): a name with a role and an
#: affiliation ("Lord Robertson, NATO Secretary General") fits several times
MAX_SPEAKER = 120
#: the shortest a sentence may be made by moving its edges (ms): shorter than a syllable,
#: no word could be heard in it and it could no longer be clicked on the timeline
#: (static/edit-times.mjs keeps the same value for the editor)
MIN_SENTENCE_MS = 100

# -- clips (webapp.clips)

#: the longest clip the server cuts (ms): five minutes is a quote, not a copy of the
#: recording, and bounds the ffmpeg work and the cache one request can cause
MAX_CLIP_MS = 5 * 60 * 1000
#: the most characters of the quoted words written into a clip's comment tag: players
#: show a line or two, and ID3 frames need not carry a transcript
MAX_QUOTE_CHARS = 1000

# -- import-url (webapp.fetch)

#: the largest recording downloaded (bytes): the same 2 GB as an upload's default
MAX_AUDIO_BYTES = 2 * 1024**3
#: the largest page read (bytes): a transcript's page with its markup is rarely over a
#: megabyte; 20 MB leaves room and still fits in memory
MAX_PAGE_BYTES = 20 * 1024**2
#: redirects followed from one address, each checked like the first: browsers allow 20,
#: but a page that needs more than 5 is misconfigured or leading somewhere on purpose
MAX_REDIRECTS = 5
#: seconds to wait for a connection: a server that answers at all does so in 10 s
CONNECT_TIMEOUT = 10.0
#: seconds to wait for the next bytes of an answer (not for the whole of it: a 2 GB
#: recording may rightly take long)
READ_TIMEOUT = 30.0
#: seconds a page may take in all, redirects included (checked as bytes arrive, so it
#: is passed by at most READ_TIMEOUT)
PAGE_DEADLINE = 120.0
#: seconds a recording may take in all (2 GB at about 0.6 MB/s)
AUDIO_DEADLINE = 3600.0
