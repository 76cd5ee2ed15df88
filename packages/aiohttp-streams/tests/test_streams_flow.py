"""Flow control against a real asyncio socket transport (a socket pair)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
import pytest_asyncio

from aiohttp_streams import (
    DataQueue,
    FlowControlChunksQueue,
    FlowControlDataQueue,
    FlowControlStreamReader,
    FlowControlTarget,
    StreamReader,
)

LIMIT = 1024


class FeedingProtocol(asyncio.Protocol):
    """A minimal connection protocol: it is the FlowControlTarget and feeds a sink."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.paused = False
        self.sink: StreamReader | DataQueue[bytes] | None = None
        self.received = asyncio.Event()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.sink is not None
        self.sink.feed_data(data, len(data))
        self.received.set()

    def eof_received(self) -> bool | None:
        assert self.sink is not None
        self.sink.feed_eof()
        return None


@dataclass
class Connection:
    protocol: FeedingProtocol
    transport: asyncio.Transport
    peer: socket.socket

    def state(self) -> tuple[bool, bool]:
        """(the target's ``paused`` flag, whether the transport is reading)."""
        return self.protocol.paused, self.transport.is_reading()

    async def send(self, data: bytes) -> None:
        await asyncio.get_running_loop().sock_sendall(self.peer, data)

    async def until(self, condition: Callable[[], bool]) -> None:
        """Let the loop deliver data until ``condition`` holds (5 s safety net)."""

        async def poll() -> None:
            while not condition():
                self.protocol.received.clear()
                await self.protocol.received.wait()

        await asyncio.wait_for(poll(), 5)

    async def settle(self) -> None:
        """Give the event loop a few turns to deliver anything readable."""
        for _ in range(10):
            await asyncio.sleep(0)


@pytest_asyncio.fixture
async def conn() -> AsyncIterator[Connection]:
    ours, peer = socket.socketpair()
    peer.setblocking(False)
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(FeedingProtocol, sock=ours)
    try:
        yield Connection(protocol, transport, peer)
    finally:
        transport.close()
        peer.close()
        await asyncio.sleep(0)


def test_protocol_object_satisfies_flow_control_target() -> None:
    # Checked by mypy: a protocol holding an asyncio.Transport is a target.
    target: FlowControlTarget = FeedingProtocol()
    assert target.paused is False


