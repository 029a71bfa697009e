"""The database connection: SQLite (the embedded default) or PostgreSQL, one engine.

`Database` is the base of the store's parts: it holds the engine, brings the schema up
to date through Alembic (`webapp.store.migrations`) and knows the one thing every part
needs, the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

# Engine: the handle of one database. Code outside the store holds one (`Store.engine`)
# and hands it to the store's classes and functions, never looking inside; it names the
# type from here, so that only the store imports SQLAlchemy.
__all__ = ["Database", "DatabaseUnavailable", "Engine", "now", "public_url"]


class DatabaseUnavailable(ValueError):
    """The database cannot be reached or opened; the message names it and what to check.

    A ValueError: like any other setting that is not what it must be, the command line
    prints it as one line."""


def now() -> datetime:
    """The time now, in UTC (what every timestamp column holds)."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A timestamp read back with its time zone (SQLite gives back naive UTC)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def public_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _engine_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here (SQLAlchemy's default would be psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - driver hook
    cur = dbapi_conn.cursor()
    # the wait first: switching a new database to WAL takes a lock another process may hold
    cur.execute("PRAGMA busy_timeout = 10000")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.close()


class Database:
    """The engine of one database, and its schema kept at the newest revision."""

    def __init__(self, url: str) -> None:
        self.url = url
        kwargs = {"pool_pre_ping": True} if not url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(_engine_url(url), **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def create_all(self) -> None:
        """Create the schema, or bring an older one up to date, keeping every row.

        Alembic runs the migrations the database has not had yet (an SQLite data folder
        from before Alembic included). Safe when several processes open a new database at
        once: each migrates under one lock, so none finds a table half made by another.
        """
        from sqlalchemy.exc import OperationalError

        from webapp.store import migrations

        try:
            with self._schema_lock() as conn:
                migrations.upgrade(conn)
        except OperationalError as err:
            reason = str(err.orig or err).strip().splitlines()[0]
            raise DatabaseUnavailable(
                f"cannot open the database {public_url(self.url)} ({reason}); check its "
                "address (TRANSCRIPT_PLAYER_DATABASE_URL) and that its server runs") from err

    @contextmanager
    def _schema_lock(self) -> Iterator:
        """A connection holding the schema lock: `flock` on `<database>.lock` beside an
        SQLite file (released by the kernel even when the holder is killed), an advisory
        lock on PostgreSQL (released with the session)."""
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(7461726)"))
                conn.commit()
                try:
                    yield conn
                finally:
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(7461726)"))
                    conn.commit()
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            with self.engine.connect() as conn:
                yield conn
            return
        import fcntl

        with open(f"{database}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with self.engine.connect() as conn:
                    yield conn
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def dispose(self) -> None:
        """Close pooled connections (tests, forks)."""
        self.engine.dispose()
