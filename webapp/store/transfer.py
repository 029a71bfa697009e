"""A library moved whole: copied to another database (`migrate --to`), or written to a
backup folder and read back (`backup DIR`, `restore DIR`).

Every table the database holds is copied, whichever part of the program defined it
(the tables are read from the database itself, not from this version's code), so a
table added later travels too; the search index is rebuilt where it is not the rows
themselves (SQLite's FTS5 table). A target must be empty and at the same schema
revision, and a table the target does not have stops the copy before anything is
written: nothing is lost or half-copied.

A backup folder holds `manifest.json` (format, schema revision, row counts, media with
their SHA-256), one `tables/<name>.jsonl` per table, and `media/` with every media file
(hard links when the backup is on the same file system, else copies).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, LargeBinary, MetaData, Table, func, insert, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import ArgumentError, OperationalError, StatementError

from alignment import sha256_file
from webapp.store import fulltext, migrations
from webapp.store.database import Database, public_url
from webapp.store.schema import recordings, sentences

__all__ = ["BACKUP_FORMAT", "TransferError", "backup", "copy_library", "plain_errors",
           "restore"]

BACKUP_FORMAT = 1
_BATCH = 1000
#: what is not data: Alembic's bookkeeping, SQLite's own tables, the FTS5 index (rebuilt)
_SKIP_PREFIXES = ("alembic_version", "sqlite_", "sentence_fts")

Say = Callable[[str], None]


class TransferError(Exception):
    """The copy cannot be made; the message names why and what to do."""


@contextmanager
def plain_errors() -> Iterator[None]:
    """The database's own errors, raised in the block, as a TransferError of one line:
    a database that cannot be used (its address, its server), or a row the target
    refused (the reason, never the row's values)."""
    try:
        yield
    except (OperationalError, ArgumentError) as err:
        reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
        raise TransferError(f"the database cannot be used ({reason})") from None
    except StatementError as err:
        reason = str(getattr(err, "orig", None) or type(err).__name__).strip()
        raise TransferError(f"the target database refused a row "
                            f"({reason.splitlines()[0][:200]}); nothing was copied") from None


def _tables(conn: Connection) -> list[Table]:
    """The database's data tables, parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if not t.name.startswith(_SKIP_PREFIXES)]


def _check_empty(conn: Connection, tables: Iterable[Table], where: str) -> None:
    for table in tables:
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            raise TransferError(
                f"{where} is not empty (its table {table.name} has {count} rows); give an "
                "empty database (and media folder), so that nothing there is overwritten")


def _finish(conn: Connection, tables: Iterable[Table]) -> None:
    """After rows were inserted with their ids: PostgreSQL's sequences continue after
    them; SQLite's search index is built from the sentences."""
    if conn.dialect.name == "postgresql":
        for table in tables:
            for column in table.primary_key.columns:
                if column.autoincrement is True or (
                        isinstance(column.type, sqltypes.Integer)
                        and len(table.primary_key.columns) == 1):
                    seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                       {"t": table.name, "c": column.name}).scalar()
                    if seq:
                        conn.execute(text(
                            f"SELECT setval(:s, coalesce((SELECT max({column.name}) FROM "
                            f"{table.name}), 0) + 1, false)"), {"s": seq})
        return
    for (rid,) in conn.execute(select(recordings.c.id)).all():
        rows = conn.execute(select(sentences.c.idx, sentences.c.text)
                            .where(sentences.c.recording_id == rid)).all()
        fulltext.replace(conn, rid, ((i, t) for i, t in rows))


def _same_revision(source: Connection, target: Connection) -> None:
    a, b = migrations.revision(source), migrations.revision(target)
    if a != b:
        raise TransferError(f"the two databases are at schema revisions {a} and {b}; "
                            "open both with this version first")


