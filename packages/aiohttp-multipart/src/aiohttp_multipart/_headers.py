# Strategy: a part's header block is read line by line from the reader's own
# buffer with one byte budget for the whole block (so a single long line and
# many short ones are both bounded), and a count cap. Lines must end in CRLF
# (RFC 2046 section 5.1.1 and RFC 5322 section 2.2): a bare LF or CR is a
# malformed body, not something to guess about. Folded lines (RFC 5322
# obs-fold, still produced by mail software) are unfolded with one space.
#
# Strategy (browser-shaped blocks): nearly every form part carries exactly
# what the WHATWG form-data encoding writes, ``Content-Disposition:
# form-data; name="..."[; filename="..."]`` and maybe ``Content-Type: ...``
# (after it from browsers, curl and urllib3; before it from aiohttp).
# parse_form_headers() matches that block with one regex on the buffer and
# hands back the fields the general path would build (same names, values,
# order and decoding; as a plain dict, made a CIMultiDictProxy only if the
# part's headers are read) plus the name and file name
# parse_content_disposition would give; any other block takes the general
# path.
from __future__ import annotations

import re
from typing import Final

from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp_errors import BadHttpMessage, InvalidHeader, LineTooLong

from ._source import _Source

__all__ = ("parse_buffered_headers", "parse_form_headers", "read_part_headers")

# RFC 9110 section 5.6.2: field-name = token
_TOKEN_RE: Final = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# RFC 5322 section 3.2.2: a folded line starts with WSP.
_FOLD_START: Final = (b" ", b"\t")
# Names parts nearly always carry, known to be tokens: no regex for them.
_KNOWN_NAMES: Final = frozenset(
    (b"Content-Disposition", b"Content-Type", b"Content-Transfer-Encoding", b"Content-Length")
)

# The browser-shaped block, matched at the start of the buffer. The quoted
# values exclude '"' and '%' like _disposition._FORM_FAST_RE (so the name and
# file name need no unescaping), and CR, LF and NUL like the general path (so
# a match is a block the general path accepts). A Content-Type value starts
# and ends with a byte that strip(b" \t") keeps, so it is the stripped value.
# (The leading "Content-" is shared so that a block without a Content-Type
# first costs one byte of backtracking, not eight.)
_TYPE_VALUE: Final = rb"([^ \t\r\n\x00](?:[^\r\n\x00]*[^ \t\r\n\x00])?)\r\n"
_FORM_BLOCK_RE: Final = re.compile(
    rb"Content-(?:Type: " + _TYPE_VALUE + rb"Content-)?"
    rb'Disposition: (form-data; name="([^"%\r\n\x00]*)"'
    rb'(?:; filename="([^"%\r\n\x00]*)")?)\r\n'
    rb"(?:Content-Type: " + _TYPE_VALUE + rb")?"
    rb"\r\n"
)

_EMPTY: Final[CIMultiDictProxy[str]] = CIMultiDictProxy(CIMultiDict())


def _decode(raw: bytes) -> str:
    # RFC 7578 section 5.1: names and file names may be raw UTF-8; anything
    # else is taken octet for octet (ISO-8859-1) rather than rejected.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_buffered_headers(
    buf: bytearray, *, max_size: int, max_count: int
) -> CIMultiDictProxy[str] | None:
    """Take a whole, well-formed header block from ``buf``; ``None`` if not there.

    Nearly every part starts inside a chunk already read, so this is how
    headers are normally read: the block is split in one go. ``None`` leaves
    ``buf`` untouched for :func:`read_part_headers`, which reads a block still
    arriving and reports the precise error for a malformed one.
    """
    if buf.startswith(b"\r\n"):
        del buf[:2]
        return _EMPTY
    end = buf.find(b"\r\n\r\n", 0, max_size)
    if end == -1:
        return None
    block = bytes(buf[:end])
    crlf = block.count(b"\r\n")
    # (0 in block: an int needle; b"\x00" in block costs several times more.)
    if block.count(b"\r") != crlf or block.count(b"\n") != crlf or 0 in block:
        return None  # a bare CR or LF, or a NUL: the slow path names the bad line
    headers = _build(block.split(b"\r\n"), max_count)
    del buf[: end + 4]
    return headers


