"""Constants, the end-of-stream exception and the async iterator shared by all streams."""

# Strategy: every reader and queue ends iteration the same way, so the one
# iterator class lives here and takes the bound ``read`` method to call.
# A stream reports its end either by raising EofStream (DataQueue) or by
# returning EOF_MARKER (StreamReader, ChunksQueue); the iterator stops on either.

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Final, Generic, TypeVar

__all__ = ("DEFAULT_LIMIT", "EOF_MARKER", "EofStream")

#: What the byte readers return once the stream is exhausted (2016: ``b''``).
EOF_MARKER: Final[bytes] = b""

#: Default line limit and flow-control high-water mark, in bytes.
#: Same value as aiohttp 2016 and as ``asyncio.streams._DEFAULT_LIMIT`` (64 KiB).
DEFAULT_LIMIT: Final[int] = 2**16

_T = TypeVar("_T")

if TYPE_CHECKING:
    from mypy_extensions import mypyc_attr as mypyc_attr
else:
    # mypyc reads this class decorator at compile time and never calls it,
    # so at run time a no-op stands in and the package needs no
    # mypy_extensions. It lives here, in a module mypyc does not compile:
    # compiled code cannot run the branch mypy deems unreachable.
    def mypyc_attr(*attrs, **kwattrs):
        return lambda cls: cls


class EofStream(Exception):
    """End of stream: raised by :meth:`DataQueue.read` once the queue is empty and closed."""


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
