# Strategy: the chunked transfer coding (RFC 9112 §7.1) as a sans-I/O state
# machine: ``decode(data, pos, out)`` is handed whatever bytes arrived, puts
# every complete piece of chunk data it finds into ``out`` and says how far
# it got; an incomplete chunk-size line, CRLF or trailer line is left for
# the next call.  No generators, so mypyc can compile it (hatch_build.py);
# ``HttpPayloadParser`` (``_payload``) is the thin generator adapter of the
# 2016 ``(out, buf)`` protocol around it.  Chunk data is handed on as it
# arrives (never buffered whole), and the CRLF after each chunk is checked
# exactly, the h11 smuggling lesson (GHSA-vqfr-h8mv-ghfj).
from __future__ import annotations

from typing import Final

from aiohttp_errors import BadHttpMessage, LineTooLong, TransferEncodingError

from ._abnf import CHUNK_LINE_RE, FIELD_SECTION_RE
from ._buffer import ParserOutput
from ._fields import parse_fields

__all__ = ("ChunkedDecoder",)

_CR: Final = 0x0D
_LF: Final = 0x0A
# The value of each byte as a hex digit; 255 for bytes that are not one.
_HEX_VALUES: Final = bytes(
    int(chr(b), 16) if chr(b) in "0123456789abcdefABCDEF" else 255 for b in range(256)
)

# Where the decoder is in the body.
_SIZE: Final = 0  # a chunk-size line comes next
_DATA: Final = 1  # chunk data (``_left`` bytes of it) comes next
_CRLF: Final = 2  # the CRLF that ends chunk data comes next
_TRAILERS: Final = 3  # trailer field lines, then the empty line
_DONE: Final = 4


class ChunkedDecoder:
    """Decode one chunked body.

    :param max_line_size: longest chunk-size line (chunk extensions included).
    :param max_headers: most trailer field lines.
    :param max_field_size: longest trailer field line.
    """

    def __init__(self, max_line_size: int, max_headers: int, max_field_size: int) -> None:
        self.max_line_size = max_line_size
        self.max_headers = max_headers
        self.max_field_size = max_field_size
        self.done = False
        self._state = _SIZE
        self._left = 0
        self._trailers = 0

    def decode(self, data: bytes, pos: int, out: ParserOutput[bytes]) -> int:
        """Decode ``data[pos:]``, feeding chunk data to ``out``; return where it stopped.

        It stops at the end of ``data``, at the start of a line that is not
        complete yet, or just past the body (then :attr:`done` is true and
        what follows belongs to the next message).
        """
        size = len(data)
        while True:
            state = self._state
            if state == _DATA:
                left = self._left
                avail = size - pos
                if avail <= 0:
                    return pos
                if avail < left:
                    self._left = left - avail
                    out.feed_data(data[pos:] if pos else data, avail)
                    return size
                self._state = _CRLF
                out.feed_data(data[pos : pos + left], left)
                pos += left
            elif state == _CRLF:
                if size - pos < 2:
                    return pos
                # RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                if data[pos] != _CR or data[pos + 1] != _LF:
                    end = data[pos : pos + 2]
                    raise TransferEncodingError(f"chunk data not followed by CRLF: {end!r}")
                pos += 2
                self._state = _SIZE
            elif state == _SIZE:
                # Fast path, one pass: 1*16HEXDIG CRLF (no chunk extension).
                stop = min(size, pos + 17)
                i = pos
                chunk_size = 0
                byte = 0
                while i < stop:
                    byte = data[i]
                    digit = _HEX_VALUES[byte]
                    if digit > 15:
                        break
                    chunk_size = chunk_size * 16 + digit
                    i += 1
                if i > pos and byte == _CR and i + 1 < size and data[i + 1] == _LF:
                    pos = i + 2
                else:
                    limit = self.max_line_size + 2
                    # Up to LF, so a bare-LF line is refused at once, not waited on.
                    nl = data.find(b"\n", pos, pos + limit)
                    if nl < 0:
                        if size - pos >= limit:
                            raise LineTooLong("chunk-size line", self.max_line_size)
                        return pos
                    chunk_size = _chunk_size(data[pos : nl + 1])
                    pos = nl + 1
                if chunk_size:
                    self._left = chunk_size
                    self._state = _DATA
                else:
                    self._state = _TRAILERS
            elif state == _TRAILERS:
                limit = self.max_field_size + 2
                nl = data.find(b"\n", pos, pos + limit)
                if nl < 0:
                    if size - pos >= limit:
                        raise LineTooLong("trailer field", self.max_field_size)
                    return pos
                line = data[pos : nl + 1]
                pos = nl + 1
                if line == b"\r\n":
                    self._state = _DONE
                    self.done = True
                    return pos
                self._trailer(line)
            else:
                return pos

    def _trailer(self, line: bytes) -> None:
        """Check one trailer line (RFC 9112 §7.1.2); it is dropped, as 2016 did."""
        if not line.endswith(b"\r\n"):
            raise TransferEncodingError(f"bare LF in trailer section: {line[:100]!r}")
        self._trailers += 1
        if self._trailers > self.max_headers:
            raise BadHttpMessage(f"too many trailer fields: more than {self.max_headers}")
        if FIELD_SECTION_RE.fullmatch(line) is None:
            parse_fields(b"\r\n" + line[:-2], 0, len(line), 1, self.max_field_size)  # raises
            raise TransferEncodingError(f"invalid trailer line {line[:100]!r}")  # pragma: no cover


def _chunk_size(line: bytes) -> int:
    """The size on a chunk-size line with extensions (or an invalid one)."""
    match = CHUNK_LINE_RE.fullmatch(line)
    if match is None:
        raise TransferEncodingError(f"invalid chunk-size line {line[:100]!r}")
    return int(match.group(1), 16)