@pytest.mark.asyncio
async def test_stream_reader_pauses_above_limit_and_resumes_after_read(conn: Connection) -> None:
    reader = FlowControlStreamReader(conn.protocol, limit=LIMIT)
    conn.protocol.sink = reader
    assert conn.transport.is_reading()

    await conn.send(b"x" * (LIMIT // 2))
    await conn.until(lambda: reader.total_bytes == LIMIT // 2)
    assert conn.transport.is_reading() and not conn.protocol.paused

    await conn.send(b"x" * (4 * LIMIT))
    await conn.until(lambda: conn.protocol.paused)
    assert not conn.transport.is_reading()
    received = reader.total_bytes
    assert received > LIMIT

    # While paused, nothing more is taken from the socket.
    await conn.send(b"y" * LIMIT)
    await conn.settle()
    assert reader.total_bytes == received

    # Reading below the limit resumes the transport.
    assert len(await reader.read(received)) == received
    assert conn.transport.is_reading() and not conn.protocol.paused
    rest = await reader.readexactly(4 * LIMIT + LIMIT // 2 + LIMIT - received)
    assert rest.endswith(b"y" * LIMIT)


@pytest.mark.asyncio
async def test_stream_reader_readline_resumes_when_it_waits(conn: Connection) -> None:
    reader = FlowControlStreamReader(conn.protocol, limit=LIMIT)
    conn.protocol.sink = reader
    lines = b"".join(b"%04d\n" % i for i in range(1000))
    await conn.send(lines)
    await conn.until(lambda: conn.protocol.paused)
    assert not conn.transport.is_reading()
    got = [await reader.readline() for _ in range(1000)]
    assert b"".join(got) == lines
    assert conn.transport.is_reading() and not conn.protocol.paused


@pytest.mark.asyncio
async def test_stream_reader_wait_eof_resumes_reading(conn: Connection) -> None:
    reader = FlowControlStreamReader(conn.protocol, limit=LIMIT)
    conn.protocol.sink = reader
    await conn.send(b"z" * (4 * LIMIT))
    await conn.until(lambda: conn.protocol.paused)
    conn.peer.shutdown(socket.SHUT_WR)
    # Waiting for EOF on a paused transport would hang: it resumes first.
    await asyncio.wait_for(reader.wait_eof(), 5)
    assert reader.is_eof()
    assert await reader.read() == b"z" * (4 * LIMIT)


@pytest.mark.asyncio
async def test_data_queue_pauses_on_item_sizes(conn: Connection) -> None:
    queue: FlowControlDataQueue[bytes] = FlowControlDataQueue(conn.protocol, limit=LIMIT)
    conn.protocol.sink = queue
    await conn.send(b"q" * (3 * LIMIT))
    await conn.until(lambda: conn.protocol.paused)
    assert not conn.transport.is_reading()
    taken = 0
    while conn.protocol.paused:
        taken += len(await queue.read())
    assert conn.transport.is_reading()
    # Resumed as soon as the queued size dropped below the limit.
    assert queue._size < LIMIT  # the private total the limit applies to


@pytest.mark.asyncio
async def test_chunks_queue_pauses_and_resumes_and_ends_with_empty_bytes(
    conn: Connection,
) -> None:
    queue = FlowControlChunksQueue(conn.protocol, limit=LIMIT)
    conn.protocol.sink = queue
    await conn.send(b"c" * (3 * LIMIT))
    await conn.until(lambda: conn.protocol.paused)
    assert not conn.transport.is_reading()
    conn.peer.shutdown(socket.SHUT_WR)
    chunks = []
    while chunk := await asyncio.wait_for(queue.read(), 5):
        chunks.append(chunk)
    assert b"".join(chunks) == b"c" * (3 * LIMIT)
    assert queue.at_eof()
    assert conn.transport.is_reading() or conn.transport.is_closing()


@pytest.mark.asyncio
async def test_new_stream_resumes_a_paused_connection(conn: Connection) -> None:
    conn.transport.pause_reading()
    conn.protocol.paused = True
    reader = FlowControlStreamReader(conn.protocol, limit=LIMIT)
    assert conn.transport.is_reading() and not conn.protocol.paused
    conn.transport.pause_reading()
    conn.protocol.paused = True
    FlowControlDataQueue[bytes](conn.protocol)
    assert conn.transport.is_reading() and not conn.protocol.paused
    conn.protocol.sink = reader
    await conn.send(b"ok\n")
    assert await asyncio.wait_for(reader.readline(), 5) == b"ok\n"


class Detached:
    """A target without a connection (yet)."""

    def __init__(self) -> None:
        self.transport: asyncio.ReadTransport | None = None
        self.paused = False


@pytest.mark.asyncio
async def test_without_transport_nothing_is_paused() -> None:
    target = Detached()
    reader = FlowControlStreamReader(target, limit=4)
    reader.feed_data(b"0123456789")
    assert not target.paused
    assert await reader.read(3) == b"012"


@pytest.mark.asyncio
async def test_transport_that_cannot_pause_is_left_alone() -> None:
    # The base ReadTransport raises NotImplementedError, like transports
    # that do not support flow control.
    target = Detached()
    target.transport = asyncio.ReadTransport()
    queue = FlowControlChunksQueue(target, limit=4)
    queue.feed_data(b"0123456789", 10)
    assert not target.paused
    target.paused = True
    assert await queue.read() == b"0123456789"
    assert target.paused  # resume failed, so the flag stays as it was


@pytest.mark.asyncio
async def test_unread_data_can_pause(conn: Connection) -> None:
    reader = FlowControlStreamReader(conn.protocol, limit=LIMIT)
    reader.unread_data(b"u" * (LIMIT + 1))
    assert conn.state() == (True, False)
    await reader.read(2)
    assert conn.state() == (False, True)


class EagerTransport(asyncio.ReadTransport):
    """A transport whose resume_reading() delivers data (None: EOF) synchronously."""

    def __init__(self, target: Detached, pending: list[bytes | None]) -> None:
        super().__init__()
        self.target = target
        self.pending = pending
        self.sink: StreamReader | DataQueue[bytes] | None = None
        self.reading = True

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True
        assert self.sink is not None
        while self.pending and not self.target.paused:
            data = self.pending.pop(0)
            if data is None:
                self.sink.feed_eof()
                return
            self.sink.feed_data(data, len(data))
            # The sink may pause us again from inside feed_data().
            self.target.paused = not self.reading

    def is_reading(self) -> bool:
        return self.reading


@pytest.mark.asyncio
async def test_data_delivered_while_resuming_is_not_missed() -> None:
    target = Detached()
    transport = EagerTransport(target, [b"late\n"])
    target.transport = transport
    reader = FlowControlStreamReader(target, limit=8)
    transport.sink = reader
    reader.feed_data(b"0123456789")  # above the limit: paused
    assert target.paused and not transport.is_reading()
    assert await reader.readexactly(10) == b"0123456789"
    # readline() finds nothing buffered, resumes, and gets the line at once.
    assert await asyncio.wait_for(reader.readline(), 5) == b"late\n"

    queue_target = Detached()
    queue_transport = EagerTransport(queue_target, [b"item"])
    queue_target.transport = queue_transport
    queue = FlowControlChunksQueue(queue_target, limit=0)
    queue_transport.sink = queue
    queue.feed_data(b"x", 1)
    assert queue_target.paused
    assert await queue.read() == b"x"
    assert await asyncio.wait_for(queue.read(), 5) == b"item"


@pytest.mark.asyncio
async def test_eof_delivered_while_readline_resumes_is_not_missed() -> None:
    target = Detached()
    transport = EagerTransport(target, [None])
    target.transport = transport
    reader = FlowControlStreamReader(target, limit=8)
    transport.sink = reader
    reader.feed_data(b"Xabcdefgh")
    assert await reader.read(1) == b"X"
    # Exactly at the limit: still paused, and readline() must wait for more.
    assert target.paused
    assert await asyncio.wait_for(reader.readline(), 5) == b"abcdefgh"
    assert reader.at_eof()


@pytest.mark.asyncio
async def test_tcp_server_pauses_a_fast_client_and_reads_everything() -> None:
    # A 127.0.0.1 server whose protocol is the target, a client that sends
    # 2 MiB of lines at once: the server side pauses, every line arrives.
    loop = asyncio.get_running_loop()
    protocols: list[FeedingProtocol] = []
    paused_seen = asyncio.Event()

    class ServerProtocol(FeedingProtocol):
        def __init__(self) -> None:
            super().__init__()
            self.sink = FlowControlStreamReader(self, limit=LIMIT)
            protocols.append(self)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.paused:
                paused_seen.set()

    server = await loop.create_server(ServerProtocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lines = [b"%07d\n" % i for i in range(2**18)]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"".join(lines))
        await asyncio.wait_for(paused_seen.wait(), 5)
        (proto,) = protocols
        assert proto.transport is not None and not proto.transport.is_reading()
        sink = proto.sink
        assert isinstance(sink, StreamReader)
        writer.write_eof()
        got = 0
        async for line in sink:
            assert line == lines[got]
            got += 1
        assert got == len(lines)
        assert sink.at_eof()
    finally:
        writer.close()
        server.close()
        await server.wait_closed()
