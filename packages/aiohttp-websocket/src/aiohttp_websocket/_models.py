# Strategy: the value types of the 2016 ``aiohttp._ws_impl`` module, spelled
# as it spelled them (lower-case enum members, ``WSMessage(tp, data, extra)``
# positional order, ``WebSocketError(code, message)``). No upper-case
# aliases (aiohttp 1.1+): mypy treats an enum alias as a distinct member,
# which would break narrowing on ``msg.type`` in users' code.
from __future__ import annotations

import json
from collections.abc import Callable
from enum import IntEnum
from typing import NamedTuple

__all__ = (
    "WSCloseCode",
    "WSMsgType",
    "MsgType",
    "WSMessage",
    "WSData",
    "WebSocketError",
    "CLOSED_MESSAGE",
)


class WSCloseCode(IntEnum):
    """Close status codes (RFC 6455 section 7.4.1 plus the IANA registry)."""

    #: Normal closure: the purpose of the connection has been fulfilled.
    ok = 1000
    #: The endpoint is going away (a server going down, a page navigated away).
    going_away = 1001
    #: The endpoint terminates the connection because of a protocol error.
    protocol_error = 1002
    #: The endpoint received a type of data it cannot accept.
    unsupported_data = 1003
    #: A message's data did not match its type (e.g. non-UTF-8 text).
    invalid_text = 1007
    #: A message violated the endpoint's policy (generic code).
    policy_violation = 1008
    #: A message was too big to process.
    message_too_big = 1009
    #: The client expected the server to negotiate an extension it did not.
    mandatory_extension = 1010
    #: The server met an unexpected condition.
    internal_error = 1011
    #: The service is restarting; reconnect after a randomised 5-30 s delay.
    service_restart = 1012
    #: The service is overloaded; try another IP or reconnect on user action.
    try_again_later = 1013


class WSMsgType(IntEnum):
    """The type of a :class:`WSMessage`: an RFC 6455 opcode or a local state."""

    #: A continuation frame; never the type of a message handed to users.
    continuation = 0x0
    #: A text message; its data is a ``str``.
    text = 0x1
    #: A binary message; its data is ``bytes``.
    binary = 0x2
    #: A ping frame.
    ping = 0x9
    #: A pong frame, the answer to a ping.
    pong = 0xA
    #: A close frame; its data is the close code.
    close = 0x8
    #: Not a frame: the connection was closed.
    closed = 0x101
    #: Not a frame: the connection failed.
    error = 0x102


#: The 2016 ``aiohttp.websocket_client.MsgType`` name.
MsgType = WSMsgType

#: What :attr:`WSMessage.data` holds: ``str`` for text, ``bytes`` for binary,
#: ping and pong, the ``int`` close code for close, ``None`` for closed/error
#: (or the exception for error messages built by a connection).
WSData = str | bytes | int | BaseException | None


class WSMessage(NamedTuple):
    """One WebSocket message, as a parser hands it out."""

    #: A :class:`WSMsgType`.
    type: WSMsgType
    #: ``str`` (text), ``bytes`` (binary, ping, pong), ``int`` (close code).
    data: WSData
    #: The close reason for close messages, ``""`` otherwise.
    extra: str | None

    @property
    def tp(self) -> WSMsgType:
        """The 2016 name of :attr:`type`."""
        return self.type

    def json(self, *, loads: Callable[[str | bytes], object] = json.loads) -> object:
        """Return :attr:`data` parsed as JSON (with *loads*)."""
        data = self.data
        if not isinstance(data, (str, bytes)):
            raise TypeError(f"cannot parse JSON from a {self.type.name} message")
        return loads(data)


#: What a connection yields once it is closed.
CLOSED_MESSAGE: WSMessage = WSMessage(WSMsgType.closed, None, None)


class WebSocketError(Exception):
    """A WebSocket protocol violation.

    .. attribute:: code

       The :class:`WSCloseCode` to close the connection with.
    """

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        super().__init__(message)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} code={self.code} {self.args[0]!r}>"
