"""The store's tests run on SQLite and on PostgreSQL: `app` here is parametrised over
both. PostgreSQL is a real server (Debian's, `testsupport.servers`), started once per session;
each test gets a database of its own."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from testsupport.servers import Postgres, postgres_server, redis_server
from webapp import create_app

_names = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL cluster for the session."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server for the session; its URL."""
    with redis_server() as url:
        yield url


@pytest.fixture
def pg_url(postgres: Postgres) -> str:
    """A new, empty PostgreSQL database."""
    return postgres.create_database(f"test_{next(_names)}")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path: Path) -> str:
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def app(tmp_path: Path, database_url: str):
    """A fresh app on an empty data folder and an empty database of each kind; jobs run
    at once (Huey immediate mode)."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "HUEY_IMMEDIATE": True, "DATABASE_URL": database_url})
    yield app
    app.extensions["store"].dispose()
