# Strategy: the sans-I/O core of the head parsers (RFC 9112 §2-§5): plain
# functions and one small class over bytes, no generators, so mypyc can
# compile this module (see hatch_build.py; the generator adapters of the
# 2016 ``(out, buf)`` protocol live in ``_http_parser``).
#
# A complete head is parsed by ``parse_request_head``/``parse_response_head``
# with one regex fullmatch per start line and per header section (C speed).
# The limits (line lengths, number of fields) and bare LFs are judged by one
# validator, ``HeadScanner``, which reports the violation that comes first in
# byte order: the parsers run it on every wait for more input, and on a
# complete head whenever parsing it failed.  So which 400 subclass a broken
# head raises never depends on how TCP split its bytes.
from __future__ import annotations

import re
from typing import Final, NoReturn

from multidict import CIMultiDictProxy

from aiohttp_errors import BadHttpMessage, BadStatusLine, InvalidHeader, LineTooLong

from . import hdrs
from ._abnf import (
    ABSOLUTE_FORM_RE,
    AUTHORITY_FORM_RE,
    REQUEST_LINE_RE,
    STATUS_LINE_LAX_RE,
    STATUS_LINE_RE,
    TOKEN_RE,
)
from ._fields import body_framing, parse_fields, parse_fields_lax, should_close
from ._messages import HttpVersion, RawHeaders, RawRequestMessage, RawResponseMessage

__all__ = ("HeadScanner", "parse_request_head", "parse_response_head", "parse_response_lines")

_CR: Final = 0x0D
_HTTP10: Final = HttpVersion(1, 0)
_HTTP11: Final = HttpVersion(1, 1)
_VERSION_RE: Final = re.compile(rb"HTTP/[0-9]\.[0-9]")


class HeadScanner:
    """Check a head's limits and line ends as its bytes arrive.

    ``scan(data)`` looks at the bytes added to ``data`` since the last call
    (``data`` only grows from the front it started at) and returns the
    offset just past the CRLF CRLF that ends the head, or -1 while the head
    is incomplete.  It raises for the first violation in byte order: the
    start line or a field line longer than its limit, one field line too
    many, or an LF not preceded by CR.  Each line is looked at once, so a
    head trickling in byte by byte costs linear time.
    """

    def __init__(
        self, what: str, max_line_size: int, max_headers: int, max_field_size: int
    ) -> None:
        self.what = what
        self.max_line_size = max_line_size
        self.max_headers = max_headers
        self.max_field_size = max_field_size
        self.line_start = 0  # where the line being received starts
        self.lines = 0  # complete lines before it (the start line included)

    def scan(self, data: bytes | bytearray) -> int:
        size = len(data)
        while True:
            start = self.line_start
            if start >= size:
                return -1
            nl = data.find(b"\n", start)
            end = size if nl < 0 else nl
            # Candidate violations on this line, by the offset of the byte
            # that makes them one; the smallest is what byte-by-byte input
            # would have raised first.  Ties go to the bare LF.
            bare_lf = nl >= 0 and (nl == start or data[nl - 1] != _CR)
            first = end + 1
            kind = 0
            if bare_lf:
                first, kind = nl, 1
            if self.lines:
                # A field line counts from its first byte; after a CR, from
                # its second (a CR then LF is the empty line ending the head).
                if self.lines > self.max_headers:
                    at = start if data[start] != _CR else start + 1
                    if at < end and at < first:
                        first, kind = at, 2
                limit = self.max_field_size
            else:
                limit = self.max_line_size
            # Line content excludes the CR of its CRLF: a CR at the limit
            # only overflows once a byte other than LF follows it.
            at = start + limit
            if at < end and data[at] == _CR:
                at += 1
            if at < end and at < first:
                first, kind = at, 3
            if kind:
                self._raise(data, start, first, kind)
            if nl < 0:
                return -1
            if nl == start + 1 and self.lines:
                return nl + 1  # the empty line: the head is complete
            self.lines += 1
            self.line_start = nl + 1

    def _raise(self, data: bytes | bytearray, start: int, at: int, kind: int) -> NoReturn:
        # Quote the line through the offending byte: the same however split.
        line = bytes(data[start : min(at + 1, start + 100)])
        if kind == 1:
            if self.lines == 0:
                raise BadStatusLine(line, "bare LF")
            raise InvalidHeader(line, "bare LF in field value")
        if kind == 2:
            raise BadHttpMessage(f"too many header fields: more than {self.max_headers}")
        if self.lines == 0:
            raise LineTooLong(self.what, self.max_line_size)
        raise LineTooLong(f"header field {line!r}", self.max_field_size)


def _version(major: bytes, minor: bytes, line: bytes, eol: int) -> HttpVersion:
    if major == b"1":
        if minor == b"1":
            return _HTTP11
        if minor == b"0":
            return _HTTP10
        return HttpVersion(1, int(minor))
    # RFC 9112 §2.3: this grammar is HTTP/1.x only; a 2.0 or 0.9 line here
    # is not a message we can frame.
    raise BadStatusLine(line[:eol], "unsupported HTTP version")


def _compression(headers: CIMultiDictProxy[str]) -> str | None:
    enc = headers.get(hdrs.CONTENT_ENCODING)
    if enc is None:
        return None
    enc = enc.strip().lower()
    return enc if enc in ("gzip", "deflate") else None


