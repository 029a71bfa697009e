"""Who is asking: the client's address, for limits kept per address.

The address is the connection's (`REMOTE_ADDR`), unless that is a proxy this server
trusts (`TRANSCRIPT_PLAYER_TRUSTED_PROXIES`, comma-separated addresses; default the
loopback addresses, where the production recipe's nginx runs): then it is the nearest
address in `X-Forwarded-For` that is not a trusted proxy. A client cannot choose its own
address by sending the header, since only a trusted proxy's header is read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from flask import current_app, request

__all__ = ["DEFAULT_TRUSTED_PROXIES", "client_address", "trusted_proxies"]

DEFAULT_TRUSTED_PROXIES = "127.0.0.1,::1"


def trusted_proxies(value: str | Iterable[str],
                    name: str = "TRANSCRIPT_PLAYER_TRUSTED_PROXIES") -> frozenset[str]:
    """The trusted proxies' addresses from `value`, comma-separated text (the setting
    `name`, read by `webapp.settings`) or addresses; ValueError naming the setting when
    one is not an address."""
    items = value.split(",") if isinstance(value, str) else value
    found = set()
    for item in filter(None, (part.strip() for part in items)):
        try:
            found.add(str(ipaddress.ip_address(item)))
        except ValueError:
            raise ValueError(
                f"{name} holds {item!r}, which is not an IP "
                "address; give the proxies' addresses, comma-separated") from None
    return frozenset(found)


def _normal(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return address.strip()[:64]


def client_address() -> str:
    """The address of the client of this request (see the module's docstring)."""
    proxies = current_app.config.get("TRUSTED_PROXIES", frozenset())
    address = _normal(request.remote_addr or "")
    if address not in proxies:
        return address or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        hop = _normal(hop)
        if hop not in proxies:
            return hop
    return address
