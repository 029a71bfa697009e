"""Connections that trickle: a deadline for the whole request head, and a cap per address.

waitress closes a connection only after `channel_timeout` seconds without a byte, so one
that sends a byte every few seconds is kept for ever, and a thousand of them filled its
connection limit: everyone else waited. `serve` adds (through `webapp.bodylimit`):

- **a head deadline**: a request's line and headers must all arrive within
  `HEAD_TIMEOUT` seconds of its first byte, or the connection is closed (checked as
  bytes come and at waitress's every `cleanup_interval`);
- **a cap per address**: a client address holds at most `PER_ADDRESS` connections. A new
  one over the cap (or over the server's `SOFT_LIMIT`) closes that address's (or the
  server's) oldest connection that is not being answered: one still sending its head, or
  an idle keep-alive one. A connection whose request is being answered is never closed,
  and a new connection is always let in, so a visitor's quick request is answered
  however many slow ones there are, from its own address too.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

__all__ = ["HEAD_TIMEOUT", "PER_ADDRESS", "SOFT_LIMIT", "GuardedChannel", "guard_server"]

#: seconds for a whole request line and headers, from their first byte
HEAD_TIMEOUT = 10.0
#: connections one client address may hold
PER_ADDRESS = 100
#: connections past which the oldest unanswered one is closed for a new one (below
#: waitress's connection_limit, so waitress never stops accepting)
SOFT_LIMIT = 900


def _address(channel: Any) -> str:
    addr = getattr(channel, "addr", None)
    return str(addr[0]) if isinstance(addr, tuple) and addr else str(addr or "")


def _head_started(channel: Any) -> float | None:
    """When the request being received began, while its head is incomplete; else None."""
    request = getattr(channel, "request", None)
    if request is None or request.headers_finished or request.completed:
        return None
    return getattr(request, "started", None)


def _evictable(channel: Any) -> bool:
    """Not being answered: no request in service, and not closing already."""
    return not channel.requests and not channel.will_close and not channel.close_when_flushed


def _oldest(channels: Iterable[Any]) -> Any | None:
    """The connection to close first: one sending its head, the longest; else the idle
    one silent longest."""
    best, best_key = None, None
    for channel in channels:
        if not _evictable(channel):
            continue
        started = _head_started(channel)
        key = (0, started) if started is not None else (1, channel.last_activity)
        if best_key is None or key < best_key:
            best, best_key = channel, key
    return best


class GuardedChannel:
    """Mixed into waitress's channel: the head deadline as bytes come, and the cap
    when the connection is made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        server = self.server  # type: ignore[attr-defined]
        limits = getattr(server, "guard_limits", None)
        if limits is None:
            return
        per_address, soft_limit = limits
        mine = _address(self)
        channels = [c for c in list(server.active_channels.values()) if c is not self]
        same = [c for c in channels if _address(c) == mine]
        victim = None
        if len(same) >= per_address:
            victim = _oldest(same)
        elif len(channels) >= soft_limit:
            victim = _oldest(channels)
        if victim is not None:
            victim.will_close = True

    def received(self, data: bytes) -> bool:
        done = super().received(data)  # type: ignore[misc]
        started = _head_started(self)
        timeout = getattr(self.server, "head_timeout", None)  # type: ignore[attr-defined]
        if started is not None and timeout and time.monotonic() - started > timeout:
            self.will_close = True
        return done


def guard_server(server: Any, head_timeout: float = HEAD_TIMEOUT,
                 per_address: int = PER_ADDRESS, soft_limit: int = SOFT_LIMIT) -> None:
    """Give a waitress server the head deadline and the caps (its channel class must
    mix in `GuardedChannel`, and its parser set `started`)."""
    server.head_timeout = head_timeout
    server.guard_limits = (per_address, soft_limit)
    maintenance = server.maintenance

    def guarded_maintenance(now: float) -> None:
        maintenance(now)
        late = time.monotonic() - head_timeout
        for channel in list(server.active_channels.values()):
            started = _head_started(channel)
            if started is not None and started < late and _evictable(channel):
                channel.will_close = True

    server.maintenance = guarded_maintenance
