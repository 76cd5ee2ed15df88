"""DataQueue and ChunksQueue: queues of parsed items with a single reader."""

# Strategy: a deque of (item, size) pairs; ``size`` is whatever the producer
# says an item weighs (bytes for chunks, 0 for small parsed messages), and the
# flow-controlled variants compare the running total with their limit. One
# reader at a time, woken through a single future, as in 2016. Buffered items
# are still delivered after set_exception(); the exception is raised once the
# queue is empty (2016 behaviour, unlike StreamReader which fails at once).

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

from ._common import DEFAULT_LIMIT, EOF_MARKER, EofStream
from ._flow import FlowControlTarget, _FlowController
from ._iterator import _AsyncStreamIterator

__all__ = (
    "DataQueue",
    "ChunksQueue",
    "FlowControlDataQueue",
    "FlowControlChunksQueue",
)

_T = TypeVar("_T")


class DataQueue(Generic[_T]):
    """A general-purpose queue of items with one reader.

    :meth:`read` returns items in order and raises :class:`EofStream` once the
    queue is empty and :meth:`feed_eof` was called. ``async for`` iterates until
    then.
    """

    def __init__(self, *, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._eof = False
        self._waiter: asyncio.Future[None] | None = None
        self._exception: BaseException | None = None
        self._size = 0
        self._buffer: collections.deque[tuple[_T, int]] = collections.deque()

    def __repr__(self) -> str:
        state = f" {len(self._buffer)} items" if self._buffer else ""
        return f"<{type(self).__name__}{state}{' eof' if self._eof else ''}>"

    def is_eof(self) -> bool:
        """Whether :meth:`feed_eof` was called (items may still be queued)."""
        return self._eof

    def at_eof(self) -> bool:
        """Whether :meth:`feed_eof` was called and the queue is empty."""
        return self._eof and not self._buffer

    def exception(self) -> BaseException | None:
        """The exception set by :meth:`set_exception`, or ``None``."""
        return self._exception

    def set_exception(self, exc: BaseException) -> None:
        """Fail the queue: a waiting reader, and reads once it is empty, raise ``exc``."""
        self._exception = exc
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_exception(exc)

    def feed_data(self, data: _T, size: int = 0) -> None:
        """Append ``data`` weighing ``size`` (for flow control) and wake the reader."""
        self._size += size
        self._buffer.append((data, size))
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        self._on_size_change()

    def feed_eof(self) -> None:
        """Mark the end of the queue and wake the reader."""
        self._eof = True
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def read(self) -> _T:
        """Return the next item, waiting for one.

        Raises :class:`EofStream` at the end, or the exception set by
        :meth:`set_exception` once the queued items are consumed.
        """
        while not self._buffer and not self._eof:
            if self._exception is not None:
                raise self._exception
            if self._waiter is not None:
                raise RuntimeError(
                    "read() called while another coroutine is already waiting for data"
                )
            self._before_wait()
            if self._buffer or self._eof:  # resuming delivered something at once
                break
            loop = self._loop if self._loop is not None else asyncio.get_running_loop()
            self._waiter = waiter = loop.create_future()
            try:
                await waiter
            finally:
                self._waiter = None
        if self._buffer:
            data, size = self._buffer.popleft()
            self._size -= size
            self._on_size_change()
            return data
        if self._exception is not None:
            raise self._exception
        raise EofStream

    def __aiter__(self) -> AsyncIterator[_T]:
        """Iterate over the items until :class:`EofStream`."""
        return _AsyncStreamIterator(self.read, False)

    def _on_size_change(self) -> None:
        """Hook: the queued size changed (flow control checks the limit here)."""

    def _before_wait(self) -> None:
        """Hook: the reader is about to wait for an item."""


class ChunksQueue(DataQueue[bytes]):
    """A :class:`DataQueue` of byte chunks whose :meth:`read` returns ``b''`` at EOF."""

    async def read(self) -> bytes:
        """Return the next chunk, waiting for one; ``b''`` at EOF."""
        try:
            return await super().read()
        except EofStream:
            return EOF_MARKER

    async def readany(self) -> bytes:
        """The same as :meth:`read` (2016 alias)."""
        return await self.read()

    def __aiter__(self) -> AsyncIterator[bytes]:
        """Iterate over the chunks until EOF."""
        return _AsyncStreamIterator(self.read, True)


class FlowControlDataQueue(DataQueue[_T]):
    """A :class:`DataQueue` that pauses ``stream.transport`` while it holds too much.

    Reading is paused when the total ``size`` of the queued items exceeds
    ``limit`` and resumed when the reader brings it below ``limit`` (or starts
    waiting). ``stream`` is a :class:`FlowControlTarget`.
    """

    def __init__(
        self,
        stream: FlowControlTarget,
        *,
        limit: int = DEFAULT_LIMIT,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(loop=loop)
        self._flow = _FlowController(stream, limit)

    def _on_size_change(self) -> None:
        self._flow.check(self._size)

    def _before_wait(self) -> None:
        self._flow.resume()


class FlowControlChunksQueue(FlowControlDataQueue[bytes], ChunksQueue):
    """A :class:`ChunksQueue` with the flow control of :class:`FlowControlDataQueue`."""
