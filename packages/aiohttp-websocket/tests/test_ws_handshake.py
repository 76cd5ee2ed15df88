"""do_handshake: RFC 6455 4.2 server side."""

from __future__ import annotations

import base64

import pytest
from multidict import CIMultiDict

from aiohttp_errors import HttpBadRequest, HttpMethodNotAllowed, HttpProcessingError
from aiohttp_parsers import ParserBuffer
from aiohttp_websocket import (
    WebSocketError,
    WebSocketWriter,
    WSCloseCode,
    WSMessage,
    do_handshake,
)
from aiohttp_websocket._frames import encode_frame

# RFC 6455 1.3's worked example.
KEY = "dGhlIHNhbXBsZSBub25jZQ=="
ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


class Sink:
    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes, /) -> None:
        self.data += data


def request(**overrides: str | None) -> CIMultiDict[str]:
    headers = {
        "Host": "example.com",
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": KEY,
        "Sec-WebSocket-Version": "13",
    }
    for name, value in overrides.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    return CIMultiDict(headers)


def test_valid_handshake() -> None:
    sink = Sink()
    status, headers, parser, writer, protocol = do_handshake("GET", request(), sink)
    assert status == 101
    assert headers == [
        ("Upgrade", "websocket"),
        ("Connection", "upgrade"),
        ("Sec-WebSocket-Accept", ACCEPT),
    ]
    assert protocol is None
    assert isinstance(writer, WebSocketWriter)
    assert writer.writer is sink and writer.use_mask is False
    writer.send("hi")
    assert sink.data == b"\x81\x02hi"


def test_no_transfer_encoding_on_101() -> None:
    # 2016 sent "Transfer-Encoding: chunked" with the 101; RFC 9112 6.1: "A
    # server MUST NOT send a Transfer-Encoding header field in any response
    # with a status code of 1xx".
    _, headers, *_ = do_handshake("GET", request(), Sink())
    assert "transfer-encoding" not in {name.lower() for name, _ in headers}


def test_returned_parser_requires_masked_frames() -> None:
    _, _, parser, _, _ = do_handshake("GET", request(), Sink())
    out: list[WSMessage] = []

    class Out:
        def feed_data(self, data: WSMessage, size: int, /) -> None:
            out.append(data)

    gen = parser(Out(), ParserBuffer())
    next(gen)
    gen.send(encode_frame(0x1, b"hi", mask=b"abcd"))
    assert [m.data for m in out] == ["hi"]
    with pytest.raises(WebSocketError) as info:
        gen.send(encode_frame(0x1, b"hi"))
    assert info.value.code == WSCloseCode.protocol_error


def test_returned_parser_uses_max_msg_size() -> None:
    _, _, parser, _, _ = do_handshake("GET", request(), Sink(), max_msg_size=3)

    class Out:
        def feed_data(self, data: WSMessage, size: int, /) -> None:
            pass

    gen = parser(Out(), ParserBuffer())
    next(gen)
    with pytest.raises(WebSocketError) as info:
        gen.send(encode_frame(0x2, b"abcd", mask=b"abcd"))
    assert info.value.code == WSCloseCode.message_too_big


@pytest.mark.parametrize("method", ["get", "Get"])
def test_method_case_insensitive(method: str) -> None:
    assert do_handshake(method, request(), Sink())[0] == 101


@pytest.mark.parametrize("method", ["POST", "HEAD", "CONNECT"])
def test_method_not_get(method: str) -> None:
    with pytest.raises(HttpMethodNotAllowed) as info:
        do_handshake(method, request(), Sink())
    assert info.value.code == 405
    assert info.value.headers == (("Allow", "GET"),)
    assert method in info.value.message
    assert isinstance(info.value, HttpProcessingError)


@pytest.mark.parametrize(
    "upgrade", ["websocket", "WebSocket", "WEBSOCKET", " websocket ", "foo, websocket"]
)
def test_upgrade_tokens(upgrade: str) -> None:
    assert do_handshake("GET", request(Upgrade=upgrade), Sink())[0] == 101


