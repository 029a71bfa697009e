"""The sync map as JSON: the program's own lossless format and its contract with others.

The document is exactly `SyncMap.to_dict()`:

    {"version": 1, "language": "eng", "audio": {"duration": 12.345, "sha256": "..."},
     "sentences": [{"id", "index", "text", "speaker", "begin", "end", "confidence",
                    "aligned", "paragraph",
                    "words": [{"text", "begin", "end"} (+ "aligned": false if not heard)]}],
     "set_aside": [{"kind", "text", "after"}], "warnings": ["..."],
     "untranscribed": [{"begin", "end"}]}

with times in seconds (three decimals), indented by one space, non-ASCII text as is,
and a final newline.
"""

from __future__ import annotations

import json
import math
from typing import Any

from alignment.syncmap import FORMAT_VERSION, SyncMap

__all__ = ["read", "write"]


def write(syncmap: SyncMap) -> str:
    """The sync map as the JSON document described in this module's docstring."""
    return json.dumps(syncmap.to_dict(), indent=1, ensure_ascii=False) + "\n"


def read(text: str) -> SyncMap:
    """Parse a JSON sync map; a ValueError names the first thing that is wrong, and where."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(
            f"not a JSON sync map: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from None
    _check(data)
    return SyncMap.from_dict(data)


# Checking the shape here, before from_dict, turns a KeyError or TypeError deep inside
# the dataclasses into a message that names the field a person has to fix.

def _check(data: Any) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"not a JSON sync map: expected an object, found {_kind(data)}")
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ValueError(
            f"sync map version {version!r} is not supported; this program reads version "
            f"{FORMAT_VERSION}"
        )
    if "sentences" not in data:
        raise ValueError("not a JSON sync map: there is no \"sentences\" list")
    _optional(data, "language", str, "")
    audio = data.get("audio")
    if audio is not None:
        if not isinstance(audio, dict):
            raise ValueError(f"\"audio\" must be an object, found {_kind(audio)}")
        _time(audio, "duration", "audio", required=False)
        _optional(audio, "sha256", str, "audio.")
    for i, s in enumerate(_list(data, "sentences")):
        where = f"sentences[{i}]"
        if not isinstance(s, dict):
            raise ValueError(f"{where} must be an object, found {_kind(s)}")
        _int(s, "index", where, required=True)
        _required(s, "text", str, where)
        if s.get("speaker") is not None and not isinstance(s["speaker"], str):
            raise ValueError(f"{where}.speaker must be a string or null")
        begin = _time(s, "begin", where, required=True)
        end = _time(s, "end", where, required=True)
        if end < begin:
            raise ValueError(f"{where} ends ({end} s) before it begins ({begin} s)")
        _optional(s, "id", str, where + ".")
        _optional(s, "aligned", bool, where + ".")
        _int(s, "paragraph", where, required=False)
        if "confidence" in s and not _is_number(s["confidence"]):
            raise ValueError(f"{where}.confidence must be a number")
        for j, w in enumerate(_list(s, "words", where + ".")):
            at = f"{where}.words[{j}]"
            if not isinstance(w, dict):
                raise ValueError(f"{at} must be an object, found {_kind(w)}")
            _required(w, "text", str, at)
            if _time(w, "end", at, required=True) < _time(w, "begin", at, required=True):
                raise ValueError(f"{at} ends before it begins")
            _optional(w, "aligned", bool, at + ".")
    for i, b in enumerate(_list(data, "set_aside")):
        where = f"set_aside[{i}]"
        if not isinstance(b, dict):
            raise ValueError(f"{where} must be an object, found {_kind(b)}")
        _required(b, "kind", str, where)
        _required(b, "text", str, where)
        _int(b, "after", where, required=False)
    for i, u in enumerate(_list(data, "untranscribed")):
        where = f"untranscribed[{i}]"
        if not isinstance(u, dict):
            raise ValueError(f"{where} must be an object, found {_kind(u)}")
        if _time(u, "end", where, required=True) < _time(u, "begin", where, required=True):
            raise ValueError(f"{where} ends before it begins")


def _list(d: dict, key: str, prefix: str = "") -> list:
    value = d.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"\"{prefix}{key}\" must be a list, found {_kind(value)}")
    return value


def _required(d: dict, key: str, typ: type, where: str) -> None:
    if key not in d:
        raise ValueError(f"{where} has no \"{key}\"")
    if not isinstance(d[key], typ):
        raise ValueError(f"{where}.{key} must be a {typ.__name__}, found {_kind(d[key])}")


def _optional(d: dict, key: str, typ: type, prefix: str) -> None:
    if key in d and not isinstance(d[key], typ):
        raise ValueError(f"{prefix}{key} must be a {typ.__name__}, found {_kind(d[key])}")


def _int(d: dict, key: str, where: str, *, required: bool) -> None:
    if key not in d:
        if required:
            raise ValueError(f"{where} has no \"{key}\"")
        return
    if isinstance(d[key], bool) or not isinstance(d[key], int):
        raise ValueError(f"{where}.{key} must be a whole number, found {_kind(d[key])}")


def _time(d: dict, key: str, where: str, *, required: bool) -> float:
    if key not in d:
        if required:
            raise ValueError(f"{where} has no \"{key}\" time")
        return 0.0
    value = d[key]
    if not _is_number(value) or value < 0:
        raise ValueError(
            f"{where}.{key} must be a non-negative number of seconds, found {value!r}"
        )
    return float(value)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _kind(value: Any) -> str:
    return {
        dict: "an object", list: "a list", str: "a string", bool: "true/false",
        int: "a number", float: "a number", type(None): "null",
    }.get(type(value), type(value).__name__)
