"""What editors changed: every change to a recording's sentences, kept and undoable, and
the redirects that keep an edited sentence's old id working.

A change is a set of sentence rows (by their index) before and after, with who made it
and when. It is written in the same transaction as the rows themselves and the search
index, so the history never says something the sentences do not show. Undoing a change
writes its "before" rows back as a new change (so an undo is itself undoable), and only
while the rows are still as that change left them: a later change to the same sentences
has to be undone first.

A sentence's id comes from its words (`alignment.syncmap.sentence_id`), so editing its
text gives it a new id. The old id is kept as a redirect to the new one: the permalink
`/r/<rid>/s/<old>` answers with a redirect, and the page keeps an anchor for `#<old>`.

Every read and write is `webapp.store.edits`'s (the tables are `webapp.store.schema`'s
`edit_history` and `sentence_redirects`, made by migration 0004); this module decides
what is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alignment import Sentence
from webapp.store.database import Engine
from webapp.store.edits import (
    Row,
    change_row,
    change_rows,
    clean_row,
    old_ids,
    record_change,
    redirect_target,
    rows_now,
    transaction,
    write_sentences,
)
from webapp.words import fits, stored

# old_ids and redirect_target, the store's reads of the ids an edit gave up, are named
# here too: the pages ask the history for them
__all__ = [
    "Change", "Conflict", "Stale", "apply_change", "get_change", "list_changes", "old_ids",
    "redirect_target", "row_of", "steps", "undo_change",
]


class Conflict(Exception):
    """A change that cannot be made as asked; the message says why and what to do."""


class Stale(Conflict):
    """The sentences a change was worked out from have changed since."""


@dataclass(frozen=True)
class Change:
    """One change to a recording's sentences: who, when, what, before and after."""

    id: int
    recording_id: str
    kind: str
    editor: str
    created_at: datetime
    summary: str
    before: tuple[Row, ...]
    after: tuple[Row, ...]
    undoes: int | None
    undone_by: int | None


def _now() -> datetime:
    return datetime.now(UTC)


def row_of(s: Sentence) -> Row:
    """A sentence as a row dict (`webapp.store.edits.ROW_FIELDS`)."""
    return {"idx": s.index, "sid": s.id, "text": s.text, "speaker": s.speaker,
            "begin_ms": int(s.begin), "end_ms": int(s.end),
            "confidence": round(float(s.confidence), 4), "aligned": bool(s.aligned),
            "paragraph": s.paragraph, "words": stored(s.words, s.text)}


def _change(row: Mapping[str, Any]) -> Change:
    return Change(
        id=row["id"], recording_id=row["recording_id"], kind=row["kind"],
        editor=row["editor"], created_at=row["created_at"], summary=row["summary"],
        before=tuple(row["before"]), after=tuple(row["after"]),
        undoes=row["undoes"], undone_by=row["undone_by"],
    )


