"""The server's bounds at their limit and one past it (issue 9), over real sockets."""

from __future__ import annotations

import asyncio
import inspect
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
from wsgi_testutil import WAIT, ServerThread, recv_all

from aiohttp_wsgi import ServerHttpProtocol, serve_async

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"%d" % len(body)]


def status_of(srv: ServerThread, raw: bytes) -> int:
    sock = srv.raw()
    try:
        sock.sendall(raw)
        data = recv_all(sock)
    finally:
        sock.close()
    return int(data.split(b" ", 2)[1])


def get(line_target: bytes = b"/", fields: list[bytes] | None = None) -> bytes:
    fields = fields if fields is not None else []
    return (
        b"GET "
        + line_target
        + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + b"".join(f + b"\r\n" for f in fields)
        + b"\r\n"
    )


@pytest.fixture(scope="module")
def default_srv() -> Iterator[ServerThread]:
    with ServerThread(app) as srv:
        yield srv


def test_defaults_are_the_documented_ones() -> None:
    params = inspect.signature(ServerHttpProtocol).parameters
    defaults = {name: params[name].default for name in ("max_line_size", "max_field_size")}
    assert defaults == {"max_line_size": 8190, "max_field_size": 8190}
    assert params["max_headers"].default == 128


def test_default_request_line_at_and_past_the_limit(default_srv: ServerThread) -> None:
    target = b"/" + b"a" * (8190 - len(b"GET / HTTP/1.1"))
    assert len(b"GET " + target + b" HTTP/1.1") == 8190
    assert status_of(default_srv, get(target)) == 200
    assert status_of(default_srv, get(target + b"a")) == 400


def test_default_field_line_at_and_past_the_limit(default_srv: ServerThread) -> None:
    at = b"X-L: " + b"v" * (8190 - 5)
    assert status_of(default_srv, get(fields=[at])) == 200
    assert status_of(default_srv, get(fields=[at + b"v"])) == 400


def test_default_header_count_at_and_past_the_limit(default_srv: ServerThread) -> None:
    # Host and Connection are two of the 128 lines.
    fields = [b"X-%d: v" % i for i in range(126)]
    assert status_of(default_srv, get(fields=fields)) == 200
    assert status_of(default_srv, get(fields=[*fields, b"X-Z: v"])) == 400


def test_configured_limits_at_and_past() -> None:
    with ServerThread(
        app,
        max_line_size=100,
        max_field_size=50,
        max_headers=4,
        readpayload=True,
        max_request_body_size=1000,
    ) as srv:
        target = b"/" + b"a" * (100 - len(b"GET / HTTP/1.1"))
        assert status_of(srv, get(target)) == 200
        assert status_of(srv, get(target + b"a")) == 400
        at = b"X-L: " + b"v" * 45
        assert status_of(srv, get(fields=[at])) == 200
        assert status_of(srv, get(fields=[at + b"v"])) == 400
        assert status_of(srv, get(fields=[b"A: 1", b"B: 2"])) == 200  # 4 lines
        assert status_of(srv, get(fields=[b"A: 1", b"B: 2", b"C: 3"])) == 400
        post = b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
        assert status_of(srv, post % 1000 + b"b" * 1000) == 200
        assert status_of(srv, post % 1001 + b"b" * 1001) == 413


def test_graceful_timeout_past_the_limit_cancels_the_request() -> None:
    # (Within the limit: test_wsgi_faults.test_in_flight_requests_finish_on_shutdown.)
    started, release = threading.Event(), threading.Event()

    def stuck(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started.set()
        release.wait(WAIT)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"too late"]

    ready: list[int] = []
    box: dict[str, object] = {}

    async def main() -> None:
        box["loop"], box["stop"] = asyncio.get_running_loop(), asyncio.Event()
        stop = box["stop"]
        assert isinstance(stop, asyncio.Event)
        await serve_async(
            stuck,
            host="127.0.0.1",
            port=0,
            stop=stop,
            on_ready=lambda addrs: ready.append(addrs[0][1]),
            handle_signals=False,
            graceful_timeout=0.3,
        )

    server = threading.Thread(target=asyncio.run, args=(main(),))
    server.start()
    try:
        deadline = time.monotonic() + WAIT
        while not ready and time.monotonic() < deadline:
            time.sleep(0.01)
        sock = socket.create_connection(("127.0.0.1", ready[0]), timeout=WAIT)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert started.wait(WAIT)
        loop, stop = box["loop"], box["stop"]
        assert isinstance(loop, asyncio.AbstractEventLoop) and isinstance(stop, asyncio.Event)
        loop.call_soon_threadsafe(stop.set)
        # Past the graceful timeout the request is cancelled and its
        # connection closed, although the application is still running.
        assert recv_all(sock) == b""
        sock.close()
    finally:
        release.set()
        server.join(WAIT)
    assert not server.is_alive()
