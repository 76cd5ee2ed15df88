"""The complete-body fast path: a list result is sent without a Response, with
exactly the head a Response would have written."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import pytest
from hypothesis import given, settings, strategies as st
from multidict import CIMultiDict, CIMultiDictProxy
from wsgi_testutil import ServerThread, recv_all

from aiohttp_parsers import HttpVersion, RawRequestMessage, Response
from aiohttp_wsgi import WsgiResponse
from aiohttp_wsgi._fast_head import fast_head
from aiohttp_wsgi._wsgi import _Coalescer

DATE = "Tue, 24 Nov 2026 10:00:00 GMT"

_names = st.sampled_from(
    ["Content-Type", "X-A", "date", "Server", "content-length", "Set-Cookie", "ETag"]
)
_values = st.text(alphabet=st.sampled_from("ab 1\t/;=\xe9"), max_size=8)


def _message(version: tuple[int, int], should_close: bool) -> RawRequestMessage:
    return RawRequestMessage(
        "GET",
        "/",
        HttpVersion(*version),
        CIMultiDictProxy(CIMultiDict()),
        (),
        should_close,
        None,
    )


def _slow_head(
    status: str,
    headers: list[tuple[str, str]],
    version: tuple[int, int],
    should_close: bool,
    length: int,
) -> bytes:
    """What WsgiResponse._start() sends through an aiohttp_parsers.Response."""
    out = _Coalescer()
    resp = WsgiResponse(None, _message(version, should_close))  # type: ignore[arg-type]  # no writer needed
    resp.start_response(status, headers)
    resp._out = out
    resp._start(length, DATE)
    return b"".join(out.parts)


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from(["200 OK", "201 Created", "404 Not Found", "299", "500 Oops"]),
    headers=st.lists(st.tuples(_names, _values), max_size=5),
    version=st.sampled_from([(1, 0), (1, 1), (1, 2)]),
    should_close=st.booleans(),
    app_close=st.booleans(),
    length=st.sampled_from([0, 1, 12, 65536]),
)
def test_fast_head_is_the_response_head(
    status: str,
    headers: list[tuple[str, str]],
    version: tuple[int, int],
    should_close: bool,
    app_close: bool,
    length: int,
) -> None:
    headers = [(n, str(length) if n == "content-length" else v) for n, v in headers]
    if app_close:
        headers.append(("Connection", "close"))
    resp = WsgiResponse(None, _message(version, should_close))  # type: ignore[arg-type]  # no writer needed
    resp.start_response(status, headers)
    state = resp._state
    fast = fast_head(
        version,
        state.status_code,
        state.reason or Response.calc_reason(state.status_code),
        state.headers,
        length,
        should_close or state.close,
        DATE,
        Response.SERVER_SOFTWARE,
    )
    assert fast == _slow_head(status, headers, version, should_close, length)


def test_fast_head_declines_a_wrong_content_length() -> None:
    args = ((1, 1), 200, "OK", [("Content-Length", "5")])
    assert fast_head(*args, 4, False, DATE, "s") is None
    assert fast_head(*args, 5, False, DATE, "s") is not None


def _list_app(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    body = b"Hello world!"
    path = environ["PATH_INFO"]
    headers = [("Content-Type", "text/plain")]
    if path == "/short":  # claims more than it sends: the connection must close
        headers.append(("Content-Length", "100"))
    if path == "/close":
        headers.append(("Connection", "close"))
    write = start_response("200 OK", headers)  # type: ignore[operator]  # WSGI callable
    if path == "/write":  # write() first: the list must follow it, not replace it
        write(body[:6])
        return [body[6:]]
    return [body[:6], body[6:]]


@pytest.mark.parametrize("executor", [None, False])
def test_list_bodies_on_one_connection(executor: bool | None) -> None:
    kw: dict[str, object] = {} if executor is None else {"executor": executor}
    with ServerThread(_list_app, validate=False, **kw) as srv:
        with srv.raw() as sock:
            sock.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.sendall(b"GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
            data = recv_all(sock)
        with srv.raw() as sock:
            sock.sendall(b"GET /write HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            written = recv_all(sock)
        with srv.raw() as sock:
            sock.sendall(b"GET /short HTTP/1.1\r\nHost: x\r\n\r\n")
            short = recv_all(sock)  # the server closes: the response is incomplete
        with srv.raw() as sock:
            sock.sendall(b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            sock.sendall(b"HEAD /a HTTP/1.0\r\n\r\n")
            http10 = recv_all(sock)
    assert srv.errors == []
    responses = data.split(b"HTTP/1.1 200 OK\r\n")[1:]
    assert len(responses) == 3
    for r in responses:
        assert b"\r\nContent-Length: 12\r\n" in r and r.endswith(b"\r\n\r\nHello world!")
    assert b"Connection: close" in responses[2] and b"Connection" not in responses[0]
    assert short.startswith(b"HTTP/1.1 200 OK\r\n") and short.endswith(b"\r\n\r\nHello world!")
    assert written.startswith(b"HTTP/1.1 200 OK\r\n")
    assert written.endswith(b"\r\n\r\n6\r\nHello \r\n6\r\nworld!\r\n0\r\n\r\n")
    first, second = http10.split(b"Hello world!", 1)
    assert b"Connection: keep-alive\r\n" in first
    assert second.startswith(b"HTTP/1.0 200 OK\r\n") and second.endswith(b"\r\n\r\n")


def test_access_log_of_a_fast_response(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("test.wsgi.fast.access")
    with ServerThread(
        _list_app, validate=False, access_log=log, access_log_format='%s %b %O "%{Server}o"'
    ) as srv:
        with caplog.at_level(logging.INFO, logger=log.name), srv.raw() as sock:
            sock.sendall(b"GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
            data = recv_all(sock)
            srv.wait_idle()
    assert data.endswith(b"Hello world!")
    lines = [r.getMessage() for r in caplog.records if r.name == log.name]
    head_length = len(data) - 12
    assert lines == [f'200 12 {len(data)} "{Response.SERVER_SOFTWARE}"'], head_length


@pytest.mark.asyncio
async def test_response_attribute_after_a_fast_write() -> None:
    class Sink(asyncio.Transport):
        def __init__(self) -> None:
            super().__init__()
            self.data = b""

        def write(self, data: bytes | bytearray | memoryview) -> None:
            self.data += bytes(data)

        def is_closing(self) -> bool:
            return False

    class Writer:
        transport = Sink()

    resp = WsgiResponse(Writer(), _message((1, 1), False))  # type: ignore[arg-type]  # duck-typed writer
    resp.start_response("200 OK", [("Content-Type", "text/plain")])
    resp.send_timeout = None
    assert resp._write_complete([b"ab", b"c"])
    assert not resp._write_complete([b"again"])  # sent already
    resp.write(b"more")  # past the end: dropped, as Response drops bytes past Content-Length
    assert Writer.transport.data.endswith(b"\r\n\r\nabc")
    sent = resp.response
    assert sent is not None
    assert (sent.status, sent.length, sent.body_length) == (200, 3, 3)
    assert sent.output_length == len(Writer.transport.data)

    old = WsgiResponse(Writer(), _message((0, 9), False))  # type: ignore[arg-type]  # duck-typed writer
    old.start_response("200 OK", [])
    assert not old._write_complete([b"x"])  # HTTP/0.9 is left to Response


def test_expect_continue_not_answered_closes_the_connection() -> None:
    with ServerThread(_list_app, validate=False) as srv:
        with srv.raw() as sock:
            sock.sendall(
                b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
            )
            data = recv_all(sock)  # the app never read the body: no 100, and close
    assert b"100 Continue" not in data
    assert b"\r\nConnection: close\r\n" in data and data.endswith(b"Hello world!")
    assert srv.errors == []
