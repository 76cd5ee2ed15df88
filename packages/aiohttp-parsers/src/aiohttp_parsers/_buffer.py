# Strategy: the parser protocol of 2016 ``aiohttp.parsers``.  A parser is a
# generator that receives ``(out, buf)``; it pulls bytes with
# ``data = yield from buf.readuntil(b"\r\n")``.  Each ``ParserBuffer`` method
# is itself a generator: it returns at once when the buffer already holds what
# was asked for, else it yields ``None`` and the driver (``StreamParser``)
# sends the next piece of input, which the method appends before looking
# again.  The buffer is one ``bytearray``; consumed bytes are dropped with
# ``del data[:n]`` (O(1) at the front in CPython), searches use
# ``bytearray.find`` from where the last search stopped, so a line that
# trickles in byte by byte costs linear, not quadratic, time.
from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Final, Protocol, TypeVar

from aiohttp_errors import LineLimitExceededParserError
from aiohttp_streams import EofStream

__all__ = (
    "ParserGenerator",
    "ParserOutput",
    "Parser",
    "ParserBuffer",
    "LinesParser",
    "ChunksParser",
)

_T_contra = TypeVar("_T_contra", contravariant=True)

#: What a parser is once called with ``(out, buf)``: a generator that yields
#: ``None`` whenever it needs more input, is sent ``bytes`` (the next piece of
#: input; ``b""`` at end of stream, followed by a thrown ``EofStream``) and
#: returns nothing.  Annotate your parser's ``__call__`` with it.
ParserGenerator = Generator[None, bytes, None]

#: What ``ParserBuffer`` methods give to ``yield from``: they yield ``None``,
#: are sent ``bytes`` and return ``bytes`` (or ``None`` for ``skip*``).
_Pull = Generator[None, bytes, bytes]

# Same as aiohttp 2016's ``LinesParser`` default: 64 KiB per line.
DEFAULT_LINE_LIMIT: Final = 2**16
# Same as aiohttp 2016's ``ChunksParser`` default.
DEFAULT_CHUNK_SIZE: Final = 8196


class ParserOutput(Protocol[_T_contra]):
    """Where a parser puts what it parsed: a ``DataQueue`` or ``StreamReader``.

    ``feed_data(item, size)`` hands over one item and its size in bytes
    (used by flow control); ``feed_eof()`` says no more items will come.
    """

    def feed_data(self, data: _T_contra, size: int, /) -> None:
        """Hand over one parsed item."""

    def feed_eof(self) -> None:
        """Signal the end of the items."""


#: A parser: a callable taking ``(out, buf)`` and returning a
#: :data:`ParserGenerator`.  ``HttpRequestParser()`` instances are ``Parser``
#: of ``RawRequestMessage``, plain generator functions qualify too.
Parser = Callable[[ParserOutput[_T_contra], "ParserBuffer"], ParserGenerator]


def _too_long(limit: int) -> LineLimitExceededParserError:
    return LineLimitExceededParserError(f"Line is too long: more than {limit} bytes", limit)


