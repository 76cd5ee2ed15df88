# Strategy: message bodies (RFC 9112 §6-§7) in the 2016 ``(out, buf)``
# protocol.  The framing is decided by ``body_framing``, the same function
# the head parsers validated the message with.  Content-Length and
# until-EOF bodies stream through ``buf.readsome`` (which hands pieces over
# without copying when the buffer is empty: no byte is looked at, so there
# is nothing to compile).  Chunked bodies go through the sans-I/O
# ``ChunkedDecoder`` (compiled by mypyc when available, see ``_speedups``),
# fed each piece of input as it arrives.  Content-Encoding is undone by a
# wrapper around the output that decompresses in bounded pieces, with a
# total cap.
from __future__ import annotations

import zlib
from typing import Final

from aiohttp_errors import ContentEncodingError, InvalidHeader
from aiohttp_streams import EofStream

from . import hdrs
from ._abnf import (
    DECOMPRESS_PIECE,
    DEFAULT_MAX_DECOMPRESSED_SIZE,
    DEFAULT_MAX_FIELD_SIZE,
    DEFAULT_MAX_HEADERS,
    DEFAULT_MAX_LINE_SIZE,
)
from ._buffer import ParserBuffer, ParserGenerator, ParserOutput
from ._fields import CHUNKED, UNTIL_EOF
from ._messages import HttpVersion11, RawRequestMessage, RawResponseMessage
from ._speedups import ChunkedDecoder, body_framing

__all__ = ("HttpPayloadParser", "DeflateBuffer")

# A websocket draft-76 (hixie) handshake request carries 8 body bytes and no
# Content-Length; 2016 read them, so do we.
_HIXIE_BODY: Final = 8


class DeflateBuffer:
    """An output wrapper that undoes ``Content-Encoding: gzip`` or ``deflate``.

    Decompressed data goes to ``out`` in pieces of at most 64 KiB.  More than
    ``max_size`` decompressed bytes, or a truncated or corrupt stream, raise
    :class:`~aiohttp_errors.ContentEncodingError`.  ``deflate`` accepts both
    the zlib format RFC 9110 specifies and the raw deflate 2016 assumed.
    """

    def __init__(
        self,
        out: ParserOutput[bytes],
        encoding: str,
        max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
    ) -> None:
        self.out = out
        self.encoding = encoding
        self._max_size = max_size
        self._total = 0
        self._head = b""
        self._zlib: zlib._Decompress | None = None

    def _decompressor(self, first: bytes) -> zlib._Decompress:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # RFC 9110 §8.4.1.2: "deflate" is a zlib stream; 2016 (and some
        # servers) used raw deflate.  A zlib header is recognisable: CM=8
        # in the low nibble and the first two bytes a multiple of 31.
        if len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0:
            return zlib.decompressobj(zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS)

    def _emit(self, data: bytes) -> None:
        self._total += len(data)
        if self._max_size is not None and self._total > self._max_size:
            raise ContentEncodingError(
                f"{self.encoding} body decompresses to more than {self._max_size} bytes"
            )
        self.out.feed_data(data, len(data))

    def feed_data(self, chunk: bytes, size: int) -> None:
        """Decompress ``chunk`` and pass the result on."""
        data = self._head + chunk
        self._head = b""
        try:
            while data:
                d = self._zlib
                if d is None or d.eof:
                    if d is not None:
                        if not data.strip(b"\0"):
                            return  # zero padding after the end: harmless
                        if self.encoding != "gzip":
                            raise ContentEncodingError(
                                f"data after the end of the {self.encoding} stream"
                            )
                        # RFC 1952 §2.2: a gzip file is a series of members.
                    elif len(data) < 2 and self.encoding != "gzip":
                        self._head = data  # too little to recognise the format
                        return
                    d = self._zlib = self._decompressor(data)
                piece = d.decompress(data, DECOMPRESS_PIECE)
                if piece:
                    self._emit(piece)
                # A full piece may leave output inside zlib: drain it.
                while len(piece) == DECOMPRESS_PIECE and not d.eof:
                    piece = d.decompress(d.unconsumed_tail, DECOMPRESS_PIECE)
                    if piece:
                        self._emit(piece)
                data = d.unused_data if d.eof else b""
        except zlib.error as exc:
            raise ContentEncodingError(f"cannot decode {self.encoding} body: {exc}") from None

    def feed_eof(self) -> None:
        """Flush the decompressor and end ``out``; a truncated stream raises."""
        d = self._zlib
        if self._head:
            raise ContentEncodingError(f"{self.encoding} body is truncated")
        if d is not None:
            try:
                tail = d.flush()
            except zlib.error as exc:  # pragma: no cover - flush after errors only
                raise ContentEncodingError(f"cannot decode {self.encoding} body: {exc}") from None
            if tail:
                self._emit(tail)
            if not d.eof:
                raise ContentEncodingError(f"{self.encoding} body is truncated")
        self.out.feed_eof()


