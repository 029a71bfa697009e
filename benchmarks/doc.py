"""`docs/benchmarks.md` is written by sections, one per benchmark, so that each command
rewrites its own section and leaves the others alone.

A section is the text between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->``.
"""

from __future__ import annotations

import os
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

HEADER = """# Benchmarks

Each section below is written by the command named at its top; running that command
again rewrites its own section and leaves the others as they are.
"""


def markers(name: str) -> tuple[str, str]:
    """The begin and end markers of section `name`."""
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def update_section(name: str, body: str, path: str | os.PathLike[str] = DOC) -> None:
    """Write `body` (markdown) as section `name` of the document at `path`.

    The section replaces the one with the same markers, or is appended when there is none;
    a missing document is created with a short header.
    """
    p = Path(path)
    begin, end = markers(name)
    block = f"{begin}\n{body.strip()}\n{end}"
    text = p.read_text(encoding="utf-8") if p.exists() else HEADER
    i = text.find(begin)
    j = text.find(end, i + len(begin)) if i >= 0 else -1
    if i >= 0 and j >= 0:
        text = text[:i] + block + text[j + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, p)


def read_section(name: str, path: str | os.PathLike[str] = DOC) -> str | None:
    """The body of section `name`, or None when the document or the section is missing."""
    p = Path(path)
    if not p.exists():
        return None
    text = p.read_text(encoding="utf-8")
    begin, end = markers(name)
    i = text.find(begin)
    j = text.find(end, i + len(begin)) if i >= 0 else -1
    if i < 0 or j < 0:
        return None
    return text[i + len(begin): j].strip()
