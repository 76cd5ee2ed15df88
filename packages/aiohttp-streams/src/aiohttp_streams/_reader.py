"""StreamReader: an asyncio byte stream fed by a protocol and read by one coroutine."""

# Strategy: the buffer is a deque of immutable ``bytes`` chunks plus an offset
# into the first one. Feeding appends a chunk (no copy of what is already
# buffered); reading slices the first chunk, so a short line that sits inside
# one chunk costs one ``bytes.find`` and one slice -- no O(n^2) compaction of a
# growing bytearray. A line that spans chunks is joined once when found.
# While readline() waits for a newline it remembers which chunks it already
# scanned, so a long line arriving in tiny pieces is scanned once, not once per
# piece. readline() checks the limit before returning or waiting, so the
# outcome never depends on how the bytes were split.
# Runs of short lines: a bytes.find() per line is most of the cost of a short
# line (compiled or not), so from the second line of a run readline() splits
# the stretch of the first chunk that follows at every b"\n" with one
# bytes.split() and then only measures the pieces (see _read_ahead()).
# One coroutine reads at a time (a single ``_waiter`` future), as in 2016.

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from typing import Final, NoReturn

from aiohttp_errors import LineLimitExceededParserError

from ._common import DEFAULT_LIMIT, EOF_MARKER, mypyc_attr
from ._flow import FlowControlTarget, _FlowController
from ._iterator import _AsyncStreamIterator

__all__ = ("StreamReader", "EmptyStreamReader", "FlowControlStreamReader")

_DataType = bytes | bytearray | memoryview

# Error messages quote at most this much of the offending line.
_QUOTE_LIMIT: Final = 100

# The stretch readline() splits ahead starts at _AHEAD_MIN bytes and doubles
# each time a run of lines uses it up, to _AHEAD_MAX; a new run starts small
# again. So the splitting done for lines that are never read (the reader
# turned to read()) stays below _AHEAD_MIN bytes plus what the run read, and
# what a reader holds split is at most _AHEAD_MAX bytes of its first chunk
# (some 70 KB of small bytes objects when every line is 3 bytes long).
_AHEAD_MIN: Final = 256
_AHEAD_MAX: Final = 4096


