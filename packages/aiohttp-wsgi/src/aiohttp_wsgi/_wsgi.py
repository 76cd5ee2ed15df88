# Strategy: the 2016 ``aiohttp.wsgi`` protocol made PEP 3333 compliant. By
# default the application runs in a thread pool, so a blocking application
# (every real WSGI framework) never stalls the event loop; all socket I/O stays
# on the loop (a WorkerPool batches the hand-offs, see _pool.py). From the
# worker thread, body chunks are handed to the loop in order without waiting
# (the pool's batched caller, else ``call_soon_threadsafe``), and every
# DEFAULT_SYNC_BYTES, or whenever the transport is above its high-water mark,
# the thread waits for the loop to drain: memory stays bounded and a slow
# reader slows the app down. A list/tuple result (the common "return [body]")
# is written by the loop in one go after the thread returns, with a
# Content-Length computed from it and a head joined from strings (_fast_head).
# Any other result streams: its head is joined from strings as well and the
# body framed by _stream_body, flushed once per loop iteration, so a short
# streamed body and its end usually share the head's send().
# ``executor=False`` runs the application on the loop, as in 2016.
from __future__ import annotations

import asyncio
import inspect
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from email.utils import formatdate
from typing import IO, TYPE_CHECKING, ClassVar, Final, Literal

from aiohttp_errors import ClientDisconnectedError
from aiohttp_parsers import RawRequestMessage, Response, StreamWriter, hdrs
from aiohttp_streams import StreamReader

from ._environ import environ_base, request_environ
from ._fast_head import fast_head, stream_head
from ._file_wrapper import FileWrapper
from ._pool import WorkerPool
from ._server import ServerHttpProtocol
from ._start_response import ExcInfo, StartResponseState
from ._stream_body import StreamBody
from ._wsgi_input import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_MAX_REQUEST_BODY_SIZE,
    DEFAULT_SPOOL_SIZE,
    WsgiInput,
    read_payload,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ("WSGIServerHttpProtocol", "WsgiResponse", "DEFAULT_SYNC_BYTES", "DEFAULT_SEND_TIMEOUT")

#: Seconds the response waits for a client that reads nothing before the
#: connection is aborted; nginx's ``send_timeout`` default.
DEFAULT_SEND_TIMEOUT: Final = 60.0
#: Bytes a worker thread may hand to the loop before it waits for them to be
#: written: bounds the memory a fast application can queue for a slow client.
DEFAULT_SYNC_BYTES: Final = 2**18


class _DateCache:
    """The ``Date`` header value (RFC 9110 §6.6.1, one-second resolution), made
    once a second instead of once a response."""

    second = -1
    value = ""

    def __call__(self) -> str:
        now = int(time.time())
        if now != self.second:
            # Benign race between loops in threads: both write the same value.
            self.value = formatdate(now, usegmt=True)
            self.second = now
        return self.value


_http_date: Final = _DateCache()


