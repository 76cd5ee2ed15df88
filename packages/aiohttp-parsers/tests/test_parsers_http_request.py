"""HttpRequestParser, HttpPrefixParser and request bodies, as a server drives them."""

from __future__ import annotations

import gzip
import zlib

import pytest
from multidict import CIMultiDictProxy
from parsers_drive import Out, parse_requests, run, split
from yarl import URL

from aiohttp_errors import (
    BadHttpMessage,
    BadStatusLine,
    ContentEncodingError,
    HttpMethodNotAllowed,
    InvalidHeader,
    LineTooLong,
    TransferEncodingError,
)
from aiohttp_parsers import (
    HttpPayloadParser,
    HttpPrefixParser,
    HttpRequestParser,
    HttpVersion,
    HttpVersion10,
    HttpVersion11,
    ParserBuffer,
    RawRequestMessage,
    StreamParser,
    hdrs,
)
from aiohttp_streams import EofStream, FlowControlStreamReader

GET = (
    b"GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n"
)


def head_of(data: bytes) -> RawRequestMessage:
    out: Out[RawRequestMessage] = Out()
    assert run(HttpRequestParser()(out, ParserBuffer(data)), iter([]))
    return out.items[0]


def one(data: bytes, parser: HttpRequestParser | None = None) -> tuple[RawRequestMessage, bytes]:
    results = parse_requests(iter([data]), parser)
    assert len(results) == 1
    return results[0]


def test_simple_get() -> None:
    msg, body = one(GET)
    assert msg.method == "GET"
    assert msg.path == "/index.html?q=1"
    assert msg.version == HttpVersion11 == HttpVersion(1, 1)
    assert isinstance(msg.headers, CIMultiDictProxy)
    assert msg.headers["host"] == "example.com"
    assert msg.headers[hdrs.USER_AGENT] == "test"
    assert msg.raw_headers == (
        (b"Host", b"example.com"),
        (b"User-Agent", b"test"),
        (b"Accept", b"*/*"),
    )
    assert msg.should_close is False
    assert msg.compression is None
    assert body == b""
    assert msg.url == URL("/index.html?q=1")
    assert msg.url.query["q"] == "1"


def test_message_fields_are_2016_named_tuple_fields() -> None:
    assert RawRequestMessage._fields == (
        "method",
        "path",
        "version",
        "headers",
        "raw_headers",
        "should_close",
        "compression",
    )


def test_output_size_is_head_length() -> None:
    out: Out[RawRequestMessage] = Out()
    gen = HttpRequestParser()(out, ParserBuffer(GET))

    class Sized(Out[RawRequestMessage]):
        sizes: list[int] = []

        def feed_data(self, data: RawRequestMessage, size: int) -> None:
            self.sizes.append(size)
            super().feed_data(data, size)

    sized = Sized()
    assert run(HttpRequestParser()(sized, ParserBuffer(GET)), iter([]))
    assert sized.sizes == [len(GET)]
    gen.close()


def test_value_whitespace_stripped_and_empty_value() -> None:
    msg, _ = one(b"GET / HTTP/1.1\r\nHost:example.com \t\r\nX-Empty:\r\nX-Sp:  a  b  \r\n\r\n")
    assert msg.headers["Host"] == "example.com"
    assert msg.headers["X-Empty"] == ""
    assert msg.headers["X-Sp"] == "a  b"


def test_repeated_headers_kept_in_order() -> None:
    msg, _ = one(b"GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n")
    assert msg.headers.getall("X-A") == ["1", "2"]


def test_utf8_value_decoded() -> None:
    msg, _ = one("GET / HTTP/1.1\r\nHost: h\r\nX-Name: Łódź\r\n\r\n".encode())
    assert msg.headers["X-Name"] == "Łódź"


