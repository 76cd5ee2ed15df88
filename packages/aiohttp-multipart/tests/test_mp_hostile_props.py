"""Hostile-input properties (issue 9): any Content-Type and any body bytes end
in parts or a documented error (``BadHttpMessage``; ``ValueError`` from
decoding text/JSON), the same whatever the split, and never hang."""

from __future__ import annotations

import asyncio
import warnings

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aiohttp_errors import BadHttpMessage, LineTooLong
from aiohttp_multipart import BodyPartReader, MultipartReader
from aiohttp_streams import StreamReader

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _stream(pieces: list[bytes]) -> StreamReader:
    stream = StreamReader()
    for piece in pieces:
        if piece:
            stream.feed_data(piece)
    stream.feed_eof()
    return stream


def _chop(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


async def _consume(reader: MultipartReader, out: list[object], mode: int) -> None:
    async for part in reader:
        if isinstance(part, MultipartReader):
            out.append("nested")
            await _consume(part, out, mode)
            continue
        assert isinstance(part, BodyPartReader)
        out.append((part.name, part.filename))
        try:
            if mode == 0:
                out.append(await part.read(decode=True))
            elif mode == 1:
                out.append(await part.text())
            elif mode == 2:
                out.append(await part.json())
            else:
                out.append(await part.form())
        except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
            out.append(type(exc).__name__)
            await part.release()


async def _outcome(ctype: str, pieces: list[bytes], mode: int) -> tuple[list[object], str]:
    out: list[object] = []
    try:
        reader = MultipartReader(
            {"Content-Type": ctype},
            _stream(pieces),
            max_part_header_size=200,
            max_part_headers=4,
            max_parts=6,
            max_part_size=200,
            max_preamble_size=50,
            max_epilogue_size=50,
            max_nesting_depth=2,
        )
        await asyncio.wait_for(_consume(reader, out, mode), 30)
    except BadHttpMessage as exc:
        return out, type(exc).__name__
    return out, "ok"


def outcome(ctype: str, pieces: list[bytes], mode: int) -> tuple[list[object], str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a bad Content-Disposition only warns
        return asyncio.run(_outcome(ctype, pieces, mode))


_ctypes = st.one_of(
    st.sampled_from(
        [
            "multipart/mixed; boundary=B",
            'multipart/form-data; boundary="B"',
            "multipart/mixed",
            "multipart/mixed; boundary=",
            "text/plain; boundary=B",
            "multipart/mixed; boundary=" + "B" * 71,
        ]
    ),
    st.text(max_size=40),
)
_soup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                b"--B\r\n",
                b"--B--\r\n",
                b"\r\n--B\r\n",
                b"\r\n--B--",
                b"\r\n",
                b"Content-Type: text/plain; charset=utf-8\r\n",
                b"Content-Type: application/json\r\n",
                b"Content-Type: multipart/mixed; boundary=C\r\n",
                b"--C\r\n",
                b"\r\n--C--\r\n",
                b"Content-Transfer-Encoding: base64\r\n",
                b"Content-Transfer-Encoding: quoted-printable\r\n",
                b"Content-Encoding: gzip\r\n",
                b"Content-Encoding: deflate\r\n",
                b'Content-Disposition: form-data; name="a"; filename="f"\r\n',
                b"Content-Disposition: attachment; filename*=UTF-8''%e2%82%ac\r\n",
                b" folded\r\n",
                b"aGVsbG8=",
                b'{"a": 1}',
                b"a=1&b=%ff",
                b"\xff\xfe",
                b"\x00",
            ]
        ),
        st.binary(max_size=10),
    ),
    max_size=16,
).map(b"".join)


@SETTINGS
@given(
    ctype=_ctypes,
    body=st.one_of(_soup, st.binary(max_size=300)),
    mode=st.integers(0, 3),
    cuts=st.lists(st.integers(0, 400), max_size=6),
)
def test_any_body_gives_parts_or_documented_error(
    ctype: str, body: bytes, mode: int, cuts: list[int]
) -> None:
    whole = outcome(ctype, [body], mode)
    assert outcome(ctype, _chop(body, cuts), mode) == whole


@pytest.mark.parametrize("charset", ["bogus", "zlib_codec", "rot13"])
@pytest.mark.parametrize("mode", [1, 2, 3], ids=["text", "json", "form"])
def test_unknown_charset_from_the_peer_is_a_bad_message(charset: str, mode: int) -> None:
    # Found by test_any_body_gives_parts_or_documented_error: it escaped as
    # LookupError (a 500 in a server) before.
    body = (
        b"--B\r\nContent-Type: text/plain; charset="
        + charset.encode()
        + b"\r\n\r\nabc\r\n--B--\r\n"
    )
    assert outcome("multipart/mixed; boundary=B", [body], mode) == (
        [(None, None)],
        "BadHttpMessage",
    )


@pytest.mark.parametrize("step", [1000, 1 << 20])
def test_readline_without_newline_or_boundary_in_sight_is_bounded(step: int) -> None:
    # One 20,000-byte line and the delimiter beyond the first read: the
    # reader gives up at the line limit instead of buffering the whole part.
    body = b"a" * 20_000 + b"\r\n--B"

    async def run() -> None:
        stream = StreamReader()
        for i in range(0, len(body), step):
            stream.feed_data(body[i : i + step])
        stream.feed_eof()
        part = BodyPartReader(b"--B", {}, stream, max_line_size=4096)
        with pytest.raises(LineTooLong, match="4096"):
            await part.readline()

    asyncio.run(run())
