"""Media files: stored by content under `<data>/media/<sha256>.<ext>`, served with ranges.

The page plays a seek-safe rendition, never the upload itself: browsers seek
variable-bitrate MP3 by guessing from the byte offset, which would light the wrong
sentence, so every recording gets a constant-bitrate MP3 copy (`make_rendition`), encoded
here by ffmpeg: the rendition is the web's concern, decoding for alignment the library's.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, request, send_file
from werkzeug.http import parse_range_header

from alignment import AudioError, check_audio_file, ffmpeg_path, run_child, sha256_file

__all__ = ["MEDIA_TYPES", "Claim", "StoredMedia", "encode_rendition", "make_rendition",
           "media_path", "remove_media", "send_media", "store_file"]

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
#: told a media file's name before the file takes it (see `Store.claim_media`)
Claim = Callable[[str], None]
_NAME = re.compile(r"^[0-9a-f]{64}\.([a-z0-9]{1,5})$")


@dataclass(frozen=True)
class StoredMedia:
    """A file in the media folder: its name (`<sha256>.<ext>`), digest and path."""

    name: str
    sha256: str
    path: Path


#: stored media are read by the web server (nginx sends them itself) and backups: 0644,
#: not mkstemp's 0600
MEDIA_MODE = 0o644


def _extension(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    return ext if ext in MEDIA_TYPES else "bin"


def store_file(src: Path, media_dir: Path, claim: Claim | None = None, *,
               link: bool = False) -> StoredMedia:
    """Copy a file into the media folder under its SHA-256; an existing copy is reused.

    `claim(name)` is called once the name is known and before the file takes it, so that
    the file is in use (`Store.claim_media`) before it exists under that name. With
    `link` (a file of this program's that no one changes, such as an upload's spool
    file), it is hard-linked instead of copied when both are on one file system.
    """
    src = Path(src)
    if not src.is_file():
        raise AudioError(f"audio file {src} does not exist; give the path of a recording")
    media_dir.mkdir(parents=True, exist_ok=True)
    if link:
        linked = _link_into(src, media_dir, claim)
        if linked is not None:
            return linked
    fd, tmp_name = tempfile.mkstemp(dir=media_dir, suffix=".part")
    os.close(fd)
    try:
        # the copy is hashed, not the source: the name then says what was stored even if
        # someone changes the source meanwhile (the copy was just written: it is read
        # back from the page cache)
        shutil.copyfile(src, tmp_name)
        os.chmod(tmp_name, MEDIA_MODE)
        return _place(Path(tmp_name), sha256_file(tmp_name), _extension(src), media_dir,
                      claim)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def _link_into(src: Path, media_dir: Path, claim: Claim | None) -> StoredMedia | None:
    """`src` hashed where it is and hard-linked into the media folder; None when the
    file system will not link it (another device), to be copied instead."""
    tmp = media_dir / f".{os.getpid()}.{secrets.token_hex(8)}.part"
    try:
        os.link(src, tmp)
    except OSError:
        return None
    try:
        os.chmod(tmp, MEDIA_MODE)
        return _place(tmp, sha256_file(tmp), _extension(src), media_dir, claim)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _place(tmp: Path, sha: str, ext: str, media_dir: Path,
           claim: Claim | None = None) -> StoredMedia:
    """Move a finished file in the media folder to its name; an existing copy is kept.

    The name is claimed first (`claim`), so the check for an existing copy below cannot
    race with another import's cleanup removing it.
    """
    dest = media_dir / f"{sha}.{ext}"
    if claim is not None:
        claim(dest.name)
    if dest.exists():
        tmp.unlink()
    else:
        os.replace(tmp, dest)  # atomic: readers never see half a file
    return StoredMedia(name=dest.name, sha256=sha, path=dest)


def make_rendition(src: Path, media_dir: Path, claim: Claim | None = None) -> StoredMedia:
    """Encode the seek-safe copy (constant-bitrate MP3, `encode_rendition`) and store it.

    It is encoded in the media folder, so it is hashed once and renamed into place
    rather than copied; `claim` as for `store_file`.
    """
    media_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=media_dir, suffix=".mp3.tmp")
    os.close(fd)
    try:
        encode_rendition(src, tmp_name)
        os.chmod(tmp_name, MEDIA_MODE)
        return _place(Path(tmp_name), sha256_file(tmp_name), "mp3", media_dir, claim)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def encode_rendition(src: str | os.PathLike, dst: str | os.PathLike,
                     bitrate: str = "64k") -> None:
    """Write a constant-bitrate MP3 of `src` to `dst`.

    Browsers seek variable-bitrate MP3 inexactly (they guess byte offsets), which would
    light the wrong sentence; a constant bitrate makes byte offset proportional to time.
    Raises AudioError when ffmpeg is missing or cannot read `src`.
    """
    p = check_audio_file(src)
    tmp = f"{dst}.part"
    cmd = [ffmpeg_path(), "-nostdin", "-v", "error", "-y", "-i", str(p), "-vn", "-ac", "1",
           "-codec:a", "libmp3lame", "-b:a", bitrate, "-f", "mp3", tmp]
    # the encoder dies with this process: a killed import leaves no ffmpeg running on
    res = run_child(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        if os.path.exists(tmp):
            os.remove(tmp)
        last = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "ffmpeg failed"
        raise AudioError(f"cannot convert {p.name} for the browser: {last}")
    os.replace(tmp, dst)


def media_path(media_dir: Path, name: str) -> Path | None:
    """The path of a stored media file, or None for a name that is not one of ours."""
    if not _NAME.match(name):
        return None
    path = media_dir / name
    return path if path.is_file() else None


def remove_media(media_dir: Path, name: str) -> bool:
    """Delete the stored media file `name`; the one way a media file is deleted.

    The store hands its callers the names it finds in its rows (`Store.delete_recording`,
    `Store.release_media`), and a row can be wrong (a restored or hand-edited database):
    a name that is not `<sha256>.<ext>` (`../x`, a path) is refused, so nothing outside
    the media folder is ever deleted. True when the name was one of ours (the file is
    gone, or was already).
    """
    if not _NAME.match(name):
        return False
    (Path(media_dir) / name).unlink(missing_ok=True)
    return True


def _one_range(environ: dict, size: int) -> None:
    """Make a request for several byte ranges one for the first of them (a 206), or, when
    that one is outside the file, a request for the whole file (a 200): werkzeug answers
    several ranges with 416, and a multipart answer is more than any player needs. A
    Range that is not one (`bytes=abc`, another unit) is ignored, as RFC 9110 says: the
    whole file, 200 (werkzeug would answer 416)."""
    header = environ.get("HTTP_RANGE")
    if header is None:
        return
    units, _, specs = header.partition("=")
    # the first range alone (werkzeug's parser refuses ranges out of order altogether)
    first = f"bytes={specs.split(',', 1)[0].strip()}"
    wanted = parse_range_header(first) if units.strip().lower() == "bytes" else None
    several = "," in specs
    if wanted is None or several and wanted.range_for_length(size) is None:
        del environ["HTTP_RANGE"]
    elif several:
        environ["HTTP_RANGE"] = first


def send_media(media_dir: Path, name: str, accel: str | None = None) -> Response:
    """Serve a stored file; answers Range requests with 206 and caches for good.

    With `accel` (config MEDIA_ACCEL_REDIRECT, behind nginx) the answer is empty and
    names the file under that internal prefix in `X-Accel-Redirect`: nginx then sends it
    from the media folder itself, ranges and all, and no app thread is held while a
    listener streams it (deploy/nginx.conf).
    """
    path = media_path(media_dir, name)
    if path is None:
        abort(404)
    ext = name.rsplit(".", 1)[1]
    if accel:
        resp = Response(b"", mimetype=MEDIA_TYPES.get(ext, "application/octet-stream"))
        resp.headers["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{name}"
        resp.cache_control.max_age = 31536000
        resp.cache_control.immutable = True
        resp.cache_control.public = True
        return resp
    _one_range(request.environ, path.stat().st_size)
    resp = send_file(path, mimetype=MEDIA_TYPES.get(ext, "application/octet-stream"),
                     conditional=True, etag=True, max_age=31536000)  # sets Accept-Ranges
    resp.cache_control.immutable = True
    resp.cache_control.public = True
    return resp

