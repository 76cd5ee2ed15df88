# Strategy: the message heads of HTTP/1.x (RFC 9112 §2-§5) as generators of
# the 2016 ``(out, buf)`` protocol.  These are thin adapters: they find the
# end of the head with one ``bytearray.find(b"\r\n\r\n")`` over the buffer
# and hand the complete head to the sans-I/O parser (``_head``, compiled by
# mypyc when available, chosen by ``_speedups``).  While a head is
# incomplete, ``HeadScanner`` checks the limits on what is buffered, line by
# line (so trickled input stays linear), and the same scanner judges a
# complete head that failed to parse: which error a broken head raises
# never depends on how TCP split the bytes.
from __future__ import annotations

import re
from collections.abc import Generator
from typing import Final

from aiohttp_errors import (
    BadStatusLine,
    HttpMethodNotAllowed,
    LineLimitExceededParserError,
    LineTooLong,
)

from ._abnf import (
    DEFAULT_MAX_FIELD_SIZE,
    DEFAULT_MAX_HEADERS,
    DEFAULT_MAX_LINE_SIZE,
    DEFAULT_MAX_METHOD_SIZE,
    TOKEN_RE,
    head_limit,
)
from ._buffer import ParserBuffer, ParserGenerator, ParserOutput
from ._messages import (
    HttpVersion as HttpVersion,
    HttpVersion10 as HttpVersion10,
    HttpVersion11 as HttpVersion11,
    RawRequestMessage as RawRequestMessage,
    RawResponseMessage as RawResponseMessage,
)
from ._speedups import HeadScanner, parse_request_head, parse_response_head, parse_response_lines

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

    def _wait_head(self, buf: ParserBuffer) -> Generator[None, bytes, int]:
        """Wait until the buffered head is complete; return its length."""
        scanner = HeadScanner(self._what, self.max_line_size, self.max_headers, self.max_field_size)
        data = buf._data
        end = scanner.scan(data)
        while end < 0:
            buf.feed_data((yield))
            end = scanner.scan(data)
        return end

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
        buf._check()
        data = buf._data
        end = data.find(b"\r\n\r\n") + 4
        if end < 4:
            end = yield from self._wait_head(buf)
        head = bytes(data[:end])
        del data[:end]
        message = parse_request_head(
            head, self.max_line_size, self.max_headers, self.max_field_size
        )
        out.feed_data(message, end)
        out.feed_eof()


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
        limits = (self.max_line_size, self.max_headers, self.max_field_size)
        if self.lax:
            lines = yield from self._read_head_lax(buf)
            message = parse_response_lines(lines, *limits)
            size = sum(map(len, lines)) + 2 * len(lines)
        else:
            buf._check()
            data = buf._data
            size = data.find(b"\r\n\r\n") + 4
            if size < 4:
                size = yield from self._wait_head(buf)
            head = bytes(data[:size])
            del data[:size]
            message = parse_response_head(head, *limits)
        out.feed_data(message, size)
        out.feed_eof()
