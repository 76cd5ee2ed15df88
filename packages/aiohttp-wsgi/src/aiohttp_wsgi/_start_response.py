# Strategy: the ``start_response`` rules of PEP 3333 as a small state machine with
# no I/O, so the rules are tested on their own and the I/O side (event loop or
# worker thread) only asks "what is the status, which headers, were they sent?".
# Status and headers are validated here, before anything reaches the wire: a
# CR or LF in a header value would let an application (or the user input it
# echoes) split the response.
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Final

__all__ = ("StartResponseState", "ExcInfo", "HOP_BY_HOP")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]

# RFC 9110 §5.6.2: token = 1*tchar
_TOKEN_RE: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
# RFC 9110 §5.5: "Field values containing CR, LF, or NUL characters are invalid
# and dangerous"; other controls except HTAB are not allowed by the grammar.
_BAD_VALUE_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# RFC 9112 §4: status-code = 3DIGIT; reason-phrase = *( HTAB / SP / VCHAR / obs-text )
_STATUS_RE: Final = re.compile(r"([1-9][0-9][0-9])(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?\Z")

#: Hop-by-hop headers (RFC 9110 §7.6.1, plus the RFC 2616 list PEP 3333 names).
#: PEP 3333 forbids applications from sending them; the server frames the
#: message itself, so they are dropped (``Connection: close`` is honoured).
HOP_BY_HOP: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)

_Write = Callable[[bytes], object]


def _quote(value: str) -> str:
    return repr(value[:100]) + ("..." if len(value) > 100 else "")


# Header names applications send are few: remember the ones already checked
# (bounded, so distinct names from user input cannot grow it without end).
_MAX_KNOWN_NAMES: Final = 256
_known_names: dict[str, str] = {}


def _check_name(name: str) -> str:
    """Check a header name; return it lower-cased."""
    if _TOKEN_RE.match(name) is None:
        raise ValueError(f"invalid header name from application: {_quote(name)}")
    lname = name.lower()
    if len(_known_names) < _MAX_KNOWN_NAMES:
        _known_names[name] = lname
    return lname


def _check_value(name: str, value: str) -> None:
    if _BAD_VALUE_RE.search(value) is not None:
        raise ValueError(f"invalid header value for {name} from application: {_quote(value)}")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(
            f"header value for {name} is not latin-1 (PEP 3333): {_quote(value)}"
        ) from None


class StartResponseState:
    """The ``start_response`` callable of one request, without I/O.

    .. attribute:: status

       The status line given by the application (``"200 OK"``), or ``None``.

    .. attribute:: status_code

    .. attribute:: reason

    .. attribute:: headers

       The headers to send, hop-by-hop headers removed.

    .. attribute:: headers_sent

       Set by the server once the status line went out; from then on
       ``start_response(..., exc_info)`` re-raises the application's error.

    .. attribute:: close

       ``True`` when the application asked for ``Connection: close``.
    """

    def __init__(self, write: _Write) -> None:
        self._write = write
        self.status: str | None = None
        self.status_code = 0
        self.reason = ""
        self.headers: list[tuple[str, str]] = []
        self.headers_sent = False
        self.close = False

    def __call__(
        self,
        status: str,
        headers: Iterable[tuple[str, str]],
        exc_info: ExcInfo | None = None,
    ) -> _Write:
        """PEP 3333 ``start_response(status, response_headers, exc_info=None)``."""
        if exc_info is not None and exc_info[0] is not None:
            try:
                if self.headers_sent:
                    # PEP 3333: "start_response must raise an error, and should
                    # re-raise using the exc_info tuple" once headers were sent.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None  # break the frame <-> traceback cycle
        elif self.status is not None:
            raise AssertionError(
                "start_response() called a second time without exc_info (PEP 3333)"
            )

        if not isinstance(status, str):
            raise TypeError(f"status must be str, got {type(status).__name__}")
        m = _STATUS_RE.match(status)
        if m is None:
            raise ValueError(f"invalid status line from application: {_quote(status)}")
        try:
            status.encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(f"status is not latin-1 (PEP 3333): {_quote(status)}") from None

        checked: list[tuple[str, str]] = []
        close = False
        for pair in headers:
            # Applications break the declared types; check what really came.
            item: object = pair
            if not isinstance(item, tuple) or len(item) != 2:
                raise TypeError(f"response header must be a (name, value) tuple: {item!r:.100}")
            name: object = item[0]
            value: object = item[1]
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(f"header name and value must be str: {item!r:.100}")
            lname = _known_names.get(name)
            if lname is None:
                lname = _check_name(name)
            # Printable ASCII (the common case, one C call) is a valid value.
            if not (value.isascii() and value.isprintable()):
                _check_value(name, value)
            if lname in HOP_BY_HOP:
                if lname == "connection" and "close" in value.lower():
                    close = True
                continue
            checked.append((name, value))

        self.status = status
        self.status_code = int(m.group(1))
        self.reason = m.group(2) or ""
        self.headers = checked
        self.close = close
        return self._write
