"""Server paths hostile clients and broken handlers reach (issue 9): unread
bodies discarded or not, error answers with odd statuses and headers, the
lingering close when reading is paused or turned off, and WSGI applications
that break PEP 3333."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from wsgi_testutil import ServerThread, request

from aiohttp_errors import HttpProcessingError
from aiohttp_parsers import RawRequestMessage, Response, hdrs
from aiohttp_streams import StreamReader
from aiohttp_wsgi import AccessLogger, ServerHttpProtocol

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

WAIT = 20


class SkipBodyProtocol(ServerHttpProtocol):
    """Answers without reading the body; keeps the connection alive."""

    async def handle_request(self, message: RawRequestMessage, payload: StreamReader) -> None:
        assert self.writer is not None
        if message.path == "/odd-error":
            raise HttpProcessingError(code=599, message="odd", headers=[("X-Why", "test")])
        if message.path == "/mapped-error":
            raise HttpProcessingError(code=409, message="conflict", headers={"X-Why": "map"})
        resp = Response(self.writer, 200, http_version=message.version)
        resp.add_header(hdrs.CONTENT_LENGTH, "2")
        resp.send_headers()
        resp.write(b"ok")
        await resp.write_eof()
        self.keep_alive(True)


Factory = Callable[[], ServerHttpProtocol]


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Callable[[Factory], asyncio.Future[int]]]:
    servers: list[asyncio.Server] = []

    async def start(factory: Factory) -> int:
        srv = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", 0)
        servers.append(srv)
        port: int = srv.sockets[0].getsockname()[1]
        return port

    yield lambda factory: asyncio.ensure_future(start(factory))
    for srv in servers:
        srv.close()
        await srv.wait_closed()


async def exchange(port: int, data: bytes, *, half_close: bool = True) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    if half_close:
        writer.write_eof()
    try:
        return await asyncio.wait_for(reader.read(), WAIT)
    finally:
        writer.close()


POST = b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
GET = b"GET /g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


@pytest.mark.asyncio
async def test_unread_body_is_discarded_and_the_connection_kept(
    serve: Callable[[Factory], asyncio.Future[int]],
) -> None:
    # More than the body stream buffers, less than the lingering limit.
    size = 300_000
    port = await serve(lambda: SkipBodyProtocol(access_log=None, lingering_limit=size))
    out = await exchange(port, POST % size + b"b" * size + GET)
    assert out.count(b"HTTP/1.1 200 OK") == 2  # at the lingering limit: kept


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "kw", [{"lingering_limit": 1000}, {"lingering_limit": 0}, {"lingering_time": 0.0}]
)
async def test_unread_body_past_the_lingering_bounds_closes(
    serve: Callable[[Factory], asyncio.Future[int]], kw: dict[str, float]
) -> None:
    port = await serve(lambda: SkipBodyProtocol(access_log=None, **kw))  # type: ignore[arg-type]
    try:
        out = await exchange(port, POST % 300_000 + b"b" * 300_000 + GET)
    except ConnectionResetError:
        # Lingering turned off: closing with unread input resets the
        # connection, and the answer may be lost with it.
        assert not kw.get("lingering_limit", 1) or not kw.get("lingering_time", 1)
        return
    assert out.count(b"HTTP/1.1 200 OK") == 1  # past it: closed after the answer


@pytest.mark.asyncio
async def test_unread_body_of_a_vanishing_client(
    serve: Callable[[Factory], asyncio.Future[int]],
) -> None:
    port = await serve(lambda: SkipBodyProtocol(access_log=None))
    out = await exchange(port, POST % 5000 + b"b" * 10)  # then EOF mid-body
    assert out.count(b"HTTP/1.1 200 OK") == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("lingering", [True, False])
async def test_error_answers_with_odd_status_and_headers(
    serve: Callable[[Factory], asyncio.Future[int]], lingering: bool
) -> None:
    kw = {} if lingering else {"lingering_time": 0.0}
    port = await serve(lambda: SkipBodyProtocol(access_log=None, **kw))  # type: ignore[arg-type]
    out = await exchange(port, b"GET /odd-error HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 500 ")  # unknown status: a plain 500
    assert b"X-Why: test" in out
    out = await exchange(port, b"GET /mapped-error HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 409 ")
    assert b"X-Why: map" in out


@pytest.mark.asyncio
async def test_error_while_reading_is_paused_still_gets_its_answer(
    serve: Callable[[Factory], asyncio.Future[int]],
) -> None:
    # A bad request behind 300 KiB of pipelined requests: reading pauses while
    # the handler runs; the 400 still arrives (reading resumes to linger).
    port = await serve(lambda: SkipBodyProtocol(access_log=None, max_pipeline_buffer=1024))
    good = b"GET /g HTTP/1.1\r\nHost: x\r\n\r\n"
    out = await exchange(port, good * 10_000 + b"BAD\r\n\r\n" + good * 100)
    assert out.count(b"HTTP/1.1 200 OK") == 10_000
    assert out.count(b"HTTP/1.1 400 ") == 1


# -- WSGI applications that break the rules --------------------------------------


def bad_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/no-start":
        return [b"x"]
    if path == "/not-iterable":
        start_response("200 OK", [])
        return 42  # type: ignore[return-value]  # deliberately broken app
    start_response("200 OK", [("Content-Type", "text/plain")])
    if path == "/str-chunk":
        return ["text"]  # type: ignore[list-item]  # deliberately broken app
    if path == "/str-later":

        def gen() -> Iterator[bytes]:
            yield b"first"
            yield "second"  # type: ignore[misc]  # deliberately broken app

        return gen()
    return [b"fine"]


@pytest.mark.parametrize("path", ["/no-start", "/not-iterable", "/str-chunk", "/str-later"])
@pytest.mark.parametrize("executor", [None, False], ids=["threads", "loop"])
def test_broken_wsgi_apps_get_500_or_a_closed_connection(path: str, executor: object) -> None:
    with ServerThread(bad_app, validate=False, executor=executor) as srv:
        try:
            status, _, _ = request(srv, "GET", path)
        except (ConnectionError, OSError, Exception) as exc:  # headers already sent: cut short
            assert path == "/str-later", exc
        else:
            assert status == (200 if path == "/str-later" else 500)
        assert request(srv, "GET", "/fine")[0] == 200
        assert srv.wait_idle() == []


def odd_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/int-status":
        start_response(200, [])  # type: ignore[arg-type]  # deliberately broken app
        return [b"never"]
    if path == "/lines":
        hint = int(environ["QUERY_STRING"] or -1)
        lines = environ["wsgi.input"].readlines(hint)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"|".join(lines)]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [path.encode()]


def test_odd_requests_and_apps() -> None:
    with ServerThread(odd_app, validate=False) as srv:
        assert request(srv, "GET", "/int-status")[0] == 500
        body = b"one\ntwo\nthree\n"
        assert request(srv, "POST", "/lines", body=body)[2] == b"one\n|two\n|three\n"
        assert request(srv, "POST", "/lines?5", body=body)[2] == b"one\n|two\n"
        status, _, got = request(srv, "OPTIONS", "*")
        assert (status, got) == (200, b"*")


def test_load_app_errors_say_what_is_wrong() -> None:
    from aiohttp_wsgi import load_app

    with pytest.raises(SystemExit, match="no 'application' or 'app'"):
        load_app("json")
    with pytest.raises(SystemExit, match="is not callable"):
        load_app("json:__name__")
    assert callable(load_app("wsgi_cli_app"))


def test_access_log_without_transport_response_or_environ(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # What handle_error logs for a connection that is already gone.
    logger = logging.getLogger("test.hostile.access")
    with caplog.at_level(logging.INFO, logger="test.hostile.access"):
        AccessLogger(logger, "%a %{Content-Type}o %{AIOHTTP_TEST_UNSET}e").log(
            None,
            None,
            None,  # no response object at all
            None,
            0.0,
        )
    assert [r.getMessage() for r in caplog.records] == ["- - -"]


def test_load_app_imports_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiohttp_wsgi import load_app

    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hostile_cwd_app.py").write_text(
        "def app(environ, start_response):\n    return []\n"
    )
    assert callable(load_app("hostile_cwd_app:app"))
    assert sys.path[0] == str(tmp_path)