class _Coalescer(asyncio.WriteTransport):
    """Collects what a Response writes, so status line, headers and body leave
    in one ``send()`` instead of one per piece."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.parts.append(bytes(data))

    def is_closing(self) -> bool:
        return False


class WsgiResponse:
    """The ``start_response()`` callable and response writer of one WSGI request.

    Headers are sent with the first non-empty body chunk, or at the end (PEP
    3333 "Buffering and Streaming"), so ``start_response`` may be called again
    with ``exc_info`` until then. A ``HEAD`` request gets the headers only.

    .. attribute:: status

       The status line the application gave, or ``None``.

    .. attribute:: response

       The :class:`aiohttp_parsers.Response` once headers are sent, else ``None``.
    """

    def __init__(
        self,
        writer: StreamWriter,
        message: RawRequestMessage,
        *,
        protocol: ServerHttpProtocol | None = None,
    ) -> None:
        self.writer = writer
        self.message = message
        self._response: Response | None = None
        # (date, body chunks) of a response sent by _write_complete(): the
        # Response object is only made if someone asks for it.
        self._fast: tuple[str, list[bytes] | tuple[bytes, ...]] | None = None
        # A streamed body sent without a Response (see _begin_stream()).
        self._stream: StreamBody | None = None
        self._flush_soon = False
        self._protocol = protocol
        self._head = message.method == "HEAD"
        self._state = StartResponseState(self._app_write)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread_mode = False
        # How the application thread asks the loop to write (FIFO): the
        # pool's batched caller, or loop.call_soon_threadsafe.
        self._call_soon: Callable[..., object] | None = None
        self._unsynced = 0
        self._out: _Coalescer | None = None  # made by _start(): the fast path needs none
        self._complete_close = False
        #: Seconds to wait for a client that does not read the response.
        self.send_timeout: float | None = DEFAULT_SEND_TIMEOUT

    @property
    def status(self) -> str | None:
        return self._state.status

    @property
    def response(self) -> Response | None:
        """The :class:`aiohttp_parsers.Response` once headers are sent, else ``None``."""
        resp = self._response
        if resp is None and self._fast is not None:
            # Made now with the same inputs, so it describes what was sent.
            date, chunks = self._fast
            resp = self._start(sum(map(len, chunks)), date)
            for chunk in chunks:
                resp.write(chunk)
            if self._out is not None:
                self._out.parts.clear()
        elif resp is None and self._stream is not None:
            # The same head (same inputs); the body went out through _stream.
            stream = self._stream
            resp = self._start(None, stream.date)
            resp.output_length = stream.output_length
            if self._out is not None:
                self._out.parts.clear()
        return resp

    @response.setter
    def response(self, value: Response | None) -> None:
        self._response = value

    def start_response(
        self,
        status: str,
        headers: list[tuple[str, str]],
        exc_info: ExcInfo | None = None,
        /,
    ) -> Callable[[bytes], None]:
        """PEP 3333 ``start_response(status, response_headers, exc_info=None)``."""
        self._state(status, headers, exc_info)
        return self._app_write

    # -- loop side ------------------------------------------------------------

    def _flush(self) -> None:
        if self._out is None:
            return
        parts = self._out.parts
        if parts:
            data = parts[0] if len(parts) == 1 else b"".join(parts)
            parts.clear()
            self.writer.write(data)

    def send_headers(self, content_length: int | None = None) -> Response:
        """Send the status line and headers (once); return the response.

        ``content_length`` is added as ``Content-Length`` when the application
        gave none (and the status allows a body).
        """
        resp = self._start(content_length)
        self._flush()
        return resp

    def _start(self, content_length: int | None = None, date: str | None = None) -> Response:
        resp = self._response
        if resp is not None:
            return resp
        if date is None and (self._fast is not None or self._stream is not None):
            # The head went out without a Response: none is sent now.
            resp = self.response
            assert resp is not None
            return resp
        state = self._state
        if state.status is None:
            raise RuntimeError("the application did not call start_response()")
        message = self.message
        if self._out is None:
            self._out = _Coalescer()
        resp = Response(
            self._out,
            state.status_code,
            http_version=message.version,
            close=message.should_close or state.close,
            reason=state.reason or None,
        )
        # PEP 3333: status and header strings are ISO-8859-1 bytes as text
        # (start_response already refused anything else).
        resp.header_encoding = "latin-1"
        have_length = have_date = False
        headers = resp.headers
        for name, value in state.headers:
            lname = name.lower()
            if lname == "content-length":
                have_length = True
                # Checks the number and sets resp.length. The canonical name:
                # add_header() recognises Content-Length case-sensitively.
                resp.add_header(hdrs.CONTENT_LENGTH, value)
                continue
            if lname == "date":
                have_date = True
            # StartResponseState checked name and value more strictly than
            # add_header() would, and dropped the hop-by-hop fields it handles.
            headers.add(name, value.strip())
        if not have_date:
            headers[hdrs.DATE] = date or _http_date()
        # RFC 9110 §8.6: "A server MUST NOT send a Content-Length header field
        # in any response with a status code of 1xx (Informational) or 204".
        no_body = state.status_code < 200 or state.status_code in (204, 304)
        if not have_length and content_length is not None and not no_body:
            resp.add_header(hdrs.CONTENT_LENGTH, str(content_length))
        protocol = self._protocol
        if protocol is not None:
            if protocol._continue_pending:
                # The client still waits for 100-continue and will not send
                # the body: the connection cannot be reused (RFC 9110 §10.1.1).
                resp.force_close()
            protocol._response_started = True
        resp.send_headers()
        state.headers_sent = True
        self._response = resp
        return resp

    def _head_without_response(self) -> bool:
        """Whether the head may be joined from strings (see _fast_head).

        Not for what Response frames specially: HEAD, 1xx/204/304, a pending
        100-continue (the connection must close), or no status yet (_start()
        raises).
        """
        state = self._state
        code = state.status_code
        if self._head or state.status is None or code < 200 or code in (204, 304):
            return False
        protocol = self._protocol
        return protocol is None or not protocol._continue_pending

    def _begin_stream(self) -> StreamBody | None:
        """Send the head of a streamed body without a Response (see _fast_head).

        ``None`` leaves the response to the Response path: see
        _head_without_response(), or a head stream_head declines.
        """
        if not self._head_without_response():
            return None
        state = self._state
        code = state.status_code
        protocol = self._protocol
        message = self.message
        date = _http_date()
        made = stream_head(
            message.version,
            code,
            state.reason or Response.calc_reason(code),
            state.headers,
            message.should_close or state.close,
            date,
            Response.SERVER_SOFTWARE,
        )
        if made is None:
            return None
        head, length, chunked, close = made
        if protocol is not None:
            protocol._response_started = True
        state.headers_sent = True
        stream = self._stream = StreamBody(head, length, chunked, close, date)
        return stream

    def _streaming(self) -> StreamBody | None:
        """The streamed body, begun now if nothing was sent yet."""
        stream = self._stream
        if stream is None and self._response is None and self._fast is None:
            stream = self._begin_stream()
        return stream

    def _flush_stream(self) -> None:
        self._flush_soon = False
        stream = self._stream
        if stream is not None and stream.pending:
            self.writer.write(stream.take())

    def _flush_stream_soon(self) -> None:
        # Later in this loop iteration at the latest: no wait on the
        # application, so no block is delayed (PEP 3333 "Buffering and
        # Streaming"); what else its thread handed over meanwhile (the end of
        # the body, usually) leaves in the same send().
        if not self._flush_soon:
            self._flush_soon = True
            asyncio.get_running_loop().call_soon(self._flush_stream)

    def write(self, data: bytes) -> None:
        """Write a body chunk (loop side), sending the headers first."""
        if not data:
            return
        stream = self._streaming()
        if stream is not None:
            stream.write(data)
            self._flush_stream()
            return
        resp = self._start()
        if not self._head:
            resp.write(data)
        self._flush()

    async def write_eof(self, content_length: int | None = None) -> None:
        """Finish the response (loop side)."""
        # content_length is for the Response path (it adds the header).
        stream = self._stream if content_length is not None else self._streaming()
        if stream is not None:
            stream.end()
            self._flush_stream()
            if getattr(self._protocol, "_paused", True):
                await self.drain()
            return
        resp = self._start(content_length)
        # RFC 9110 §9.3.2: HEAD responses carry the GET headers but no
        # content, not even a chunked body's last-chunk.
        if not self._head:
            await resp.write_eof()  # to the coalescer: nothing to wait for
        self._flush()
        await self.drain()

    async def drain(self) -> None:
        """Wait until the socket took what was written (``send_timeout`` bounds it)."""
        protocol = self._protocol
        timeout = self.send_timeout
        if not timeout or not getattr(protocol, "_paused", False):
            await self.writer.drain()
            return
        try:
            await asyncio.wait_for(self.writer.drain(), timeout)
        except asyncio.TimeoutError:
            # The client stopped reading: free the worker instead of waiting
            # forever (a slow-reading client must not pin a thread).
            self.writer.transport.abort()
            raise ClientDisconnectedError(f"client read nothing for {timeout:g} seconds") from None

    async def write_all(self, chunks: list[bytes] | tuple[bytes, ...]) -> None:
        """Send a whole response body known up front, with a Content-Length."""
        if self._write_complete(chunks):
            if getattr(self._protocol, "_paused", True):
                await self.drain()
            return
        stream = self._stream
        if stream is not None:  # write() went first: the list follows it
            for chunk in chunks:
                if chunk:
                    stream.write(chunk)
            await self.write_eof()
            return
        resp = self._start(sum(len(chunk) for chunk in chunks))
        if not self._head:
            for chunk in chunks:
                resp.write(chunk)
        await self.write_eof()

    def _write_complete(self, chunks: list[bytes] | tuple[bytes, ...]) -> bool:
        """Send head and body in one write, without a Response (see _fast_head)."""
        state = self._state
        if (
            self._response is not None
            or self._fast is not None
            or self._stream is not None
            or state.headers_sent  # write() was used: its chunks go first
            or not self._head_without_response()
        ):
            return False
        code = state.status_code
        protocol = self._protocol
        message = self.message
        if message.version < (1, 0):
            return False
        close = message.should_close or state.close
        date = _http_date()
        length = sum(map(len, chunks))
        head = fast_head(
            message.version,
            code,
            state.reason or Response.calc_reason(code),
            state.headers,
            length,
            close,
            date,
            Response.SERVER_SOFTWARE,
        )
        if head is None:
            return False
        if protocol is not None:
            protocol._response_started = True
        state.headers_sent = True
        self._fast = (date, chunks)
        self._complete_close = close
        self.writer.transport.write(b"".join((head, *chunks)) if length else head)
        return True

    async def _awrite(self, data: bytes) -> None:
        self.write(data)
        await self.drain()

    def _write_nowait(self, data: bytes) -> None:
        if self.writer.transport.is_closing():
            return
        stream = self._streaming()
        if stream is None:
            self.write(data)
            return
        stream.write(data)
        self._flush_stream_soon()

    def _end_nowait(self) -> None:
        """The application's thread finished a streamed body."""
        stream = self._stream
        if stream is not None and not stream.ended and not self.writer.transport.is_closing():
            stream.end()
            self._flush_stream_soon()

    # -- application side -----------------------------------------------------

    def _app_write(self, data: bytes) -> None:
        """The ``write()`` callable of PEP 3333 and the sink of the result iterable."""
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"WSGI body chunks must be bytes, got {type(data).__name__}")
        if not data:
            return
        loop = self._loop
        if loop is None or not self._thread_mode:
            self.write(bytes(data))
            return
        if self.writer.transport.is_closing():
            raise ClientDisconnectedError("client disconnected")
        if self._state.status is None:
            raise AssertionError("write() before start_response() (PEP 3333)")
        # From the application's side the headers are out once it produced a
        # body chunk, even if the loop has not written it yet: a later
        # start_response(..., exc_info) must re-raise, not change the status.
        self._state.headers_sent = True
        self._unsynced += len(data)
        paused = getattr(self._protocol, "_paused", False)
        if self._unsynced >= DEFAULT_SYNC_BYTES or paused:
            self._unsynced = 0
            asyncio.run_coroutine_threadsafe(self._awrite(bytes(data)), loop).result()
        else:
            (self._call_soon or loop.call_soon_threadsafe)(self._write_nowait, bytes(data))


