"""A multi-hundred-MiB upload streams through in bounded memory (tracemalloc)."""

from __future__ import annotations

import asyncio
import os
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest

from aiohttp_multipart import BodyPartReader, MultipartReader
from aiohttp_streams import StreamReader

# 256 MiB by default: a few seconds on a busy CI core. Raise it to try 1 GiB:
# AIOHTTP_MULTIPART_STREAM_MIB=1024.
SIZE_MIB = int(os.environ.get("AIOHTTP_MULTIPART_STREAM_MIB", "256"))
FEED = 65536
BOUNDARY = b"----stream-boundary-7f3a"
# Far below the body size: a few feed chunks, the part reader's chunk plus
# the delimiter, and tracemalloc's own bookkeeping.
PEAK_LIMIT = 1024 * 1024


def _block(i: int) -> bytes:
    # Near-misses of the delimiter at varying offsets, so that partial
    # delimiters straddle feed and read boundaries all along the body.
    tricky = b"\r\n--" + BOUNDARY[: i % len(BOUNDARY)] + b"\r"
    head = i.to_bytes(8, "big") + tricky
    return (head + bytes([i & 0xFF]) * (FEED - len(head)))[:FEED]


def _file_blocks() -> Iterator[bytes]:
    for i in range(SIZE_MIB * 1024 * 1024 // FEED):
        yield _block(i)


@pytest.mark.stream
@pytest.mark.asyncio
async def test_stream_large_upload_bounded_memory() -> None:
    stream = StreamReader()
    expected = {"crc": 0, "size": 0}

    async def feeder() -> None:
        # Feed lazily, yielding to the reader after every chunk like a socket
        # would; the body never exists in memory as a whole.
        stream.feed_data(
            b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="title"\r\n\r\nbig\r\n'
            b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; "
            b'name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        for block in _file_blocks():
            expected["crc"] = zlib.crc32(block, expected["crc"])
            expected["size"] += len(block)
            stream.feed_data(block)
            await asyncio.sleep(0)
        stream.feed_data(b"\r\n--" + BOUNDARY + b"--\r\n")
        stream.feed_eof()

    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY.decode()}"}
    tracemalloc.start()
    try:
        task = asyncio.create_task(feeder())
        reader = MultipartReader(headers, stream)
        title = await reader.next()
        assert isinstance(title, BodyPartReader)
        assert await title.text() == "big"
        part = await reader.next()
        assert isinstance(part, BodyPartReader)
        assert part.filename == "big.bin"
        crc = size = 0
        while chunk := await part.read_chunk(FEED):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        assert await reader.next() is None
        await task
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size == expected["size"] == SIZE_MIB * 1024 * 1024
    assert crc == expected["crc"]
    print(f"streamed {size} bytes, tracemalloc peak {peak} bytes")
    assert peak < PEAK_LIMIT, f"peak {peak} bytes while streaming {size} bytes"
