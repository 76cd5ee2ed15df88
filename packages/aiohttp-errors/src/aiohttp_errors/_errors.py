# Strategy: one rooted hierarchy, names and bases exactly as aiohttp 1.0 (2016)
# spelled them, so ``except aiohttp.errors.X`` in old code keeps catching the
# same things. HTTP-level errors carry ``code`` (the status a server should
# answer with), ``message`` and optional ``headers``; parser errors subclass
# ``BadHttpMessage`` so a server maps all of them to 400 by default.
from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

__all__ = (
    "DisconnectedError",
    "ClientDisconnectedError",
    "ServerDisconnectedError",
    "WSClientDisconnectedError",
    "HttpProcessingError",
    "BadHttpMessage",
    "HttpMethodNotAllowed",
    "HttpBadRequest",
    "HttpProxyError",
    "BadStatusLine",
    "LineTooLong",
    "InvalidHeader",
    "ContentEncodingError",
    "TransferEncodingError",
    "ClientError",
    "ClientHttpProcessingError",
    "ClientConnectionError",
    "ClientOSError",
    "ClientTimeoutError",
    "ProxyConnectionError",
    "ClientRequestError",
    "ClientResponseError",
    "FingerprintMismatch",
    "WSServerHandshakeError",
    "ParserError",
    "LineLimitExceededParserError",
    "InvalidURL",
    "HeadersType",
)

#: What ``headers=`` accepts: a mapping or a sequence of ``(name, value)`` pairs,
#: both written out as extra response headers by a server's error page.
HeadersType = Mapping[str, str] | Iterable[tuple[str, str]]

# Error messages quote at most this much of the offending input, so a hostile
# peer cannot make us log megabytes.
_QUOTE_LIMIT = 100


def _quote(data: bytes | str) -> str:
    """Render offending input for an error message, cut to a safe length."""
    if isinstance(data, bytes):
        text = data[:_QUOTE_LIMIT].decode("utf-8", "backslashreplace")
    else:
        text = data[:_QUOTE_LIMIT]
    suffix = "..." if len(data) > _QUOTE_LIMIT else ""
    return repr(text) + suffix


class DisconnectedError(Exception):
    """The peer went away."""


class ClientDisconnectedError(DisconnectedError):
    """The client closed the connection."""


class ServerDisconnectedError(DisconnectedError):
    """The server closed the connection."""


class WSClientDisconnectedError(ClientDisconnectedError):
    """The WebSocket client closed the connection (deprecated alias kept from 2016)."""


class ClientError(Exception):
    """Base class for client errors."""


class ClientHttpProcessingError(ClientError):
    """Base class for client HTTP processing errors."""


class ClientRequestError(ClientHttpProcessingError):
    """Connection error while sending a request."""


class ClientResponseError(ClientHttpProcessingError):
    """Connection error while reading a response."""


class ClientConnectionError(ClientError):
    """Base class for client socket errors."""


class ClientOSError(ClientConnectionError, OSError):
    """An ``OSError`` raised while talking to the server."""


class ClientTimeoutError(ClientConnectionError, asyncio.TimeoutError):
    """The client timed out; also an :class:`asyncio.TimeoutError`."""


class ProxyConnectionError(ClientConnectionError):
    """The connection to a proxy could not be established."""


class FingerprintMismatch(ClientConnectionError):
    """The server's SSL certificate does not match the expected fingerprint.

    .. attribute:: expected
    .. attribute:: got
    .. attribute:: host
    .. attribute:: port
    """

    def __init__(self, expected: bytes, got: bytes, host: str, port: int) -> None:
        self.expected = expected
        self.got = got
        self.host = host
        self.port = port
        super().__init__(expected, got, host, port)

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__name__} expected={self.expected!r} "
            f"got={self.got!r} host={self.host!r} port={self.port!r}>"
        )


class HttpProcessingError(Exception):
    """An HTTP error with the status a server should answer with.

    :param code: the HTTP status code; the class default when ``None``.
    :param message: a human-readable reason.
    :param headers: extra headers for the error response.

    .. attribute:: code
    .. attribute:: message
    .. attribute:: headers
    """

    code: int = 0
    message: str = ""
    headers: HeadersType | None = None

    def __init__(
        self,
        *,
        code: int | None = None,
        message: str = "",
        headers: HeadersType | None = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.headers = headers
        self.message = message
        super().__init__(f"{self.code}, message={message!r}")


class WSServerHandshakeError(HttpProcessingError):
    """The WebSocket handshake was refused."""


class HttpProxyError(HttpProcessingError):
    """A proxy answered ``CONNECT`` with a status other than 200."""


class HttpMethodNotAllowed(HttpProcessingError):
    """405: the method is not allowed."""

    code = 405
    message = "Method Not Allowed"


class BadHttpMessage(HttpProcessingError):
    """400: the peer sent a malformed HTTP message."""

    code = 400
    message = "Bad Request"

    def __init__(self, message: str, *, headers: HeadersType | None = None) -> None:
        super().__init__(message=message, headers=headers)


class HttpBadRequest(BadHttpMessage):
    """400: a bad request."""

    code = 400
    message = "Bad Request"


class ContentEncodingError(BadHttpMessage):
    """The body could not be decoded with its ``Content-Encoding``."""


class TransferEncodingError(BadHttpMessage):
    """The body's transfer coding (e.g. chunked framing) is malformed."""


class LineTooLong(BadHttpMessage):
    """A line (start line, header, chunk-size line) exceeds its limit.

    :param line: what was being read, e.g. ``"request line"``.
    :param limit: the limit in bytes.
    """

    def __init__(self, line: str, limit: int | str = "Unknown") -> None:
        super().__init__(f"got more than {limit} bytes when reading {line}")
        self.line = line
        self.limit = limit


class InvalidHeader(BadHttpMessage):
    """A header line is malformed.

    .. attribute:: hdr

       The offending header (decoded, cut to 100 characters in the message).
    """

    def __init__(self, hdr: bytes | str, reason: str = "") -> None:
        if isinstance(hdr, bytes):
            hdr = hdr.decode("utf-8", "surrogateescape")
        text = f"Invalid HTTP Header: {_quote(hdr)}"
        if reason:
            text += f" ({reason})"
        super().__init__(text)
        self.hdr = hdr


class BadStatusLine(BadHttpMessage):
    """The request or status line is malformed.

    .. attribute:: line

       The offending line (or a description of what was wrong).
    """

    def __init__(self, line: bytes | str = "", reason: str = "") -> None:
        if isinstance(line, bytes):
            line = line.decode("utf-8", "surrogateescape")
        text = _quote(line) if line else repr(line)
        if reason:
            text = f"{reason}: {text}"
        super().__init__(f"Bad status line {text}")
        self.args = (line,) if not reason else (line, reason)
        self.line = line


class ParserError(Exception):
    """Base class for errors of the generic stream parsers (``aiohttp.parsers``)."""


class LineLimitExceededParserError(ParserError, HttpBadRequest):
    """A parser read past its line or size limit.

    .. attribute:: limit
    """

    def __init__(self, msg: str, limit: int) -> None:
        HttpBadRequest.__init__(self, msg)
        self.limit = limit


class InvalidURL(ValueError):
    """A URL could not be parsed.

    .. attribute:: url
    """

    def __init__(self, url: object) -> None:
        super().__init__(url)
        self.url = url

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {self.url}>"