@pytest.mark.parametrize(
    ("version", "connection", "close"),
    [
        (b"1.1", None, False),
        (b"1.1", b"close", True),
        (b"1.1", b"Keep-Alive, Upgrade", False),
        (b"1.1", b"upgrade, CLOSE", True),
        (b"1.0", None, True),
        (b"1.0", b"keep-alive", False),
        (b"1.0", b"close", True),
    ],
)
def test_should_close(version: bytes, connection: bytes | None, close: bool) -> None:
    data = b"GET / HTTP/" + version + b"\r\nHost: h\r\n"
    if connection is not None:
        data += b"Connection: " + connection + b"\r\n"
    msg, _ = one(data + b"\r\n")
    assert msg.should_close is close


def test_http10_without_host() -> None:
    msg, _ = one(b"GET / HTTP/1.0\r\n\r\n")
    assert msg.version == HttpVersion10
    assert msg.headers == {}


@pytest.mark.parametrize(
    ("method", "target", "url"),
    [
        (b"GET", b"/a%20b?x=%2F", URL("/a%20b?x=%2F", encoded=True)),
        (b"GET", b"//double/slash", URL.build(path="//double/slash", encoded=True)),
        (b"GET", b"http://example.com/p?q", URL("http://example.com/p?q")),
        (b"CONNECT", b"example.com:443", URL.build(authority="example.com:443")),
        (b"OPTIONS", b"*", URL.build(path="*")),
    ],
)
def test_request_target_forms(method: bytes, target: bytes, url: URL) -> None:
    msg, _ = one(method + b" " + target + b" HTTP/1.1\r\nHost: example.com\r\n\r\n")
    assert msg.path == target.decode()
    assert msg.url == url


def test_url_of_origin_form_keeps_path() -> None:
    msg, _ = one(b"GET //double/slash HTTP/1.1\r\nHost: h\r\n\r\n")
    assert msg.url.path == "//double/slash"
    assert msg.url.host is None


def test_method_is_case_sensitive() -> None:
    msg, _ = one(b"get / HTTP/1.1\r\nHost: h\r\n\r\n")
    assert msg.method == "get"


def test_compression_flag() -> None:
    msg, _ = one(b"GET / HTTP/1.1\r\nHost: h\r\nContent-Encoding: GZip\r\n\r\n")
    assert msg.compression == "gzip"
    msg, _ = one(b"GET / HTTP/1.1\r\nHost: h\r\nContent-Encoding: br\r\n\r\n")
    assert msg.compression is None


# -- bodies --------------------------------------------------------------

POST_LENGTH = b"POST /l HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"
POST_CHUNKED = (
    b"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n"
    b'6;name=value;flag ; q = "a\\"b;c"\r\n world\r\n'
    b"A \t; ext\r\n0123456789\r\n"
    b"0\r\n"
    b"Expires: never\r\n"
    b"X-Trailer: 1\r\n"
    b"\r\n"
)
PIPELINE = GET + POST_LENGTH + POST_CHUNKED + GET


def test_content_length_body() -> None:
    msg, body = one(POST_LENGTH)
    assert body == b"hello world"


def test_chunked_body_with_extensions_and_trailers() -> None:
    msg, body = one(POST_CHUNKED)
    assert body == b"hello world0123456789"


def test_pipelined_requests_in_one_buffer() -> None:
    results = parse_requests(iter([PIPELINE]))
    assert [(m.path, b) for m, b in results] == [
        ("/index.html?q=1", b""),
        ("/l", b"hello world"),
        ("/c", b"hello world0123456789"),
        ("/index.html?q=1", b""),
    ]


@pytest.mark.parametrize("point", range(1, len(PIPELINE)))
def test_split_at_every_byte(point: int) -> None:
    expected = parse_requests(iter([PIPELINE]))
    assert parse_requests(split(PIPELINE, point)) == expected


def test_byte_by_byte() -> None:
    expected = parse_requests(iter([PIPELINE]))
    assert parse_requests(iter([PIPELINE[i : i + 1] for i in range(len(PIPELINE))])) == expected


def test_identical_content_lengths_are_one() -> None:
    data = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3, 3\r\n\r\nabc"
    _, body = one(data)
    assert body == b"abc"


