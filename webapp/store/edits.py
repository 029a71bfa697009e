"""Editors' writes to a recording's sentences, their history, and the ids they gave up.

The rules of an edit (what may change, conflicts, undo) are `webapp.history`'s; every
read and write they need is here. An edit runs in one `transaction`: the sentence rows,
their search index, the ids' redirects and the history entry change together or not at
all. A history entry keeps the rows it touched before and after, as JSON lists of
`ROW_FIELDS` dicts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from webapp.store import fulltext
from webapp.store.database import Database, now
from webapp.store.schema import edit_history, sentence_redirects, sentences

__all__ = ["ROW_FIELDS", "EditStore", "Row", "change_row", "change_rows", "clean_row",
           "old_ids", "record_change", "redirect_target", "rows_now", "transaction",
           "write_sentences"]

#: the columns of a sentence row a change keeps, before and after (`words`: its words'
#: times as `webapp.words.stored` writes them; a change kept before words were stored
#: has none)
ROW_FIELDS = ("idx", "sid", "text", "speaker", "begin_ms", "end_ms", "confidence", "aligned",
              "paragraph", "words")

Row = dict[str, Any]


def clean_row(row: Mapping[str, Any]) -> Row:
    """A sentence row as a change keeps and compares it: `ROW_FIELDS` alone, the
    confidence rounded, `aligned` a bool, no words an empty string."""
    out = {k: row.get(k, "") if k == "words" else row[k] for k in ROW_FIELDS}
    out["confidence"] = round(float(out["confidence"]), 4)
    out["aligned"] = bool(out["aligned"])
    return out


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One edit's connection: what is written through it is committed when the block
    ends, and none of it when the block raises."""
    with engine.begin() as conn:
        yield conn


def rows_now(conn: Connection, recording_id: str, idxs: Iterable[int] | None = None
             ) -> dict[int, Row]:
    """The recording's sentence rows as they are (those at `idxs`, or all), by index."""
    query = select(*(sentences.c[k] for k in ROW_FIELDS)).where(
        sentences.c.recording_id == recording_id)
    if idxs is not None:
        query = query.where(sentences.c.idx.in_(list(idxs)))
    return {r["idx"]: clean_row(r) for r in conn.execute(query).mappings()}


def write_sentences(conn: Connection, recording_id: str, changed: Mapping[int, Mapping[str, Any]],
                    current: Mapping[int, Mapping[str, Any]]) -> None:
    """Write the sentence rows `changed` (by index; each replaces the row `current` has
    there), a redirect from each id an edit gave up, and the search index when a text
    changed. `current` is every sentence row of the recording as it was."""
    for i, r in changed.items():
        conn.execute(
            update(sentences)
            .where(sentences.c.recording_id == recording_id, sentences.c.idx == i)
            .values(**{k: v for k, v in r.items() if k != "idx"})
        )
        if r["sid"] != current[i]["sid"]:
            _redirect(conn, recording_id, current[i]["sid"], r["sid"])
    if any(r["text"] != current[i]["text"] for i, r in changed.items()):
        texts = {i: r["text"] for i, r in current.items()}
        texts.update({i: r["text"] for i, r in changed.items()})
        fulltext.replace(conn, recording_id, sorted(texts.items()))


def _redirect(conn: Connection, recording_id: str, old: str, new: str) -> None:
    """Make links to `old` lead to `new`, and links that led to `old` lead to `new` too
    (one hop, never a chain). An id that names a sentence again stops redirecting."""
    t = sentence_redirects
    mine = t.c.recording_id == recording_id
    conn.execute(delete(t).where(mine, t.c.old_sid.in_([old, new])))
    conn.execute(update(t).where(mine, t.c.new_sid == old).values(new_sid=new))
    conn.execute(insert(t).values(recording_id=recording_id, old_sid=old, new_sid=new,
                                  created_at=now()))


def record_change(conn: Connection, recording_id: str, *, kind: str, editor: str,
                  created_at: datetime, summary: str, before: list[Row], after: list[Row],
                  undoes: int | None, revives: int | None) -> int:
    """Add a history entry (its id back); mark the change it `undoes` undone by it, and
    the change it `revives` (a redo's) standing again."""
    change_id = conn.execute(
        insert(edit_history).values(
            recording_id=recording_id, kind=kind, editor=editor, created_at=created_at,
            summary=summary, before=json.dumps(before), after=json.dumps(after),
            undoes=undoes, undone_by=None,
        )
    ).inserted_primary_key[0]
    if undoes is not None:
        conn.execute(update(edit_history).where(edit_history.c.id == undoes)
                     .values(undone_by=change_id))
    if revives is not None:
        conn.execute(update(edit_history).where(edit_history.c.id == revives)
                     .values(undone_by=None))
    return int(change_id)


def _entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """A history row with its rows before and after read back from JSON."""
    return {**row, "before": json.loads(row["before"]), "after": json.loads(row["after"])}


def change_rows(engine: Engine, recording_id: str, limit: int) -> list[dict[str, Any]]:
    """The recording's history entries, newest first, at most `limit`."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(edit_history).where(edit_history.c.recording_id == recording_id)
            .order_by(edit_history.c.id.desc()).limit(limit)
        ).mappings().all()
    return [_entry(r) for r in rows]


def change_row(engine: Engine, recording_id: str, change_id: int) -> dict[str, Any] | None:
    """One history entry of the recording, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(edit_history).where(edit_history.c.id == change_id,
                                       edit_history.c.recording_id == recording_id)
        ).mappings().first()
    return _entry(row) if row else None


def redirect_target(engine: Engine, recording_id: str, sid: str) -> str | None:
    """The id a sentence that used to be called `sid` has now, or None."""
    t = sentence_redirects
    with engine.connect() as conn:
        return conn.execute(
            select(t.c.new_sid).where(t.c.recording_id == recording_id, t.c.old_sid == sid)
        ).scalar()


def old_ids(engine: Engine, recording_id: str) -> dict[str, list[str]]:
    """For each sentence id that has former ids, those ids (for the page's anchors)."""
    t = sentence_redirects
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for old, new in conn.execute(
            select(t.c.old_sid, t.c.new_sid).where(t.c.recording_id == recording_id)
            .order_by(t.c.created_at)
        ):
            out.setdefault(new, []).append(old)
    return out


class EditStore(Database):
    """What the edit history tells the pages."""

    def last_edit(self, recording_id: str) -> int | None:
        """The id of the recording's latest change (`webapp.history`), or None: a page
        made before it is out of date (`webapp.paging.version`)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(edit_history.c.id))
                                .where(edit_history.c.recording_id == recording_id)).scalar()
