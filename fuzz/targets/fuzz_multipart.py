"""Fuzz target: multipart bodies (MultipartReader, nested parts, encodings, small limits,
a whole-body budget for half the inputs).

The first input line is the Content-Type header, the rest the body.
Oracle: only ``BadHttpMessage`` (subclasses included) escapes; parts, names
and decoded data do not depend on how the body was split into the pieces
that arrive one per event-loop turn; nothing hangs
(a stalled read would wait forever on a stream already at EOF).
"""

from __future__ import annotations

import asyncio
import sys
import warnings

import atheris
from _harness import instrument, split

from aiohttp_errors import BadHttpMessage
from aiohttp_multipart import BodyPartReader, MultipartReader
from aiohttp_streams import StreamReader

_LOOP = asyncio.new_event_loop()


async def _read(reader: MultipartReader, sizes: bytes, out: list[object]) -> None:
    k = 0
    async for part in reader:
        if isinstance(part, MultipartReader):
            out.append("nested")
            await _read(part, sizes, out)
            continue
        assert isinstance(part, BodyPartReader)
        mode = sizes[0] % 5 if sizes else 0
        if mode >= 2:  # decode as the peer's charset says
            try:
                method = (part.text, part.json, part.form)[mode - 2]
                got = await method()
            except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError: documented
                out.append(type(exc).__name__)
                await part.release()
            else:
                out.append((part.name, part.filename, got))
            continue
        data = b""
        while True:
            size = sizes[k % len(sizes)] % 40 if sizes else 7
            k += 1
            chunk = await (part.readline() if size == 0 else part.read_chunk(size))
            if not chunk:
                break
            data += chunk
        out.append((part.name, part.filename, part.decode(data)))


async def _feed(stream: StreamReader, pieces: list[bytes]) -> None:
    # One piece per loop turn, as from a socket: the reader takes each one
    # before the next arrives, so piece edges are edges of what it reads.
    for piece in pieces:
        if piece:
            stream.feed_data(piece)
        await asyncio.sleep(0)
    stream.feed_eof()


async def _outcome(
    ctype: str, body: bytes, step: int, sizes: bytes, budget: int | None
) -> tuple[list[object], str]:
    stream = StreamReader()
    producer = asyncio.ensure_future(_feed(stream, split(body, step)))
    try:
        return await _parts(ctype, stream, sizes, budget)
    finally:
        producer.cancel()


async def _parts(
    ctype: str, stream: StreamReader, sizes: bytes, budget: int | None
) -> tuple[list[object], str]:
    out: list[object] = []
    try:
        reader = MultipartReader(
            {"Content-Type": ctype},
            stream,
            max_part_header_size=200,
            max_part_headers=4,
            max_parts=8,
            max_part_size=300,
            max_preamble_size=64,
            max_epilogue_size=64,
            max_nesting_depth=3,
            max_body_size=budget,
        )
        await asyncio.wait_for(_read(reader, sizes, out), 10)
    except BadHttpMessage as exc:
        return out, type(exc).__name__
    return out, "ok"


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    if len(data) < 2:
        return
    step = data[0] % 9 + 1
    line, nl, body = data[1:].partition(b"\n")
    if nl and line.startswith(b"multipart/"):
        ctype = line.decode("latin-1")
    else:
        ctype, body = "multipart/mixed; boundary=B", data[1:]
    sizes = data[-3:]
    # Half the inputs get a whole-body budget somewhere inside a short body.
    budget = None if data[0] & 0x80 else 16 + (data[0] >> 4) * 48
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bad Content-Disposition only warns
        whole = _LOOP.run_until_complete(_outcome(ctype, body, 0, sizes, budget))
        pieces = _LOOP.run_until_complete(_outcome(ctype, body, step, sizes, budget))
    assert whole == pieces, (whole, pieces)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
