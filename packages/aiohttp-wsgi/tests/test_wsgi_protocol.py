"""ServerHttpProtocol on its own: default 404, subclassing, connection takeover, access log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING
from wsgiref.validate import validator

import pytest
import pytest_asyncio

from aiohttp_parsers import LinesParser, RawRequestMessage, Response, hdrs
from aiohttp_streams import StreamReader
from aiohttp_wsgi import ServerHttpProtocol, WSGIServerHttpProtocol

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

WAIT = 20


class EchoProtocol(ServerHttpProtocol):
    """Echo bodies; on ``Upgrade: lines`` take the connection over and echo lines."""

    async def handle_request(self, message: RawRequestMessage, payload: StreamReader) -> None:
        assert self.writer is not None
        if message.path == "/fail":
            raise ValueError("handler failed")
        if message.headers.get(hdrs.UPGRADE) == "lines":
            resp = Response(self.writer, 101, http_version=message.version)
            resp.add_header(hdrs.UPGRADE, "lines")
            resp.add_header(hdrs.CONNECTION, "upgrade")
            resp.send_headers()
            # The connection is ours now: parse it with our own parser.
            lines = self.reader.set_parser(LinesParser())
            while True:
                line = await lines.read()
                if line == b"quit\r\n":
                    break
                self.writer.write(b"echo: " + line)
            self.reader.unset_parser()
            return
        body = await payload.read()
        resp = Response(self.writer, 200, http_version=message.version, close=message.should_close)
        resp.add_header(hdrs.CONTENT_LENGTH, str(len(body)))
        resp.add_header(hdrs.CONTENT_TYPE, "application/octet-stream")
        resp.send_headers()
        resp.write(body)
        await resp.write_eof()
        self.keep_alive(resp.keep_alive())
        self.log_access(message, None, resp, 0.0)


Factory = Callable[[], ServerHttpProtocol]


@pytest_asyncio.fixture
async def server() -> AsyncIterator[Callable[[Factory], asyncio.Future[int]]]:
    servers: list[asyncio.Server] = []

    async def start(factory: Factory) -> int:
        srv = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", 0)
        servers.append(srv)
        port: int = srv.sockets[0].getsockname()[1]
        return port

    def run(factory: Factory) -> asyncio.Future[int]:
        return asyncio.ensure_future(start(factory))

    yield run
    for srv in servers:
        srv.close()
        await srv.wait_closed()


async def exchange(port: int, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    out = await asyncio.wait_for(reader.read(), WAIT)
    writer.close()
    await writer.wait_closed()
    return out


@pytest.mark.asyncio
async def test_default_handler_is_404(server: Callable[[Factory], asyncio.Future[int]]) -> None:
    port = await server(lambda: ServerHttpProtocol(access_log=None))
    out = await exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 404 ")
    assert out.endswith(b"Page Not Found!")


@pytest.mark.asyncio
async def test_subclass_keep_alive_and_access_log(
    server: Callable[[Factory], asyncio.Future[int]], caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("test.wsgi.access")
    port = await server(lambda: EchoProtocol(access_log=logger, access_log_format='"%r" %s %b'))
    with caplog.at_level(logging.INFO, logger="test.wsgi.access"):
        out = await exchange(
            port,
            b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
            b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nde",
        )
    assert out.count(b"HTTP/1.1 200 OK") == 2
    assert out.index(b"abc") < out.index(b"de")
    assert [r.getMessage() for r in caplog.records] == [
        '"POST /a HTTP/1.1" 200 3',
        '"POST /b HTTP/1.1" 200 2',
    ]


@pytest.mark.asyncio
async def test_connection_takeover(server: Callable[[Factory], asyncio.Future[int]]) -> None:
    port = await server(lambda: EchoProtocol(access_log=None))
    out = await exchange(
        port,
        b"GET /up HTTP/1.1\r\nHost: x\r\nUpgrade: lines\r\nConnection: upgrade\r\n\r\n"
        b"one\r\ntwo\r\nquit\r\n",
    )
    head, rest = out.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101 ")
    assert rest == b"echo: one\r\necho: two\r\n"


@pytest.mark.asyncio
async def test_handler_error_is_500(server: Callable[[Factory], asyncio.Future[int]]) -> None:
    port = await server(lambda: EchoProtocol(access_log=None))
    out = await exchange(port, b"GET /fail HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 500 ")
    assert b"handler failed" not in out


@pytest.mark.asyncio
async def test_shutdown_closes_idle_connection(
    server: Callable[[Factory], asyncio.Future[int]],
) -> None:
    protos: list[ServerHttpProtocol] = []

    def factory() -> ServerHttpProtocol:
        proto = EchoProtocol(access_log=None)
        protos.append(proto)
        return proto

    port = await server(factory)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz")
    await reader.readuntil(b"z")
    await protos[0].shutdown(timeout=WAIT)
    assert await asyncio.wait_for(reader.read(), WAIT) == b""
    writer.close()
    await writer.wait_closed()


class MixedProtocol(WSGIServerHttpProtocol):
    """The showcase pattern: some paths handled natively, the rest by the WSGI app."""

    async def handle_request(self, message: RawRequestMessage, payload: StreamReader) -> None:
        if message.path != "/native":
            await super().handle_request(message, payload)
            return
        assert self.writer is not None
        self.send_continue()  # WSGIServerHttpProtocol answers 100-continue lazily
        body = await payload.read()
        resp = Response(self.writer, 200, http_version=message.version, close=message.should_close)
        resp.add_header(hdrs.CONTENT_LENGTH, str(len(body) + 7))
        resp.send_headers()
        resp.write(b"native:" + body)
        await resp.write_eof()
        self.keep_alive(resp.keep_alive())


def wsgi_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"wsgi:" + environ["PATH_INFO"].encode("latin-1")]


@pytest.mark.asyncio
async def test_wsgi_subclass_serves_native_paths(
    server: Callable[[Factory], asyncio.Future[int]],
) -> None:
    port = await server(lambda: MixedProtocol(validator(wsgi_app), access_log=None))
    out = await exchange(
        port,
        b"POST /native HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi"
        b"GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    # the body came with the headers: no 100 Continue is needed (RFC 9110 §10.1.1)
    assert out.startswith(b"HTTP/1.1 200 OK")
    assert b"native:hi" in out
    assert b"wsgi:/other" in out


@pytest.mark.asyncio  # protocols are created inside a running loop
async def test_aiohttp1_keyword_spellings() -> None:
    proto = ServerHttpProtocol(keepalive_timeout=5, tcp_keepalive=False, slow_request_timeout=2)
    assert proto.keep_alive_timeout == 5 == proto.keepalive_timeout
    assert proto._keep_alive_on is False
    assert proto._timeout == 2
    assert ServerHttpProtocol().keep_alive_timeout == 75
