"""The async iterator shared by all streams."""

# Strategy: every reader and queue ends iteration the same way, so the one
# iterator class lives here and takes the bound ``read`` method to call.
# A stream reports its end either by raising EofStream (DataQueue) or by
# returning EOF_MARKER (StreamReader, ChunksQueue); the iterator stops on either.
# Its own module so that the mypyc build can compile it with the readers
# (``async for line in reader`` runs through it once per line).

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from ._common import EOF_MARKER, EofStream

_T = TypeVar("_T")


class _AsyncStreamIterator(Generic[_T]):
    """Iterate by calling ``read_func`` until it signals the end of the stream."""

    __slots__ = ("_read_func", "_stop_on_marker")

    def __init__(self, read_func: Callable[[], Awaitable[_T]], stop_on_marker: bool) -> None:
        self._read_func = read_func
        # DataQueue items may legitimately equal b"", so only byte streams
        # treat EOF_MARKER as the end.
        self._stop_on_marker = stop_on_marker

    def __aiter__(self) -> _AsyncStreamIterator[_T]:
        return self

    async def __anext__(self) -> _T:
        try:
            value = await self._read_func()
        except EofStream:
            raise StopAsyncIteration from None
        if self._stop_on_marker and value == EOF_MARKER:
            raise StopAsyncIteration
        return value
