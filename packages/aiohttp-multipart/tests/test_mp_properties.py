"""Properties: writer -> reader round trips, and outcomes independent of chunking."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings, strategies as st

from aiohttp_errors import BadHttpMessage, HttpProcessingError
from aiohttp_multipart import BodyPartReader, MultipartReader, MultipartWriter
from aiohttp_streams import StreamReader

_payload = st.lists(
    st.sampled_from(
        [b"\r", b"\n", b"-", b"--", b"\r\n--", b"B", b"x", b"\x00", b" ", b"=", b"\xff"]
    ),
    max_size=40,
).map(b"".join)
_encodings = st.sampled_from(
    [
        {},
        {"Content-Encoding": "gzip"},
        {"Content-Encoding": "deflate"},
        {"Content-Transfer-Encoding": "base64"},
        {"Content-Transfer-Encoding": "quoted-printable"},
        {"Content-Encoding": "gzip", "Content-Transfer-Encoding": "base64"},
    ]
)
_names = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00%"), max_size=12)


def _pieces(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(body)) for c in cuts})
    return [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]


def _stream(pieces: list[bytes]) -> StreamReader:
    stream = StreamReader()
    for piece in pieces:
        if piece:
            stream.feed_data(piece)
    stream.feed_eof()
    return stream


async def _read_mixed(
    reader: MultipartReader, sizes: list[int]
) -> list[tuple[str | None, str | None, bytes]]:
    """Read each part with a mix of readline() and read_chunk(n) calls."""
    out = []
    k = 0
    async for part in reader:
        assert isinstance(part, BodyPartReader)
        data = b""
        while True:
            size = sizes[k % len(sizes)] if sizes else 0
            k += 1
            chunk = await (part.readline() if size == 0 else part.read_chunk(size))
            if not chunk:
                break
            data += chunk
        out.append((part.name, part.filename, part.decode(data)))
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.tuples(_names, _names, _payload, _encodings), min_size=0, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=8),
    sizes=st.lists(st.integers(min_value=0, max_value=9), max_size=5),
)
def test_writer_reader_round_trip(
    parts: list[tuple[str, str, bytes, dict[str, str]]], cuts: list[int], sizes: list[int]
) -> None:
    writer = MultipartWriter("form-data")
    for name, filename, payload, headers in parts:
        part = writer.append(payload, headers)
        params = {"name": name, "filename": filename} if filename else {"name": name}
        part.set_content_disposition("form-data", **params)
    body = b"".join(writer.serialize())

    async def run() -> list[tuple[str | None, str | None, bytes]]:
        reader = MultipartReader(writer.headers, _stream(_pieces(body, cuts)))
        return await asyncio.wait_for(_read_mixed(reader, sizes), 30)

    got = asyncio.run(run())
    assert got == [(n, f or None, p) for n, f, p, _ in parts]


_junk_body = st.lists(
    st.sampled_from(
        [
            b"--B\r\n",
            b"--B--\r\n",
            b"--B",
            b"\r\n",
            b"\n",
            b"X-A: 1\r\n",
            b"X-Long: " + b"l" * 60 + b"\r\n",
            b"Bad Header\r\n",
            b"body",
            b"\r\n--B\r\n",
            b"\r\n--B--",
            b"\r\n--Bx",
            b" \t",
            b"\r\n--B \r\n",
        ]
    ),
    max_size=14,
).map(b"".join)


async def _outcome(pieces: list[bytes]) -> object:
    reader = MultipartReader(
        {"Content-Type": "multipart/mixed; boundary=B"},
        _stream(pieces),
        max_part_header_size=100,
        max_part_headers=2,
        max_parts=3,
        max_part_size=20,
        max_preamble_size=10,
        max_epilogue_size=10,
    )
    try:
        return await asyncio.wait_for(_read_mixed(reader, [7]), 30)
    except HttpProcessingError as exc:
        assert isinstance(exc, BadHttpMessage)
        return type(exc).__name__


@settings(max_examples=150, deadline=None)
@given(body=_junk_body, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_outcome_does_not_depend_on_chunking(body: bytes, cuts: list[int]) -> None:
    """Same bytes, any split: the same parts or the same error class, never a hang."""
    whole = asyncio.run(_outcome([body]))
    split = asyncio.run(_outcome(_pieces(body, cuts)))
    bytewise = asyncio.run(_outcome([body[i : i + 1] for i in range(len(body))]))
    assert whole == split == bytewise
