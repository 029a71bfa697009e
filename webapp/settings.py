"""The operator's settings: each one's config key, the environment variable that sets
it, its default, and how its value is read.

`create_app` fills the config in three layers, each over the one before:

1. the defaults (`defaults()`, and the factory's own values that are not settings);
2. the environment, through Flask's `Config.from_prefixed_env` (`from_environment`):
   every `TRANSCRIPT_PLAYER_<KEY>` variable sets config `<KEY>`, its value read as JSON
   when it is JSON (`60`, `true`) and kept as text when it is not (`2G`, a URL). A few
   names, documented before this module existed, are not their key (`ALIASES`); an
   empty variable is an unset one;
3. the mapping given to `create_app` (tests, the command line's `--data`).

Then `check` reads each setting of `SETTINGS` into its type, or raises ValueError naming
the variable and what to give instead, so a mistyped setting stops the program at start
with one line (the command line shows it and exits with status 2).

To add a setting: a line in `SETTINGS` (its reader says what it takes), its default
there, and a line in README.md or the doc of the module that uses it. Any other Flask
setting can be given as `TRANSCRIPT_PLAYER_<KEY>` too (`SESSION_COOKIE_SECURE=true`),
unchecked, as Flask takes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Config

from webapp import limits
from webapp.clients import DEFAULT_TRUSTED_PROXIES, trusted_proxies
from webapp.ratelimit import DEFAULT_LIMITS, read_limits

__all__ = ["ALIASES", "PREFIX", "SETTINGS", "Setting", "check", "defaults",
           "from_environment", "variable"]

#: every variable of the program begins with this and an underscore
PREFIX = "TRANSCRIPT_PLAYER"

#: the variables (after the prefix) whose config key is another name
ALIASES = {"DATA": "DATA_DIR", "JOB_LEASE": "JOB_LEASE_SECONDS",
           "MAX_BODY": "MAX_CONTENT_LENGTH"}
_VARIABLE = {key: name for name, key in ALIASES.items()}

Reader = Callable[[Any, str], Any]


@dataclass(frozen=True)
class Setting:
    """A setting's default (None: unset) and its reader: `read(value, variable)` takes
    the value as the environment or the config gives it (text, or already its type) and
    returns it in its type, or raises ValueError naming `variable`."""

    default: Any
    read: Reader


def variable(key: str) -> str:
    """The environment variable that sets config `key`: `TRANSCRIPT_PLAYER_REDIS_URL`."""
    return f"{PREFIX}_{_VARIABLE.get(key, key)}"


# -- readers: each takes text (from the environment) or a value of its type (the config)

def text(value: Any, name: str) -> str | None:
    """Text as given (a URL, a path); None when unset."""
    return None if value is None or value == "" else str(value)


_TRUE = {"1", "true", "yes", "on"}


def flag(value: Any, name: str) -> bool:
    """On for 1, true, yes, on (any case); off for anything else, as it always was."""
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def _seconds(value: Any, name: str, *, above_zero: bool) -> float:
    try:
        found = float(value)
    except (TypeError, ValueError):
        found = math.nan
    if isinstance(value, bool) or not math.isfinite(found) or found < 0 \
            or (above_zero and found == 0):
        least = "above 0" if above_zero else "0 or more"
        raise ValueError(f"{name} is {value!r}; give a number of seconds {least} (60, 2.5)")
    return found


def seconds(value: Any, name: str) -> float:
    """Seconds, 0 or more (a grace period may be none)."""
    return _seconds(value, name, above_zero=False)


def lease_seconds(value: Any, name: str) -> float:
    """Seconds above 0: a lease of none would be lost as soon as it is taken."""
    return _seconds(value, name, above_zero=True)


def public_url(value: Any, name: str) -> str | None:
    """The site's public address without its trailing slash; ValueError when it is not
    an http(s) address with a host."""
    if value is None or value == "":
        return None
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ValueError(
            f"{name} is {value!r}; give the address people open the site "
            "at, as https://talks.example.org (a path such as /player may follow)")
    return url.rstrip("/")


#: config key -> its setting. Where each is used says what it does; in short:
SETTINGS: dict[str, Setting] = {
    # the data folder (the Flask instance folder): the database, the media, the queue
    "DATA_DIR": Setting("instance", text),
    # the store: SQLite in the data folder when unset, or PostgreSQL for many machines
    "DATABASE_URL": Setting(None, text),
    # the queue: SQLite in the data folder when unset, or Redis for many machines
    "REDIS_URL": Setting(None, text),
    # where the "Source code" link of every page points (AGPL-3.0 section 13): the
    # archive this server makes of its own code, unless a deployment names another
    "SOURCE_URL": Setting(None, text),
    # a worker's claim on a job lasts this long unless renewed (every third of it);
    # a killed worker's job is taken back by another once it has run out (webapp.jobs)
    "JOB_LEASE_SECONDS": Setting(60.0, lease_seconds),
    # on SIGTERM, running jobs get this long to finish before they are handed back
    "JOB_STOP_GRACE": Setting(5.0, seconds),
    # behind nginx: /media/<name> answers with X-Accel-Redirect to this prefix and
    # nginx sends the file from the media folder (deploy/nginx.conf)
    "MEDIA_ACCEL_REDIRECT": Setting(None, text),
    # the largest request body taken but an upload's (bytes); larger is refused early
    # with 413 instead of being spooled. `serve` gives waitress the same bound.
    "MAX_CONTENT_LENGTH": Setting(limits.MAX_BODY_DEFAULT, limits.byte_size),
    # the base of absolute links (canonical, og:url, share links, oEmbed); `serve`
    # fills SERVER_URL with its own address when this is not set
    "PUBLIC_URL": Setting(None, public_url),
    # whether a page address given to the server may be on a private network
    # (webapp.fetch.private_allowed reads it; off unless the operator turns it on)
    "ALLOW_PRIVATE_URLS": Setting(False, flag),
    # requests per client address: uploads, clips, searches (webapp.ratelimit)
    "RATE_LIMITS": Setting(DEFAULT_LIMITS, read_limits),
    # proxies whose X-Forwarded-For names the client (webapp.clients); loopback
    "TRUSTED_PROXIES": Setting(DEFAULT_TRUSTED_PROXIES, trusted_proxies),
    # what one recording may cost (webapp.limits)
    "MAX_UPLOAD": Setting(limits.DEFAULTS["MAX_UPLOAD"], limits.size),
    "MAX_TRANSCRIPT_BYTES": Setting(limits.DEFAULTS["MAX_TRANSCRIPT_BYTES"], limits.size),
    "MAX_SENTENCES": Setting(limits.DEFAULTS["MAX_SENTENCES"], limits.count),
    "MAX_RECORDING_SECONDS": Setting(limits.DEFAULTS["MAX_RECORDING_SECONDS"], limits.count),
}


def defaults() -> dict[str, Any]:
    """Every setting's default, as its reader takes it (`check` reads them too)."""
    return {key: setting.default for key, setting in SETTINGS.items()}


def from_environment(config: Config) -> None:
    """Put the environment's `TRANSCRIPT_PLAYER_*` variables over `config` (Flask's
    `from_prefixed_env`), each under its key; an empty variable changes nothing."""
    before = dict(config)
    config.from_prefixed_env(PREFIX)
    for name, key in ALIASES.items():
        if name in config:
            config[key] = config.pop(name)
    for key, value in list(config.items()):
        if value == "":  # `X=` in a shell or a compose file: unset, as it always was
            if key in before:
                config[key] = before[key]
            else:
                del config[key]


def check(config: MutableMapping[str, Any]) -> None:
    """Read every setting of `config` into its type (an unset one takes its default);
    ValueError naming the variable when one is not what it must be."""
    for key, setting in SETTINGS.items():
        value = config.get(key)
        if value is None or value == "":
            value = setting.default
        config[key] = None if value is None else setting.read(value, variable(key))
