"""The editors' history and id redirects (webapp.history) on SQLite and on PostgreSQL:
`app` here is parametrised over both (tests/store/conftest.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alignment.syncmap import sentence_id
from tests.helpers import add_reading
from webapp.history import (
    Conflict,
    apply_change,
    list_changes,
    old_ids,
    redirect_target,
    row_of,
    undo_change,
)
from webapp.store.schema import edit_history, sentence_redirects


def test_a_change_its_redirect_its_search_and_its_undo(app, speech) -> None:
    store = app.extensions["store"]
    rid, syncmap = add_reading(app, speech)
    s = syncmap.sentences[3]
    new = replace(s, text="The kiosk on the pier opens at ten.",
                  id=sentence_id("The kiosk on the pier opens at ten."))
    change = apply_change(store.engine, rid, kind="text", editor="dana", summary="words",
                          after=[row_of(new)], expect={s.index: row_of(s)})
    rec = store.get_recording_info(rid)
    assert store.load_syncmap(rec).sentences[3] == new
    assert redirect_target(store.engine, rid, s.id) == new.id
    assert old_ids(store.engine, rid) == {new.id: [s.id]}
    hits, _ = store.search("kiosk", rid)
    assert [h.sentence_id for h in hits] == [new.id]
    assert store.search("café", rid)[1] == 0
    [listed] = list_changes(store.engine, rid)
    assert (listed.editor, listed.before, listed.after) == ("dana", (row_of(s),), (row_of(new),))

    undo = undo_change(store.engine, rid, change.id, "lee")
    assert store.load_syncmap(rec).sentences == syncmap.sentences
    assert redirect_target(store.engine, rid, new.id) == s.id
    assert redirect_target(store.engine, rid, s.id) is None  # a live id again
    assert store.search("café", rid)[1] == 1
    assert [c.id for c in list_changes(store.engine, rid)] == [undo.id, change.id]
    assert list_changes(store.engine, rid)[1].undone_by == undo.id
    with pytest.raises(Conflict):
        undo_change(store.engine, rid, change.id, "lee")


def test_deleting_a_recording_takes_its_history_and_redirects(app, speech) -> None:
    store = app.extensions["store"]
    rid, syncmap = add_reading(app, speech)
    s = syncmap.sentences[0]
    apply_change(store.engine, rid, kind="text", editor="dana", summary="words",
                 after=[row_of(replace(s, text="Hello.", id=sentence_id("Hello.")))])
    assert store.delete_recording(rid, lambda name: None)
    with store.engine.connect() as conn:
        for table in (edit_history, sentence_redirects):
            assert conn.execute(table.select()).first() is None
