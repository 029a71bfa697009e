"""Per-client rate limits on the costly requests: uploads, clips and searches.

Each client address (`webapp.clients.client_address`) has a bucket per kind holding at
most `count` requests, refilled at `count` per `seconds`; a request when it is empty is
answered 429 with Retry-After, naming the limit. The limits (config `RATE_LIMITS`, kind
-> (count, seconds); `TRANSCRIPT_PLAYER_RATE_LIMITS=uploads=10/3600,clips=30/60` changes
them) are kept in this process's memory: each `serve` or gunicorn worker
counts its own. A client on this machine itself (a loopback address, not forwarded by a
trusted proxy) is not limited: it is the operator, or a benchmark.

    @bp.get("/search")
    @rate_limited("searches")
    def search(): ...
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from flask import current_app
from werkzeug.exceptions import TooManyRequests

from webapp.clients import client_address

__all__ = ["DEFAULT_LIMITS", "Buckets", "enforce", "rate_limited", "read_limits", "refusal",
           "wait_for"]

#: kind -> (requests, per seconds)
DEFAULT_LIMITS: dict[str, tuple[int, float]] = {
    "uploads": (10, 3600.0),
    "clips": (30, 60.0),
    "searches": (120, 60.0),
}
#: addresses kept at once per kind; the ones left alone longest go first
MAX_CLIENTS = 10_000

F = TypeVar("F", bound=Callable[..., Any])


def read_limits(value: str | Mapping[str, tuple[int, float]] | None,
                name: str = "TRANSCRIPT_PLAYER_RATE_LIMITS") -> dict[str, tuple[int, float]]:
    """The limits: DEFAULT_LIMITS with `value` over them, as `kind=COUNT/SECONDS,...` (the
    setting `name`, read by `webapp.settings`) or as a mapping; ValueError naming the
    setting otherwise."""
    if value is not None and not isinstance(value, str):
        return {**DEFAULT_LIMITS, **value}
    limits = dict(DEFAULT_LIMITS)
    for item in filter(None, (part.strip() for part in (value or "").split(","))):
        kind, _, rate = item.partition("=")
        count, _, seconds = rate.partition("/")
        try:
            if kind.strip() not in DEFAULT_LIMITS:
                raise ValueError
            limits[kind.strip()] = (int(count), float(seconds))
            if limits[kind.strip()][0] < 1 or limits[kind.strip()][1] <= 0:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"{name} has {item!r}; give KIND=COUNT/SECONDS, "
                f"comma-separated, KIND one of {', '.join(DEFAULT_LIMITS)} "
                "(uploads=10/3600)") from None
    return limits


class Buckets:
    """Token buckets by (kind, address); thread-safe. `clock` is for tests."""

    def __init__(self, limits: Mapping[str, tuple[int, float]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = dict(limits)
        self.clock = clock
        self._lock = threading.Lock()
        self._state: dict[tuple[str, str], tuple[float, float]] = {}  # -> (tokens, at)

    def _level(self, kind: str, address: str, now: float) -> float:
        count, seconds = self.limits[kind]
        tokens, at = self._state.get((kind, address), (float(count), now))
        return min(float(count), tokens + (now - at) * count / seconds)

    def wait(self, kind: str, address: str) -> float:
        """Seconds until a request of `kind` from `address` is taken (0: now)."""
        count, seconds = self.limits[kind]
        with self._lock:
            level = self._level(kind, address, self.clock())
        return 0.0 if level >= 1 else (1 - level) * seconds / count

    def take(self, kind: str, address: str) -> float:
        """Take one request: 0 when taken, else the seconds to wait (nothing taken)."""
        count, seconds = self.limits[kind]
        with self._lock:
            now = self.clock()
            level = self._level(kind, address, now)
            if level < 1:
                return (1 - level) * seconds / count
            if len(self._state) >= MAX_CLIENTS:
                oldest = min(self._state, key=lambda k: self._state[k][1])
                del self._state[oldest]
            self._state[(kind, address)] = (level - 1, now)
            return 0.0


def _exempt(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _buckets() -> Buckets:
    app = current_app
    if "rate_buckets" not in app.extensions:
        app.extensions["rate_buckets"] = Buckets({**DEFAULT_LIMITS,
                                                  **(app.config.get("RATE_LIMITS") or {})})
    return app.extensions["rate_buckets"]


def refusal(kind: str, seconds: float) -> str:
    """The message of a 429 for `kind` with `seconds` to wait."""
    count, per = _buckets().limits[kind]
    return (f"Too many {kind} from your address: this server takes {count} every "
            f"{_duration(per)} from one address. Try again in {math.ceil(seconds)} s.")


def _duration(seconds: float) -> str:
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}s" if n != 1 else unit
    return f"{seconds:g} s"


def wait_for(kind: str, *, take: bool) -> float:
    """Seconds this request's client must wait for `kind` (0: go on); `take` counts it."""
    address = client_address()
    if _exempt(address):
        return 0.0
    buckets = _buckets()
    return buckets.take(kind, address) if take else buckets.wait(kind, address)


def enforce(kind: str) -> None:
    """Count this request against its client's `kind` limit: 429 with Retry-After, naming
    the limit (`refusal`), when the client is over it. The one way a request is refused
    for its rate (`rate_limited`, the upload's early check, the search query)."""
    wait = wait_for(kind, take=True)
    if wait > 0:
        raise TooManyRequests(refusal(kind, wait), retry_after=math.ceil(wait))


def rate_limited(kind: str) -> Callable[[F], F]:
    """A view decorator: 429 with Retry-After when the client is over its `kind` limit."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            enforce(kind)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
