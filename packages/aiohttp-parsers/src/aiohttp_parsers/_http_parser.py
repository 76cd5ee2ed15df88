# Strategy: the message heads of HTTP/1.x (RFC 9112 §2-§5), parsed by
# generators in the 2016 ``(out, buf)`` protocol.  The head (start line and
# header section) is found with one ``bytearray.find(b"\r\n\r\n")`` over the
# buffer; when it is complete on arrival (the common case, and every
# pipelined request but the last) no Python loop touches the bytes before
# the regexes and splits.  While a head is incomplete, the limits are
# checked on what is buffered (incrementally, so trickled input stays linear)
# so the outcome never depends on how TCP split the bytes.
from __future__ import annotations

import re
from collections.abc import Generator
from typing import Final, NamedTuple, NoReturn

from multidict import CIMultiDictProxy
from yarl import URL

from aiohttp_errors import (
    BadHttpMessage,
    BadStatusLine,
    HttpMethodNotAllowed,
    InvalidHeader,
    InvalidURL,
    LineLimitExceededParserError,
    LineTooLong,
)

from . import hdrs
from ._abnf import (
    ABSOLUTE_FORM_RE,
    AUTHORITY_FORM_RE,
    DEFAULT_MAX_FIELD_SIZE,
    DEFAULT_MAX_HEADERS,
    DEFAULT_MAX_LINE_SIZE,
    DEFAULT_MAX_METHOD_SIZE,
    REQUEST_LINE_RE,
    STATUS_LINE_LAX_RE,
    STATUS_LINE_RE,
    TOKEN_RE,
    head_limit,
)
from ._buffer import ParserBuffer, ParserGenerator, ParserOutput
from ._fields import RawHeaders, body_framing, parse_fields, parse_fields_lax, should_close

__all__ = (
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "RawRequestMessage",
    "RawResponseMessage",
    "HttpPrefixParser",
    "HttpRequestParser",
    "HttpResponseParser",
)


class HttpVersion(NamedTuple):
    """An HTTP version, ``HttpVersion(1, 1)`` for HTTP/1.1; compares as a tuple."""

    major: int
    minor: int


HttpVersion10: Final = HttpVersion(1, 0)
HttpVersion11: Final = HttpVersion(1, 1)
_VERSIONS: Final = {(1, 0): HttpVersion10, (1, 1): HttpVersion11}


def _version(major: bytes, minor: bytes, line: bytes) -> HttpVersion:
    key = (int(major), int(minor))
    version = _VERSIONS.get(key)
    if version is not None:
        return version
    if key[0] != 1:
        # RFC 9112 §2.3: this grammar is HTTP/1.x only; a 2.0 or 0.9 line
        # here is not a message we can frame.
        raise BadStatusLine(line, "unsupported HTTP version")
    return HttpVersion(*key)


class RawRequestMessage(NamedTuple):
    """A parsed request head (what ``HttpRequestParser`` outputs).

    .. attribute:: method       the method token, as sent (case-sensitive)
    .. attribute:: path         the request-target, decoded as UTF-8
    .. attribute:: version      :class:`HttpVersion`
    .. attribute:: headers      ``CIMultiDictProxy[str]``
    .. attribute:: raw_headers  ``(name, value)`` bytes pairs as received
    .. attribute:: should_close whether the connection closes after it
    .. attribute:: compression  ``"gzip"``, ``"deflate"`` or ``None``
    """

    method: str
    path: str
    version: HttpVersion
    headers: CIMultiDictProxy[str]
    raw_headers: RawHeaders
    should_close: bool
    compression: str | None

    @property
    def url(self) -> URL:
        """The request-target as a ``yarl.URL`` (relative for origin-form).

        Raises :class:`~aiohttp_errors.InvalidURL` if yarl cannot parse it.
        """
        target = self.path
        try:
            if target.startswith("/"):
                path, _, query = target.partition("?")
                return URL.build(path=path, query_string=query, encoded=True)
            if self.method == hdrs.METH_CONNECT:
                return URL.build(authority=target, encoded=True)
            if target == "*":
                return URL.build(path=target, encoded=True)
            return URL(target, encoded=True)
        except ValueError:
            raise InvalidURL(target) from None


class RawResponseMessage(NamedTuple):
    """A parsed response head (what ``HttpResponseParser`` outputs).

    .. attribute:: version      :class:`HttpVersion`
    .. attribute:: code         the status code
    .. attribute:: reason       the reason phrase (may be empty)
    .. attribute:: headers      ``CIMultiDictProxy[str]``
    .. attribute:: raw_headers  ``(name, value)`` bytes pairs as received
    .. attribute:: should_close whether the connection closes after it
    .. attribute:: compression  ``"gzip"``, ``"deflate"`` or ``None``
    """

    version: HttpVersion
    code: int
    reason: str
    headers: CIMultiDictProxy[str]
    raw_headers: RawHeaders
    should_close: bool
    compression: str | None