class WSGIServerHttpProtocol(ServerHttpProtocol):
    """An HTTP server protocol that serves a PEP 3333 WSGI application.

    :param app: the WSGI application.
    :param readpayload: read the whole body before calling the application
        (``wsgi.input`` is then a rewound temporary file); otherwise
        ``wsgi.input`` streams the body as the application reads it.
    :param is_ssl: set ``wsgi.url_scheme`` to ``https`` (it is also when the
        transport is TLS).
    :param executor: where the application runs: ``None`` (default) is the
        event loop's default thread pool (``loop.set_default_executor()``
        changes it); pass an executor to size it yourself (a
        :class:`WorkerPool` hands requests over with the least overhead);
        ``False`` runs the application on the event loop itself (2016
        behaviour; only for applications that never block; the body is then
        read up front).
    :param multiprocess: the value of ``wsgi.multiprocess``.
    :param script_name: ``SCRIPT_NAME`` of the application (default: the
        ``SCRIPT_NAME`` environment variable, as in 2016).
    :param spool_size: bytes of a body read up front kept in memory.
    :param max_request_body_size: largest body read up front (else 413).
    :param body_timeout: seconds a body read waits for more bytes from the
        client (else 408); ``None`` or ``0``: wait forever.
    :param send_timeout: seconds to wait for a client that stops reading the
        response before aborting the connection; ``None`` or ``0``: forever.

    Other keyword arguments go to :class:`ServerHttpProtocol`.
    """

    SCRIPT_NAME: ClassVar[str] = os.environ.get("SCRIPT_NAME", "")
    _lazy_continue: ClassVar[bool] = True
    _decompress_body: ClassVar[bool] = False

    def __init__(
        self,
        app: WSGIApplication,
        readpayload: bool = False,
        is_ssl: bool = False,
        *,
        executor: Executor | Literal[False] | None = None,
        multiprocess: bool = False,
        script_name: str | None = None,
        spool_size: int = DEFAULT_SPOOL_SIZE,
        max_request_body_size: int = DEFAULT_MAX_REQUEST_BODY_SIZE,
        body_timeout: float | None = DEFAULT_BODY_TIMEOUT,
        send_timeout: float | None = DEFAULT_SEND_TIMEOUT,
        **kw: object,
    ) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]  # checked by ServerHttpProtocol
        self.wsgi = app
        self.is_ssl = is_ssl
        self.readpayload = readpayload
        self._executor = executor
        self._multiprocess = multiprocess
        self._script_name = self.SCRIPT_NAME if script_name is None else script_name
        self._spool_size = spool_size
        self._max_request_body_size = max_request_body_size
        self._body_timeout = body_timeout
        self._send_timeout = send_timeout
        self._environ_base: dict[str, object] | None = None

    def create_wsgi_response(self, message: RawRequestMessage) -> WsgiResponse:
        """Create the :class:`WsgiResponse` of one request."""
        assert self.writer is not None
        response = WsgiResponse(self.writer, message, protocol=self)
        response.send_timeout = self._send_timeout
        return response

    def create_wsgi_environ(self, message: RawRequestMessage, payload: object) -> dict[str, object]:
        """Build the PEP 3333 environ of one request; ``payload`` is ``wsgi.input``."""
        base = self._environ_base
        if base is None:
            # Built at the first request: the connection's addresses do not change.
            transport = self.transport
            peername = sockname = None
            secure = self.is_ssl
            if transport is not None:
                peername = transport.get_extra_info("peername")
                sockname = transport.get_extra_info("sockname")
                secure = secure or transport.get_extra_info("sslcontext") is not None
            base = self._environ_base = environ_base(
                peername=peername,
                sockname=sockname,
                url_scheme="https" if secure else "http",
                script_name=self._script_name,
                multithread=self._executor is not False,
                multiprocess=self._multiprocess,
                file_wrapper=FileWrapper,
            )
        return request_environ(
            base,
            method=message.method,
            target=message.path,
            version=message.version,
            headers=_native_headers(message),
            wsgi_input=payload,
        )

    async def handle_request(self, message: RawRequestMessage, payload: StreamReader) -> None:
        """Run the WSGI application for one request and send its response."""
        now = time.monotonic()
        loop = self.loop
        inline = self._executor is False
        wsgi_input: IO[bytes] | WsgiInput
        if self.readpayload or inline:
            self.send_continue()
            wsgi_input = await read_payload(
                payload,
                spool_size=self._spool_size,
                max_size=self._max_request_body_size,
                timeout=self._body_timeout,
            )
        else:
            wsgi_input = WsgiInput(payload, loop, self.send_continue, self._body_timeout)
        environ = self.create_wsgi_environ(message, wsgi_input)
        response = self.create_wsgi_response(message)
        try:
            if inline:
                await self._run_inline(environ, response)
            else:
                executor = self._executor if self._executor is not False else None
                response._loop = loop
                response._thread_mode = True
                if isinstance(executor, WorkerPool):
                    response._call_soon = executor.loop_caller(loop)
                    body = await executor.run(loop, self._run_app, environ, response)
                else:
                    body = await loop.run_in_executor(executor, self._run_app, environ, response)
                if body is not None:
                    await response.write_all(body)
                else:
                    await response.write_eof()
        finally:
            wsgi_input.close()

        if response._fast is not None or response._stream is not None:
            # Sent without a Response (_write_complete(), _begin_stream()).
            stream = response._stream
            if stream is None:
                if not response._complete_close:
                    self.keep_alive(True)
            elif stream.incomplete:
                # As below: less than its Content-Length, the client must see the close.
                self.log_debug("Application sent less than its Content-Length.")
            elif stream.keep_alive:
                self.keep_alive(True)
            if self.access_logger is not None:
                sent = response.response
                assert sent is not None
                self.log_access(message, environ, sent, time.monotonic() - now)
            return
        resp = response.response
        assert resp is not None
        if (
            resp.length is not None
            and not response._head
            and resp.body_length < resp.length
            and resp.status >= 200
            and resp.status not in (204, 304)
        ):
            # PEP 3333: an application that sends less than its Content-Length
            # leaves the client waiting for the rest; only closing the
            # connection tells it the response is incomplete.
            self.log_debug("Application sent less than its Content-Length.")
            self.keep_alive(False)
        elif resp.keep_alive():
            self.keep_alive(True)
        self.log_access(message, environ, resp, time.monotonic() - now)

    def _run_app(
        self, environ: dict[str, object], response: WsgiResponse
    ) -> list[bytes] | tuple[bytes, ...] | None:
        """Call the application in a worker thread; a list result goes back to the loop."""
        result = self.wsgi(environ, response.start_response)
        if isinstance(result, (list, tuple)) and response._response is None:
            for chunk in result:
                if not isinstance(chunk, bytes):
                    raise TypeError(f"WSGI body chunks must be bytes, got {type(chunk).__name__}")
            close = getattr(result, "close", None)
            if close is not None:
                close()
            return result
        try:
            for chunk in result:
                response._app_write(chunk)
                if chunk and response._head:
                    break  # the headers are known; a HEAD response has no body
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        loop = response._loop
        if response._state.headers_sent and loop is not None:
            # Handed over with the last chunk (same batch): the end of a
            # streamed body then leaves in its send().
            (response._call_soon or loop.call_soon_threadsafe)(response._end_nowait)
        return None

    async def _run_inline(self, environ: dict[str, object], response: WsgiResponse) -> None:
        result: object = self.wsgi(environ, response.start_response)
        if inspect.isawaitable(result):
            # 2016 ``wsgi.async`` applications may return an awaitable.
            result = await result
        if not isinstance(result, Iterable):
            raise TypeError(f"WSGI application returned {type(result).__name__}, not an iterable")
        try:
            if isinstance(result, (list, tuple)) and response._response is None:
                chunks = [c for c in result if isinstance(c, bytes)]
                if len(chunks) != len(result):
                    raise TypeError("WSGI body chunks must be bytes")
                await response.write_all(chunks)
                return
            for item in result:
                chunk = await item if inspect.isawaitable(item) else item
                if not isinstance(chunk, bytes):
                    raise TypeError(f"WSGI body chunks must be bytes, got {type(chunk).__name__}")
                response.write(chunk)
                await response.drain()
            await response.write_eof()
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def _native_headers(message: RawRequestMessage) -> list[tuple[str, str]]:
    """The request headers as PEP 3333 native strings (wire bytes as latin-1)."""
    raw = getattr(message, "raw_headers", None)
    if raw:
        out: list[tuple[str, str]] = []
        for name, value in raw:
            if isinstance(name, bytes):
                out.append((name.decode("latin-1"), value.decode("latin-1")))
            else:
                out.append((str(name), str(value)))
        return out
    return [(str(k), v) for k, v in message.headers.items()]
