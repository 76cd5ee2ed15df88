"""User code against the parsers, WebSocket, multipart and WSGI pieces, the
way their README examples use them; must pass ``mypy --strict``."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable

from aiohttp import (
    HttpProcessingError,
    HttpRequestParser,
    MultipartReader,
    ParserBuffer,
    RawRequestMessage,
    StreamParser,
    StreamReader,
    WSGIServerHttpProtocol,
    WSMessage,
    WSMsgType,
    hdrs,
    parse_mimetype,
)
from aiohttp.multipart import BodyPartReader, MultipartWriter
from aiohttp.websocket import WebSocketError, do_handshake
from aiohttp_parsers import ParserGenerator, ParserOutput


async def first_request(raw: bytes) -> RawRequestMessage:
    stream = StreamParser()
    stream.feed_data(raw)
    out = stream.set_parser(HttpRequestParser(max_line_size=4096))
    return await out.read()


def words(out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
    """A user's own generator parser: space-separated words."""
    while True:
        word = yield from buf.readuntil(b" ", limit=64)
        out.feed_data(word[:-1], len(word))


def content_kind(message: RawRequestMessage) -> str:
    mime_type, subtype, _, params = parse_mimetype(message.headers.get(hdrs.CONTENT_TYPE, ""))
    return f"{mime_type}/{subtype} {params.get('charset', '-')} {message.url.path}"


def describe(msg: WSMessage) -> str:
    if msg.type == WSMsgType.text and isinstance(msg.data, str):
        return msg.data
    if msg.type == WSMsgType.binary and isinstance(msg.data, bytes):
        return msg.data.hex()
    return msg.type.name


def close_code(exc: WebSocketError) -> int:
    return exc.code


def handshake(message: RawRequestMessage, transport: asyncio.Transport) -> str | None:
    try:
        status, headers, parser, writer, protocol = do_handshake(
            message.method, message.headers, transport, protocols=("chat",)
        )
    except HttpProcessingError as exc:
        return f"refused: {exc.code} {exc.message}"
    writer.send("welcome")
    return protocol


async def save_parts(headers: dict[str, str], body: StreamReader) -> dict[str, str]:
    digests: dict[str, str] = {}
    async for part in MultipartReader(headers, body, max_parts=100):
        if isinstance(part, BodyPartReader) and part.filename:
            digest = hashlib.sha256()
            while chunk := await part.read_chunk(65536):
                digest.update(chunk)
            digests[part.filename] = digest.hexdigest()
    return digests


def form(fields: Iterable[tuple[str, str]]) -> MultipartWriter:
    writer = MultipartWriter("form-data")
    for name, value in fields:
        part = writer.append(value)
        part.set_content_disposition("form-data", name=name)
    return writer


class Quiet(WSGIServerHttpProtocol):
    """A user's server protocol: no access log."""

    def log_access(self, *args: object, **kw: object) -> None:
        pass
