# Strategy: the I/O side of the 2016 parser framework.  ``StreamParser`` owns
# one ``ParserBuffer`` and at most one parser generator at a time; bytes from
# the transport are sent into the generator, or buffered while no parser is
# set.  A parser that returns ends its output with ``feed_eof()``; one that
# raises fails its output with the exception.  ``StreamParser`` exposes
# ``transport`` and ``paused``, the contract ``aiohttp_streams``'
# ``FlowControl*`` queues use to pause reading while their reader lags.
# ``StreamProtocol`` glues it to an asyncio connection; ``StreamWriter`` is
# asyncio's writer plus the 2016 TCP_NODELAY / TCP_CORK switches.
from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Generator
from typing import Final, NoReturn, TypeVar, overload

from aiohttp_streams import DEFAULT_LIMIT, EofStream, FlowControlDataQueue

from ._buffer import ParserBuffer, ParserGenerator, ParserOutput

__all__ = ("StreamParser", "StreamProtocol", "StreamWriter")

_T = TypeVar("_T")
_OutT = TypeVar("_OutT", bound=ParserOutput[NoReturn])

# Linux spells it TCP_CORK, BSD/macOS TCP_NOPUSH, others have neither.
_CORK: Final[int | None] = getattr(socket, "TCP_CORK", getattr(socket, "TCP_NOPUSH", None))


def _fail(out: object, exc: BaseException) -> None:
    set_exception = getattr(out, "set_exception", None)
    if set_exception is not None:
        set_exception(exc)
    else:  # an output without set_exception: the error must not be lost
        raise exc


class StreamParser:
    """Feed an incoming byte stream through one parser at a time.

    :param buf: the :class:`ParserBuffer` to use (a new one by default).
    :param limit: the flow-control limit given to the default output queue.
    :param eof_exc_class: the exception an output gets when the stream ends
        (or the connection is lost) in the middle of a parsed item.

    .. attribute:: transport

       The ``asyncio.ReadTransport`` read from, or ``None``; flow-controlled
       outputs pause and resume it.

    .. attribute:: paused

       Whether reading is paused (maintained by the flow-controlled outputs).
    """

    def __init__(
        self,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        buf: ParserBuffer | None = None,
        limit: int = DEFAULT_LIMIT,
        eof_exc_class: type[BaseException] = RuntimeError,
    ) -> None:
        self._loop = loop
        self._eof = False
        self._exception: BaseException | None = None
        self._parser: ParserGenerator | None = None
        self._output: ParserOutput[NoReturn] | None = None
        self._limit = limit
        self._eof_exc_class = eof_exc_class
        self._buffer = buf if buf is not None else ParserBuffer()
        self.paused = False
        self.transport: asyncio.ReadTransport | None = None

    @property
    def output(self) -> ParserOutput[NoReturn] | None:
        """The output of the current parser, ``None`` when no parser is set."""
        return self._output

    @property
    def buffer(self) -> ParserBuffer:
        """The input buffer (bytes received and not yet parsed)."""
        return self._buffer

    def set_transport(self, transport: asyncio.ReadTransport | None) -> None:
        """Set the transport to flow-control (``None`` on disconnect)."""
        assert transport is None or self.transport is None, "Transport already set"
        self.transport = transport

    def at_eof(self) -> bool:
        """Whether :meth:`feed_eof` was called."""
        return self._eof

    def exception(self) -> BaseException | None:
        """The exception set by :meth:`set_exception`, if any."""
        return self._exception

    def set_exception(self, exc: BaseException) -> None:
        """Fail the current output and every output set later with ``exc``.

        A ``ConnectionError`` is replaced by ``eof_exc_class()`` (with the
        original as its cause), as in 2016.
        """
        if isinstance(exc, ConnectionError):
            new_exc = self._eof_exc_class()
            new_exc.__cause__ = exc
            exc = new_exc
        self._exception = exc
        output = self._output
        if output is not None:
            self._output = None
            self._parser = None
            _fail(output, exc)

    def _finish(self, exc: BaseException | None) -> None:
        output = self._output
        self._output = None
        self._parser = None
        if output is None:
            return
        if exc is None:
            output.feed_eof()
        else:
            _fail(output, exc)

    def feed_data(self, data: bytes) -> None:
        """Send ``data`` to the current parser, or buffer it."""
        if not data:
            return
        parser = self._parser
        if parser is None:
            try:
                self._buffer.feed_data(data)
            except Exception as exc:
                self.set_exception(exc)
            return
        try:
            parser.send(data)
        except StopIteration:
            self._finish(None)
        except Exception as exc:
            self._finish(exc)

    def feed_eof(self) -> None:
        """End the stream: the parser gets ``EofStream`` thrown in.

        A parser that lets ``EofStream`` through (it was in the middle of an
        item) fails its output with ``eof_exc_class()``.
        """
        parser = self._parser
        if parser is not None:
            try:
                if self._buffer:
                    parser.send(b"")
                parser.throw(EofStream())
            except StopIteration:
                self._finish(None)
            except EofStream:
                self._finish(self._eof_exc_class())
            except Exception as exc:
                self._finish(exc)
        self._eof = True

    @overload
    def set_parser(
        self, parser: Callable[[FlowControlDataQueue[_T], ParserBuffer], ParserGenerator]
    ) -> FlowControlDataQueue[_T]: ...

    @overload
    def set_parser(
        self, parser: Callable[[_OutT, ParserBuffer], ParserGenerator], output: _OutT
    ) -> _OutT: ...

    def set_parser(
        self,
        parser: Callable[[_OutT, ParserBuffer], ParserGenerator]
        | Callable[[FlowControlDataQueue[_T], ParserBuffer], ParserGenerator],
        output: _OutT | None = None,
    ) -> _OutT | FlowControlDataQueue[_T]:
        """Make ``parser`` the current parser and return its output.

        The output is ``output`` or, by default, a new
        ``FlowControlDataQueue(self, limit=limit)``.  Bytes already buffered
        are parsed at once; a previous parser is unset first.
        """
        if self._parser is not None:
            self.unset_parser()
        out: ParserOutput[NoReturn]
        if output is None:
            out = FlowControlDataQueue[_T](self, limit=self._limit, loop=self._loop)
        else:
            out = output
        if self._exception is not None:
            _fail(out, self._exception)
            return out
        gen = parser(out, self._buffer)  # type: ignore[arg-type]  # matches by overloads
        if not isinstance(gen, Generator):
            raise TypeError(f"a parser must return a generator, got {gen!r}")
        try:
            next(gen)
        except StopIteration:
            out.feed_eof()
        except Exception as exc:
            _fail(out, exc)
        else:
            self._parser = gen
            self._output = out
            if self._eof:
                self.unset_parser()
        return out

    def unset_parser(self) -> None:
        """Throw ``EofStream`` into the current parser and drop it."""
        parser = self._parser
        if parser is None:
            return
        try:
            parser.throw(EofStream())
        except StopIteration:
            self._finish(None)
        except EofStream:
            self._finish(self._eof_exc_class())
        except Exception as exc:
            self._finish(exc)
        else:
            # The parser swallowed EofStream and wants more: it is dropped
            # anyway, its output ends.
            parser.close()
            self._finish(None)


