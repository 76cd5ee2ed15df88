"""Bad input and limits: a clear aiohttp_errors exception, never a hang or silent truncation."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable

import pytest
from mp_trickle import one_piece_per_turn, split

from aiohttp_errors import (
    BadHttpMessage,
    ContentEncodingError,
    InvalidHeader,
    LineLimitExceededParserError,
    LineTooLong,
)
from aiohttp_multipart import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_PART_HEADER_SIZE,
    DEFAULT_MAX_PART_HEADERS,
    DEFAULT_MAX_PARTS,
    BodyPartReader,
    MultipartReader,
)
from aiohttp_streams import StreamReader

Make = Callable[..., StreamReader]
MIXED = {"Content-Type": "multipart/mixed; boundary=B"}


def mp(*parts: tuple[str, bytes], boundary: str = "B") -> bytes:
    out = b""
    for headers, body in parts:
        out += b"--" + boundary.encode() + b"\r\n" + headers.encode() + b"\r\n" + body + b"\r\n"
    return out + b"--" + boundary.encode() + b"--\r\n"


async def read_all(reader: MultipartReader) -> list[object]:
    async def run() -> list[object]:
        out: list[object] = []
        async for p in reader:
            if isinstance(p, MultipartReader):
                out.append(await read_all(p))
            else:
                out.append(bytes(await p.read()))
        return out

    # A watchdog, not a timing assertion: a finished stream must never make us wait.
    return await asyncio.wait_for(run(), 30)


VALID = mp(
    ("X-A: 1\r\n", b"first\r\n--"),
    ("Content-Type: multipart/mixed; boundary=I\r\n", mp(("", b"in"), boundary="I")),
    ("", b"last"),
)


@pytest.mark.asyncio
async def test_truncated_at_every_position(stream_of: Make) -> None:
    """Every prefix of a body is an error, except the one lacking only the final CRLF."""
    assert await read_all(MultipartReader(MIXED, stream_of(VALID))) == [
        b"first\r\n--",
        [b"in"],
        b"last",
    ]
    for cut in range(len(VALID) - 2):
        with pytest.raises(BadHttpMessage):
            await read_all(MultipartReader(MIXED, stream_of(VALID[:cut], 3)))
    assert len(await read_all(MultipartReader(MIXED, stream_of(VALID[:-2])))) == 3


@pytest.mark.asyncio
async def test_missing_closing_boundary(stream_of: Make) -> None:
    body = b"--B\r\n\r\nbody\r\n--B\r\n\r\nsecond"
    reader = MultipartReader(MIXED, stream_of(body))
    first = await reader.next()
    assert isinstance(first, BodyPartReader)
    assert await first.read() == b"body"
    second = await reader.next()
    assert isinstance(second, BodyPartReader)
    with pytest.raises(BadHttpMessage, match="ended inside a part"):
        await second.read()


@pytest.mark.asyncio
async def test_body_part_reader_truncated(stream_of: Make) -> None:
    obj = BodyPartReader(b"--:", {}, stream_of(b"no delimiter here"))
    with pytest.raises(BadHttpMessage, match="no delimiter"):
        await obj.read()
    obj = BodyPartReader(b"--:", {}, stream_of(b"line\nno delimiter"))
    assert await obj.readline() == b"line\n"
    with pytest.raises(BadHttpMessage):
        await obj.readline()


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"", "empty"),
        (b"no boundary at all", "without a boundary"),
        (b"--B\n\nbody\r\n--B--\r\n", "CRLF"),  # bare LF after the boundary
        (b"--Bx\r\n\r\nbody\r\n--B--\r\n", "unexpected bytes"),
        (b"--B\r\n\r\nbody\r\n--B-\r\n", "unexpected bytes"),
        (b"--B\r\n\r\nbody\r\n--B\r\n", "inside part headers"),
        (b"--B", "no part and no closing"),
        (b"--B\r\n", "inside part headers"),
    ],
)
@pytest.mark.asyncio
async def test_malformed_framing(stream_of: Make, body: bytes, match: str) -> None:
    with pytest.raises(BadHttpMessage, match=match):
        await read_all(MultipartReader(MIXED, stream_of(body)))


@pytest.mark.parametrize(
    "headers",
    [
        b"Bad Name: x\r\n",
        b": no name\r\n",
        b"NoColon\r\n",
        b" folded-first: x\r\n",
        b"X-A: bare lf\n",
        b"X-A: bare\rcr\r\n",
        b"X-A: nul\x00\r\n",
    ],
)
@pytest.mark.asyncio
async def test_invalid_part_headers(stream_of: Make, headers: bytes) -> None:
    body = b"--B\r\n" + headers + b"\r\nbody\r\n--B--\r\n"
    with pytest.raises(InvalidHeader) as info:
        await read_all(MultipartReader(MIXED, stream_of(body)))
    assert info.value.code == 400


@pytest.mark.asyncio
async def test_part_header_block_too_large(stream_of: Make) -> None:
    assert DEFAULT_MAX_PART_HEADER_SIZE == 8190
    long_line = "X-A: " + "a" * 9000 + "\r\n"
    for step in (1000, 65536):
        with pytest.raises(LineTooLong, match="8190"):
            await read_all(MultipartReader(MIXED, stream_of(mp((long_line, b"x")), step)))
    many = "".join(f"X-{i}: {'v' * 90}\r\n" for i in range(30))  # ~3 KiB in 30 lines
    reader = MultipartReader(MIXED, stream_of(mp((many, b"x"))), max_part_header_size=2048)
    with pytest.raises(LineTooLong, match="2048"):
        await read_all(reader)
    reader = MultipartReader(MIXED, stream_of(mp((long_line, b"x"))), max_part_header_size=10000)
    assert await read_all(reader) == [b"x"]


@pytest.mark.asyncio
async def test_header_limit_exact(stream_of: Make) -> None:
    """The limit counts the header block bytes exactly, however the bytes arrive."""
    block = "X-A: " + "a" * 93 + "\r\n"  # 100 bytes + the final empty line (2)
    for step in (1, 7, 1000):
        ok = MultipartReader(MIXED, stream_of(mp((block, b"x")), step), max_part_header_size=102)
        assert await read_all(ok) == [b"x"]
        bad = MultipartReader(MIXED, stream_of(mp((block, b"x")), step), max_part_header_size=101)
        with pytest.raises(LineTooLong):
            await read_all(bad)


@pytest.mark.asyncio
async def test_too_many_part_headers(stream_of: Make) -> None:
    assert DEFAULT_MAX_PART_HEADERS == 32
    headers = "".join(f"X-{i}: v\r\n" for i in range(33))
    with pytest.raises(BadHttpMessage, match="more than 32 header fields"):
        await read_all(MultipartReader(MIXED, stream_of(mp((headers, b"x")))))
    reader = MultipartReader(MIXED, stream_of(mp(("A: 1\r\nB: 2\r\n", b"x"))), max_part_headers=2)
    assert await read_all(reader) == [b"x"]
    reader = MultipartReader(MIXED, stream_of(mp(("A: 1\r\nB: 2\r\n", b"x"))), max_part_headers=1)
    with pytest.raises(BadHttpMessage, match="more than 1 header"):
        await read_all(reader)


@pytest.mark.asyncio
async def test_too_many_parts(stream_of: Make) -> None:
    assert DEFAULT_MAX_PARTS == 1000
    body = mp(*[("", b"x")] * 1001)
    with pytest.raises(BadHttpMessage, match="more than 1000 parts"):
        await read_all(MultipartReader(MIXED, stream_of(body)))
    assert (
        len(await read_all(MultipartReader(MIXED, stream_of(mp(*[("", b"x")] * 3)), max_parts=3)))
        == 3
    )
    with pytest.raises(BadHttpMessage, match="more than 2 parts"):
        await read_all(MultipartReader(MIXED, stream_of(mp(*[("", b"x")] * 3)), max_parts=2))


@pytest.mark.asyncio
async def test_part_too_large(stream_of: Make) -> None:
    body = mp(("", b"a" * 100), ("", b"b" * 101))
    for step in (1, 64, len(body)):
        reader = MultipartReader(MIXED, stream_of(body, step), max_part_size=100)
        first = await reader.next()
        assert isinstance(first, BodyPartReader)
        assert await first.read() == b"a" * 100
        second = await reader.next()
        assert isinstance(second, BodyPartReader)
        with pytest.raises(LineLimitExceededParserError, match="over 100 bytes") as info:
            await second.read()
        assert info.value.limit == 100
    # Skipping an oversized part (next() releases it) is bounded the same way.
    reader = MultipartReader(MIXED, stream_of(body), max_part_size=100)
    assert await reader.next() is not None
    assert await reader.next() is not None
    with pytest.raises(LineLimitExceededParserError):
        await reader.next()


@pytest.mark.asyncio
async def test_part_too_large_streamed(stream_of: Make) -> None:
    """A big part streamed in 64 KiB chunks stops at the limit, not at the end.

    Every byte up to the limit comes out first, however the chunks fall.
    """
    body = mp(("", b"z" * 1_000_000))
    reader = MultipartReader(MIXED, stream_of(body, 65536), max_part_size=300_000)
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    seen = 0
    with pytest.raises(LineLimitExceededParserError):
        while chunk := await part.read_chunk(65536):
            seen += len(chunk)
    assert seen == 300_000
    exact = MultipartReader(MIXED, stream_of(body, 65536), max_part_size=1_000_000)
    assert await read_all(exact) == [b"z" * 1_000_000]


@pytest.mark.asyncio
async def test_part_too_large_same_outcome_however_split() -> None:
    """An oversized part holding a nested multipart: the same inner parts come
    out before the same error, whether the body arrives whole or in pieces."""
    inner = mp(("", b"x"), ("", b"y" * 50), boundary="I")
    body = mp(("Content-Type: multipart/mixed; boundary=I\r\n", inner + b"z" * 200))

    async def outcome(stream: StreamReader) -> tuple[list[bytes], str]:
        got: list[bytes] = []
        reader = MultipartReader(MIXED, stream, max_part_size=len(inner) + 10)
        nested = await reader.next()
        assert isinstance(nested, MultipartReader)
        try:
            async for p in nested:
                assert isinstance(p, BodyPartReader)
                got.append(bytes(await p.read()))
        except LineLimitExceededParserError as exc:
            return got, str(exc)
        return got, "no error"

    for step in (1, 7, 64, len(body)):
        got, error = await one_piece_per_turn(split(body, step), outcome)
        assert got == [b"x", b"y" * 50], step
        assert f"over {len(inner) + 10} bytes" in error, (step, error)


@pytest.mark.asyncio
async def test_part_size_limit_applies_to_decoded_size(stream_of: Make) -> None:
    bomb = gzip.compress(b"\0" * 1_000_000)
    body = mp(("Content-Encoding: gzip\r\n", bomb))
    reader = MultipartReader(MIXED, stream_of(body), max_part_size=100_000)
    p = await reader.next()
    assert isinstance(p, BodyPartReader)
    with pytest.raises(LineLimitExceededParserError, match="gzip-decoded"):
        await p.read(decode=True)


@pytest.mark.asyncio
async def test_preamble_limit(stream_of: Make) -> None:
    preamble = b"p" * 100 + b"\r\n"
    ok = MultipartReader(MIXED, stream_of(preamble + mp(("", b"x")), 7), max_preamble_size=100)
    assert await read_all(ok) == [b"x"]
    for step in (1, 7, 1000):
        bad = MultipartReader(
            MIXED, stream_of(preamble + mp(("", b"x")), step), max_preamble_size=99
        )
        with pytest.raises(LineLimitExceededParserError, match="preamble"):
            await read_all(bad)
    # A body that never shows the boundary is not scanned forever (aiohttp#13652).
    endless = MultipartReader(MIXED, stream_of(b"z" * 200_000, 4096))
    with pytest.raises(LineLimitExceededParserError, match="over 65536 bytes"):
        await read_all(endless)


@pytest.mark.asyncio
async def test_epilogue_limit(stream_of: Make) -> None:
    body = mp(("", b"x")) + b"e" * 100
    assert await read_all(MultipartReader(MIXED, stream_of(body), max_epilogue_size=100)) == [b"x"]
    with pytest.raises(LineLimitExceededParserError, match="epilogue"):
        await read_all(MultipartReader(MIXED, stream_of(body, 9), max_epilogue_size=99))


@pytest.mark.asyncio
async def test_body_size_limit_exact(stream_of: Make) -> None:
    """Preamble, boundaries, headers, nested bodies and epilogue all count:
    exactly max_body_size bytes read whole, one more raises, however split."""
    assert DEFAULT_MAX_BODY_SIZE is None
    body = b"preamble\r\n" + VALID + b"epilogue"
    expected = [b"first\r\n--", [b"in"], b"last"]

    def reader_with(limit: int) -> Callable[[StreamReader], Awaitable[list[object]]]:
        return lambda stream: read_all(MultipartReader(MIXED, stream, max_body_size=limit))

    for step in (1, 7, 64, len(body)):
        assert await one_piece_per_turn(split(body, step), reader_with(len(body))) == expected
        with pytest.raises(
            LineLimitExceededParserError, match=f"'multipart body is over {len(body) - 1} bytes'"
        ):
            await one_piece_per_turn(split(body, step), reader_with(len(body) - 1))
    assert await read_all(MultipartReader(MIXED, stream_of(body))) == expected


@pytest.mark.asyncio
async def test_body_size_limit_same_outcome_however_split() -> None:
    """Every byte before the limit comes out, in the same parts, before the
    error: the budget cuts reads rather than checking them after."""
    inner = mp(("", b"x"), ("", b"y" * 300), boundary="I")
    body = mp(
        ("", b"a" * 100),
        ("Content-Type: multipart/mixed; boundary=I\r\n", inner),
        ("", b"z" * 100),
    )
    limit = body.index(b"y" * 300) + 150

    async def outcome(stream: StreamReader) -> tuple[list[object], str]:
        got: list[object] = []
        try:
            async for part in MultipartReader(MIXED, stream, max_body_size=limit):
                if isinstance(part, BodyPartReader):
                    got.append(bytes(await part.read()))
                    continue
                async for inner_part in part:
                    assert isinstance(inner_part, BodyPartReader)
                    seen = 0
                    while chunk := await inner_part.read_chunk(64):
                        seen += len(chunk)
                        got.append(seen)
        except LineLimitExceededParserError as exc:
            return got, str(exc)
        return got, "no error"

    for step in (1, 7, 64, 1000, len(body)):
        got, error = await one_piece_per_turn(split(body, step), outcome)
        assert got[:2] == [b"a" * 100, 1], step
        assert got[-1] == 150, (step, got)
        assert f"'multipart body is over {limit} bytes'" in error, (step, error)


@pytest.mark.asyncio
async def test_nesting_depth_limit(stream_of: Make) -> None:
    body = mp(("", b"leaf"), boundary="L0")
    for level in range(1, 5):
        body = mp(
            (f"Content-Type: multipart/mixed; boundary=L{level - 1}\r\n", body),
            boundary=f"L{level}",
        )
    headers = {"Content-Type": "multipart/mixed; boundary=L4"}
    assert await read_all(MultipartReader(headers, stream_of(body), max_nesting_depth=4)) == [
        [[[[b"leaf"]]]]
    ]
    with pytest.raises(BadHttpMessage, match="nested more than 3 deep"):
        await read_all(MultipartReader(headers, stream_of(body), max_nesting_depth=3))


@pytest.mark.asyncio
async def test_readline_limit(stream_of: Make) -> None:
    for step in (1, 100, 10_000):
        obj = BodyPartReader(
            b"--:", {}, stream_of(b"a" * 5000 + b"\r\n--:", step), max_line_size=4096
        )
        with pytest.raises(LineTooLong, match="4096"):
            await obj.readline()
    obj = BodyPartReader(
        b"--:", {}, stream_of(b"a" * 99 + b"\n" + b"b" * 100 + b"\r\n--:"), max_line_size=100
    )
    assert await obj.readline() == b"a" * 99 + b"\n"
    assert await obj.readline() == b"b" * 100
    obj = BodyPartReader(b"--:", {}, stream_of(b"a" * 100 + b"\n\r\n--:"), max_line_size=100)
    with pytest.raises(LineTooLong):
        await obj.readline()


@pytest.mark.parametrize(
    ("content_type", "match"),
    [
        ("text/plain", "multipart/\\* content type expected"),
        ("multipart/mixed", "boundary missed"),
        ('multipart/mixed; boundary=""', "boundary missed"),
        ("multipart/mixed; boundary=" + "a" * 71, "too long"),
        ('multipart/mixed; boundary="a\tb"', "forbids"),
        ('multipart/mixed; boundary="é"', "forbids"),
        ("garbage", "expected"),
    ],
)
def test_bad_content_type(stream_of: Make, content_type: str, match: str) -> None:
    with pytest.raises(BadHttpMessage, match=match):
        MultipartReader({"Content-Type": content_type}, StreamReader())


def test_missing_content_type() -> None:
    with pytest.raises(BadHttpMessage, match="expected"):
        MultipartReader({}, StreamReader())


@pytest.mark.parametrize(
    ("headers", "payload", "error", "match"),
    [
        ({"Content-Encoding": "br"}, b"x", ContentEncodingError, "unknown content encoding"),
        (
            {"Content-Transfer-Encoding": "uuencode"},
            b"x",
            ContentEncodingError,
            "unknown content transfer",
        ),
        ({"Content-Encoding": "gzip"}, b"not gzip", ContentEncodingError, "cannot gzip-decode"),
        (
            {"Content-Encoding": "gzip"},
            gzip.compress(b"abc")[:-5],
            ContentEncodingError,
            "truncated",
        ),
        (
            {"Content-Encoding": "deflate"},
            b"\x78\x9c\xff\xff",
            ContentEncodingError,
            "cannot deflate",
        ),
        ({"Content-Transfer-Encoding": "base64"}, b"abc", ContentEncodingError, "bad base64"),
    ],
)
@pytest.mark.asyncio
async def test_bad_encodings(
    stream_of: Make, headers: dict[str, str], payload: bytes, error: type[Exception], match: str
) -> None:
    obj = BodyPartReader(b"--:", headers, stream_of(payload + b"\r\n--:"))
    with pytest.raises(error, match=match):
        await obj.read(decode=True)


@pytest.mark.asyncio
async def test_deflate_trailing_garbage(stream_of: Make) -> None:
    import zlib

    data = zlib.compress(b"abc") + b"junk"
    obj = BodyPartReader(b"--:", {"Content-Encoding": "deflate"}, stream_of(data + b"\r\n--:"))
    with pytest.raises(ContentEncodingError, match="garbage"):
        await obj.read(decode=True)


@pytest.mark.asyncio
async def test_error_messages_quote_at_most_100_bytes(stream_of: Make) -> None:
    body = b"--B" + b"x" * 5000 + b"\r\n"
    with pytest.raises(BadHttpMessage) as info:
        await read_all(MultipartReader(MIXED, stream_of(body)))
    assert len(str(info.value)) < 400
