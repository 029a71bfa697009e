"""The texts the benchmarks read, kept as data beside this loader: one TOML file a set, each
value a transcript as a user would upload it (labels, marks and all; its lines unwrapped,
since a line break means something to the transcript reader) or sentences a case says
or leaves out.

    generality.toml  the generality cases (`benchmarks.extra_cases`) and the voice cases
                     (`benchmarks.voice_cases`); the mismatch and word-truth cases read
                     some of them too
    holdout.toml     the held-out cases (`benchmarks.holdout`) and what their background
                     voices read
    mismatch.toml    what the mismatch cases (`benchmarks.mismatch`) add

Each set is loaded once, as a namespace (`texts.generality.PODCAST`), its lists as tuples.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

__all__ = ["generality", "holdout", "load", "mismatch"]

FOLDER = Path(__file__).resolve().parent


def _frozen(value: Any) -> Any:
    """A TOML value with its arrays (and theirs) as tuples."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def load(name: str) -> SimpleNamespace:
    """The set of texts in NAME.toml beside this module."""
    with open(FOLDER / f"{name}.toml", "rb") as f:
        return SimpleNamespace(**{k: _frozen(v) for k, v in tomllib.load(f).items()})


generality = load("generality")
holdout = load("holdout")
mismatch = load("mismatch")
