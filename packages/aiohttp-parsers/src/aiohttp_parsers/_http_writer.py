# Strategy: the writing half of 2016 ``aiohttp.protocol``.  An HttpMessage
# collects headers (``add_header`` notes the ones that decide framing and
# connection reuse), then ``send_headers`` picks the body framing once:
# chunked, Content-Length or until-close, and writes the head in a single
# ``transport.write``.  Payload filters (compression, re-chunking) are small
# objects chained in the order they were added; 2016 built the same chain out
# of generators passing EOF/EOL marker objects.  Everything written is
# validated enough that nothing a caller passes can split the message
# (CR/LF in header values or the reason phrase is refused).
from __future__ import annotations

import abc
import asyncio
import http
import re
import sys
import zlib
from collections.abc import Collection, Generator
from email.utils import formatdate
from typing import ClassVar, Final, Literal, overload

from multidict import CIMultiDict, istr

from . import hdrs
from .__about__ import __version__
from ._http_parser import HttpVersion, HttpVersion10, HttpVersion11

__all__ = ("HttpMessage", "Request", "Response")

#: Where a message is written: an asyncio transport, or a ``StreamWriter``
#: (then ``write_eof()`` and ``write(drain=True)`` wait for the buffer to drain).
Writable = asyncio.WriteTransport | asyncio.StreamWriter

# 2016 let ``write(drain=True)`` drain after this much output.
_DRAIN_AFTER: Final = 64 * 1024
# Same default as 2016's ``add_chunking_filter``.
DEFAULT_CHUNK_SIZE: Final = 16 * 1024

