"""Request/Response written to a real 127.0.0.1 connection, read back by the parsers."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import Awaitable, Callable

import pytest
from parsers_drive import Out, parse_requests, parse_response, run
from parsers_sink import Sink

from aiohttp_parsers import (
    HttpPayloadParser,
    HttpRequestParser,
    HttpResponseParser,
    HttpVersion10,
    HttpVersion11,
    ParserBuffer,
    RawResponseMessage,
    Request,
    Response,
    hdrs,
)

Writable = asyncio.WriteTransport | asyncio.StreamWriter
Scenario = Callable[[Writable], Awaitable[None]]


class Collect(asyncio.Protocol):
    def __init__(self, done: asyncio.Future[bytes]) -> None:
        self.data = bytearray()
        self.done = done

    def data_received(self, data: bytes) -> None:
        self.data += data

    def connection_lost(self, exc: Exception | None) -> None:
        self.done.set_result(bytes(self.data))


async def over_socket(scenario: Scenario, *, stream_writer: bool = False) -> bytes:
    """Run ``scenario`` on a client connection; return what the server got."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[bytes] = loop.create_future()
    server = await loop.create_server(lambda: Collect(done), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    if stream_writer:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        await scenario(writer)
        writer.close()
        await writer.wait_closed()
    else:
        transport, _ = await loop.create_connection(asyncio.Protocol, "127.0.0.1", port)
        assert isinstance(transport, asyncio.WriteTransport)
        await scenario(transport)
        transport.close()
    data = await done
    server.close()
    await server.wait_closed()
    return data


BODY = [b"first piece ", b"", b"second piece " * 50, b"end"]


def response_scenario(
    status: int = 200,
    version: tuple[int, int] = (1, 1),
    headers: tuple[tuple[str, str], ...] = (),
    body: list[bytes] = BODY,
    setup: Callable[[Response], None] | None = None,
) -> Scenario:
    async def scenario(transport: Writable) -> None:
        resp = Response(
            transport, status, http_version=HttpVersion10 if version == (1, 0) else HttpVersion11
        )
        resp.add_headers(("Content-Type", "text/plain"), *headers)
        if setup is not None:
            setup(resp)
        resp.send_headers()
        for piece in body:
            await resp.write(piece, drain=True)
        await resp.write_eof()

    return scenario


@pytest.mark.asyncio
@pytest.mark.parametrize("stream_writer", [False, True], ids=["transport", "stream-writer"])
async def test_chunked_response_round_trip(stream_writer: bool) -> None:
    data = await over_socket(response_scenario(), stream_writer=stream_writer)
    msg, body = parse_response(iter([data]))
    assert msg.code == 200 and msg.reason == "OK"
    assert msg.headers[hdrs.TRANSFER_ENCODING] == "chunked"
    assert hdrs.CONTENT_LENGTH not in msg.headers
    assert msg.headers["Content-Type"] == "text/plain"
    assert hdrs.DATE in msg.headers and hdrs.SERVER in msg.headers
    assert msg.should_close is False
    assert body == b"".join(BODY)


@pytest.mark.asyncio
async def test_length_response_round_trip() -> None:
    total = len(b"".join(BODY))
    scenario = response_scenario(headers=(("Content-Length", str(total - 3)),))
    data = await over_socket(scenario)
    msg, body = parse_response(iter([data]), readall=False)
    assert msg.headers[hdrs.CONTENT_LENGTH] == str(total - 3)
    assert hdrs.TRANSFER_ENCODING not in msg.headers
    assert body == b"".join(BODY)[:-3]  # bytes past Content-Length are dropped, as in 2016
    assert data.endswith(body)


@pytest.mark.asyncio
async def test_http10_response_closes_to_end_body() -> None:
    data = await over_socket(response_scenario(version=(1, 0)))
    msg, body = parse_response(iter([data]))
    assert msg.version == HttpVersion10
    assert msg.should_close
    assert hdrs.TRANSFER_ENCODING not in msg.headers
    assert body == b"".join(BODY)


@pytest.mark.asyncio
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_compressed_and_rechunked_round_trip(encoding: str) -> None:
    noise = b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(100))
    payload = [b"squeeze me " * 400, noise, b"and me " * 300]

    def setup(resp: Response) -> None:
        resp.add_compression_filter(encoding)
        resp.add_chunking_filter(100)

    scenario = response_scenario(
        headers=(("Content-Encoding", encoding),), body=payload, setup=setup
    )
    data = await over_socket(scenario)
    msg, body = parse_response(iter([data]))
    assert msg.compression == encoding
    assert body == b"".join(payload)
    # The chunking filter cut the compressed stream into 100-byte chunks.
    assert b"\r\n64\r\n" in data


