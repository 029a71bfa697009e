"""Where the program's own files are: its pages (templates/, static/) and its source.

The design keeps `templates/` and `static/` at the top of the checkout, beside the
packages. The wheel carries them inside this package, as `webapp/templates` and
`webapp/static` (pyproject.toml's package-dir maps them there). So both are found from
this package, never from the working directory: its own folder when installed from the
wheel, else the checkout it sits in (a clone, or `pip install -e .`, which runs the
checkout in place).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

__all__ = ["PACKAGE", "checkout", "pages_folder"]

#: this package's folder: in site-packages when installed, in the checkout when not
PACKAGE = Path(__file__).resolve().parent


def pages_folder(name: Literal["templates", "static"]) -> Path:
    """The folder of the templates or of the static files, inside the package when the
    wheel put it there, else at the top of the checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def checkout() -> Path | None:
    """The checkout the program runs from, or None when it is installed from the wheel."""
    root = PACKAGE.parent
    if (root / "pyproject.toml").is_file() and (root / "templates").is_dir():
        return root
    return None
