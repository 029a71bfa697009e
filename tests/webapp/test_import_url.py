"""`transcript-player import-url`: a page and its recording fetched from a real HTTP server
(stdlib `http.server` on a free loopback port, in a thread), then imported as `import`
imports the two files; and the fetcher's refusals (`webapp.fetch`).

Where a check needs a public host, the one stand-in is `fetch._refusal` told to take
127.0.0.1 as public: no public server can run here.
"""

from __future__ import annotations

import html
import ipaddress
import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import RAW_TRANSCRIPT
from webapp import create_app, fetch, limits
from webapp.cli import main

FORMS = Path(__file__).parent.parent / "data" / "seed-forms"
SEED_TITLE = "NATO Speech: Press Conference, 3 October 2001"

#: path -> what to answer: (content type, body), or a callable writing the answer itself
Route = tuple[str, bytes] | Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A loopback web server whose answers the test sets, and the paths it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requested: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.requested.append(self.path)
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                elif callable(route):
                    route(self)
                else:
                    kind, body = route
                    self.send_response(200)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Location", to)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = answer


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture(autouse=True)
def no_operator_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusals are the default: no TRANSCRIPT_PLAYER_ALLOW_PRIVATE_URLS from outside."""
    monkeypatch.delenv("TRANSCRIPT_PLAYER_ALLOW_PRIVATE_URLS", raising=False)


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take 127.0.0.1 (the test server) as a public address; every other stays as it is."""
    real = fetch._refusal

    def refusal(address):  # type: ignore[no-untyped-def]
        return None if address == ipaddress.ip_address("127.0.0.1") else real(address)

    monkeypatch.setattr(fetch, "_refusal", refusal)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def stored(data: Path):  # type: ignore[no-untyped-def]
    """The recordings in the data folder, newest first, and the store."""
    store = create_app({"DATA_DIR": str(data)}).extensions["store"]
    return [s.recording for s in store.list_recordings()], store


