"""Correcting a recording through the web app: words (re-aligned with the real aligner on
the stretch around them), speakers, times, the history with undo, id redirects, delete,
and who may do it.

The reading's sentence times are known exactly (tests/helpers.py synthesises it), so a
re-alignment is checked against the truth.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from alignment import SyncMap
from tests.helpers import Speech, add_reading
from webapp.auth import hash_password
from webapp.store.schema import edit_history, sentence_redirects

HX = {"HX-Request": "true"}
JSON = {"Accept": "application/json"}


def login(app, client, name: str = "dana", password: str = "correct horse") -> str:
    """Make `name` an editor, log the client in, and return the session's CSRF token."""
    app.extensions["users"].set(name, hash_password(password))
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    resp = client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": token})
    assert resp.status_code == 303
    return csrf(client)


def csrf(client) -> str:
    """The session's CSRF token, as the login form carries it."""
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def stored(app, rid: str) -> SyncMap:
    store = app.extensions["store"]
    return store.load_syncmap(store.get_recording_info(rid))


@pytest.fixture
def editor(app, client):
    """A logged-in editor's client and CSRF token."""
    return client, login(app, client)


@pytest.fixture
def misplaced(app, speech: Speech) -> tuple[str, SyncMap, SyncMap]:
    """The reading stored with sentence 3 ("Thank you for having me.") placed 450 ms late
    and its neighbours exact: (id, the truth, what is stored)."""
    rid, truth = add_reading(app, speech)
    wrong = list(truth.sentences)
    s = wrong[2]
    wrong[2] = replace(s, begin=s.begin + 450, end=s.end + 450)
    stored_map = replace(truth, sentences=tuple(wrong))
    app.extensions["store"].save_alignment(rid, stored_map)
    return rid, truth, stored_map


# ------------------------------------------------------------------------- words

def test_new_words_realign_only_the_stretch_between_trusted_neighbours(app, editor, misplaced):
    client, token = editor
    rid, truth, before = misplaced
    old = before.sentences[2]
    resp = client.post(f"/r/{rid}/s/{old.id}/edit", headers=HX, data={
        "text": "Thank you for having us.", "speaker": "Guest", "csrf_token": token})
    assert resp.status_code == 200, resp.text
    trigger = json.loads(resp.headers["HX-Trigger-After-Settle"])["transcript-edited"]
    assert trigger["play"] and not trigger["warn"] and trigger["message"] == "Saved and re-aligned."
    after = stored(app, rid)
    edited = after.sentences[2]
    assert edited.text == "Thank you for having us."
    assert edited.id != old.id and trigger["sid"] == edited.id
    # the real aligner found it again, near where it is said (it was 450 ms off)
    true = truth.sentences[2]
    assert abs(edited.begin - true.begin) <= 150
    assert abs(edited.end - true.end) <= 400
    assert edited.aligned
    # ... inside the stretch between its neighbours, which did not move, ids and all
    assert after.sentences[1].end <= edited.begin < edited.end <= after.sentences[3].begin
    for a, b in zip(before.sentences, after.sentences, strict=True):
        if a.index != 2:
            assert a == b
    # the page's answer is the new transcript: the new words under the new id
    assert f'id="{edited.id}"' in resp.text and "having us." in resp.text
    # and the search index has the new words, not the old
    hits, _ = app.extensions["store"].search("us", rid)
    assert [h.sentence_id for h in hits if h.index == 2] == [edited.id]


def test_an_edited_sentence_old_id_redirects_and_stays_an_anchor(app, editor, misplaced):
    client, token = editor
    rid, _, before = misplaced
    old = before.sentences[2]
    client.post(f"/r/{rid}/s/{old.id}/edit", data={
        "text": "Thank you for having us.", "speaker": "Guest", "csrf_token": token})
    new = stored(app, rid).sentences[2]
    resp = client.get(f"/r/{rid}/s/{old.id}")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/r/{rid}/s/{new.id}")
    page = client.get(f"/r/{rid}").text
    assert f'<span class="sid-alias" id="{old.id}" data-sid="{new.id}"></span>' in page
    assert "old-ids.mjs" in page
    # a second edit sends the first id straight to the newest, never through a chain
    client.post(f"/r/{rid}/s/{new.id}/edit", data={
        "text": "Thanks for having us.", "speaker": "Guest", "csrf_token": token})
    newest = stored(app, rid).sentences[2]
    assert client.get(f"/r/{rid}/s/{old.id}").headers["Location"].endswith(newest.id)
    assert client.get(f"/r/{rid}/s/{new.id}").headers["Location"].endswith(newest.id)
    # an id never used answers 404 as before
    assert client.get(f"/r/{rid}/s/s-0000000000").status_code == 404