class StreamWriter(asyncio.StreamWriter):
    """``asyncio.StreamWriter`` with the 2016 ``tcp_nodelay``/``tcp_cork`` switches."""

    def __init__(
        self,
        transport: asyncio.WriteTransport,
        protocol: asyncio.BaseProtocol,
        reader: StreamParser | None,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        super().__init__(transport, protocol, None, loop)
        self._parser_reader = reader
        self._tcp_nodelay = False
        self._tcp_cork = False
        sock = transport.get_extra_info("socket")
        self._socket: socket.socket | None = (
            sock if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6) else None
        )

    @property
    def reader(self) -> StreamParser | None:
        """The :class:`StreamParser` of the same connection."""
        return self._parser_reader

    @property
    def tcp_nodelay(self) -> bool:
        """Whether ``TCP_NODELAY`` is on."""
        return self._tcp_nodelay

    def set_tcp_nodelay(self, value: bool) -> None:
        """Turn ``TCP_NODELAY`` on or off (turning it on turns cork off)."""
        value = bool(value)
        if self._tcp_nodelay == value:
            return
        self._tcp_nodelay = value
        if self._socket is None:
            return
        if value and self._tcp_cork:
            self._set_cork(False)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, value)

    @property
    def tcp_cork(self) -> bool:
        """Whether ``TCP_CORK`` (``TCP_NOPUSH`` on BSD) is on."""
        return self._tcp_cork

    def set_tcp_cork(self, value: bool) -> None:
        """Turn ``TCP_CORK`` on or off (turning it on turns nodelay off)."""
        value = bool(value)
        if self._tcp_cork == value:
            return
        if self._socket is None or _CORK is None:
            self._tcp_cork = value
            return
        if value and self._tcp_nodelay:
            self._tcp_nodelay = False
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, False)
        self._set_cork(value)

    def _set_cork(self, value: bool) -> None:
        self._tcp_cork = value
        if self._socket is not None and _CORK is not None:
            self._socket.setsockopt(socket.IPPROTO_TCP, _CORK, value)


class StreamProtocol(asyncio.streams.FlowControlMixin, asyncio.Protocol):
    """An asyncio protocol that feeds a :class:`StreamParser`.

    ``reader`` is the :class:`StreamParser` (keyword arguments other than
    ``loop`` and ``disconnect_error`` go to it); ``writer`` is a
    :class:`StreamWriter` once connected.
    """

    def __init__(
        self,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        disconnect_error: type[BaseException] = RuntimeError,
        buf: ParserBuffer | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        super().__init__(loop=loop)
        self.transport: asyncio.Transport | None = None
        self.writer: StreamWriter | None = None
        self.reader = StreamParser(loop=loop, buf=buf, limit=limit, eof_exc_class=disconnect_error)

    def is_connected(self) -> bool:
        """Whether the connection is up."""
        return self.transport is not None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport), transport
        self.transport = transport
        self.reader.set_transport(transport)
        self.writer = StreamWriter(transport, self, self.reader, asyncio.get_running_loop())

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.writer = None
        self.reader.set_transport(None)
        if exc is None:
            self.reader.feed_eof()
        else:
            self.reader.set_exception(exc)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.reader.feed_data(data)

    def eof_received(self) -> bool | None:
        self.reader.feed_eof()
        return None