# Public classes users subclass: the mypyc twin must allow that.
@mypyc_attr(allow_interpreted_subclasses=True)
class StreamReader:
    """A buffered stream of bytes, fed by a protocol and read by one coroutine.

    ``limit`` bounds :meth:`readline`: a line (with its ``b'\\n'``) longer than
    ``limit`` bytes raises :class:`aiohttp_errors.LineLimitExceededParserError`.
    ``loop`` is accepted for 2016 compatibility; by default the running loop is
    used when a coroutine first has to wait.

    Iteration::

        async for line in reader: ...                   # lines, like readline()
        async for chunk in reader.iter_chunked(1024): ...  # read(1024)
        async for chunk in reader.iter_any(): ...       # readany()

    .. attribute:: total_bytes

       Number of bytes fed so far (unread_data() does not count).
    """

    def __init__(
        self, limit: int = DEFAULT_LIMIT, loop: asyncio.AbstractEventLoop | None = None
    ) -> None:
        if limit <= 0:
            raise ValueError(f"limit must be a positive number of bytes, got {limit!r}")
        self._limit = limit
        self._loop = loop
        self._buffer: collections.deque[bytes] = collections.deque()
        self._offset = 0  # bytes of _buffer[0] already read
        self._size = 0  # unread bytes in _buffer
        # Bumped whenever the front of the buffer changes (unread_data(), a
        # read by another coroutine): a waiting readline() must rescan.
        self._front_changes = 0
        # The lines that follow _ahead_offset in the first chunk, last first,
        # valid while nothing but readline() consumed (_ahead_changes).
        self._ahead: list[bytes] = []
        self._ahead_offset = -1
        self._ahead_changes = 0
        self._ahead_size = _AHEAD_MIN
        self._eof = False
        self._waiter: asyncio.Future[None] | None = None
        self._eof_waiter: asyncio.Future[None] | None = None
        self._exception: BaseException | None = None
        self.total_bytes = 0

    def __repr__(self) -> str:
        info = [type(self).__name__]
        if self._size:
            info.append(f"{self._size} bytes")
        if self._eof:
            info.append("eof")
        if self._limit != DEFAULT_LIMIT:
            info.append(f"l={self._limit}")
        if self._waiter is not None:
            info.append(f"w={self._waiter!r}")
        if self._exception is not None:
            info.append(f"e={self._exception!r}")
        return "<{}>".format(" ".join(info))

    @property
    def limit(self) -> int:
        """The longest line :meth:`readline` returns, in bytes (``b'\\n'`` included)."""
        return self._limit

    # -- the producer side ---------------------------------------------------

    def exception(self) -> BaseException | None:
        """The exception set by :meth:`set_exception`, or ``None``."""
        return self._exception

    def set_exception(self, exc: BaseException) -> None:
        """Fail the stream: waiting and future reads raise ``exc``."""
        self._exception = exc
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_exception(exc)
        waiter = self._eof_waiter
        if waiter is not None:
            self._eof_waiter = None
            if not waiter.done():
                waiter.set_exception(exc)

    def feed_eof(self) -> None:
        """Mark the end of the stream and wake any waiting reader."""
        self._eof = True
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        waiter = self._eof_waiter
        if waiter is not None:
            self._eof_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def feed_data(self, data: _DataType, size: int = 0) -> None:
        """Append ``data`` to the buffer and wake a waiting reader.

        ``size`` is ignored; it is accepted so that byte streams and
        :class:`DataQueue` share the feeding signature used by the 2016 parsers.
        """
        if self._eof:
            raise RuntimeError("feed_data() called after feed_eof()")
        if not data:
            return
        # Copy mutable buffers: the producer may reuse them after we return.
        chunk = data if type(data) is bytes else bytes(data)
        self._buffer.append(chunk)
        self._size += len(chunk)
        self.total_bytes += len(chunk)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        self._on_size_change()

    def unread_data(self, data: _DataType) -> None:
        """Push ``data`` back to the front of the buffer, to be read again first."""
        if not data:
            return
        chunk = data if type(data) is bytes else bytes(data)
        if self._offset:
            self._buffer[0] = self._buffer[0][self._offset :]
            self._offset = 0
        self._buffer.appendleft(chunk)
        self._size += len(chunk)
        self._front_changes += 1
        self._on_size_change()

    # -- state ------------------------------------------------------------------

    def is_eof(self) -> bool:
        """Whether :meth:`feed_eof` was called (data may still be buffered)."""
        return self._eof

    def at_eof(self) -> bool:
        """Whether :meth:`feed_eof` was called and the buffer is empty."""
        return self._eof and not self._size

    async def wait_eof(self) -> None:
        """Wait until :meth:`feed_eof` is called (without consuming anything).

        Raises the stream's exception if :meth:`set_exception` is called first.
        """
        if self._eof:
            return
        if self._eof_waiter is not None:
            raise RuntimeError("wait_eof() called while another coroutine is waiting for EOF")
        self._before_wait()
        if self.is_eof():  # resuming a transport may deliver EOF at once
            return
        self._eof_waiter = waiter = self._create_future()
        try:
            await waiter
        finally:
            self._eof_waiter = None

    # -- the consumer side ----------------------------------------------------

    def __aiter__(self) -> AsyncIterator[bytes]:
        """Iterate over lines (:meth:`readline`) until EOF."""
        return _AsyncStreamIterator(self.readline, True)

    def iter_chunked(self, n: int) -> AsyncIterator[bytes]:
        """Iterate over chunks of at most ``n`` bytes (:meth:`read`) until EOF."""
        if n <= 0:
            raise ValueError(f"iter_chunked() needs a positive chunk size, got {n!r}")

        async def read_chunk() -> bytes:
            return await self.read(n)

        return _AsyncStreamIterator(read_chunk, True)

    def iter_any(self) -> AsyncIterator[bytes]:
        """Iterate over whatever is buffered each time (:meth:`readany`) until EOF."""
        return _AsyncStreamIterator(self.readany, True)

    async def readline(self) -> bytes:
        """Read one line, ``b'\\n'`` included; at EOF the unterminated rest, then ``b''``.

        Raises :class:`aiohttp_errors.LineLimitExceededParserError` when the line
        is longer than :attr:`limit`; the overlong line (or, if its end has not
        arrived, everything buffered) is discarded first, as asyncio does.
        """
        if self._exception is not None:
            raise self._exception
        # Fast path: the whole line sits in the first chunk.
        if self._size:
            chunk = self._buffer[0]
            offset = self._offset
            if offset == self._ahead_offset and self._front_changes == self._ahead_changes:
                # The previous line ended here: the run goes on.
                ahead = self._ahead or self._read_ahead(chunk, offset)
                end = offset + len(ahead.pop()) + 1 if ahead else chunk.find(b"\n", offset) + 1
            else:
                # The first line of a run.
                self._ahead.clear()
                self._ahead_changes = self._front_changes
                self._ahead_size = _AHEAD_MIN
                end = chunk.find(b"\n", offset) + 1
            if end and end - offset <= self._limit:
                if end == len(chunk):
                    self._buffer.popleft()
                    self._offset = 0
                else:
                    self._offset = end
                self._ahead_offset = self._offset
                self._size -= end - offset
                self._on_size_change()
                return chunk[offset:end]
        return await self._readline_slow()

    def _read_ahead(self, chunk: bytes, offset: int) -> list[bytes]:
        """Split the next stretch of ``chunk`` from ``offset`` into ``self._ahead``."""
        size = self._ahead_size
        self._ahead_size = min(2 * size, _AHEAD_MAX)
        pieces = chunk[offset : offset + size].split(b"\n")
        pieces.pop()  # what follows the stretch's last b"\n": not a whole line
        pieces.reverse()  # so that pop() gives the next line
        self._ahead = pieces
        return pieces

    async def _readline_slow(self) -> bytes:
        limit = self._limit
        scanned_chunks = 0  # leading chunks known to hold no b"\n"
        scanned = 0  # unread bytes in those chunks
        front_changes = self._front_changes
        while True:
            if self._exception is not None:
                raise self._exception
            if front_changes != self._front_changes:
                # Someone else changed the front of the buffer: rescan.
                scanned_chunks = scanned = 0
                front_changes = self._front_changes
            buffer = self._buffer
            while scanned_chunks < len(buffer):
                chunk = buffer[scanned_chunks]
                start = self._offset if scanned_chunks == 0 else 0
                end = chunk.find(b"\n", start) + 1
                if end:
                    length = scanned + end - start
                    if length > limit:
                        self._raise_line_too_long()
                    return self._take(length)
                scanned += len(chunk) - start
                scanned_chunks += 1
                if scanned > limit:
                    # Whatever follows, this line is already too long.
                    self._raise_line_too_long()
            if self._eof:
                if self._size > limit:
                    self._raise_line_too_long()
                return self._take(self._size)
            await self._wait("readline")

    def _raise_line_too_long(self) -> NoReturn:
        # Discard the overlong line as far as it has arrived (through its
        # b"\n" if buffered, else everything), as asyncio does, then raise.
        quoted = self._peek(_QUOTE_LIMIT)
        length = 0
        offset = self._offset
        for chunk in self._buffer:
            end = chunk.find(b"\n", offset) + 1
            if end:
                length += end - offset
                what = f"{length} bytes"
                break
            length += len(chunk) - offset
            offset = 0
        else:
            what = f"{length} bytes" if self._eof else f"{length} bytes so far and no end yet"
        self._take(length)
        raise LineLimitExceededParserError(
            f"Line is too long: the limit is {self._limit} bytes, the line has {what}; "
            f"it starts with {quoted!r}",
            self._limit,
        )

    async def read(self, n: int = -1) -> bytes:
        """Read up to ``n`` bytes (waiting only if none is buffered); ``-1``: all until EOF.

        Returns ``b''`` at EOF.
        """
        if self._exception is not None:
            raise self._exception
        if not n:
            return EOF_MARKER
        if n < 0:
            # Collect with readany() so that flow control keeps working.
            blocks: list[bytes] = []
            while True:
                block = await self.readany()
                if not block:
                    return b"".join(blocks)
                blocks.append(block)
        while not self._size and not self._eof:
            await self._wait("read")
            if self._exception is not None:
                raise self._exception
        return self._take(min(n, self._size))

    async def readany(self) -> bytes:
        """Read everything buffered, waiting for data if there is none; ``b''`` at EOF."""
        if self._exception is not None:
            raise self._exception
        while not self._size and not self._eof:
            await self._wait("readany")
            if self._exception is not None:
                raise self._exception
        return self._take(self._size)

    async def readexactly(self, n: int) -> bytes:
        """Read exactly ``n`` bytes.

        Raises :class:`asyncio.IncompleteReadError` (with the bytes read in
        ``partial``) if EOF comes first.
        """
        if self._exception is not None:
            raise self._exception
        blocks: list[bytes] = []
        while n > 0:
            block = await self.read(n)
            if not block:
                partial = b"".join(blocks)
                raise asyncio.IncompleteReadError(partial, len(partial) + n)
            blocks.append(block)
            n -= len(block)
        return b"".join(blocks)

    def read_nowait(self, n: int = -1) -> bytes:
        """Return up to ``n`` buffered bytes (``-1``: all of them) without waiting.

        Raises :class:`RuntimeError` while a coroutine waits on this stream.
        """
        if self._exception is not None:
            raise self._exception
        if self._waiter is not None and not self._waiter.done():
            raise RuntimeError("read_nowait() called while a coroutine is waiting for data")
        return self._take(self._size if n < 0 else min(n, self._size))

    # -- internals ---------------------------------------------------------

    def _create_future(self) -> asyncio.Future[None]:
        loop = self._loop if self._loop is not None else asyncio.get_running_loop()
        return loop.create_future()

    async def _wait(self, func_name: str) -> None:
        # Two coroutines waiting at once could not tell which one gets the
        # next data (2016 and asyncio refuse it the same way).
        if self._waiter is not None:
            raise RuntimeError(
                f"{func_name}() called while another coroutine is already waiting for data"
            )
        size = self._size
        self._before_wait()
        if self._size != size or self._eof:
            # Resuming the transport delivered something at once: let the
            # caller look at it instead of waiting for more.
            return
        self._waiter = waiter = self._create_future()
        try:
            await waiter
        finally:
            self._waiter = None

    def _peek(self, n: int) -> bytes:
        """Up to ``n`` bytes from the front of the buffer, not consumed."""
        out = []
        offset = self._offset
        for chunk in self._buffer:
            out.append(chunk[offset : offset + n])
            n -= len(out[-1])
            offset = 0
            if n <= 0:
                break
        return b"".join(out)

    def _take(self, n: int) -> bytes:
        """Consume and return the first ``n`` buffered bytes (``n <= self._size``)."""
        if not n:
            return EOF_MARKER
        buffer = self._buffer
        chunk = buffer[0]
        offset = self._offset
        end = offset + n
        if end < len(chunk):
            self._offset = end
            data = chunk[offset:end]
        elif end == len(chunk):
            buffer.popleft()
            self._offset = 0
            data = chunk[offset:] if offset else chunk
        else:
            parts = [chunk[offset:] if offset else chunk]
            buffer.popleft()
            remaining = end - len(chunk)
            while remaining:
                chunk = buffer[0]
                if remaining < len(chunk):
                    parts.append(chunk[:remaining])
                    self._offset = remaining
                    break
                parts.append(buffer.popleft())
                remaining -= len(chunk)
            else:
                self._offset = 0
            data = b"".join(parts)
        self._size -= n
        self._front_changes += 1
        self._on_size_change()
        return data

    def _on_size_change(self) -> None:
        """Hook: the buffered size changed (flow control checks the limit here)."""

    def _before_wait(self) -> None:
        """Hook: a coroutine is about to wait for data or EOF."""


