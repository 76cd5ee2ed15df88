"""MultipartReader / BodyPartReader: the 2016 API over real StreamReader bodies."""

from __future__ import annotations

import asyncio
import base64
import binascii
import gzip
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from mp_trickle import one_piece_per_turn
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp_multipart import (
    BadContentDispositionHeader,
    BodyPartReader,
    ContentStream,
    MultipartReader,
    MultipartResponseWrapper,
)
from aiohttp_streams import StreamReader

Make = Callable[..., StreamReader]
BOUNDARY = b"--:"
CT = {"Content-Type": 'multipart/related; boundary=":"'}


def part(
    body: bytes, make: Make, headers: dict[str, str] | None = None, step: int | None = None
) -> BodyPartReader:
    return BodyPartReader(BOUNDARY, headers or {}, make(body, step))


def mp(*parts: tuple[str, bytes], boundary: str = "B", close: bytes = b"--\r\n") -> bytes:
    out = b""
    for headers, body in parts:
        out += b"--" + boundary.encode() + b"\r\n" + headers.encode() + b"\r\n" + body + b"\r\n"
    return out + b"--" + boundary.encode() + close


def form_headers(boundary: str = "B") -> dict[str, str]:
    return {"Content-Type": f"multipart/form-data; boundary={boundary}"}


async def collect(reader: MultipartReader) -> list[object]:
    """Read every part (nested ones as lists) with a watchdog against hangs."""

    async def run() -> list[object]:
        out: list[object] = []
        async for p in reader:
            if isinstance(p, MultipartReader):
                out.append(await collect(p))
            else:
                out.append(bytes(await p.read()))
        return out

    return await asyncio.wait_for(run(), 30)


# -- BodyPartReader ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_read(stream_of: Make) -> None:
    obj = part(b"Hello, world!\r\n--:", stream_of)
    result = await obj.read()
    assert result == bytearray(b"Hello, world!")
    assert isinstance(result, bytearray)
    assert obj.at_eof()
    assert await obj.read() == bytearray()


@pytest.mark.asyncio
async def test_read_leaves_boundary_in_stream(stream_of: Make) -> None:
    stream = stream_of(b"Hello\r\n--:\r\nrest")
    obj = BodyPartReader(BOUNDARY, {}, stream)
    assert await obj.read() == b"Hello"
    assert await stream.read() == b"--:\r\nrest"


@pytest.mark.asyncio
@pytest.mark.parametrize("step", [1, 2, 3, 5, 100])
async def test_read_chunk_sizes_and_steps(stream_of: Make, step: int) -> None:
    body = b"\r\n-\r\n--\r\n--x" * 50
    obj = part(body + b"\r\n--:", stream_of, step=step)
    chunks = []
    while True:
        chunk = await obj.read_chunk(7)
        if not chunk:
            break
        assert len(chunk) <= 7
        chunks.append(chunk)
    assert b"".join(chunks) == body
    assert obj.at_eof()
    assert await obj.read_chunk() == b""


@pytest.mark.asyncio
async def test_read_chunk_rejects_nonpositive(stream_of: Make) -> None:
    obj = part(b"x\r\n--:", stream_of)
    with pytest.raises(ValueError, match="positive"):
        await obj.read_chunk(0)


@pytest.mark.asyncio
async def test_read_chunk_holds_at_most_chunk_plus_delimiter(stream_of: Make) -> None:
    obj = part(b"a" * 100_000 + b"\r\n--:", stream_of)
    while await obj.read_chunk(1000):
        assert len(obj._buf) <= 1000 + len(b"\r\n--:")


@pytest.mark.asyncio
async def test_readline(stream_of: Make) -> None:
    obj = part(b"Hello\n\r\nWorld\r\n\r\nend\r\n--:", stream_of, step=2)
    lines = []
    while True:
        line = await obj.readline()
        if not line:
            break
        lines.append(line)
    assert lines == [b"Hello\n", b"\r\n", b"World\r\n", b"\r\n", b"end"]
    assert obj.at_eof()
    assert await obj.readline() == b""


