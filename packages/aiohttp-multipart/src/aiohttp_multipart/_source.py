# Strategy: the readers take any object with ``async read(n)``, ``unread_data()``
# and ``at_eof()`` (aiohttp_streams.StreamReader fits, and so does a part of an
# outer multipart body). MultipartReader wraps it in ``_Source``: a lookahead
# buffer of its own, so boundary lines and part headers are read with our
# limits (not the stream's readline), and bytes a part reader read past its
# delimiter are pushed back here rather than into the caller's stream. The
# buffer only ever holds what one ``read(n)`` returned plus what a bounded
# line or scan needs.
from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Final, NoReturn, Protocol

from aiohttp_errors import BadHttpMessage, LineLimitExceededParserError, LineTooLong

__all__ = ("_SMALL_CUT", "ContentStream", "ResponseLike", "_Budget", "_Readable", "_Source", "_cut")

# How much one fill asks the underlying stream for; a StreamReader returns at
# most what it has buffered, so this bounds our buffer, not the wait.
_FILL_SIZE = 65536


# Up to this many bytes _cut() copies through a slice: two copies, but for a
# form field's few bytes (or a few KiB) cheaper than setting up and releasing
# two memoryviews; above it the second copy of a big chunk costs more.
_SMALL_CUT: Final = 8192


def _cut(buf: bytearray, n: int) -> bytes:
    """Remove and return the first ``n`` bytes of ``buf``."""
    if n >= len(buf):
        data = bytes(buf)
        buf.clear()
        return data
    if n <= _SMALL_CUT:
        data = bytes(buf[:n])
    else:
        with memoryview(buf) as view, view[:n] as head:
            data = bytes(head)
    del buf[:n]
    return data


class _Readable(Protocol):
    async def read(self, n: int = -1) -> bytes: ...

    def at_eof(self) -> bool: ...


class ContentStream(Protocol):
    """What the multipart readers need from a body stream.

    :class:`aiohttp_streams.StreamReader` satisfies it; so does anything with
    these three methods.
    """

    async def read(self, n: int = -1) -> bytes:
        """Return up to ``n`` bytes, waiting for some; ``b''`` only at EOF."""
        ...

    def unread_data(self, data: bytes) -> None:
        """Push ``data`` back to be read again first."""
        ...

    def at_eof(self) -> bool:
        """Whether the stream is exhausted."""
        ...


class ResponseLike(Protocol):
    """What :meth:`MultipartReader.from_response` needs from a response."""

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers (Content-Type carries the boundary)."""
        ...

    @property
    def content(self) -> ContentStream:
        """The response body stream."""
        ...

    def release(self) -> Awaitable[object] | None:
        """Release the connection (a coroutine in 2016, a plain call later)."""
        ...


class _Budget:
    """The body stream, never read further than ``limit`` bytes (max_body_size).

    Reads are cut at the limit rather than checked after, so the error comes
    when the reader needs the byte past it, whatever pieces the body came in.
    """

    __slots__ = ("_inner", "_left", "_limit")

    def __init__(self, inner: _Readable, limit: int) -> None:
        self._inner = inner
        self._left = limit
        self._limit = limit

    async def read(self, n: int = -1) -> bytes:
        left = self._left
        if left > 0:
            data = await self._inner.read(n if 0 < n <= left else left)
            self._left = left - len(data)
            return data
        if await self._inner.read(1):
            raise LineLimitExceededParserError(
                f"multipart body is over {self._limit} bytes", self._limit
            )
        return b""

    def at_eof(self) -> bool:
        return self._inner.at_eof()


class _Source:
    """A lookahead buffer over a readable stream; implements ContentStream."""

    __slots__ = ("_inner", "_buf")

    def __init__(self, inner: _Readable) -> None:
        self._inner = inner
        self._buf = bytearray()

    async def read(self, n: int = -1) -> bytes:
        buf = self._buf
        if not buf:
            return await self._inner.read(n)
        return _cut(buf, len(buf) if n < 0 else n)

    def unread_data(self, data: bytes) -> None:
        if data:
            self._buf[:0] = data

    def at_eof(self) -> bool:
        return not self._buf and self._inner.at_eof()

    async def _fill(self) -> bool:
        """Append one read of the inner stream; ``False`` at its EOF."""
        data = await self._inner.read(_FILL_SIZE)
        if not data:
            return False
        self._buf += data
        return True

    async def readline(self, limit: int, what: str) -> bytes:
        """Return one line with its ``\\n``; at EOF whatever is left (maybe ``b''``).

        Raises :class:`LineTooLong` when no ``\\n`` is within ``limit`` bytes:
        checked on the bytes, not on how they arrived.
        """
        buf = self._buf
        start = 0
        while True:
            pos = buf.find(b"\n", start, limit)
            if pos != -1:
                return _cut(buf, pos + 1)
            if len(buf) >= limit:
                raise LineTooLong(what, limit)
            start = len(buf)
            if not await self._fill():
                line = bytes(buf)
                buf.clear()
                return line

    async def expect(self, prefix: bytes) -> bool:
        """Consume ``prefix`` if the stream continues with it."""
        buf = self._buf
        while len(buf) < len(prefix):
            if not await self._fill():
                return False
        if buf[: len(prefix)] != prefix:
            return False
        del buf[: len(prefix)]
        return True

    async def skip_preamble(self, dash_boundary: bytes, limit: int) -> None:
        """Discard bytes up to and including the first ``--boundary``.

        RFC 2046 section 5.1.1: the first delimiter is ``--boundary`` at the
        very start or ``CRLF --boundary`` after a preamble that is ignored.
        """
        buf = self._buf
        needle = b"\r\n" + dash_boundary
        skipped = 0
        while True:
            if skipped == 0:
                if buf[: len(dash_boundary)] == dash_boundary:
                    del buf[: len(dash_boundary)]
                    return
                if len(buf) < len(dash_boundary) and dash_boundary.startswith(buf):
                    if not await self._fill():
                        self._no_boundary(dash_boundary, skipped)
                    continue
            pos = buf.find(needle)
            if pos != -1:
                if skipped + pos > limit:
                    self._preamble_too_long(dash_boundary, limit)
                del buf[: pos + len(needle)]
                return
            # Keep what could be the start of the needle; the rest is preamble.
            cut = max(0, len(buf) - len(needle) + 1)
            skipped += cut
            del buf[:cut]
            if skipped > limit:
                self._preamble_too_long(dash_boundary, limit)
            if not await self._fill():
                self._no_boundary(dash_boundary, skipped)

    def _no_boundary(self, dash_boundary: bytes, skipped: int) -> NoReturn:
        total = skipped + len(self._buf)
        if not total:
            raise BadHttpMessage(f"multipart body is empty: expected {dash_boundary[:100]!r}")
        raise BadHttpMessage(
            f"multipart body ended after {total} bytes without a boundary {dash_boundary[:100]!r}"
        )

    @staticmethod
    def _preamble_too_long(dash_boundary: bytes, limit: int) -> NoReturn:
        raise LineLimitExceededParserError(
            f"multipart preamble is over {limit} bytes before {dash_boundary[:100]!r}", limit
        )

    async def drain(self, limit: int, what: str) -> int:
        """Read and drop everything up to EOF; raise if that is over ``limit``."""
        total = len(self._buf)
        self._buf.clear()
        while total <= limit:
            data = await self._inner.read(_FILL_SIZE)
            if not data:
                return total
            total += len(data)
        raise LineLimitExceededParserError(f"multipart {what} is over {limit} bytes", limit)
