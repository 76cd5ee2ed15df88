"""The 2016 value types: enum members and values, WSMessage, WebSocketError."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import aiohttp_websocket
from aiohttp_websocket import (
    CLOSED_MESSAGE,
    MsgType,
    WebSocketError,
    WSCloseCode,
    WSMessage,
    WSMsgType,
)


def test_close_codes_exactly_as_2016() -> None:
    assert {m.name: m.value for m in WSCloseCode} == {
        "ok": 1000,
        "going_away": 1001,
        "protocol_error": 1002,
        "unsupported_data": 1003,
        "invalid_text": 1007,
        "policy_violation": 1008,
        "message_too_big": 1009,
        "mandatory_extension": 1010,
        "internal_error": 1011,
        "service_restart": 1012,
        "try_again_later": 1013,
    }


def test_msg_types_exactly_as_2016() -> None:
    assert [(m.name, m.value) for m in WSMsgType] == [
        ("continuation", 0x0),
        ("text", 0x1),
        ("binary", 0x2),
        ("ping", 0x9),
        ("pong", 0xA),
        ("close", 0x8),
        ("closed", 0x101),
        ("error", 0x102),
    ]


def test_msg_type_alias() -> None:
    assert MsgType is WSMsgType


def test_enums_are_ints() -> None:
    assert int(WSMsgType.text) == 1
    assert int(WSCloseCode.message_too_big) == 1009
    assert WSMsgType(9) is WSMsgType.ping


def test_message_fields_and_tp() -> None:
    msg = WSMessage(WSMsgType.text, "hi", "")
    assert msg.type is WSMsgType.text
    assert msg.tp is WSMsgType.text
    assert msg._fields == ("type", "data", "extra")
    tp, data, extra = msg
    assert (tp, data, extra) == (WSMsgType.text, "hi", "")


def test_message_json() -> None:
    assert WSMessage(WSMsgType.text, '{"a": [1, 2]}', "").json() == {"a": [1, 2]}
    assert WSMessage(WSMsgType.binary, b"[1]", "").json() == [1]
    seen: list[str | bytes] = []

    def loads(data: str | bytes) -> object:
        seen.append(data)
        return json.loads(data)

    assert WSMessage(WSMsgType.text, "3", "").json(loads=loads) == 3
    assert seen == ["3"]


def test_message_json_of_a_close_message() -> None:
    with pytest.raises(TypeError, match="close"):
        WSMessage(WSMsgType.close, 1000, "").json()


def test_closed_message() -> None:
    assert CLOSED_MESSAGE == WSMessage(WSMsgType.closed, None, None)


def test_websocket_error() -> None:
    exc = WebSocketError(WSCloseCode.protocol_error, "bad frame")
    assert exc.code == 1002
    assert str(exc) == "bad frame"
    assert "code=1002" in repr(exc)
    assert isinstance(exc, Exception)


def test_all_is_the_public_api() -> None:
    names = set(aiohttp_websocket.__all__)
    assert names == {n for n in dir(aiohttp_websocket) if not n.startswith("_")} | {"__version__"}
    for name in names:
        assert getattr(aiohttp_websocket, name) is not None


def test_star_import_exposes_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from aiohttp_websocket import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == set(aiohttp_websocket.__all__)


@pytest.mark.parametrize(
    "module", ["_models", "_mask", "_frames", "_parser", "_writer", "_handshake", ""]
)
def test_each_module_imports_on_its_own(module: str) -> None:
    # A circular import shows up only when a module is imported first.
    name = "aiohttp_websocket" + (f".{module}" if module else "")
    subprocess.run([sys.executable, "-c", f"import {name}"], check=True)