def test_length_argument_used_without_content_length() -> None:
    msg, _ = one(b"POST / HTTP/1.1\r\nHost: h\r\n\r\n")
    out: Out[bytes] = Out()
    assert run(HttpPayloadParser(msg, length=3)(out, ParserBuffer(b"abcdef")), iter([]))
    assert out.items == [b"abc"]


def test_request_without_framing_has_no_body() -> None:
    results = parse_requests(iter([b"POST / HTTP/1.1\r\nHost: h\r\n\r\n" + GET]))
    assert [b for _, b in results] == [b"", b""]


def test_hixie_body_of_8_bytes() -> None:
    data = b"GET /ws HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key1: 1\r\n\r\n12345678"
    _, body = one(data)
    assert body == b"12345678"


def gzip_request(body: bytes, encoding: str = "gzip") -> bytes:
    head = (
        f"POST / HTTP/1.1\r\nHost: h\r\nContent-Encoding: {encoding}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # RFC 9110: zlib format
        ("deflate", lambda d: zlib.compress(d)[2:-4]),  # raw deflate, as 2016
    ],
)
def test_compressed_bodies(encoding: str, compress: object) -> None:
    assert callable(compress)
    payload = b"compressible " * 1000
    data = gzip_request(compress(payload), encoding)
    for point in (len(data) - 5, len(data) - 1):  # also split inside the stream
        assert parse_requests(split(data, point))[0][1] == payload


def test_multi_member_gzip() -> None:
    _, body = one(gzip_request(gzip.compress(b"ab") + gzip.compress(b"cd")))
    assert body == b"abcd"


def test_compressed_body_chunked() -> None:
    comp = gzip.compress(b"x" * 5000)
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(comp[i : i + 7]), comp[i : i + 7]) for i in range(0, len(comp), 7)
    )
    data = (
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    )
    assert one(data)[1] == b"x" * 5000


