"""Editors (`transcript-player user`), logins, sessions and CSRF tokens (webapp.auth), and
the two request-body bounds of `serve` (webapp.bodylimit), with real waitress."""

from __future__ import annotations

import io
import os
import re
import socket
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from webapp import create_app
from webapp.auth import hash_password, is_loopback
from webapp.cli import main

PASSWORD = "correct horse battery"


def _app(tmp_path: Path, **config):  # type: ignore[no-untyped-def]
    settings = {"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "LISTEN_HOST": "127.0.0.1"}
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def auth_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = _app(tmp_path)
    app.extensions["users"].set("dana", hash_password(PASSWORD))
    yield app
    app.extensions["store"].dispose()


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, name: str = "dana", password: str = PASSWORD, next_: str = "/"):  # type: ignore[no-untyped-def]
    token = token_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": token, "next": next_})


# ---------------------------------------------------------------- who may edit

@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.3.4.5", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.4", False),
    ("talks.example.org", False), (None, False), ("", False),
])
def test_loopback_addresses(host, loopback) -> None:
    assert is_loopback(host) is loopback


def test_editing_is_open_only_on_loopback_without_editors(tmp_path) -> None:
    from webapp.auth import editing_open

    for host, open_ in (("127.0.0.1", True), ("0.0.0.0", False), (None, False)):
        app = _app(tmp_path, LISTEN_HOST=host)
        with app.test_request_context("/"):
            assert editing_open() is open_, host
        html = app.test_client().get("/").get_data(as_text=True)
        assert ('id="upload-form"' in html) is open_
        app.extensions["store"].dispose()
    app = _app(tmp_path)
    app.extensions["users"].set("dana", hash_password(PASSWORD))
    with app.test_request_context("/"):
        assert editing_open() is False  # an editor exists: log in, even on loopback
    app.extensions["store"].dispose()


def test_an_editor_logs_in_uploads_and_logs_out(auth_app, speech) -> None:
    client = auth_app.test_client()
    # not logged in: no form, and a post is refused, naming the way in
    assert 'id="upload-form"' not in client.get("/").get_data(as_text=True)
    token = token_of(client.get("/login").get_data(as_text=True))
    resp = client.post("/recordings", data={"title": "x", "csrf_token": token})
    assert resp.status_code == 403 and 'href="/login?next=' in resp.get_data(as_text=True)
    resp = client.post("/recordings", data={"title": "x", "csrf_token": token},
                       headers={"HX-Request": "true"})
    assert resp.status_code == 403 and resp.headers["HX-Redirect"].startswith("/login")
    # a wrong password or an unknown name: 401, the form again, no session
    for name, password in (("dana", "wrong password"), ("nobody", PASSWORD)):
        resp = log_in(client, name, password)
        assert resp.status_code == 401
        assert "do not match an editor" in resp.get_data(as_text=True)
        assert 'id="upload-form"' not in client.get("/").get_data(as_text=True)
    # the right one: back where the login was asked for, with the form
    resp = log_in(client, next_="/?q=bridge")
    assert resp.status_code == 303 and resp.headers["Location"] == "/?q=bridge"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    html = client.get("/").get_data(as_text=True)
    assert 'id="upload-form"' in html and ">Log out</button>" in html and "dana" in html
    import tests.webapp.test_upload as up

    resp = client.post("/recordings", data=up.form(speech, token_of(html)),
                       content_type="multipart/form-data")
    assert resp.status_code == 303
    # logging out ends it
    resp = client.post("/logout", data={"csrf_token": token_of(html)})
    assert resp.status_code == 303
    assert 'id="upload-form"' not in client.get("/").get_data(as_text=True)


def test_a_login_never_sends_people_elsewhere(auth_app) -> None:
    client = auth_app.test_client()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        resp = log_in(client, next_=target)
        assert resp.status_code == 303 and resp.headers["Location"] == "/", target


def test_a_removed_editor_is_logged_out(auth_app) -> None:
    auth_app.extensions["users"].set("sam", hash_password(PASSWORD))
    client = auth_app.test_client()
    log_in(client)
    assert 'id="upload-form"' in client.get("/").get_data(as_text=True)
    auth_app.extensions["users"].remove("dana")
    html = client.get("/").get_data(as_text=True)
    assert 'id="upload-form"' not in html and ">Log out</button>" not in html


def test_cookies_are_secure_when_the_site_is_https(tmp_path) -> None:
    app = _app(tmp_path, PUBLIC_URL="https://talks.example.org")
    app.extensions["users"].set("dana", hash_password(PASSWORD))
    resp = log_in(app.test_client())
    assert "Secure" in resp.headers["Set-Cookie"]
    app.extensions["store"].dispose()


