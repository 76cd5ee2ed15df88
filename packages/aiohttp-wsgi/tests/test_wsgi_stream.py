"""The streamed-body fast path: a result that is not a list/tuple is sent
without a Response, with exactly the bytes the Response path writes."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

import pytest
from flask import Flask, Response as FlaskResponse, redirect
from flask.typing import ResponseReturnValue
from hypothesis import given, settings, strategies as st
from multidict import CIMultiDict, CIMultiDictProxy
from wsgi_testutil import ServerThread, recv_all

from aiohttp_parsers import HttpVersion, RawRequestMessage, Response
from aiohttp_wsgi import WsgiResponse, WSGIServerHttpProtocol
from aiohttp_wsgi._fast_head import stream_head
from aiohttp_wsgi._stream_body import StreamBody

DATE = "Tue, 24 Nov 2026 10:00:00 GMT"


class _Sink(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return False


class _Writer:
    """What WsgiResponse needs of an aiohttp_parsers.StreamWriter."""

    def __init__(self) -> None:
        self.transport = _Sink()

    def write(self, data: bytes) -> None:
        self.transport.write(data)

    async def drain(self) -> None:
        pass

    @property
    def data(self) -> bytes:
        return b"".join(self.transport.writes)


def _message(
    version: tuple[int, int], should_close: bool, method: str = "GET"
) -> RawRequestMessage:
    return RawRequestMessage(
        method, "/", HttpVersion(*version), CIMultiDictProxy(CIMultiDict()), (), should_close, None
    )


class SlowWsgiResponse(WsgiResponse):
    """Always the Response path: what every streamed result got before."""

    def _begin_stream(self) -> StreamBody | None:
        return None


class SlowProtocol(WSGIServerHttpProtocol):
    def create_wsgi_response(self, message: RawRequestMessage) -> WsgiResponse:
        assert self.writer is not None
        response = SlowWsgiResponse(self.writer, message, protocol=self)
        response.send_timeout = self._send_timeout
        return response


# -- in memory: the same calls through both paths -------------------------------

_names = st.sampled_from(["Content-Type", "X-A", "date", "Server", "content-length", "ETag"])
_values = st.text(alphabet=st.sampled_from("ab 1\t/;=\xe9"), max_size=8)
_chunks = st.lists(st.sampled_from([b"", b"x", b"hello", b"\x00" * 17, b"z" * 300]), max_size=5)


async def _send(resp: WsgiResponse, chunks: list[bytes], thread: bool) -> None:
    """Write ``chunks`` as the loop does for a streamed result."""
    if thread:  # as handed over from a worker thread: one batch, then the task
        resp._loop = asyncio.get_running_loop()
        for chunk in chunks:
            if chunk:
                resp._write_nowait(chunk)
        resp._end_nowait()
        await asyncio.sleep(0)
    else:
        for chunk in chunks:
            resp.write(chunk)
    await resp.write_eof()


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from(["200 OK", "201 Created", "404 Not Found", "299", "204 No Content"]),
    headers=st.lists(st.tuples(_names, _values), max_size=4),
    length=st.none() | st.sampled_from([0, 1, 5, 17, 400]),
    version=st.sampled_from([(1, 0), (1, 1), (1, 2)]),
    should_close=st.booleans(),
    app_close=st.booleans(),
    chunks=_chunks,
    thread=st.booleans(),
)
def test_streamed_bytes_are_the_response_bytes(
    status: str,
    headers: list[tuple[str, str]],
    length: int | None,
    version: tuple[int, int],
    should_close: bool,
    app_close: bool,
    chunks: list[bytes],
    thread: bool,
) -> None:
    headers = [(n, v) for n, v in headers if n != "content-length"]
    if length is not None:
        headers.append(("content-length", f" {length}"))
    if app_close:
        headers.append(("Connection", "close"))

    async def run() -> None:
        fast_writer, slow_writer = _Writer(), _Writer()
        fast = WsgiResponse(fast_writer, _message(version, should_close))  # type: ignore[arg-type]  # duck-typed writer
        fast.start_response(status, headers)
        await _send(fast, chunks, thread)
        stream = fast._stream
        assert (stream is None) == status.startswith("204")
        sent = fast.response
        assert sent is not None

        slow = SlowWsgiResponse(slow_writer, _message(version, should_close))  # type: ignore[arg-type]  # duck-typed writer
        slow.start_response(status, headers)
        slow._start(None, sent.headers["Date"])
        await _send(slow, chunks, False)
        assert fast_writer.data == slow_writer.data
        if thread and stream is not None:
            # Head, body and end were handed over in one batch: one send().
            assert len(fast_writer.transport.writes) == 1

        expected = slow.response
        assert expected is not None
        assert (sent.status, sent.length, sent.output_length, sent.body_length) == (
            expected.status,
            expected.length,
            expected.output_length,
            expected.body_length,
        )
        assert list(sent.headers.items()) == list(expected.headers.items())
        if stream is not None:
            # What handle_request() decides from either.
            incomplete = expected.length is not None and expected.body_length < expected.length
            assert stream.incomplete == incomplete
            assert stream.keep_alive == (expected.keep_alive() and not incomplete)

    asyncio.run(run())


def test_stream_head_declines_what_response_decides() -> None:
    args = ((1, 1), 200, "OK")
    assert (
        stream_head(*args, [("Content-Length", "1"), ("Content-Length", "1")], False, DATE, "s")
        is None
    )
    assert stream_head(*args, [("Content-Length", "x")], False, DATE, "s") is None
    assert stream_head(*args, [("Content-Length", "\xb2")], False, DATE, "s") is None
    assert stream_head((0, 9), 200, "OK", [], False, DATE, "s") is None
    made = stream_head((1, 0), 200, "OK", [], False, DATE, "s")
    assert made is not None and made[1:] == (None, False, True)  # until close


@pytest.mark.asyncio
async def test_stream_body_edges() -> None:
    body = StreamBody(b"H", 3, False, False, DATE)
    body.write(b"ab")
    body.write(b"cd")  # past Content-Length: cut
    body.write(b"ef")  # dropped
    body.end()
    body.write(b"late")  # nothing follows the end
    assert body.take() == b"Habc" and body.take() == b""
    assert not body.incomplete and body.keep_alive and body.output_length == 4

    # The Response path stays where a Response was made already.
    writer = _Writer()
    resp = WsgiResponse(writer, _message((1, 1), False))  # type: ignore[arg-type]  # duck-typed writer
    resp.start_response("200 OK", [])
    resp.send_headers()
    resp._write_nowait(b"abc")
    resp._end_nowait()  # a no-op: no stream
    await resp.write_eof()
    assert resp._stream is None and writer.data.endswith(b"3\r\nabc\r\n0\r\n\r\n")

    # write() first, then a list result: the list follows on the same stream.
    writer = _Writer()
    resp = WsgiResponse(writer, _message((1, 1), False))  # type: ignore[arg-type]  # duck-typed writer
    resp.start_response("200 OK", [])
    resp.write(b"ab")
    await resp.write_all([b"", b"cd"])
    assert writer.data.endswith(b"\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n")
    assert resp.send_headers() is resp.response  # made once, on demand

    # No status: the Response path raises as before.
    resp = WsgiResponse(_Writer(), _message((1, 1), False))  # type: ignore[arg-type]  # duck-typed writer
    with pytest.raises(RuntimeError):
        resp.write(b"x")


# -- real sockets: the same requests to a server on each path --------------------


def _spec_app(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    """Answers as the JSON in the query string says: status, headers, chunks."""
    spec = json.loads(urllib.parse.unquote(str(environ["QUERY_STRING"])))
    headers = [tuple(h) for h in spec["headers"]]
    if spec["status"][:3] not in ("204", "304"):  # as wsgiref.validate wants
        headers.insert(0, ("Content-Type", "text/plain"))
    write = start_response(spec["status"], headers)  # type: ignore[operator]  # WSGI callable
    for piece in spec.get("write", []):
        write(piece.encode("latin-1"))

    return _Body(spec["chunks"])


class _Body:
    """A result iterable that is not a generator, and records its close()."""

    closed: ClassVar[int] = 0

    def __init__(self, pieces: list[str]) -> None:
        self._pieces = iter(pieces)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        piece = next(self._pieces)
        if piece == "!fail":
            raise RuntimeError("the application failed mid-body")
        if "*" in piece:  # "z*5000": long chunks, short request lines
            text, count = piece.rsplit("*", 1)
            piece = text * int(count)
        return piece.encode("latin-1")

    def close(self) -> None:
        with _lock:
            _Body.closed += 1


_lock = threading.Lock()


def _request(
    spec: Mapping[str, object], version: str = "1.1", connection: str | None = None
) -> bytes:
    query = urllib.parse.quote(json.dumps(spec))
    lines = [f"GET /?{query} HTTP/{version}", "Host: x"]
    if connection is not None:
        lines.append(f"Connection: {connection}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


_DATE_RE = re.compile(rb"\r\nDate: [A-Z][a-z][a-z], [^\r]* GMT\r\n")
_BYE = b"GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def _exchange(srv: ServerThread, data: bytes) -> bytes:
    with srv.raw() as sock:
        sock.sendall(data)
        return _DATE_RE.sub(b"\r\nDate: -\r\n", recv_all(sock))


def _bye_app(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    if environ["PATH_INFO"] == "/bye":
        start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]  # WSGI callable
        return iter([b"bye"])
    return _spec_app(environ, start_response)


@pytest.fixture(scope="module", params=["pool", "executor", "inline"])
def servers(request: pytest.FixtureRequest) -> Iterator[tuple[ServerThread, ServerThread]]:
    # The server's WorkerPool, a plain executor (call_soon_threadsafe), the loop.
    executor = {"pool": None, "executor": ThreadPoolExecutor(4), "inline": False}[request.param]
    with ServerThread(_bye_app, executor=executor) as fast:  # under wsgiref.validate
        with ServerThread(_bye_app, protocol=SlowProtocol, executor=executor) as slow:
            yield fast, slow
            assert fast.errors == slow.errors


# wsgiref.validate refuses a TAB in values (the in-memory test has them);
# the app adds the Content-Type it wants.
_wire_values = st.text(alphabet=st.sampled_from("ab 1/;=\xe9"), max_size=8)
_header = st.tuples(st.sampled_from(["X-A", "ETag", "Server"]), _wire_values)
# 300 KB in one response passes DEFAULT_SYNC_BYTES: the thread then waits
# for the loop to write (the other hand-off) in the middle of a body.
_text_chunks = st.lists(
    st.sampled_from(["", "a", "hello", "\xe9" * 40, "z*5000", "y*150000"]), max_size=4
)


@settings(max_examples=25, deadline=None)
@given(
    status=st.sampled_from(["200 OK", "404 Not Found", "299 Odd", "304 Not Modified"]),
    headers=st.lists(_header, max_size=3),
    length=st.none() | st.sampled_from([0, 3, 5, 6000, 200000]),
    chunks=_text_chunks,
    written=st.lists(st.sampled_from(["", "w"]), max_size=2),
    version=st.sampled_from(["1.1", "1.0"]),
    connection=st.sampled_from([None, "keep-alive", "close"]),
    app_close=st.booleans(),
)
def test_same_bytes_on_the_wire(
    servers: tuple[ServerThread, ServerThread],
    status: str,
    headers: list[tuple[str, str]],
    length: int | None,
    chunks: list[str],
    written: list[str],
    version: str,
    connection: str | None,
    app_close: bool,
) -> None:
    if length is not None:
        headers = [*headers, ("Content-Length", str(length))]
    if app_close:
        headers = [*headers, ("Connection", "close")]
    spec = {"status": status, "headers": headers, "chunks": chunks, "write": written}
    # A second request shows whether the connection was kept, and how.
    data = _request(spec, version, connection) + _BYE
    fast, slow = servers
    got = _exchange(fast, data)
    assert got == _exchange(slow, data)
    assert got.startswith(f"HTTP/{version} {status}\r\n".encode())


@pytest.mark.parametrize(
    "spec",
    [
        {"status": "200 OK", "headers": [], "chunks": ["", "abc", "", "de"]},
        {"status": "200 OK", "headers": [("Content-Length", "3")], "chunks": ["ab", "cdef", "g"]},
        {"status": "200 OK", "headers": [("Content-Length", "9")], "chunks": ["ab"]},  # under-run
        {
            "status": "200 OK",
            "headers": [("Content-Length", "x")],
            "chunks": ["ab"],
        },  # refused: 500
        {"status": "200 OK", "headers": [], "chunks": []},
        {"status": "200 OK", "headers": [], "chunks": ["ab", "!fail"]},  # after the head: closed
        {"status": "200 OK", "headers": [], "chunks": ["!fail"]},  # before: a 500 page
        {"status": "204 No Content", "headers": [], "chunks": ["dropped"]},
        {"status": "101 Switching", "headers": [], "chunks": []},
    ],
)
@pytest.mark.parametrize("version", ["1.1", "1.0"])
def test_edge_cases_on_the_wire(
    servers: tuple[ServerThread, ServerThread], spec: dict[str, object], version: str
) -> None:
    fast, slow = servers
    for connection in (None, "keep-alive"):
        data = _request(spec, version, connection) + _BYE
        closed = _Body.closed
        got = _exchange(fast, data)
        assert got == _exchange(slow, data)
        assert got.startswith(f"HTTP/{version} ".encode())
        assert _Body.closed == closed + 2  # PEP 3333: close() whatever happened
    head = b"HEAD" + _request(spec)[3:] + _BYE
    assert _exchange(fast, head) == _exchange(slow, head)


def test_expect_continue_not_answered() -> None:
    # The app never reads the body (never sent): no 100, and the connection
    # must close, which the Response path handles.
    spec = {"status": "200 OK", "headers": [], "chunks": ["abc"]}
    expect = b"\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
    data = _request(spec).replace(b"\r\n\r\n", expect)
    with ServerThread(_bye_app) as fast, ServerThread(_bye_app, protocol=SlowProtocol) as slow:
        got = _exchange(fast, data)
        assert got == _exchange(slow, data)
    assert b"100 Continue" not in got and got.endswith(b"\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    assert b"\r\nConnection: close\r\n" in got


def test_wire_bytes_of_a_generator() -> None:
    """The exact bytes, spelled out (chunked, Content-Length, until close)."""
    server = f"Server: {Response.SERVER_SOFTWARE}\r\n\r\n".encode()
    with ServerThread(_bye_app) as srv:  # under wsgiref.validate
        plain = {"status": "200 OK", "headers": [], "chunks": ["ab", "c"]}
        sized = {**plain, "headers": [("Content-Length", "3")]}
        chunked = _exchange(srv, _request(plain) + _BYE)
        with_length = _exchange(srv, _request(sized) + _BYE)
        until_close = _exchange(srv, _request(plain, "1.0"))
        assert srv.errors == []
        failing = {**plain, "chunks": ["ab", "!fail", "never"]}
        failed = _exchange(srv, _request(failing) + _BYE)
    assert srv.errors == ["Error handling request"]
    # Failed after the head went out: what was sent, no last-chunk, closed.
    assert failed.endswith(b"Transfer-Encoding: chunked\r\n" + server + b"2\r\nab\r\n")
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: -\r\n"
    assert chunked.startswith(
        head
        + b"Transfer-Encoding: chunked\r\n"
        + server
        + b"2\r\nab\r\n1\r\nc\r\n0\r\n\r\nHTTP/1.1 200 OK"
    )
    sized_head = head.replace(b"Date", b"Content-Length: 3\r\nDate")  # the app's place
    assert with_length.startswith(sized_head + server + b"abcHTTP/1.1 200 OK")
    assert (
        until_close
        == b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nDate: -\r\n" + server + b"abc"
    )


# -- Flask: werkzeug wraps every body in a ClosingIterator --------------------------


def _flask_app() -> Flask:
    app = Flask("flask_stream_path")

    @app.get("/")
    def index() -> str:
        return "hello from flask"

    @app.get("/rows")
    def rows() -> FlaskResponse:
        return FlaskResponse((f"row {i}\n" for i in range(3)), mimetype="text/plain")

    @app.get("/old")
    def old() -> ResponseReturnValue:
        return redirect("/")

    return app


def test_flask_bytes_are_the_response_bytes() -> None:
    app = _flask_app()
    requests = b"".join(
        f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        for method in ("GET", "HEAD")
        for path in ("/", "/rows", "/old", "/missing")
    )
    with ServerThread(app) as fast, ServerThread(app, protocol=SlowProtocol) as slow:
        got = _exchange(fast, requests + _BYE)
        assert got == _exchange(slow, requests + _BYE)
    assert fast.errors == slow.errors == []
    assert got.count(b"HTTP/1.1 ") == 9
    assert b"Content-Length: 16\r\n" in got and b"hello from flask" in got
    assert b"\r\n\r\n6\r\nrow 0\n\r\n6\r\nrow 1\n\r\n6\r\nrow 2\n\r\n0\r\n\r\n" in got


def test_access_log_of_a_streamed_response(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("test.wsgi.stream.access")
    fmt = '%s %b %O "%{Server}o %{Content-Length}o %{Transfer-Encoding}o"'
    spec = {"status": "200 OK", "headers": [], "chunks": ["ab", "c"]}
    sized = {**spec, "headers": [("Content-Length", "9")]}  # under-run: closed
    lines = []
    for protocol in (WSGIServerHttpProtocol, SlowProtocol):
        caplog.clear()
        kw = {"access_log": log, "access_log_format": fmt, "protocol": protocol}
        with ServerThread(_bye_app, validate=False, **kw) as srv:
            with caplog.at_level(logging.INFO, logger=log.name):
                _exchange(srv, _request(spec) + _request(spec, "1.0", "keep-alive") + _BYE)
                _exchange(srv, _request(sized))
                srv.wait_idle()
        lines.append([r.getMessage() for r in caplog.records if r.name == log.name])
    assert lines[0] == lines[1]
    # The HTTP/1.0 body ends with the connection: /bye is never answered.
    server = Response.SERVER_SOFTWARE
    assert [line.split(" ", 2)[1] + line.split('"')[1][len(server) :] for line in lines[0]] == [
        "18 - chunked",
        "3 - -",
        "3 9 -",
    ]
