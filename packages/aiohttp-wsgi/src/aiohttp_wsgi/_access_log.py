# Strategy: compile the format string once (and cache it per format, as the 2016
# class did) into a list of literal pieces and small formatter functions, so each
# logged request only calls those functions and joins strings. The inputs are
# described by structural protocols, not concrete classes, so the logger works
# with aiohttp-parsers' messages and responses and with anything shaped alike
# (tests, the meta-package's web layer). Values taken from the peer (request
# line, headers) are escaped like Apache's mod_log_config does, so a client
# cannot forge log lines with CR/LF or terminal escapes.
from __future__ import annotations

import asyncio
import datetime
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from typing import ClassVar, Final, Protocol

__all__ = ("AccessLogger", "AccessLogMessage", "AccessLogResponse")


class AccessLogMessage(Protocol):
    """What the access logger reads from a request message (``RawRequestMessage``)."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def version(self) -> tuple[int, int]: ...
    @property
    def headers(self) -> Mapping[str, str]: ...


class AccessLogResponse(Protocol):
    """What the access logger reads from a response (``aiohttp_parsers.Response``)."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def body_length(self) -> int: ...
    @property
    def output_length(self) -> int: ...


class _Args:
    __slots__ = ("message", "environ", "response", "transport", "time")

    def __init__(
        self,
        message: AccessLogMessage | None,
        environ: Mapping[str, object] | None,
        response: AccessLogResponse | None,
        transport: asyncio.BaseTransport | None,
        time: float,
    ) -> None:
        self.message = message
        self.environ = environ
        self.response = response
        self.transport = transport
        self.time = time


_Formatter = Callable[[_Args], str]

# Bytes outside printable ASCII, plus the quote and backslash, are written as
# escapes (Apache mod_log_config does the same since 2.0.46).
_UNSAFE_RE: Final = re.compile(r'[^\x20-\x7e]|["\\]')