@pytest.mark.asyncio
async def test_gzip_filter_output_is_standard_gzip() -> None:
    def setup(resp: Response) -> None:
        resp.add_compression_filter("gzip")

    scenario = response_scenario(
        headers=(("Content-Encoding", "gzip"),), body=[b"plain"], setup=setup
    )
    data = await over_socket(scenario)
    msg, _ = parse_response(iter([data]))
    out: Out[RawResponseMessage] = Out()
    buf = ParserBuffer(data)
    assert run(HttpResponseParser()(out, buf), iter([]))
    raw: Out[bytes] = Out()
    assert run(HttpPayloadParser(out.items[0], compression=False)(raw, buf), iter([]))
    assert gzip.decompress(b"".join(raw.items)) == b"plain"


@pytest.mark.asyncio
async def test_pipelined_responses_on_one_connection() -> None:
    async def scenario(transport: Writable) -> None:
        for i in range(3):
            resp = Response(transport, 200 + i)
            resp.add_header("Content-Length", "1")
            resp.send_headers()
            resp.write(str(i).encode())
            await resp.write_eof()

    data = await over_socket(scenario)
    buf = ParserBuffer(data)
    seen = []
    for _ in range(3):
        head: Out[RawResponseMessage] = Out()
        assert run(HttpResponseParser()(head, buf), iter([]))
        body: Out[bytes] = Out()
        assert run(HttpPayloadParser(head.items[0])(body, buf), iter([]))
        seen.append((head.items[0].code, head.items[0].reason, b"".join(body.items)))
    assert seen == [(200, "OK", b"0"), (201, "Created", b"1"), (202, "Accepted", b"2")]
    assert not buf


@pytest.mark.asyncio
async def test_request_round_trip() -> None:
    async def scenario(transport: Writable) -> None:
        get = Request(transport, "GET", "/search?q=a%20b")
        get.add_header("Host", "example.com")
        get.add_header("Content-Length", "0")
        get.send_headers()
        await get.write_eof()

        post = Request(transport, "POST", "/upload")
        post.add_headers(("Host", "example.com"), ("X-Custom", "yes"))
        post.send_headers()
        for piece in BODY:
            post.write(piece)
        await post.write_eof()

        put = Request(transport, "PUT", "/put", close=True)
        put.add_headers(("Host", "example.com"), ("Content-Length", "3"))
        put.send_headers()
        put.write(b"abc")
        await put.write_eof()

    data = await over_socket(scenario)
    results = parse_requests(iter([data]))
    assert [(m.method, m.path, b) for m, b in results] == [
        ("GET", "/search?q=a%20b", b""),
        ("POST", "/upload", b"".join(BODY)),
        ("PUT", "/put", b"abc"),
    ]
    get, post, put = (m for m, _ in results)
    assert get.url.query["q"] == "a b"
    assert post.headers["X-Custom"] == "yes"
    assert post.headers[hdrs.TRANSFER_ENCODING] == "chunked"
    assert hdrs.USER_AGENT in post.headers
    assert put.should_close and put.headers[hdrs.CONNECTION] == "close"
    assert not get.should_close and not post.should_close


