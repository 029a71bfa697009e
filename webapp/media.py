"""Media files: stored by content under `<data>/media/<sha256>.<ext>`, served with ranges.

The page plays a seek-safe rendition, never the upload itself: browsers seek
variable-bitrate MP3 by guessing from the byte offset, which would light the wrong
sentence, so every recording gets a constant-bitrate MP3 copy (`make_rendition`).

TODO(lead): the ffmpeg calls here (`make_rendition`, `probe_duration_ms`) belong in
alignment/audio.py, the one place that decodes audio; move them there when it lands.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, send_file

from alignment.errors import AudioError

__all__ = [
    "MEDIA_TYPES", "StoredMedia", "make_rendition", "media_path", "probe_duration_ms",
    "send_media", "store_file",
]

MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "audio/mp4",
    "aac": "audio/aac",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "flac": "audio/flac",
    "webm": "audio/webm",
}
_NAME = re.compile(r"^[0-9a-f]{64}\.([a-z0-9]{1,5})$")
# Constant bitrate, mono, 44.1 kHz: seeks exactly in every browser, small for speech.
RENDITION_ARGS = ("-vn", "-map_metadata", "-1", "-ac", "1", "-ar", "44100",
                  "-codec:a", "libmp3lame", "-b:a", "64k", "-f", "mp3")


@dataclass(frozen=True)
class StoredMedia:
    """A file in the media folder: its name (`<sha256>.<ext>`), digest and path."""

    name: str
    sha256: str
    path: Path


def _extension(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    return ext if ext in MEDIA_TYPES else "bin"


def store_file(src: Path, media_dir: Path, ext: str | None = None) -> StoredMedia:
    """Copy a file into the media folder under its SHA-256; an existing copy is reused."""
    src = Path(src)
    if not src.is_file():
        raise AudioError(f"audio file {src} does not exist; give the path of a recording")
    media_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=media_dir, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            while chunk := inp.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        name = f"{sha}.{ext or _extension(src)}"
        dest = media_dir / name
        if dest.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, dest)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return StoredMedia(name=name, sha256=sha, path=dest)


def make_rendition(src: Path, media_dir: Path) -> StoredMedia:
    """Encode the seek-safe copy (constant-bitrate MP3) and store it by content."""
    media_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=media_dir, suffix=".mp3.part")
    os.close(fd)
    try:
        cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(src), *RENDITION_ARGS,
               tmp_name]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or os.path.getsize(tmp_name) == 0:
            detail = (proc.stderr or "").strip().splitlines()[-1:] or ["no audio stream"]
            raise AudioError(
                f"could not read audio from {src} ({detail[0]}); give a recording that "
                "ffmpeg can decode (mp3, m4a, wav, ogg, flac, webm)"
            )
        return store_file(Path(tmp_name), media_dir, ext="mp3")
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def probe_duration_ms(path: Path) -> int:
    """The duration of a media file in milliseconds (ffprobe)."""
    if not Path(path).is_file():
        raise AudioError(f"audio file {path} does not exist; give the path of a recording")
    cmd = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json",
           str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    try:
        seconds = float(json.loads(proc.stdout)["format"]["duration"])
    except (ValueError, KeyError, TypeError) as err:
        raise AudioError(
            f"could not find the length of {path}; is it an audio file ffmpeg can read?"
        ) from err
    return int(round(seconds * 1000))


def media_path(media_dir: Path, name: str) -> Path | None:
    """The path of a stored media file, or None for a name that is not one of ours."""
    if not _NAME.match(name):
        return None
    path = media_dir / name
    return path if path.is_file() else None


def send_media(media_dir: Path, name: str) -> Response:
    """Serve a stored file; answers Range requests with 206 and caches for good."""
    path = media_path(media_dir, name)
    if path is None:
        abort(404)
    ext = name.rsplit(".", 1)[1]
    resp = send_file(path, mimetype=MEDIA_TYPES.get(ext, "application/octet-stream"),
                     conditional=True, etag=True, max_age=31536000)
    resp.headers["Accept-Ranges"] = "bytes"
    resp.cache_control.immutable = True
    resp.cache_control.public = True
    return resp

