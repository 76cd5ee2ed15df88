# Strategy: the server half of the RFC 6455 section 4.2 opening handshake as
# one pure function: it reads the request's method and headers, raises the
# HTTP error a server should answer with when the request is not a valid
# WebSocket upgrade, and otherwise returns the 101 response headers plus a
# parser/writer pair for the connection. It does no I/O. Header values that
# are lists (Connection, Upgrade, Sec-WebSocket-Protocol) are split on commas
# and compared as case-insensitive tokens, and every occurrence of a repeated
# header is read when the mapping is a multidict.
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Final

from multidict import MultiMapping

from aiohttp_errors import HttpBadRequest, HttpMethodNotAllowed
from aiohttp_parsers import hdrs

from ._parser import DEFAULT_MAX_MSG_SIZE, WebSocketParser, _Buffer, _Output
from ._writer import WebSocketWriter, _Transport

__all__ = ("WS_KEY", "do_handshake", "accept_key", "ParserFactory")

#: RFC 6455 1.3: the GUID appended to the client's key.
WS_KEY: Final = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

#: What :func:`do_handshake` returns as the parser: call it with
#: ``(out, buf)``, or pass it to ``StreamParser.set_parser``.
ParserFactory = Callable[[_Output, _Buffer], Generator[None, bytes, None]]

_UPGRADE: Final = hdrs.UPGRADE
_CONNECTION: Final = hdrs.CONNECTION
_ALLOW: Final = hdrs.ALLOW
_SEC_WEBSOCKET_KEY: Final = hdrs.SEC_WEBSOCKET_KEY
_SEC_WEBSOCKET_VERSION: Final = hdrs.SEC_WEBSOCKET_VERSION
_SEC_WEBSOCKET_PROTOCOL: Final = hdrs.SEC_WEBSOCKET_PROTOCOL
_SEC_WEBSOCKET_ACCEPT: Final = hdrs.SEC_WEBSOCKET_ACCEPT

# Only what the RFC defines; the hybi drafts 7 and 8 that 2016 also accepted
# predate RFC 6455.
_VERSION: Final = "13"


def _values(headers: Mapping[str, str], name: str) -> list[str]:
    if isinstance(headers, MultiMapping):
        return [str(v) for v in headers.getall(name, ())]
    value = headers.get(name)
    return [] if value is None else [value]


def _tokens(headers: Mapping[str, str], name: str) -> list[str]:
    return [t.strip() for v in _values(headers, name) for t in v.split(",") if t.strip()]


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 100 else text[:100] + "..."


def accept_key(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` value for a client's ``Sec-WebSocket-Key``.

    RFC 6455 4.2.2: "the base64-encoded SHA-1 of the concatenation of the
    |Sec-WebSocket-Key| (as a string, not base64-decoded) with the string
    '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'".
    """
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + WS_KEY).digest()).decode()


def do_handshake(
    method: str,
    headers: Mapping[str, str],
    transport: _Transport,
    protocols: Iterable[str] = (),
    *,
    max_msg_size: int = DEFAULT_MAX_MSG_SIZE,
) -> tuple[int, list[tuple[str, str]], ParserFactory, WebSocketWriter, str | None]:
    """Check a WebSocket upgrade request; prepare the response. No I/O.

    Return ``(status, response_headers, parser, writer, protocol)``: 101, the
    headers to send with it, a parser for the client's frames (masked frames
    required, messages up to *max_msg_size* bytes), a writer on *transport*,
    and the chosen subprotocol: the first one the client offers that is in
    *protocols*, or ``None``.

    Raise :class:`~aiohttp_errors.HttpMethodNotAllowed` (405) for a method
    other than GET and :class:`~aiohttp_errors.HttpBadRequest` (400) for
    anything else that is wrong; ``.message`` says what.
    """
    # RFC 6455 4.2.1: "An HTTP/1.1 or higher GET request".
    if method.upper() != hdrs.METH_GET:
        raise HttpMethodNotAllowed(
            message=f"WebSocket upgrade needs GET, not {_show(method)}",
            headers=((_ALLOW, "GET"),),
        )

    # RFC 6455 4.2.1: "An |Upgrade| header field containing the value
    # "websocket", treated as an ASCII case-insensitive value."
    if "websocket" not in (t.lower() for t in _tokens(headers, _UPGRADE)):
        raise HttpBadRequest(
            f"no WebSocket Upgrade header: got {_show(headers.get(_UPGRADE))}; "
            'can "Upgrade" only to "WebSocket"'
        )

    # RFC 6455 4.2.1: "A |Connection| header field that includes the token
    # "Upgrade", treated as an ASCII case-insensitive value."
    if "upgrade" not in (t.lower() for t in _tokens(headers, _CONNECTION)):
        raise HttpBadRequest(
            f"no Upgrade token in the Connection header: got {_show(headers.get(_CONNECTION))}"
        )

    # RFC 6455 4.2.2: if the version "does not match a version understood by
    # the server, the server MUST abort the WebSocket handshake [...] and
    # instead send an appropriate HTTP error code [...] and a
    # |Sec-WebSocket-Version| header field indicating the version(s) the
    # server is capable of understanding."
    versions = _values(headers, _SEC_WEBSOCKET_VERSION)
    if [v.strip() for v in versions] != [_VERSION]:
        raise HttpBadRequest(
            f"unsupported Sec-WebSocket-Version {_show(', '.join(versions))}; "
            f"only {_VERSION} is supported",
            headers=((_SEC_WEBSOCKET_VERSION, _VERSION),),
        )

    # RFC 6455 4.2.1: "A |Sec-WebSocket-Key| header field with a
    # base64-encoded value that, when decoded, is 16 bytes in length."
    keys = _values(headers, _SEC_WEBSOCKET_KEY)
    key = keys[0].strip() if len(keys) == 1 else ""
    try:
        valid = len(base64.b64decode(key.encode("ascii"), validate=True)) == 16
    except (binascii.Error, UnicodeEncodeError):
        valid = False
    if not valid:
        raise HttpBadRequest(
            f"Sec-WebSocket-Key must be one base64 value of 16 bytes, got {_show(keys)}"
        )

    # RFC 6455 4.2.2: the server selects "one or none of the acceptable
    # protocols"; the client lists them "in order of preference".
    known = set(protocols)
    protocol: str | None = None
    for offered in _tokens(headers, _SEC_WEBSOCKET_PROTOCOL):
        if offered in known:
            protocol = offered
            break

    response_headers: list[tuple[str, str]] = [
        (_UPGRADE, "websocket"),
        (_CONNECTION, "upgrade"),
        (_SEC_WEBSOCKET_ACCEPT, accept_key(key)),
    ]
    if protocol is not None:
        response_headers.append((_SEC_WEBSOCKET_PROTOCOL, protocol))

    parser: ParserFactory = functools.partial(
        WebSocketParser, max_msg_size=max_msg_size, masked=True
    )
    return 101, response_headers, parser, WebSocketWriter(transport), protocol