@pytest.mark.asyncio
async def test_readline_body_ending_in_newline(stream_of: Make) -> None:
    obj = part(b"line\r\n\r\n--:", stream_of)
    assert await obj.readline() == b"line\r\n"
    assert await obj.readline() == b""
    assert obj.at_eof()


@pytest.mark.asyncio
async def test_readline_then_read_chunk(stream_of: Make) -> None:
    obj = part(b"first\nsecond part\r\n--:", stream_of)
    assert await obj.readline() == b"first\n"
    assert await obj.read() == b"second part"


@pytest.mark.asyncio
async def test_release(stream_of: Make) -> None:
    stream = stream_of(b"Hello,\r\n--:\r\n\r\nworld!\r\n--:--")
    obj = BodyPartReader(BOUNDARY, {}, stream)
    await obj.release()
    assert obj.at_eof()
    assert await stream.read() == b"--:\r\n\r\nworld!\r\n--:--"


@pytest.mark.asyncio
async def test_next_and_async_for(stream_of: Make) -> None:
    obj = part(b"body\r\n--:", stream_of)
    assert [bytes(x) async for x in obj] == [b"body"]
    assert await obj.next() is None
    empty = part(b"\r\n--:", stream_of)
    assert await empty.next() is None


@pytest.mark.asyncio
async def test_text_json_form(stream_of: Make) -> None:
    obj = part(
        "Привет\r\n--:".encode("cp1251"), stream_of, {"Content-Type": "text/plain;charset=cp1251"}
    )
    assert await obj.text() == "Привет"
    obj = part("Привет\r\n--:".encode(), stream_of)
    assert await obj.text() == "Привет"
    obj = part(b"abc\r\n--:", stream_of)
    assert await obj.text(encoding="ascii") == "abc"
    obj = part(b'{"a": [1, "\xc3\xa9"]}\r\n--:', stream_of, {"Content-Type": "application/json"})
    assert await obj.json() == {"a": [1, "é"]}
    assert await part(b"\r\n--:", stream_of).json() is None
    obj = part(b"foo=bar&foo=baz&e=&u=%C3%A9\r\n\r\n--:", stream_of)
    assert await obj.form() == [("foo", "bar"), ("foo", "baz"), ("e", ""), ("u", "é")]
    assert await part(b"\r\n--:", stream_of).form() is None


@pytest.mark.asyncio
async def test_get_charset_filename_name(stream_of: Make) -> None:
    headers = {
        "Content-Type": 'text/plain; charset="latin-1"',
        "Content-Disposition": "form-data; name=\"f\"; filename*=utf-8''%e2%82%ac.txt",
    }
    obj = part(b"x\r\n--:", stream_of, headers)
    assert obj.get_charset() == "latin-1"
    assert obj.filename == "€.txt"
    assert obj.name == "f"
    assert "€.txt" in repr(obj)
    bare = part(b"x\r\n--:", stream_of)
    assert bare.get_charset() is None
    assert bare.get_charset("utf-8") == "utf-8"
    assert bare.filename is None and bare.name is None
    assert isinstance(bare.headers, CIMultiDictProxy)


def _compress(data: bytes, wbits: int) -> bytes:
    c = zlib.compressobj(wbits=wbits)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize(
    ("headers", "encode"),
    [
        ({"Content-Encoding": "identity"}, lambda d: d),
        ({"Content-Encoding": "gzip"}, gzip.compress),
        ({"Content-Encoding": "x-gzip"}, gzip.compress),
        ({"Content-Encoding": "gzip"}, lambda d: gzip.compress(d[:5]) + gzip.compress(d[5:])),
        ({"Content-Encoding": "deflate"}, lambda d: _compress(d, zlib.MAX_WBITS)),
        ({"Content-Encoding": "deflate"}, lambda d: _compress(d, -zlib.MAX_WBITS)),  # 2016 raw
        ({"Content-Transfer-Encoding": "base64"}, base64.encodebytes),
        ({"Content-Transfer-Encoding": "quoted-printable"}, binascii.b2a_qp),
        ({"Content-Transfer-Encoding": "binary"}, lambda d: d),
        ({"Content-Transfer-Encoding": "8bit"}, lambda d: d),
        ({"Content-Transfer-Encoding": "7BIT"}, lambda d: d),
        (
            {"Content-Transfer-Encoding": "base64", "Content-Encoding": "gzip"},
            lambda d: base64.b64encode(gzip.compress(d)),
        ),
    ],
)
@pytest.mark.asyncio
async def test_read_decode(
    stream_of: Make, headers: dict[str, str], encode: Callable[[bytes], bytes]
) -> None:
    data = b"Time to Relax! \xe2\x82\xac " * 20
    obj = part(encode(data) + b"\r\n--:", stream_of, headers)
    assert await obj.read(decode=True) == data
    obj = part(encode(data) + b"\r\n--:", stream_of, headers)
    assert obj.decode(await obj.read()) == data


