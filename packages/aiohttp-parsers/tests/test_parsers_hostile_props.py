"""Hostile-input properties: writer output parses back under any chunking; any
bytes end in a message or a documented error (issue 9)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from parsers_drive import Out, parse_requests, parse_response, run
from parsers_sink import Sink, finish

from aiohttp_errors import BadHttpMessage, LineTooLong
from aiohttp_parsers import (
    HttpPayloadParser,
    HttpRequestParser,
    HttpResponseParser,
    HttpVersion10,
    HttpVersion11,
    ParserBuffer,
    Request,
    Response,
    parse_mimetype,
)
from aiohttp_streams import EofStream

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pieces_of(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=10).map(
    lambda t: "x-" + t
)
values = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20)
fields = st.lists(st.tuples(names, values), max_size=6)
body_pieces = st.lists(st.binary(max_size=300), max_size=5)
framings = st.sampled_from(["length", "chunked", "close"])
compressions = st.sampled_from([None, "gzip", "deflate"])
cut_points = st.lists(st.integers(0, 3000), max_size=8)


@SETTINGS
@given(
    status=st.sampled_from([200, 201, 203, 404, 500, 599]),
    version=st.sampled_from([HttpVersion10, HttpVersion11]),
    headers=fields,
    body=body_pieces,
    framing=framings,
    compression=compressions,
    rechunk=st.one_of(st.none(), st.integers(1, 64)),
    cuts=cut_points,
)
def test_response_writer_output_parses_back(
    status: int,
    version: tuple[int, int],
    headers: list[tuple[str, str]],
    body: list[bytes],
    framing: str,
    compression: str | None,
    rechunk: int | None,
    cuts: list[int],
) -> None:
    sink = Sink()
    resp = Response(
        sink, status, http_version=HttpVersion10 if version == (1, 0) else HttpVersion11
    )
    resp.add_headers(*headers)
    whole = b"".join(body)
    if compression is not None:
        resp.add_header("Content-Encoding", compression)
        resp.add_compression_filter(compression)
    elif framing == "length":
        resp.add_header("Content-Length", str(len(whole)))
    if framing == "chunked":
        resp.enable_chunked_encoding()
    if rechunk is not None:
        resp.add_chunking_filter(rechunk)
    resp.send_headers()
    for piece in body:
        resp.write(piece)
    finish(resp.write_eof())
    msg, got = parse_response(iter(pieces_of(bytes(sink.data), cuts)))
    assert msg.code == status
    assert [(k, v) for k, v in msg.headers.items() if k.startswith("x-")] == headers
    assert got == whole


@SETTINGS
@given(
    method=st.sampled_from(["POST", "PUT", "PATCH", "X-CUSTOM"]),
    path=st.text(alphabet="abc/?=&%.-_~", max_size=20).map(lambda p: "/" + p),
    headers=fields,
    body=body_pieces,
    chunked=st.booleans(),
    compression=compressions,
    cuts=cut_points,
)
def test_pipelined_request_writer_output_parses_back(
    method: str,
    path: str,
    headers: list[tuple[str, str]],
    body: list[bytes],
    chunked: bool,
    compression: str | None,
    cuts: list[int],
) -> None:
    whole = b"".join(body)
    sink = Sink()
    for _ in range(2):  # two requests on one connection
        req = Request(sink, method, path)
        req.add_headers(("Host", "example.com"), *headers)
        if compression is not None:
            req.add_header("Content-Encoding", compression)
            req.add_compression_filter(compression)
            req.enable_chunked_encoding()  # compressed size is unknown up front
        elif chunked:
            req.enable_chunked_encoding()
        else:
            req.add_header("Content-Length", str(len(whole)))
        req.send_headers()
        for piece in body:
            req.write(piece)
        finish(req.write_eof())
    results = parse_requests(iter(pieces_of(bytes(sink.data), cuts)))
    assert len(results) == 2
    for msg, got in results:
        assert (msg.method, msg.path) == (method, path)
        assert [(k, v) for k, v in msg.headers.items() if k.startswith("x-")] == headers
        assert got == whole


# -- arbitrary input -----------------------------------------------------------

# HTTP-shaped fragments, so the parser gets past the start line often.
_soup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                b"GET / HTTP/1.1\r\n",
                b"POST /x HTTP/1.1\r\n",
                b"GET / HTTP/1.0\r\n",
                b"Host: h\r\n",
                b"Content-Length: 3\r\n",
                b"Content-Length: 0\r\n",
                b"Transfer-Encoding: chunked\r\n",
                b"Content-Encoding: gzip\r\n",
                b"Content-Encoding: deflate\r\n",
                b"Connection: close\r\n",
                b"\r\n",
                b"\n",
                b"\r",
                b"3\r\nabc\r\n",
                b"0\r\n\r\n",
                b"ffffffffffffffffff\r\n",
                b"abc",
                b" ",
                b":",
                b"\x00",
                b"\xff",
            ]
        ),
        st.binary(max_size=8),
    ),
    max_size=20,
).map(b"".join)


def _pipeline(data: bytes, cuts: list[int]) -> tuple[list[tuple[object, bytes]], bool]:
    """Parse requests and bodies until EOF; (messages, whether it failed)."""
    buf = ParserBuffer()
    feed = iter(pieces_of(data, cuts))
    parser = HttpRequestParser(max_line_size=100, max_headers=6, max_field_size=60)
    got: list[tuple[object, bytes]] = []
    try:
        for _ in range(50):
            head: Out[object] = Out()
            assert run(parser(head, buf), feed, eof=True), "the head parser ignored EOF"
            assert len(head.items) == 1
            body: Out[bytes] = Out()
            payload = HttpPayloadParser(head.items[0], max_decompressed_size=1000)  # type: ignore[arg-type]
            assert run(payload(body, buf), feed, eof=True), "the payload parser ignored EOF"
            got.append((head.items[0], b"".join(body.items)))
    except (BadHttpMessage, EofStream):
        return got, True
    raise AssertionError("more than 50 messages from a short input")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(_soup, st.binary(max_size=300)), cuts=cut_points)
def test_any_bytes_give_messages_or_documented_error(data: bytes, cuts: list[int]) -> None:
    # Only BadHttpMessage (and subclasses) or EofStream escape, and what is
    # parsed does not depend on the split.
    assert _pipeline(data, []) == _pipeline(data, cuts)


@pytest.mark.parametrize(
    "data",
    [b"A" * 300 + b"\n", b"GET / HTTP/1.1\r\n" + b"A" * 300 + b"\n"],
    ids=["request-line", "field-line"],
)
def test_too_long_line_error_class_does_not_depend_on_split(data: bytes) -> None:
    def error(pieces: list[bytes]) -> type[BaseException]:
        head: Out[object] = Out()
        with pytest.raises(BadHttpMessage) as info:
            run(
                HttpRequestParser(max_line_size=100, max_field_size=100)(head, ParserBuffer()),
                iter(pieces),
                eof=True,
            )
        return info.type

    assert error([data]) is LineTooLong
    assert error([data[i : i + 7] for i in range(0, len(data), 7)]) is LineTooLong


def test_over_long_field_in_unfinished_head_fails_the_same_whole_or_split() -> None:
    data = b"\x00\xff\xff\x00\x00\r\n>" + b"\x00" * 150 + b"\r\n*"

    def error(pieces: list[bytes]) -> str:
        head: Out[object] = Out()
        parser = HttpRequestParser(max_line_size=256, max_headers=8, max_field_size=128)
        try:
            run(parser(head, ParserBuffer()), iter(pieces), eof=True)
        except (BadHttpMessage, EofStream) as exc:
            return type(exc).__name__
        return "ok"

    assert error([data]) == error([data[i : i + 7] for i in range(0, len(data), 7)])


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=80), st.none()))
def test_parse_mimetype_never_raises(text: str | None) -> None:
    mtype, stype, suffix, params = parse_mimetype(text)
    assert "+" not in stype


@settings(max_examples=100, deadline=None)
@given(
    junk=st.binary(min_size=1, max_size=64),
    piece=st.integers(1, 97),
    response=st.booleans(),
)
def test_a_head_that_never_ends_is_refused_within_its_byte_bound(
    junk: bytes, piece: int, response: bool
) -> None:
    # Memory stays bounded: however a never-ending head is trickled in, the
    # parser fails before it buffers more than its head limit.
    parser = (
        HttpResponseParser(max_line_size=100, max_headers=4, max_field_size=50)
        if response
        else HttpRequestParser(max_line_size=100, max_headers=4, max_field_size=50)
    )
    bound = 100 + 2 + 4 * (50 + 2) + 2
    start = b"HTTP/1.1 200 OK\r\n" if response else b"GET / HTTP/1.1\r\n"
    stream = start + (junk * (4000 // len(junk) + 1))[:4000]
    assume(b"\r\n\r\n" not in stream)
    buf = ParserBuffer()
    gen = parser(Out(), buf)
    next(gen)
    with pytest.raises(BadHttpMessage):
        for i in range(0, len(stream), piece):
            gen.send(stream[i : i + piece])
            assert len(buf) <= bound + piece


@pytest.mark.parametrize(
    "data",
    [
        b"GET / HTTP/1.1\r\nA: b\r\n\rX\n",  # one field too many, begun by a CR
        b"GET / HTTP/1.1\r\n" + b"A" * 90 + b"\r\r\n",  # CR past the field limit
        b"GET / HTTP/1.1\r\nA: b\r\nB: c\nC",  # bare LF in a field past the count
    ],
    ids=["cr-begun-field", "cr-after-limit", "bare-lf-vs-count"],
)
def test_head_error_is_the_same_at_every_split(data: bytes) -> None:
    def error(pieces: list[bytes]) -> str:
        head: Out[object] = Out()
        parser = HttpRequestParser(max_line_size=64, max_headers=1, max_field_size=64)
        try:
            run(parser(head, ParserBuffer()), iter(pieces), eof=True)
        except (BadHttpMessage, EofStream) as exc:
            return f"{type(exc).__name__}: {exc}"
        return "ok"

    whole = error([data])
    assert whole != "ok"
    for cut in range(1, len(data)):
        assert error([data[:cut], data[cut:]]) == whole, cut
    assert error([data[i : i + 1] for i in range(len(data))]) == whole
