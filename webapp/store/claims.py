"""Media claims: a media file named as in use before an import writes it.

The file is in use from the claim until the claim is dropped, so no other import's
cleanup can take it away in between; removals happen only under the lock these
transactions hold (`release_media`, `RecordingStore.delete_recording`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from webapp.store.database import Database, now
from webapp.store.schema import media_claims, recordings

__all__ = ["ClaimStore", "lock_media", "media_in_use"]


def lock_media(conn: Connection) -> None:
    """Make new claims wait for this transaction. SQLite's first write takes the lock
    for the whole database; PostgreSQL locks rows, so the claims table is locked
    explicitly (a claim's INSERT waits for it)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE media_claims IN SHARE ROW EXCLUSIVE MODE")


def media_in_use(conn: Connection, name: str) -> bool:
    """True when a recording plays or keeps the media file `name`, or an import claims it."""
    row = conn.execute(
        select(recordings.c.id).where(
            (recordings.c.audio_name == name) | (recordings.c.rendition_name == name)
        ).limit(1)
    ).first()
    if row is not None:
        return True
    claim = conn.execute(
        select(media_claims.c.id).where(media_claims.c.name == name).limit(1)
    ).first()
    return claim is not None


class ClaimStore(Database):
    """Claims on media files, and the check that a file is no longer used."""

    def media_in_use(self, name: str) -> bool:
        """True when a recording plays or keeps the media file called `name`, or an
        import has claimed it."""
        with self.engine.connect() as conn:
            return media_in_use(conn, name)

    def claim_media(self, token: str, name: str) -> None:
        """Name `name` as in use by the import `token`, before that import writes it."""
        with self.engine.begin() as conn:
            conn.execute(insert(media_claims).values(name=name, token=token, created_at=now()))

    def release_media(
        self, token: str, remove: Callable[[str], None] | None = None,
        older_than: datetime | None = None,
    ) -> None:
        """Drop the claims of the import `token` (every import's claims older than
        `older_than` when it is given); `remove(name)` is called for each file they named
        that nothing uses any more.

        The claims go first, so the transaction holds the write lock, and the check and
        the removal happen under it: a claim by another import waits for the commit and
        then writes the file afresh.
        """
        with self.engine.begin() as conn:
            lock_media(conn)
            where = (media_claims.c.created_at < older_than if older_than is not None
                     else media_claims.c.token == token)
            names = conn.execute(select(media_claims.c.name).where(where)).scalars().all()
            conn.execute(delete(media_claims).where(where))
            if remove is None:
                return
            for name in dict.fromkeys(names):
                if not media_in_use(conn, name):
                    remove(name)
