"""Property tests: any split gives the same result; any input gives a result or a BadHttpMessage."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from parsers_drive import Out, parse_requests, parse_response, run

from aiohttp_errors import BadHttpMessage
from aiohttp_parsers import HttpPayloadParser, HttpRequestParser, HttpResponseParser, ParserBuffer
from aiohttp_streams import EofStream

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

tokens = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=12)
values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30).map(
    str.strip
)
bodies = st.binary(max_size=200)


@st.composite
def requests(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str]], bytes]:
    fields = draw(st.lists(st.tuples(tokens.map(lambda t: "x-" + t), values), max_size=8))
    body = draw(bodies)
    chunked = draw(st.booleans())
    head = "POST /p HTTP/1.1\r\nHost: h\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields)
    if chunked:
        cuts = sorted(draw(st.sets(st.integers(0, len(body)), max_size=4)) | {0, len(body)})
        pieces = [body[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
        framed = b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        head += "Transfer-Encoding: chunked\r\n"
    else:
        framed = body
        head += f"Content-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + framed, fields, body


@SETTINGS
@given(req=requests(), data=st.data())
def test_request_any_split(
    req: tuple[bytes, list[tuple[str, str]], bytes], data: st.DataObject
) -> None:
    raw, fields, body = req
    stream = raw * 2  # pipelined
    cuts = sorted(data.draw(st.sets(st.integers(1, len(stream) - 1), max_size=6)))
    points = [0, *cuts, len(stream)]
    pieces = [stream[a:b] for a, b in zip(points, points[1:], strict=False)]
    results = parse_requests(iter(pieces))
    assert len(results) == 2
    for msg, got in results:
        assert got == body
        assert [(n, v) for n, v in msg.headers.items() if n.startswith("x-")] == fields


@SETTINGS
@given(
    prefix=st.sampled_from([b"GET / HTTP/1.1\r\nHost: h\r\n", b"HTTP/1.1 200 OK\r\n", b""]),
    junk=st.binary(max_size=120),
)
def test_garbage_gives_message_or_bad_http_message(prefix: bytes, junk: bytes) -> None:
    data = prefix + junk
    for parser in (HttpRequestParser(max_field_size=60), HttpResponseParser(max_field_size=60)):
        buf = ParserBuffer()
        head: Out[object] = Out()
        try:
            done = run(parser(head, buf), iter([data]), eof=True)
        except (BadHttpMessage, EofStream):
            continue
        assert done and len(head.items) == 1


@SETTINGS
@given(junk=st.binary(max_size=120), lax=st.booleans())
def test_garbage_body(junk: bytes, lax: bool) -> None:
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
    try:
        parse_response(iter([head + junk]), lax=lax)
    except (BadHttpMessage, EofStream):
        pass


@SETTINGS
@given(body=bodies, data=st.data())
def test_payload_length_any_split(body: bytes, data: st.DataObject) -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%b" % (len(body), body)
    cuts = sorted(data.draw(st.sets(st.integers(1, len(raw) - 1), max_size=5)))
    points = [0, *cuts, len(raw)]
    msg, got = parse_response(iter([raw[a:b] for a, b in zip(points, points[1:], strict=False)]))
    assert got == body
    assert isinstance(HttpPayloadParser(msg), HttpPayloadParser)