@pytest.mark.asyncio
async def test_headers_mapping_is_case_insensitive(stream_of: Make) -> None:
    obj = part(b"x\r\n--:", stream_of, {"content-TYPE": "text/plain; charset=ascii"})
    assert obj.get_charset() == "ascii"


# -- MultipartReader ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_reader_basic(stream_of: Make) -> None:
    body = mp(
        ('Content-Disposition: form-data; name="a"\r\n', b"1"),
        (
            'Content-Disposition: form-data; name="b"; filename="b.txt"\r\n'
            "Content-Type: text/plain\r\n",
            b"two\r\nlines",
        ),
    )
    reader = MultipartReader(form_headers(), stream_of(body))
    first = await reader.next()
    assert isinstance(first, BodyPartReader)
    assert first.name == "a" and first.filename is None
    assert await first.text() == "1"
    second = await reader.next()
    assert isinstance(second, BodyPartReader)
    assert (second.name, second.filename) == ("b", "b.txt")
    assert second.headers["content-type"] == "text/plain"
    assert await second.read() == b"two\r\nlines"
    assert not reader.at_eof()
    assert await reader.next() is None
    assert reader.at_eof()
    assert await reader.next() is None


@pytest.mark.asyncio
async def test_reader_skips_unread_parts(stream_of: Make) -> None:
    body = mp(("", b"x" * 100_000), ("", b"second"), ("", b"third"))
    reader = MultipartReader(form_headers(), stream_of(body, 999))
    with pytest.warns(BadContentDispositionHeader):
        first = await reader.next()
        assert first is not None
        second = await reader.next()
    assert isinstance(second, BodyPartReader)
    assert await second.read_chunk(3) == b"sec"
    with pytest.warns(BadContentDispositionHeader):
        third = await reader.next()
    assert isinstance(third, BodyPartReader)
    assert await third.read() == b"third"


@pytest.mark.asyncio
async def test_reader_release(stream_of: Make) -> None:
    stream = stream_of(mp(("X: 1\r\n", b"a"), ("X: 2\r\n", b"b")))
    reader = MultipartReader(CT | {"Content-Type": "multipart/mixed; boundary=B"}, stream)
    await reader.release()
    assert reader.at_eof()
    assert stream.at_eof()


@pytest.mark.asyncio
async def test_preamble_and_epilogue_are_ignored(stream_of: Make) -> None:
    body = b"This is a preamble\r\n--B\r\n\r\nbody\r\n--B--\r\nThis is the epilogue\r\n"
    stream = stream_of(body)
    reader = MultipartReader({"Content-Type": "multipart/mixed; boundary=B"}, stream)
    assert await collect(reader) == [b"body"]
    assert stream.at_eof()


@pytest.mark.asyncio
async def test_transport_padding_and_no_final_crlf(stream_of: Make) -> None:
    body = b"--B \t\r\n\r\nbody\r\n--B--  "
    reader = MultipartReader({"Content-Type": "multipart/mixed; boundary=B"}, stream_of(body))
    assert await collect(reader) == [b"body"]


