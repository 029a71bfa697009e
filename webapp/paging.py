"""A long transcript in parts, the work of laying it out kept, and pages cached by ETag.

A transcript of more than `PAGE_SENTENCES` sentences (config, default 400) is cut into
parts of about that many, at paragraph starts where one comes in time. The player
renders one part: the one holding the quoted sentence (a `?t=` link, a `/s/<id>`
permalink), the one a `?page=N` link names, or the first. Every other part is a
placeholder with a plain link to `?page=N`, so the page reads and pages without
JavaScript; `static/parts.mjs` fetches `/r/<id>/part/<n>` into a placeholder as it
comes into view, or when the audio gets to its time.

What a page needs from a recording's alignment (the sync map, its layout, its parts,
the timeline's segments) is built once per version of that alignment and kept for the
next views (`prepared`). A version is the recording's row (status, alignment time,
title ...) and its latest edit: a re-alignment or an edit makes a new one. Pages of a
ready recording carry an ETag of that version, the page's address, the code's
templates and static files and the visitor's cookies (an editor sees other things);
a conditional GET with it is answered 304 without building anything.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from flask import Response, current_app, g, request

from alignment import Sentence, SyncMap
from webapp.request_helpers import get_store
from webapp.store import RecordingInfo
from webapp.transcript_view import (
    Layout,
    SetAsideBlock,
    Turn,
    lay_out,
    time_order,
    timeline_segments,
)
from webapp.words import page_times

__all__ = [
    "PAGE_SENTENCES", "Part", "Prepared", "not_modified", "page_size", "part_at_time",
    "part_items", "part_of_sentence", "prepared", "requested_page", "set_etag", "split_parts",
    "version",
]

PAGE_SENTENCES = 400  # the default of config["PAGE_SENTENCES"]
CACHE_SIZE = 8  # recordings whose prepared alignment is kept (a 20,000-sentence one ~30 MB)
# A part ends at a paragraph start once it has PAGE_SENTENCES sentences; a paragraph
# longer than that is cut inside at twice as many.
FORCED_CUT = 2


@dataclass(frozen=True)
class Part:
    """Sentences `first` .. `stop - 1` (positions in the sync map), page `number` (from 1).

    `begin` and `end` (ms) bound the times of its sentences found in the audio (of all
    its sentences when none was found): the player loads the part whose time has come.
    """

    number: int
    first: int
    stop: int
    begin: int
    end: int


@dataclass(frozen=True)
class Prepared:
    """A recording's alignment ready for pages: kept per version (see the module doc)."""

    version: str
    syncmap: SyncMap
    layout: Layout
    parts: tuple[Part, ...]
    segments: list[tuple[int, int, str, str, int]]
    positions: dict[str, int]  # sentence id -> position
    time_index: tuple[list[int], list[int], list[int]]  # transcript_view.time_order
    # sentence index -> its words' times as the page carries them, made as pages ask
    _word_times: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    def word_times(self, s: Sentence) -> str:
        """`webapp.words.page_times` of sentence `s`, made once per version (a part of
        a four-hour hearing has some ten thousand words to write out)."""
        found = self._word_times.get(s.index)
        if found is None:
            found = self._word_times[s.index] = page_times(s.words)
        return found


def _bounds(sentences: tuple[Sentence, ...], first: int, stop: int) -> tuple[int, int]:
    found = [s for s in sentences[first:stop] if s.aligned] or list(sentences[first:stop])
    return min(s.begin for s in found), max(s.end for s in found)


def split_parts(sentences: tuple[Sentence, ...], size: int) -> tuple[Part, ...]:
    """The parts of a transcript: one when it has at most `size` sentences."""
    n = len(sentences)
    if n == 0:
        return ()
    cuts = [0]
    for i in range(1, n):
        count = i - cuts[-1]
        new_paragraph = sentences[i].paragraph != sentences[i - 1].paragraph
        if count >= size and (new_paragraph or count >= FORCED_CUT * size) and n - i > size // 4:
            cuts.append(i)
    cuts.append(n)
    return tuple(Part(k + 1, a, b, *_bounds(sentences, a, b))
                 for k, (a, b) in enumerate(itertools.pairwise(cuts)))


def requested_page(value: str | None) -> int | None:
    """The page number a `?page=` link asks for, or None when it is not a number (the
    player then shows the first; a number past the last shows the last)."""
    if value is None or not value.strip().isdigit() or len(value.strip()) > 9:
        return None
    return int(value.strip())


def part_of_sentence(parts: tuple[Part, ...], position: int) -> Part:
    """The part holding the sentence at `position`."""
    for part in parts:
        if position < part.stop:
            return part
    return parts[-1]


def part_at_time(parts: tuple[Part, ...], ms: int) -> Part:
    """The part whose time `ms` is: the last one begun by then (the first before any)."""
    found = parts[0]
    for part in parts:
        if part.begin <= ms:
            found = part
    return found


