"""Every parser bound at its limit and one past it (issue 9), including the defaults."""

from __future__ import annotations

import pytest
from parsers_drive import Out, parse_requests, run

from aiohttp_errors import (
    BadHttpMessage,
    BadStatusLine,
    LineLimitExceededParserError,
    LineTooLong,
    TransferEncodingError,
)
from aiohttp_parsers import (
    HttpPayloadParser,
    HttpPrefixParser,
    HttpRequestParser,
    HttpResponseParser,
    LinesParser,
    ParserBuffer,
    RawRequestMessage,
)

CHUNKED_HEAD = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"


def chunked_message() -> RawRequestMessage:
    head: Out[RawRequestMessage] = Out()
    assert run(HttpRequestParser()(head, ParserBuffer(CHUNKED_HEAD)), iter([]))
    return head.items[0]


def body_of(data: bytes, **kw: int) -> bytes:
    out: Out[bytes] = Out()
    assert run(HttpPayloadParser(chunked_message(), **kw)(out, ParserBuffer()), iter([data]))  # type: ignore[arg-type]
    return b"".join(out.items)


# -- defaults (8190-byte lines, 128 header lines) ------------------------------


def test_default_request_line_limit() -> None:
    at = b"GET /" + b"a" * (8190 - len(b"GET / HTTP/1.1")) + b" HTTP/1.1"
    assert len(at) == 8190
    req = at + b"\r\nHost: h\r\n\r\n"
    assert len(parse_requests(iter([req]))) == 1
    with pytest.raises(LineTooLong):
        parse_requests(iter([req.replace(b"/a", b"/aa", 1)]))


def test_default_field_line_limit() -> None:
    at = b"X-L: " + b"v" * (8190 - 5)
    assert len(at) == 8190
    req = b"GET / HTTP/1.1\r\nHost: h\r\n" + at + b"\r\n\r\n"
    assert parse_requests(iter([req]))[0][0].headers["X-L"] == "v" * 8185
    with pytest.raises(LineTooLong):
        parse_requests(iter([req.replace(b"X-L: ", b"X-L: v")]))


def test_default_header_count_limit() -> None:
    fields = b"Host: h\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(127))
    req = b"GET / HTTP/1.1\r\n" + fields + b"\r\n"
    assert len(parse_requests(iter([req]))[0][0].headers) == 128
    with pytest.raises(BadHttpMessage, match="too many header fields"):
        parse_requests(iter([req.replace(b"\r\n\r\n", b"\r\nX-Z: v\r\n\r\n")]))


def test_default_status_line_limit() -> None:
    at = b"HTTP/1.1 200 " + b"r" * (8190 - 13)
    assert len(at) == 8190
    head: Out[object] = Out()
    assert run(HttpResponseParser()(head, ParserBuffer(at + b"\r\n\r\n")), iter([]))
    with pytest.raises(LineTooLong):
        run(HttpResponseParser()(Out(), ParserBuffer(at + b"r\r\n\r\n")), iter([]))


# -- chunked framing ---------------------------------------------------------------


@pytest.mark.parametrize("step", [0, 1, 7])
def test_chunk_size_line_at_and_past_the_limit(step: int) -> None:
    at = b"3;" + b"e" * 98  # 100 bytes before CRLF
    assert len(at) == 100
    data = at + b"\r\nabc\r\n0\r\n\r\n"
    pieces = [data[i : i + step] for i in range(0, len(data), step)] if step else [data]

    out: Out[bytes] = Out()
    msg = chunked_message()
    assert run(HttpPayloadParser(msg, max_line_size=100)(out, ParserBuffer()), iter(pieces))
    assert b"".join(out.items) == b"abc"
    past = b"3;" + b"e" * 99 + b"\r\nabc\r\n0\r\n\r\n"
    with pytest.raises(LineTooLong, match="chunk-size line"):
        body_of(past, max_line_size=100)


def test_chunk_size_16_hex_digits_and_17() -> None:
    assert body_of(b"0000000000000003\r\nabc\r\n0\r\n\r\n") == b"abc"
    with pytest.raises(TransferEncodingError):
        body_of(b"00000000000000003\r\nabc\r\n0\r\n\r\n")


def test_trailer_line_at_and_past_the_limit() -> None:
    at = b"X: " + b"v" * 47
    assert len(at) == 50
    assert body_of(b"0\r\n" + at + b"\r\n\r\n", max_field_size=50) == b""
    with pytest.raises(LineTooLong):
        body_of(b"0\r\n" + at + b"v\r\n\r\n", max_field_size=50)


# -- the prefix parser and the buffer primitives ---------------------------------


def test_method_size_at_and_past_the_limit() -> None:
    out: Out[str] = Out()
    assert run(
        HttpPrefixParser(max_method_size=5)(out, ParserBuffer(b"PATCH / HTTP/1.1")), iter([])
    )
    assert out.items == ["PATCH"]
    with pytest.raises(BadStatusLine, match="method too long"):
        run(
            HttpPrefixParser(max_method_size=5)(Out(), ParserBuffer(b"DELETE / HTTP/1.1")), iter([])
        )
    out = Out()
    long = "UPDATEREDIRECTREF"  # the longest registered method, 17 bytes: default 32 fits
    assert run(HttpPrefixParser()(out, ParserBuffer(long.encode() + b" /")), iter([]))
    assert out.items == [long]
    with pytest.raises(BadStatusLine):
        run(HttpPrefixParser()(Out(), ParserBuffer(b"X" * 33 + b" /")), iter([]))


@pytest.mark.parametrize("method", ["readuntil", "waituntil"])
def test_readuntil_limit_counts_the_stop_bytes(method: str) -> None:
    def call(data: bytes) -> bytes:
        gen = getattr(ParserBuffer(data), method)(b"\r\n", 5)
        try:
            next(gen)
        except StopIteration as stop:
            result: bytes = stop.value
            return result
        raise AssertionError("waiting")

    assert call(b"abc\r\nrest") == b"abc\r\n"  # 5 bytes: at the limit
    with pytest.raises(LineLimitExceededParserError):
        call(b"abcd\r\nrest")


def test_buffer_total_at_and_past_the_limit() -> None:
    buf = ParserBuffer(limit=8)
    buf.feed_data(b"1234")
    buf.feed_data(b"5678")
    assert bytes(buf) == b"12345678"
    with pytest.raises(LineLimitExceededParserError):
        buf.feed_data(b"9")


def test_lines_parser_at_and_past_the_limit() -> None:
    out: Out[bytes] = Out()
    gen = LinesParser(limit=4)(out, ParserBuffer())
    next(gen)
    gen.send(b"123\n")  # 4 bytes with its LF: at the limit
    assert out.items == [b"123\n"]
    with pytest.raises(LineLimitExceededParserError):
        gen.send(b"1234\n")