@pytest.mark.asyncio
async def test_body_that_resembles_the_boundary(stream_of: Make) -> None:
    tricky = b"--B\r\n\r\n--\r\n-\r\n--\r\n--\r\r\n\r\n\r--Bx--B\r\n\n--B\r-\r\n-B"
    body = mp(("", tricky), ("", b"\r\n"), ("", b""))
    reader = MultipartReader({"Content-Type": "multipart/mixed; boundary=B"}, stream_of(body, 1))
    assert await collect(reader) == [tricky, b"\r\n", b""]


@pytest.mark.asyncio
async def test_empty_multipart(stream_of: Make) -> None:
    reader = MultipartReader(form_headers(), stream_of(b"--B--\r\n"))
    assert await collect(reader) == []
    assert reader.at_eof()


@pytest.mark.asyncio
async def test_quoted_boundary_with_special_chars(stream_of: Make) -> None:
    boundary = "a;b=c (d)"
    body = mp(("", b"x"), boundary=boundary)
    headers = {"Content-Type": f'multipart/mixed; boundary="{boundary}"'}
    assert await collect(MultipartReader(headers, stream_of(body))) == [b"x"]


@pytest.mark.asyncio
async def test_folded_part_header(stream_of: Make) -> None:
    body = b'--B\r\nContent-Disposition: form-data;\r\n name="folded"\r\n\r\nv\r\n--B--\r\n'
    reader = MultipartReader(form_headers(), stream_of(body))
    p = await reader.next()
    assert isinstance(p, BodyPartReader)
    assert p.name == "folded"
    assert p.headers["Content-Disposition"] == 'form-data; name="folded"'


@pytest.mark.asyncio
async def test_non_utf8_header_is_latin1(stream_of: Make) -> None:
    body = (
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="caf\xe9"\r\n\r\nv\r\n--B--\r\n'
    )
    p = await MultipartReader(form_headers(), stream_of(body)).next()
    assert isinstance(p, BodyPartReader)
    assert p.filename == "café"


@pytest.mark.asyncio
async def test_nested_multipart(stream_of: Make) -> None:
    inner = mp(("", b"inner-1"), ("X-A: b\r\n", b"inner-2"), boundary="I")
    body = mp(
        ("Content-Type: text/plain\r\n", b"outer-1"),
        ("Content-Type: multipart/mixed; boundary=I\r\n", inner + b"inner epilogue"),
        ("", b"outer-3"),
        boundary="O",
    )
    for step in (1, 7, len(body)):
        reader = MultipartReader(
            {"Content-Type": "multipart/mixed; boundary=O"}, stream_of(body, step)
        )
        assert await collect(reader) == [b"outer-1", [b"inner-1", b"inner-2"], b"outer-3"]


@pytest.mark.asyncio
async def test_nested_multipart_skipped_unread(stream_of: Make) -> None:
    inner = mp(("", b"inner-1"), boundary="I")
    body = mp(
        ("Content-Type: multipart/mixed; boundary=I\r\n", inner), ("", b"after"), boundary="O"
    )
    reader = MultipartReader({"Content-Type": "multipart/mixed; boundary=O"}, stream_of(body))
    nested = await reader.next()
    assert isinstance(nested, MultipartReader)
    after = await reader.next()
    assert isinstance(after, BodyPartReader)
    assert await after.read() == b"after"
    assert await reader.next() is None


@pytest.mark.asyncio
async def test_nested_three_levels(stream_of: Make) -> None:
    level3 = mp(("", b"deep"), boundary="L3")
    level2 = mp(("Content-Type: multipart/mixed; boundary=L3\r\n", level3), boundary="L2")
    level1 = mp(
        ("Content-Type: multipart/mixed; boundary=L2\r\n", level2), ("", b"x"), boundary="L1"
    )
    reader = MultipartReader({"Content-Type": "multipart/mixed; boundary=L1"}, stream_of(level1, 3))
    assert await collect(reader) == [[[b"deep"]], b"x"]


class _Reader2(MultipartReader):
    pass


class _Part2(BodyPartReader):
    pass


