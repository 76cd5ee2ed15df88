# Strategy: the body of a streamed WSGI result framed the way an
# aiohttp_parsers.Response frames it (chunked, Content-Length or until
# close), without one. Framed bytes collect in ``pending`` until the loop
# flushes them, so the head, a short body and the last-chunk that arrive in
# one batch from the worker thread leave in one send() instead of two or
# three; tests compare the bytes with the Response path.
from __future__ import annotations

__all__ = ("StreamBody",)


class StreamBody:
    """Framing state of one streamed response whose head was sent by stream_head.

    .. attribute:: remaining  body bytes still due by ``Content-Length``, or
       ``None`` (chunked, or until close)
    .. attribute:: output_length  bytes framed so far, head included
    """

    __slots__ = ("date", "close", "chunked", "remaining", "output_length", "ended", "pending")

    def __init__(self, head: bytes, length: int | None, chunked: bool, close: bool, date: str):
        self.date = date  # of the head: a Response made later must show the same
        self.close = close
        self.chunked = chunked
        self.remaining = length
        self.output_length = len(head)
        self.ended = False
        self.pending: list[bytes] = [head]

    def write(self, chunk: bytes) -> None:
        """Frame a non-empty body chunk (dropped after :meth:`end`)."""
        if self.ended:
            return  # nothing may follow the end of the message
        if self.chunked:
            # Kept as three pieces: take() joins them once with the rest.
            size = b"%x\r\n" % len(chunk)
            self.pending += (size, chunk, b"\r\n")
            self.output_length += len(size) + len(chunk) + 2
            return
        remaining = self.remaining
        if remaining is not None:
            if remaining <= len(chunk):
                # Bytes past Content-Length are dropped, as Response drops them.
                chunk = chunk[:remaining]
                if not chunk:
                    return
            self.remaining = remaining - len(chunk)
        self.pending.append(chunk)
        self.output_length += len(chunk)

    def end(self) -> None:
        """The body is complete (the last-chunk of a chunked body)."""
        if not self.ended:
            self.ended = True
            if self.chunked:
                self.pending.append(b"0\r\n\r\n")
                self.output_length += 5

    def take(self) -> bytes:
        """The framed bytes not yet handed to the transport."""
        pending = self.pending
        if not pending:
            return b""
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pending.clear()
        return data

    @property
    def incomplete(self) -> bool:
        """Whether fewer bytes than the ``Content-Length`` were sent."""
        return bool(self.remaining)

    @property
    def keep_alive(self) -> bool:
        """Whether the connection can be reused after this response."""
        return not self.close and not self.incomplete
