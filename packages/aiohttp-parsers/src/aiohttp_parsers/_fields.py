# Strategy: header sections (RFC 9112 §5) and the framing they imply
# (RFC 9112 §6).  The strict path checks a whole section with one regex
# fullmatch, then splits it with bytes.split/partition; only a failed match
# walks the lines to name the problem.  The lax path (responses, on request)
# folds obs-fold lines, accepts bare-LF line ends and whitespace before the
# colon.  ``body_framing`` is shared by the head parsers (to reject a bad
# message before the application sees it) and ``HttpPayloadParser`` (to read
# the body), so both always agree.
from __future__ import annotations

from typing import Final, NoReturn

from multidict import CIMultiDict, CIMultiDictProxy, istr

from aiohttp_errors import BadHttpMessage, InvalidHeader, LineTooLong, TransferEncodingError

from . import hdrs
from ._abnf import FIELD_LINE_RE, INVALID_VALUE_CHAR_RE, TOKEN_RE
from ._messages import RawHeaders

__all__ = ("parse_fields", "parse_fields_lax", "body_framing", "should_close")

# What ``body_framing`` returns besides a length.
CHUNKED: Final = -1
UNTIL_EOF: Final = -2


def _bad_line(line: bytes, lax: bool) -> NoReturn:
    """Raise the error that says what is wrong with one field line."""
    if line[:1] in (b" ", b"\t"):
        # RFC 9112 §5.2: "A server that receives an obs-fold in a request
        # message ... MUST either reject the message by sending a 400 (Bad
        # Request) ... or replace each received obs-fold with one or more SP".
        raise InvalidHeader(line, "obs-fold (line folding) is not allowed")
    name, sep, value = line.partition(b":")
    if not sep:
        raise InvalidHeader(line, "no colon in field line")
    if not name:
        raise InvalidHeader(line, "empty field name")
    if name[-1:] in (b" ", b"\t") and not lax:
        # RFC 9112 §5.1: "A server MUST reject, with a response status code
        # of 400 (Bad Request), any received request message that contains
        # whitespace between a header field name and colon."
        raise InvalidHeader(line, "whitespace between field name and colon")
    if not TOKEN_RE.fullmatch(name.rstrip(b" \t") if lax else name):
        raise InvalidHeader(line, "invalid character in field name")
    bad = INVALID_VALUE_CHAR_RE.search(value)
    if bad is not None:
        char = bad.group()
        what = {b"\r": "bare CR", b"\n": "bare LF", b"\x00": "NUL"}.get(
            char, f"control character {char!r}"
        )
        raise InvalidHeader(line, f"{what} in field value")
    raise InvalidHeader(line, "malformed field line")  # pragma: no cover - regex and walk agree


def _check_counts(lines: list[bytes], max_headers: int, max_field_size: int) -> None:
    if len(lines) > max_headers:
        raise BadHttpMessage(f"too many header fields: more than {max_headers}")
    for line in lines:
        if len(line) > max_field_size:
            raise LineTooLong(f"header field {line[:100]!r}", max_field_size)


_EMPTY: Final[CIMultiDictProxy[str]] = CIMultiDictProxy(CIMultiDict())
# The header names of ``hdrs`` as they are usually spelled, decoded once:
# looking a name up costs less than decoding it, and an ``istr`` key saves
# the multidict from folding its case again.
_KNOWN_NAMES: Final[dict[bytes, str]] = {
    str(name).encode("ascii"): name for name in vars(hdrs).values() if isinstance(name, istr)
}


def parse_fields(
    data: bytes, start: int, end: int, max_headers: int, max_field_size: int
) -> tuple[CIMultiDictProxy[str], RawHeaders]:
    """Parse a strict header section: ``data[start:end]`` is CRLF field-line ...

    that is, each field line comes after (not before) its CRLF: the slice
    runs from the CRLF that ends the start line to the end of the last field
    line, so a head needs no copying.
    """
    if start == end:
        return _EMPTY, ()
    # One findall both splits and validates: every match starts at a CRLF
    # and ends where the next CRLF (or the section) begins, so there are as
    # many matches as LFs exactly when each LF starts a valid line.
    raw = FIELD_LINE_RE.findall(data, start, end)
    count = data.count(b"\n", start, end)
    if len(raw) != count:
        for line in data[start + 2 : end].split(b"\r\n"):
            if FIELD_LINE_RE.fullmatch(b"\r\n" + line) is None:
                _bad_line(line, False)
    if count > max_headers or end - start > max_field_size:
        _check_counts(data[start + 2 : end].split(b"\r\n"), max_headers, max_field_size)
    known = _KNOWN_NAMES
    pairs = [
        (known.get(n) or n.decode("ascii"), v.decode("utf-8", "surrogateescape")) for n, v in raw
    ]
    return CIMultiDictProxy(CIMultiDict(pairs)), tuple(raw)