@pytest.mark.asyncio
async def test_headers_read_back_identically() -> None:
    sent = (
        ("X-Multi", "one"),
        ("x-multi", "two"),
        ("Set-Cookie", "a=1; Path=/"),
        ("X-Unicode", "żółw"),
        ("Content-Length", "0"),
    )

    async def scenario(transport: Writable) -> None:
        resp = Response(transport, 404, reason="Nope")
        resp.add_headers(*sent)
        resp.send_headers()
        await resp.write_eof()

    msg, _ = parse_response(iter([await over_socket(scenario)]))
    assert (msg.code, msg.reason) == (404, "Nope")
    assert msg.headers.getall("X-Multi") == ["one", "two"]
    assert msg.headers["Set-Cookie"] == "a=1; Path=/"
    assert msg.headers["X-Unicode"] == "żółw"


@pytest.mark.asyncio
async def test_no_body_statuses() -> None:
    async def scenario(transport: Writable) -> None:
        resp = Response(transport, 204)
        resp.send_headers()
        resp.write(b"dropped")
        await resp.write_eof()

    data = await over_socket(scenario)
    assert data.startswith(b"HTTP/1.1 204 No Content\r\n")
    assert data.endswith(b"\r\n\r\n")
    assert b"Transfer-Encoding" not in data and b"dropped" not in data


@pytest.mark.asyncio
async def test_auto_send_headers_on_write() -> None:
    async def scenario(transport: Writable) -> None:
        resp = Response(transport, 200)
        resp._send_headers = True  # what WSGI start_response does
        resp.write(b"hi")
        await resp.write_eof()

    _, body = parse_response(iter([await over_socket(scenario)]))
    assert body == b"hi"


@pytest.mark.asyncio
async def test_write_drain_with_stream_writer() -> None:
    async def scenario(transport: Writable) -> None:
        resp = Response(transport, 200)
        resp.send_headers()
        for _ in range(40):
            await resp.write(b"x" * 4096, drain=True)
        await resp.write_eof()

    _, body = parse_response(iter([await over_socket(scenario, stream_writer=True)]))
    assert body == b"x" * 4096 * 40


def test_keep_alive_and_force_close() -> None:
    resp = Response(Sink(), 200)
    assert resp.keep_alive()
    resp.force_close()
    assert not resp.keep_alive()
    resp10 = Response(Sink(), 200, http_version=HttpVersion10)
    assert not resp10.keep_alive()
    resp10.add_header("Connection", "keep-alive")
    assert resp10.keep_alive()
    resp.send_headers()
    assert resp.headers[hdrs.CONNECTION] == "close"


def test_connection_headers() -> None:
    transport = Sink()
    resp = Response(transport, 101)
    resp.add_headers(("Connection", "Upgrade"), ("Upgrade", "websocket"))
    assert resp.upgrade and resp.websocket
    resp.send_headers()
    assert b"Connection: upgrade\r\n" in transport.data
    assert b"Upgrade: websocket\r\n" in transport.data

    transport10 = Sink()
    resp10 = Response(transport10, 200, http_version=HttpVersion10)
    resp10.add_headers(("Connection", "keep-alive"), ("Content-Length", "0"))
    resp10.send_headers()
    assert b"Connection: keep-alive\r\n" in transport10.data


def test_status_line_and_reason() -> None:
    assert Response(Sink(), 200).status_line == "HTTP/1.1 200 OK\r\n"
    assert Response(Sink(), 418).reason == "I'm a Teapot"
    assert Response(Sink(), 599).reason == "599"
    assert Response(Sink(), 200, reason="Fine").status_line == "HTTP/1.1 200 Fine\r\n"
    req = Request(Sink(), "GET", "/p", http_version=HttpVersion10)
    assert req.status_line == "GET /p HTTP/1.0\r\n"
    assert (req.method, req.path) == ("GET", "/p")


def test_enable_chunked_drops_content_length() -> None:
    transport = Sink()
    resp = Response(transport, 200)
    resp.add_header("Content-Length", "3")
    resp.enable_chunked_encoding()
    resp.send_headers()
    assert b"Content-Length" not in transport.data
    assert b"Transfer-Encoding: chunked" in transport.data


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Bad", "a\r\nInjected: yes"),
        ("X-Bad", "a\nb"),
        ("X-Bad", "a\x00b"),
        ("Bad Name", "v"),
        ("Bad:Name", "v"),
        ("", "v"),
        ("Content-Length", "-1"),
    ],
)
def test_header_injection_refused(name: str, value: str) -> None:
    with pytest.raises(ValueError):
        Response(Sink(), 200).add_header(name, value)


