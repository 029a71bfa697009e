"""The program's own source, served by the program (AGPL-3.0 section 13).

Every page links here, so anyone who uses the player over a network can get the
Corresponding Source of the very code that serves them, wherever it is deployed.
"""

from __future__ import annotations

import io
import tarfile
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app

from webapp.resources import PACKAGE, checkout

bp = Blueprint("source", __name__)

# What makes up the program: the code, its templates and static files, how to build, test
# and benchmark it, and its licence.
PARTS = ("alignment", "webapp", "templates", "static", "tests", "benchmarks", "testsupport",
         "docs", "pyproject.toml", "Makefile", "README.md", "LICENSE", ".ci")
# Installed from the wheel, the program is its two packages (the pages inside webapp/)
INSTALLED_PARTS = ("alignment", "webapp")
_SKIP = {"__pycache__", ".pytest_cache"}


@cache
def source_archive(root: str, parts: tuple[str, ...] = PARTS) -> bytes:
    """A gzipped tar of the program's `parts` under `root` (built once per process)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for part in parts:
            path = Path(root) / part
            if path.exists():
                tar.add(path, arcname=f"transcript-player/{part}",
                        filter=lambda info: None if _SKIP & set(Path(info.name).parts)
                        else info)
    return buffer.getvalue()


@bp.get("/source.tar.gz")
def archive() -> Response:
    """The source of this program as it runs here: the checkout's, or the installed
    packages' (never the rest of site-packages)."""
    root = checkout()
    data = (source_archive(str(root)) if root
            else source_archive(str(PACKAGE.parent), INSTALLED_PARTS))
    return current_app.response_class(
        data, mimetype="application/gzip",
        headers={"Content-Disposition": 'attachment; filename="transcript-player.tar.gz"'},
    )