# RFC 9110 §5.6.2 token, for header names we are asked to write.
_TOKEN_RE: Final = re.compile(r"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
# RFC 9110 §5.5: no CR, LF or NUL in a field value; they would end the line.
_BAD_VALUE_RE: Final = re.compile(r"[\x00\r\n]")


class _WriteResult:
    """What ``HttpMessage.write`` returns: awaiting it drains if asked to.

    Not a coroutine: one left un-awaited leaves no warning behind.
    """

    __slots__ = ("_writer",)

    def __init__(self, writer: asyncio.StreamWriter | None) -> None:
        self._writer = writer

    def __await__(self) -> Generator[None, None, None]:
        if self._writer is not None:
            # The drain coroutine is created only when awaited.
            yield from self._writer.drain().__await__()


_DONE: Final = _WriteResult(None)


class _ChunkingFilter:
    """Re-cut the stream into pieces of ``size`` bytes (the last may be shorter)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        size = self._size
        if len(self._buf) < size:
            return []
        buf = self._buf
        cut = len(buf) - len(buf) % size
        out = [bytes(buf[i : i + size]) for i in range(0, cut, size)]
        del buf[:cut]
        return out

    def flush(self) -> list[bytes]:
        out = [bytes(self._buf)] if self._buf else []
        self._buf.clear()
        return out


class _CompressionFilter:
    """Compress the stream: ``gzip`` or ``deflate`` (zlib format, RFC 9110 §8.4.1.2)."""

    def __init__(self, encoding: str) -> None:
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        self._zlib = zlib.compressobj(wbits=wbits)

    def feed(self, data: bytes) -> list[bytes]:
        out = self._zlib.compress(data)
        return [out] if out else []

    def flush(self) -> list[bytes]:
        return [self._zlib.flush()]


_Filter = _ChunkingFilter | _CompressionFilter


def _check_header(name: str, value: str) -> None:
    if _TOKEN_RE.fullmatch(name) is None:
        raise ValueError(f"invalid header name {name!r}")
    if _BAD_VALUE_RE.search(value) is not None:
        raise ValueError(f"header {name!r} value contains CR, LF or NUL: {value[:100]!r}")


class HttpMessage(abc.ABC):
    """Writes an HTTP/1.x message: start line, headers, then the body.

    Add headers with :meth:`add_header`/:meth:`add_headers`, then
    :meth:`send_headers`; :meth:`write` the body (filters apply) and finish
    with ``await`` :meth:`write_eof`.  The body is framed with
    ``Content-Length`` if one was added, else chunked (HTTP/1.1, or when
    :meth:`enable_chunked_encoding` was called), else by closing the
    connection.

    .. attribute:: headers       ``CIMultiDict[str]`` of headers to send
    .. attribute:: headers_sent  whether :meth:`send_headers` ran
    .. attribute:: length        the Content-Length added, if any
    .. attribute:: chunked       whether chunked encoding was asked for
    .. attribute:: output_length bytes written so far, head included
    .. attribute:: header_encoding how the start line and headers are
       encoded: ``"utf-8"`` as in 2016; a WSGI server sets ``"latin-1"``,
       since PEP 3333 header strings stand for ISO-8859-1 bytes
    """

    #: Headers ``add_header`` ignores (hop-by-hop headers of a proxy).
    HOP_HEADERS: Collection[str] = ()

    SERVER_SOFTWARE: ClassVar[str] = (
        f"Python/{sys.version_info[0]}.{sys.version_info[1]} aiohttp/{__version__}"
    )

    header_encoding = "utf-8"
    upgrade = False  # Connection: upgrade
    websocket = False  # Upgrade: websocket
    has_chunked_hdr = False  # Transfer-Encoding: chunked was added

    # Subclasses (WSGI's start_response) may have write() send the headers.
    _send_headers = False

    def __init__(self, transport: Writable, version: HttpVersion, close: bool) -> None:
        self.transport = transport
        self._version = version
        self.closing = close
        self.keepalive: bool | None = None
        self.chunked = False
        self.length: int | None = None
        self.headers: CIMultiDict[str] = CIMultiDict()
        self.headers_sent = False
        self.output_length = 0
        self.headers_length = 0
        self._output_size = 0
        self._filters: list[_Filter] = []
        self._body_mode: int | None = None  # -1 chunked, -2 until close, else bytes left
        self._eof = False

    @property
    @abc.abstractmethod
    def status_line(self) -> str:
        """The start line, CRLF included."""

    @abc.abstractmethod
    def autochunked(self) -> bool:
        """Whether to use chunked encoding when no length is known."""

    @property
    def version(self) -> HttpVersion:
        """The HTTP version of the message."""
        return self._version

    @property
    def body_length(self) -> int:
        """Bytes of body written so far (framing included)."""
        return self.output_length - self.headers_length

    def force_close(self) -> None:
        """Close the connection after this message."""
        self.closing = True
        self.keepalive = False

    def enable_chunked_encoding(self) -> None:
        """Send the body with chunked transfer coding."""
        self.chunked = True

    def keep_alive(self) -> bool:
        """Whether the connection can be reused after this message."""
        if self.keepalive is None:
            if self.version < HttpVersion10:
                return False
            if self.version == HttpVersion10:
                return self.headers.get(hdrs.CONNECTION) == "keep-alive"
            return not self.closing
        return self.keepalive

    def is_headers_sent(self) -> bool:
        """Whether the headers were sent."""
        return self.headers_sent

    def add_header(self, name: str, value: str) -> None:
        """Add a header; framing and connection headers are interpreted.

        ``Content-Length`` sets :attr:`length`; ``Connection`` sets
        keep-alive or upgrade (and is written by :meth:`send_headers`);
        ``Transfer-Encoding: chunked`` asks for chunked encoding.
        Names must be tokens and values must not contain CR, LF or NUL.
        """
        assert not self.headers_sent, "headers have been sent already"
        value = value.strip()
        _check_header(name, value)
        key = istr(name)
        # Field names are case-insensitive (RFC 9110 section 5.1); istr only
        # makes them so as CIMultiDict keys, not in comparisons.
        lname = name.lower()
        if lname == "content-length":
            if not (value.isascii() and value.isdigit()):
                raise ValueError(f"Content-Length must be a decimal number, got {value!r}")
            self.length = int(value)
        if lname == "transfer-encoding":
            # Framing is ours to write: only remember that chunked was asked.
            self.has_chunked_hdr = value.lower() == "chunked"
            if self.has_chunked_hdr:
                self.chunked = True
            return
        if lname == "connection":
            val = value.lower()
            if "upgrade" in val:
                self.upgrade = True
            elif "close" in val:
                self.keepalive = False
            elif "keep-alive" in val:
                self.keepalive = True
        elif lname == "upgrade":
            if "websocket" in value.lower():
                self.websocket = True
            self.headers[key] = value
        elif not self.HOP_HEADERS or lname not in {h.lower() for h in self.HOP_HEADERS}:
            self.headers.add(key, value)

    def add_headers(self, *headers: tuple[str, str]) -> None:
        """Add several ``(name, value)`` headers."""
        for name, value in headers:
            self.add_header(name, value)

    def _has_body(self) -> bool:
        return True

    def send_headers(self, _sep: str = ": ", _end: str = "\r\n") -> None:
        """Write the start line and headers; fixes the body framing."""
        assert not self.headers_sent, "headers have been sent already"
        self.headers_sent = True
        chunked_ok = self.version >= HttpVersion11
        if (self.chunked or self.autochunked()) and chunked_ok and self._has_body():
            self._body_mode = -1
            # RFC 9112 §6.2: "A sender MUST NOT send a Content-Length header
            # field in any message that contains a Transfer-Encoding header
            # field."
            self.headers.popall(hdrs.CONTENT_LENGTH, None)
            self.headers[hdrs.TRANSFER_ENCODING] = "chunked"
        elif self.length is not None:
            self._body_mode = self.length
        elif self._has_body():
            # RFC 9112 §6.3: without a length, only closing the connection
            # ends the body.
            self._body_mode = -2
            self.force_close()
        else:
            self._body_mode = 0  # no body: anything written is dropped
        self._add_default_headers()
        head = (
            self.status_line
            + "".join([k + _sep + v + _end for k, v in self.headers.items()])
            + _end
        ).encode(self.header_encoding)
        self.output_length += len(head)
        self.headers_length = len(head)
        self.transport.write(head)

    def _add_default_headers(self) -> None:
        connection = None
        if self.upgrade:
            connection = "upgrade"
        elif not self.closing if self.keepalive is None else self.keepalive:
            if self.version == HttpVersion10:
                connection = "keep-alive"
        elif self.version == HttpVersion11:
            connection = "close"
        if connection is not None:
            self.headers[hdrs.CONNECTION] = connection

    def _write_body(self, chunk: bytes) -> None:
        mode = self._body_mode
        if not chunk:
            return
        if mode == -1:
            # An empty chunk would be the last-chunk: never write one here.
            data = b"%x\r\n%b\r\n" % (len(chunk), chunk)
        elif mode == -2:
            data = chunk
        else:
            assert mode is not None
            if mode == 0:
                return  # 2016: bytes past Content-Length are dropped
            data = chunk[:mode]
            self._body_mode = mode - len(data)
        self.output_length += len(data)
        self.transport.write(data)

    @overload
    def write(
        self, chunk: bytes | bytearray | memoryview, *, drain: Literal[False] = False
    ) -> tuple[()]: ...

    @overload
    def write(
        self, chunk: bytes | bytearray | memoryview, *, drain: Literal[True]
    ) -> _WriteResult: ...

    @overload
    def write(
        self, chunk: bytes | bytearray | memoryview, *, drain: bool
    ) -> tuple[()] | _WriteResult: ...

    def write(
        self, chunk: bytes | bytearray | memoryview, *, drain: bool = False
    ) -> tuple[()] | _WriteResult:
        """Write a piece of the body (through the filters).

        As in 2016, returns ``()``; with ``drain=True`` it returns an
        awaitable instead, which (for a ``StreamWriter`` transport, after
        64 KiB were written since the last drain) waits for the output
        buffer to drain: ``await msg.write(data, drain=True)``.
        """
        assert not self._eof, "write() after write_eof()"
        if self._send_headers and not self.headers_sent:
            self.send_headers()
        assert self._body_mode is not None, "send_headers() is not called."
        size = self.output_length
        pieces = [bytes(chunk)]
        for filt in self._filters:
            pieces = [out for piece in pieces for out in filt.feed(piece)]
        for piece in pieces:
            self._write_body(piece)
        self._output_size += self.output_length - size
        if not drain:
            return ()
        if self._output_size > _DRAIN_AFTER and isinstance(self.transport, asyncio.StreamWriter):
            self._output_size = 0
            return _WriteResult(self.transport)
        return _DONE

    async def write_eof(self) -> None:
        """Flush the filters, end the body, and drain a ``StreamWriter``."""
        if self._send_headers and not self.headers_sent:
            self.send_headers()
        assert self._body_mode is not None, "send_headers() is not called."
        if self._eof:
            return
        self._eof = True
        pieces: list[bytes] = []
        for filt in self._filters:
            pieces = [out for piece in pieces for out in filt.feed(piece)] + filt.flush()
        for piece in pieces:
            self._write_body(piece)
        if self._body_mode == -1:
            self.transport.write(b"0\r\n\r\n")
            self.output_length += 5
        if isinstance(self.transport, asyncio.StreamWriter):
            await self.transport.drain()

    def add_chunking_filter(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        """Cut the body into pieces of ``chunk_size`` bytes before writing.

        Filters do not change the transfer coding; with chunked encoding each
        piece becomes one chunk.
        """
        self._filters.append(_ChunkingFilter(chunk_size))

    def add_compression_filter(self, encoding: str = "deflate") -> None:
        """Compress the body with ``deflate`` or ``gzip``.

        Add the matching ``Content-Encoding`` header yourself (as in 2016).
        """
        if encoding not in ("deflate", "gzip"):
            raise ValueError(f"unsupported compression {encoding!r}")
        self._filters.append(_CompressionFilter(encoding))


_NO_BODY_CODES: Final = frozenset({204, 304})


class Response(HttpMessage):
    """An HTTP response.

    :param transport: an asyncio ``WriteTransport`` or ``StreamWriter``.
    :param status: the status code.
    :param http_version: :class:`HttpVersion` (default 1.1).
    :param close: close the connection after this response.
    :param reason: the reason phrase (default from ``http.HTTPStatus``).
    """

    @staticmethod
    def calc_reason(status: int) -> str:
        """The standard reason phrase for ``status`` (``str(status)`` if unknown)."""
        try:
            return http.HTTPStatus(status).phrase
        except ValueError:
            return str(status)

    def __init__(
        self,
        transport: Writable,
        status: int,
        http_version: HttpVersion = HttpVersion11,
        close: bool = False,
        reason: str | None = None,
    ) -> None:
        super().__init__(transport, http_version, close)
        if not 100 <= status <= 999:
            raise ValueError(f"status must be a 3-digit code, got {status!r}")
        self._status = status
        if reason is None:
            reason = self.calc_reason(status)
        elif "\r" in reason or "\n" in reason:
            raise ValueError(f"reason contains CR or LF: {reason[:100]!r}")
        self._reason = reason

    @property
    def status(self) -> int:
        """The status code."""
        return self._status

    @property
    def reason(self) -> str:
        """The reason phrase."""
        return self._reason

    @property
    def status_line(self) -> str:
        """``HTTP/1.1 200 OK\\r\\n``."""
        version = self.version
        return f"HTTP/{version[0]}.{version[1]} {self._status} {self._reason}\r\n"

    def _has_body(self) -> bool:
        # RFC 9110 §15: 1xx, 204 and 304 responses never have content.
        return self._status >= 200 and self._status not in _NO_BODY_CODES

    def autochunked(self) -> bool:
        """HTTP/1.1 responses of unknown length are chunked."""
        return self.length is None and self.version >= HttpVersion11

    def _add_default_headers(self) -> None:
        super()._add_default_headers()
        if hdrs.DATE not in self.headers:
            self.headers[hdrs.DATE] = formatdate(usegmt=True)
        self.headers.setdefault(hdrs.SERVER, self.SERVER_SOFTWARE)


class Request(HttpMessage):
    """An HTTP request.

    :param transport: an asyncio ``WriteTransport`` or ``StreamWriter``.
    :param method: the method (a token).
    :param path: the request-target (no spaces or CR/LF).
    :param http_version: :class:`HttpVersion` (default 1.1).
    :param close: close the connection after this request.

    Add a ``Host`` header for HTTP/1.1 (RFC 9112 §3.2; 2016's client did).
    """

    def __init__(
        self,
        transport: Writable,
        method: str,
        path: str,
        http_version: HttpVersion = HttpVersion11,
        close: bool = False,
    ) -> None:
        if http_version < HttpVersion10:
            close = True
        super().__init__(transport, http_version, close)
        if _TOKEN_RE.fullmatch(method) is None:
            raise ValueError(f"invalid method {method!r}")
        if not path or any(c in path for c in " \r\n\t\x00"):
            raise ValueError(f"invalid request-target {path[:100]!r}")
        self._method = method
        self._path = path

    @property
    def method(self) -> str:
        """The method."""
        return self._method

    @property
    def path(self) -> str:
        """The request-target."""
        return self._path

    @property
    def status_line(self) -> str:
        """``GET /path HTTP/1.1\\r\\n``."""
        version = self.version
        return f"{self._method} {self._path} HTTP/{version[0]}.{version[1]}\r\n"

    def _has_body(self) -> bool:
        # A request without a length has no body (RFC 9112 §6.3): closing
        # the connection cannot delimit it.
        return self.length is not None or self.chunked or self.autochunked()

    def autochunked(self) -> bool:
        """HTTP/1.1 requests of unknown length are chunked (as in 2016)."""
        return self.length is None and self.version >= HttpVersion11

    def _add_default_headers(self) -> None:
        super()._add_default_headers()
        self.headers.setdefault(hdrs.USER_AGENT, self.SERVER_SOFTWARE)