@pytest.mark.asyncio
async def test_reader_classes_are_overridable(stream_of: Make) -> None:
    class Custom(MultipartReader):
        multipart_reader_cls = _Reader2
        part_reader_cls = _Part2

    inner = mp(("", b"i"), boundary="I")
    body = mp(("", b"a"), ("Content-Type: multipart/mixed; boundary=I\r\n", inner), boundary="O")
    reader = Custom({"Content-Type": "multipart/mixed; boundary=O"}, stream_of(body))
    assert isinstance(await reader.next(), _Part2)
    nested = await reader.next()
    assert isinstance(nested, _Reader2)
    assert await collect(nested) == [b"i"]


@pytest.mark.asyncio
async def test_subclass_init_sees_case_insensitive_headers_of_form_parts(stream_of: Make) -> None:
    # Browser-shaped blocks take a fast path that builds no CIMultiDict for
    # the stock reader; a subclass's own __init__ still gets one, as in 2016.
    seen: list[str] = []

    class Part(BodyPartReader):
        def __init__(
            self, boundary: bytes, headers: Mapping[str, str], content: ContentStream
        ) -> None:
            seen.append(headers["content-disposition"])
            super().__init__(boundary, headers, content)

    class Nested(MultipartReader):
        part_reader_cls = Part

        def __init__(
            self, headers: Mapping[str, str], content: ContentStream, **limits: Any
        ) -> None:
            seen.append(headers["content-type"])
            super().__init__(headers, content, **limits)

    class Custom(MultipartReader):
        part_reader_cls = Part
        multipart_reader_cls = Nested

    inner = mp(('Content-Disposition: form-data; name="i"\r\n', b"i"), boundary="I")
    body = mp(
        ('Content-Disposition: form-data; name="a"\r\n', b"a"),
        (
            'Content-Disposition: form-data; name="n"\r\n'
            "Content-Type: multipart/mixed; boundary=I\r\n",
            inner,
        ),
    )
    assert await collect(Custom(form_headers(), stream_of(body))) == [b"a", [b"i"]]
    assert seen == [
        'form-data; name="a"',
        'form-data; name="n"',
        "multipart/mixed; boundary=I",
        'form-data; name="i"',
    ]
    # The stock reader's parts give the same headers, made on first use.
    reader = MultipartReader(form_headers(), stream_of(body))
    first = await reader.next()
    assert isinstance(first, BodyPartReader)
    assert isinstance(first.headers, CIMultiDictProxy)
    assert first.headers is first.headers
    assert list(first.headers.items()) == [("Content-Disposition", 'form-data; name="a"')]
    assert first.headers["CONTENT-DISPOSITION"] == 'form-data; name="a"'


@pytest.mark.asyncio
async def test_form_data_part_without_disposition_warns(stream_of: Make) -> None:
    body = mp(
        ("Content-Type: text/plain\r\n", b"x"),
        ('Content-Disposition: attachment; filename="a"\r\n', b"y"),
    )
    reader = MultipartReader(form_headers(), stream_of(body))
    with pytest.warns(BadContentDispositionHeader, match="no Content-Disposition"):
        await reader.next()
    with pytest.warns(BadContentDispositionHeader, match="attachment"):
        await reader.next()


# -- from_response / MultipartResponseWrapper --------------------------------------------


class Response:
    """A response the way 2016 ClientResponse looked: headers, content, release()."""

    def __init__(self, headers: dict[str, str], content: StreamReader, sync: bool) -> None:
        self.headers = CIMultiDictProxy(CIMultiDict(headers))
        self.content = content
        self.released = 0
        self._sync = sync

    def release(self) -> asyncio.Future[None] | None:
        self.released += 1
        if self._sync:
            return None
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        fut.set_result(None)
        return fut


@pytest.mark.asyncio
@pytest.mark.parametrize("sync", [True, False])
async def test_from_response(stream_of: Make, sync: bool) -> None:
    resp = Response(
        {"Content-Type": "multipart/mixed; boundary=B"}, stream_of(mp(("", b"a"), ("", b"b"))), sync
    )
    wrapper = MultipartReader.from_response(resp)
    assert isinstance(wrapper, MultipartResponseWrapper)
    assert isinstance(wrapper.stream, MultipartReader)
    assert wrapper.resp is resp
    seen = []
    async for p in wrapper:
        assert isinstance(p, BodyPartReader)
        seen.append(bytes(await p.read()))
    assert seen == [b"a", b"b"]
    assert resp.released == 1
    assert wrapper.at_eof()
    await wrapper.release()
    assert resp.released == 2


