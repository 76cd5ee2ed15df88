"""HttpResponseParser and response bodies, as a client drives them."""

from __future__ import annotations

import gzip

import pytest
from parsers_drive import Out, parse_response, run, split

from aiohttp_errors import (
    BadHttpMessage,
    BadStatusLine,
    InvalidHeader,
    LineTooLong,
    TransferEncodingError,
)
from aiohttp_parsers import (
    HttpPayloadParser,
    HttpResponseParser,
    HttpVersion10,
    HttpVersion11,
    ParserBuffer,
    RawResponseMessage,
)
from aiohttp_streams import EofStream

OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"


def test_simple_response() -> None:
    msg, body = parse_response(iter([OK]))
    assert msg.version == HttpVersion11
    assert msg.code == 200
    assert msg.reason == "OK"
    assert msg.headers["content-type"] == "text/plain"
    assert msg.raw_headers == ((b"Content-Type", b"text/plain"), (b"Content-Length", b"5"))
    assert msg.should_close is False
    assert msg.compression is None
    assert body == b"hello"


def test_fields_are_2016_named_tuple_fields() -> None:
    assert RawResponseMessage._fields == (
        "version",
        "code",
        "reason",
        "headers",
        "raw_headers",
        "should_close",
        "compression",
    )


@pytest.mark.parametrize(
    ("line", "code", "reason"),
    [
        (b"HTTP/1.1 404 Not Found", 404, "Not Found"),
        (b"HTTP/1.1 200 ", 200, ""),
        (b"HTTP/1.1 200", 200, ""),
        (b"HTTP/1.1 599 Custom\tReason  Here", 599, "Custom\tReason  Here"),
        (b"HTTP/1.0 200 OK", 200, "OK"),
    ],
)
def test_status_lines(line: bytes, code: int, reason: str) -> None:
    msg, _ = parse_response(iter([line + b"\r\nContent-Length: 0\r\n\r\n"]))
    assert (msg.code, msg.reason) == (code, reason)


@pytest.mark.parametrize("point", range(1, len(OK)))
def test_split_at_every_byte(point: int) -> None:
    assert parse_response(split(OK, point)) == parse_response(iter([OK]))


CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n"
)


def test_chunked_response() -> None:
    assert parse_response(iter([CHUNKED]))[1] == b"Wikipedia in\r\n\r\nchunks."


@pytest.mark.parametrize("point", range(1, len(CHUNKED), 3))
def test_chunked_split(point: int) -> None:
    assert parse_response(split(CHUNKED, point))[1] == b"Wikipedia in\r\n\r\nchunks."


def test_read_until_eof() -> None:
    data = b"HTTP/1.1 200 OK\r\n\r\nall of it"
    msg, body = parse_response(split(data, 22))
    assert body == b"all of it"
    assert msg.should_close is True  # the body ends with the connection


def test_no_readall_no_body() -> None:
    _, body = parse_response(iter([b"HTTP/1.1 200 OK\r\n\r\n"]), readall=False)
    assert body == b""


@pytest.mark.parametrize("code", [b"204", b"304", b"100", b"101"])
def test_codes_without_body(code: bytes) -> None:
    data = b"HTTP/1.1 " + code + b" X\r\nContent-Length: 10\r\n\r\n"
    msg, body = parse_response(iter([data]))
    assert body == b""
    assert msg.should_close is False


def test_head_response_has_no_body() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
    _, body = parse_response(iter([data]), response_with_body=False)
    assert body == b""


