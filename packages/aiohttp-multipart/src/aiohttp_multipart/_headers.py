# Strategy: a part's header block is read line by line from the reader's own
# buffer with one byte budget for the whole block (so a single long line and
# many short ones are both bounded), and a count cap. Lines must end in CRLF
# (RFC 2046 section 5.1.1 and RFC 5322 section 2.2): a bare LF or CR is a
# malformed body, not something to guess about. Folded lines (RFC 5322
# obs-fold, still produced by mail software) are unfolded with one space.
from __future__ import annotations

from typing import Final

from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp_errors import BadHttpMessage, InvalidHeader, LineTooLong

from ._source import _Source

__all__ = ("read_part_headers",)

_TCHAR: Final = frozenset(
    b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
# RFC 9110 section 5.5: field values never contain NUL, CR or LF.
_BAD_VALUE_BYTES: Final = (b"\x00", b"\r", b"\n")


def _decode(raw: bytes) -> str:
    # RFC 7578 section 5.1: names and file names may be raw UTF-8; anything
    # else is taken octet for octet (ISO-8859-1) rather than rejected.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


async def read_part_headers(
    source: _Source, *, max_size: int, max_count: int
) -> CIMultiDictProxy[str]:
    """Read header lines up to the empty line that ends them."""
    budget = max_size
    fields: list[tuple[bytes, bytearray]] = []
    while True:
        try:
            line = await source.readline(budget, "multipart part headers")
        except LineTooLong:
            raise LineTooLong("multipart part headers", max_size) from None
        budget -= len(line)
        if not line.endswith(b"\n"):
            raise BadHttpMessage(f"multipart body ended inside part headers: {line[:100]!r}")
        if not line.endswith(b"\r\n"):
            raise InvalidHeader(line, "part header line must end with CRLF")
        if line == b"\r\n":
            break
        content = line[:-2]
        if content[:1] in (b" ", b"\t"):
            if not fields:
                raise InvalidHeader(line, "continuation line before any header")
            # RFC 5322 section 3.2.2 obs-fold: unfolding removes the CRLF.
            fields[-1][1].extend(b" " + content.strip(b" \t"))
            continue
        name, sep, value = content.partition(b":")
        if not sep or not name or not set(name) <= _TCHAR:
            raise InvalidHeader(content, "expected 'name: value' with a token name")
        if len(fields) >= max_count:
            raise BadHttpMessage(f"multipart part has more than {max_count} header fields")
        fields.append((name, bytearray(value.strip(b" \t"))))
    headers: CIMultiDict[str] = CIMultiDict()
    for fname, fvalue in fields:
        if any(b in fvalue for b in _BAD_VALUE_BYTES):
            raise InvalidHeader(bytes(fname + b": " + fvalue), "control character in value")
        headers.add(fname.decode("ascii"), _decode(bytes(fvalue)))
    return CIMultiDictProxy(headers)