def reading_page(links: str, transcript: str = RAW_TRANSCRIPT) -> bytes:
    """A page with the test reading's transcript and the given audio links."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in transcript.split("\n\n"))
    return (f"<!DOCTYPE html><html><head><title>Harbour talk</title></head><body>"
            f"<article>{paragraphs}</article><p>{links}</p></body></html>").encode()


# --- the whole path, against `import` of the same two files -----------------------------


@pytest.mark.slow
def test_import_url_gives_what_import_gives(site: Site, seed_forms_reading: Path,
                                            tmp_path: Path) -> None:
    # the seed page (cut as its recording is), with its "Audio file" link
    page = (FORMS / "page.html").read_bytes()
    assert b'<a href="audio.wav">Audio file</a>' in page
    site.routes["/docu/speech/s011003a.htm"] = ("text/html; charset=utf-8", page)
    site.routes["/docu/speech/audio.wav"] = ("audio/x-wav",
                                             (seed_forms_reading / "audio.wav").read_bytes())
    url = site.url("/docu/speech/s011003a.htm")

    fetched = run("import-url", url, "--allow-private", "--data", str(tmp_path / "web"), "-q")
    assert fetched.exit_code == 0, fetched.output
    local = run("import", str(seed_forms_reading / "audio.wav"), str(FORMS / "page.html"),
                "--title", SEED_TITLE, "--data", str(tmp_path / "files"), "-q")
    assert local.exit_code == 0, local.output

    [web], web_store = stored(tmp_path / "web")
    [files], files_store = stored(tmp_path / "files")
    assert fetched.output.strip().splitlines()[-1] == f"/r/{web.id}"
    assert web.title == SEED_TITLE  # the page's own title
    assert web.source_url == url and files.source_url is None
    assert web.audio_sha256 == files.audio_sha256 and web.status == files.status == "ready"
    web_map = web_store.load_syncmap(web_store.get_recording(web.id))
    files_map = files_store.load_syncmap(files_store.get_recording(files.id))
    # every sentence the page's recording says (and the page's header lines, unsure)
    assert len(web_map.sentences) >= len(json.loads((FORMS / "truth-sentences.json").read_text()))
    assert web_map.sentences == files_map.sentences  # texts, speakers, times, ids
    # the page is credited on the player, as a link
    player = create_app({"DATA_DIR": str(tmp_path / "web")}).test_client()
    body = player.get(f"/r/{web.id}").get_data(as_text=True)
    assert f'Transcript and audio from <a href="{url}"' in body
    assert "Transcript and audio from" not in create_app(
        {"DATA_DIR": str(tmp_path / "files")}).test_client().get(f"/r/{files.id}").get_data(
        as_text=True)


# --- private addresses --------------------------------------------------------------------


def test_loopback_is_refused_without_allow_private(site: Site, speech, tmp_path: Path) -> None:
    site.routes["/talk.html"] = ("text/html", reading_page('<a href="a.wav">Audio file</a>'))
    site.routes["/a.wav"] = ("audio/wav", speech.wav.read_bytes())
    result = run("import-url", site.url("/talk.html"), "--data", str(tmp_path / "d"))
    assert result.exit_code == 2
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: refused http://127.0.0.1:")
    assert "loopback address" in last and "--allow-private" in last
    assert site.requested == []  # refused before connecting
    assert stored(tmp_path / "d")[0] == []


def test_operator_setting_allows_private(site: Site, speech, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site.routes["/talk.html"] = ("text/html", reading_page('<a href="a.wav">Audio file</a>'))
    site.routes["/a.wav"] = ("audio/wav", speech.wav.read_bytes())
    monkeypatch.setenv("TRANSCRIPT_PLAYER_ALLOW_PRIVATE_URLS", "1")
    result = run("import-url", site.url("/talk.html"), "--data", str(tmp_path / "d"), "-q",
                 "--queue", "--title", "Given title")
    assert result.exit_code == 0, result.output
    [rec], _ = stored(tmp_path / "d")
    assert rec.title == "Given title" and rec.status == "queued"
    assert site.requested == ["/talk.html", "/a.wav"]


def test_redirects_are_checked_each_time(site: Site, speech, tmp_path: Path,
                                         loopback_is_public: None) -> None:
    # a redirect to another page of the (public) site is followed
    site.routes["/talk.html"] = ("text/html", reading_page('<a href="/a.wav">Audio file</a>'))
    site.redirect("/old", "/talk.html", 301)
    page = fetch.fetch_page(site.url("/old"))
    assert page.url == site.url("/talk.html") and b"Harbour talk" in page.data
    # to the cloud metadata address, or to another loopback address: refused
    site.redirect("/meta", "http://169.254.169.254/latest/meta-data/")
    site.redirect("/local", "http://127.0.0.2:9/")
    for path, why in (("/meta", "link-local address"), ("/local", "loopback address")):
        result = run("import-url", site.url(path), "--data", str(tmp_path / "d"))
        assert result.exit_code == 2
        assert why in result.output and "--allow-private" in result.output
    # the audio's redirect too: nothing is stored
    site.redirect("/a.wav", "http://10.1.2.3/a.wav")
    result = run("import-url", site.url("/talk.html"), "--data", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert "refused http://10.1.2.3/a.wav: 10.1.2.3 is a private address" in result.output
    assert stored(tmp_path / "d")[0] == []
    # at most MAX_REDIRECTS
    for n in range(limits.MAX_REDIRECTS + 1):
        site.redirect(f"/r{n}", f"/r{n + 1}")
    site.routes[f"/r{limits.MAX_REDIRECTS + 1}"] = ("text/html", b"<html>end</html>")
    assert fetch.fetch_page(site.url("/r1")).data == b"<html>end</html>"
    with pytest.raises(fetch.FetchError, match="redirects more than 5 times"):
        fetch.fetch_page(site.url("/r0"))


def test_a_name_that_resolves_elsewhere_when_connecting_is_refused(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: public for the check, loopback for the connection."""
    site.routes["/talk.html"] = ("text/html", reading_page(""))
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34", "127.0.0.1"])

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(fetch.PrivateAddressError,
                       match=r"rebind.test \(127.0.0.1\) is a loopback address"):
        fetch.fetch_page(f"http://rebind.test:{site.port}/talk.html")


