"""Failed logins, and the wait they earn, per editor name and per client address.

The first `FREE_FAILURES` wrong passwords for a name, or from an address, cost nothing;
each one after that makes the next attempt wait, twice as long each time
(`FIRST_DELAY`, then double, at most `MAX_DELAY` seconds). While a wait runs, every
attempt for that name or from that address, a right password included, is answered 429
with `Retry-After`, before any password is checked. A right password clears both counts;
a count left alone for `FORGET_AFTER` seconds starts again from nothing.

The counts are rows of the store (`webapp.store.logins`), so every process and machine
on one database shares them. Keys are hashes, so any text a client sends is a safe key.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from webapp.store.database import Engine
from webapp.store.logins import LoginFailureCounts

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
    """The failed-login counts of one store (its engine) under these rules; `clock` is
    for tests."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self.counts = LoginFailureCounts(engine)
        self.clock = clock

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until an attempt under `keys` is heard again (0: now)."""
        now = self.clock()
        return max([u - now for u in self.counts.blocked_until(keys)] + [0.0])

    def failed(self, keys: Iterable[str]) -> float:
        """Count a failure under each key; the longest wait it earns, in seconds."""
        now = self.clock()
        return max([self.counts.count(key, now, forget_after=FORGET_AFTER,
                                      delay_after=delay_after) for key in keys] + [0.0])

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password: the counts under `keys` start again."""
        self.counts.clear(keys)
