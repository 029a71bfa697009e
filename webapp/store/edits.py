"""Editors' writes to a recording's sentences, and what the edit history tells the pages.

The rules of an edit (what may change, conflicts, undo) are `webapp.history`'s; the rows
it writes are written here, inside the transaction it opens, so the sentences, their
search index and the ids' redirects change together with the history entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from webapp.store import fulltext
from webapp.store.database import Database, now
from webapp.store.schema import edit_history, sentence_redirects, sentences

__all__ = ["EditStore", "write_sentences"]


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


class EditStore(Database):
    """What the edit history tells the pages."""

    def last_edit(self, recording_id: str) -> int | None:
        """The id of the recording's latest change (`webapp.history`), or None: a page
        made before it is out of date (`webapp.paging.version`)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(edit_history.c.id))
                                .where(edit_history.c.recording_id == recording_id)).scalar()
