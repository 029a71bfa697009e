"""Failed logins, and the wait they earn, per editor name and per client address.

The first `FREE_FAILURES` wrong passwords for a name, or from an address, cost nothing;
each one after that makes the next attempt wait, twice as long each time
(`FIRST_DELAY`, then double, at most `MAX_DELAY` seconds). While a wait runs, every
attempt for that name or from that address, a right password included, is answered 429
with `Retry-After`, before any password is checked. A right password clears both counts;
a count left alone for `FORGET_AFTER` seconds starts again from nothing.

The counts are rows of the store (`login_failures`), so every process and machine on one
database shares them. Keys are hashes, so any text a client sends is a safe key.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from webapp.store.schema import login_failures

__all__ = ["FIRST_DELAY", "FREE_FAILURES", "FORGET_AFTER", "MAX_DELAY", "LoginFailures",
           "keys_for"]

FREE_FAILURES = 5
FIRST_DELAY = 2.0
MAX_DELAY = 900.0
FORGET_AFTER = 3600.0

def keys_for(name: str, address: str) -> tuple[str, str]:
    """The two counters a login attempt touches: its name's and its address's."""
    def key(kind: str, value: str) -> str:
        return f"{kind}:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:40]

    return key("name", name.strip().casefold()), key("addr", address)


def delay_after(failures: int) -> float:
    """Seconds the next attempt waits after `failures` failures in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_FAILURES))


class LoginFailures:
    """The failed-login counts of one store (its engine); `clock` is for tests."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until an attempt under `keys` is heard again (0: now)."""
        now = self.clock()
        with self.engine.connect() as conn:
            until = conn.execute(
                select(login_failures.c.blocked_until).where(login_failures.c.key.in_(list(keys)))
            ).scalars().all()
        return max([u - now for u in until] + [0.0])

    def failed(self, keys: Iterable[str]) -> float:
        """Count a failure under each key; the longest wait it earns, in seconds."""
        now = self.clock()
        longest = 0.0
        for key in keys:
            for _attempt in range(3):  # two first failures at once: one inserts, one updates
                try:
                    longest = max(longest, self._count(key, now))
                    break
                except IntegrityError:
                    continue
        return longest

    def _count(self, key: str, now: float) -> float:
        with self.engine.begin() as conn:
            row = conn.execute(
                select(login_failures.c.failures, login_failures.c.last_failure)
                .where(login_failures.c.key == key)).first()
            failures = 1 if row is None or now - row.last_failure > FORGET_AFTER \
                else row.failures + 1
            values = {"failures": failures, "last_failure": now,
                      "blocked_until": now + delay_after(failures)}
            if row is None:
                conn.execute(insert(login_failures).values(key=key, **values))
            else:
                conn.execute(update(login_failures).where(login_failures.c.key == key)
                             .values(**values))
        return values["blocked_until"] - now

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password: the counts under `keys` start again."""
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key.in_(list(keys))))
