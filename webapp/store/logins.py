"""Failed logins: the reads and writes of the `login_failures` table.

A row per key (an editor name's or a client address's hash, `webapp.logins.keys_for`):
how many failures in a row, when the last one was, and until when attempts wait. The
rules (how many are free, how the wait grows, when a count is forgotten) are
`webapp.logins`'s; this module keeps the counts, shared by every process and machine on
one database. The table is `webapp.store.schema.login_failures` (migration 0005).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from webapp.store.schema import login_failures

__all__ = ["LoginFailureCounts"]


class LoginFailureCounts:
    """The failed-login counts of one store (its engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def blocked_until(self, keys: Iterable[str]) -> list[float]:
        """Until when (seconds since the epoch) attempts under each of `keys` that has a
        count wait."""
        with self.engine.connect() as conn:
            return list(conn.execute(
                select(login_failures.c.blocked_until)
                .where(login_failures.c.key.in_(list(keys)))
            ).scalars().all())

    def count(self, key: str, now: float, *, forget_after: float,
              delay_after: Callable[[int], float]) -> float:
        """Count a failure under `key` at `now`: one more in a row, or the first again when
        the last was more than `forget_after` seconds ago; attempts then wait
        `delay_after(failures)` seconds, which is returned (0 when the count could not be
        written)."""
        for _attempt in range(3):  # two first failures at once: one inserts, one updates
            try:
                return self._count(key, now, forget_after, delay_after)
            except IntegrityError:
                continue
        return 0.0

    def _count(self, key: str, now: float, forget_after: float,
               delay_after: Callable[[int], float]) -> float:
        with self.engine.begin() as conn:
            row = conn.execute(
                select(login_failures.c.failures, login_failures.c.last_failure)
                .where(login_failures.c.key == key)).first()
            failures = 1 if row is None or now - row.last_failure > forget_after \
                else row.failures + 1
            values = {"failures": failures, "last_failure": now,
                      "blocked_until": now + delay_after(failures)}
            if row is None:
                conn.execute(insert(login_failures).values(key=key, **values))
            else:
                conn.execute(update(login_failures).where(login_failures.c.key == key)
                             .values(**values))
        return values["blocked_until"] - now

    def clear(self, keys: Iterable[str]) -> None:
        """Forget the counts under `keys`."""
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key.in_(list(keys))))
