"""Real database and queue servers for the many-machine tests and figures: Debian's
PostgreSQL 15 and redis-server, each in a temporary folder on a free loopback port,
stopped afterwards.

`initdb` refuses to run as root (as CI runs), so as root the cluster is made and run by
the `postgres` system user (Debian's package makes it) in a folder that user owns.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = ["PG_BIN", "Postgres", "free_port", "postgres_server", "redis_server", "wait_for"]

PG_BIN = Path("/usr/lib/postgresql/15/bin")
T = TypeVar("T")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 just now (the project's one free-port finder: the
    tests use it too, through tests.helpers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], T], timeout: float = 20.0, what: str = "the condition",
             interval: float = 0.05) -> T:
    """Call `predicate` every `interval` seconds until it returns something true, and
    return that; AssertionError naming `what` after `timeout` seconds (the project's one
    polling loop)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


def _as_server_user() -> list[str]:
    """The command prefix that runs a PostgreSQL program as a user it accepts."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class Postgres:
    """A running cluster: its port and superuser, and a way to make databases."""

    port: int
    folder: Path
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        """The database's URL (trust authentication on loopback: no password)."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Make an empty database; its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} "
                             "dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A fresh PostgreSQL cluster on a free port, removed afterwards."""
    assert (PG_BIN / "initdb").exists(), \
        "PostgreSQL 15 is needed (make setup installs Debian's postgresql)"
    folder = Path(tempfile.mkdtemp(prefix="tp-pg-"))
    prefix = _as_server_user()
    if prefix:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run([*prefix, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--no-sync"],
                   check=True, capture_output=True, env=env)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l",
                    str(folder / "log"), "-o", options, "-w", "start"],
                   check=True, capture_output=True, env=env)
    try:
        server = Postgres(port=port, folder=folder)
        yield server
    finally:
        subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True, env=env)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[str]:
    """A fresh redis-server on a free port; its URL."""
    assert shutil.which("redis-server"), "redis-server is needed (make setup installs it)"
    import redis

    folder = Path(tempfile.mkdtemp(prefix="tp-redis-"))
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)

    def pings() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    try:
        wait_for(pings, 10, "redis-server starting", interval=0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
