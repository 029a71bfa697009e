"""Issue 21 item 1: an upload from someone who may not upload is answered from its
headers and its body never read; the app keeps one copy of an upload; uploads, clips
and searches have a per-client rate."""

from __future__ import annotations

import io
import os
import re
import socket
import time
from pathlib import Path

import pytest

from tests.helpers import RAW_TRANSCRIPT, Serving
from tests.webapp.test_auth import PASSWORD, _cli
from webapp import create_app, importer
from webapp.ratelimit import read_limits

HUNDREDS_OF_MB = 300 * 1024 * 1024


def _head(port: int, extra: str = "", length: int = HUNDREDS_OF_MB) -> bytes:
    return (f"POST /recordings HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


def _answer(sock: socket.socket, timeout: float = 10) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    try:
        while data := sock.recv(65536):
            chunks.append(data)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def _send_body_until_refused(sock: socket.socket, total: int) -> int:
    """Send `total` bytes (1 MB at a time) until the server stops taking them; how many
    were sent."""
    chunk = b"z" * (1 << 20)
    sent = 0
    sock.settimeout(5)
    try:
        while sent < total:
            sock.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass
    return sent


@pytest.fixture
def editor_data(served_data):  # type: ignore[no-untyped-def]
    data, rid = served_data
    assert _cli("user", "add", "dana", "--password-stdin", "--data", str(data),
                input=PASSWORD + "\n").exit_code == 0
    return data, rid


def test_an_anonymous_upload_is_refused_from_its_headers(editor_data) -> None:
    """The issue's probe: an anonymous 300 MB post was read to the last byte. Now the
    answer comes before a byte of the body is sent, and the connection is closed."""
    data, _ = editor_data
    with Serving(data) as server:
        assert server.get("/")[0] == 200
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            started = time.monotonic()
            sock.sendall(_head(server.port))  # the headers alone, no body
            answer = _answer(sock)
            assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
            assert b"Only editors may upload" in answer
            assert b"connection: close" in answer.lower()
            assert time.monotonic() - started < 5
        # a client that sends its body at once is cut off long before 50 MB
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(_head(server.port))
            sent = _send_body_until_refused(sock, HUNDREDS_OF_MB)
            assert sent < 50 * 1024 * 1024, sent
        # what no editor sent left nothing in the data folder
        assert not list(data.glob(".upload-*"))
        # the server still answers
        assert server.get("/")[0] == 200


def _login_cookie(server: Serving) -> tuple[str, str]:
    """An editor's session cookie and CSRF token from a real login."""
    from urllib.parse import urlencode

    status, headers, body = server.get("/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
    status, headers, _ = server.get(
        "/login", {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST", body=urlencode({"name": "dana", "password": PASSWORD,
                                       "csrf_token": token}).encode())
    assert status == 303
    cookie = headers["Set-Cookie"].split(";")[0]
    _, _, body = server.get("/login", {"Cookie": cookie})  # the session's new token
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "formboundary7MA4YWxk"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                  f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                  f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                  .encode() + content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_an_editor_over_the_upload_rate_is_refused_from_the_headers(editor_data,
                                                                    speech) -> None:
    data, _ = editor_data
    with Serving(data, env={"TRANSCRIPT_PLAYER_RATE_LIMITS": "uploads=1/3600"}) as server:
        cookie, token = _login_cookie(server)
        body, kind = _multipart({"title": "Again", "language": "eng", "csrf_token": token,
                                 "transcript_text": RAW_TRANSCRIPT},
                                {"audio": ("reading.wav", speech.wav.read_bytes())})
        client = {"Cookie": cookie, "Content-Type": kind,
                  "X-Forwarded-For": "203.0.113.9"}  # through the loopback proxy
        status, _, answer = server.get("/recordings", client, method="POST", body=body)
        assert status == 303, answer[:300]
        # the second: 429 from the headers, with Retry-After, nothing sent
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(_head(server.port, f"Cookie: {cookie}\r\n"
                                            "X-Forwarded-For: 203.0.113.9\r\n"))
            answer = _answer(sock)
        assert answer.startswith(b"HTTP/1.1 429"), answer[:300]
        assert b"Retry-After: " in answer and b"10 every hour" not in answer
        assert b"Too many uploads" in answer
        # another address is not held up by this one
        status, _, answer = server.get("/recordings", {**client,
                                                       "X-Forwarded-For": "203.0.113.10"},
                                       method="POST", body=body)
        assert status == 303, answer[:300]


class _Unreadable(io.RawIOBase):
    """A request body that fails the test when anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        raise AssertionError("the body of a refused upload was read")


def test_the_app_refuses_before_reading_under_any_server(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    app.extensions["users"].set("dana", "x")
    client = app.test_client()
    resp = client.open("/recordings", method="POST", environ_overrides={
        "wsgi.input": _Unreadable(), "CONTENT_LENGTH": str(HUNDREDS_OF_MB),
        "CONTENT_TYPE": "multipart/form-data; boundary=x"})
    assert resp.status_code == 403
    app.extensions["store"].dispose()


def test_an_upload_is_one_file_in_the_data_folder(tmp_path: Path, speech,
                                                 monkeypatch) -> None:
    """The upload's spool file is linked, not copied, to its checked name and into the
    media folder: while it is stored, every copy of the audio is one file."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"),
                      "LISTEN_HOST": "127.0.0.1"})
    data = Path(app.config["DATA_DIR"])
    audio = speech.wav.read_bytes()
    seen: dict[str, object] = {}
    real = importer.make_rendition

    def rendition(src, media_dir, claim=None):  # type: ignore[no-untyped-def]
        same = [p for p in data.rglob("*") if p.is_file() and p.stat().st_size == len(audio)
                and p.read_bytes() == audio]
        seen["inodes"] = {p.stat().st_ino for p in same}
        seen["paths"] = same
        return real(src, media_dir, claim)

    monkeypatch.setattr(importer, "make_rendition", rendition)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/").get_data(as_text=True)).group(1)
    resp = client.post("/recordings", content_type="multipart/form-data", data={
        "title": "Talk", "language": "eng", "transcript_text": RAW_TRANSCRIPT,
        "audio": (io.BytesIO(audio), "reading.wav"), "csrf_token": token})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:300]
    assert len(seen["paths"]) >= 2 and len(seen["inodes"]) == 1, seen
    # afterwards the media file alone; no spool left
    assert not list(data.glob(".upload-*"))
    [stored] = [p for p in (data / "media").iterdir() if p.suffix == ".wav"]
    assert stored.stat().st_nlink == 1 and oct(stored.stat().st_mode & 0o777) == "0o644"
    app.extensions["store"].dispose()


