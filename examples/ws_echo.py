"""A WebSocket echo server built only from this project's packages.

Run ``python examples/ws_echo.py --port 9001`` and connect to
``ws://127.0.0.1:9001/``: text and binary messages come back unchanged,
pings are answered with pongs, and a close is answered with a close.

The HTTP side is a minimal asyncio protocol of this example's own: it parses
the request head with ``aiohttp_parsers.HttpRequestParser`` (bounded, RFC
9112-strict), hands method and headers to ``aiohttp_websocket.do_handshake``,
writes the 101 response, and from then on feeds every received byte to the
generator ``WebSocketParser``. This is the
server the Autobahn|Testsuite run in ``scripts/autobahn/`` talks to.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Generator, Mapping
from typing import Final

from aiohttp_errors import HeadersType, HttpProcessingError
from aiohttp_parsers import HttpRequestParser, ParserBuffer, RawRequestMessage
from aiohttp_websocket import (
    WebSocketError,
    WebSocketWriter,
    WSCloseCode,
    WSMessage,
    WSMsgType,
    do_handshake,
)

# Autobahn's largest messages (cases 9.1.6 and 9.2.6) are exactly 16 MiB.
MAX_MSG_SIZE: Final = 16 * 1024 * 1024


class _Head:
    """Output of ``HttpRequestParser``: keeps the one request head it parses."""

    def __init__(self) -> None:
        self.message: RawRequestMessage | None = None

    def feed_data(self, data: RawRequestMessage, size: int, /) -> None:
        self.message = data

    def feed_eof(self) -> None:
        pass


class EchoProtocol(asyncio.Protocol):
    """One connection: HTTP upgrade, then WebSocket echo.

    Both parsers are 2016-style generator parsers on one ``ParserBuffer``:
    ``HttpRequestParser`` consumes the request head and ends; the WebSocket
    parser then starts on whatever bytes already follow it in the buffer.
    """

    def __init__(self, *, max_msg_size: int = MAX_MSG_SIZE) -> None:
        self._max_msg_size = max_msg_size
        self._transport: asyncio.Transport | None = None
        self._buf = ParserBuffer()
        self._head = _Head()
        self._http: Generator[None, bytes, None] | None = HttpRequestParser()(self._head, self._buf)
        next(self._http)
        self._frames: Generator[None, bytes, None] | None = None
        self._writer: WebSocketWriter | None = None
        self._closing = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if self._closing:
            return
        if self._frames is None:
            self._read_head(data)
            return
        try:
            self._frames.send(data)
        except WebSocketError as exc:
            self._fail(exc.code)

    def _read_head(self, data: bytes) -> None:
        assert self._http is not None and self._transport is not None
        try:
            self._http.send(data)
            return  # the head is not complete yet
        except StopIteration:
            pass
        except HttpProcessingError as exc:
            self._http_error(exc.code, exc.message, exc.headers)
            return
        self._http = None
        message = self._head.message
        assert message is not None
        try:
            status, response_headers, parser, writer, _protocol = do_handshake(
                message.method, message.headers, self._transport, max_msg_size=self._max_msg_size
            )
        except HttpProcessingError as exc:
            self._http_error(exc.code, exc.message, exc.headers)
            return
        lines = [f"HTTP/1.1 {status} Switching Protocols"]
        lines += [f"{name}: {value}" for name, value in response_headers]
        self._transport.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        self._writer = writer
        self._frames = parser(self, self._buf)
        try:
            # Frames sent right behind the head are already in the buffer.
            next(self._frames)
        except WebSocketError as exc:
            self._fail(exc.code)

    def _http_error(self, code: int, message: str, headers: HeadersType | None = None) -> None:
        assert self._transport is not None
        body = message.encode("utf-8", "replace")
        pairs = headers.items() if isinstance(headers, Mapping) else headers or ()
        extra = "".join(f"{name}: {value}\r\n" for name, value in pairs)
        self._transport.write(
            f"HTTP/1.1 {code} Error\r\nContent-Type: text/plain; charset=utf-8\r\n{extra}"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode("latin-1")
            + body
        )
        self._closing = True
        self._transport.close()

    def _fail(self, code: int) -> None:
        # RFC 6455 7.1.7: to _Fail the WebSocket Connection_, send a close
        # frame with the status code, then close the TCP connection.
        assert self._transport is not None and self._writer is not None
        self._writer.close(code)
        self._closing = True
        self._transport.close()

    # The parser's output queue: WebSocketParser calls feed_data per message.
    def feed_data(self, msg: WSMessage, size: int, /) -> None:
        writer = self._writer
        assert writer is not None and self._transport is not None
        if self._closing:
            return
        if msg.type == WSMsgType.text and isinstance(msg.data, str):
            writer.send(msg.data)
        elif msg.type == WSMsgType.binary and isinstance(msg.data, bytes):
            writer.send(msg.data, binary=True)
        elif msg.type == WSMsgType.ping and isinstance(msg.data, bytes):
            writer.pong(msg.data)
        elif msg.type == WSMsgType.close:
            # RFC 6455 5.5.1: "the endpoint MUST send a Close frame in
            # response [...] typically echoing the status code it received";
            # a close without a code (data 0) is answered with 1000.
            code = msg.data if isinstance(msg.data, int) and msg.data else WSCloseCode.ok
            writer.close(code)
            self._closing = True
            # RFC 6455 7.1.1: the server closes the TCP connection first.
            self._transport.close()


async def serve(host: str, port: int, *, max_msg_size: int = MAX_MSG_SIZE) -> None:
    """Serve until SIGINT/SIGTERM."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: EchoProtocol(max_msg_size=max_msg_size), host, port)
    addr = server.sockets[0].getsockname()
    print(f"WebSocket echo server on ws://{addr[0]}:{addr[1]}/", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9001)
    parser.add_argument(
        "--max-msg-size", type=int, default=MAX_MSG_SIZE, help="bytes; 0 for no limit"
    )
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, max_msg_size=args.max_msg_size))


if __name__ == "__main__":
    main()
