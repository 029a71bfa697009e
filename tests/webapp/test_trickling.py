"""Issue 21 item 6: connections that trickle a byte at a time lock no one out of `serve`:
a deadline for a whole request head, and a cap per address where a new connection
pushes out the oldest unanswered one."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

from tests.helpers import Serving
from webapp.connguard import HEAD_TIMEOUT, PER_ADDRESS

TRICKLERS = 1100


def _closed(sock: socket.socket) -> bool:
    """True when the server has closed `sock` (EOF or reset), without waiting."""
    sock.setblocking(False)
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def test_trickling_connections_lock_no_one_out(served_data) -> None:
    """The issue's probe: at 1,100 connections each sending a byte every 5 s, a visitor
    timed out after 30 s. Here they send a byte every second, from the visitor's own
    address, and the visitor still gets the page within 5 s."""
    data, rid = served_data
    with Serving(data) as server:
        assert server.get("/")[0] == 200
        socks: list[socket.socket] = []
        stop = threading.Event()

        def trickle() -> None:
            while not stop.wait(1.0):
                for sock in list(socks):
                    try:
                        sock.send(b"a")
                    except OSError:
                        pass

        for _ in range(TRICKLERS):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(f"GET /r/{rid} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".encode())
            socks.append(sock)
        feeder = threading.Thread(target=trickle, daemon=True)
        feeder.start()
        try:
            time.sleep(1.5)
            started = time.monotonic()
            with urllib.request.urlopen(f"{server.url}/r/{rid}", timeout=5) as resp:
                assert resp.status == 200 and b"harbour" in resp.read()
            waited = time.monotonic() - started
            print(f"the page came in {waited * 1000:.0f} ms among {TRICKLERS} tricklers")
            assert waited < 5
            # the cap: at most PER_ADDRESS of them are still open
            time.sleep(0.5)
            open_now = sum(not _closed(s) for s in socks)
            assert open_now <= PER_ADDRESS, open_now
        finally:
            stop.set()
            feeder.join(5)
            for sock in socks:
                sock.close()


def test_a_request_head_has_a_deadline(served_data) -> None:
    """A byte a second never trips the silence timeout (20 s); the head deadline closes
    it within HEAD_TIMEOUT and one cleanup interval."""
    data, rid = served_data
    with Serving(data) as server:
        assert server.get("/")[0] == 200
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        closed_after = None
        while time.monotonic() - started < HEAD_TIMEOUT + 15:
            time.sleep(1)
            try:
                sock.send(b"a")
            except OSError:
                closed_after = time.monotonic() - started
                break
            if _closed(sock):
                closed_after = time.monotonic() - started
                break
        sock.close()
        assert closed_after is not None, "a trickling head was kept"
        assert HEAD_TIMEOUT - 1 <= closed_after <= HEAD_TIMEOUT + 7, closed_after
        # a slow but whole request in time is answered
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        for piece in (b"GET / HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"Connection: close\r\n",
                      b"\r\n"):
            sock.sendall(piece)
            time.sleep(1)
        answer = sock.recv(100)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer
