# Strategy: ``wsgi.input`` for an application running in a worker thread is a
# blocking file object whose reads hop to the event loop, await the request's
# StreamReader and come back; each hop fetches whatever has arrived (readany),
# and the rest is kept in a local buffer, so a loop of small reads costs few
# hops. The stream ends exactly at the end of the body, chunked or not
# (``wsgi.input_terminated``). When the application runs on the loop itself
# (no executor) or ``readpayload=True``, the body is read before the
# application is called, into a temporary file that stays in memory up to a
# size and spills to disk past it, with a hard ceiling (413).
from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Final

from aiohttp_errors import HttpProcessingError
from aiohttp_streams import StreamReader

__all__ = (
    "WsgiInput",
    "read_payload",
    "DEFAULT_SPOOL_SIZE",
    "DEFAULT_MAX_REQUEST_BODY_SIZE",
    "DEFAULT_BODY_TIMEOUT",
)

#: Bodies read up front stay in memory up to this size, then spill to a
#: temporary file; waitress's ``inbuf_overflow`` default is 512 KiB, we take 1 MiB.
DEFAULT_SPOOL_SIZE: Final = 2**20
#: Seconds a body read waits for the next bytes from the client before the
#: request fails with 408; nginx's ``client_body_timeout`` default (60 s).
DEFAULT_BODY_TIMEOUT: Final = 60.0
#: Largest body read up front (``readpayload=True`` or no executor); larger
#: gets 413. Same as waitress's ``max_request_body_size`` (1 GiB).
DEFAULT_MAX_REQUEST_BODY_SIZE: Final = 2**30


async def _read_chunk(payload: StreamReader, timeout: float | None) -> bytes:
    """The next piece of the body, or 408 when the client stays silent too long."""
    if payload.is_eof() or not timeout:
        return await payload.readany()
    try:
        return await asyncio.wait_for(payload.readany(), timeout)
    except asyncio.TimeoutError:
        # RFC 9110 §15.5.9: 408 "the server did not receive a complete request
        # message within the time that it was prepared to wait".
        raise HttpProcessingError(
            code=408, message=f"No request body data for {timeout:g} seconds"
        ) from None


class WsgiInput:
    """A blocking, read-only binary stream over a request body, for worker threads.

    Implements what PEP 3333 requires of ``wsgi.input``: ``read(size)``,
    ``readline(size)``, ``readlines(hint)`` and iteration.
    """

    def __init__(
        self,
        payload: StreamReader,
        loop: asyncio.AbstractEventLoop,
        on_first_read: Callable[[], None] | None = None,
        timeout: float | None = DEFAULT_BODY_TIMEOUT,
    ) -> None:
        self._timeout = timeout
        self._payload = payload
        self._loop = loop
        self._on_first_read = on_first_read
        self._buf = bytearray()
        self._eof = False

    async def _next_chunk(self) -> bytes:
        callback = self._on_first_read
        if callback is not None:
            # RFC 9110 §10.1.1: the client waits for 100 (Continue) before
            # sending the body; we say it only when the application reads.
            self._on_first_read = None
            callback()
        return await _read_chunk(self._payload, self._timeout)

    def _fill(self) -> bool:
        """Fetch the next piece of the body into the buffer; ``False`` at the end."""
        if self._eof:
            return False
        chunk = asyncio.run_coroutine_threadsafe(self._next_chunk(), self._loop).result()
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (all the rest when ``size`` is ``None`` or < 0)."""
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buf))
        while len(self._buf) < size and self._fill():
            pass
        return self._take(size)

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line, ``\\n`` included, or at most ``size`` bytes of it."""
        limit = -1 if size is None else size
        start = 0
        end = -1
        while end < 0:
            idx = self._buf.find(b"\n", start)
            if idx >= 0:
                end = idx + 1
            else:
                start = len(self._buf)
                if 0 <= limit <= len(self._buf) or not self._fill():
                    end = len(self._buf)
        if limit >= 0:
            end = min(end, limit)
        return self._take(end)

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        """Read lines until the end (or until ``hint`` bytes were read)."""
        lines: list[bytes] = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return lines

    def __iter__(self) -> Iterator[bytes]:
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def close(self) -> None:
        """Nothing to release; present because file objects have it."""


async def read_payload(
    payload: StreamReader,
    *,
    spool_size: int = DEFAULT_SPOOL_SIZE,
    max_size: int = DEFAULT_MAX_REQUEST_BODY_SIZE,
    timeout: float | None = DEFAULT_BODY_TIMEOUT,
) -> IO[bytes]:
    """Read a whole request body into a rewound temporary file.

    Raises :class:`aiohttp_errors.HttpProcessingError` with code 413 past
    ``max_size`` bytes (the rest of the body is not read).
    """
    body: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=spool_size)  # noqa: SIM115 - returned open
    total = 0
    try:
        while True:
            chunk = await _read_chunk(payload, timeout)
            if not chunk:
                break
            total += len(chunk)
            if total > max_size:
                # RFC 9110 §15.5.14: 413 "the server is refusing to process a
                # request because the request content is larger than the server
                # is willing or able to process".
                raise HttpProcessingError(
                    code=413,
                    message=f"Request body larger than {max_size} bytes",
                )
            body.write(chunk)
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body
