"""Property tests: however the bytes are chunked, readers see the same lines and bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from hypothesis import given, settings, strategies as st

from aiohttp_errors import LineLimitExceededParserError
from aiohttp_streams import DataQueue, StreamReader

_T = TypeVar("_T")

SETTINGS = settings(max_examples=60, deadline=None)

# Few distinct bytes so that newlines, long lines and empty lines all occur.
payloads = st.lists(st.sampled_from([b"a", b"b", b"\n", b"xyz", b"\r\n"]), max_size=60).map(
    b"".join
)


# Longer lines and chunks, so that runs of lines cross the stretches that
# readline() splits ahead (256 bytes at first, doubling) and the chunk ends.
long_payloads = st.lists(
    st.sampled_from([b"a", b"\n", b"\n" * 7, b"xyz" * 40, b"b" * 300, b"c\r\n" * 20]),
    max_size=80,
).map(b"".join)


@st.composite
def chunked(
    draw: st.DrawFn, data_strategy: st.SearchStrategy[bytes] = payloads
) -> tuple[bytes, list[bytes]]:
    data = draw(data_strategy)
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=12)))
    bounds = [0, *cuts, len(data)]
    return data, [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def lines_of(data: bytes) -> list[bytes]:
    """The model: lines ending in b"\n" (b"\r" is no line end), then an unterminated tail."""
    lines = [piece + b"\n" for piece in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return [line for line in lines if line]


def run_fed(
    chunks: list[bytes], consume: Callable[[StreamReader], Awaitable[_T]], limit: int = 2**16
) -> _T:
    """Feed ``chunks`` (yielding to the consumer between them) while ``consume`` reads."""

    async def main() -> _T:
        stream = StreamReader(limit=limit)

        async def produce() -> None:
            for chunk in chunks:
                stream.feed_data(chunk)
                await asyncio.sleep(0)
            stream.feed_eof()

        producer = asyncio.ensure_future(produce())
        try:
            return await consume(stream)
        finally:
            await producer

    return asyncio.run(main())


@SETTINGS
@given(st.one_of(chunked(), chunked(long_payloads)))
def test_readline_gives_the_lines_whatever_the_chunking(case: tuple[bytes, list[bytes]]) -> None:
    data, chunks = case

    async def consume(stream: StreamReader) -> list[bytes]:
        return [line async for line in stream]

    assert run_fed(chunks, consume) == lines_of(data)


@SETTINGS
@given(
    st.one_of(
        st.tuples(chunked(), st.integers(1, 12)),
        st.tuples(chunked(long_payloads), st.integers(1, 400)),
    )
)
def test_readline_limit_outcome_does_not_depend_on_chunking(
    case_limit: tuple[tuple[bytes, list[bytes]], int],
) -> None:
    case, limit = case_limit
    data, chunks = case
    expected: list[bytes | None] = []
    for line in lines_of(data):
        if len(line) > limit:
            expected.append(None)  # the error; nothing after it is compared
            break
        expected.append(line)

    async def consume(stream: StreamReader) -> list[bytes | None]:
        got: list[bytes | None] = []
        while True:
            try:
                line = await stream.readline()
            except LineLimitExceededParserError:
                got.append(None)
                return got
            if not line:
                return got
            got.append(line)

    assert run_fed(chunks, consume, limit=limit) == expected


@SETTINGS
@given(chunked(), st.integers(1, 10))
def test_iter_chunked_and_iter_any_give_the_bytes(
    case: tuple[bytes, list[bytes]], size: int
) -> None:
    data, chunks = case

    async def by_chunks(stream: StreamReader) -> list[bytes]:
        return [c async for c in stream.iter_chunked(size)]

    pieces = run_fed(chunks, by_chunks)
    assert b"".join(pieces) == data
    assert all(0 < len(p) <= size for p in pieces)

    async def by_any(stream: StreamReader) -> list[bytes]:
        return [c async for c in stream.iter_any()]

    assert b"".join(run_fed(chunks, by_any)) == data

    async def read_all(stream: StreamReader) -> bytes:
        return await stream.read()

    assert run_fed(chunks, read_all) == data


# A program of reads: ("line", 0), ("exactly", n) or ("unread", n): push back
# the last n bytes of the previous result.
ops = st.lists(
    st.one_of(
        st.tuples(st.just("line"), st.just(0)),
        st.tuples(st.just("exactly"), st.integers(0, 8)),
        st.tuples(st.just("unread"), st.integers(1, 4)),
    ),
    max_size=20,
)
# Runs of lines broken by reads, for the long payloads.
long_ops = st.lists(
    st.one_of(
        st.tuples(st.just("line"), st.just(0)),
        st.tuples(st.just("exactly"), st.integers(0, 400)),
        st.tuples(st.just("unread"), st.integers(1, 4)),
    ),
    max_size=60,
)


@SETTINGS
@given(st.one_of(st.tuples(chunked(), ops), st.tuples(chunked(long_payloads), long_ops)))
def test_mixed_reads_match_a_cursor_model(
    case_program: tuple[tuple[bytes, list[bytes]], list[tuple[str, int]]],
) -> None:
    (data, chunks), program = case_program

    def model() -> list[bytes | tuple[str, bytes]]:
        pos = 0
        out: list[bytes | tuple[str, bytes]] = []
        buf = data
        last = b""
        for op, n in program:
            if op == "line":
                end = buf.find(b"\n", pos) + 1 or len(buf)
                last = buf[pos:end]
                pos = end
                out.append(last)
            elif op == "exactly":
                if len(buf) - pos < n:
                    out.append(("incomplete", buf[pos:]))
                    return out
                last = buf[pos : pos + n]
                pos += n
                out.append(last)
            else:
                back = last[-n:] if last else b""
                buf = buf[:pos] + back + buf[pos:]
                last = b""
        return out

    async def consume(stream: StreamReader) -> list[bytes | tuple[str, bytes]]:
        out: list[bytes | tuple[str, bytes]] = []
        last = b""
        for op, n in program:
            if op == "line":
                last = await stream.readline()
                out.append(last)
            elif op == "exactly":
                try:
                    last = await stream.readexactly(n)
                except asyncio.IncompleteReadError as exc:
                    out.append(("incomplete", exc.partial))
                    return out
                out.append(last)
            else:
                stream.unread_data(last[-n:] if last else b"")
                last = b""
        return out

    assert run_fed(chunks, consume) == model()


@SETTINGS
@given(st.lists(st.integers() | st.text(max_size=3)))
def test_data_queue_keeps_order(items: list[int | str]) -> None:
    async def main() -> list[int | str]:
        queue: DataQueue[int | str] = DataQueue()

        async def produce() -> None:
            for item in items:
                queue.feed_data(item)
                await asyncio.sleep(0)
            queue.feed_eof()

        producer = asyncio.ensure_future(produce())
        got = [item async for item in queue]
        await producer
        return got

    assert asyncio.run(main()) == items