@pytest.mark.parametrize("upgrade", [None, "", "h2c", "websockets", "web socket"])
def test_bad_upgrade(upgrade: str | None) -> None:
    with pytest.raises(HttpBadRequest, match="Upgrade") as info:
        do_handshake("GET", request(Upgrade=upgrade), Sink())
    assert info.value.code == 400


@pytest.mark.parametrize("connection", ["Upgrade", "upgrade", "keep-alive, Upgrade", "UPGRADE,x"])
def test_connection_tokens(connection: str) -> None:
    assert do_handshake("GET", request(Connection=connection), Sink())[0] == 101


def test_connection_token_in_a_second_header_line() -> None:
    headers = request(Connection="keep-alive")
    headers.add("Connection", "Upgrade")
    assert do_handshake("GET", headers, Sink())[0] == 101


@pytest.mark.parametrize("connection", [None, "", "keep-alive", "upgrades", "close"])
def test_bad_connection(connection: str | None) -> None:
    # 2016 looked for the substring "upgrade": "upgrades" passed.
    with pytest.raises(HttpBadRequest, match="Connection"):
        do_handshake("GET", request(Connection=connection), Sink())


@pytest.mark.parametrize("version", [None, "", "8", "7", "12", "14", "13, 8"])
def test_bad_version(version: str | None) -> None:
    with pytest.raises(HttpBadRequest, match="Sec-WebSocket-Version") as info:
        do_handshake("GET", request(Sec_WebSocket_Version=version), Sink())
    # RFC 6455 4.2.2: tell the client which version we speak.
    assert info.value.headers == (("Sec-WebSocket-Version", "13"),)


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "not base64!",
        base64.b64encode(b"x" * 15).decode(),
        base64.b64encode(b"x" * 17).decode(),
        KEY[:-2],  # bad padding
        "dGhlIHNhbXBsZSBub25jZQ==\x00",
        "ключ",
    ],
)
def test_bad_key(key: str | None) -> None:
    with pytest.raises(HttpBadRequest, match="Sec-WebSocket-Key"):
        do_handshake("GET", request(Sec_WebSocket_Key=key), Sink())


def test_two_keys_refused() -> None:
    headers = request()
    headers.add("Sec-WebSocket-Key", KEY)
    with pytest.raises(HttpBadRequest, match="Sec-WebSocket-Key"):
        do_handshake("GET", headers, Sink())


def test_error_message_quotes_at_most_100_characters() -> None:
    with pytest.raises(HttpBadRequest) as info:
        do_handshake("GET", request(Upgrade="x" * 10_000), Sink())
    assert len(info.value.message) < 250


def test_plain_dict_headers() -> None:
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": KEY,
        "Sec-WebSocket-Version": "13",
    }
    assert do_handshake("GET", headers, Sink())[1][2] == ("Sec-WebSocket-Accept", ACCEPT)


def test_subprotocol_first_offered_that_server_knows() -> None:
    headers = request(Sec_WebSocket_Protocol="chat, superchat")
    _, response, _, _, protocol = do_handshake("GET", headers, Sink(), ("superchat", "chat"))
    assert protocol == "chat"
    assert ("Sec-WebSocket-Protocol", "chat") in response


def test_subprotocol_over_several_header_lines() -> None:
    headers = request(Sec_WebSocket_Protocol="a")
    headers.add("Sec-WebSocket-Protocol", "b")
    assert do_handshake("GET", headers, Sink(), ["b"])[4] == "b"


def test_no_common_subprotocol() -> None:
    headers = request(Sec_WebSocket_Protocol="chat")
    _, response, _, _, protocol = do_handshake("GET", headers, Sink(), ("other",))
    assert protocol is None
    assert all(name != "Sec-WebSocket-Protocol" for name, _ in response)


def test_subprotocols_are_case_sensitive() -> None:
    headers = request(Sec_WebSocket_Protocol="Chat")
    assert do_handshake("GET", headers, Sink(), ("chat",))[4] is None