def _escape(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ch = m.group(0)
        if ch in '"\\':
            return "\\" + ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE_RE.sub(repl, value)


def _fmt_a(a: _Args) -> str:
    if a.transport is None:
        return "-"
    peer = a.transport.get_extra_info("peername")
    if isinstance(peer, (list, tuple)) and peer:
        return str(peer[0])
    return "-" if peer is None else str(peer)


def _fmt_t(a: _Args) -> str:
    # The time the request started: the log call happens when it ended.
    started = datetime.datetime.fromtimestamp(time.time() - a.time, datetime.timezone.utc)
    return started.strftime("[%d/%b/%Y:%H:%M:%S +0000]")


def _fmt_P(a: _Args) -> str:
    return f"<{os.getpid()}>"


def _fmt_r(a: _Args) -> str:
    msg = a.message
    if msg is None:
        return "-"
    major, minor = msg.version
    return _escape(f"{msg.method} {msg.path} HTTP/{major}.{minor}")


def _fmt_s(a: _Args) -> str:
    return "-" if a.response is None else str(a.response.status)


def _fmt_b(a: _Args) -> str:
    return "-" if a.response is None else str(a.response.body_length)


def _fmt_O(a: _Args) -> str:
    return "-" if a.response is None else str(a.response.output_length)


def _fmt_T(a: _Args) -> str:
    return str(round(a.time))


def _fmt_Tf(a: _Args) -> str:
    return f"{a.time:06f}"


def _fmt_D(a: _Args) -> str:
    return str(round(a.time * 1_000_000))


def _fmt_dash(a: _Args) -> str:
    return "-"


def _fmt_i(key: str) -> _Formatter:
    def fmt(a: _Args) -> str:
        if a.message is None:
            return "(no headers)"
        value = a.message.headers.get(key)
        return "-" if value is None else _escape(value)

    return fmt


def _fmt_o(key: str) -> _Formatter:
    def fmt(a: _Args) -> str:
        if a.response is None:
            return "-"
        value = a.response.headers.get(key)
        return "-" if value is None else _escape(value)

    return fmt


def _fmt_e(key: str) -> _Formatter:
    def fmt(a: _Args) -> str:
        value: object = None
        if a.environ is not None:
            value = a.environ.get(key)
        if value is None:
            value = os.environ.get(key)
        return "-" if value is None else _escape(str(value))

    return fmt


_SIMPLE: Final[Mapping[str, _Formatter]] = {
    "a": _fmt_a,
    "t": _fmt_t,
    "P": _fmt_P,
    "r": _fmt_r,
    "s": _fmt_s,
    "b": _fmt_b,
    "O": _fmt_O,
    "T": _fmt_T,
    "Tf": _fmt_Tf,
    "D": _fmt_D,
    # Apache's remote logname and remote user: never known here.
    "l": _fmt_dash,
    "u": _fmt_dash,
}
_KEYED: Final[Mapping[str, Callable[[str], _Formatter]]] = {
    "i": _fmt_i,
    "o": _fmt_o,
    "e": _fmt_e,
}

_Compiled = tuple[str | _Formatter, ...]


class AccessLogger:
    """Write one line per answered request to a logger, in a configurable format.

    Usage::

        log = logging.getLogger("spam")
        access_logger = AccessLogger(log, '%a "%r" %s %b %Tf')
        access_logger.log(message, environ, response, transport, time)

    Format directives (as in aiohttp 2016, after Apache's ``mod_log_config``):

    ``%%``
        a percent sign
    ``%a``
        remote IP address (of the proxy when behind a reverse proxy)
    ``%t``
        time the request started, ``[24/Nov/2026:06:50:00 +0000]`` (UTC)
    ``%P``
        the process ID of the server, ``<1234>``
    ``%r``
        first line of the request
    ``%s``
        response status code
    ``%b``
        size of the response body in bytes, excluding headers
    ``%O``
        bytes sent, including headers
    ``%T``
        time taken to serve the request, whole seconds
    ``%Tf``
        time taken to serve the request, seconds with a fraction (``%06f``)
    ``%D``
        time taken to serve the request, microseconds
    ``%{FOO}i``
        request header ``FOO``
    ``%{FOO}o``
        response header ``FOO``
    ``%{FOO}e``
        ``environ['FOO']`` of the WSGI request, else ``os.environ['FOO']``
    ``%l``, ``%u``
        ``-`` (remote logname and user are never known)

    Any other ``%x`` is written literally. Missing values print as ``-``.

    .. attribute:: LOG_FORMAT

       The default format (Apache's combined log format).
    """

    LOG_FORMAT: ClassVar[str] = '%a %l %u %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"'
    FORMAT_RE: ClassVar[re.Pattern[str]] = re.compile(
        r"%(?:\{([A-Za-z0-9!#$&'*+.^_`|~-]+)\}([ioe])|(Tf|[atPrsbOTDlu%]))"
    )
    _FORMAT_CACHE: ClassVar[dict[str, _Compiled]] = {}

    def __init__(self, logger: logging.Logger, log_format: str = LOG_FORMAT) -> None:
        self.logger = logger
        compiled = AccessLogger._FORMAT_CACHE.get(log_format)
        if compiled is None:
            compiled = self.compile_format(log_format)
            AccessLogger._FORMAT_CACHE[log_format] = compiled
        self._parts = compiled

    @classmethod
    def compile_format(cls, log_format: str) -> _Compiled:
        """Translate a format string into literal pieces and formatter functions."""
        parts: list[str | _Formatter] = []
        pos = 0
        for m in cls.FORMAT_RE.finditer(log_format):
            parts.append(log_format[pos : m.start()])
            pos = m.end()
            key, kind, simple = m.group(1), m.group(2), m.group(3)
            if simple == "%":
                parts.append("%")
            elif simple is not None:
                parts.append(_SIMPLE[simple])
            else:
                parts.append(_KEYED[kind](key))
        parts.append(log_format[pos:])
        # Merge adjacent literals so formatting a line does the least work.
        merged: list[str | _Formatter] = []
        for part in parts:
            if isinstance(part, str):
                if not part:
                    continue
                if merged and isinstance(merged[-1], str):
                    merged[-1] += part
                    continue
            merged.append(part)
        return tuple(merged)

    def log(
        self,
        message: AccessLogMessage | None,
        environ: Mapping[str, object] | None,
        response: AccessLogResponse | None,
        transport: asyncio.BaseTransport | None,
        time: float,
    ) -> None:
        """Log one request.

        :param message: the request message; may be ``None`` (unparsable request).
        :param environ: the WSGI environ; may be ``None``.
        :param response: the response that was sent.
        :param transport: the connection's transport; may be ``None``.
        :param time: seconds taken to serve the request.
        """
        if not self.logger.isEnabledFor(logging.INFO):
            return
        args = _Args(message, environ, response, transport, time)
        try:
            line = "".join(p if isinstance(p, str) else p(args) for p in self._parts)
            self.logger.info(line)
        except Exception:
            self.logger.exception("Error in logging")