def parse_fields_lax(
    lines: list[bytes], max_headers: int, max_field_size: int
) -> tuple[CIMultiDictProxy[str], RawHeaders]:
    """Parse field lines (line ends already removed) leniently, for responses.

    RFC 9112 §5.2: a user agent that receives an obs-fold "MUST replace each
    received obs-fold with one or more SP octets prior to interpreting the
    field value"; whitespace before the colon is removed (§5.1 requires a
    proxy to remove it from responses).  NUL and bare CR stay errors.
    """
    folded: list[bytes] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and folded:
            folded[-1] = folded[-1] + b" " + line.strip(b" \t")
        else:
            folded.append(line)
    _check_counts(folded, max_headers, max_field_size)
    raw = []
    pairs = []
    for line in folded:
        name, sep, value = line.partition(b":")
        name = name.rstrip(b" \t")
        # NUL and CR as int needles: a one-byte bytes needle costs ~130 ns.
        if not sep or not TOKEN_RE.fullmatch(name) or 0 in value or 13 in value:
            _bad_line(line, True)
        value = value.strip(b" \t")
        raw.append((name, value))
        pairs.append((name.decode("ascii"), value.decode("utf-8", "surrogateescape")))
    return CIMultiDictProxy(CIMultiDict(pairs)), tuple(raw)


def _quote_values(values: list[str]) -> bytes:
    return ", ".join(values).encode("utf-8", "surrogateescape")


def body_framing(
    headers: CIMultiDictProxy[str] | CIMultiDict[str],
    *,
    request: bool,
    http10: bool,
    lax: bool = False,
) -> int | None:
    """How the body is delimited: a length, ``CHUNKED``, ``UNTIL_EOF`` or ``None``.

    ``None`` means the headers say nothing (requests: no body; responses:
    read until the connection closes, if asked to).
    """
    te = headers.getall(hdrs.TRANSFER_ENCODING, None)
    cl = headers.getall(hdrs.CONTENT_LENGTH, None)
    if te is not None:
        if request and http10:
            # RFC 9112 §6.1: "A server or client that receives an HTTP/1.0
            # message containing a Transfer-Encoding header field MUST treat
            # the message as if the framing is faulty".
            raise BadHttpMessage("Transfer-Encoding in an HTTP/1.0 request")
        if cl is not None and (request or not lax):
            # RFC 9112 §6.3: "Such a message might indicate an attempt to
            # perform request smuggling (Section 11.2) or response splitting
            # (Section 11.1) and ought to be handled as an error."
            raise BadHttpMessage("both Content-Length and Transfer-Encoding are present")
        codings = [c.strip().lower() for value in te for c in value.split(",")]
        codings = [c for c in codings if c]  # RFC 9110 §5.6.1: empty elements
        if codings and codings[-1] == "chunked":
            # RFC 9112 §6.1: "A sender MUST NOT apply the chunked transfer
            # coding more than once to a message body".
            if len(codings) > 1:
                raise TransferEncodingError(
                    f"unsupported Transfer-Encoding {_quote_values(te)!r}: only chunked is "
                    "implemented, once"
                )
            return CHUNKED
        if request:
            # RFC 9112 §6.3: "If a Transfer-Encoding header field is present
            # in a request and the chunked transfer coding is not the final
            # encoding, the message body length cannot be determined
            # reliably; the server MUST respond with the 400 (Bad Request)".
            raise TransferEncodingError(
                f"Transfer-Encoding {_quote_values(te)!r} does not end with chunked"
            )
        if not lax:
            raise TransferEncodingError(f"unsupported Transfer-Encoding {_quote_values(te)!r}")
        # RFC 9112 §6.3: in a response "the message body length is
        # determined by reading the connection until it is closed".
        return UNTIL_EOF
    if cl is not None:
        # RFC 9112 §6.3: "If a message is received without Transfer-Encoding
        # and with an invalid Content-Length header field, then the message
        # framing is invalid"; identical repeated values are one value.
        values = {v.strip() for value in cl for v in value.split(",")}
        if len(values) != 1:
            raise BadHttpMessage(f"several differing Content-Length values: {_quote_values(cl)!r}")
        value = values.pop()
        if not (value.isascii() and value.isdigit()):
            raise InvalidHeader(
                b"Content-Length: " + _quote_values(cl), "not a decimal number of bytes"
            )
        return int(value)
    return None


def should_close(headers: CIMultiDictProxy[str], http10: bool) -> bool:
    """Whether the connection closes after this message (RFC 9112 §9.3)."""
    conn = headers.getall(hdrs.CONNECTION, None)
    if conn is not None:
        if len(conn) == 1:  # the usual single token, without the set
            token = conn[0].strip().lower()
            if token == "close":
                return True
            if token == "keep-alive":
                return False
        tokens = {t.strip().lower() for value in conn for t in value.split(",")}
        if "close" in tokens:
            return True
        if "keep-alive" in tokens:
            return False
    return http10
