# Strategy: the two encoding layers of a part, RFC 2045 Content-Transfer-Encoding
# (base64, quoted-printable, 7bit/8bit/binary) over RFC 9110 Content-Encoding
# (gzip, deflate, identity). Decoding works on a whole body (the 2016
# ``BodyPartReader.decode(data)`` API) but inflates with an output cap so a
# small compressed part cannot expand without bound. Encoding is incremental:
# small stateful objects with ``feed()``/``flush()``, chained by the writer, so
# a part is encoded chunk by chunk without holding it.
from __future__ import annotations

import base64
import binascii
import zlib
from typing import Final, Protocol

from aiohttp_errors import ContentEncodingError, LineLimitExceededParserError

__all__ = (
    "decode_content",
    "decode_transfer",
    "make_content_encoder",
    "make_transfer_encoder",
    "Encoder",
)

_IDENTITY_TRANSFER: Final = frozenset({"7bit", "8bit", "binary"})
# RFC 2045 section 6.8: "The encoded output stream must be represented in lines
# of no more than 76 characters each." 57 input bytes make 76 characters.
_B64_LINE_INPUT: Final = 57


def decode_transfer(data: bytes, encoding: str) -> bytes:
    """Undo a Content-Transfer-Encoding (RFC 2045 section 6)."""
    enc = encoding.strip().lower()
    if enc in _IDENTITY_TRANSFER:
        return data
    if enc == "base64":
        try:
            # RFC 2045 section 6.8: characters outside the alphabet (line
            # breaks) "must be ignored by decoding software".
            return base64.b64decode(data, validate=False)
        except binascii.Error as exc:
            raise ContentEncodingError(f"bad base64 part body: {exc}") from None
    if enc == "quoted-printable":
        return binascii.a2b_qp(data)
    raise ContentEncodingError(f"unknown content transfer encoding: {encoding[:100]!r}")


def _inflate(data: bytes, wbits: int, limit: int | None, name: str) -> bytes:
    out = bytearray()
    while True:
        d = zlib.decompressobj(wbits)
        try:
            chunk = d.decompress(data, 0 if limit is None else limit - len(out) + 1)
        except zlib.error as exc:
            raise ContentEncodingError(f"cannot {name}-decode part body: {exc}") from None
        out += chunk
        if limit is not None and len(out) > limit:
            raise LineLimitExceededParserError(
                f"{name}-decoded part body is over {limit} bytes", limit
            )
        if not d.eof:
            raise ContentEncodingError(f"{name} part body is truncated")
        data = d.unused_data
        if not data:
            return bytes(out)
        if name != "gzip":
            raise ContentEncodingError(f"{len(data)} bytes of garbage after {name} stream")
        # RFC 1952 section 2.2: a gzip file is a series of members.


def decode_content(data: bytes, encoding: str, limit: int | None = None) -> bytes:
    """Undo a Content-Encoding; ``limit`` caps the decoded size."""
    enc = encoding.strip().lower()
    if enc in ("identity", ""):
        return data
    if enc in ("gzip", "x-gzip"):
        return _inflate(data, 16 + zlib.MAX_WBITS, limit, "gzip")
    if enc == "deflate":
        # RFC 9110 section 8.4.1.2: "deflate" is the zlib format (RFC 1950);
        # 2016 aiohttp (and many servers) sent raw deflate, so accept both:
        # a zlib stream starts with a CMF/FLG pair divisible by 31.
        is_zlib = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
        return _inflate(data, zlib.MAX_WBITS if is_zlib else -zlib.MAX_WBITS, limit, "deflate")
    raise ContentEncodingError(f"unknown content encoding: {encoding[:100]!r}")


class Encoder(Protocol):
    def feed(self, data: bytes) -> bytes: ...

    def flush(self) -> bytes: ...


class _Compress:
    __slots__ = ("_z",)

    def __init__(self, wbits: int) -> None:
        self._z = zlib.compressobj(wbits=wbits)

    def feed(self, data: bytes) -> bytes:
        return self._z.compress(data)

    def flush(self) -> bytes:
        return self._z.flush()


class _Base64:
    """base64 in CRLF-separated lines of 76 characters (RFC 2045 section 6.8)."""

    __slots__ = ("_pending", "_started")

    def __init__(self) -> None:
        self._pending = b""
        self._started = False

    def _lines(self, data: bytes) -> bytes:
        if not data:
            return b""
        encoded = base64.encodebytes(data)[:-1].replace(b"\n", b"\r\n")
        if self._started:
            encoded = b"\r\n" + encoded
        self._started = True
        return encoded

    def feed(self, data: bytes) -> bytes:
        data = self._pending + data
        cut = len(data) - len(data) % _B64_LINE_INPUT
        self._pending = data[cut:]
        return self._lines(data[:cut])

    def flush(self) -> bytes:
        data, self._pending = self._pending, b""
        return self._lines(data)


# RFC 2045 section 6.7: printable ASCII except "=" stands for itself; every
# other octet (CR and LF included: the data is binary) is "=" and two hex digits.
_QP_TOKENS: Final = tuple(
    bytes([b]) if (33 <= b <= 126 and b != 61) or b in (9, 32) else b"=%02X" % b for b in range(256)
)
# Encoded characters per line before the soft line break "=" (76 in all).
_QP_LINE: Final = 75


class _QuotedPrintable:
    """quoted-printable of binary data, lines of at most 76 characters.

    Whitespace is kept literal; a line never ends with it because every
    break is a soft one ("=" CRLF), including one after trailing whitespace
    at the very end (rule 3).
    """

    __slots__ = ("_line", "_last_ws")

    def __init__(self) -> None:
        self._line = 0
        self._last_ws = False

    def feed(self, data: bytes) -> bytes:
        if not data:
            return b""
        out = bytearray()
        line = self._line
        tokens = _QP_TOKENS
        for byte in data:
            token = tokens[byte]
            if line + len(token) > _QP_LINE:
                out += b"=\r\n"
                line = 0
            out += token
            line += len(token)
        self._line = line
        self._last_ws = data[-1] in (9, 32)
        return bytes(out)

    def flush(self) -> bytes:
        return b"=\r\n" if self._last_ws else b""


def make_content_encoder(encoding: str) -> Encoder | None:
    """An encoder for a Content-Encoding; ``None`` for identity."""
    enc = encoding.strip().lower()
    if enc in ("identity", ""):
        return None
    if enc in ("gzip", "x-gzip"):
        return _Compress(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return _Compress(zlib.MAX_WBITS)  # the zlib format, RFC 9110 section 8.4.1.2
    raise RuntimeError(f"unknown content encoding: {encoding[:100]!r}")


def make_transfer_encoder(encoding: str) -> Encoder | None:
    """An encoder for a Content-Transfer-Encoding; ``None`` for the identity ones."""
    enc = encoding.strip().lower()
    if enc in _IDENTITY_TRANSFER:
        return None
    if enc == "base64":
        return _Base64()
    if enc == "quoted-printable":
        return _QuotedPrintable()
    raise RuntimeError(f"unknown content transfer encoding: {encoding[:100]!r}")
