"""The operator's settings (webapp.settings): the environment's TRANSCRIPT_PLAYER_*
variables through Flask's `from_prefixed_env`, under the names the docs give, each read
into its type or refused with a message naming it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from webapp import create_app
from webapp.settings import PREFIX, SETTINGS, variable


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No TRANSCRIPT_PLAYER_* variable from outside the test."""
    for name in list(os.environ):
        if name.startswith(PREFIX + "_"):
            monkeypatch.delenv(name)
    yield monkeypatch


def _app(tmp_path: Path, **config: object) -> Flask:
    app = create_app({"DATA_DIR": str(tmp_path / "data"), **config})
    app.extensions["store"].dispose()
    return app


def test_every_documented_variable_sets_its_setting(tmp_path: Path, env) -> None:
    given = {
        "DATABASE_URL": ("sqlite:///" + str(tmp_path / "other.sqlite3"),) * 2,
        "REDIS_URL": ("redis://queue:6379/0",) * 2,
        "SOURCE_URL": ("https://example.org/code.tar.gz",) * 2,
        "JOB_LEASE": ("2.5", 2.5),
        "JOB_STOP_GRACE": ("0", 0.0),
        "MEDIA_ACCEL_REDIRECT": ("/_media/",) * 2,
        "MAX_BODY": ("64K", 65536),
        "PUBLIC_URL": ("https://talks.example.org/", "https://talks.example.org"),
        "ALLOW_PRIVATE_URLS": ("yes", True),
        "TRUSTED_PROXIES": ("10.0.0.1, ::1", frozenset({"10.0.0.1", "::1"})),
        "MAX_UPLOAD": ("500M", 500 * 1024 ** 2),
        "MAX_TRANSCRIPT_BYTES": ("2M", 2 * 1024 ** 2),
        "MAX_SENTENCES": ("1_000", 1000),
        "MAX_RECORDING_SECONDS": ("3600", 3600),
    }
    for name, (text, _) in given.items():
        env.setenv(f"{PREFIX}_{name}", text)
    env.setenv(f"{PREFIX}_RATE_LIMITS", "uploads=2/60")
    env.setenv(f"{PREFIX}_DATA", str(tmp_path / "from-env"))
    app = create_app()
    app.extensions["store"].dispose()
    aliases = {"JOB_LEASE": "JOB_LEASE_SECONDS", "MAX_BODY": "MAX_CONTENT_LENGTH"}
    for name, (_, value) in given.items():
        assert app.config[aliases.get(name, name)] == value, name
    assert app.config["RATE_LIMITS"] == {"uploads": (2, 60.0), "clips": (30, 60.0),
                                         "searches": (120, 60.0)}
    assert app.config["DATA_DIR"] == app.instance_path == str(tmp_path / "from-env")
    # every setting is named by the variable the docs give
    assert {variable(key) for key in SETTINGS} == {f"{PREFIX}_{name}" for name in
                                                   [*given, "RATE_LIMITS", "DATA"]}


def test_unset_and_empty_variables_leave_the_defaults(tmp_path: Path, env) -> None:
    app = _app(tmp_path)
    env.setenv(f"{PREFIX}_JOB_LEASE", "")
    env.setenv(f"{PREFIX}_PUBLIC_URL", "")
    env.setenv(f"{PREFIX}_DATABASE_URL", "")
    empty = _app(tmp_path)
    for key in SETTINGS:
        assert empty.config[key] == app.config[key], key
    assert app.config["JOB_LEASE_SECONDS"] == 60.0 and app.config["PUBLIC_URL"] is None
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 ** 2
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["TRUSTED_PROXIES"] == frozenset({"127.0.0.1", "::1"})


def test_what_create_app_is_given_wins_over_the_environment(tmp_path: Path, env) -> None:
    env.setenv(f"{PREFIX}_MAX_UPLOAD", "3G")
    env.setenv(f"{PREFIX}_DATA", str(tmp_path / "not-this"))
    app = _app(tmp_path, MAX_UPLOAD=1000)
    assert app.config["MAX_UPLOAD"] == 1000
    assert app.config["DATA_DIR"] == str(tmp_path / "data")


@pytest.mark.parametrize(("name", "value", "says"), [
    ("JOB_LEASE", "soon", "give a number of seconds above 0"),
    ("JOB_LEASE", "0", "give a number of seconds above 0"),
    ("JOB_STOP_GRACE", "-1", "give a number of seconds 0 or more"),
    ("JOB_STOP_GRACE", "NaN", "give a number of seconds 0 or more"),
    ("MAX_BODY", "lots", "give a number of bytes"),
    ("MAX_UPLOAD", "0", "give a size above 0"),
    ("MAX_SENTENCES", "many", "give a whole number above 0"),
    ("PUBLIC_URL", "talks.example.org", "give the address people open the site at"),
    ("TRUSTED_PROXIES", "proxy.local", "which is not an IP address"),
    ("RATE_LIMITS", "uploads=lots", "give KIND=COUNT/SECONDS"),
])
def test_a_setting_that_is_not_one_is_refused_by_its_name(tmp_path: Path, env, name: str,
                                                          value: str, says: str) -> None:
    env.setenv(f"{PREFIX}_{name}", value)
    with pytest.raises(ValueError) as refused:
        _app(tmp_path)
    assert f"{PREFIX}_{name}" in str(refused.value) and says in str(refused.value)


def test_any_flask_setting_may_come_from_the_environment(tmp_path: Path, env) -> None:
    env.setenv(f"{PREFIX}_SESSION_COOKIE_SECURE", "true")
    env.setenv(f"{PREFIX}_PAGE_SENTENCES", "200")
    app = _app(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PAGE_SENTENCES"] == 200
