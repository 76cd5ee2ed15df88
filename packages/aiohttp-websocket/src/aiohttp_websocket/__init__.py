"""RFC 6455 WebSocket frames and handshake from aiohttp's 2016 API."""

__all__ = (
    "__version__",
    "WSCloseCode",
    "WSMsgType",
    "MsgType",
    "WSMessage",
    "WebSocketError",
    "WebSocketParser",
    "WebSocketWriter",
    "do_handshake",
    "WS_KEY",
    "CLOSED_MESSAGE",
    "DEFAULT_MAX_MSG_SIZE",
)

from .__about__ import __version__ as __version__
from ._handshake import WS_KEY as WS_KEY, do_handshake as do_handshake
from ._models import (
    CLOSED_MESSAGE as CLOSED_MESSAGE,
    MsgType as MsgType,
    WebSocketError as WebSocketError,
    WSCloseCode as WSCloseCode,
    WSMessage as WSMessage,
    WSMsgType as WSMsgType,
)
from ._parser import DEFAULT_MAX_MSG_SIZE as DEFAULT_MAX_MSG_SIZE
from ._speedups import WebSocketParser as WebSocketParser
from ._writer import WebSocketWriter as WebSocketWriter
