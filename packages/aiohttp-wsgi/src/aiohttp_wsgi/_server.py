# Strategy: the 2016 ``aiohttp.server.ServerHttpProtocol``: one task per
# connection (``start()``) that loops "parse a request, call handle_request(),
# decide whether to keep the connection". Parsing is aiohttp-parsers' generator
# framework on ``self.reader`` (a StreamParser), so a subclass can take the
# connection over (WebSocket upgrade) by setting its own parser on
# ``self.reader`` and writing to ``self.writer`` inside handle_request().
# Requests are handled one after the other, so pipelined requests are answered
# in order; bytes of a pipelined request are parsed from the buffer once the
# previous response is done, and reading pauses while too many wait there.
# Timers, not per-request tasks, enforce the slow-request and keep-alive
# timeouts: the fast path allocates no futures besides the parser queues.
from __future__ import annotations

import asyncio
import http.server
import logging
import socket
import time
import traceback
from collections.abc import Mapping
from html import escape
from typing import ClassVar, Final

from aiohttp_errors import ClientDisconnectedError, HeadersType, HttpProcessingError
from aiohttp_parsers import (
    HttpPayloadParser,
    HttpRequestParser,
    HttpVersion11,
    RawRequestMessage,
    Response,
    StreamProtocol,
    hdrs,
)
from aiohttp_streams import (
    DEFAULT_LIMIT,
    EmptyStreamReader,
    EofStream,
    FlowControlStreamReader,
    StreamReader,
)

from ._access_log import AccessLogger
from ._log import access_logger, server_logger

__all__ = (
    "ServerHttpProtocol",
    "RESPONSES",
    "DEFAULT_ERROR_MESSAGE",
    "DEFAULT_KEEP_ALIVE",
    "DEFAULT_SLOW_REQUEST_TIMEOUT",
    "DEFAULT_MAX_LINE_SIZE",
    "DEFAULT_MAX_HEADERS",
    "DEFAULT_MAX_FIELD_SIZE",
    "DEFAULT_MAX_PIPELINE_BUFFER",
    "DEFAULT_LINGERING_LIMIT",
    "DEFAULT_LINGERING_TIME",
)

#: Status code -> (reason phrase, long description), as in 2016.
RESPONSES: Final = http.server.BaseHTTPRequestHandler.responses

#: The error page ``handle_error()`` sends (2016 text).
DEFAULT_ERROR_MESSAGE: Final = """<html>
  <head>
    <title>{status} {reason}</title>
  </head>
  <body>
    <h1>{status} {reason}</h1>
    {message}
  </body>
</html>"""

#: Seconds an idle keep-alive connection stays open; nginx's
#: ``keepalive_timeout`` default, same as aiohttp 2016.
DEFAULT_KEEP_ALIVE: Final = 75.0
#: Seconds a client may take from its first byte to the end of the request
#: headers (and a new connection to its first request). aiohttp 0.21 used 15 s;
#: 0.22 turned it off by default, which left slowloris clients holding
#: connections forever, so we keep 15 s. ``timeout=0`` turns it off.
DEFAULT_SLOW_REQUEST_TIMEOUT: Final = 15.0
#: Longest request line; same as aiohttp 2016 (nginx buffers 8 KiB).
DEFAULT_MAX_LINE_SIZE: Final = 8190
#: Most header field lines per request; aiohttp-parsers' default (128, as
#: aiohttp 3.x's C parser; 2016's 32768 was a byte budget, not a count).
DEFAULT_MAX_HEADERS: Final = 128
#: Longest header field; same as aiohttp 2016.
DEFAULT_MAX_FIELD_SIZE: Final = 8190
#: Unparsed bytes (pipelined requests) buffered while a handler runs before
#: reading from the socket pauses: 64 KiB, the stream flow-control default.
DEFAULT_MAX_PIPELINE_BUFFER: Final = DEFAULT_LIMIT
#: Unread request body bytes discarded after the response so the connection
#: can be kept alive (aiohttp 1.x "lingering close"); more than this closes it.
DEFAULT_LINGERING_LIMIT: Final = 2**20
#: Seconds spent discarding an unread request body (aiohttp 1.x ``lingering_timeout``).
DEFAULT_LINGERING_TIME: Final = 5.0

