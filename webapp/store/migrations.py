"""Schema changes through Alembic: the migrations live in `webapp/migrations/versions/`.

`upgrade(conn)` brings a database to the newest revision; `revision(conn)` says where it
is. No alembic.ini: the configuration is made here, so the program and its tests need
nothing beside the package. `alembic` on the command line works too, with
`-c webapp/migrations/alembic.ini` (see docs/many-machines.md, "Adding a migration").
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

__all__ = ["config", "head", "revision", "upgrade"]

SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"


def config(conn: Connection | None = None) -> Config:
    """Alembic's configuration for this program, on `conn` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(conn: Connection, target: str = "head") -> None:
    """Run the migrations `conn`'s database has not had yet, and commit them."""
    command.upgrade(config(conn), target)
    conn.commit()


def revision(conn: Connection) -> str | None:
    """The revision the database is at (None: no schema made by this program yet)."""
    return MigrationContext.configure(conn).get_current_revision()


def head() -> str:
    """The newest revision this version of the program knows."""
    heads = ScriptDirectory.from_config(config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads ({', '.join(heads)}); "
                           "merge them with `alembic merge`")
    return heads[0]
