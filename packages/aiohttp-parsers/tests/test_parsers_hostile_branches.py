"""Parser branches hostile input reaches that the other tests did not (issue 9)."""

from __future__ import annotations

import zlib

import pytest
from parsers_drive import Out, parse_requests, parse_response, run

from aiohttp_errors import ContentEncodingError, InvalidHeader, InvalidURL, LineTooLong
from aiohttp_parsers import (
    ChunksParser,
    HttpPayloadParser,
    HttpRequestParser,
    HttpResponseParser,
    HttpVersion,
    ParserBuffer,
    RawRequestMessage,
)
from aiohttp_streams import EofStream


def test_buffer_repr_and_chunks_parser_cut_short() -> None:
    assert repr(ParserBuffer(b"abc")) == "<ParserBuffer 3 bytes>"
    out: Out[bytes] = Out()
    with pytest.raises(EofStream):  # a short last chunk: the stream was cut
        run(ChunksParser(4)(out, ParserBuffer()), iter([b"abcdef"]), eof=True)
    assert out.items == [b"abcd"]


def test_many_short_fields_over_the_field_size_in_total_are_fine() -> None:
    fields = b"".join(b"X-%d: %s\r\n" % (i, b"v" * 20) for i in range(5))  # 5 x 27 bytes
    req = b"GET / HTTP/1.1\r\nHost: h\r\n" + fields + b"\r\n"
    msg = parse_requests(iter([req]), HttpRequestParser(max_field_size=50))[0][0]
    assert msg.headers["X-4"] == "v" * 20


@pytest.mark.parametrize(
    ("version", "connection", "closes"),
    [(b"1.1", b"Upgrade", False), (b"1.0", b"Upgrade", True), (b"1.0", b"keep-alive", False)],
)
def test_connection_tokens_other_than_close_and_keep_alive(
    version: bytes, connection: bytes, closes: bool
) -> None:
    req = b"GET / HTTP/%s\r\nHost: h\r\nConnection: %s\r\n\r\n" % (version, connection)
    assert parse_requests(iter([req]))[0][0].should_close is closes


def test_http_1_x_minor_versions_other_than_0_and_1() -> None:
    msg = parse_requests(iter([b"GET / HTTP/1.2\r\nHost: h\r\n\r\n"]))[0][0]
    assert msg.version == HttpVersion(1, 2)


@pytest.mark.parametrize("target", [b"http://[zz]/", b"http://[::1/"])
def test_absolute_form_yarl_refuses_is_invalid_url(target: bytes) -> None:
    msg = parse_requests(iter([b"GET " + target + b" HTTP/1.1\r\nHost: h\r\n\r\n"]))[0][0]
    assert msg.path == target.decode()
    with pytest.raises(InvalidURL):  # documented: the url property is lazy
        msg.url  # noqa: B018


def test_lax_response_head_without_end_past_the_limit() -> None:
    parser = HttpResponseParser(max_line_size=20, max_headers=2, max_field_size=20, lax=True)
    with pytest.raises(LineTooLong, match="message head"):
        run(parser(Out(), ParserBuffer()), iter([b"HTTP/1.1 200 OK\n" + b"X: y\n" * 30]))


DEFLATED = zlib.compress(b"payload " * 10)


def deflate_response(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: %d\r\n\r\n%b" % (
        len(body),
        body,
    )


def test_zero_padding_after_a_deflate_stream_is_harmless() -> None:
    _, body = parse_response(iter([deflate_response(DEFLATED + b"\0\0\0")]))
    assert body == b"payload " * 10


def test_deflate_body_arriving_one_byte_at_a_time() -> None:
    raw = deflate_response(DEFLATED)
    _, body = parse_response(iter([raw[i : i + 1] for i in range(len(raw))]))
    assert body == b"payload " * 10


def test_one_byte_deflate_body_is_truncated() -> None:
    with pytest.raises(ContentEncodingError, match="truncated"):
        parse_response(iter([deflate_response(DEFLATED[:1])]))


def test_negative_explicit_length_is_refused() -> None:
    head: Out[RawRequestMessage] = Out()
    assert run(
        HttpRequestParser()(head, ParserBuffer(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")), iter([])
    )
    with pytest.raises(InvalidHeader, match="negative length"):
        run(HttpPayloadParser(head.items[0], length=-1)(Out(), ParserBuffer()), iter([]))


@pytest.mark.parametrize("encoding", [b"gzip", b"deflate"])
def test_empty_chunked_body_with_content_encoding_is_empty(encoding: bytes) -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: %b\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        % encoding
    )
    assert parse_response(iter([raw]))[1] == b""
