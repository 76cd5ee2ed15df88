"""WebSocketParser: every RFC 6455 rule, with valid and invalid frames, fed
whole, split at every byte boundary, and one byte at a time."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable, Generator, Iterable

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_parsers import ParserBuffer, StreamParser
from aiohttp_websocket import (
    DEFAULT_MAX_MSG_SIZE,
    WebSocketError,
    WebSocketParser,
    WebSocketWriter,
    WSCloseCode,
    WSMessage,
    WSMsgType,
)
from aiohttp_websocket._frames import encode_frame

MASK = b"\x37\xfa\x21\x3d"


class Collector:
    """A parser output that records ``(message, size)`` pairs."""

    def __init__(self) -> None:
        self.items: list[tuple[WSMessage, int]] = []

    def feed_data(self, data: WSMessage, size: int, /) -> None:
        self.items.append((data, size))

    def feed_eof(self) -> None:
        pass


Factory = Callable[[Collector, ParserBuffer], Generator[None, bytes, None]]
Items = list[tuple[WSMessage, int]]


def run_parser(
    chunks: Iterable[bytes], parser: Factory = WebSocketParser
) -> tuple[Items, WebSocketError | None]:
    out = Collector()
    gen = parser(out, ParserBuffer())
    next(gen)
    try:
        for chunk in chunks:
            gen.send(chunk)
    except WebSocketError as exc:
        return out.items, exc
    return out.items, None


def splits(data: bytes) -> Iterable[list[bytes]]:
    yield [data]
    for i in range(1, len(data)):
        yield [data[:i], data[i:]]
    yield [data[i : i + 1] for i in range(len(data))]


def parse(data: bytes, parser: Factory = WebSocketParser) -> tuple[Items, WebSocketError | None]:
    """Parse *data* split every way; every way must give the same result."""
    first = run_parser([data], parser)
    expected = (first[0], None if first[1] is None else (first[1].code, str(first[1])))
    for chunks in splits(data):
        items, exc = run_parser(chunks, parser)
        assert (items, None if exc is None else (exc.code, str(exc))) == expected, chunks
    return first


def ok(data: bytes, parser: Factory = WebSocketParser) -> list[WSMessage]:
    items, exc = parse(data, parser)
    assert exc is None, exc
    return [m for m, _ in items]


def fails(data: bytes, code: int, parser: Factory = WebSocketParser) -> WebSocketError:
    _, exc = parse(data, parser)
    assert exc is not None, "expected a WebSocketError"
    assert exc.code == code, exc
    return exc


def frame(
    opcode: int, payload: bytes = b"", *, fin: bool = True, rsv: int = 0, masked: bool = True
) -> bytes:
    return encode_frame(opcode, payload, fin=fin, rsv=rsv, mask=MASK if masked else None)


TEXT, BINARY, CONT, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA
PROTOCOL_ERROR = WSCloseCode.protocol_error


# -- data frames ---------------------------------------------------------------


@pytest.mark.parametrize("masked", [True, False], ids=["masked", "unmasked"])
def test_text_and_binary(masked: bool) -> None:
    data = frame(TEXT, "héllo ✓".encode(), masked=masked) + frame(
        BINARY, b"\x00\xff" * 3, masked=masked
    )
    items, exc = parse(data)
    assert exc is None
    assert items == [
        (WSMessage(WSMsgType.text, "héllo ✓", ""), 7),
        (WSMessage(WSMsgType.binary, b"\x00\xff" * 3, ""), 6),
    ]


def test_empty_messages() -> None:
    assert ok(frame(TEXT) + frame(BINARY)) == [
        WSMessage(WSMsgType.text, "", ""),
        WSMessage(WSMsgType.binary, b"", ""),
    ]


@pytest.mark.parametrize("size", [125, 126, 0xFFFF, 0x10000])
def test_three_length_encodings(size: int) -> None:
    payload = os.urandom(size)
    data = frame(BINARY, payload)
    header_len = {125: 2, 126: 4, 0xFFFF: 4, 0x10000: 10}[size]
    assert len(data) == header_len + 4 + size
    # Every split of a 64 KiB frame is slow; split the header region finely.
    for cut in list(range(1, header_len + 6)) + [len(data) - 1]:
        items, exc = run_parser([data[:cut], data[cut:]])
        assert exc is None
        assert items == [(WSMessage(WSMsgType.binary, payload, ""), size)]


def test_payload_is_bytes_and_text_is_str() -> None:
    (msg,) = ok(frame(BINARY, b"abc", masked=False))
    assert type(msg.data) is bytes
    (msg,) = ok(frame(TEXT, b"abc"))
    assert type(msg.data) is str


def test_non_minimal_16_bit_length() -> None:
    # RFC 6455 5.2: "the minimal number of bytes MUST be used".
    data = bytes([0x82, 126]) + (5).to_bytes(2, "big") + b"abcde"
    fails(data, PROTOCOL_ERROR)


def test_non_minimal_64_bit_length() -> None:
    data = bytes([0x82, 127]) + (200).to_bytes(8, "big") + b"x" * 200
    fails(data, PROTOCOL_ERROR)


def test_64_bit_length_with_msb_set() -> None:
    data = bytes([0x82, 127]) + (1 << 63).to_bytes(8, "big")
    exc = fails(data, PROTOCOL_ERROR)
    assert "most significant bit" in str(exc)


# -- reserved bits and opcodes -------------------------------------------------


@pytest.mark.parametrize("rsv", range(1, 8))
@pytest.mark.parametrize("opcode", [TEXT, BINARY, PING])
def test_reserved_bits_rejected(rsv: int, opcode: int) -> None:
    exc = fails(frame(opcode, b"hi", rsv=rsv), PROTOCOL_ERROR)
    assert "reserved bits" in str(exc)


@pytest.mark.parametrize("opcode", [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
def test_reserved_opcodes_rejected(opcode: int) -> None:
    exc = fails(frame(opcode, b"x"), PROTOCOL_ERROR)
    assert "reserved opcode" in str(exc)


def test_error_after_good_messages_keeps_them() -> None:
    items, exc = parse(frame(TEXT, b"a") + frame(3))
    assert [m.data for m, _ in items] == ["a"]
    assert exc is not None and exc.code == PROTOCOL_ERROR


# -- control frames ------------------------------------------------------------


@pytest.mark.parametrize("opcode,tp", [(PING, WSMsgType.ping), (PONG, WSMsgType.pong)])
@pytest.mark.parametrize("size", [0, 1, 125])
def test_ping_pong(opcode: int, tp: WSMsgType, size: int) -> None:
    payload = bytes(range(size))
    items, exc = parse(frame(opcode, payload))
    assert exc is None
    assert items == [(WSMessage(tp, payload, ""), size)]


@pytest.mark.parametrize("opcode", [PING, PONG, CLOSE])
def test_control_frame_over_125_bytes(opcode: int) -> None:
    exc = fails(frame(opcode, b"\x03\xe8" + b"x" * 124), PROTOCOL_ERROR)
    assert "125" in str(exc)


@pytest.mark.parametrize("opcode", [PING, PONG, CLOSE])
def test_fragmented_control_frame(opcode: int) -> None:
    exc = fails(frame(opcode, b"", fin=False), PROTOCOL_ERROR)
    assert "fragmented control frame" in str(exc)


# -- close frames --------------------------------------------------------------


def close(code: int, reason: bytes = b"") -> bytes:
    return frame(CLOSE, code.to_bytes(2, "big") + reason)


def test_close_with_code_and_reason() -> None:
    items, exc = parse(close(1000, "bye ✓".encode()))
    assert exc is None
    assert items == [(WSMessage(WSMsgType.close, 1000, "bye ✓"), 0)]


def test_close_without_payload() -> None:
    assert ok(frame(CLOSE)) == [WSMessage(WSMsgType.close, 0, "")]


def test_close_with_one_byte() -> None:
    fails(frame(CLOSE, b"\x03"), PROTOCOL_ERROR)


@pytest.mark.parametrize(
    "code",
    [
        1000,
        1001,
        1002,
        1003,
        1007,
        1008,
        1009,
        1010,
        1011,
        1012,
        1013,
        1014,
        3000,
        3999,
        4000,
        4999,
    ],
)
def test_valid_close_codes(code: int) -> None:
    assert ok(close(code)) == [WSMessage(WSMsgType.close, code, "")]


@pytest.mark.parametrize(
    "code", [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]
)
def test_invalid_close_codes(code: int) -> None:
    exc = fails(close(code), PROTOCOL_ERROR)
    assert f"invalid close code {code}" in str(exc)


def test_close_reason_invalid_utf8() -> None:
    exc = fails(close(1000, b"ok\xff"), WSCloseCode.invalid_text)
    assert "UTF-8" in str(exc)


# -- fragmentation ---------------------------------------------------------------


def test_fragmented_binary() -> None:
    data = frame(BINARY, b"ab", fin=False) + frame(CONT, b"", fin=False) + frame(CONT, b"cd")
    items, exc = parse(data)
    assert exc is None
    assert items == [(WSMessage(WSMsgType.binary, b"abcd", ""), 4)]


def test_fragmented_text_with_code_point_split_across_fragments() -> None:
    text = "κόσμε€𝄞"
    raw = text.encode()
    data = b"".join(
        frame(TEXT if i == 0 else CONT, raw[i : i + 1], fin=i == len(raw) - 1)
        for i in range(len(raw))
    )
    assert ok(data) == [WSMessage(WSMsgType.text, text, "")]


def test_control_frames_between_fragments() -> None:
    data = (
        frame(TEXT, b"Hel", fin=False)
        + frame(PING, b"p1")
        + frame(CONT, b"lo", fin=False)
        + frame(PONG, b"p2")
        + frame(CLOSE, (1000).to_bytes(2, "big"))
        + frame(CONT, b"!")
    )
    assert ok(data) == [
        WSMessage(WSMsgType.ping, b"p1", ""),
        WSMessage(WSMsgType.pong, b"p2", ""),
        WSMessage(WSMsgType.close, 1000, ""),
        WSMessage(WSMsgType.text, "Hello!", ""),
    ]


def test_continuation_without_message() -> None:
    exc = fails(frame(CONT, b"x"), PROTOCOL_ERROR)
    assert "continuation frame without a message" in str(exc)


def test_continuation_after_finished_message() -> None:
    fails(frame(TEXT, b"a") + frame(CONT, b"b"), PROTOCOL_ERROR)


@pytest.mark.parametrize("second", [TEXT, BINARY])
def test_new_message_inside_fragmented_message(second: int) -> None:
    exc = fails(frame(TEXT, b"a", fin=False) + frame(second, b"b"), PROTOCOL_ERROR)
    assert "before the fragmented message" in str(exc)


def test_messages_after_a_fragmented_one() -> None:
    data = frame(BINARY, b"a", fin=False) + frame(CONT, b"b") + frame(TEXT, b"c")
    assert ok(data) == [
        WSMessage(WSMsgType.binary, b"ab", ""),
        WSMessage(WSMsgType.text, "c", ""),
    ]


# -- UTF-8 ---------------------------------------------------------------------

INVALID_UTF8 = [
    b"\xff",
    b"\xc0\xaf",  # overlong "/"
    b"\xe0\x80\xaf",  # overlong
    b"\xed\xa0\x80",  # UTF-16 surrogate
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\x80",  # lone continuation byte
    b"\xce\xba\xe1",  # truncated at the end of the message
]


@pytest.mark.parametrize("bad", INVALID_UTF8)
def test_invalid_utf8_single_frame(bad: bytes) -> None:
    exc = fails(frame(TEXT, b"ok " + bad), WSCloseCode.invalid_text)
    assert "not valid UTF-8" in str(exc)


@pytest.mark.parametrize("bad", INVALID_UTF8)
def test_invalid_utf8_in_a_later_fragment(bad: bytes) -> None:
    data = frame(TEXT, b"ok", fin=False) + frame(CONT, b"fine", fin=False) + frame(CONT, bad)
    fails(data, WSCloseCode.invalid_text)


def test_truncated_sequence_at_end_of_fragmented_message() -> None:
    data = frame(TEXT, b"\xce", fin=False) + frame(CONT, b"")
    fails(data, WSCloseCode.invalid_text)


def test_invalid_utf8_fails_before_the_frame_is_complete() -> None:
    # RFC 6455 8.1: invalid UTF-8 MUST fail the connection; we fail at the
    # first bad octet, without waiting for the rest of a large frame.
    data = frame(TEXT, b"\xce\xba" * 10 + b"\xff" + b"x" * 1000)
    cut = data.index(MASK) + 4 + 21
    items, exc = run_parser([data[:cut]])
    assert items == [] and exc is not None and exc.code == WSCloseCode.invalid_text


def test_binary_is_not_utf8_checked() -> None:
    assert ok(frame(BINARY, b"\xff")) == [WSMessage(WSMsgType.binary, b"\xff", "")]


# -- masking requirement -------------------------------------------------------


def server_parser(out: Collector, buf: ParserBuffer) -> Generator[None, bytes, None]:
    return WebSocketParser(out, buf, masked=True)


def client_parser(out: Collector, buf: ParserBuffer) -> Generator[None, bytes, None]:
    return WebSocketParser(out, buf, masked=False)


def test_server_requires_masked_frames() -> None:
    assert ok(frame(TEXT, b"a"), server_parser) == [WSMessage(WSMsgType.text, "a", "")]
    exc = fails(frame(TEXT, b"a", masked=False), PROTOCOL_ERROR, server_parser)
    assert "unmasked" in str(exc)


def test_client_rejects_masked_frames() -> None:
    assert ok(frame(TEXT, b"a", masked=False), client_parser) == [
        WSMessage(WSMsgType.text, "a", "")
    ]
    exc = fails(frame(TEXT, b"a"), PROTOCOL_ERROR, client_parser)
    assert "masked frame from a server" in str(exc)


# -- message size limit --------------------------------------------------------


def limited(limit: int) -> Factory:
    def factory(out: Collector, buf: ParserBuffer) -> Generator[None, bytes, None]:
        return WebSocketParser(out, buf, max_msg_size=limit)

    return factory


def test_default_limit_is_4_mib() -> None:
    assert DEFAULT_MAX_MSG_SIZE == 4 * 1024 * 1024
    header = (
        frame(BINARY, b"")[:1] + bytes([0x80 | 127]) + (DEFAULT_MAX_MSG_SIZE + 1).to_bytes(8, "big")
    )
    _, exc = run_parser([header])
    assert exc is not None and exc.code == WSCloseCode.message_too_big


@pytest.mark.parametrize("opcode", [TEXT, BINARY])
def test_message_at_limit_accepted_and_over_limit_rejected(opcode: int) -> None:
    assert len(ok(frame(opcode, b"x" * 10), limited(10))) == 1
    exc = fails(frame(opcode, b"x" * 11), WSCloseCode.message_too_big, limited(10))
    assert "exceeds the limit of 10 bytes" in str(exc)


@pytest.mark.parametrize("opcode", [TEXT, BINARY])
def test_limit_applies_to_fragments_together(opcode: int) -> None:
    at_limit = (
        frame(opcode, b"x" * 4, fin=False) + frame(CONT, b"x" * 3, fin=False) + frame(CONT, b"xxx")
    )
    assert len(ok(at_limit, limited(10))) == 1
    over = (
        frame(opcode, b"x" * 4, fin=False) + frame(CONT, b"x" * 3, fin=False) + frame(CONT, b"xxxx")
    )
    fails(over, WSCloseCode.message_too_big, limited(10))


def test_limit_checked_on_the_header_before_the_payload() -> None:
    # Only the header of a 1 GiB frame is sent: the parser refuses at once
    # instead of waiting for (and buffering) the payload.
    header = bytes([0x82, 0x80 | 127]) + (1 << 30).to_bytes(8, "big")
    _, exc = run_parser([header], limited(1024))
    assert exc is not None and exc.code == WSCloseCode.message_too_big


def test_limit_resets_between_messages() -> None:
    data = frame(BINARY, b"x" * 10) + frame(BINARY, b"y" * 10)
    assert len(ok(data, limited(10))) == 2


def test_control_frames_do_not_count_towards_the_limit() -> None:
    data = frame(BINARY, b"x" * 5, fin=False) + frame(PING, b"p" * 100) + frame(CONT, b"y" * 5)
    assert [m.type for m in ok(data, limited(10))] == [WSMsgType.ping, WSMsgType.binary]


def test_zero_disables_the_limit() -> None:
    items, exc = run_parser([frame(BINARY, b"x" * (DEFAULT_MAX_MSG_SIZE + 1))], limited(0))
    assert exc is None and items[0][1] == DEFAULT_MAX_MSG_SIZE + 1


# -- through StreamParser and a writer -----------------------------------------


class _Sink:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes, /) -> None:
        self.data += data


@pytest.mark.asyncio
async def test_through_stream_parser_and_its_queue() -> None:
    sink = _Sink()
    writer = WebSocketWriter(sink, use_mask=True)
    writer.send("hello")
    writer.ping(b"p")
    writer.close(1001, "gone")
    stream = StreamParser()
    out = stream.set_parser(WebSocketParser)
    for i in range(0, len(sink.data), 3):
        stream.feed_data(bytes(sink.data[i : i + 3]))
    assert await out.read() == WSMessage(WSMsgType.text, "hello", "")
    assert await out.read() == WSMessage(WSMsgType.ping, b"p", "")
    assert await out.read() == WSMessage(WSMsgType.close, 1001, "gone")


@pytest.mark.asyncio
async def test_stream_parser_passes_the_error_to_the_output() -> None:
    stream = StreamParser()
    out = stream.set_parser(WebSocketParser)
    stream.feed_data(frame(3))
    with pytest.raises(WebSocketError) as info:
        await out.read()
    assert info.value.code == PROTOCOL_ERROR


messages = st.lists(
    st.one_of(
        st.tuples(st.just(TEXT), st.text(max_size=300)),
        st.tuples(st.just(BINARY), st.binary(max_size=300)),
        st.tuples(st.just(PING), st.binary(max_size=125)),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(msgs=messages, use_mask=st.booleans(), cuts=st.lists(st.integers(1, 50), max_size=30))
def test_roundtrip_writer_to_parser(
    msgs: list[tuple[int, str | bytes]], use_mask: bool, cuts: list[int]
) -> None:
    sink = _Sink()
    writer = WebSocketWriter(sink, use_mask=use_mask)
    for opcode, payload in msgs:
        if opcode == PING:
            assert isinstance(payload, bytes)
            writer.ping(payload)
        else:
            writer.send(payload, binary=opcode == BINARY)
    data = bytes(sink.data)
    chunks = []
    pos = 0
    for cut in cuts:
        chunks.append(data[pos : pos + cut])
        pos += cut
    chunks.append(data[pos:])
    items, exc = run_parser(chunks)
    assert exc is None
    expected_types = {TEXT: WSMsgType.text, BINARY: WSMsgType.binary, PING: WSMsgType.ping}
    assert [(m.type, m.data) for m, _ in items] == [
        (expected_types[opcode], payload) for opcode, payload in msgs
    ]


# -- robustness: arbitrary frame soup ------------------------------------------

raw_frames = st.lists(
    st.tuples(
        st.integers(0, 255),  # first octet: any FIN/RSV/opcode combination
        st.binary(max_size=140),  # payload
        st.booleans(),  # masked
        st.sampled_from([None, 126, 127]),  # length form (None: shortest)
    ),
    min_size=1,
    max_size=5,
)


def _raw(b0: int, payload: bytes, masked: bool, form: int | None) -> bytes:
    n = len(payload)
    if form is None:
        form = n if n < 126 else 126
    ext = b"" if form < 126 else n.to_bytes(2 if form == 126 else 8, "big")
    key = MASK if masked else b""
    body = encode_frame(0x2, payload, mask=MASK)[-n:] if masked and n else payload
    return bytes([b0, (0x80 if masked else 0) | form]) + ext + key + body


@settings(max_examples=150, deadline=None)
@given(frames=raw_frames, cut=st.integers(0, 400))
def test_any_input_gives_messages_or_websocket_error(
    frames: list[tuple[int, bytes, bool, int | None]], cut: int
) -> None:
    # Whatever the bytes, the parser either outputs messages or raises
    # WebSocketError (never IndexError, UnicodeDecodeError, struct.error, ...),
    # and the outcome does not depend on where the input was split.
    data = b"".join(_raw(*f) for f in frames)
    whole = run_parser([data], limited(200))
    split = run_parser([data[:cut], data[cut:]], limited(200))
    bytewise = run_parser([data[i : i + 1] for i in range(len(data))], limited(200))
    describe = [
        (items, None if exc is None else (exc.code, str(exc)))
        for items, exc in (whole, split, bytewise)
    ]
    assert describe[0] == describe[1] == describe[2]


@pytest.mark.parametrize("opcode", [TEXT, BINARY])
def test_tiny_fragments_cost_no_memory_per_fragment(opcode: int) -> None:
    # 10,000 one-byte fragments (and as many empty ones) of one message: the
    # parser keeps their bytes, not an object per fragment (~50 bytes each).
    count = 10_000
    stream = (
        frame(opcode, b"a", fin=False)
        + (frame(CONT, b"", fin=False) + frame(CONT, b"b", fin=False)) * (count - 1)
        + frame(CONT, b"c")
    )
    chunks = [stream[i : i + 65536] for i in range(0, len(stream), 65536)]
    tracemalloc.start()
    try:
        items, exc = run_parser(chunks)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc is None
    assert [len(m.data) for m, _ in items if isinstance(m.data, (str, bytes))] == [count + 1]
    # The message (10 KB) and a few 64 KiB input chunks, far below the
    # ~1 MB a list of per-fragment objects would take.
    assert peak < 300_000, peak


@pytest.mark.parametrize("opcode", [0x1, 0x2])
def test_size_limit_is_per_message_not_per_stream(opcode: int) -> None:
    # Two messages of 80 bytes each under a 100-byte limit: each fits, so
    # both are delivered (the limit never adds up separate messages).
    out = Collector()
    gen = WebSocketParser(out, ParserBuffer(), max_msg_size=100)
    next(gen)
    payload = b"a" * 80
    gen.send(encode_frame(opcode, payload, mask=b"abcd") * 3)
    expected = payload if opcode == 0x2 else payload.decode()
    assert [m.data for m, _ in out.items] == [expected] * 3