class HttpPayloadParser:
    """Parse the body of ``message`` into ``out`` (bytes pieces, then EOF).

    :param message: the :class:`RawRequestMessage` or :class:`RawResponseMessage`.
    :param length: the body length when the message has no Content-Length.
    :param compression: undo ``Content-Encoding`` gzip/deflate.
    :param readall: for responses without Content-Length or chunked
        framing, read until the connection closes (clients set it).
    :param response_with_body: ``False`` for responses to HEAD (no body).
    :param max_line_size: longest chunk-size line.
    :param max_headers: most trailer field lines.
    :param max_field_size: longest trailer field line.
    :param max_decompressed_size: cap on a decompressed body (``None``: none).
    :param lax: accept a response with both Content-Length and
        Transfer-Encoding (the latter wins) or with Transfer-Encoding that
        does not end in chunked (read until EOF).
    """

    def __init__(
        self,
        message: RawRequestMessage | RawResponseMessage,
        length: int | None = None,
        compression: bool = True,
        readall: bool = False,
        response_with_body: bool = True,
        *,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
        max_field_size: int = DEFAULT_MAX_FIELD_SIZE,
        max_decompressed_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
        lax: bool = False,
    ) -> None:
        self.message = message
        self.length = length
        self.compression = compression
        self.readall = readall
        self.response_with_body = response_with_body
        self.max_line_size = max_line_size
        self.max_headers = max_headers
        self.max_field_size = max_field_size
        self.max_decompressed_size = max_decompressed_size
        self.lax = lax

    def _framing(self) -> int | None:
        message = self.message
        if isinstance(message, RawResponseMessage):
            code = message.code
            if not self.response_with_body or code < 200 or code in (204, 304):
                return 0
            framing = body_framing(
                message.headers,
                request=False,
                http10=message.version < HttpVersion11,
                lax=self.lax,
            )
        else:
            framing = body_framing(
                message.headers, request=True, http10=message.version < HttpVersion11
            )
            if framing is None and hdrs.SEC_WEBSOCKET_KEY1 in message.headers:
                return _HIXIE_BODY
        if framing is None:
            if self.length is not None:
                if self.length < 0:
                    raise InvalidHeader(hdrs.CONTENT_LENGTH, "negative length")
                return self.length
            if self.readall and isinstance(message, RawResponseMessage):
                return UNTIL_EOF
            return 0
        return framing

    def __call__(self, out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        framing = self._framing()
        if self.compression and self.message.compression and framing != 0:
            out = DeflateBuffer(out, self.message.compression, self.max_decompressed_size)
        if framing == CHUNKED:
            yield from self._parse_chunked(out, buf)
        elif framing == UNTIL_EOF:
            yield from self._parse_until_eof(out, buf)
        elif framing:
            yield from self._parse_length(out, buf, framing)
        out.feed_eof()

    def _parse_length(
        self, out: ParserOutput[bytes], buf: ParserBuffer, length: int
    ) -> ParserGenerator:
        required = length
        while required:
            chunk = yield from buf.readsome(required)
            out.feed_data(chunk, len(chunk))
            required -= len(chunk)

    def _parse_until_eof(self, out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        try:
            while True:
                chunk = yield from buf.readsome()
                out.feed_data(chunk, len(chunk))
        except EofStream:
            pass

    def _parse_chunked(self, out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        decoder = ChunkedDecoder(self.max_line_size, self.max_headers, self.max_field_size)
        buf._check()
        data = buf._data
        _decode_buffered(decoder, data, out)
        while not decoder.done:
            piece = yield
            if data:  # an unfinished line waits in the buffer
                buf.feed_data(piece)
                _decode_buffered(decoder, data, out)
                continue
            # The common case: decode the piece as it came, no copy into
            # the buffer; only an unfinished line (or the next message) is
            # kept there.
            pos = decoder.decode(piece, 0, out)
            if pos < len(piece):
                buf.feed_data(piece[pos:])


# How much of the buffer is copied for the decoder at a time: enough for
# whole chunks, little enough that many small pipelined messages in one
# buffer are not each copied with all that follows them.
_WINDOW: Final = 2**14


def _decode_buffered(decoder: ChunkedDecoder, data: bytearray, out: ParserOutput[bytes]) -> None:
    """Decode what ``data`` holds; leave an unfinished line (or the next message) there."""
    size = _WINDOW
    while data and not decoder.done:
        window = bytes(data[:size])
        pos = decoder.decode(window, 0, out)
        del data[:pos]
        if pos < len(window):
            if len(window) == len(data) + pos:
                return  # all that is left is an unfinished line
            if pos == 0:
                size *= 2  # a line longer than the window (raised limits)