def test_bad_start_line_parts_refused() -> None:
    with pytest.raises(ValueError):
        Response(Sink(), 200, reason="OK\r\nX: y")
    with pytest.raises(ValueError):
        Response(Sink(), 42)
    with pytest.raises(ValueError):
        Request(Sink(), "GE T", "/")
    with pytest.raises(ValueError):
        Request(Sink(), "GET", "/a b")


@pytest.mark.asyncio
async def test_write_returns_2016_values() -> None:
    resp = Response(Sink(), 200)
    resp.send_headers()
    assert resp.write(b"x") == ()
    await resp.write(b"y", drain=True)  # nothing to drain on a plain transport


def test_headers_sent_once() -> None:
    resp = Response(Sink(), 200)
    resp.send_headers()
    assert resp.is_headers_sent()
    with pytest.raises(AssertionError):
        resp.add_header("X", "y")
    assert resp.headers_length == resp.output_length
    resp.write(b"abc")
    assert resp.body_length == len(b"3\r\nabc\r\n")


def test_hop_headers_dropped() -> None:
    transport = Sink()
    resp = Response(transport, 200)
    resp.HOP_HEADERS = (hdrs.KEEP_ALIVE,)
    resp.add_headers(("Keep-Alive", "timeout=5"), ("X", "y"))
    resp.send_headers()
    assert b"Keep-Alive" not in transport.data


def test_parsed_request_round_trip_exact() -> None:
    transport = Sink()
    req = Request(transport, "DELETE", "http://example.com/x")
    req.add_headers(("Host", "example.com"), ("Content-Length", "0"))
    req.send_headers()
    buf = ParserBuffer(bytes(transport.data))
    out: Out[object] = Out()
    assert run(HttpRequestParser()(out, buf), iter([]))
    assert not buf


def test_head_encoding_is_utf8_unless_set() -> None:
    """UTF-8 as in 2016; ``header_encoding`` lets a WSGI server send latin-1 (PEP 3333)."""
    for encoding, expected in (
        ("utf-8", b"X-Name: caf\xc3\xa9\r\n"),
        ("latin-1", b"X-Name: caf\xe9\r\n"),
    ):
        out = Sink()
        resp = Response(out, 200)
        if encoding != "utf-8":
            resp.header_encoding = encoding
        resp.add_header("X-Name", "caf\xe9")
        resp.send_headers()
        assert expected in out.data


def test_framing_headers_are_recognised_in_any_case() -> None:
    """RFC 9110 section 5.1: field names are case-insensitive."""
    resp = Response(Sink(), 200)
    resp.add_header("content-length", "5")
    resp.add_header("CONNECTION", "close")
    assert (resp.length, resp.keep_alive()) == (5, False)
    resp.send_headers()
    assert resp.headers.getall("Content-Length") == ["5"]
    assert "Transfer-Encoding" not in resp.headers
    chunked = Response(Sink(), 200)
    chunked.add_header("transfer-ENCODING", "chunked")
    assert chunked.chunked and "Transfer-Encoding" not in chunked.headers
    upgrade = Response(Sink(), 101)
    upgrade.add_header("upgrade", "WebSocket")
    upgrade.add_header("connection", "Upgrade")
    assert upgrade.websocket and upgrade.upgrade


def test_hop_headers_are_dropped_in_any_case() -> None:
    class Proxied(Response):
        HOP_HEADERS = ("Keep-Alive", "Proxy-Authenticate")

    resp = Proxied(Sink(), 200)
    resp.add_header("keep-alive", "timeout=5")
    resp.add_header("PROXY-AUTHENTICATE", "Basic")
    resp.add_header("X-Kept", "1")
    assert list(resp.headers) == ["X-Kept"]