def test_words_not_found_in_the_audio_are_saved_with_a_warning(app, editor, recording):
    client, token = editor
    rid, before = recording
    prev, s, nxt = before.sentences[2:5]
    # its neighbours are moved over it by hand: 100 ms are left between them
    for sid, data in ((prev.id, {"end": f"{(s.end - 100) / 1000:.3f}"}),
                      (nxt.id, {"begin": f"{s.end / 1000:.3f}"})):
        resp = client.post(f"/r/{rid}/s/{sid}/timing", headers=JSON,
                           data={**data, "csrf_token": token})
        assert resp.status_code == 200, resp.text
    resp = client.post(f"/r/{rid}/s/{s.id}/edit", headers=HX, data={
        "text": "The kiosk opens at ten.", "speaker": "Guest", "csrf_token": token})
    trigger = json.loads(resp.headers["HX-Trigger-After-Settle"])["transcript-edited"]
    assert trigger["warn"] and "not found in the audio" in trigger["message"]
    after = stored(app, rid).sentences[3]
    assert after.text == "The kiosk opens at ten." and not after.aligned
    assert (after.begin, after.end) == (s.end - 100, s.end)
    assert 'class="s unaligned"' in resp.text


def test_a_speaker_change_touches_one_sentence_and_realigns_nothing(app, editor, recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[4]
    resp = client.post(f"/r/{rid}/s/{s.id}/edit", headers=HX,
                       data={"text": s.text, "speaker": "Producer", "csrf_token": token})
    assert resp.status_code == 200
    after = stored(app, rid)
    assert after.sentences[4] == replace(s, speaker="Producer")
    assert [x for x in after.sentences if x.index != 4] == \
        [x for x in before.sentences if x.index != 4]
    assert "Producer" in resp.text


def test_rename_a_speaker_everywhere(app, editor, recording):
    client, token = editor
    rid, before = recording
    resp = client.post(f"/r/{rid}/speakers", headers=HX,
                       data={"old": "Guest", "new": "Dr Amira Osei", "csrf_token": token})
    assert resp.status_code == 200
    after = stored(app, rid)
    guests = [s.index for s in before.sentences if s.speaker == "Guest"]
    assert guests and [s.index for s in after.sentences if s.speaker == "Dr Amira Osei"] == guests
    assert "Guest" not in after.speakers
    # the same from the sentence's own form, with "everywhere"
    s = after.sentences[0]
    client.post(f"/r/{rid}/s/{s.id}/edit", data={
        "text": s.text, "speaker": "Presenter", "everywhere": "on", "csrf_token": token})
    assert stored(app, rid).speakers == ["Presenter", "Dr Amira Osei"]
    # the renamed speaker is offered in the answer's fresh speaker list
    assert '<option value="Dr Amira Osei">' in resp.text


def test_new_words_and_a_speaker_renamed_everywhere_are_one_change(app, editor, recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[5]
    resp = client.post(f"/r/{rid}/s/{s.id}/edit", data={
        "text": "That is all for this week.", "speaker": "Anchor", "everywhere": "on",
        "csrf_token": token})
    assert resp.status_code == 303
    after = stored(app, rid)
    assert after.sentences[5].text == "That is all for this week."
    assert [x.speaker for x in after.sentences] == \
        ["Anchor" if x.speaker == "Host" else x.speaker for x in before.sentences]
    history = client.get(f"/r/{rid}/history").text
    assert history.count('class="change ') == 1
    assert "renamed “Anchor” everywhere (3 sentences)" in history


@pytest.mark.parametrize("field, value, message", [
    ("text", "   ", "The sentence is empty"),
    ("text", "word " * 500, "longer than 2000 characters"),
    ("speaker", "x" * 200, "at most 120 characters"),
])
def test_bad_words_are_refused_and_nothing_changes(app, editor, recording, field, value,
                                                   message):
    client, token = editor
    rid, before = recording
    s = before.sentences[1]
    data = {"text": s.text, "speaker": s.speaker, "csrf_token": token, field: value}
    resp = client.post(f"/r/{rid}/s/{s.id}/edit", data=data)
    assert resp.status_code == 400
    assert message in resp.text
    assert stored(app, rid).sentences == before.sentences


def test_the_sentence_form_inline_and_as_a_page(app, editor, recording):
    client, _ = editor
    rid, syncmap = recording
    s = syncmap.sentences[3]
    inline = client.get(f"/r/{rid}/s/{s.id}/edit", headers=HX)
    assert inline.status_code == 200
    assert inline.text.lstrip().startswith('<form class="s-edit"')
    assert 'hx-post=' in inline.text and 'name="csrf_token"' in inline.text
    assert s.text in inline.text
    page = client.get(f"/r/{rid}/s/{s.id}/edit")
    assert "<html" in page.text and 'name="begin"' in page.text and "hx-post" not in page.text
    assert client.get(f"/r/{rid}/s/s-0000000000/edit").status_code == 404


# ------------------------------------------------------------------------- times

def test_moving_a_start_saves_it_and_answers_json(app, editor, recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[3]
    resp = client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON, data={
        "begin": f"{(s.begin + 250) / 1000:.3f}", "end": f"{s.end / 1000:.3f}",
        "csrf_token": token})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["sentences"] == [{"id": s.id, "begin": (s.begin + 250) / 1000,
                                  "end": s.end / 1000, "css": "", "words": ""}]
    assert f'data-sid="{s.id}"' in data["segments"] and f'x="{s.begin + 250}"' in data["segments"]
    after = stored(app, rid)
    assert after.sentences[3].begin == s.begin + 250
    assert after.sentences[3].id == s.id  # the words did not change, nor the link
    # a plain form goes back to the page, at the sentence
    resp = client.post(f"/r/{rid}/s/{s.id}/timing",
                       data={"begin": "0:08.000", "csrf_token": token})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"#{s.id}")
    assert stored(app, rid).sentences[3].begin == 8000


def test_a_neighbour_that_touched_or_is_overlapped_moves_along(app, editor, recording):
    client, token = editor
    rid, before = recording
    s, nxt = before.sentences[1], before.sentences[2]
    # the end pushed past the next sentence's start takes that start along
    resp = client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON, data={
        "end": f"{(nxt.begin + 200) / 1000:.3f}", "csrf_token": token})
    assert resp.status_code == 200
    moved = {m["id"]: m for m in resp.get_json()["sentences"]}
    assert set(moved) == {s.id, nxt.id}
    after = stored(app, rid)
    assert after.sentences[1].end == after.sentences[2].begin == nxt.begin + 200
    # now they touch: pulling the end back pulls the start of the next one too
    client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON,
                data={"end": f"{(s.end + 100) / 1000:.3f}", "csrf_token": token})
    again = stored(app, rid)
    assert again.sentences[1].end == again.sentences[2].begin == s.end + 100
    # a gap stays a gap: the sentence before did not move at any point
    assert again.sentences[0] == before.sentences[0]


