"""The transcript player's web application: `create_app(config=None) -> Flask`.

The package's face for the outside (tests, benchmarks, a WSGI server): `create_app` and
`PROJECT_ROOT`, both `webapp.app`'s. Inside the package no module
imports this one; each imports the module that defines what it needs
(docs/architecture.md, "webapp's layers").

`webapp.app` loads every blueprint and with them Flask, SQLAlchemy and the queue, so it is
loaded when one of its names is first asked for, not with the package: the command line
(`webapp.cli`) starts without it, and `transcript-player align` and `--help` stay quick.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROJECT_ROOT", "create_app"]


def __getattr__(name: str) -> Any:
    """`webapp.create_app` and the rest of `__all__`, from `webapp.app` on first use."""
    if name in __all__:
        from webapp import app

        return getattr(app, name)
    raise AttributeError(f"module 'webapp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