def _compression(headers: CIMultiDictProxy[str]) -> str | None:
    enc = headers.get(hdrs.CONTENT_ENCODING)
    if enc is None:
        return None
    enc = enc.strip().lower()
    return enc if enc in ("gzip", "deflate") else None


_HeadPull = Generator[None, bytes, bytes]
_LAX_END_RE: Final = re.compile(rb"\n\r?\n")


class _HeadParser:
    """Limits and head reading shared by the request and response parsers."""

    _what = "start line"

    def __init__(
        self,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
        max_field_size: int = DEFAULT_MAX_FIELD_SIZE,
    ) -> None:
        self.max_line_size = max_line_size
        self.max_headers = max_headers
        self.max_field_size = max_field_size

    def _read_head(self, buf: ParserBuffer) -> _HeadPull:
        """Consume and return a head through its final CRLF CRLF."""
        buf._check()
        data = buf._data
        limit = head_limit(self.max_line_size, self.max_headers, self.max_field_size)
        pos = data.find(b"\r\n\r\n", 0, limit)
        if pos < 0:
            pos = yield from self._wait_head(buf, limit)
        end = pos + 4
        head = bytes(data[:end])
        del data[:end]
        return head

    def _wait_head(self, buf: ParserBuffer, limit: int) -> Generator[None, bytes, int]:
        data = buf._data
        max_line = self.max_line_size
        max_field = self.max_field_size
        lines = 0  # CRLFs seen before ``scanned``
        line_start = 0  # where the line being received starts
        scanned = 0
        lf_checked = 0
        while True:
            # Look at the bytes added since last time, CRLF by CRLF; a CRLF
            # may straddle the old end, hence the one byte overlap.
            pos = data.find(b"\r\n", scanned)
            while pos >= 0:
                if pos == line_start and lines:
                    return pos - 2  # the empty line: the head is complete
                lines += 1
                line_start = pos + 2
                pos = data.find(b"\r\n", line_start)
            scanned = max(line_start, len(data) - 1)
            # The line being received is at least this long (a final CR
            # may be the start of its CRLF).
            partial = len(data) - line_start - data.endswith(b"\r")
            # Every LF must end a CRLF: a bare one can never become valid.
            nl = data.find(b"\n", lf_checked)
            while nl >= 0:
                if nl == 0 or data[nl - 1] != 0x0D:
                    self._bare_lf(data, nl)
                nl = data.find(b"\n", nl + 1)
            lf_checked = len(data)
            if lines == 0:
                if partial > max_line:
                    raise LineTooLong(self._what, max_line)
            else:
                # Field lines begun (complete ones, plus one being received).
                fields = lines - 1 + (len(data) > line_start and data[line_start] != 0x0D)
                if fields > self.max_headers:
                    raise BadHttpMessage(f"too many header fields: more than {self.max_headers}")
                if partial > max_field:
                    raise LineTooLong(
                        f"header field {bytes(data[line_start : line_start + 100])!r}", max_field
                    )
            if len(data) >= limit:  # pragma: no cover - the line limits come first
                raise LineTooLong("message head", limit)
            buf.feed_data((yield))

    def _bare_lf(self, data: bytearray, nl: int) -> NoReturn:
        eol = data.find(b"\r\n")
        if eol < 0 or nl < eol:
            raise BadStatusLine(bytes(data[: nl + 1]), "bare LF")
        start = data.rfind(b"\r\n", 0, nl) + 2
        raise InvalidHeader(bytes(data[start : nl + 1]), "bare LF in field value")

    def _read_head_lax(self, buf: ParserBuffer) -> Generator[None, bytes, list[bytes]]:
        """Consume a head whose lines may end with a bare LF; return its lines."""
        limit = head_limit(self.max_line_size, self.max_headers, self.max_field_size)
        buf._check()
        data = buf._data
        while True:
            match = _LAX_END_RE.search(data, 0, limit)
            if match is not None:
                break
            if len(data) >= limit:
                raise LineTooLong("message head", limit)
            buf.feed_data((yield))
        head = bytes(data[: match.start() + 1])
        del data[: match.end()]
        lines = head.split(b"\n")
        return [line[:-1] if line.endswith(b"\r") else line for line in lines[:-1]]


class HttpPrefixParser:
    """Peek at the method of the next request without consuming anything.

    Outputs the method (as sent) and ends.  With ``allowed_methods``, any
    other method raises :class:`~aiohttp_errors.HttpMethodNotAllowed`.
    """

    def __init__(
        self,
        allowed_methods: tuple[str, ...] | list[str] = (),
        *,
        max_method_size: int = DEFAULT_MAX_METHOD_SIZE,
    ) -> None:
        self.allowed_methods = [m.upper() for m in allowed_methods]
        self.max_method_size = max_method_size

    def __call__(self, out: ParserOutput[str], buf: ParserBuffer) -> ParserGenerator:
        try:
            raw = yield from buf.waituntil(b" ", self.max_method_size + 1)
        except LineLimitExceededParserError:
            raise BadStatusLine(bytes(buf), "method too long") from None
        bmethod = raw[:-1]
        if TOKEN_RE.fullmatch(bmethod) is None:
            raise BadStatusLine(raw, "invalid method")
        method = bmethod.decode("ascii")
        if self.allowed_methods and method not in self.allowed_methods:
            raise HttpMethodNotAllowed(message=method)
        out.feed_data(method, len(method))
        out.feed_eof()