@pytest.mark.parametrize("data, message", [
    ({"begin": "soon"}, "is not a time"),
    ({"begin": "9", "end": "8"}, "start before the end"),
    ({"end": "99999"}, "within the recording"),
])
def test_impossible_times_are_refused(app, editor, recording, data, message):
    client, token = editor
    rid, before = recording
    s = before.sentences[3]
    resp = client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON,
                       data={**data, "csrf_token": token})
    assert resp.status_code == 400 and message in resp.text
    assert stored(app, rid).sentences == before.sentences


def test_a_move_that_would_crush_a_neighbour_is_refused(app, editor, recording):
    client, token = editor
    rid, before = recording
    s, prev = before.sentences[3], before.sentences[2]
    resp = client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON, data={
        "begin": f"{(prev.begin + 50) / 1000:.3f}", "csrf_token": token})
    assert resp.status_code == 400 and "shorter than 100 ms" in resp.text
    assert stored(app, rid).sentences == before.sentences


# ------------------------------------------------------------------------- history

def test_every_change_is_kept_with_who_when_before_after_and_can_be_undone(app, editor,
                                                                          recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[3]
    client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON,
                data={"begin": f"{(s.begin + 100) / 1000:.3f}", "csrf_token": token})
    client.post(f"/r/{rid}/speakers", data={"old": "Host", "new": "Anchor",
                                            "csrf_token": token})
    page = client.get(f"/r/{rid}/history")
    assert page.status_code == 200
    text = page.text
    assert text.index("Speaker “Host” renamed “Anchor” (3 sentences)") < \
        text.index("Sentence 4: start")
    assert text.count("dana ·") == 2 and "UTC</time>" in text
    assert "speaker “Host”" in text and "speaker “Anchor”" in text  # before and after
    ids = [int(n) for n in re.findall(r'data-change="(\d+)"', text)]
    assert len(ids) == 2
    # undo the rename (the newest): the speakers come back, the undo is itself a change
    resp = client.post(f"/r/{rid}/history/{ids[0]}/undo", headers=HX,
                       data={"csrf_token": token})
    assert resp.status_code == 200
    assert stored(app, rid).speakers == ["Host", "Guest"]
    panel = client.get(f"/r/{rid}/history", headers=HX).text
    assert panel.lstrip().startswith('<ol class="changes">')
    assert "Undid: Speaker “Host” renamed “Anchor”" in panel
    assert panel.count("change-undone") == 1
    # undone once is undone: a second undo of it is refused
    again = client.post(f"/r/{rid}/history/{ids[0]}/undo", data={"csrf_token": token})
    assert again.status_code == 409 and "undone already" in again.text
    # undoing the move too gives back exactly what was stored at first
    client.post(f"/r/{rid}/history/{ids[1]}/undo", data={"csrf_token": token})
    assert stored(app, rid).sentences == before.sentences


