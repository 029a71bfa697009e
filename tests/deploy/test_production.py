"""The production recipe, really run: gunicorn (gthread) with deploy/gunicorn.conf.py
behind Debian's nginx with deploy/nginx.conf, nginx sending the media itself on the
app's X-Accel-Redirect."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import free_port, wait_for
from webapp import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def test_media_answers_with_x_accel_redirect_when_told(app, client, recording) -> None:
    rid, _ = recording
    rec = app.extensions["store"].get_recording(rid)
    plain = client.get(f"/media/{rec.rendition_name}")
    assert plain.status_code == 200 and len(plain.data) > 1000
    assert "X-Accel-Redirect" not in plain.headers
    app.config["MEDIA_ACCEL_REDIRECT"] = "/_media/"
    accel = client.get(f"/media/{rec.rendition_name}")
    assert accel.status_code == 200 and accel.data == b""
    assert accel.headers["X-Accel-Redirect"] == f"/_media/{rec.rendition_name}"
    assert accel.mimetype == "audio/mpeg"
    assert "immutable" in accel.headers["Cache-Control"]
    # a name that is not a stored file is still the app's 404, never handed to nginx
    missing = client.get("/media/" + "0" * 64 + ".mp3")
    assert missing.status_code == 404 and "X-Accel-Redirect" not in missing.headers


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _wait_http(port: int, timeout: float = 30) -> None:
    def answers() -> bool:
        try:
            _get(port, "/")
        except OSError:
            return False
        return True

    wait_for(answers, timeout, f"an answer on port {port}", interval=0.1)


def _nginx_conf(folder: Path, listen: int, upstream: int, media: Path) -> Path:
    """deploy/nginx.conf as shipped, on this test's ports and folders, in a main config."""
    server = (DEPLOY / "nginx.conf").read_text()
    for old, new in (("127.0.0.1:8000", f"127.0.0.1:{upstream}"),
                     ("listen 80;", f"listen 127.0.0.1:{listen};"),
                     ("/srv/transcript-player/media/", f"{media}/")):
        assert old in server
        server = server.replace(old, new)
    (folder / "player.conf").write_text(server)
    user = "user root;\n" if os.geteuid() == 0 else ""  # the media are in root's temp folder
    main = (f"{user}worker_processes 1;\npid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n  access_log {folder}/access.log;\n"
            + "".join(f"  {kind}_temp_path {folder}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {folder}/player.conf;\n}}\n")
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf"


@pytest.mark.servers
def test_gunicorn_behind_nginx_serves_pages_and_nginx_sends_the_media(
        tmp_path: Path, speech) -> None:
    assert shutil.which("nginx"), "nginx is needed (make setup installs it)"
    from tests.helpers import add_reading
    from webapp import create_app

    data = tmp_path / "data"
    app = create_app({"DATA_DIR": str(data)})
    rid, _ = add_reading(app, speech)
    rec = app.extensions["store"].get_recording(rid)
    app.extensions["store"].dispose()
    app_port, web_port = free_port(), free_port()
    env = {**os.environ, "TRANSCRIPT_PLAYER_DATA": str(data),
           "TRANSCRIPT_PLAYER_MEDIA_ACCEL_REDIRECT": "/_media/"}
    env.pop("TRANSCRIPT_PLAYER_DATABASE_URL", None)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{app_port}", "--workers", "1", "webapp:create_app()"],
        env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"))
    conf = _nginx_conf(tmp_path, web_port, app_port, data / "media")
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf),
                              "-g", "daemon off;"], stderr=(tmp_path / "nginx.out").open("w"))
    try:
        _wait_http(app_port)
        _wait_http(web_port)
        status, headers, body = _get(web_port, f"/r/{rid}")
        assert status == 200 and b"The caf\xc3\xa9 on the pier opens at nine." in body
        assert headers["server"].startswith("nginx")
        # the media: nginx reads the file itself, ranges included
        media = (data / "media" / rec.rendition_name).read_bytes()
        status, headers, body = _get(web_port, f"/media/{rec.rendition_name}",
                                     {"Range": "bytes=100-1099"})
        assert status == 206 and body == media[100:1100]
        assert headers["content-range"] == f"bytes 100-1099/{len(media)}"
        assert headers["content-type"] == "audio/mpeg"
        assert "immutable" in headers["cache-control"]
        # the app itself only said where: an empty answer with the header
        status, headers, body = _get(app_port, f"/media/{rec.rendition_name}")
        assert status == 200 and body == b""
        assert headers["x-accel-redirect"] == f"/_media/{rec.rendition_name}"
        # the internal location is not reachable from outside
        assert _get(web_port, f"/_media/{rec.rendition_name}")[0] == 404
    finally:
        for proc in (nginx, gunicorn):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def _production(tmp_path: Path, data: Path) -> Iterator[tuple[int, int]]:
    """gunicorn with deploy/gunicorn.conf.py behind nginx with deploy/nginx.conf on the
    data folder `data`: (gunicorn's port, nginx's port)."""
    app_port, web_port = free_port(), free_port()
    env = {**os.environ, "TRANSCRIPT_PLAYER_DATA": str(data),
           "TRANSCRIPT_PLAYER_MEDIA_ACCEL_REDIRECT": "/_media/"}
    env.pop("TRANSCRIPT_PLAYER_DATABASE_URL", None)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{app_port}", "--workers", "1", "webapp:create_app()"],
        env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"))
    conf = _nginx_conf(tmp_path, web_port, app_port, data / "media")
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf),
                              "-g", "daemon off;"], stderr=(tmp_path / "nginx.out").open("w"))
    try:
        _wait_http(app_port)
        _wait_http(web_port)
        yield app_port, web_port
    finally:
        for proc in (nginx, gunicorn):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_nginx_refuses_uploads_from_headers_and_trickling_heads(tmp_path: Path,
                                                                speech) -> None:
    """Issue 21 items 1 and 6 in the production recipe: nginx asks the app about an
    upload's headers (auth_request) before it reads the body, and gives a request head
    10 s in all."""
    import re
    import time
    from urllib.parse import urlencode

    from tests.helpers import RAW_TRANSCRIPT, add_reading
    from tests.webapp.test_refuse_before_reading import _multipart
    from webapp import create_app
    from webapp.auth import hash_password

    data = tmp_path / "data"
    app = create_app({"DATA_DIR": str(data)})
    add_reading(app, speech)
    app.extensions["users"].set("dana", hash_password("correct horse battery"))
    app.extensions["store"].dispose()
    with _production(tmp_path, data) as (_, web_port):
        # anonymous: 403 with the headers alone, nothing of the body sent
        with socket.create_connection(("127.0.0.1", web_port)) as sock:
            started = time.monotonic()
            sock.sendall(b"POST /recordings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: multipart/form-data; boundary=x\r\n"
                         b"Content-Length: 314572800\r\n\r\n")
            sock.settimeout(5)
            answer = sock.recv(65536)  # the answer comes, though nginx discards what follows
            assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
            assert time.monotonic() - started < 5
        # an editor's upload goes through
        conn = http.client.HTTPConnection("127.0.0.1", web_port, timeout=30)
        conn.request("GET", "/login")
        resp = conn.getresponse()
        cookie = resp.getheader("Set-Cookie").split(";")[0]
        token = re.search(rb'name="csrf_token" value="([^"]+)"', resp.read()).group(1)
        conn.request("POST", "/login", body=urlencode({
            "name": "dana", "password": "correct horse battery",
            "csrf_token": token.decode()}),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 303
        cookie = resp.getheader("Set-Cookie").split(";")[0]
        conn.request("GET", "/login", headers={"Cookie": cookie})
        resp = conn.getresponse()
        token = re.search(rb'name="csrf_token" value="([^"]+)"', resp.read()).group(1)
        body, kind = _multipart({"title": "Via nginx", "language": "eng",
                                 "csrf_token": token.decode(),
                                 "transcript_text": RAW_TRANSCRIPT},
                                {"audio": ("reading.wav", speech.wav.read_bytes())})
        conn.request("POST", "/recordings", body=body,
                     headers={"Cookie": cookie, "Content-Type": kind})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 303, resp.status
        conn.close()
        # a head sent a byte a second is cut off after 10 s in all
        with socket.create_connection(("127.0.0.1", web_port)) as sock:
            started = time.monotonic()
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            closed = None
            while time.monotonic() - started < 25:
                time.sleep(1)
                try:
                    sock.send(b"a")
                except OSError:
                    closed = time.monotonic() - started
                    break
                sock.setblocking(False)
                try:
                    if sock.recv(1024) is not None:
                        closed = time.monotonic() - started
                        break
                except BlockingIOError:
                    pass
                except OSError:
                    closed = time.monotonic() - started
                    break
                finally:
                    sock.setblocking(True)
            assert closed is not None and closed < 14, closed

