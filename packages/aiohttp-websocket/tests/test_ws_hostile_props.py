"""Hostile-input properties (issue 9): fragmented, masked, interleaved frames of
any length round-trip under any chunking; any bytes give messages or
WebSocketError, whatever the split; the message limit holds across fragments."""

from __future__ import annotations

from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aiohttp_parsers import ParserBuffer
from aiohttp_websocket import (
    WebSocketError,
    WebSocketParser,
    WebSocketWriter,
    WSCloseCode,
    WSMessage,
    WSMsgType,
)
from aiohttp_websocket._frames import encode_frame

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT, BINARY, CONT, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


class Collector:
    def __init__(self) -> None:
        self.items: list[WSMessage] = []

    def feed_data(self, data: WSMessage, size: int, /) -> None:
        self.items.append(data)


class Sink:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes, /) -> None:
        self.data += data


def parse(
    pieces: list[bytes], *, masked: bool | None = None, limit: int = 1 << 22
) -> tuple[list[tuple[object, object, object]], tuple[int, str] | None]:
    out = Collector()
    gen: Generator[None, bytes, None] = WebSocketParser(
        out, ParserBuffer(), max_msg_size=limit, masked=masked
    )
    next(gen)
    try:
        for piece in pieces:
            gen.send(piece)
    except WebSocketError as exc:
        assert isinstance(exc.code, WSCloseCode)
        return [(m.type, m.data, m.extra) for m in out.items], (int(exc.code), str(exc))
    return [(m.type, m.data, m.extra) for m in out.items], None


def chop(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


messages = st.lists(
    st.tuples(
        st.one_of(st.text(max_size=200), st.binary(max_size=400)),
        st.lists(st.integers(0, 400), max_size=4),  # fragment boundaries
        st.lists(st.binary(max_size=125), max_size=2),  # pings between fragments
        st.booleans(),  # masked
        st.binary(min_size=4, max_size=4),  # masking key
    ),
    max_size=5,
)


@SETTINGS
@given(
    msgs=messages,
    close_code=st.sampled_from([1000, 1001, 1008, 1011, 3000, 4999]),
    reason=st.text(max_size=40),
    cuts=st.lists(st.integers(0, 5000), max_size=10),
)
def test_fragmented_interleaved_round_trip(
    msgs: list[tuple[str | bytes, list[int], list[bytes], bool, bytes]],
    close_code: int,
    reason: str,
    cuts: list[int],
) -> None:
    stream = bytearray()
    expected: list[tuple[object, object, object]] = []
    for payload, bounds, pings, masked, key in msgs:
        raw = payload.encode() if isinstance(payload, str) else payload
        points = sorted({min(b, len(raw)) for b in bounds})
        frags = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
        mask = key if masked else None
        for i, frag in enumerate(frags):
            opcode = (TEXT if isinstance(payload, str) else BINARY) if i == 0 else CONT
            stream += encode_frame(opcode, frag, fin=i == len(frags) - 1, mask=mask)
            if i < len(pings):  # a control frame between fragments
                stream += encode_frame(PING, pings[i], mask=mask)
                expected.append((WSMsgType.ping, pings[i], ""))
        kind = WSMsgType.text if isinstance(payload, str) else WSMsgType.binary
        expected.append((kind, payload, ""))
    sink = Sink()
    WebSocketWriter(sink, use_mask=True).close(
        close_code, reason.encode()[:123].decode(errors="ignore").encode()
    )
    stream += sink.data
    items, exc = parse(chop(bytes(stream), cuts))
    assert exc is None
    # Control frames are delivered at once, data messages when complete.
    assert sorted_by_kind(items[:-1]) == sorted_by_kind(expected)
    assert items[-1][0] == WSMsgType.close and items[-1][1] == close_code


def sorted_by_kind(items: list[tuple[object, object, object]]) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for kind, data, extra in items:
        out.setdefault(str(kind), []).append((data, extra))
    return out


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=400),
    masked=st.sampled_from([None, True, False]),
    cuts=st.lists(st.integers(0, 400), max_size=6),
)
def test_any_bytes_give_messages_or_websocket_error(
    data: bytes, masked: bool | None, cuts: list[int]
) -> None:
    whole = parse([data], masked=masked, limit=256)
    assert parse(chop(data, cuts), masked=masked, limit=256) == whole
    assert parse([data[i : i + 1] for i in range(len(data))], masked=masked, limit=256) == whole


@pytest.mark.parametrize("opcode", [TEXT, BINARY])
def test_limit_holds_across_fragments(opcode: int) -> None:
    def message(size: int) -> bytes:
        # Three fragments: 10 bytes, the rest less 1, then 1 byte.
        raw = b"x" * size
        return (
            encode_frame(opcode, raw[:10], fin=False)
            + encode_frame(CONT, raw[10:-1], fin=False)
            + encode_frame(CONT, raw[-1:])
        )

    items, exc = parse([message(100)], limit=100)
    assert exc is None and len(items) == 1  # at the limit
    items, exc = parse([message(101)], limit=100)
    assert items == [] and exc is not None and exc[0] == WSCloseCode.message_too_big


def test_default_message_limit_at_and_past() -> None:
    size = 4 * 1024 * 1024
    items, exc = parse([encode_frame(BINARY, b"\0" * size)], limit=size)
    assert exc is None and len(items) == 1 and len(items[0][1]) == size  # type: ignore[arg-type]
    items, exc = parse([encode_frame(BINARY, b"\0" * (size + 1))[:20]], limit=size)
    assert exc is not None and exc[0] == WSCloseCode.message_too_big


def test_largest_frame_length_is_accepted_and_the_next_refused() -> None:
    # RFC 6455 5.2: 63 bits. With no message limit, 2**63 - 1 is a valid
    # header (the parser waits for the payload); 2**63 sets the top bit.
    top = (1 << 63) - 1
    items, exc = parse([bytes([0x82, 127]) + top.to_bytes(8, "big")], limit=0)
    assert (items, exc) == ([], None)
    items, exc = parse([bytes([0x82, 127]) + (top + 1).to_bytes(8, "big")], limit=0)
    assert exc is not None and exc[0] == WSCloseCode.protocol_error