class HttpRequestParser(_HeadParser):
    """Parse one request head into a :class:`RawRequestMessage`, strictly.

    RFC 9112 rules are enforced (see the package README for the list); any
    violation raises a :class:`~aiohttp_errors.BadHttpMessage` subclass.

    :param max_line_size: longest request line, in bytes.
    :param max_headers: most header field lines.
    :param max_field_size: longest header field line, in bytes.
    """

    _what = "request line"

    def __call__(self, out: ParserOutput[RawRequestMessage], buf: ParserBuffer) -> ParserGenerator:
        head = yield from self._read_head(buf)
        eol = head.find(b"\r\n")
        line = head[:eol]
        if eol > self.max_line_size:
            raise LineTooLong(self._what, self.max_line_size)
        match = REQUEST_LINE_RE.fullmatch(line)
        if match is None:
            raise BadStatusLine(line, _diagnose_request_line(line))
        bmethod, btarget, major, minor = match.groups()
        version = _version(major, minor, line)
        method = bmethod.decode("ascii")
        path = btarget.decode("utf-8", "surrogateescape")
        _check_target(method, path, line)

        headers, raw_headers = parse_fields(
            head[eol + 2 : -2], self.max_headers, self.max_field_size
        )
        http10 = version < HttpVersion11
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
        out.feed_data(
            RawRequestMessage(
                method,
                path,
                version,
                headers,
                raw_headers,
                should_close(headers, http10),
                _compression(headers),
            ),
            len(head),
        )
        out.feed_eof()


def _diagnose_request_line(line: bytes) -> str:
    parts = line.split(b" ")
    if len(parts) != 3 or not all(parts):
        return "a request line is method SP request-target SP HTTP-version"
    method, target, version = parts
    if TOKEN_RE.fullmatch(method) is None:
        return "invalid method"
    if re.fullmatch(rb"HTTP/[0-9]\.[0-9]", version) is None:
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


class HttpResponseParser(_HeadParser):
    """Parse one response head into a :class:`RawResponseMessage`.

    Strict by default.  ``lax=True`` accepts what RFC 9112 lets a client
    tolerate: bare-LF line ends, obs-fold, whitespace before the colon,
    any blanks around the status code, any reason-phrase bytes; and a body
    framed by both Content-Length and Transfer-Encoding (the latter wins).

    :param max_line_size: longest status line, in bytes.
    :param max_headers: most header field lines.
    :param max_field_size: longest header field line, in bytes.
    """

    _what = "status line"

    def __init__(
        self,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
        max_field_size: int = DEFAULT_MAX_FIELD_SIZE,
        *,
        lax: bool = False,
    ) -> None:
        super().__init__(max_line_size, max_headers, max_field_size)
        self.lax = lax

    def __call__(self, out: ParserOutput[RawResponseMessage], buf: ParserBuffer) -> ParserGenerator:
        lines: list[bytes] = []
        section = b""
        if self.lax:
            lines = yield from self._read_head_lax(buf)
            line = lines[0]
            size = sum(map(len, lines)) + 2 * len(lines)
            match = STATUS_LINE_LAX_RE.fullmatch(line)
        else:
            head = yield from self._read_head(buf)
            size = len(head)
            eol = head.find(b"\r\n")
            line = head[:eol]
            section = head[eol + 2 : -2]
            match = STATUS_LINE_RE.fullmatch(line)
        if len(line) > self.max_line_size:
            raise LineTooLong(self._what, self.max_line_size)
        if match is None:
            raise BadStatusLine(line, "a status line is HTTP-version SP 3DIGIT SP reason")
        major, minor, bcode, breason = match.groups()
        version = _version(major, minor, line)
        code = int(bcode)
        reason = breason.decode("utf-8", "surrogateescape").strip() if breason else ""
        if self.lax:
            headers, raw_headers = parse_fields_lax(
                lines[1:], self.max_headers, self.max_field_size
            )
        else:
            headers, raw_headers = parse_fields(section, self.max_headers, self.max_field_size)
        http10 = version < HttpVersion11
        close = should_close(headers, http10)
        if 200 <= code and code not in (204, 304):
            framing = body_framing(headers, request=False, http10=http10, lax=self.lax)
            if framing is None or framing < -1:
                # RFC 9112 §6.3: a body delimited by the end of the
                # connection means the connection ends with it.
                close = True
        out.feed_data(
            RawResponseMessage(
                version, code, reason, headers, raw_headers, close, _compression(headers)
            ),
            size,
        )
        out.feed_eof()
