"""StreamParser, StreamProtocol and StreamWriter, on a real 127.0.0.1 socket."""

from __future__ import annotations

import asyncio
import socket

import pytest

from aiohttp_errors import LineLimitExceededParserError
from aiohttp_parsers import (
    ChunksParser,
    HttpPayloadParser,
    HttpRequestParser,
    LinesParser,
    ParserBuffer,
    ParserGenerator,
    ParserOutput,
    RawRequestMessage,
    StreamParser,
    StreamProtocol,
    StreamWriter,
)
from aiohttp_streams import (
    DataQueue,
    EofStream,
    FlowControlDataQueue,
    FlowControlStreamReader,
)


def output_of(stream: StreamParser) -> object:
    """Read the property through a call, so mypy does not narrow it."""
    return stream.output


def two_lines(out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
    for _ in range(2):
        line = yield from buf.readuntil(b"\n")
        out.feed_data(line, len(line))


@pytest.mark.asyncio
async def test_set_parser_parses_buffered_and_new_data() -> None:
    stream = StreamParser()
    stream.feed_data(b"a\nb")
    out = stream.set_parser(two_lines)
    assert output_of(stream) is out
    stream.feed_data(b"\nc\n")
    assert await out.read() == b"a\n"
    assert await out.read() == b"b\n"
    with pytest.raises(EofStream):
        await out.read()
    assert output_of(stream) is None
    # What the finished parser did not consume stays for the next one.
    out2 = stream.set_parser(LinesParser())
    assert await out2.read() == b"c\n"


@pytest.mark.asyncio
async def test_explicit_output() -> None:
    stream = StreamParser()
    queue: DataQueue[bytes] = DataQueue()
    assert stream.set_parser(LinesParser(), queue) is queue
    stream.feed_data(b"x\n")
    assert await queue.read() == b"x\n"


@pytest.mark.asyncio
async def test_feed_eof_mid_item_fails_output() -> None:
    stream = StreamParser(eof_exc_class=ConnectionResetError)
    out = stream.set_parser(two_lines)
    stream.feed_data(b"a\npartial")
    stream.feed_eof()
    assert stream.at_eof()
    assert await out.read() == b"a\n"
    with pytest.raises(ConnectionResetError):
        await out.read()


@pytest.mark.asyncio
async def test_parser_error_goes_to_output() -> None:
    stream = StreamParser()
    out = stream.set_parser(LinesParser(limit=3))
    stream.feed_data(b"toolong")
    with pytest.raises(LineLimitExceededParserError):
        await out.read()
    assert output_of(stream) is None


@pytest.mark.asyncio
async def test_set_exception() -> None:
    stream = StreamParser(eof_exc_class=EOFError)
    out = stream.set_parser(LinesParser())
    stream.set_exception(ConnectionResetError())
    with pytest.raises(EOFError):
        await out.read()
    later = stream.set_parser(LinesParser())
    with pytest.raises(EOFError):
        await later.read()


@pytest.mark.asyncio
async def test_unset_parser_ends_output() -> None:
    stream = StreamParser()
    out = stream.set_parser(LinesParser())
    stream.unset_parser()
    with pytest.raises(EofStream):
        await out.read()


@pytest.mark.asyncio
async def test_lines_parser_cut_at_eof() -> None:
    stream = StreamParser(eof_exc_class=EOFError)
    out = stream.set_parser(LinesParser())
    stream.feed_data(b"a\nb")
    stream.feed_eof()
    assert await out.read() == b"a\n"
    with pytest.raises(EOFError):
        await out.read()


@pytest.mark.asyncio
async def test_set_parser_output_types_infer() -> None:
    stream = StreamParser()
    stream.feed_data(b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi")
    # mypy checks these annotations: the queue item type follows the parser.
    heads: FlowControlDataQueue[RawRequestMessage] = stream.set_parser(HttpRequestParser())
    message = await heads.read()
    body: FlowControlStreamReader = stream.set_parser(
        HttpPayloadParser(message), FlowControlStreamReader(stream)
    )
    assert await body.read() == b"hi"
    lines: FlowControlDataQueue[bytes] = stream.set_parser(LinesParser())
    assert lines.exception() is None


def test_set_parser_requires_generator() -> None:
    stream = StreamParser()

    def not_a_generator(out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        return None  # type: ignore[return-value]  # the mistake under test

    with pytest.raises(TypeError):
        stream.set_parser(not_a_generator)


class Server(StreamProtocol):
    def __init__(self, got: asyncio.Queue[bytes]) -> None:
        super().__init__()
        self.got = got

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        out = self.reader.set_parser(LinesParser())

        async def serve() -> None:
            assert self.writer is not None
            while True:
                try:
                    line = await out.read()
                except EofStream:
                    break
                self.writer.write(line.upper())
                await self.got.put(line)

        self.task = asyncio.ensure_future(serve())


@pytest.mark.asyncio
async def test_stream_protocol_on_real_socket() -> None:
    loop = asyncio.get_running_loop()
    got: asyncio.Queue[bytes] = asyncio.Queue()
    protocols: list[Server] = []

    def factory() -> Server:
        protocols.append(Server(got))
        return protocols[-1]

    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\nwor")
    writer.write(b"ld\n")
    assert await got.get() == b"hello\n"
    assert await got.get() == b"world\n"
    assert await reader.readexactly(12) == b"HELLO\nWORLD\n"

    proto = protocols[0]
    assert proto.is_connected()
    sw = proto.writer
    assert isinstance(sw, StreamWriter)
    assert sw.reader is proto.reader
    sock = sw.get_extra_info("socket")
    sw.set_tcp_nodelay(True)
    assert sw.tcp_nodelay
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    sw.set_tcp_cork(True)
    assert (sw.tcp_cork, sw.tcp_nodelay) == (True, False)
    sw.set_tcp_cork(False)
    assert (sw.tcp_cork, sw.tcp_nodelay) == (False, False)

    writer.close()
    await writer.wait_closed()
    await proto.task
    assert not proto.is_connected()
    server.close()
    await server.wait_closed()


@pytest.mark.asyncio
async def test_flow_control_pauses_and_resumes_real_transport() -> None:
    loop = asyncio.get_running_loop()
    protocols: list[StreamProtocol] = []

    def factory() -> StreamProtocol:
        protocols.append(StreamProtocol(limit=1024))
        return protocols[-1]

    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    while not protocols or protocols[0].transport is None:
        await asyncio.sleep(0)
    proto = protocols[0]
    out = proto.reader.set_parser(ChunksParser(256))
    writer.write(b"x" * 65536)
    # Nobody reads ``out``: once it holds more than 2 * limit the queue
    # pauses the transport through the StreamParser's ``transport``/``paused``.
    for _ in range(1000):
        if proto.reader.paused:
            break
        await asyncio.sleep(0.001)
    transport = proto.transport
    assert transport is not None
    assert (proto.reader.paused, transport.is_reading()) == (True, False)
    total = 0
    while total < 65536:
        total += len(await out.read())
    assert (proto.reader.paused, transport.is_reading()) == (False, True)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
