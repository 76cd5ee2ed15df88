"""WebSocketWriter: server frames unmasked, client frames masked with a fresh
key, all three length encodings, control frame limits, close."""

from __future__ import annotations

import random

import pytest

from aiohttp_parsers import ParserBuffer
from aiohttp_websocket import WebSocketParser, WebSocketWriter, WSMessage, WSMsgType
from aiohttp_websocket._mask import websocket_mask


class Sink:
    """A transport stand-in that keeps every ``write``."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes, /) -> None:
        self.writes.append(bytes(data))

    @property
    def data(self) -> bytes:
        return b"".join(self.writes)


class Collector:
    def __init__(self) -> None:
        self.messages: list[WSMessage] = []

    def feed_data(self, data: WSMessage, size: int, /) -> None:
        self.messages.append(data)


def parse(data: bytes) -> list[WSMessage]:
    out = Collector()
    gen = WebSocketParser(out, ParserBuffer())
    next(gen)
    gen.send(data)
    return out.messages


def test_server_text_frame_unmasked() -> None:
    sink = Sink()
    WebSocketWriter(sink).send("Hello")
    assert sink.data == bytes.fromhex("810548656c6c6f")


def test_binary_frame() -> None:
    sink = Sink()
    WebSocketWriter(sink).send(b"\x00\x01", binary=True)
    assert sink.data == b"\x82\x02\x00\x01"


def test_text_given_as_bytes_or_bytearray() -> None:
    sink = Sink()
    writer = WebSocketWriter(sink)
    writer.send(b"abc")
    writer.send(bytearray(b"de"))
    assert parse(sink.data) == [
        WSMessage(WSMsgType.text, "abc", ""),
        WSMessage(WSMsgType.text, "de", ""),
    ]


@pytest.mark.parametrize(
    "size,header",
    [(125, "827d"), (126, "827e007e"), (65535, "827effff"), (65536, "827f0000000000010000")],
)
def test_three_length_encodings(size: int, header: str) -> None:
    sink = Sink()
    payload = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    WebSocketWriter(sink).send(payload, binary=True)
    assert sink.data == bytes.fromhex(header) + payload
    assert parse(sink.data) == [WSMessage(WSMsgType.binary, payload, "")]


def test_large_payload_written_without_copy_into_one_buffer() -> None:
    sink = Sink()
    WebSocketWriter(sink).send(b"x" * 100_000, binary=True)
    assert [len(w) for w in sink.writes] == [10, 100_000]


def test_client_frames_masked_with_fresh_keys() -> None:
    sink = Sink()
    writer = WebSocketWriter(sink, use_mask=True)
    writer.send("Hello")
    writer.send("Hello")
    first, second = sink.writes
    assert first[0] == 0x81 and first[1] == 0x85
    key1, key2 = first[2:6], second[2:6]
    assert key1 != key2
    assert websocket_mask(key1, first[6:]) == b"Hello"
    assert parse(sink.data) == [WSMessage(WSMsgType.text, "Hello", "")] * 2


def test_masking_keys_come_from_the_given_random() -> None:
    sink_a, sink_b = Sink(), Sink()
    WebSocketWriter(sink_a, use_mask=True, random=random.Random(7)).send("x")
    WebSocketWriter(sink_b, use_mask=True, random=random.Random(7)).send("x")
    assert sink_a.data == sink_b.data
    assert sink_a.data[2:6] == random.Random(7).getrandbits(32).to_bytes(4, "big")


@pytest.mark.parametrize("size", [125, 126, 65536])
def test_masked_length_encodings(size: int) -> None:
    sink = Sink()
    WebSocketWriter(sink, use_mask=True).send(b"y" * size, binary=True)
    assert parse(sink.data) == [WSMessage(WSMsgType.binary, b"y" * size, "")]


def test_ping_pong() -> None:
    sink = Sink()
    writer = WebSocketWriter(sink)
    writer.ping()
    writer.ping("hé")
    writer.pong(b"p" * 125)
    assert sink.writes[0] == b"\x89\x00"
    assert parse(sink.data) == [
        WSMessage(WSMsgType.ping, b"", ""),
        WSMessage(WSMsgType.ping, "hé".encode(), ""),
        WSMessage(WSMsgType.pong, b"p" * 125, ""),
    ]


@pytest.mark.parametrize("method", ["ping", "pong"])
def test_control_payload_over_125_bytes_refused(method: str) -> None:
    sink = Sink()
    writer = WebSocketWriter(sink)
    with pytest.raises(ValueError, match="at most 125"):
        getattr(writer, method)(b"x" * 126)
    assert sink.writes == []


def test_close_with_code_and_reason() -> None:
    sink = Sink()
    writer = WebSocketWriter(sink)
    writer.close()
    writer.close(4001, "bye ✓")
    writer.close(1001, b"gone")
    assert sink.writes[0] == b"\x88\x02\x03\xe8"
    assert parse(sink.data) == [
        WSMessage(WSMsgType.close, 1000, ""),
        WSMessage(WSMsgType.close, 4001, "bye ✓"),
        WSMessage(WSMsgType.close, 1001, "gone"),
    ]


def test_close_code_that_may_not_be_sent() -> None:
    sink = Sink()
    with pytest.raises(ValueError, match="1005"):
        WebSocketWriter(sink).close(1005)
    assert sink.writes == []


def test_close_reason_too_long() -> None:
    with pytest.raises(ValueError, match="at most 123"):
        WebSocketWriter(Sink()).close(1000, "x" * 124)


def test_masked_close() -> None:
    sink = Sink()
    WebSocketWriter(sink, use_mask=True).close(1000, "ok")
    assert sink.data[1] == 0x80 | 4
    assert parse(sink.data) == [WSMessage(WSMsgType.close, 1000, "ok")]


def test_writer_attribute_is_the_transport() -> None:
    sink = Sink()
    writer = WebSocketWriter(sink)
    assert writer.writer is sink
    assert writer.use_mask is False
