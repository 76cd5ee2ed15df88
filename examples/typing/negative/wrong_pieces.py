"""Each marked line must be rejected by ``mypy --strict``."""

from __future__ import annotations

from aiohttp import (
    HttpRequestParser,
    MultipartWriter,
    RawRequestMessage,
    StreamParser,
    WSMessage,
    WSMsgType,
)
from aiohttp.websocket import WebSocketWriter


async def bad(stream: StreamParser, message: RawRequestMessage, ws: WebSocketWriter) -> None:
    HttpRequestParser(max_line_size="8190")  # E: arg-type
    out = stream.set_parser(HttpRequestParser())
    request = await out.read()
    print(request.status)  # E: attr-defined
    path: bytes = message.path  # E: assignment
    ws.send(42)  # E: arg-type
    MultipartWriter(subtype=b"mixed")  # E: arg-type
    WSMessage(WSMsgType.text, "x")  # E: call-arg
