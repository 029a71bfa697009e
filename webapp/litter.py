"""What killed imports and alignments leave behind, collected once it is an hour old.

A process killed with SIGKILL (or the machine going down) runs no cleanup. It may leave
`.part` and `.tmp` files in the media folder (a copy or a rendition half written), a
claim on a media file (`Store.claim_media`) whose import never finished, an
`.import-url-*` download folder in the data folder, and `tp-synth-*` folders of the
synthesised reading (up to gigabytes) in the temporary folder. None of these is used
after an hour by anything still running (the newest file inside a folder counts), so
`collect` removes them then; `serve` and `worker` run it at start and every
`INTERVAL` seconds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from webapp.media import remove_media

__all__ = ["INTERVAL", "MAX_AGE", "Collected", "collect", "start_collector"]

#: seconds after which what a process left behind is litter
MAX_AGE = 3600
#: seconds between two collections in a long-running `serve` or `worker`
INTERVAL = 900

_MEDIA_LITTER = (".part", ".tmp")
_TEMP_PREFIXES = ("tp-synth-",)
_DATA_PREFIXES = (".import-url-", ".upload-")  # import-url downloads; uploads being checked


@dataclass
class Collected:
    """What one collection removed (paths, and media names whose claims lapsed)."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    media: list[str] = field(default_factory=list)


def _newest(path: Path) -> float:
    """The latest modification time of `path` or of anything under it."""
    newest = path.lstat().st_mtime
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            try:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
            except FileNotFoundError:
                pass
    return newest


def _old_folders(parent: Path, prefixes: tuple[str, ...], cutoff: float) -> list[Path]:
    try:
        entries = list(parent.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if (entry.name.startswith(prefixes) and entry.is_dir()
                    and not entry.is_symlink() and _newest(entry) < cutoff):
                found.append(entry)
        except FileNotFoundError:
            continue  # removed meanwhile by its own process
    return found


def collect(app: Flask, *, max_age: float = MAX_AGE, temp_dir: Path | None = None,
            now: float | None = None) -> Collected:
    """Remove the litter older than `max_age` seconds of this app's data folder and of
    the temporary folder (`temp_dir`, else the system's)."""
    now = time.time() if now is None else now
    cutoff = now - max_age
    out = Collected()
    media_dir = Path(app.config["MEDIA_DIR"])
    for path in media_dir.glob("*"):
        try:
            if path.name.endswith(_MEDIA_LITTER) and path.is_file() \
                    and path.stat().st_mtime < cutoff:
                path.unlink()
                out.files.append(path)
        except FileNotFoundError:
            continue

    def remove(name: str) -> None:
        if remove_media(media_dir, name):
            out.media.append(name)

    # claims of imports that never finished: their files go unless a recording plays them
    app.extensions["store"].release_media(
        "", remove, older_than=datetime.fromtimestamp(cutoff, UTC))
    temp = Path(temp_dir or tempfile.gettempdir())
    for folder in (_old_folders(temp, _TEMP_PREFIXES, cutoff)
                   + _old_folders(Path(app.config["DATA_DIR"]), _DATA_PREFIXES, cutoff)):
        shutil.rmtree(folder, ignore_errors=True)
        out.folders.append(folder)
    return out


def start_collector(app: Flask, interval: float = INTERVAL) -> threading.Thread:
    """Collect now and then every `interval` seconds, in a daemon thread."""

    def run() -> None:
        while True:
            try:
                collect(app)
            except Exception:  # noqa: BLE001 - a failed sweep must not stop the server
                app.logger.exception("collecting litter failed")
            time.sleep(interval)

    thread = threading.Thread(target=run, name="litter-collector", daemon=True)
    thread.start()
    return thread


