"""StreamReader: reading methods, EOF and exceptions, unread_data, iteration, limits."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from aiohttp_errors import HttpBadRequest, LineLimitExceededParserError, ParserError
from aiohttp_streams import DEFAULT_LIMIT, EOF_MARKER, StreamReader


def fed(*chunks: bytes, eof: bool = True, limit: int = DEFAULT_LIMIT) -> StreamReader:
    stream = StreamReader(limit=limit)
    for chunk in chunks:
        stream.feed_data(chunk)
    if eof:
        stream.feed_eof()
    return stream


async def started(coro: Awaitable[bytes | None]) -> asyncio.Task[bytes | None]:
    """Run ``coro`` as a task until it blocks waiting for data."""

    async def wrap() -> bytes | None:
        return await coro

    task = asyncio.ensure_future(wrap())
    for _ in range(3):
        await asyncio.sleep(0)
    assert not task.done()
    return task


def test_constants() -> None:
    assert EOF_MARKER == b""
    assert DEFAULT_LIMIT == 2**16


def test_construct_without_running_loop_does_not_warn() -> None:
    # pytest turns warnings into errors: a DeprecationWarning about
    # get_event_loop() would fail this test.
    stream = StreamReader()
    assert stream.limit == DEFAULT_LIMIT
    assert stream.total_bytes == 0
    assert "StreamReader" in repr(stream)


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="limit"):
        StreamReader(limit=0)


@pytest.mark.asyncio
async def test_explicit_loop_is_accepted() -> None:
    stream = StreamReader(loop=asyncio.get_running_loop())
    task = await started(stream.read(3))
    stream.feed_data(b"abcdef")
    assert await task == b"abc"


# -- read ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_read_n_returns_what_is_buffered_up_to_n() -> None:
    stream = fed(b"abc", b"defgh")
    assert await stream.read(2) == b"ab"
    assert await stream.read(3) == b"cde"
    assert await stream.read(100) == b"fgh"
    assert await stream.read(5) == b""
    assert stream.at_eof()


@pytest.mark.asyncio
async def test_read_zero_returns_empty_without_waiting() -> None:
    stream = fed(eof=False)
    assert await stream.read(0) == b""


@pytest.mark.asyncio
async def test_read_all_collects_until_eof() -> None:
    stream = fed(b"ab", eof=False)
    task = await started(stream.read())
    stream.feed_data(b"cd")
    await asyncio.sleep(0)
    stream.feed_data(b"ef")
    stream.feed_eof()
    assert await task == b"abcdef"
    assert stream.total_bytes == 6


@pytest.mark.asyncio
async def test_read_waits_for_data() -> None:
    stream = fed(eof=False)
    task = await started(stream.read(10))
    stream.feed_data(b"xyz")
    assert await task == b"xyz"


@pytest.mark.asyncio
async def test_feed_accepts_bytearray_and_memoryview_and_copies() -> None:
    stream = fed(eof=False)
    buf = bytearray(b"abc")
    stream.feed_data(buf)
    stream.feed_data(memoryview(b"def"))
    buf[:] = b"XXX"
    stream.feed_eof()
    assert await stream.read() == b"abcdef"


def test_feed_empty_is_ignored_and_feed_after_eof_fails() -> None:
    stream = fed(eof=False)
    stream.feed_data(b"")
    assert stream.total_bytes == 0
    stream.feed_eof()
    with pytest.raises(RuntimeError, match="after feed_eof"):
        stream.feed_data(b"x")


# -- readany / read_nowait -------------------------------------------------------


@pytest.mark.asyncio
async def test_readany_returns_everything_buffered() -> None:
    stream = fed(b"ab", b"cd", eof=False)
    assert await stream.readany() == b"abcd"
    task = await started(stream.readany())
    stream.feed_data(b"e")
    assert await task == b"e"
    stream.feed_eof()
    assert await stream.readany() == b""


@pytest.mark.asyncio
async def test_read_nowait() -> None:
    stream = fed(b"abc", b"def", eof=False)
    assert stream.read_nowait(2) == b"ab"
    assert stream.read_nowait() == b"cdef"
    assert stream.read_nowait() == b""
    assert not stream.at_eof()
    task = await started(stream.read())
    with pytest.raises(RuntimeError, match="waiting"):
        stream.read_nowait()
    stream.feed_eof()
    assert await task == b""


@pytest.mark.asyncio
async def test_two_concurrent_readers_are_refused() -> None:
    stream = fed(eof=False)
    task = await started(stream.readline())
    with pytest.raises(RuntimeError, match="already waiting"):
        await stream.read(1)
    stream.feed_data(b"x\n")
    assert await task == b"x\n"


# -- readexactly ------------------------------------------------------------


@pytest.mark.asyncio
async def test_readexactly_across_chunks() -> None:
    stream = fed(b"ab", eof=False)
    task = await started(stream.readexactly(5))
    stream.feed_data(b"cd")
    await asyncio.sleep(0)
    stream.feed_data(b"efg")
    assert await task == b"abcde"
    assert stream.read_nowait() == b"fg"


@pytest.mark.asyncio
async def test_readexactly_zero_or_negative_returns_empty() -> None:
    stream = fed(eof=False)
    assert await stream.readexactly(0) == b""
    assert await stream.readexactly(-1) == b""


@pytest.mark.asyncio
async def test_readexactly_premature_eof_raises_incomplete_read() -> None:
    stream = fed(b"abc")
    with pytest.raises(asyncio.IncompleteReadError) as info:
        await stream.readexactly(5)
    assert info.value.partial == b"abc"
    assert info.value.expected == 5


@pytest.mark.asyncio
async def test_readexactly_eof_while_waiting_raises_incomplete_read() -> None:
    stream = fed(b"ab", eof=False)
    task = await started(stream.readexactly(4))
    stream.feed_eof()
    with pytest.raises(asyncio.IncompleteReadError) as info:
        await task
    assert info.value.partial == b"ab"
    assert info.value.expected == 4


# -- readline ---------------------------------------------------------------


@pytest.mark.asyncio
async def test_readline_splits_lines_and_returns_tail_at_eof() -> None:
    stream = fed(b"li", b"ne1\nline2\nli", b"ne3\n", b"tail")
    assert await stream.readline() == b"line1\n"
    assert await stream.readline() == b"line2\n"
    assert await stream.readline() == b"line3\n"
    assert await stream.readline() == b"tail"
    assert await stream.readline() == b""
    assert stream.at_eof()


@pytest.mark.asyncio
async def test_readline_waits_for_the_newline() -> None:
    stream = fed(b"par", eof=False)
    task = await started(stream.readline())
    stream.feed_data(b"tial")
    await asyncio.sleep(0)
    assert not task.done()
    stream.feed_data(b" line\nnext")
    assert await task == b"partial line\n"
    assert stream.read_nowait() == b"next"


@pytest.mark.asyncio
async def test_readline_limit_counts_the_newline() -> None:
    stream = fed(b"a" * 7 + b"\n", b"b" * 8 + b"\n", limit=8)
    assert await stream.readline() == b"a" * 7 + b"\n"
    with pytest.raises(LineLimitExceededParserError) as info:
        await stream.readline()
    assert info.value.limit == 8
    assert "limit is 8 bytes" in str(info.value)
    assert "9 bytes" in str(info.value)


def test_line_limit_error_is_a_parser_error_and_bad_request() -> None:
    assert issubclass(LineLimitExceededParserError, ParserError)
    assert issubclass(LineLimitExceededParserError, HttpBadRequest)


@pytest.mark.asyncio
async def test_readline_too_long_line_discards_it_and_continues() -> None:
    stream = fed(b"x" * 20 + b"\nok\n", limit=10)
    with pytest.raises(LineLimitExceededParserError):
        await stream.readline()
    assert await stream.readline() == b"ok\n"


@pytest.mark.asyncio
async def test_readline_too_long_without_newline_fails_before_buffering_more() -> None:
    stream = fed(eof=False, limit=10)
    task = await started(stream.readline())
    for _ in range(3):
        stream.feed_data(b"abcd")
        await asyncio.sleep(0)
    # 12 bytes and no newline: the reader fails at once, it does not wait on.
    assert task.done()
    with pytest.raises(LineLimitExceededParserError, match="no end yet") as info:
        await task
    assert "abcdabcdabcd" in str(info.value)
    # What was buffered of the overlong line is gone.
    assert stream.read_nowait() == b""


@pytest.mark.asyncio
async def test_readline_error_quotes_at_most_100_bytes() -> None:
    stream = fed(b"A" * 1000 + b"\n", limit=500)
    with pytest.raises(LineLimitExceededParserError) as info:
        await stream.readline()
    assert "A" * 100 in str(info.value)
    assert "A" * 101 not in str(info.value)


@pytest.mark.asyncio
async def test_readline_unterminated_tail_over_limit_at_eof() -> None:
    stream = fed(b"x" * 11, limit=10)
    with pytest.raises(LineLimitExceededParserError):
        await stream.readline()
    assert stream.at_eof()


@pytest.mark.asyncio
async def test_readline_line_of_exactly_limit_waits_for_next_byte() -> None:
    stream = fed(b"x" * 10, eof=False, limit=10)
    task = await started(stream.readline())
    stream.feed_eof()
    assert await task == b"x" * 10


# -- unread_data ---------------------------------------------------------------


@pytest.mark.asyncio
async def test_unread_data_is_read_first() -> None:
    stream = fed(b"hello world\n", eof=False)
    assert await stream.read(6) == b"hello "
    stream.unread_data(b"hello ")
    assert await stream.readline() == b"hello world\n"
    stream.unread_data(b"")
    stream.unread_data(bytearray(b"again\n"))
    assert await stream.readline() == b"again\n"
    assert stream.total_bytes == 12


@pytest.mark.asyncio
async def test_unread_data_while_readline_waits() -> None:
    stream = fed(b"abc", eof=False)
    task = await started(stream.readline())
    stream.unread_data(b"x\n")
    stream.feed_data(b"def\n")
    assert await task == b"x\n"
    assert await stream.readline() == b"abcdef\n"


# -- EOF and exceptions wake waiting readers ------------------------------------

Reader = Callable[[StreamReader], Awaitable[bytes | None]]
READERS: list[tuple[str, Reader]] = [
    ("read", lambda s: s.read(5)),
    ("read_all", lambda s: s.read()),
    ("readline", lambda s: s.readline()),
    ("readany", lambda s: s.readany()),
    ("readexactly", lambda s: s.readexactly(5)),
    ("wait_eof", lambda s: s.wait_eof()),
]


@pytest.mark.asyncio
@pytest.mark.parametrize("reader", [r for _, r in READERS], ids=[n for n, _ in READERS])
async def test_feed_eof_wakes_waiting_reader(reader: Reader) -> None:
    stream = fed(eof=False)
    task = await started(reader(stream))
    stream.feed_eof()
    await asyncio.wait([task])
    if task.exception() is not None:
        assert isinstance(task.exception(), asyncio.IncompleteReadError)
    else:
        assert task.result() in (b"", None)
    assert stream.is_eof() and stream.at_eof()


@pytest.mark.asyncio
@pytest.mark.parametrize("reader", [r for _, r in READERS], ids=[n for n, _ in READERS])
async def test_set_exception_wakes_waiting_reader(reader: Reader) -> None:
    stream = fed(eof=False)
    task = await started(reader(stream))
    exc = ConnectionResetError("peer went away")
    stream.set_exception(exc)
    with pytest.raises(ConnectionResetError):
        await task
    assert stream.exception() is exc


@pytest.mark.asyncio
async def test_exception_is_raised_even_with_buffered_data() -> None:
    stream = fed(b"data\n", eof=False)
    stream.set_exception(ValueError("boom"))
    for call in (
        stream.read(),
        stream.readline(),
        stream.readany(),
        stream.readexactly(1),
    ):
        with pytest.raises(ValueError, match="boom"):
            await call
    with pytest.raises(ValueError, match="boom"):
        stream.read_nowait()


@pytest.mark.asyncio
async def test_wait_eof_returns_at_once_after_eof_and_leaves_data() -> None:
    stream = fed(b"abc")
    await stream.wait_eof()
    assert stream.is_eof() and not stream.at_eof()
    assert await stream.read() == b"abc"


@pytest.mark.asyncio
async def test_wait_eof_with_concurrent_reader() -> None:
    stream = fed(eof=False)
    eof_task = await started(stream.wait_eof())
    read_task = await started(stream.readline())
    with pytest.raises(RuntimeError, match="waiting for EOF"):
        await stream.wait_eof()
    stream.feed_data(b"a\n")
    assert await read_task == b"a\n"
    assert not eof_task.done()
    stream.feed_eof()
    assert await eof_task is None


@pytest.mark.asyncio
async def test_cancelled_reader_leaves_stream_usable() -> None:
    stream = fed(eof=False)
    task = await started(stream.readline())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    stream.feed_data(b"a\n")
    assert await stream.readline() == b"a\n"


# -- iteration -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_for_iterates_lines() -> None:
    stream = fed(b"a\nb", b"b\nc")
    assert [line async for line in stream] == [b"a\n", b"bb\n", b"c"]


@pytest.mark.asyncio
async def test_iter_chunked() -> None:
    stream = fed(b"abcde", b"fg")
    assert [c async for c in stream.iter_chunked(3)] == [b"abc", b"def", b"g"]
    with pytest.raises(ValueError, match="positive"):
        stream.iter_chunked(0)


@pytest.mark.asyncio
async def test_iter_any() -> None:
    stream = fed(b"ab", eof=False)

    async def produce() -> None:
        await asyncio.sleep(0)
        stream.feed_data(b"cd")
        await asyncio.sleep(0)
        stream.feed_eof()

    producer = asyncio.ensure_future(produce())
    chunks = [c async for c in stream.iter_any()]
    await producer
    assert b"".join(chunks) == b"abcd"
    assert chunks[0] == b"ab"


@pytest.mark.asyncio
async def test_iteration_raises_stream_exception() -> None:
    stream = fed(b"a\n", eof=False)
    lines = []
    stream.feed_data(b"b\n")

    async def fail() -> None:
        await asyncio.sleep(0)
        stream.set_exception(OSError("reset"))

    failing = asyncio.ensure_future(fail())
    with pytest.raises(OSError, match="reset"):
        async for line in stream:
            lines.append(line)
    await failing
    assert lines == [b"a\n", b"b\n"]


def test_repr_shows_state() -> None:
    stream = fed(b"abc", limit=10)
    stream.set_exception(ValueError("x"))
    text = repr(stream)
    assert "3 bytes" in text and "eof" in text and "l=10" in text and "ValueError" in text


@pytest.mark.asyncio
async def test_waiting_readline_sees_bytes_taken_by_another_reader() -> None:
    # Not a supported pattern (one reader at a time), but the waiting
    # readline() must not return stale or wrong bytes.
    stream = fed(b"abc", eof=False)
    task = await started(stream.readline())
    assert await stream.read(2) == b"ab"
    stream.feed_data(b"d\nnext")
    assert await task == b"cd\n"
    assert stream.read_nowait() == b"next"


@pytest.mark.asyncio
async def test_readline_long_line_in_tiny_pieces() -> None:
    # 60 KiB line fed one byte at a time: scanned once, returned whole.
    stream = fed(eof=False)
    task = asyncio.ensure_future(stream.readline())
    body = bytes(range(256)).replace(b"\n", b"") * 240
    for i in range(len(body)):
        stream.feed_data(body[i : i + 1])
        if i % 4096 == 0:
            await asyncio.sleep(0)
    stream.feed_data(b"\n")
    assert await task == body + b"\n"


@pytest.mark.asyncio
@pytest.mark.parametrize("piece", [700, 5000, 10**6])
async def test_runs_of_short_lines_broken_by_other_reads(piece: int) -> None:
    # readline() splits ahead of a run of lines; every other read must make
    # it forget what it split, and a new run must not reuse it.
    data = b"".join(b"line %d\n" % i for i in range(3000))
    reader = fed(*[data[i : i + piece] for i in range(0, len(data), piece)])
    pos = 0
    run = 1
    while pos < len(data):
        for _ in range(run):
            end = data.find(b"\n", pos) + 1 or len(data)
            assert await reader.readline() == data[pos:end]
            pos = end
        n = run % 7
        assert await reader.read(n) == data[pos : pos + n]
        pos += len(data[pos : pos + n])
        if run % 3 == 0:
            # Pushed back bytes make a new first chunk.
            reader.unread_data(data[pos - 2 : pos])
            pos -= 2
        run = run * 2 if run < 200 else 1
    assert await reader.readline() == b""
