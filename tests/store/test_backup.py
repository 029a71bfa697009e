"""`backup DIR` and `restore DIR`: the whole library, database and media, round trip, on
SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.helpers import add_reading
from tests.store.library import rows
from webapp import create_app
from webapp.cli import main


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def _media(app) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {p.name: p.read_bytes() for p in Path(app.config["MEDIA_DIR"]).iterdir()}


def _empty_twin(tmp_path: Path, database_url: str, request):  # type: ignore[no-untyped-def]
    """A new data folder on a new, empty database of the same kind."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"restored_{tmp_path.name}")
    return create_app({"DATA_DIR": str(tmp_path / "restored"), "DATABASE_URL": url}), url


def test_backup_and_restore_round_trip(app, speech, tmp_path: Path, database_url: str,
                                       request, monkeypatch) -> None:
    store = app.extensions["store"]
    add_reading(app, speech, title="First talk")
    rid, syncmap = add_reading(app, speech, title="Second talk", words=True)
    store.update_job(store.add_job(rid), status="failed", error="the audio is silent")
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", database_url)
    result = _run("backup", str(tmp_path / "bk"), "--data", app.config["DATA_DIR"])
    assert result.exit_code == 0, result.output
    assert "backed up 2 recordings and 2 media files" in result.output
    assert (tmp_path / "bk" / "manifest.json").is_file()

    restored, url = _empty_twin(tmp_path, database_url, request)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", url)
    result = _run("restore", str(tmp_path / "bk"), "--data", restored.config["DATA_DIR"])
    assert result.exit_code == 0, result.output
    twin = restored.extensions["store"]
    assert rows(twin) == rows(store)
    assert _media(restored) == _media(app)
    assert twin.search("cafe")[1] == 2
    assert twin.get_recording(rid).status == "failed"
    assert twin.load_syncmap(twin.get_recording(rid)).sentences == syncmap.sentences
    # a second restore would overwrite: refused, nothing changed
    result = _run("restore", str(tmp_path / "bk"), "--data", restored.config["DATA_DIR"])
    assert result.exit_code == 2 and "not empty" in result.output
    assert rows(twin) == rows(store)
    twin.dispose()


def test_a_damaged_backup_restores_nothing(app, speech, tmp_path: Path, database_url: str,
                                           request, monkeypatch) -> None:
    add_reading(app, speech)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", database_url)
    assert _run("backup", str(tmp_path / "bk"), "--data", app.config["DATA_DIR"]).exit_code == 0
    victim = next((tmp_path / "bk" / "media").iterdir())
    victim.write_bytes(b"not what it was")
    restored, url = _empty_twin(tmp_path, database_url, request)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", url)
    result = _run("restore", str(tmp_path / "bk"), "--data", restored.config["DATA_DIR"])
    assert result.exit_code == 2
    assert f"media file {victim.name} is missing or damaged" in result.output
    assert restored.extensions["store"].list_recordings() == []
    assert list(Path(restored.config["MEDIA_DIR"]).iterdir()) == []
    restored.extensions["store"].dispose()


def test_backup_wants_a_new_folder(app, tmp_path: Path, database_url: str,
                                   monkeypatch) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("kept")
    monkeypatch.setenv("TRANSCRIPT_PLAYER_DATABASE_URL", database_url)
    result = _run("backup", str(tmp_path / "full"), "--data", app.config["DATA_DIR"])
    assert result.exit_code == 2 and "is not empty" in result.output
    assert (tmp_path / "full" / "something").read_text() == "kept"