# -- every split point ---------------------------------------------------------------------

SPLIT_BODY = mp(
    ('Content-Disposition: form-data; name="a"\r\n', b"value\r\n--"),
    (
        'Content-Disposition: form-data; name="f"; filename="f.bin"\r\n'
        "Content-Type: application/octet-stream\r\n",
        b"\r\n--C-\r\n--\r",
    ),
    (
        'Content-Disposition: form-data; name="n"\r\nContent-Type: multipart/mixed; boundary=I\r\n',
        mp(("", b"in"), boundary="I"),
    ),
    ('Content-Disposition: form-data; name="e"\r\n', b""),
)
SPLIT_EXPECTED: list[object] = [b"value\r\n--", b"\r\n--C-\r\n--\r", [b"in"], b""]


@pytest.mark.asyncio
async def test_split_at_every_position(pieces_stream: Callable[..., StreamReader]) -> None:
    """Two feeds, split at each byte: before, inside and after every delimiter."""
    for cut in range(len(SPLIT_BODY) + 1):
        stream = pieces_stream([SPLIT_BODY[:cut], SPLIT_BODY[cut:]])
        assert await collect(MultipartReader(form_headers(), stream)) == SPLIT_EXPECTED, cut


@pytest.mark.asyncio
async def test_split_in_three_around_every_delimiter(
    pieces_stream: Callable[..., StreamReader],
) -> None:
    starts = [i for i in range(len(SPLIT_BODY)) if SPLIT_BODY.startswith(b"\r\n--B", i)]
    for start in starts:
        for a in range(start - 2, start + 8):
            for b in range(a, start + 10):
                stream = pieces_stream([SPLIT_BODY[:a], SPLIT_BODY[a:b], SPLIT_BODY[b:]])
                got = await collect(MultipartReader(form_headers(), stream))
                assert got == SPLIT_EXPECTED, (a, b)


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6, 7, 8, 13, 64])
async def test_read_chunk_size_at_every_position(stream_of: Make, size: int) -> None:
    """Chunk boundaries of the reader (not the feed) fall everywhere too."""
    for step in (1, 5, len(SPLIT_BODY)):
        reader = MultipartReader(form_headers(), stream_of(SPLIT_BODY, step))
        got: list[bytes] = []
        async for p in reader:
            if isinstance(p, BodyPartReader):
                data = b""
                while chunk := await p.read_chunk(size):
                    data += chunk
                got.append(data)
        assert got == [b"value\r\n--", b"\r\n--C-\r\n--\r", b""]


def _without_delimiter(data: bytes) -> bytes:
    while b"\r\n--B" in data:
        data = data.replace(b"\r\n--B", b"")
    return data


_body_bytes = st.lists(st.sampled_from([b"\r", b"\n", b"-", b"B", b"x", b"\r\n--"])).map(
    lambda parts: _without_delimiter(b"".join(parts))
)