def copy_library(source: Database, target: Database, say: Say | None = None) -> dict[str, int]:
    """Copy every row of `source` into the empty database `target` (both brought to the
    newest schema first), in one transaction on the target; rows per table."""
    source.create_all()
    target.create_all()
    counts: dict[str, int] = {}
    with source.engine.connect() as src, target.engine.begin() as dst:
        _same_revision(src, dst)
        src_tables = {t.name: t for t in _tables(src)}
        dst_tables = _tables(dst)
        missing = set(src_tables) - {t.name for t in dst_tables}
        if missing:
            raise TransferError(f"{public_url(target.url)} has no table "
                                f"{', '.join(sorted(missing))}; nothing was copied")
        _check_empty(dst, dst_tables, public_url(target.url))
        for table in dst_tables:
            if table.name not in src_tables:
                continue
            columns = [c.name for c in table.columns if c.name in src_tables[table.name].c]
            rows = src.execute(select(*(src_tables[table.name].c[c] for c in columns)))
            counts[table.name] = _insert(dst, table, (dict(r._mapping) for r in rows))
            if say:
                say(f"{table.name}: {counts[table.name]} rows")
        _finish(dst, dst_tables)
    return counts


def _check_row(table: Table, row: dict[str, Any], number: int) -> None:
    """Refuse, in one line naming the table, the row and the column (never the value), a
    row PostgreSQL cannot store: text holding a NUL."""
    for column, value in row.items():
        if isinstance(value, str) and "\0" in value:
            keys = ", ".join(f"{c.name}={row.get(c.name)!r}"[:80] for c in table.primary_key)
            where = f" ({keys})" if keys else ""
            raise TransferError(
                f"{table.name} row {number}{where}: its {column} holds a NUL character "
                "(U+0000), which PostgreSQL cannot store; nothing was copied. Mend or "
                "delete that row in the source, then run this again")


