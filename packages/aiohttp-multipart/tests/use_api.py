"""Written like user code; checked by mypy --strict with the tests (not run by pytest)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from multidict import CIMultiDictProxy

from aiohttp_multipart import (
    BodyPartReader,
    BodyPartWriter,
    ContentStream,
    MultipartReader,
    MultipartResponseWrapper,
    MultipartWriter,
    ResponseLike,
    content_disposition_filename,
    parse_content_disposition,
)
from aiohttp_streams import StreamReader


class MyResponse:
    def __init__(self, headers: CIMultiDictProxy[str], content: StreamReader) -> None:
        self.headers = headers
        self.content = content

    async def release(self) -> None:
        pass


async def read_form(headers: CIMultiDictProxy[str], content: StreamReader) -> dict[str, bytes]:
    stream: ContentStream = content  # a StreamReader is a ContentStream
    out: dict[str, bytes] = {}
    reader = MultipartReader(
        headers, stream, max_parts=10, max_part_size=2**20, max_body_size=2**24
    )
    async for part in reader:
        if isinstance(part, MultipartReader):
            await part.release()
            continue
        name: str | None = part.name
        filename: str | None = part.filename
        charset: str = part.get_charset("utf-8")
        maybe_charset: str | None = part.get_charset()
        chunk: bytes = await part.read_chunk(4096)
        rest: bytearray = await part.read(decode=True)
        out[name or filename or charset or maybe_charset or ""] = chunk + rest
    return out


async def from_response(resp: MyResponse) -> list[BodyPartReader]:
    like: ResponseLike = resp
    wrapper: MultipartResponseWrapper = MultipartReader.from_response(like)
    parts: list[BodyPartReader] = []
    while (part := await wrapper.next()) is not None:
        if isinstance(part, BodyPartReader):
            text: str = await part.text()
            assert text is not None
            parts.append(part)
    return parts


async def chunks() -> AsyncIterator[bytes]:
    yield b"x"


async def write() -> bytes:
    writer = MultipartWriter("form-data")
    part: BodyPartWriter = writer.append(b"data", {"Content-Type": "application/octet-stream"})
    part.set_content_disposition("form-data", name="f", filename="a.bin")
    writer.append(chunks())
    writer.append_json({"a": 1})
    writer.append_form([("k", "v")])
    boundary: bytes = writer.boundary
    body = b"".join([c async for c in writer.serialize()])
    sync_body: bytes = b"".join(MultipartWriter().serialize())
    disptype, params = parse_content_disposition(part.headers["Content-Disposition"])
    fname: str | None = content_disposition_filename(params)
    assert disptype and fname and sync_body and boundary
    return body
