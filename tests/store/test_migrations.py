"""Schema changes go through Alembic: a data folder from before Alembic opens and is
upgraded with every row; `migrate --to` copies a SQLite library to PostgreSQL whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import add_reading
from tests.store.library import rows
from webapp import create_app
from webapp.cli import main
from webapp.store import Store, migrations

# The schema as `Store.create_all` made it before Alembic (its last state, with the
# columns added by hand later), and a library in it: every status a recording could have.
OLD_SCHEMA = [
    "CREATE TABLE recordings (id VARCHAR(64) NOT NULL PRIMARY KEY, title TEXT NOT NULL, "
    "language VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, transcript TEXT NOT NULL, "
    "audio_name VARCHAR(80) NOT NULL, audio_sha256 VARCHAR(64) NOT NULL, "
    "rendition_name VARCHAR(80) NOT NULL, duration_ms INTEGER NOT NULL, note TEXT NOT NULL, "
    "error TEXT NOT NULL, created_at DATETIME NOT NULL, aligned_at DATETIME, "
    "warnings TEXT DEFAULT '' NOT NULL, source_url TEXT)",
    "CREATE TABLE sentences (recording_id VARCHAR(64) NOT NULL, idx INTEGER NOT NULL, "
    "sid VARCHAR(32) NOT NULL, text TEXT NOT NULL, speaker TEXT, begin_ms INTEGER NOT NULL, "
    "end_ms INTEGER NOT NULL, confidence FLOAT NOT NULL, aligned BOOLEAN NOT NULL, "
    "paragraph INTEGER NOT NULL, PRIMARY KEY (recording_id, idx), "
    "FOREIGN KEY(recording_id) REFERENCES recordings (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_sentences_sid ON sentences (recording_id, sid)",
    "CREATE TABLE set_aside (recording_id VARCHAR(64) NOT NULL, ordinal INTEGER NOT NULL, "
    "kind VARCHAR(32) NOT NULL, text TEXT NOT NULL, \"after\" INTEGER NOT NULL, "
    "PRIMARY KEY (recording_id, ordinal), "
    "FOREIGN KEY(recording_id) REFERENCES recordings (id) ON DELETE CASCADE)",
    "CREATE TABLE jobs (id INTEGER NOT NULL PRIMARY KEY, recording_id VARCHAR(64) NOT NULL, "
    "status VARCHAR(16) NOT NULL, stage VARCHAR(32) NOT NULL, percent FLOAT NOT NULL, "
    "error TEXT NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, "
    "FOREIGN KEY(recording_id) REFERENCES recordings (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_jobs_recording ON jobs (recording_id)",
    "CREATE TABLE media_claims (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(80) NOT NULL, "
    "token VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL)",
    "CREATE VIRTUAL TABLE sentence_fts USING fts5(text, recording_id UNINDEXED, "
    "idx UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
]
T = "2026-11-30 10:00:00.000000"
OLD_ROWS = [
    # id, status, error, aligned_at; and its jobs (status, error)
    ("ready-one", "ready", "", T, [("done", "")]),
    ("failed-one", "failed", "the audio is silent", None, [("failed", "the audio is silent")]),
    ("killed-one", "aligning", "", None, [("running", "")]),  # its worker was killed
    ("direct-one", "ready", "", T, []),  # aligned without a job
    ("unqueued-one", "failed", "could not be queued", None, []),  # a failure on the row only
    ("retried-one", "queued", "", T, [("done", ""), ("queued", "")]),
]


def make_old_library(folder: Path) -> None:
    """A data folder as a version before Alembic left it."""
    folder.mkdir(parents=True)
    with sqlite3.connect(folder / "transcript-player.sqlite3") as conn:
        for statement in OLD_SCHEMA:
            conn.execute(statement)
        for rid, status, error, aligned_at, jobs in OLD_ROWS:
            conn.execute("INSERT INTO recordings VALUES (?, ?, 'eng', ?, 'Text.', 'a.wav', "
                         "'a', 'r.mp3', 1000, '', ?, ?, ?, '', NULL)",
                         (rid, rid.title(), status, error, T, aligned_at))
            for job_status, job_error in jobs:
                conn.execute("INSERT INTO jobs (recording_id, status, stage, percent, error, "
                             "created_at, updated_at) VALUES (?, ?, '', 0, ?, ?, ?)",
                             (rid, job_status, job_error, T, T))
        conn.execute("INSERT INTO sentences VALUES ('ready-one', 0, 's-1', 'The café opens.', "
                     "'Host', 0, 900, 0.9, 1, 0)")
        conn.execute("INSERT INTO sentence_fts (text, recording_id, idx) VALUES "
                     "('The café opens.', 'ready-one', 0)")
        conn.execute("INSERT INTO set_aside VALUES ('ready-one', 0, 'header', 'Episode 1', -1)")
        conn.execute("INSERT INTO media_claims (name, token, created_at) VALUES "
                     "('a.wav', 'tok', ?)", (T,))


def test_a_data_folder_from_before_alembic_opens_with_nothing_lost(tmp_path: Path) -> None:
    make_old_library(tmp_path / "old")
    app = create_app({"DATA_DIR": str(tmp_path / "old")})
    store = app.extensions["store"]
    with store.engine.connect() as conn:
        assert migrations.revision(conn) == migrations.head()
    status = {s.recording.id: (s.recording.status, s.recording.error)
              for s in store.list_recordings()}
    assert status == {
        "ready-one": ("ready", ""), "failed-one": ("failed", "the audio is silent"),
        "killed-one": ("aligning", ""), "direct-one": ("ready", ""),
        "unqueued-one": ("failed", "could not be queued"), "retried-one": ("queued", ""),
    }
    rec = store.get_recording("ready-one")
    assert [s.text for s in store.load_syncmap(rec).sentences] == ["The café opens."]
    assert store.load_syncmap(rec).set_aside[0].text == "Episode 1"
    assert store.search("cafe")[1] == 1
    assert store.media_in_use("a.wav")
    # the job its killed worker left running has no lease: the first look takes it back
    [killed] = store.jobs_of("killed-one")
    assert killed.id in store.expired_jobs()
    # opened again: nothing changes
    store.dispose()
    again = create_app({"DATA_DIR": str(tmp_path / "old")}).extensions["store"]
    assert {s.recording.id: (s.recording.status, s.recording.error)
            for s in again.list_recordings()} == status
    again.dispose()


def test_new_ids_follow_the_old_ones_after_the_upgrade(tmp_path: Path) -> None:
    make_old_library(tmp_path / "old")
    store = create_app({"DATA_DIR": str(tmp_path / "old")}).extensions["store"]
    before = max(j.id for rid, *_ in OLD_ROWS for j in store.jobs_of(rid))
    assert store.add_job("ready-one") > before
    store.dispose()


def _library(app, speech) -> None:  # type: ignore[no-untyped-def]
    """A small library with what a real one holds: aligned recordings, a failed job, a
    claim of an import in progress."""
    store = app.extensions["store"]
    add_reading(app, speech, title="First talk")
    rid, _ = add_reading(app, speech, title="Second talk", words=True)
    store.update_job(store.add_job(rid), status="failed", error="the audio is silent")
    store.claim_media("an-import", "f" * 64 + ".wav")


def test_migrate_copies_a_sqlite_library_to_postgresql(tmp_path: Path, speech,
                                                       pg_url: str) -> None:
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    _library(app, speech)
    source = app.extensions["store"]
    runner = CliRunner()
    result = runner.invoke(main, ["migrate", "--to", pg_url, "--data", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "copied 2 recordings" in result.output
    target = Store(pg_url)
    assert rows(target) == rows(source)
    # the PostgreSQL library works as the SQLite one did
    moved = create_app({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": pg_url})
    store = moved.extensions["store"]
    [second, first] = store.list_recordings()
    assert (second.recording.status, first.recording.status) == ("failed", "ready")
    # the words came along, and read back as they were
    assert (store.load_syncmap(store.get_recording(second.recording.id)).sentences
            == source.load_syncmap(source.get_recording(second.recording.id)).sentences)
    assert all(s.words for s in store.load_syncmap(
        store.get_recording(second.recording.id)).sentences)
    assert store.search("cafe")[1] == 2 and store.search('"old harbour"')[1] == 2
    assert store.add_job(first.recording.id) > max(
        j.id for s in (first, second) for j in store.jobs_of(s.recording.id)[:-1])
    # a second run would overwrite: refused, nothing changed
    result = runner.invoke(main, ["migrate", "--to", pg_url, "--data", str(tmp_path / "data")])
    assert result.exit_code == 2 and "is not empty" in result.output
    for s in (store, target, source):
        s.dispose()


def test_migrate_names_a_database_it_cannot_reach(tmp_path: Path) -> None:
    from tests.helpers import free_port

    result = CliRunner().invoke(main, [
        "migrate", "--to", f"postgresql://nobody@127.0.0.1:{free_port()}/none",
        "--data", str(tmp_path / "data")])
    assert result.exit_code == 2
    assert "cannot open the database postgresql://nobody@127.0.0.1" in result.output
    assert "Traceback" not in result.output


@pytest.mark.servers
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql",
                                                         marks=pytest.mark.postgres)])
def test_two_processes_opening_a_new_database_at_once(tmp_path: Path, kind: str,
                                                      request) -> None:
    import subprocess
    import sys

    url = (f"sqlite:///{tmp_path / 'new.sqlite3'}" if kind == "sqlite"
           else request.getfixturevalue("pg_url"))
    code = ("import sys; from webapp.store import Store; s = Store(sys.argv[1]); "
            "s.create_all(); s.dispose()")
    procs = [subprocess.Popen([sys.executable, "-c", code, url]) for _ in range(4)]
    assert [p.wait(60) for p in procs] == [0, 0, 0, 0]
    store = Store(url)
    with store.engine.connect() as conn:
        assert migrations.revision(conn) == migrations.head()
    store.dispose()


def test_a_database_that_cannot_be_reached_is_named_in_one_line(tmp_path: Path) -> None:
    from tests.helpers import free_port

    url = f"postgresql://player:secret@127.0.0.1:{free_port()}/library"
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "bk"), "--data",
                                       str(tmp_path / "data")],
                                env={"TRANSCRIPT_PLAYER_DATABASE_URL": url})
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "cannot open the database postgresql://player:***@127.0.0.1" in result.output
    assert "secret" not in result.output
