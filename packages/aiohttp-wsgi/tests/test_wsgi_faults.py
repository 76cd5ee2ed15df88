"""Faults: malformed requests, failing applications, vanishing and slow clients."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
from wsgi_testutil import ServerThread, open_fds, recv_all, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/boom":
        raise RuntimeError("secret detail")
    if path == "/boom-late":
        start_response("200 OK", [("Content-Type", "text/plain")])

        def gen() -> Iterator[bytes]:
            yield b"partial"
            raise RuntimeError("late failure")

        return gen()
    if path == "/exc-info-late":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"partial")
        try:
            raise ValueError("too late")
        except ValueError:
            # headers are (as far as the app knows) sent: this must re-raise
            start_response(
                "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
            )
        return [b"never"]
    if path == "/exc-info":
        try:
            raise ValueError("handled")
        except ValueError:
            start_response("200 OK", [("Content-Type", "text/plain")])
            start_response(
                "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
            )
        return [b"replaced"]
    if path == "/short":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"12345"]
    if path == "/read":
        total = 0
        while True:
            chunk = environ["wsgi.input"].read(4096)
            if not chunk:
                break
            total += len(chunk)
        body = str(total).encode()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",  # HTTP/1.1 without Host
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n",
]


@pytest.fixture(scope="module")
def srv() -> Iterator[ServerThread]:
    with ServerThread(app) as server:
        yield server


@pytest.mark.parametrize("raw", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_request_gets_400_and_server_goes_on(srv: ServerThread, raw: bytes) -> None:
    sock = srv.raw()
    sock.sendall(raw)
    data = recv_all(sock)
    sock.close()
    assert data.startswith(b"HTTP/1.1 400 "), data[:200]
    assert b"Connection: close" in data.split(b"\r\n\r\n")[0]
    assert request(srv, "GET", "/")[0] == 200


def test_handler_exception_gets_500_without_traceback(srv: ServerThread) -> None:
    status, headers, body = request(srv, "GET", "/boom")
    assert status == 500
    assert headers["Content-Type"].startswith("text/html")
    assert b"secret detail" not in body and b"Traceback" not in body
    assert "Error handling request" in srv.errors
    assert request(srv, "GET", "/")[0] == 200


def test_exception_after_headers_closes_connection(srv: ServerThread) -> None:
    sock = srv.raw()
    sock.sendall(b"GET /boom-late HTTP/1.1\r\nHost: x\r\n\r\n")
    data = recv_all(sock)  # the server closes: the chunked body never ends
    sock.close()
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert b"partial" in data
    assert not data.endswith(b"0\r\n\r\n")


def test_exc_info_replaces_status_before_headers_sent(srv: ServerThread) -> None:
    status, _, body = request(srv, "GET", "/exc-info")
    assert (status, body) == (500, b"replaced")


def test_debug_shows_traceback() -> None:
    with ServerThread(app, debug=True) as server:
        status, _, body = request(server, "GET", "/boom")
    assert status == 500
    assert b"Traceback" in body and b"secret detail" in body


def test_client_dropping_mid_body_leaks_nothing(srv: ServerThread) -> None:
    assert srv.wait_idle() == []
    before = open_fds()
    for _ in range(5):
        sock = srv.raw()
        sock.sendall(b"POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
        sock.sendall(b"x" * 20000)
        sock.close()
    for _ in range(5):
        sock = srv.raw()
        sock.sendall(b"POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        sock.sendall(b"1000\r\n" + b"y" * 3000)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # RST
    assert srv.wait_idle() == []
    # The server's sockets are gone: the process has no more fds than before.
    assert open_fds() <= before
    assert request(srv, "GET", "/")[0] == 200


def test_slow_client_is_timed_out() -> None:
    with ServerThread(app, timeout=0.3) as server:
        # headers that never end
        sock = server.raw()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        data = recv_all(sock)
        sock.close()
        assert data.startswith(b"HTTP/1.1 408 ")
        # a connection that never says anything
        sock = server.raw()
        assert recv_all(sock) == b""
        sock.close()
        assert server.wait_idle() == []


@pytest.mark.parametrize("readpayload", [False, True])
def test_slow_body_is_timed_out(readpayload: bool) -> None:
    with ServerThread(app, body_timeout=0.3, readpayload=readpayload) as server:
        sock = server.raw()
        sock.sendall(b"POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        data = recv_all(sock)
        sock.close()
        assert data.startswith(b"HTTP/1.1 408 ")
        assert server.wait_idle() == []


def test_idle_keep_alive_connection_is_closed() -> None:
    with ServerThread(app, keep_alive=0.2) as server:
        sock = server.raw()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        data = recv_all(sock)  # one response, then the idle timeout closes
        sock.close()
        assert data.startswith(b"HTTP/1.1 200 OK") and data.endswith(b"2\r\nok\r\n0\r\n\r\n")


def test_body_not_read_by_app_is_discarded(srv: ServerThread) -> None:
    conn = srv.connect()
    conn.request("POST", "/", body=b"z" * 100000)
    assert conn.getresponse().read() == b"ok"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"ok"
    conn.close()


def test_in_flight_requests_finish_on_shutdown() -> None:
    started = threading.Event()
    release = threading.Event()

    def slow(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started.set()
        release.wait(20)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"finished"]

    result: list[tuple[int, bytes]] = []
    server = ServerThread(slow)
    with server:

        def client() -> None:
            status, _, body = request(server, "GET", "/")
            result.append((status, body))

        t = threading.Thread(target=client)
        t.start()
        assert started.wait(20)
        # begin the shutdown while the request is in flight, then let it finish
        assert server.loop is not None
        threading.Timer(0.2, release.set).start()
    t.join(20)
    assert result == [(200, b"finished")]


def test_short_body_closes_connection(srv: ServerThread) -> None:
    sock = srv.raw()
    sock.sendall(b"GET /short HTTP/1.1\r\nHost: x\r\n\r\n")
    data = recv_all(sock)  # returns: the server closed instead of keeping it alive
    sock.close()
    assert data.startswith(b"HTTP/1.1 200 OK") and data.endswith(b"\r\n\r\n12345")


def test_exc_info_after_headers_reraises(srv: ServerThread) -> None:
    sock = srv.raw()
    sock.sendall(b"GET /exc-info-late HTTP/1.1\r\nHost: x\r\n\r\n")
    data = recv_all(sock)
    sock.close()
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert b"partial" in data and b"never" not in data
    assert not data.endswith(b"0\r\n\r\n")


def test_client_that_stops_reading_is_dropped() -> None:
    closed = threading.Event()

    def endless(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])

        def gen() -> Iterator[bytes]:
            try:
                while True:
                    yield b"x" * 65536
            finally:
                closed.set()

        return gen()

    with ServerThread(endless, send_timeout=0.3) as server:
        sock = server.raw()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        # never read: the server gives up on us and frees the worker thread
        assert closed.wait(20)
        assert server.wait_idle() == []
        sock.close()
