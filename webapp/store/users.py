"""Editors: the reads and writes of the `users` table.

The table is `webapp.store.schema.users`; Alembic makes it (migration 0003,
`webapp/migrations/versions/0003_users.py`) with the rest of the schema.
Passwords are kept only as salted scrypt hashes (`webapp.auth.hash_password`). Each
editor has a session version (migration 0005): a session cookie carries the version it
was made under, and logging out or a new password moves it on, so copies of the old
cookie stop working.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, update

from webapp.store.schema import users

__all__ = ["Users"]


class Users:
    """The editors of one store (its engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def set(self, name: str, password_hash: str) -> bool:
        """Add the editor `name`, or give an existing one a new password hash (which ends
        their sessions); True when the editor is new."""
        with self.engine.begin() as conn:
            found = conn.execute(
                update(users).where(users.c.name == name).values(
                    password_hash=password_hash,
                    session_version=users.c.session_version + 1)
            ).rowcount
            if not found:
                conn.execute(insert(users).values(name=name, password_hash=password_hash,
                                                  created_at=datetime.now(UTC)))
        return not found

    def password_hash(self, name: str) -> str | None:
        """The editor's password hash, or None when there is no such editor."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(users.c.password_hash).where(users.c.name == name)
            ).scalar_one_or_none()

    def session_version(self, name: str) -> int | None:
        """The version the editor's sessions must carry, or None when there is no such
        editor."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(users.c.session_version).where(users.c.name == name)
            ).scalar_one_or_none()

    def end_sessions(self, name: str) -> None:
        """Move the editor's session version on: every session made before ends."""
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.name == name)
                         .values(session_version=users.c.session_version + 1))

    def names(self) -> list[str]:
        """Every editor's name, in order."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(users.c.name).order_by(users.c.name)).scalars())

    def exist(self) -> bool:
        """True once any editor exists."""
        with self.engine.connect() as conn:
            return conn.execute(select(users.c.name).limit(1)).first() is not None

    def remove(self, name: str) -> bool:
        """Remove the editor `name`; False when there was none."""
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(users).where(users.c.name == name)).rowcount)