@mypyc_attr(allow_interpreted_subclasses=True)
class EmptyStreamReader(StreamReader):
    """A stream that is always at EOF: the payload of a message without a body.

    Reads return ``b''``, :meth:`readexactly` raises
    :class:`asyncio.IncompleteReadError`, feeding is ignored.
    """

    def __init__(self) -> None:
        super().__init__()
        self._eof = True

    def __repr__(self) -> str:
        return "<EmptyStreamReader>"

    def exception(self) -> BaseException | None:
        """Always ``None``."""
        return None

    def set_exception(self, exc: BaseException) -> None:
        """Ignored."""

    def feed_eof(self) -> None:
        """Ignored."""

    def feed_data(self, data: _DataType, size: int = 0) -> None:
        """Ignored."""

    def unread_data(self, data: _DataType) -> None:
        """Ignored."""

    def is_eof(self) -> bool:
        """Always ``True``."""
        return True

    def at_eof(self) -> bool:
        """Always ``True``."""
        return True

    async def wait_eof(self) -> None:
        """Return at once."""

    async def readline(self) -> bytes:
        """Return ``b''``."""
        return EOF_MARKER

    async def read(self, n: int = -1) -> bytes:
        """Return ``b''``."""
        return EOF_MARKER

    async def readany(self) -> bytes:
        """Return ``b''``."""
        return EOF_MARKER

    async def readexactly(self, n: int) -> bytes:
        """Raise :class:`asyncio.IncompleteReadError` (``partial=b''``)."""
        raise asyncio.IncompleteReadError(b"", n)

    def read_nowait(self, n: int = -1) -> bytes:
        """Return ``b''``."""
        return EOF_MARKER


@mypyc_attr(allow_interpreted_subclasses=True)
class FlowControlStreamReader(StreamReader):
    """A :class:`StreamReader` that pauses ``stream.transport`` while it buffers too much.

    Reading is paused when more than ``limit`` bytes are buffered and resumed
    when the consumer brings it below ``limit`` (or starts waiting for data).
    ``limit`` is also the :meth:`readline` limit. ``stream`` is a
    :class:`FlowControlTarget`.
    """

    def __init__(
        self,
        stream: FlowControlTarget,
        limit: int = DEFAULT_LIMIT,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(limit, loop)
        self._flow = _FlowController(stream, limit)

    def _on_size_change(self) -> None:
        self._flow.check(self._size)

    def _before_wait(self) -> None:
        self._flow.resume()