class ParserBuffer:
    """The input buffer a parser pulls bytes from.

    Every reading method is a generator to use with ``yield from`` inside a
    parser; it waits (yields) until enough input is buffered, then returns.
    Everything read is ``bytes``.

    :param data: initial contents.
    :param limit: the most bytes the buffer may hold; feeding more raises
        :class:`~aiohttp_errors.LineLimitExceededParserError`.  ``None`` (the
        2016 behaviour) leaves it unbounded: the parsers then bound what
        they wait for with the ``limit`` of ``readuntil``/``waituntil``.
    """

    __slots__ = ("_data", "_exception", "_limit")

    def __init__(self, data: bytes = b"", *, limit: int | None = None) -> None:
        self._data = bytearray(data)
        self._exception: BaseException | None = None
        self._limit = limit

    def __repr__(self) -> str:
        return f"<ParserBuffer {len(self._data)} bytes>"

    def __len__(self) -> int:
        return len(self._data)

    def __bytes__(self) -> bytes:
        return bytes(self._data)

    def exception(self) -> BaseException | None:
        """The exception set with :meth:`set_exception`, if any."""
        return self._exception

    def set_exception(self, exc: BaseException) -> None:
        """Make every later read and feed raise ``exc``."""
        self._exception = exc

    def feed_data(self, data: bytes) -> None:
        """Append ``data``; raises the exception set by :meth:`set_exception`."""
        if self._exception is not None:
            raise self._exception
        self._append(data)

    def extend(self, data: bytes) -> None:
        """Append ``data`` (without the exception check of :meth:`feed_data`)."""
        self._append(data)

    def _append(self, data: bytes) -> None:
        if data:
            buf = self._data
            buf += data
            if self._limit is not None and len(buf) > self._limit:
                del buf[self._limit :]
                raise _too_long(self._limit)

    def _take(self, size: int) -> bytes:
        buf = self._data
        if size >= len(buf):
            out = bytes(buf)
            buf.clear()
        else:
            out = bytes(buf[:size])
            del buf[:size]
        return out

    def _check(self) -> None:
        if self._exception is not None:
            raise self._exception

    def read(self, size: int) -> _Pull:
        """Wait for ``size`` bytes and consume them."""
        self._check()
        while len(self._data) < size:
            self.feed_data((yield))
        return self._take(size)

    def readsome(self, size: int | None = None) -> _Pull:
        """Wait for at least one byte; consume up to ``size`` (all if ``None``)."""
        self._check()
        if not self._data:
            data = yield
            if size is None or len(data) <= size:
                # The common case of a body streaming through: hand the
                # piece over as it came, no copy into the buffer and out.
                if data:
                    self._check()
                    if self._limit is not None and len(data) > self._limit:
                        raise _too_long(self._limit)
                    return data
            else:
                self.feed_data(data)
            while not self._data:
                self.feed_data((yield))
        return self._take(len(self._data) if size is None else size)

    def _find(self, stop: bytes, limit: int | None) -> Generator[None, bytes, int]:
        """Wait until ``stop`` is buffered; return the offset just past it."""
        assert stop, "a non-empty stop sequence is required"
        self._check()
        buf = self._data
        start = 0
        while True:
            end = len(buf) if limit is None else min(len(buf), limit)
            pos = buf.find(stop, start, end)
            if pos >= 0:
                return pos + len(stop)
            # Decide on the bytes we have, so the outcome does not depend
            # on how the input was split: ``limit`` bytes without ``stop``
            # can only end in a line longer than ``limit``.
            if limit is not None and len(buf) >= limit:
                raise _too_long(limit)
            start = max(0, len(buf) - len(stop) + 1)
            self.feed_data((yield))

    def readuntil(self, stop: bytes, limit: int | None = None) -> _Pull:
        """Wait for ``stop``; consume and return everything through it.

        Raises :class:`~aiohttp_errors.LineLimitExceededParserError` when the
        result, ``stop`` included, would be longer than ``limit`` bytes.
        """
        end = yield from self._find(stop, limit)
        return self._take(end)

    def wait(self, size: int) -> _Pull:
        """Wait for ``size`` bytes and return them without consuming."""
        self._check()
        while len(self._data) < size:
            self.feed_data((yield))
        return bytes(self._data[:size])

    def waituntil(self, stop: bytes, limit: int | None = None) -> _Pull:
        """Like :meth:`readuntil`, but leave the bytes in the buffer."""
        end = yield from self._find(stop, limit)
        return bytes(self._data[:end])

    def skip(self, size: int) -> Generator[None, bytes, None]:
        """Wait for ``size`` bytes and drop them."""
        self._check()
        while len(self._data) < size:
            self.feed_data((yield))
        del self._data[:size]

    def skipuntil(self, stop: bytes) -> Generator[None, bytes, None]:
        """Drop bytes up to and including the next ``stop``."""
        assert stop, "a non-empty stop sequence is required"
        self._check()
        buf = self._data
        while True:
            pos = buf.find(stop)
            if pos >= 0:
                del buf[: pos + len(stop)]
                return
            # Keep only a possible beginning of ``stop``: skipping is bounded.
            del buf[: max(0, len(buf) - len(stop) + 1)]
            self.feed_data((yield))


class LinesParser:
    """Split the stream into lines, each ending with ``b"\\n"`` (kept).

    The output ends cleanly at end of stream after a complete line; an
    unterminated last line fails it (``eof_exc_class`` of the stream).

    A line longer than ``limit`` bytes raises
    :class:`~aiohttp_errors.LineLimitExceededParserError`.
    """

    def __init__(self, limit: int = DEFAULT_LINE_LIMIT) -> None:
        self._limit = limit

    def __call__(self, out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        while True:
            try:
                line = yield from buf.readuntil(b"\n", self._limit)
            except EofStream:
                if buf:  # an unterminated last line: the stream was cut
                    raise
                return
            out.feed_data(line, len(line))


class ChunksParser:
    """Split the stream into pieces of exactly ``size`` bytes."""

    def __init__(self, size: int = DEFAULT_CHUNK_SIZE) -> None:
        self._size = size

    def __call__(self, out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        while True:
            try:
                chunk = yield from buf.read(self._size)
            except EofStream:
                if buf:  # a short last chunk: the stream was cut
                    raise
                return
            out.feed_data(chunk, len(chunk))