def test_undo_walks_back_through_the_history_and_redo_forward(app, editor, recording):
    from webapp.history import list_changes, steps

    client, token = editor
    rid, before = recording
    s = before.sentences[3]
    engine = app.extensions["store"].engine
    for ms in (100, 200, 300):  # three moves of the same start
        client.post(f"/r/{rid}/s/{s.id}/timing", headers=JSON,
                    data={"begin": f"{(s.begin + ms) / 1000:.3f}", "csrf_token": token})

    def undo_step(which: int) -> None:
        target = steps(list_changes(engine, rid))[which]
        assert target is not None
        assert client.post(f"/r/{rid}/history/{target}/undo",
                           data={"csrf_token": token}).status_code in (200, 303)

    for expected in (200, 100, 0):  # Undo, Undo, Undo: one step back each time
        undo_step(0)
        assert stored(app, rid).sentences[3].begin == s.begin + expected
    assert steps(list_changes(engine, rid))[0] is None  # nothing left to undo
    undo_step(1)  # Redo
    assert stored(app, rid).sentences[3].begin == s.begin + 100
    undo_step(1)  # Redo again
    assert stored(app, rid).sentences[3].begin == s.begin + 200
    undo_step(0)  # and Undo takes the redone move back
    assert stored(app, rid).sentences[3].begin == s.begin + 100
    panel = client.get(f"/r/{rid}/history", headers=HX).text
    assert "Undid: Undid" not in panel and "Redid: Sentence 4" in panel
    assert panel.count("next-undo") == 1 and panel.count('class="redo') == 1