_CONTINUE: Final = b"HTTP/1.1 100 Continue\r\n\r\n"


def _set_tcp_keepalive(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and hasattr(socket, "SO_KEEPALIVE"):
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        except OSError:  # e.g. a UNIX socket on some platforms
            pass


class ServerHttpProtocol(StreamProtocol):
    """An HTTP/1.x server connection: parses requests, calls :meth:`handle_request`.

    Subclasses override ``handle_request(message, payload)``; by default every
    request gets a 404. Errors while parsing get a 400 page (the status of the
    :class:`aiohttp_errors.HttpProcessingError` raised), exceptions from the
    handler a 500 page; the traceback is shown only with ``debug=True``. The
    connection is closed after each request unless the handler called
    ``keep_alive(True)``.

    :param keep_alive: seconds an idle keep-alive connection stays open
        (``None`` or ``0``: no timer; see ``keep_alive_on``).
    :param keep_alive_on: set ``SO_KEEPALIVE`` on the socket and allow
        keep-alive connections without a timer when ``keep_alive`` is off.
    :param timeout: slow request timeout: seconds from the first byte of a
        request (or from connecting) to the end of its headers; ``0`` disables.
    :param logger: logger for debug messages and handler exceptions.
    :param access_log: logger for the access log (``None`` disables it).
    :param access_log_format: see :class:`AccessLogger`.
    :param debug: log debug messages and show tracebacks in error pages.
    :param max_line_size: longest request line.
    :param max_headers: header size limit given to the request parser.
    :param max_field_size: longest header field.
    :param max_pipeline_buffer: unparsed bytes buffered before reading pauses.
    :param lingering_limit: unread body bytes discarded to keep a connection.
    :param lingering_time: seconds spent discarding an unread body.
    :param limit: flow-control high-water mark of the request body stream.
    :param keepalive_timeout: aiohttp 1.x name of ``keep_alive``.
    :param tcp_keepalive: aiohttp 1.x name of ``keep_alive_on``.
    :param slow_request_timeout: aiohttp 1.x name of ``timeout``.

    .. attribute:: reader

       The connection's :class:`aiohttp_parsers.StreamParser`.

    .. attribute:: writer

       The connection's :class:`aiohttp_parsers.StreamWriter` (``None`` once closed).

    .. attribute:: transport
    """

    _request_count: int = 0
    _request_handler: asyncio.Task[None] | None = None
    _reading_request: bool = False
    _keepalive: bool = False
    _closing: bool = False
    _response_started: bool = False
    _continue_pending: bool = False
    # Whether ``start()`` answers ``Expect: 100-continue`` itself before calling
    # handle_request(); a subclass that sends it lazily (when the body is
    # first read) sets this to True and calls send_continue().
    _lazy_continue: ClassVar[bool] = False
    # Undo Content-Encoding of request bodies (2016 default); WSGI hands the
    # body over as sent (PEP 3333 leaves content codings to the application).
    _decompress_body: ClassVar[bool] = True

    def __init__(
        self,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        keep_alive: float | None = DEFAULT_KEEP_ALIVE,
        keep_alive_on: bool = True,
        timeout: float = DEFAULT_SLOW_REQUEST_TIMEOUT,
        logger: logging.Logger = server_logger,
        access_log: logging.Logger | None = access_logger,
        access_log_format: str = AccessLogger.LOG_FORMAT,
        debug: bool = False,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
        max_field_size: int = DEFAULT_MAX_FIELD_SIZE,
        max_pipeline_buffer: int = DEFAULT_MAX_PIPELINE_BUFFER,
        lingering_limit: int = DEFAULT_LINGERING_LIMIT,
        lingering_time: float = DEFAULT_LINGERING_TIME,
        limit: int = DEFAULT_LIMIT,
        keepalive_timeout: float | None = None,
        tcp_keepalive: bool | None = None,
        slow_request_timeout: float | None = None,
    ) -> None:
        super().__init__(loop=loop, disconnect_error=ClientDisconnectedError, limit=limit)
        # aiohttp 1.x spellings of the same settings win when given.
        if keepalive_timeout is not None:
            keep_alive = keepalive_timeout
        if tcp_keepalive is not None:
            keep_alive_on = tcp_keepalive
        if slow_request_timeout is not None:
            timeout = slow_request_timeout
        self._server_loop = loop
        self._keep_alive_on = keep_alive_on
        self._keep_alive_period = keep_alive
        self._timeout = timeout
        self._body_limit = limit
        self._max_pipeline_buffer = max_pipeline_buffer
        self._lingering_limit = lingering_limit
        self._lingering_time = lingering_time
        self._max_line_size = max_line_size
        self._max_headers = max_headers
        self._max_field_size = max_field_size
        self._request_parser = HttpRequestParser(
            max_line_size=max_line_size,
            max_headers=max_headers,
            max_field_size=max_field_size,
        )
        # One watchdog timer per connection serves both timeouts: moving a
        # deadline is an assignment, and the timer re-arms itself when it
        # fires early, so a request costs no TimerHandle churn.
        self._slow_deadline: float | None = None
        self._keep_alive_deadline: float | None = None
        self._watchdog: asyncio.TimerHandle | None = None
        self._watchdog_at = 0.0
        self._closing_handle: asyncio.TimerHandle | None = None
        # After an error answer: bytes still to discard before closing.
        self._linger_left: int | None = None
        self.logger = logger
        self.debug = debug
        self.access_log = access_log
        self.access_logger: AccessLogger | None = (
            AccessLogger(access_log, access_log_format) if access_log is not None else None
        )

    # -- 2016 properties ------------------------------------------------------

    @property
    def keep_alive_timeout(self) -> float | None:
        """Seconds an idle keep-alive connection stays open."""
        return self._keep_alive_period

    @property
    def keepalive_timeout(self) -> float | None:
        """Alias of :attr:`keep_alive_timeout` (the aiohttp 1.x spelling)."""
        return self._keep_alive_period

    @property
    def request_count(self) -> int:
        """How many requests this connection has started."""
        return self._request_count

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop the connection runs on."""
        if self._server_loop is None:
            self._server_loop = asyncio.get_running_loop()
        return self._server_loop

    # -- connection events ----------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        loop = self.loop
        self._request_handler = loop.create_task(self.start())
        if self._timeout:
            self._start_slow_timer()
        if self._keep_alive_on:
            _set_tcp_keepalive(transport)
        if self.writer is not None:
            # Responses leave in as few writes as the server can make; with
            # Nagle's algorithm the last partial segment of a large one would
            # wait for the peer's (possibly delayed) ACK.
            try:
                self.writer.set_tcp_nodelay(True)
            except OSError:  # the peer is already gone
                pass

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._closing = True
        handler = self._request_handler
        if handler is not None:
            self._request_handler = None
            handler.cancel()
        self._cancel_timers()

    def data_received(self, data: bytes) -> None:
        if self._linger_left is not None:
            self._linger_left -= len(data)
            if self._linger_left < 0 and self.transport is not None:
                self.transport.close()
            return
        super().data_received(data)
        if not self._reading_request:
            self._reading_request = True
            self._keep_alive_deadline = None
            if self._timeout and self._slow_deadline is None:
                self._start_slow_timer()
        # While a handler runs no parser is set and bytes of later (pipelined)
        # requests pile up in the buffer: stop reading past the limit. The next
        # set_parser() resumes reading (its flow-controlled output does).
        reader = self.reader
        if (
            reader.output is None
            and not reader.paused
            and len(reader.buffer) > self._max_pipeline_buffer
            and self.transport is not None
        ):
            try:
                self.transport.pause_reading()
            except (AttributeError, NotImplementedError, RuntimeError):
                return
            reader.paused = True

    def eof_received(self) -> bool | None:
        if self._linger_left is not None:
            return None  # the client has read our answer and is done: close
        return super().eof_received()

    def _lingering_close(self) -> None:
        """Close after an error answer without the answer being lost.

        Closing a socket with unread input makes the kernel send a TCP RST,
        and a client that gets it before reading discards the answer (a
        pipelined flood of bad requests would never see its 400). So, as
        nginx's ``lingering_close``: half-close after the answer, discard
        what still arrives (up to ``lingering_limit`` bytes, for at most
        ``lingering_time`` seconds), and close at the client's EOF.
        """
        transport = self.transport
        if transport is None:
            return
        if self._linger_left is not None:
            return
        if not (self._lingering_limit and self._lingering_time) or not transport.can_write_eof():
            transport.close()
            return
        self._linger_left = self._lingering_limit
        transport.write_eof()
        if self.reader.paused:
            try:
                transport.resume_reading()
            except (AttributeError, NotImplementedError, RuntimeError):
                pass
            self.reader.paused = False
        if self._closing_handle is not None:
            self._closing_handle.cancel()
        self._closing_handle = self.loop.call_later(self._lingering_time, transport.close)

    def _cancel_timers(self) -> None:
        self._slow_deadline = self._keep_alive_deadline = None
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if self._closing_handle is not None:
            self._closing_handle.cancel()
            self._closing_handle = None

    def _arm(self, deadline: float) -> None:
        if self._watchdog is None or deadline < self._watchdog_at:
            if self._watchdog is not None:
                self._watchdog.cancel()
            self._watchdog_at = deadline
            self._watchdog = self.loop.call_at(deadline, self._on_watchdog)

    def _start_slow_timer(self) -> None:
        deadline = self.loop.time() + self._timeout
        self._slow_deadline = deadline
        self._arm(deadline)

    def _on_watchdog(self) -> None:
        self._watchdog = None
        now = self.loop.time()
        slow, idle = self._slow_deadline, self._keep_alive_deadline
        if slow is not None and now >= slow:
            self._slow_request_timeout()
        elif idle is not None and now >= idle:
            self._keep_alive_expired()
        else:
            pending = [d for d in (slow, idle) if d is not None]
            if pending:
                self._arm(min(pending))

    def _slow_request_timeout(self) -> None:
        self._slow_deadline = None
        transport = self.transport
        if transport is not None and self._reading_request and not self._response_started:
            # RFC 9110 §15.5.9: 408 "indicates that the server did not receive
            # a complete request message within the time that it was prepared
            # to wait. If the client has an outstanding request in transit, it
            # MAY repeat that request" -- and the server SHOULD send "close".
            body = b"Request Timeout"
            transport.write(
                b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )
        self.cancel_slow_request()

    def _keep_alive_expired(self) -> None:
        self._keep_alive_deadline = None
        if not self._reading_request and self.transport is not None:
            self.log_debug("Close idle keep-alive connection.")
            self.transport.close()

    # -- 2016 public methods --------------------------------------------------

    def keep_alive(self, val: bool) -> None:
        """Set keep-alive connection mode.

        :param bool val: keep the connection open after this request.
        """
        self._keepalive = val

    def cancel_slow_request(self) -> None:
        """Cancel the request handler and close the connection (slow client)."""
        handler = self._request_handler
        if handler is not None:
            self._request_handler = None
            handler.cancel()
        if self.transport is not None:
            self.transport.close()
        self.log_debug("Close slow request.")

    def closing(self, timeout: float = 15.0) -> None:
        """Stop accepting requests on this connection: the server is going down.

        An idle connection is closed at once; a request in progress is allowed
        ``timeout`` seconds to finish (then it is cancelled), and the connection
        is closed after its response.
        """
        self._keepalive = False
        self._keep_alive_on = False
        self._keep_alive_period = None
        self._closing = True
        if not self._reading_request and self.transport is not None:
            handler = self._request_handler
            if handler is not None:
                self._request_handler = None
                handler.cancel()
            self.transport.close()
        elif self.transport is not None and timeout:
            if self._closing_handle is not None:
                self._closing_handle.cancel()
            self._closing_handle = self.loop.call_later(timeout, self.cancel_slow_request)

    async def shutdown(self, timeout: float = 15.0) -> None:
        """:meth:`closing`, then wait (up to ``timeout`` s) until the connection is done."""
        handler = self._request_handler
        self.closing(timeout)
        if handler is not None and not handler.done():
            await asyncio.wait({handler}, timeout=timeout)
            if not handler.done():
                handler.cancel()
        if self.transport is not None:
            self.transport.close()

    def send_continue(self) -> None:
        """Answer a pending ``Expect: 100-continue`` with ``100 Continue`` now."""
        if self._continue_pending:
            self._continue_pending = False
            if self.transport is not None:
                self.transport.write(_CONTINUE)

    def log_access(
        self,
        message: RawRequestMessage | None,
        environ: dict[str, object] | None,
        response: Response,
        time: float,
    ) -> None:
        """Write the access log line of one request."""
        if self.access_logger is not None:
            self.access_logger.log(message, environ, response, self.transport, time)

    def log_debug(self, *args: object) -> None:
        """``logger.debug(*args)`` when ``debug=True``."""
        if self.debug:
            self.logger.debug(*args)

    def log_exception(self, *args: object) -> None:
        """``logger.exception(*args)``."""
        self.logger.exception(*args)

    # -- the request loop -----------------------------------------------------

    def _make_payload(self, message: RawRequestMessage) -> StreamReader:
        headers = message.headers
        # RFC 9112 §6.3: without Transfer-Encoding or Content-Length a request
        # has no content (the parser already rejected conflicting framing).
        if hdrs.TRANSFER_ENCODING not in headers:
            length = headers.get(hdrs.CONTENT_LENGTH)
            if length is None or length == "0":
                return EmptyStreamReader()
        payload = FlowControlStreamReader(self.reader, limit=self._body_limit, loop=self.loop)
        parser = HttpPayloadParser(
            message,
            compression=self._decompress_body,
            max_line_size=self._max_line_size,
            max_headers=self._max_headers,
            max_field_size=self._max_field_size,
        )
        self.reader.set_parser(parser, payload)
        return payload

    async def start(self) -> None:
        """Process requests on this connection until it closes.

        Reads request line, headers and body, then calls :meth:`handle_request`;
        handles errors in parsing and handling. The connection is closed unless
        ``keep_alive(True)`` was set by the handler.
        """
        reader = self.reader
        message: RawRequestMessage | None = None
        try:
            while not self._closing:
                message = None
                self._keepalive = False
                self._response_started = False
                self._continue_pending = False
                self._request_count += 1
                if len(reader.buffer):
                    # a pipelined request is already here
                    self._reading_request = True
                    if self._timeout and self._slow_deadline is None:
                        self._start_slow_timer()
                else:
                    self._reading_request = False
                    if self._request_count > 1 and self._keep_alive_period:
                        deadline = self.loop.time() + self._keep_alive_period
                        self._keep_alive_deadline = deadline
                        self._arm(deadline)

                message = await reader.set_parser(self._request_parser).read()
                self._slow_deadline = None

                payload = self._make_payload(message)
                if (
                    message.version >= (1, 1)
                    and not payload.is_eof()
                    and message.headers.get(hdrs.EXPECT, "").lower() == "100-continue"
                ):
                    self._continue_pending = True
                    if not self._lazy_continue:
                        self.send_continue()

                await self.handle_request(message, payload)

                if self.transport is None:
                    break
                if not payload.is_eof() and not await self._discard_body(payload):
                    self.log_debug("Uncompleted request.")
                    # Unread input would turn the close into a TCP reset
                    # that can destroy the answer just sent.
                    self._lingering_close()
                    break
                if not (self._keepalive and self._keep_alive_on):
                    break
        except asyncio.CancelledError:
            self.log_debug("Ignored premature client disconnection.")
        except (EofStream, ClientDisconnectedError, ConnectionError):
            self.log_debug("Ignored premature client disconnection #1.")
        except HttpProcessingError as exc:
            await self.handle_error(exc.code, message, None, exc, exc.headers, exc.message)
        except Exception as exc:
            await self.handle_error(500, message, None, exc)
        finally:
            self._request_handler = None
            if self._linger_left is None:
                self._cancel_timers()
                if self.transport is not None:
                    self.transport.close()

    async def _discard_body(self, payload: StreamReader) -> bool:
        """Read and drop the rest of an unread request body; ``False``: close instead."""
        if self._continue_pending or self._closing or not self._lingering_limit:
            # The client was not told to send the body (or we are going
            # away): it may never come, so the connection cannot be reused.
            return False
        loop = self.loop
        deadline = loop.time() + self._lingering_time
        left = self._lingering_limit
        try:
            while not payload.is_eof():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                chunk = await asyncio.wait_for(payload.readany(), remaining)
                left -= len(chunk)
                if left < 0:
                    return False
        except (asyncio.TimeoutError, EofStream, ClientDisconnectedError):
            return False
        return True

    async def handle_error(
        self,
        status: int = 500,
        message: RawRequestMessage | None = None,
        payload: StreamReader | None = None,
        exc: BaseException | None = None,
        headers: HeadersType | None = None,
        reason: str | None = None,
    ) -> None:
        """Answer with an error page and close the connection.

        ``status`` 500 logs the exception; the traceback goes into the page only
        with ``debug=True``. When the response had already started, nothing
        more can be sent: the connection is just closed.
        """
        now = time.monotonic()
        try:
            if status >= 500:
                self.log_exception("Error handling request")
            else:
                self.log_debug("Bad request: %s", exc)
            if self.transport is None or self.writer is None:
                return
            if self._response_started:
                return

            try:
                short, long = RESPONSES[status]
            except KeyError:
                status, (short, long) = 500, ("Internal Server Error", "")
            text = escape(reason) if reason else escape(long)
            if self.debug and exc is not None:
                tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                text += f"<br><h2>Traceback:</h2>\n<pre>{escape(tb)}</pre>"
            html = DEFAULT_ERROR_MESSAGE.format(
                status=status, reason=escape(short), message=text
            ).encode("utf-8")

            version = message.version if message is not None else HttpVersion11
            response = Response(self.writer, status, http_version=version, close=True)
            response.add_header(hdrs.CONTENT_TYPE, "text/html; charset=utf-8")
            response.add_header(hdrs.CONTENT_LENGTH, str(len(html)))
            if headers is not None:
                items = headers.items() if isinstance(headers, Mapping) else headers
                for name, value in items:
                    response.add_header(name, value)
            response.send_headers()
            response.write(html)
            await response.write_eof()
            self.log_access(message, None, response, time.monotonic() - now)
        except (ConnectionError, ClientDisconnectedError, asyncio.CancelledError):
            pass
        finally:
            self.keep_alive(False)
            self._lingering_close()

    async def handle_request(self, message: RawRequestMessage, payload: StreamReader) -> None:
        """Handle one request; override this. The default answers 404."""
        now = time.monotonic()
        assert self.writer is not None
        response = Response(self.writer, 404, http_version=message.version, close=True)
        body = b"Page Not Found!"
        response.add_header(hdrs.CONTENT_TYPE, "text/plain")
        response.add_header(hdrs.CONTENT_LENGTH, str(len(body)))
        response.send_headers()
        response.write(body)
        self.keep_alive(False)
        await response.write_eof()
        self.log_access(message, None, response, time.monotonic() - now)