def _insert(conn: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    n = 0
    batch: list[dict[str, Any]] = []
    check = conn.dialect.name == "postgresql"
    for row in rows:
        if check:
            _check_row(table, row, n + len(batch) + 1)
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.execute(insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return n


# -- backup folders ----------------------------------------------------------------------

def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    dates = {c.name for c in table.columns if isinstance(c.type, sqltypes.DateTime)}
    blobs = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
    bools = {c.name for c in table.columns if isinstance(c.type, sqltypes.Boolean)}

    def decode(row: dict[str, Any]) -> dict[str, Any]:
        for name in dates & row.keys():
            if row[name] is not None:
                row[name] = datetime.fromisoformat(row[name])
        for name in blobs & row.keys():
            if row[name] is not None:
                row[name] = base64.b64decode(row[name])
        for name in bools & row.keys():
            if row[name] is not None:
                row[name] = bool(row[name])
        return row

    return decode


def _place_file(src: Path, dst: Path) -> None:
    """A hard link when both are on one file system (media never change), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _media_files(media_dir: Path) -> list[Path]:
    """The media folder's files, without what imports are writing (.part, .tmp)."""
    if not media_dir.is_dir():
        return []
    return sorted(p for p in media_dir.iterdir()
                  if p.is_file() and not p.name.endswith((".part", ".tmp")))


def backup(database: Database, media_dir: Path, folder: Path,
           say: Say | None = None) -> dict[str, Any]:
    """Write the whole library (every table, every media file) to the new or empty
    `folder`; the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise TransferError(f"{folder} is not empty; give a new folder for the backup")
    database.create_all()
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "media").mkdir(exist_ok=True)
    counts: dict[str, int] = {}
    with database.engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one snapshot of every table
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        else:
            conn.exec_driver_sql("BEGIN")  # SQLite: a read transaction is one snapshot
        revision = migrations.revision(conn)
        tables = _tables(conn)
        for table in tables:
            n = 0
            with (folder / "tables" / f"{table.name}.jsonl").open("w", encoding="utf-8") as f:
                for row in conn.execute(select(table)):
                    f.write(json.dumps({k: _encode(v) for k, v in row._mapping.items()},
                                       ensure_ascii=False) + "\n")
                    n += 1
            counts[table.name] = n
            if say:
                say(f"{table.name}: {n} rows")
        used = set()
        for audio, rendition in conn.execute(
                select(recordings.c.audio_name, recordings.c.rendition_name)).all():
            used.update((audio, rendition))
        conn.rollback()
    media: dict[str, str] = {}
    for path in _media_files(Path(media_dir)):
        _place_file(path, folder / "media" / path.name)
        media[path.name] = sha256_file(folder / "media" / path.name)
    lost = sorted(used - set(media))
    if lost:
        raise TransferError(f"media files went missing during the backup ({', '.join(lost)}): "
                            "a recording was deleted meanwhile? Run the backup again")
    manifest = {"format": BACKUP_FORMAT, "revision": revision, "database": database.dialect,
                "created_at": datetime.now(UTC).isoformat(), "tables": counts, "media": media}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    if say:
        say(f"media: {len(media)} files")
    return manifest


def restore(database: Database, media_dir: Path, folder: Path,
            say: Say | None = None) -> dict[str, Any]:
    """Read a backup folder into the empty `database` and `media_dir`; the manifest.

    The media files are checked against their SHA-256 first, then the rows go in in one
    transaction; a damaged backup or a library that is not empty changes nothing.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except FileNotFoundError:
        raise TransferError(f"{folder} has no manifest.json; give a folder made by "
                            "`transcript-player backup`") from None
    if manifest.get("format") != BACKUP_FORMAT:
        raise TransferError(f"{folder} is a backup of format {manifest.get('format')}; this "
                            f"version reads format {BACKUP_FORMAT}")
    database.create_all()
    media_dir = Path(media_dir)
    for name, digest in manifest["media"].items():
        src = folder / "media" / name
        if not src.is_file() or sha256_file(src) != digest:
            raise TransferError(f"the backup's media file {name} is missing or damaged; "
                                "nothing was restored")
    existing = [p.name for p in _media_files(media_dir)]
    if existing:
        raise TransferError(f"the media folder {media_dir} is not empty ({len(existing)} "
                            "files); restore into a new data folder")
    # the media first (the rows name them); taken away again if the rows cannot go in
    media_dir.mkdir(parents=True, exist_ok=True)
    placed: list[Path] = []
    try:
        for name in manifest["media"]:
            _place_file(folder / "media" / name, media_dir / name)
            placed.append(media_dir / name)
        _restore_rows(database, folder, manifest, say)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    if say:
        say(f"media: {len(manifest['media'])} files")
    return manifest


def _restore_rows(database: Database, folder: Path, manifest: dict[str, Any],
                  say: Say | None) -> None:
    with database.engine.begin() as conn:
        here = migrations.revision(conn)
        if here != manifest["revision"]:
            raise TransferError(
                f"the backup is at schema revision {manifest['revision']} and this version "
                f"at {here}; restore it with the version that made it, then open it with "
                "this one (the schema is upgraded on opening)")
        tables = _tables(conn)
        _check_empty(conn, tables, public_url(database.url))
        known = {t.name for t in tables}
        unknown = set(manifest["tables"]) - known
        if unknown:
            raise TransferError(f"this database has no table {', '.join(sorted(unknown))}; "
                                "nothing was restored")
        for table in tables:
            path = folder / "tables" / f"{table.name}.jsonl"
            if table.name not in manifest["tables"]:
                continue
            decode = _decoder(table)
            with path.open(encoding="utf-8") as f:
                n = _insert(conn, table, (decode(json.loads(line)) for line in f))
            if n != manifest["tables"][table.name]:
                raise TransferError(f"the backup's {table.name} has {n} rows, its manifest "
                                    f"says {manifest['tables'][table.name]}; nothing was "
                                    "restored")
            if say:
                say(f"{table.name}: {n} rows")
        _finish(conn, tables)