def test_compression_off() -> None:
    comp = gzip.compress(b"data")
    msg, _ = one(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\n\r\n")
    out: Out[bytes] = Out()
    parser = HttpPayloadParser(msg, length=len(comp), compression=False)
    assert run(parser(out, ParserBuffer(comp)), iter([]))
    assert b"".join(out.items) == comp


def decompress_body(data: bytes, **kwargs: int) -> bytes:
    buf = ParserBuffer(data)
    head: Out[RawRequestMessage] = Out()
    assert run(HttpRequestParser()(head, buf), iter([]))
    out: Out[bytes] = Out()
    assert run(HttpPayloadParser(head.items[0], **kwargs)(out, buf), iter([]))  # type: ignore[arg-type]  # only max_decompressed_size passed
    return b"".join(out.items)


def test_decompressed_size_limit_at_and_past() -> None:
    payload = b"\0" * 100_000
    data = gzip_request(gzip.compress(payload))
    assert decompress_body(data, max_decompressed_size=100_000) == payload
    with pytest.raises(ContentEncodingError, match="more than 99999 bytes"):
        decompress_body(data, max_decompressed_size=99_999)


def test_zip_bomb_output_comes_in_bounded_pieces() -> None:
    data = gzip_request(gzip.compress(b"\0" * 1_000_000))
    buf = ParserBuffer(data)
    head: Out[RawRequestMessage] = Out()
    assert run(HttpRequestParser()(head, buf), iter([]))
    out: Out[bytes] = Out()
    assert run(HttpPayloadParser(head.items[0])(out, buf), iter([]))
    assert max(map(len, out.items)) <= 65536
    assert sum(map(len, out.items)) == 1_000_000


@pytest.mark.parametrize(
    "body",
    [
        gzip.compress(b"hello")[:-3],  # truncated
        b"not gzip at all",
        gzip.compress(b"hello") + b"garbage",
    ],
)
def test_bad_compressed_body(body: bytes) -> None:
    with pytest.raises(ContentEncodingError):
        one(gzip_request(body))


def test_deflate_trailing_garbage() -> None:
    with pytest.raises(ContentEncodingError, match="after the end"):
        one(gzip_request(zlib.compress(b"hello") + b"xx", "deflate"))


def test_body_cut_by_eof() -> None:
    buf = ParserBuffer(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n")
    head: Out[RawRequestMessage] = Out()
    assert run(HttpRequestParser()(head, buf), iter([]))
    msg = head.items[0]
    out: Out[bytes] = Out()
    with pytest.raises(EofStream):
        run(HttpPayloadParser(msg)(out, buf), iter([b"abc"]), eof=True)


@pytest.mark.asyncio
async def test_with_stream_parser_and_stream_reader() -> None:
    stream = StreamParser()
    stream.feed_data(POST_CHUNKED[:70])
    heads = stream.set_parser(HttpRequestParser())
    stream.feed_data(POST_CHUNKED[70:])
    msg = await heads.read()
    payload = stream.set_parser(HttpPayloadParser(msg), FlowControlStreamReader(stream))
    assert await payload.read() == b"hello world0123456789"
    assert payload.at_eof()


# -- prefix parser -----------------------------------------------------------


def test_prefix_parser_peeks() -> None:
    buf = ParserBuffer()
    out: Out[str] = Out()
    assert run(HttpPrefixParser()(out, buf), iter([b"PO", b"ST / HTTP/1.1\r\n"]))
    assert out.items == ["POST"] and out.eof
    assert bytes(buf).startswith(b"POST /")


def test_prefix_parser_allowed_methods() -> None:
    out: Out[str] = Out()
    assert run(HttpPrefixParser(["get"])(out, ParserBuffer(b"GET /")), iter([]))
    with pytest.raises(HttpMethodNotAllowed) as info:
        run(HttpPrefixParser(["GET"])(Out(), ParserBuffer(b"POST /")), iter([]))
    assert info.value.code == 405


@pytest.mark.parametrize("data", [b"G(T / HTTP/1.1", b"X" * 40 + b" /", b" / HTTP/1.1"])
def test_prefix_parser_bad_method(data: bytes) -> None:
    with pytest.raises(BadStatusLine):
        run(HttpPrefixParser()(Out(), ParserBuffer(data)), iter([]))


# -- limits ----------------------------------------------------------------


def request_with(line: bytes = b"GET / HTTP/1.1", fields: list[bytes] | None = None) -> bytes:
    fields = [b"Host: h"] if fields is None else fields
    return b"".join(x + b"\r\n" for x in [line, *fields]) + b"\r\n"


@pytest.mark.parametrize("trickle", [False, True], ids=["whole", "trickled"])
def test_request_line_limit(trickle: bool) -> None:
    parser = HttpRequestParser(max_line_size=100)
    at = b"GET /" + b"a" * (100 - len(b"GET / HTTP/1.1")) + b" HTTP/1.1"
    assert len(at) == 100
    past = at.replace(b"/a", b"/aa")

    def feed(data: bytes) -> list[bytes]:
        return [data[i : i + 7] for i in range(0, len(data), 7)] if trickle else [data]

    assert parse_requests(iter(feed(request_with(at))), parser)[0][0].path.startswith("/aaa")
    with pytest.raises(LineTooLong, match="request line"):
        parse_requests(iter(feed(request_with(past))), parser)
    # Without any CRLF the error comes as soon as the limit is reached.
    with pytest.raises(LineTooLong):
        run(parser(Out(), ParserBuffer()), iter(feed(past)))


@pytest.mark.parametrize("trickle", [False, True], ids=["whole", "trickled"])
def test_field_size_limit(trickle: bool) -> None:
    parser = HttpRequestParser(max_field_size=50)
    at = b"X-Long: " + b"v" * 42
    assert len(at) == 50
    past = at + b"v"

    def feed(data: bytes) -> list[bytes]:
        return [data[i : i + 5] for i in range(0, len(data), 5)] if trickle else [data]

    assert parse_requests(iter(feed(request_with(fields=[b"Host: h", at]))), parser)
    with pytest.raises(LineTooLong):
        parse_requests(iter(feed(request_with(fields=[b"Host: h", past]))), parser)
    with pytest.raises(LineTooLong):
        run(parser(Out(), ParserBuffer()), iter(feed(b"GET / HTTP/1.1\r\n" + past + b"v" * 100)))


@pytest.mark.parametrize("trickle", [False, True], ids=["whole", "trickled"])
def test_header_count_limit(trickle: bool) -> None:
    parser = HttpRequestParser(max_headers=5)
    fields = [b"Host: h"] + [b"X-%d: v" % i for i in range(4)]

    def feed(data: bytes) -> list[bytes]:
        return [data[i : i + 3] for i in range(0, len(data), 3)] if trickle else [data]

    assert parse_requests(iter(feed(request_with(fields=fields))), parser)
    with pytest.raises(BadHttpMessage, match="too many header fields"):
        parse_requests(iter(feed(request_with(fields=[*fields, b"X-9: v"]))), parser)


def test_chunk_size_line_limit() -> None:
    head = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    msg = head_of(head)
    ext = b"1;" + b"e" * 200
    with pytest.raises(LineTooLong, match="chunk-size line"):
        run(HttpPayloadParser(msg, max_line_size=100)(Out(), ParserBuffer(ext)), iter([]))


def test_trailer_limits() -> None:
    msg = head_of(b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
    many = b"0\r\n" + b"X: 1\r\n" * 3 + b"\r\n"
    assert run(HttpPayloadParser(msg, max_headers=3)(Out(), ParserBuffer(many)), iter([]))
    with pytest.raises(BadHttpMessage, match="too many trailer"):
        run(HttpPayloadParser(msg, max_headers=2)(Out(), ParserBuffer(many)), iter([]))
    long = b"0\r\nX: " + b"v" * 100 + b"\r\n\r\n"
    with pytest.raises(LineTooLong):
        run(HttpPayloadParser(msg, max_field_size=50)(Out(), ParserBuffer(long)), iter([]))


# -- malformed input (RFC 9112 strict) ---------------------------------------

MALFORMED: list[tuple[str, bytes, type[Exception], str | None]] = [
    (
        "cl-and-te",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        BadHttpMessage,
        "both Content-Length and Transfer-Encoding",
    ),
    (
        "differing-cl",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        BadHttpMessage,
        "several differing Content-Length",
    ),
    (
        "differing-cl-list",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n",
        BadHttpMessage,
        "several differing Content-Length",
    ),
    (
        "cl-sign",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n",
        InvalidHeader,
        "decimal",
    ),
    (
        "cl-neg",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
        InvalidHeader,
        "decimal",
    ),
    (
        "cl-hex",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\n",
        InvalidHeader,
        "decimal",
    ),
    (
        "cl-unicode-digit",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ٣\r\n\r\n".encode(),
        InvalidHeader,
        "decimal",
    ),
    (
        "te-not-chunked-last",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        TransferEncodingError,
        "does not end with chunked",
    ),
    (
        "te-gzip",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
        TransferEncodingError,
        "does not end with chunked",
    ),
    (
        "te-chunked-twice",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n",
        TransferEncodingError,
        "only chunked",
    ),
    (
        "te-unsupported-coding-before-chunked",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        TransferEncodingError,
        "only chunked",
    ),
    (
        "te-chunkedx",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n",
        TransferEncodingError,
        "does not end",
    ),
    (
        "te-http10",
        b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        BadHttpMessage,
        "HTTP/1.0",
    ),
    (
        "smuggle-te-leading-space",
        b"POST / HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: h\r\n\r\n",
        InvalidHeader,
        "obs-fold",
    ),
    (
        "smuggle-te-vtab",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\x0bchunked\r\n\r\n",
        InvalidHeader,
        "control",
    ),
    (
        "smuggle-te-second-line",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n",
        TransferEncodingError,
        "does not end with chunked",
    ),
    (
        "smuggle-cl-leading-zero-dup",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 05\r\n\r\n",
        BadHttpMessage,
        "differing",
    ),
    (
        "smuggle-cl-exp",
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1e3\r\n\r\n",
        InvalidHeader,
        "decimal",
    ),
    ("bare-cr-value", b"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", InvalidHeader, "bare CR"),
    ("bare-cr-name", b"GET / HTTP/1.1\r\nHost: h\r\nX\r: a\r\n\r\n", InvalidHeader, "field name"),
    ("bare-lf-value", b"GET / HTTP/1.1\r\nHost: h\r\nX: a\nb\r\n\r\n", InvalidHeader, "bare LF"),
    ("nul-value", b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n", InvalidHeader, "NUL"),
    ("ctl-value", b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x1bb\r\n\r\n", InvalidHeader, "control"),
    ("del-value", b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x7fb\r\n\r\n", InvalidHeader, "control"),
    ("nul-name", b"GET / HTTP/1.1\r\nHost: h\r\nX\x00Y: a\r\n\r\n", InvalidHeader, "field name"),
    ("space-in-name", b"GET / HTTP/1.1\r\nHost: h\r\nX Y: a\r\n\r\n", InvalidHeader, "field name"),
    ("ws-before-colon", b"GET / HTTP/1.1\r\nHost: h\r\nX : a\r\n\r\n", InvalidHeader, "colon"),
    ("tab-before-colon", b"GET / HTTP/1.1\r\nHost: h\r\nX\t: a\r\n\r\n", InvalidHeader, "colon"),
    ("obs-fold", b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n", InvalidHeader, "obs-fold"),
    (
        "obs-fold-tab",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n",
        InvalidHeader,
        "obs-fold",
    ),
    ("no-colon", b"GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", InvalidHeader, "no colon"),
    ("empty-name", b"GET / HTTP/1.1\r\nHost: h\r\n: a\r\n\r\n", InvalidHeader, "empty field name"),
    ("missing-host", b"GET / HTTP/1.1\r\nX: y\r\n\r\n", BadHttpMessage, "missing Host"),
    ("two-hosts", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", BadHttpMessage, "2 Host"),
    ("two-hosts-10", b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", BadHttpMessage, "2 Host"),
    ("nul-start-line", b"GET /\x00 HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "request-target"),
    ("cr-start-line", b"GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "request-target"),
    ("bare-lf-start-line", b"GET / HTTP/1.1\nHost: h\r\n\r\n", BadStatusLine, None),
    ("two-spaces", b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "method SP"),
    ("tab-separator", b"GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "method SP"),
    ("trailing-space", b"GET / HTTP/1.1 \r\nHost: h\r\n\r\n", BadStatusLine, None),
    ("bad-method", b"G@T / HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "method"),
    ("bad-version", b"GET / HTTP/1.x\r\nHost: h\r\n\r\n", BadStatusLine, "version"),
    ("lower-version", b"GET / http/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "version"),
    ("http2", b"GET / HTTP/2.0\r\nHost: h\r\n\r\n", BadStatusLine, "unsupported HTTP version"),
    ("http09", b"GET /\r\n\r\n", BadStatusLine, None),
    ("empty-line", b"\r\n\r\n", BadStatusLine, None),
    (
        "relative-target",
        b"GET index.html HTTP/1.1\r\nHost: h\r\n\r\n",
        BadStatusLine,
        "request-target",
    ),
    ("asterisk-get", b"GET * HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "OPTIONS"),
    ("connect-path", b"CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n", BadStatusLine, "authority-form"),
]


@pytest.mark.parametrize(
    ("data", "exc", "match"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_request(data: bytes, exc: type[Exception], match: str | None) -> None:
    with pytest.raises(exc, match=match) as info:
        one(data)
    assert isinstance(info.value, BadHttpMessage)
    assert info.value.code == 400


CHUNKED_HEAD = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"

BAD_CHUNKS = [
    ("hex-prefix", b"0x5\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("negative", b"-5\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("space-after", b"5 \r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("space-before", b" 5\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("empty", b"\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("not-hex", b"g\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("bare-lf", b"5\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("bare-cr-in-ext", b"5;a\rb\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("nul-in-ext", b"5;a\x00\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("too-many-digits", b"1" + b"0" * 16 + b"\r\n", "chunk-size line"),
    ("no-crlf-after-data", b"5\r\nhelloXX0\r\n\r\n", "not followed by CRLF"),
    ("lf-after-data", b"5\r\nhello\n0\r\n\r\n", "not followed by CRLF"),
    ("data-longer", b"5\r\nhello!\r\n0\r\n\r\n", "not followed by CRLF"),
    ("lf-terminator", b"0\n\n", "chunk-size line"),
    ("ext-quoted-crlf", b'5;a="x\r\ny"\r\nhello\r\n0\r\n\r\n', "chunk-size line"),
    ("ext-unclosed-quote", b'5;a="x\r\nhello\r\n0\r\n\r\n', "chunk-size line"),
    ("ext-no-name", b"5;\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("ext-bad-name", b"5;a b\r\nhello\r\n0\r\n\r\n", "chunk-size line"),
    ("trailer-bare-lf", b"0\r\nX: y\n\r\n", "bare LF"),
    ("bad-trailer", b"0\r\nX : y\r\n\r\n", "colon"),
    ("trailer-nul", b"0\r\nX: \x00\r\n\r\n", "NUL"),
]


@pytest.mark.parametrize(
    ("body", "match"), [b[1:] for b in BAD_CHUNKS], ids=[b[0] for b in BAD_CHUNKS]
)
def test_malformed_chunked(body: bytes, match: str) -> None:
    with pytest.raises(BadHttpMessage, match=match):
        one(CHUNKED_HEAD + body)
    # Split inside the body the result is the same.
    with pytest.raises(BadHttpMessage, match=match):
        parse_requests(split(CHUNKED_HEAD + body, len(CHUNKED_HEAD) + 2))


def test_error_message_quotes_at_most_100_bytes() -> None:
    with pytest.raises(InvalidHeader) as info:
        one(b"GET / HTTP/1.1\r\nHost: h\r\nX: " + b"a" * 500 + b"\x00\r\n\r\n")
    assert len(str(info.value)) < 250


@pytest.mark.parametrize(
    ("data", "exc"),
    [
        (b"GET / HTTP/1.1\r\nHost: h\nX: y\n\n", InvalidHeader),
        (b"GET / HTTP/1.1\nHost: h\n\n", BadStatusLine),
        (b"GET / HTTP/1.1\r\nHost: h\r\n\n", InvalidHeader),
    ],
)
@pytest.mark.parametrize("trickle", [False, True], ids=["whole", "trickled"])
def test_bare_lf_head_fails_without_waiting_for_more(
    data: bytes, exc: type[Exception], trickle: bool
) -> None:
    pieces = [data[i : i + 1] for i in range(len(data))] if trickle else [data]
    with pytest.raises(exc, match="bare LF"):
        run(HttpRequestParser()(Out(), ParserBuffer()), iter(pieces))


def test_one_header_too_many_detected_before_it_ends() -> None:
    parser = HttpRequestParser(max_headers=2)
    head = b"GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\nY"
    with pytest.raises(BadHttpMessage, match="too many header fields"):
        run(parser(Out(), ParserBuffer()), iter([head]))


def test_te_token_list_forms_accepted() -> None:
    for te in (b"Chunked", b"chunked,", b", chunked", b"CHUNKED"):
        data = (
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
            + te
            + b"\r\n\r\n1\r\na\r\n0\r\n\r\n"
        )
        assert one(data)[1] == b"a"


def test_smuggled_request_stays_a_body() -> None:
    inner = b"GET /admin HTTP/1.1\r\nHost: h\r\n\r\n"
    data = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%b" % (len(inner), inner)
    results = parse_requests(iter([data]))
    assert [(m.path, b) for m, b in results] == [("/", inner)]