def test_undo_waits_for_a_later_change_to_the_same_sentences(app, editor, recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[2]
    client.post(f"/r/{rid}/s/{s.id}/edit", data={"text": s.text, "speaker": "Caller",
                                                 "csrf_token": token})
    client.post(f"/r/{rid}/speakers", data={"old": "Caller", "new": "Listener",
                                            "csrf_token": token})
    first, second = sorted(int(n) for n in re.findall(
        r'data-change="(\d+)"', client.get(f"/r/{rid}/history").text))
    resp = client.post(f"/r/{rid}/history/{first}/undo", data={"csrf_token": token})
    assert resp.status_code == 409 and "undo that one first" in resp.text
    assert stored(app, rid).sentences[2].speaker == "Listener"
    client.post(f"/r/{rid}/history/{second}/undo", data={"csrf_token": token})
    assert client.post(f"/r/{rid}/history/{first}/undo",
                       data={"csrf_token": token}).status_code == 303
    assert stored(app, rid).sentences == before.sentences


def test_undoing_new_words_gives_the_old_id_back(app, editor, misplaced):
    client, token = editor
    rid, _, before = misplaced
    old = before.sentences[2]
    client.post(f"/r/{rid}/s/{old.id}/edit", data={
        "text": "Thank you for having us.", "speaker": "Guest", "csrf_token": token})
    new = stored(app, rid).sentences[2]
    change = re.search(r'data-change="(\d+)"', client.get(f"/r/{rid}/history").text).group(1)
    client.post(f"/r/{rid}/history/{change}/undo", data={"csrf_token": token})
    assert stored(app, rid).sentences == before.sentences
    assert client.get(f"/r/{rid}/s/{old.id}").status_code == 200
    assert client.get(f"/r/{rid}/s/{new.id}").headers["Location"].endswith(old.id)


def test_an_undo_page_form_goes_back_to_the_history(app, editor, recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[0]
    client.post(f"/r/{rid}/s/{s.id}/edit", data={"text": s.text, "speaker": "Anchor",
                                                 "csrf_token": token})
    change = re.search(r'data-change="(\d+)"', client.get(f"/r/{rid}/history").text).group(1)
    resp = client.post(f"/r/{rid}/history/{change}/undo",
                       data={"csrf_token": token, "back": "history"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/r/{rid}/history")
    assert client.post(f"/r/{rid}/history/999/undo",
                       data={"csrf_token": token}).status_code == 404


# ------------------------------------------------------------------------- delete

def _media(app) -> set[str]:
    return {p.name for p in Path(app.config["MEDIA_DIR"]).iterdir()}


def test_delete_asks_first_then_removes_the_recording_and_its_media(app, editor, speech):
    client, token = editor
    rid, _ = add_reading(app, speech, title="First")
    twin, _ = add_reading(app, speech, title="Second")  # the same audio file
    media = _media(app)
    assert media
    s = stored(app, rid).sentences[0]
    client.post(f"/r/{rid}/speakers", data={"old": "Host", "new": "A", "csrf_token": token})
    client.post(f"/r/{rid}/s/{s.id}/edit", data={"text": "Welcome, all.", "speaker": "A",
                                                 "csrf_token": token})
    confirm = client.get(f"/r/{rid}/delete")
    assert confirm.status_code == 200
    assert "Delete “<bdi>First</bdi>”?" in confirm.text and "6 sentences" in confirm.text
    assert 'name="csrf_token"' in confirm.text
    assert app.extensions["store"].get_recording_info(rid) is not None  # asking deletes nothing
    resp = client.post(f"/r/{rid}/delete", data={"csrf_token": token})
    assert resp.status_code == 303
    assert client.get(f"/r/{rid}").status_code == 404
    engine = app.extensions["store"].engine
    with engine.connect() as conn:
        for table in (edit_history, sentence_redirects):
            assert conn.execute(table.select().where(table.c.recording_id == rid)).first() \
                is None
    assert _media(app) == media  # the other recording still plays it
    assert client.get(f"/r/{twin}").status_code == 200
    resp = client.post(f"/r/{twin}/delete", headers=HX, data={"csrf_token": token})
    assert resp.headers["HX-Redirect"].startswith("/")
    assert _media(app) == set()
    assert client.post(f"/r/{twin}/delete", data={"csrf_token": token}).status_code == 404


# ------------------------------------------------------------------------- who may

def test_listeners_see_no_editing_and_may_change_nothing(app, client, recording):
    rid, before = recording
    s = before.sentences[1]
    page = client.get(f"/r/{rid}").text
    assert "edit-bar" not in page and "editor.mjs" not in page and "Delete this" not in page
    token = csrf(client)  # a session's token, but no editor behind it
    for path, data in (
        (f"/r/{rid}/s/{s.id}/edit", {"text": "Changed.", "speaker": "X"}),
        (f"/r/{rid}/s/{s.id}/timing", {"begin": "1"}),
        (f"/r/{rid}/speakers", {"old": "Host", "new": "X"}),
        (f"/r/{rid}/history/1/undo", {}),
        (f"/r/{rid}/delete", {}),
    ):
        resp = client.post(path, data={**data, "csrf_token": token})
        assert resp.status_code == 403, path
        assert "/login" in resp.text
    for path in (f"/r/{rid}/s/{s.id}/edit", f"/r/{rid}/history", f"/r/{rid}/delete"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/login?next=" in resp.headers["Location"]
    assert stored(app, rid).sentences == before.sentences


def test_the_embed_carries_no_editing_even_for_an_editor(app, editor, recording):
    client, _ = editor
    rid, _ = recording
    assert 'id="edit-bar"' in client.get(f"/r/{rid}").text
    embed = client.get(f"/r/{rid}/embed").text
    assert "edit-bar" not in embed and "editor.mjs" not in embed


def test_a_change_without_the_csrf_token_is_refused(app, editor, recording):
    client, token = editor
    rid, before = recording
    s = before.sentences[1]
    for path, data in (
        (f"/r/{rid}/s/{s.id}/edit", {"text": "Changed.", "speaker": "X"}),
        (f"/r/{rid}/s/{s.id}/timing", {"begin": "1"}),
        (f"/r/{rid}/delete", {}),
    ):
        resp = client.post(path, data={**data, "csrf_token": "not-" + token})
        assert resp.status_code == 400 and "security token" in resp.text
        assert client.post(path, data=data).status_code == 400
    assert stored(app, rid).sentences == before.sentences
    assert client.get(f"/r/{rid}").status_code == 200


def test_every_form_of_the_editor_carries_the_token(app, editor, recording):
    # the token is signed anew for each page (Flask-WTF): every form of a page carries
    # that page's, and it is the session's (taken by a change)
    client, _ = editor
    rid, syncmap = recording
    page = client.get(f"/r/{rid}").text
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    assert 'id="edit-bar"' in page
    forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", page, re.S)
    assert forms
    for form in forms:
        assert f'name="csrf_token" value="{token}"' in form
    resp = client.post(f"/r/{rid}/speakers",
                       data={"old": "Host", "new": "A", "csrf_token": token})
    assert resp.status_code in (200, 303)
    for path in (f"/r/{rid}/history", f"/r/{rid}/delete",
                 f"/r/{rid}/s/{syncmap.sentences[0].id}/edit"):
        html = client.get(path).text
        forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S)
        assert forms, path
        token = re.search(r'name="csrf_token" value="([^"]+)"', forms[0]).group(1)
        assert all(f'value="{token}"' in f for f in forms), path
        resp = client.post(f"/r/{rid}/speakers",
                           data={"old": "A", "new": "A", "csrf_token": token})
        assert "security token" not in resp.text, path


def test_on_loopback_before_any_editor_exists_editing_is_open(tmp_path, speech):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "HUEY_IMMEDIATE": True, "LISTEN_HOST": "127.0.0.1"})
    try:
        client = app.test_client()
        rid, before = add_reading(app, speech)
        assert 'id="edit-bar"' in client.get(f"/r/{rid}").text
        s = before.sentences[0]
        resp = client.post(f"/r/{rid}/s/{s.id}/edit", data={
            "text": s.text, "speaker": "Anchor", "csrf_token": csrf(client)})
        assert resp.status_code == 303
        assert "local editor ·" in client.get(f"/r/{rid}/history").text
    finally:
        app.extensions["store"].dispose()


def test_a_recording_not_aligned_yet_has_nothing_to_correct(app, editor, speech):
    from tests.helpers import RAW_TRANSCRIPT
    from webapp.importer import store_recording

    client, token = editor
    with app.app_context():
        rid = store_recording(app, speech.wav, RAW_TRANSCRIPT, title="Waiting", language="eng")
    resp = client.post(f"/r/{rid}/speakers", data={"old": "Host", "new": "A",
                                                   "csrf_token": token})
    assert resp.status_code == 409 and "not aligned yet" in resp.text
