"""A real third-party client (``websockets`` from PyPI) against the echo server
of ``examples/ws_echo.py``, started here on 127.0.0.1, port 0."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import cast

import pytest
import pytest_asyncio
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError

from aiohttp_websocket import WSCloseCode
from aiohttp_websocket._frames import encode_frame

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "ws_echo.py"


def _load_protocol() -> Callable[..., asyncio.Protocol]:
    spec = importlib.util.spec_from_file_location("ws_echo_example", EXAMPLE)
    assert spec is not None and spec.loader is not None, EXAMPLE
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast(Callable[..., asyncio.Protocol], module.EchoProtocol)


EchoProtocol = _load_protocol()


async def _start(**kwargs: int) -> tuple[asyncio.Server, int]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: EchoProtocol(**kwargs), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    assert isinstance(port, int)
    return server, port


@pytest_asyncio.fixture
async def port() -> AsyncIterator[int]:
    server, port = await _start()
    async with server:
        yield port


@pytest.mark.asyncio
async def test_text_binary_ping_close(port: int) -> None:
    async with connect(f"ws://127.0.0.1:{port}/") as ws:
        await ws.send("héllo ✓")
        assert await ws.recv() == "héllo ✓"
        await ws.send(b"\x00\x01\xff")
        assert await ws.recv() == b"\x00\x01\xff"
        big = bytes(range(256)) * 400
        await ws.send(big)
        assert await ws.recv() == big
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 10)
        await ws.send(["frag", "mented"])
        assert await ws.recv() == "fragmented"
        await ws.close(4001, "done")
    # RFC 6455 5.5.1: the server echoes the status code it received.
    assert ws.close_code == 4001


@pytest.mark.asyncio
async def test_close_without_code_is_answered_with_1000(port: int) -> None:
    async with connect(f"ws://127.0.0.1:{port}/") as ws:
        await ws.close(1000)
    assert ws.close_code == 1000


@pytest.mark.asyncio
async def test_bad_handshake_gets_an_http_error(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n"
    )
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert response.startswith(b"HTTP/1.1 400 ")
    assert b"Sec-WebSocket-Version" in response


@pytest.mark.asyncio
async def test_post_gets_405(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert response.startswith(b"HTTP/1.1 405 ")


async def _raw_upgrade(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101 ")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in head
    return reader, writer


@pytest.mark.asyncio
async def test_protocol_error_closes_with_1002(port: int) -> None:
    reader, writer = await _raw_upgrade(port)
    writer.write(encode_frame(0x3, b"", mask=b"abcd"))  # reserved opcode
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert data == b"\x88\x02" + int(WSCloseCode.protocol_error).to_bytes(2, "big")


@pytest.mark.asyncio
async def test_unmasked_client_frame_closes_with_1002(port: int) -> None:
    reader, writer = await _raw_upgrade(port)
    writer.write(encode_frame(0x1, b"hi"))
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert data[:4] == b"\x88\x02\x03\xea"


@pytest.mark.asyncio
async def test_message_too_big_closes_with_1009() -> None:
    server, port = await _start(max_msg_size=1000)
    async with server:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            await ws.send("x" * 1000)
            assert await ws.recv() == "x" * 1000
            await ws.send("x" * 1001)
            with pytest.raises(ConnectionClosedError):
                await ws.recv()
        assert ws.close_code == WSCloseCode.message_too_big


@pytest.mark.asyncio
async def test_frames_right_behind_the_head(port: int) -> None:
    # The first frame arrives in the same segment as the request head.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        + encode_frame(0x1, b"early", mask=b"abcd")
    )
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101 ")
    assert await reader.readexactly(7) == b"\x81\x05early"
    writer.write(encode_frame(0x8, b"\x03\xe8", mask=b"abcd"))
    assert await reader.read() == b"\x88\x02\x03\xe8"
    writer.close()
    await writer.wait_closed()


@pytest.mark.asyncio
async def test_malformed_request_gets_400(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert response.startswith(b"HTTP/1.1 400 ")
