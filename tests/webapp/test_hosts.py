"""Issue 21 item 3: a server answers only to its own names (DNS rebinding, a stray proxy)."""

from __future__ import annotations

import pytest

from tests.helpers import Serving
from webapp.hosts import host_name, is_allowed


@pytest.mark.parametrize(("header", "name"), [
    ("localhost", "localhost"), ("LocalHost:5000", "localhost"), ("127.0.0.1:8080", "127.0.0.1"),
    ("[::1]:5000", "::1"), ("[::1]", "::1"), ("talks.example.org.", "talks.example.org"),
    ("a b", None), ("host:port", None), ("[::1", None), ("[::1]x", None), ("", None),
])
def test_host_names(header: str, name: str | None) -> None:
    assert host_name(header) == name


def test_only_loopback_and_the_public_name_are_answered() -> None:
    loopback = {"PUBLIC_URL": None, "SERVER_URL": "http://127.0.0.1:5000"}
    for header in ("localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:9", "[::1]:5000",
                   "127.0.0.2:5000", None):
        assert is_allowed(header, loopback), header
    for header in ("rebind.attacker.example", "rebind.attacker.example:5000", "10.0.0.1",
                   "localhost.attacker.example", "talks.example.org", "x"):
        assert not is_allowed(header, loopback), header
    public = {"PUBLIC_URL": "https://talks.example.org", "SERVER_URL": None}
    assert is_allowed("talks.example.org", public) and is_allowed("Talks.Example.org:443", public)
    assert is_allowed("localhost:8000", public)
    assert not is_allowed("evil.example", public)


def test_a_foreign_host_is_refused_with_a_message(client, recording) -> None:
    rid, _ = recording
    assert client.get(f"/r/{rid}").status_code == 200  # the test client says "localhost"
    resp = client.get(f"/r/{rid}", headers={"Host": "rebind.attacker.example"})
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "rebind.attacker.example" in text and "TRANSCRIPT_PLAYER_PUBLIC_URL" in text
    assert "csrf" not in text.lower()  # no token handed to the other site
    assert client.get("/static/player.css", headers={"Host": "evil.example"}).status_code == 400


def test_serve_on_loopback_refuses_a_rebound_name_even_for_deleting(served_data) -> None:
    """The issue's case: with editing open on loopback, a page under another name got a
    CSRF token and deleted a recording. Now every request under that name is 400."""
    import re

    data, rid = served_data
    with Serving(data) as server:
        evil = {"Host": f"rebind.attacker.example:{server.port}"}
        status, _, body = server.get(f"/r/{rid}/delete", evil)
        assert status == 400 and b"rebind.attacker.example" in body
        assert b"csrf_token" not in body
        # even with a token taken from the page under a loopback name
        status, headers, body = server.get(f"/r/{rid}/delete")
        assert status == 200
        token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
        cookie = headers["Set-Cookie"].split(";")[0]
        status, _, _ = server.get(
            f"/r/{rid}/delete", {**evil, "Cookie": cookie,
                                 "Content-Type": "application/x-www-form-urlencoded"},
            method="POST", body=f"csrf_token={token}".encode())
        assert status == 400
        assert server.get(f"/r/{rid}")[0] == 200  # still there
        for host in (f"localhost:{server.port}", "[::1]", "127.0.0.1"):
            assert server.get("/", {"Host": host})[0] == 200, host


def test_a_public_name_is_the_only_other_name_answered(served_data) -> None:
    data, rid = served_data
    with Serving(data, env={"TRANSCRIPT_PLAYER_PUBLIC_URL": "https://talks.example.org"}) \
            as server:
        assert server.get(f"/r/{rid}", {"Host": "talks.example.org"})[0] == 200
        assert server.get(f"/r/{rid}")[0] == 200  # 127.0.0.1:port
        assert server.get(f"/r/{rid}", {"Host": "other.example.org"})[0] == 400
