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
    """Close status codes (RFC 6455 section 7.4.1 plus the IANA registry).

    .. attribute:: ok
    .. attribute:: going_away
    .. attribute:: protocol_error
    .. attribute:: unsupported_data
    .. attribute:: invalid_text
    .. attribute:: policy_violation
    .. attribute:: message_too_big
    .. attribute:: mandatory_extension
    .. attribute:: internal_error
    .. attribute:: service_restart
    .. attribute:: try_again_later
    """

    ok = 1000
    going_away = 1001
    protocol_error = 1002
    unsupported_data = 1003
    invalid_text = 1007
    policy_violation = 1008
    message_too_big = 1009
    mandatory_extension = 1010
    internal_error = 1011
    service_restart = 1012
    try_again_later = 1013


class WSMsgType(IntEnum):
    """The type of a :class:`WSMessage`: an RFC 6455 opcode or a local state.

    .. attribute:: continuation
    .. attribute:: text
    .. attribute:: binary
    .. attribute:: ping
    .. attribute:: pong
    .. attribute:: close
    .. attribute:: closed

       Not a frame: the connection was closed.

    .. attribute:: error

       Not a frame: the connection failed.
    """

    continuation = 0x0
    text = 0x1
    binary = 0x2
    ping = 0x9
    pong = 0xA
    close = 0x8
    closed = 0x101
    error = 0x102


#: The 2016 ``aiohttp.websocket_client.MsgType`` name.
MsgType = WSMsgType

#: What :attr:`WSMessage.data` holds: ``str`` for text, ``bytes`` for binary,
#: ping and pong, the ``int`` close code for close, ``None`` for closed/error
#: (or the exception for error messages built by a connection).
WSData = str | bytes | int | BaseException | None


class WSMessage(NamedTuple):
    """One WebSocket message, as a parser hands it out.

    .. attribute:: type

       A :class:`WSMsgType`.

    .. attribute:: data

       ``str`` (text), ``bytes`` (binary, ping, pong), ``int`` (close code).

    .. attribute:: extra

       The close reason for close messages, ``""`` otherwise.
    """

    type: WSMsgType
    data: WSData
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