def _remote(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}  # the test client is the loopback proxy


def test_searches_and_clips_have_a_rate_per_client(app, recording) -> None:
    rid, _ = recording
    app.config["RATE_LIMITS"] = {"searches": (3, 60.0), "clips": (2, 60.0)}
    client = app.test_client()
    for _ in range(3):
        assert client.get("/search?q=harbour", headers=_remote("198.51.100.1")).status_code \
            == 200
    refused = client.get(f"/r/{rid}/search?q=harbour", headers=_remote("198.51.100.1"))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many searches from your address" in refused.get_data(as_text=True)
    assert client.get("/?q=harbour", headers=_remote("198.51.100.2")).status_code == 200
    assert client.get("/", headers=_remote("198.51.100.1")).status_code == 200  # no query
    assert client.get("/search?q=harbour").status_code == 200  # this machine: not limited
    for _ in range(2):
        assert client.get(f"/r/{rid}/clip.mp3?t=0&end=1",
                          headers=_remote("198.51.100.1")).status_code == 200
    assert client.get(f"/r/{rid}/clip.mp3?t=0&end=1",
                      headers=_remote("198.51.100.1")).status_code == 429


def test_rate_limits_from_the_environment(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_limits("uploads=2/60")["uploads"] == (2, 60.0)
    assert read_limits("")["clips"] == (30, 60.0)
    for bad in ("uploads=two/60", "naps=1/1", "uploads=0/60", "uploads=1"):
        with pytest.raises(ValueError, match="TRANSCRIPT_PLAYER_RATE_LIMITS"):
            read_limits(bad)
    monkeypatch.setenv("TRANSCRIPT_PLAYER_RATE_LIMITS", "clips=5/60")
    app = create_app({"DATA_DIR": str(tmp_path / "data")})
    assert app.config["RATE_LIMITS"]["clips"] == (5, 60.0)
    assert app.config["RATE_LIMITS"]["uploads"] == (10, 3600.0)
    app.extensions["store"].dispose()


def test_waitress_spools_an_upload_into_the_data_folder(editor_data, speech) -> None:
    """waitress's own copy of a large body is in the data folder, not /tmp: while an
    upload is being received, the serve process holds a deleted file there."""
    data, _ = editor_data
    with Serving(data) as server:
        cookie, token = _login_cookie(server)
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(_head(server.port, f"Cookie: {cookie}\r\n", length=8 << 20))
            sock.sendall(b"y" * (4 << 20))  # half of it, then wait
            deadline = time.monotonic() + 10
            held: list[str] = []
            while time.monotonic() < deadline and not held:
                fds = Path(f"/proc/{server.proc.pid}/fd")
                held = [os.readlink(fd) for fd in fds.iterdir()
                        if ".body-" in _link(fd) or "(deleted)" in _link(fd)]
                time.sleep(0.1)
            assert any(str(data) in h for h in held), held
            assert not any(h.startswith("/tmp/") for h in held if str(data) not in h), held


def _link(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:
        return ""