def test_the_signing_key_is_kept_in_the_data_folder(tmp_path) -> None:
    first = _app(tmp_path)
    key = first.config["SECRET_KEY"]
    path = Path(first.config["DATA_DIR"]) / "secret_key"
    assert path.read_text().strip() == key and len(key) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first.extensions["users"].set("dana", hash_password(PASSWORD))
    client = first.test_client()
    log_in(client)
    # another process on the same folder (a restart, a second web machine) takes the login
    second = _app(tmp_path)
    assert second.config["SECRET_KEY"] == key
    other = second.test_client()
    other.set_cookie("tp_session", client.get_cookie("tp_session").value)
    assert 'id="upload-form"' in other.get("/").get_data(as_text=True)
    first.extensions["store"].dispose()
    second.extensions["store"].dispose()


# ---------------------------------------------------------------- CSRF

def test_every_request_that_changes_something_needs_the_token(auth_app) -> None:
    client = auth_app.test_client()
    log_in(client)
    token = token_of(client.get("/").get_data(as_text=True))
    data = {"title": "x", "transcript_text": "Hello.",
            "audio": (io.BytesIO(b"RIFF"), "a.wav")}
    for headers, extra in (({}, {}), ({}, {"csrf_token": "forged"}),
                           ({"X-CSRF-Token": "forged"}, {})):
        resp = client.post("/recordings", data={**data, **extra}, headers=headers,
                           content_type="multipart/form-data")
        assert resp.status_code == 400
        assert "security token is missing or does not match" in resp.get_data(as_text=True)
        data["audio"] = (io.BytesIO(b"RIFF"), "a.wav")
    assert auth_app.extensions["store"].list_recordings() == []
    # the header htmx sends, or the form's field: past the check (then refused as audio)
    resp = client.post("/recordings", data=data, headers={"X-CSRF-Token": token},
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    # a token from another session is no good either
    other = auth_app.test_client()
    other_token = token_of(other.get("/login").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": other_token}).status_code == 400
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303


def test_pages_for_editors_carry_the_token_for_htmx(auth_app) -> None:
    client = auth_app.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "hx-headers" not in html  # a listener has no token, and no cookie
    log_in(client)
    html = client.get("/").get_data(as_text=True)
    token = token_of(html)
    assert f"hx-headers='{{\"X-CSRF-Token\": \"{token}\"}}'" in html


# ---------------------------------------------------------------- the command line

def _cli(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_user_add_list_remove(tmp_path) -> None:
    data = str(tmp_path / "data")
    result = _cli("user", "add", "dana", "--data", data, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "added the editor dana" in result.output
    assert "Repeat it" in result.output and PASSWORD not in result.output
    result = _cli("user", "add", "sam", "--data", data, input="one password\nanother one\n"
                  "second try!\nsecond try!\n")
    assert result.exit_code == 0 and "do not match" in result.output.lower()
    assert _cli("user", "add", "lee", "--password-stdin", "--data", data,
                input="from a file\n").exit_code == 0
    result = _cli("user", "add", "kim", "--password-stdin", "--data", data, input="short\n")
    assert result.exit_code == 2 and "give at least 8" in result.output
    result = _cli("user", "add", "two words", "--password-stdin", "--data", data,
                  input=f"{PASSWORD}\n")
    assert result.exit_code == 2 and "no spaces" in result.output
    assert _cli("user", "list", "--data", data).output.split() == ["dana", "lee", "sam"]
    # stored hashed (scrypt), never as given
    app = create_app({"DATA_DIR": data})
    stored = app.extensions["users"].password_hash("lee")
    assert stored.startswith("scrypt:") and "from a file" not in stored
    # a new password for an existing editor
    assert "new password for lee" in _cli("user", "add", "lee", "--password-stdin", "--data",
                                          data, input="another secret\n").output
    assert app.extensions["users"].password_hash("lee") != stored
    assert _cli("user", "remove", "sam", "--data", data).exit_code == 0
    result = _cli("user", "remove", "sam", "--data", data)
    assert result.exit_code == 2 and "there is no editor 'sam'" in result.output
    assert _cli("user", "list", "--data", data).output.split() == ["dana", "lee"]
    app.extensions["store"].dispose()


def test_serve_elsewhere_than_loopback_needs_an_editor_first(tmp_path) -> None:
    data = str(tmp_path / "data")
    for host in ("0.0.0.0", "192.0.2.7"):
        result = _cli("serve", "--host", host, "--data", data)
        assert result.exit_code == 2
        assert f"serving on {host}" in result.output
        assert "transcript-player user add NAME" in result.output


# ---------------------------------------------------------------- two body bounds in waitress

@pytest.fixture
def waitress_server(tmp_path):  # type: ignore[no-untyped-def]
    """The app under real waitress with serve's settings and bounds (1000 / 100000 bytes)."""

    from webapp.bodylimit import bounded_server
    from webapp.cli import url_for_upload, waitress_settings

    app = _app(tmp_path, MAX_CONTENT_LENGTH=1000, MAX_UPLOAD=100_000)
    settings = waitress_settings(app.config)
    assert settings["max_request_body_size"] == 100_000
    make = bounded_server([url_for_upload(app)], small=1000, large=100_000)
    server = make(app, host="127.0.0.1", port=0, threads=2, **settings)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    thread.join(5)
    app.extensions["store"].dispose()


def _send(port: int, head: str, body: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def test_waitress_takes_large_bodies_only_for_uploads(waitress_server) -> None:
    port = waitress_server
    # announced over the small bound, elsewhere: refused at once, unread, naming the setting
    answer = _send(port, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000\r\n"
                         "Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413") and b"TRANSCRIPT_PLAYER_MAX_BODY" in answer
    answer = _send(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1001\r\n"
                         "Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413")
    # a chunked body is cut off at the small bound too
    chunk = b"%x\r\n%s\r\n" % (2000, b"y" * 2000)
    answer = _send(port, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                         "Connection: close\r\n\r\n", chunk + b"0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413")
    # the same body to the upload route reaches the app (which wants its CSRF token)
    body = b"z" * 50000
    answer = _send(port, "POST /recordings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000\r\n"
                         "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                   body)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    # over the upload's bound: 413 naming it
    answer = _send(port, "POST /recordings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Length: 200000\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413") and b"TRANSCRIPT_PLAYER_MAX_UPLOAD" in answer


def test_the_limits_are_read_from_the_environment(tmp_path, monkeypatch) -> None:
    from webapp import create_app

    def limits() -> dict:
        app = create_app({"DATA_DIR": str(tmp_path / "data")})
        app.extensions["store"].dispose()
        return {key: app.config[key] for key in ("MAX_UPLOAD", "MAX_TRANSCRIPT_BYTES",
                                                 "MAX_SENTENCES", "MAX_RECORDING_SECONDS")}

    for var in ("MAX_UPLOAD", "MAX_TRANSCRIPT_BYTES", "MAX_SENTENCES",
                "MAX_RECORDING_SECONDS"):
        monkeypatch.delenv(f"TRANSCRIPT_PLAYER_{var}", raising=False)
    assert limits() == {"MAX_UPLOAD": 2 * 1024 ** 3, "MAX_TRANSCRIPT_BYTES": 5 * 1024 ** 2,
                        "MAX_SENTENCES": 50000, "MAX_RECORDING_SECONDS": 43200}
    for var, value in (("TRANSCRIPT_PLAYER_MAX_UPLOAD", "500M"),
                       ("TRANSCRIPT_PLAYER_MAX_TRANSCRIPT_BYTES", "2M"),
                       ("TRANSCRIPT_PLAYER_MAX_SENTENCES", "1_000"),
                       ("TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS", "3600")):
        monkeypatch.setenv(var, value)
    assert limits() == {"MAX_UPLOAD": 500 * 1024 ** 2, "MAX_TRANSCRIPT_BYTES": 2 * 1024 ** 2,
                        "MAX_SENTENCES": 1000, "MAX_RECORDING_SECONDS": 3600}
    for var, value in (("TRANSCRIPT_PLAYER_MAX_UPLOAD", "big"),
                       ("TRANSCRIPT_PLAYER_MAX_RECORDING_SECONDS", "-5"),
                       ("TRANSCRIPT_PLAYER_MAX_SENTENCES", "0")):
        with monkeypatch.context() as env:
            env.setenv(var, value)
            with pytest.raises(ValueError, match=var):
                limits()
    monkeypatch.setenv("TRANSCRIPT_PLAYER_MAX_UPLOAD", "3G")
    app = _app(tmp_path)
    assert app.config["MAX_UPLOAD"] == 3 * 1024 ** 3
    app.extensions["store"].dispose()
    assert os.environ["TRANSCRIPT_PLAYER_MAX_UPLOAD"] == "3G"