@pytest.mark.parametrize(("address", "why"), [
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("127.0.0.1", "loopback"), ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"),
    ("240.0.0.1", "reserved"), ("224.0.0.1", "multicast"), ("100.64.0.1", "not a public"),
    ("::1", "loopback"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("93.184.216.34", None), ("2606:4700::1111", None),
])
def test_addresses(address: str, why: str | None) -> None:
    got = fetch._refusal(ipaddress.ip_address(address))
    assert got is None if why is None else why in got


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.org/talk", "is not an http:// or https:// address"),
    ("file:///etc/passwd", "is not an http:// or https:// address"),
    ("example.org/talk", "is not an http:// or https:// address"),
    ("http:///talk", "has no host name"),
])
def test_only_web_addresses(url: str, message: str, tmp_path: Path) -> None:
    result = run("import-url", url, "--data", str(tmp_path / "d"))
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("setting", "allowed"), [
    ("1", True), ("true", True), ("Yes", True), ("0", False), ("", False), ("no", False)])
def test_server_setting(setting: str, allowed: bool, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSCRIPT_PLAYER_ALLOW_PRIVATE_URLS", setting)
    app = create_app({"DATA_DIR": str(tmp_path / "d")})
    assert app.config["ALLOW_PRIVATE_URLS"] is allowed
    assert fetch.private_allowed(app.config) is allowed
    app.extensions["store"].dispose()


# --- which recording ----------------------------------------------------------------------


def test_several_audio_links_are_listed_and_audio_picks_one(site: Site, speech,
                                                            tmp_path: Path) -> None:
    site.routes["/talk.html"] = ("text/html", reading_page(
        '<audio controls src="media/talk.wav"></audio> <a href="/files/talk-b.wav">'
        "Download MP3</a> <a href='/about'>About</a>"))
    site.routes["/media/talk.wav"] = ("audio/wav", b"RIFF not this one")
    site.routes["/files/talk-b.wav"] = ("audio/wav", speech.wav.read_bytes())
    data = tmp_path / "d"
    result = run("import-url", site.url("/talk.html"), "--allow-private", "--data", str(data))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[-3].startswith("Error: http://127.0.0.1:") and "links to 2 recordings" \
        in lines[-3] and "--audio URL" in lines[-3]
    assert lines[-2:] == [f"  {site.url('/media/talk.wav')}  (audio)",
                          f"  {site.url('/files/talk-b.wav')}  (Download MP3)"]
    assert site.requested == ["/talk.html"]  # no audio downloaded
    result = run("import-url", site.url("/talk.html"), "--allow-private", "--data", str(data),
                 "--audio", "/files/talk-b.wav", "--queue", "-q")
    assert result.exit_code == 0, result.output
    [rec], store = stored(data)
    assert rec.title == "Harbour talk" and rec.source_url == site.url("/talk.html")
    assert site.requested[-1] == "/files/talk-b.wav" and "/media/talk.wav" not in site.requested
    assert (Path(store.engine.url.database).parent / "media" / rec.audio_name).read_bytes() \
        == speech.wav.read_bytes()


def test_no_audio_link(site: Site, tmp_path: Path) -> None:
    site.routes["/talk.html"] = ("text/html", reading_page("<a href='/about'>About us</a>"))
    result = run("import-url", site.url("/talk.html"), "--allow-private",
                 "--data", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: found no link to a recording on {site.url('/talk.html')}; give its address "
        "with --audio URL")


# --- the other clear errors -------------------------------------------------------------


def test_page_without_transcript_text(site: Site, tmp_path: Path) -> None:
    site.routes["/empty.html"] = ("text/html", b"<!DOCTYPE html><html><head><title>Episode 12"
                                  b"</title></head><body><nav><a href='/'>Home</a></nav>"
                                  b"<h1>Episode 12</h1><audio controls src='a.wav'></audio>"
                                  b"</body></html>")
    result = run("import-url", site.url("/empty.html"), "--allow-private",
                 "--data", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert f"no transcript text on the page {site.url('/empty.html')}" in result.output
    assert site.requested == ["/empty.html"]


def test_http_error_status(site: Site, tmp_path: Path) -> None:
    site.routes["/talk.html"] = ("text/html", reading_page('<a href="gone.wav">Audio file</a>'))
    for url, what in ((site.url("/nope.html"), "/nope.html"),
                      (site.url("/talk.html"), "/gone.wav")):
        result = run("import-url", url, "--allow-private", "--data", str(tmp_path / "d"))
        assert result.exit_code == 2
        assert result.output.strip().splitlines()[-1] == \
            f"Error: {site.url(what)} answered 404 Not Found"


def test_size_limits(site: Site, speech, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = reading_page('<a href="a.wav">Audio file</a> <a href="b.wav">Listen</a>')
    audio = speech.wav.read_bytes()
    site.routes["/talk.html"] = ("text/html", page)
    site.routes["/a.wav"] = ("audio/wav", audio)

    def unsized(handler: BaseHTTPRequestHandler) -> None:
        # no Content-Length: the body ends when the connection closes, counted as it comes
        handler.send_response(200)
        handler.send_header("Content-Type", "audio/wav")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(audio)
        handler.close_connection = True

    site.routes["/b.wav"] = unsized
    data = tmp_path / "d"
    monkeypatch.setattr(limits, "MAX_PAGE_BYTES", len(page) - 1)
    result = run("import-url", site.url("/talk.html"), "--allow-private", "--data", str(data))
    assert result.exit_code == 2
    assert f"the page at {site.url('/talk.html')} is larger than" in result.output
    monkeypatch.setattr(limits, "MAX_PAGE_BYTES", len(page))
    monkeypatch.setattr(limits, "MAX_AUDIO_BYTES", 64 * 1024)
    for name in ("a.wav", "b.wav"):
        result = run("import-url", site.url("/talk.html"), "--allow-private", "--data",
                     str(data), "--audio", name)
        assert result.exit_code == 2
        assert result.output.strip().splitlines()[-1] == \
            f"Error: the audio at {site.url('/' + name)} is larger than 64 kB, the limit"
    assert stored(data)[0] == []
    assert [p.name for p in data.iterdir() if p.name.startswith(".import-url-")] == []
    assert [p for p in (data / "media").iterdir()] == []


def test_timeout(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()

    def silent(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"<html>")
        handler.wfile.flush()
        stop.wait(10)  # then nothing more

    site.routes["/slow.html"] = silent
    monkeypatch.setattr(limits, "READ_TIMEOUT", 0.3)
    try:
        result = run("import-url", site.url("/slow.html"), "--allow-private",
                     "--data", str(tmp_path / "d"))
    finally:
        stop.set()
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == \
        f"Error: timed out reading {site.url('/slow.html')} (nothing for 0.3 s)"


def test_a_recording_given_as_the_page(site: Site, speech, tmp_path: Path) -> None:
    site.routes["/a.wav"] = ("audio/wav", speech.wav.read_bytes())
    result = run("import-url", site.url("/a.wav"), "--allow-private",
                 "--data", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert "is a recording (audio/wav), not a page" in result.output


def test_a_data_folder_from_before_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    from sqlalchemy import inspect

    (tmp_path / "d").mkdir()
    with sqlite3.connect(tmp_path / "d" / "transcript-player.sqlite3") as conn:
        conn.execute(  # the recordings table before source_url (and before Alembic)
            "CREATE TABLE recordings (id VARCHAR(64) PRIMARY KEY, title TEXT NOT NULL, "
            "language VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, "
            "transcript TEXT NOT NULL, audio_name VARCHAR(80) NOT NULL, "
            "audio_sha256 VARCHAR(64) NOT NULL, rendition_name VARCHAR(80) NOT NULL, "
            "duration_ms INTEGER NOT NULL, note TEXT NOT NULL, error TEXT NOT NULL, "
            "created_at DATETIME NOT NULL, aligned_at DATETIME, warnings TEXT NOT NULL)")
    app = create_app({"DATA_DIR": str(tmp_path / "d")})
    store = app.extensions["store"]
    assert "source_url" in {c["name"] for c in inspect(store.engine).get_columns("recordings")}
    store.dispose()