def test_http10_response_closes() -> None:
    msg, _ = parse_response(iter([b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"]))
    assert msg.version == HttpVersion10 and msg.should_close


def test_gzip_response() -> None:
    comp = gzip.compress(b"zipped" * 100)
    data = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(comp)
    msg, body = parse_response(iter([data + comp]))
    assert msg.compression == "gzip"
    assert body == b"zipped" * 100


def test_gzip_until_eof() -> None:
    comp = gzip.compress(b"zipped" * 100)
    data = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + comp
    assert parse_response(split(data, 50, 60))[1] == b"zipped" * 100


def test_gzip_cut_short_at_eof() -> None:
    comp = gzip.compress(b"zipped" * 100)
    data = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + comp[:-4]
    with pytest.raises(BadHttpMessage, match="truncated"):
        parse_response(iter([data]))


def test_body_cut_short_raises_eof() -> None:
    with pytest.raises(EofStream):
        parse_response(iter([OK[:-1]]))


# -- strict and lax ------------------------------------------------------

STRICT_ERRORS = [
    ("lf-only", b"HTTP/1.1 200 OK\nContent-Length: 0\n\n", None),
    ("obs-fold", b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", InvalidHeader),
    ("ws-colon", b"HTTP/1.1 200 OK\r\nX : a\r\nContent-Length: 0\r\n\r\n", InvalidHeader),
    ("two-spaces", b"HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n", BadStatusLine),
    ("cl-te", b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", None),
    ("te-gzip", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", TransferEncodingError),
    ("reason-ctl", b"HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n", BadStatusLine),
]


@pytest.mark.parametrize(
    ("data", "exc"), [e[1:] for e in STRICT_ERRORS], ids=[e[0] for e in STRICT_ERRORS]
)
def test_strict_by_default(data: bytes, exc: type[Exception] | None) -> None:
    with pytest.raises(exc or BadHttpMessage):
        parse_response(iter([data]))


def test_lax_accepts_what_clients_tolerate() -> None:
    msg, body = parse_response(
        iter([b"HTTP/1.1  200  O\x01K \nX: a\r\n b\nY : c\nContent-Length: 2\r\n\r\nhi"]), lax=True
    )
    assert msg.code == 200
    assert msg.headers["X"] == "a b"
    assert msg.headers["Y"] == "c"
    assert body == b"hi"


def test_lax_te_wins_over_cl() -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\nhi\r\n0\r\n\r\n"
    )
    msg, body = parse_response(iter([data]), lax=True)
    assert body == b"hi"


def test_lax_te_not_chunked_reads_until_eof() -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nrest"
    msg, body = parse_response(iter([data]), lax=True)
    assert body == b"rest" and msg.should_close


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\nX: a\x00\n\n",
        b"HTTP/1.1 200 OK\nX: a\rb\n\n",
        b"HTTP/1.1 200 OK\nNoColon\n\n",
        b"HTTP/1.1 2000 OK\n\n",
        b"HTTP/2 200 OK\n\n",
    ],
)
def test_lax_still_rejects(data: bytes) -> None:
    with pytest.raises(BadHttpMessage):
        parse_response(iter([data]), lax=True)


@pytest.mark.parametrize(
    "line",
    [
        b"HTTP/1.1 20 OK",
        b"HTTP/1.1 0200 OK",
        b"HTTP/1.1 099 OK",
        b"HTTP/2.0 200 OK",
        b"ICY 200 OK",
        b"",
    ],
)
def test_bad_status_lines(line: bytes) -> None:
    with pytest.raises(BadStatusLine):
        parse_response(iter([line + b"\r\nContent-Length: 0\r\n\r\n"]))


def test_status_line_limit() -> None:
    at = b"HTTP/1.1 200 " + b"r" * 87
    assert len(at) == 100
    out: Out[RawResponseMessage] = Out()
    assert run(HttpResponseParser(max_line_size=100)(out, ParserBuffer(at + b"\r\n\r\n")), iter([]))
    with pytest.raises(LineTooLong, match="status line"):
        run(HttpResponseParser(max_line_size=100)(Out(), ParserBuffer(at + b"r\r\n\r\n")), iter([]))
    with pytest.raises(LineTooLong, match="status line"):
        parser = HttpResponseParser(max_line_size=100, lax=True)
        run(parser(Out(), ParserBuffer(at + b"r\n\n")), iter([]))


def test_payload_parser_keyword_compat() -> None:
    # The 2016 positional signature: (message, length, compression, readall, response_with_body)
    out: Out[RawResponseMessage] = Out()
    assert run(HttpResponseParser()(out, ParserBuffer(b"HTTP/1.1 200 OK\r\n\r\n")), iter([]))
    body: Out[bytes] = Out()
    assert run(
        HttpPayloadParser(out.items[0], 3, True, False, True)(body, ParserBuffer(b"abcd")), iter([])
    )
    assert body.items == [b"abc"]