def parse_form_headers(
    buf: bytearray, *, max_size: int, max_count: int
) -> tuple[dict[str, str], tuple[str, str | None]] | None:
    """Take a browser-shaped header block from ``buf``: ``(headers, (name, filename))``.

    ``headers`` holds the fields :func:`parse_buffered_headers` returns for
    the block, in the same order (as a dict, so at most one of each name);
    ``name`` and ``filename`` are the ``name`` and ``filename`` parameters
    :func:`parse_content_disposition` finds in its Content-Disposition (which
    warns about nothing here). ``None``, with ``buf`` untouched, for any other
    block, for one not wholly buffered, and for one over a limit (so that the
    general path reports it).
    """
    # endpos bounds the scan as the general path's find() does.
    m = _FORM_BLOCK_RE.match(buf, 0, max_size)
    if m is None:
        return None
    type_before, raw_disposition, raw_name, raw_filename, type_after = m.groups()
    # At most three fields; counted only when the limit is that low.
    if max_count < 3 and max_count < 1 + (type_before is not None) + (type_after is not None):
        return None
    # Decoded as the general path decodes it, as a whole: a value that is
    # not UTF-8 as a whole is latin-1 throughout, even where its name alone
    # would be UTF-8. Cut at ASCII quotes, each piece then decodes the same.
    try:
        disposition = raw_disposition.decode("utf-8")
        codec = "utf-8"
    except UnicodeDecodeError:
        disposition = raw_disposition.decode("latin-1")
        codec = "latin-1"
    name = raw_name.decode(codec)
    filename = None if raw_filename is None else raw_filename.decode(codec)
    # A plain dict, not a CIMultiDict: BodyPartReader makes it one only when
    # its headers are read, which a form field's reader often never does.
    # The keys are spelled as CONTENT_TYPE and CONTENT_DISPOSITION.
    headers: dict[str, str]
    if type_before is None:
        headers = {"Content-Disposition": disposition}
        if type_after is not None:
            headers["Content-Type"] = _decode(type_after)
    elif type_after is None:
        headers = {"Content-Type": _decode(type_before), "Content-Disposition": disposition}
    else:
        return None  # two Content-Types, which a dict cannot hold
    del buf[: m.end()]
    return headers, (name, filename)


async def read_part_headers(
    source: _Source, *, max_size: int, max_count: int
) -> CIMultiDictProxy[str]:
    """Read header lines up to the empty line that ends them."""
    headers = parse_buffered_headers(source._buf, max_size=max_size, max_count=max_count)
    if headers is not None:
        return headers
    return await _read_slowly(source, max_size=max_size, max_count=max_count)


async def _read_slowly(source: _Source, *, max_size: int, max_count: int) -> CIMultiDictProxy[str]:
    budget = max_size
    lines: list[bytes] = []
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
            return _build(lines, max_count)
        content = line[:-2]
        if b"\x00" in content or b"\r" in content:
            raise InvalidHeader(content, "control character in part header line")
        lines.append(content)


def _build(lines: list[bytes], max_count: int) -> CIMultiDictProxy[str]:
    # Both callers have split the lines at CRLF and refused NUL, CR and LF
    # inside them.
    fields: list[tuple[bytes, bytes]] = []
    for content in lines:
        if content[:1] in _FOLD_START:
            if not fields:
                raise InvalidHeader(content, "continuation line before any header")
            # RFC 5322 section 3.2.2 obs-fold: unfolding removes the CRLF.
            name, value = fields.pop()
            value += b" " + content.strip(b" \t")
        else:
            name, sep, value = content.partition(b":")
            if not sep or (name not in _KNOWN_NAMES and _TOKEN_RE.fullmatch(name) is None):
                raise InvalidHeader(content, "expected 'name: value' with a token name")
            if len(fields) >= max_count:
                raise BadHttpMessage(f"multipart part has more than {max_count} header fields")
            value = value.strip(b" \t")
        fields.append((name, value))
    return CIMultiDictProxy(CIMultiDict([(n.decode("ascii"), _decode(v)) for n, v in fields]))