@settings(max_examples=60, deadline=None)
@given(
    bodies=st.lists(_body_bytes, min_size=0, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_random_bodies_random_splits(bodies: list[bytes], cuts: list[int]) -> None:
    body = mp(*[("", b) for b in bodies]) if bodies else b"--B--\r\n"
    points = sorted({min(c, len(body)) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]

    async def run() -> list[object]:
        stream = StreamReader()
        for piece in pieces:
            if piece:
                stream.feed_data(piece)
        stream.feed_eof()
        return await collect(
            MultipartReader({"Content-Type": "multipart/mixed; boundary=B"}, stream)
        )

    assert asyncio.run(run()) == bodies


async def _fed_one_by_one(pieces: list[bytes], headers: dict[str, str]) -> list[object]:
    """Every part of a body whose pieces arrive one per event-loop turn."""
    return await one_piece_per_turn(pieces, lambda s: collect(MultipartReader(headers, s)))


@pytest.mark.asyncio
async def test_pieces_one_by_one_split_around_every_delimiter() -> None:
    """A piece may end anywhere in a delimiter or in a false start of one."""
    starts = [i for i in range(len(SPLIT_BODY)) if SPLIT_BODY.startswith(b"\r\n--", i)]
    for start in starts:
        for a in range(start - 3, start + 8):
            for b in range(a + 1, start + 10):
                pieces = [SPLIT_BODY[:a], SPLIT_BODY[a:b], SPLIT_BODY[b:]]
                assert await _fed_one_by_one(pieces, form_headers()) == SPLIT_EXPECTED, (a, b)


@pytest.mark.asyncio
@pytest.mark.parametrize("tail", [b"\r", b"\r\n", b"\r\n-", b"\r\n--", b"\r\n--Bo"])
async def test_piece_ending_in_a_delimiter_start(tail: bytes) -> None:
    """A big part's piece that ends like a delimiter is held back only that far."""
    body = b"x" * 1000
    data = mp(("", body + tail + b"y" + body), boundary="Bound")
    at = data.index(tail + b"y")
    # A piece ends in the false start, then one ends in the real delimiter's.
    for cut in (at + len(tail), len(data) - len(b"\r\n--Bound--\r\n") + len(tail)):
        pieces = [data[:100], data[100:cut], data[cut:]]
        got = await _fed_one_by_one(pieces, {"Content-Type": "multipart/mixed; boundary=Bound"})
        assert got == [body + tail + b"y" + body], cut


@pytest.mark.asyncio
async def test_boundary_with_a_cr_given_directly() -> None:
    """A part reader built by hand with a CR in its boundary still finds it.

    RFC 2046 forbids the CR, and MultipartReader refuses it; a chunk then
    ends in the delimiter's start even where its last CR is followed by a
    byte other than LF.
    """
    boundary = b"--a\rbc"
    head, tail = b"x" * 100 + b"\r\n--a\rb", b"c--\r\n"

    async def read(stream: StreamReader) -> list[bytes]:
        part = BodyPartReader(boundary, {}, stream)
        chunks = []
        while chunk := await part.read_chunk(4096):
            chunks.append(chunk)
        return chunks

    assert await one_piece_per_turn([head, tail], read) == [b"x" * 100]


@settings(max_examples=60, deadline=None)
@given(
    bodies=st.lists(_body_bytes, min_size=0, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_random_bodies_random_pieces_one_by_one(bodies: list[bytes], cuts: list[int]) -> None:
    body = mp(*[("", b) for b in bodies]) if bodies else b"--B--\r\n"
    points = sorted({min(c, len(body)) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    headers = {"Content-Type": "multipart/mixed; boundary=B"}
    assert asyncio.run(_fed_one_by_one(pieces, headers)) == bodies


@pytest.mark.asyncio
async def test_readline_split_at_every_position(pieces_stream: Callable[..., StreamReader]) -> None:
    body = b"a\r\n\nb\r\r\nc\r\n--:"
    for cut in range(len(body) + 1):
        obj = BodyPartReader(BOUNDARY, {}, pieces_stream([body[:cut], body[cut:]]))
        lines = []
        while line := await obj.readline():
            lines.append(line)
        assert lines == [b"a\r\n", b"\n", b"b\r\r\n", b"c"], cut


@pytest.mark.asyncio
async def test_source_is_a_content_stream(stream_of: Make) -> None:
    """The reader's lookahead buffer behaves as a stream for other part readers."""
    from aiohttp_multipart._source import _Source

    source = _Source(stream_of(b"abcdef", 2))
    assert not source.at_eof()
    assert await source.read(3) == b"abc"
    source.unread_data(b"xy")
    assert await source.read(1) == b"x"
    assert await source.read() == b"y"
    source.unread_data(b"")
    assert await source.read(10) == b"def"
    assert await source.read(10) == b""
    assert source.at_eof()
