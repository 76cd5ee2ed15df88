"""DataQueue and ChunksQueue: order, EOF, exceptions, iteration."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest

from aiohttp_streams import ChunksQueue, DataQueue, EofStream

_T = TypeVar("_T")


async def started(coro: Awaitable[_T]) -> asyncio.Task[_T]:
    async def wrap() -> _T:
        return await coro

    task = asyncio.ensure_future(wrap())
    for _ in range(3):
        await asyncio.sleep(0)
    assert not task.done()
    return task


@pytest.mark.asyncio
async def test_items_come_out_in_order_then_eof_stream() -> None:
    queue: DataQueue[tuple[str, int]] = DataQueue()
    queue.feed_data(("a", 1))
    queue.feed_data(("b", 2), 10)
    queue.feed_eof()
    assert queue.is_eof() and not queue.at_eof()
    assert await queue.read() == ("a", 1)
    assert await queue.read() == ("b", 2)
    assert queue.at_eof()
    with pytest.raises(EofStream):
        await queue.read()
    assert "DataQueue" in repr(queue)


@pytest.mark.asyncio
async def test_reader_waits_and_is_woken_by_data() -> None:
    queue: DataQueue[str] = DataQueue(loop=asyncio.get_running_loop())
    task = await started(queue.read())
    queue.feed_data("x")
    assert await task == "x"


@pytest.mark.asyncio
async def test_feed_eof_wakes_waiting_reader_with_eof_stream() -> None:
    queue: DataQueue[str] = DataQueue()
    task = await started(queue.read())
    queue.feed_eof()
    with pytest.raises(EofStream):
        await task


@pytest.mark.asyncio
async def test_set_exception_wakes_waiting_reader() -> None:
    queue: DataQueue[str] = DataQueue()
    task = await started(queue.read())
    exc = ValueError("bad message")
    queue.set_exception(exc)
    with pytest.raises(ValueError, match="bad message"):
        await task
    assert queue.exception() is exc


@pytest.mark.asyncio
async def test_queued_items_are_delivered_before_the_exception() -> None:
    queue: DataQueue[int] = DataQueue()
    queue.feed_data(1)
    queue.set_exception(OSError("reset"))
    assert await queue.read() == 1
    with pytest.raises(OSError, match="reset"):
        await queue.read()


@pytest.mark.asyncio
async def test_exception_after_eof_is_raised_instead_of_eof_stream() -> None:
    queue: DataQueue[int] = DataQueue()
    queue.feed_eof()
    queue.set_exception(OSError("reset"))
    with pytest.raises(OSError, match="reset"):
        await queue.read()


@pytest.mark.asyncio
async def test_second_concurrent_reader_is_refused() -> None:
    queue: DataQueue[int] = DataQueue()
    task = await started(queue.read())
    with pytest.raises(RuntimeError, match="already waiting"):
        await queue.read()
    queue.feed_data(5)
    assert await task == 5


@pytest.mark.asyncio
async def test_cancelled_reader_leaves_queue_usable() -> None:
    queue: DataQueue[int] = DataQueue()
    task = await started(queue.read())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    queue.feed_data(7)
    assert await queue.read() == 7


@pytest.mark.asyncio
async def test_async_for_over_items_keeps_empty_bytes_items() -> None:
    queue: DataQueue[bytes] = DataQueue()
    for item in (b"a", b"", b"c"):
        queue.feed_data(item)
    queue.feed_eof()
    assert [item async for item in queue] == [b"a", b"", b"c"]


@pytest.mark.asyncio
async def test_async_for_raises_queue_exception() -> None:
    queue: DataQueue[int] = DataQueue()
    queue.feed_data(1)
    queue.set_exception(ValueError("boom"))
    seen = []
    with pytest.raises(ValueError, match="boom"):
        async for item in queue:
            seen.append(item)
    assert seen == [1]


@pytest.mark.asyncio
async def test_chunks_queue_returns_empty_bytes_at_eof() -> None:
    queue = ChunksQueue()
    task = await started(queue.readany())
    queue.feed_data(b"ab", 2)
    queue.feed_eof()
    assert await task == b"ab"
    assert await queue.read() == b""
    assert await queue.readany() == b""


@pytest.mark.asyncio
async def test_chunks_queue_eof_wakes_waiting_reader_with_empty_bytes() -> None:
    queue = ChunksQueue()
    task = await started(queue.read())
    queue.feed_eof()
    assert await task == b""


@pytest.mark.asyncio
async def test_chunks_queue_async_for_and_exception() -> None:
    queue = ChunksQueue()
    queue.feed_data(b"a", 1)
    queue.feed_data(b"b", 1)
    queue.feed_eof()
    assert [c async for c in queue] == [b"a", b"b"]
    failing = ChunksQueue()
    task = await started(failing.read())
    failing.set_exception(OSError("reset"))
    with pytest.raises(OSError, match="reset"):
        await task