def parse_request_head(
    head: bytes, max_line_size: int, max_headers: int, max_field_size: int
) -> RawRequestMessage:
    """Parse a complete request head (through its CRLF CRLF), strictly."""
    try:
        return _parse_request(head, max_line_size, max_headers, max_field_size)
    except BadHttpMessage:
        # A limit or bare-LF violation earlier in the bytes is what split
        # input would have raised while waiting: it wins.
        HeadScanner("request line", max_line_size, max_headers, max_field_size).scan(head)
        raise


def _parse_request(
    head: bytes, max_line_size: int, max_headers: int, max_field_size: int
) -> RawRequestMessage:
    eol = head.find(b"\r\n")
    if eol > max_line_size:
        raise LineTooLong("request line", max_line_size)
    match = REQUEST_LINE_RE.fullmatch(head, 0, eol)
    if match is None:
        line = head[:eol]
        raise BadStatusLine(line, _diagnose_request_line(line))
    bmethod, btarget, major, minor = match.groups()
    version = _version(major, minor, head, eol)
    method = bmethod.decode("ascii")
    path = btarget.decode("utf-8", "surrogateescape")
    if path[:1] != "/" or method == hdrs.METH_CONNECT:
        _check_target(method, path, head[:eol])
    headers, raw_headers = parse_fields(head, eol, len(head) - 4, max_headers, max_field_size)
    http10 = version < _HTTP11
    hosts = headers.getall(hdrs.HOST, ())
    if len(hosts) != 1 and (len(hosts) > 1 or not http10):
        # RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request)
        # status code to any HTTP/1.1 request message that lacks a Host
        # header field and to any request message that contains more
        # than one Host header field line".
        raise BadHttpMessage(
            "missing Host header" if not hosts else f"{len(hosts)} Host header lines"
        )
    body_framing(headers, request=True, http10=http10)
    return RawRequestMessage(
        method,
        path,
        version,
        headers,
        raw_headers,
        should_close(headers, http10),
        _compression(headers),
    )


def _diagnose_request_line(line: bytes) -> str:
    parts = line.split(b" ")
    if len(parts) != 3 or not all(parts):
        return "a request line is method SP request-target SP HTTP-version"
    method, target, version = parts
    if TOKEN_RE.fullmatch(method) is None:
        return "invalid method"
    if _VERSION_RE.fullmatch(version) is None:
        return "invalid HTTP version"
    return "invalid character in request-target"


def _check_target(method: str, target: str, line: bytes) -> None:
    """RFC 9112 §3.2: the four forms of request-target and who may use which."""
    if method == hdrs.METH_CONNECT:
        # §3.2.3: "The authority-form of request-target is only used for
        # CONNECT requests" and a CONNECT request uses only it.
        if AUTHORITY_FORM_RE.fullmatch(target) is None:
            raise BadStatusLine(line, "CONNECT needs an authority-form target (host:port)")
    elif target.startswith("/"):
        return
    elif target == "*":
        # §3.2.4: the asterisk-form "is only used for a server-wide OPTIONS".
        if method != hdrs.METH_OPTIONS:
            raise BadStatusLine(line, "asterisk-form target is only for OPTIONS")
    elif ABSOLUTE_FORM_RE.match(target) is None:
        raise BadStatusLine(line, "invalid request-target")


def parse_response_head(
    head: bytes, max_line_size: int, max_headers: int, max_field_size: int
) -> RawResponseMessage:
    """Parse a complete response head (through its CRLF CRLF), strictly."""
    try:
        eol = head.find(b"\r\n")
        line = head[:eol]
        if eol > max_line_size:
            raise LineTooLong("status line", max_line_size)
        version, code, reason = _status_line(STATUS_LINE_RE.fullmatch(line), line)
        headers, raw_headers = parse_fields(head, eol, len(head) - 4, max_headers, max_field_size)
        return _response(version, code, reason, headers, raw_headers, lax=False)
    except BadHttpMessage:
        # As for requests: the first limit or bare-LF violation wins.
        HeadScanner("status line", max_line_size, max_headers, max_field_size).scan(head)
        raise


def parse_response_lines(
    lines: list[bytes], max_line_size: int, max_headers: int, max_field_size: int
) -> RawResponseMessage:
    """Parse a response head leniently, given its lines without line ends."""
    line = lines[0]
    if len(line) > max_line_size:
        raise LineTooLong("status line", max_line_size)
    version, code, reason = _status_line(STATUS_LINE_LAX_RE.fullmatch(line), line)
    headers, raw_headers = parse_fields_lax(lines[1:], max_headers, max_field_size)
    return _response(version, code, reason, headers, raw_headers, lax=True)


def _status_line(match: re.Match[bytes] | None, line: bytes) -> tuple[HttpVersion, int, str]:
    if match is None:
        raise BadStatusLine(line, "a status line is HTTP-version SP 3DIGIT SP reason")
    major, minor, bcode, breason = match.groups()
    version = _version(major, minor, line, len(line))
    reason = breason.decode("utf-8", "surrogateescape").strip() if breason else ""
    return version, int(bcode), reason


def _response(
    version: HttpVersion,
    code: int,
    reason: str,
    headers: CIMultiDictProxy[str],
    raw_headers: RawHeaders,
    *,
    lax: bool,
) -> RawResponseMessage:
    http10 = version < _HTTP11
    close = should_close(headers, http10)
    if 200 <= code and code not in (204, 304):
        framing = body_framing(headers, request=False, http10=http10, lax=lax)
        if framing is None or framing < -1:
            # RFC 9112 §6.3: a body delimited by the end of the connection
            # means the connection ends with it.
            close = True
    return RawResponseMessage(
        version, code, reason, headers, raw_headers, close, _compression(headers)
    )