def apply_change(
    engine: Engine,
    recording_id: str,
    *,
    kind: str,
    editor: str,
    summary: str,
    after: Iterable[Row],
    expect: Mapping[int, Row] | None = None,
    undoes: int | None = None,
    revives: int | None = None,
) -> Change:
    """Write the sentence rows `after` (each replaces the row at its index), the search
    index, the id redirects and the history entry, in one transaction.

    `undoes` is the change this one undoes (marked undone by it); `revives`, for a redo,
    the change whose undo this one undoes (it stands again, so Undo may take it back).

    `expect`, when given, is what the caller read before working out `after` (say,
    before a re-alignment that took seconds): if any of those rows changed meanwhile,
    nothing is written and `Conflict` says so. Rows equal to what is stored are left
    out of the change; a change that changes nothing raises `Conflict` too.
    """
    wanted = {r["idx"]: clean_row(r) for r in after}
    with transaction(engine) as conn:
        current = rows_now(conn, recording_id)
        for i, r in wanted.items():
            if (i in current and r["text"] != current[i]["text"] and r["words"]
                    and (r["words"] == current[i]["words"] or not fits(r["words"], r["text"]))):
                # new words with the old words' times: those times were found for other
                # words, so the sentence has none until it is aligned again
                r["words"] = ""
        missing = sorted(set(wanted) - set(current))
        if missing:
            raise Conflict(f"sentence {missing[0] + 1} is no longer in this recording; "
                           "reload the page")
        if expect is not None and any(current.get(i) != clean_row(r) for i, r in expect.items()):
            raise Stale("someone changed these sentences while this change was being "
                           "made; reload the page and make it again")
        changed = {i: r for i, r in wanted.items() if current[i] != r}
        if not changed:
            raise Conflict("that changes nothing")
        _check_ids(current, changed)
        # the rows, their ids' redirects and the search index: the store writes them
        write_sentences(conn, recording_id, changed, current)
        before = [current[i] for i in sorted(changed)]
        now = _now()
        change_id = record_change(
            conn, recording_id, kind=kind, editor=editor, created_at=now, summary=summary,
            before=before, after=[changed[i] for i in sorted(changed)], undoes=undoes,
            revives=revives)
    return Change(id=change_id, recording_id=recording_id, kind=kind, editor=editor,
                  created_at=now, summary=summary, before=tuple(before),
                  after=tuple(changed[i] for i in sorted(changed)), undoes=undoes,
                  undone_by=None)


def _check_ids(current: Mapping[int, Row], changed: Mapping[int, Row]) -> None:
    """Refuse two sentences with one id: a permalink must name one sentence."""
    ids = {i: r["sid"] for i, r in current.items()}
    ids.update({i: r["sid"] for i, r in changed.items()})
    seen: dict[str, int] = {}
    for i in sorted(ids):
        if ids[i] in seen:
            raise Conflict(f"sentences {seen[ids[i]] + 1} and {i + 1} would have the same id; "
                           "undo the later change first")
        seen[ids[i]] = i


def steps(changes: list[Change]) -> tuple[int | None, int | None]:
    """The ids of the change Undo takes back and of the undo Redo takes back, in
    `changes` (newest first), or None: Undo walks back through the edits still standing
    (never undoing an undo), Redo forward through the undos made since the last edit."""
    edits = [c for c in changes if c.kind not in ("undo", "redo")]
    undo_id = next((c.id for c in edits if c.undone_by is None), None)
    last_edit = edits[0].id if edits else 0
    redo_id = next((c.id for c in changes if c.kind == "undo" and c.undone_by is None
                    and c.id > last_edit), None)
    return undo_id, redo_id


def list_changes(engine: Engine, recording_id: str, limit: int = 200) -> list[Change]:
    """The recording's changes, newest first."""
    return [_change(r) for r in change_rows(engine, recording_id, limit)]


def get_change(engine: Engine, recording_id: str, change_id: int) -> Change | None:
    """One change of the recording, or None."""
    row = change_row(engine, recording_id, change_id)
    return _change(row) if row else None


def undo_change(engine: Engine, recording_id: str, change_id: int, editor: str) -> Change:
    """Put back what change `change_id` replaced, recorded as a change of its own.

    Conflict when it was undone already, or when a later change touched the same
    sentences (that one is to be undone first).
    """
    change = get_change(engine, recording_id, change_id)
    if change is None:
        raise LookupError(f"there is no change {change_id} in this recording")
    if change.undone_by is not None:
        raise Conflict("that change was undone already")
    expect = {r["idx"]: r for r in change.after}
    # undoing an undo is a redo: the change it undid stands again (and is the next Undo)
    redo = change.kind == "undo"
    original = change.summary.removeprefix("Undid: ")
    try:
        return apply_change(
            engine, recording_id, kind="redo" if redo else "undo", editor=editor,
            summary=f"Redid: {original}" if redo else f"Undid: {change.summary}",
            after=change.before, expect=expect, undoes=change.id,
            revives=change.undoes if redo else None,
        )
    except Stale:
        raise Conflict("a later change touched the same sentences; undo that one "
                       "first") from None