def part_items(layout: Layout, part: Part, total: int) -> list[Turn | SetAsideBlock]:
    """The layout's items for one part, in order.

    A turn cut by the part's start goes on without its heading (as a continued turn); a
    set-aside block goes with the sentence after it (with the last part at the end).
    """
    items: list[Turn | SetAsideBlock] = []
    pos = 0
    for item in layout.items:
        if not isinstance(item, Turn):
            if part.first <= pos < part.stop or (pos >= total and part.stop == total):
                items.append(item)
            continue
        count = sum(len(p) for p in item.paragraphs)
        if pos < part.stop and pos + count > part.first:
            paragraphs = []
            at = pos
            for para in item.paragraphs:
                a, b = max(part.first - at, 0), min(part.stop - at, len(para))
                if a < b:
                    paragraphs.append(para[a:b])
                at += len(para)
            starts_here = pos >= part.first
            items.append(Turn(speaker=item.speaker, css=item.css,
                              heading=item.heading if starts_here else None,
                              continued=item.continued or not starts_here,
                              paragraphs=paragraphs))
        pos += count
        if pos >= part.stop and part.stop < total:
            break
    return items


# -- the prepared alignment, kept per version ----------------------------------------------

_lock = threading.Lock()
_building: dict[str, threading.Lock] = {}  # recording id -> the lock of its build


def version(rec: RecordingInfo) -> str:
    """What the pages of `rec` are made of, as a short digest (see the module doc);
    looked up once per request."""
    row = repr(tuple(getattr(rec, f.name) for f in fields(RecordingInfo)))
    known = g.setdefault("page_versions", {})
    if (rec.id, row) not in known:  # (a row read again after a change is a new key)
        last_edit = get_store().last_edit(rec.id)
        known[rec.id, row] = hashlib.sha256(repr((row, last_edit)).encode()
                                            ).hexdigest()[:20]
    return known[rec.id, row]


def page_size() -> int:
    """Sentences per part: `PAGE_SENTENCES` in the config (default 400)."""
    return int(current_app.config.get("PAGE_SENTENCES") or PAGE_SENTENCES)


def prepared(rec: RecordingInfo) -> Prepared:
    """The recording's sync map, layout, parts and timeline, built once per version."""
    config = current_app.config
    key = (version(rec), page_size(), config["LOW_CONFIDENCE"])
    # one cache per app (tests make many apps); a hit makes its entry the most recent
    cache: LRUCache = current_app.extensions.setdefault("prepared_pages",
                                                        LRUCache(maxsize=CACHE_SIZE))
    with _lock:  # cachetools' caches are not thread-safe: the lock guards each use
        found = cache.get((rec.id, key))
        if found is not None:
            return found
    # one build per recording at a time: views arriving meanwhile wait for it rather
    # than each building the same thing (sixteen at once cost sixteen times the work)
    with _lock:
        building = _building.setdefault(rec.id, threading.Lock())
    with building:
        with _lock:
            found = cache.get((rec.id, key))
        if found is not None:
            return found
        return _build(rec, key, cache)


def _build(rec: RecordingInfo, key: tuple, cache: LRUCache) -> Prepared:
    syncmap = get_store().load_syncmap(rec)
    layout = lay_out(syncmap)
    result = Prepared(
        version=key[0], syncmap=syncmap, layout=layout,
        parts=split_parts(syncmap.sentences, key[1]),
        segments=timeline_segments(syncmap, layout.speakers, key[2]),
        positions={s.id: i for i, s in enumerate(syncmap.sentences)},
        time_index=time_order(syncmap),
    )
    with _lock:
        for old in [k for k in cache if k[0] == rec.id]:
            del cache[old]  # an older version of this recording is never asked for again
        cache[(rec.id, key)] = result  # the least recently used goes when it is full
    return result


# -- ETags ---------------------------------------------------------------------------

def _code_version() -> str:
    """The templates' and static files' names, sizes and times: a new release (or an
    edited template) changes every page."""
    app = current_app
    stamp = []
    for folder in (app.template_folder, app.static_folder):
        root = Path(app.root_path, folder or "")
        for path in sorted(root.glob("*.*")):
            st = path.stat()
            stamp.append((path.name, st.st_size, st.st_mtime_ns))
    return repr(stamp)


def page_etag(rec: RecordingInfo) -> str | None:
    """The ETag of this request's page of `rec`, or None when it must not be cached
    (a recording still aligning shows its progress)."""
    if rec.status != "ready":
        return None
    parts: list[Any] = [
        version(rec), request.full_path, request.headers.get("HX-Request", ""),
        request.headers.get("Cookie", ""), _code_version(),
        page_size(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def not_modified(rec: RecordingInfo) -> Response | None:
    """A 304 when the request's If-None-Match holds this page's ETag, else None."""
    etag = page_etag(rec)
    if etag is None or not request.if_none_match.contains_weak(etag):
        return None
    resp = Response(status=304)
    _validators(resp, etag)
    return resp


def set_etag(resp: Response, rec: RecordingInfo) -> Response:
    """Give a page of `rec` its ETag, to be revalidated on each view."""
    etag = page_etag(rec)
    if etag is not None and resp.status_code == 200:
        _validators(resp, etag)
    return resp


def _validators(resp: Response, etag: str) -> None:
    resp.set_etag(etag)
    resp.cache_control.no_cache = True
    resp.cache_control.private = True
    resp.vary.update(("Cookie", "HX-Request"))
