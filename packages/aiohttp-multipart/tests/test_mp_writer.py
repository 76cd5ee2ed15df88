"""MultipartWriter / BodyPartWriter: bodies, headers, encodings, and reading them back."""

from __future__ import annotations

import asyncio
import base64
import binascii
import gzip
import io
import json
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from multidict import CIMultiDict

from aiohttp_multipart import BodyPartWriter, MultipartReader, MultipartWriter
from aiohttp_streams import StreamReader

Make = Callable[..., StreamReader]


def body_of(part: BodyPartWriter) -> bytes:
    """The encoded body of a part (what sits between the blank line and the CRLF)."""
    data = b"".join(part.serialize())
    head, _, rest = data.partition(b"\r\n\r\n")
    assert rest.endswith(b"\r\n")
    return rest[:-2]


async def read_back(writer: MultipartWriter, make: Make, step: int = 7) -> list[object]:
    body = b"".join([chunk async for chunk in writer.serialize()])

    async def walk(reader: MultipartReader) -> list[object]:
        out: list[object] = []
        async for p in reader:
            if isinstance(p, MultipartReader):
                out.append(await walk(p))
            else:
                out.append((p.name, p.filename, bytes(await p.read(decode=True))))
        return out

    return await asyncio.wait_for(walk(MultipartReader(writer.headers, make(body, step))), 30)


# -- MultipartWriter ------------------------------------------------------------------------


def test_writer_headers_and_boundary() -> None:
    writer = MultipartWriter(boundary=":")
    assert writer.headers["Content-Type"] == 'multipart/mixed; boundary=":"'
    assert writer.boundary == b":"
    assert len(MultipartWriter().boundary) == 32
    assert (
        MultipartWriter("form-data", "x").headers["Content-Type"]
        == 'multipart/form-data; boundary="x"'
    )


@pytest.mark.parametrize("boundary", ["é", "", "a" * 71, "a\r\nb", 'a"b', "ends with space "])
def test_writer_bad_boundary(boundary: str) -> None:
    with pytest.raises(ValueError):
        MultipartWriter(boundary=boundary)


def test_writer_bad_subtype() -> None:
    with pytest.raises(ValueError, match="subtype"):
        MultipartWriter("a b")


def test_writer_container_protocol() -> None:
    with MultipartWriter(boundary=":") as writer:
        first = writer.append("foo")
        second = writer.append(BodyPartWriter(b"bar"), {"X-A": "1"})
    assert len(writer) == 2
    assert list(writer) == [first, second]
    assert writer.parts == [first, second]
    assert second.headers["X-A"] == "1"


def test_writer_serialize_exact_bytes() -> None:
    writer = MultipartWriter("form-data", boundary="B")
    writer.append("text").set_content_disposition("form-data", name="t")
    writer.append(b"\x00bin", {"Content-Type": "application/x-thing"})
    assert b"".join(writer.serialize()) == (
        b"--B\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b'Content-Disposition: form-data; name="t"\r\n'
        b"\r\n"
        b"text\r\n"
        b"--B\r\n"
        b"Content-Type: application/x-thing\r\n"
        b"\r\n"
        b"\x00bin\r\n"
        b"--B--\r\n"
    )


def test_empty_writer_closes() -> None:
    assert b"".join(MultipartWriter(boundary="B").serialize()) == b"--B--\r\n"


def test_append_json_and_form() -> None:
    writer = MultipartWriter(boundary="B")
    j = writer.append_json({"a": [1, "é"]})
    assert j.headers["Content-Type"] == "application/json"
    assert json.loads(body_of(j)) == {"a": [1, "é"]}
    s = writer.append_json("a string")
    assert body_of(s) == b'"a string"'
    f = writer.append_form([("a", "1"), ("b", "x y")])
    assert f.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert body_of(f) == b"a=1&b=x+y"
    assert body_of(writer.append_form({"k": "v"})) == b"k=v"
    assert body_of(writer.append_form(iter([("g", "h")]))) == b"g=h"
    # A plain append with a JSON content type: objects are encoded, text goes as is.
    assert body_of(writer.append([1, 2], {"Content-Type": "application/json"})) == b"[1, 2]"
    assert body_of(writer.append('{"x":1}', {"Content-Type": "application/json"})) == b'{"x":1}'
    assert (
        body_of(writer.append({"q": "r"}, {"Content-Type": "application/x-www-form-urlencoded"}))
        == b"q=r"
    )


@pytest.mark.asyncio
async def test_round_trip_everything(stream_of: Make, tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n" * 1000)

    async def agen() -> AsyncIterator[bytes]:
        for i in range(3):
            yield f"chunk{i};".encode()

    inner = MultipartWriter("mixed", boundary="inner")
    inner.append("nested text")
    inner.append(b"\r\n--inne\r\n--innex")

    writer = MultipartWriter("form-data", boundary="outer")
    writer.append("plain").set_content_disposition("form-data", name="field")
    with path.open("rb") as fh:
        part = writer.append(fh)
        assert part.headers["Content-Type"] == "text/csv"
        assert part.filename == "report.csv"
        part.set_content_disposition("form-data", name="file", filename='naïve "q".csv')
        writer.append(io.BytesIO(b"bytesio")).set_content_disposition("form-data", name="bio")
        writer.append(io.StringIO("stringio é")).set_content_disposition("form-data", name="sio")
        writer.append(iter([b"it", "er"])).set_content_disposition("form-data", name="iter")
        writer.append(agen()).set_content_disposition("form-data", name="agen")
        writer.append(bytearray(b"ba")).set_content_disposition("form-data", name="ba")
        writer.append(inner).set_content_disposition("form-data", name="inner")
        body = b"".join([c async for c in writer.serialize()])
    reader_out = await asyncio.wait_for(
        _walk(MultipartReader(writer.headers, stream_of(body, 1000))), 30
    )
    assert reader_out == [
        ("field", None, b"plain"),
        ("file", 'naïve "q".csv', path.read_bytes()),
        ("bio", None, b"bytesio"),
        ("sio", None, "stringio é".encode()),
        ("iter", None, b"iter"),
        ("agen", None, b"chunk0;chunk1;chunk2;"),
        ("ba", None, b"ba"),
        [(None, None, b"nested text"), (None, None, b"\r\n--inne\r\n--innex")],
    ]


async def _walk(reader: MultipartReader) -> list[object]:
    out: list[object] = []
    async for p in reader:
        if isinstance(p, MultipartReader):
            out.append(await _walk(p))
        else:
            out.append((p.name, p.filename, bytes(await p.read(decode=True))))
    return out


def test_async_iterable_needs_async_for() -> None:
    async def agen() -> AsyncIterator[bytes]:
        yield b"x"

    writer = MultipartWriter()
    writer.append(agen())
    with pytest.raises(TypeError, match="async for"):
        b"".join(writer.serialize())


def test_unknown_type_and_bad_chunks() -> None:
    writer = MultipartWriter()
    writer.append(object())
    with pytest.raises(TypeError, match="unknown body part type"):
        b"".join(writer.serialize())
    writer = MultipartWriter()
    writer.append([1, 2])
    with pytest.raises(TypeError, match="bytes or str"):
        b"".join(writer.serialize())
    writer = MultipartWriter()
    writer.append_form(iter([("a", "b")])).obj = 1  # not a form any more
    with pytest.raises(TypeError, match="mapping or a sequence"):
        b"".join(writer.serialize())


# -- BodyPartWriter --------------------------------------------------------------------------


def test_part_defaults() -> None:
    assert BodyPartWriter(b"x").headers["Content-Type"] == "application/octet-stream"
    assert BodyPartWriter("x").headers["Content-Type"] == "text/plain; charset=utf-8"
    assert BodyPartWriter(io.StringIO("x")).headers["Content-Type"] == "text/plain; charset=utf-8"
    named = io.BytesIO(b"x")
    named.name = "/some/dir/picture.png"  # a file object's name
    part = BodyPartWriter(named)
    assert part.headers["Content-Type"] == "image/png"
    assert part.headers["Content-Disposition"] == 'attachment; filename="picture.png"'
    assert part.filename == "picture.png"
    odd = io.BytesIO(b"x")
    odd.name = "noext"
    assert BodyPartWriter(odd).headers["Content-Type"] == "application/octet-stream"
    assert BodyPartWriter(b"x").filename is None
    given = BodyPartWriter(b"x", {"Content-Type": "image/gif"})
    assert given.headers["Content-Type"] == "image/gif"
    assert isinstance(BodyPartWriter(b"x", [("X-A", "1")]).headers, CIMultiDict)


def test_str_uses_declared_charset() -> None:
    part = BodyPartWriter("Привет", {"Content-Type": "text/plain; charset=koi8-r"})
    assert body_of(part) == "Привет".encode("koi8-r")
    assert body_of(BodyPartWriter("é")) == "é".encode()


def test_set_content_disposition() -> None:
    part = BodyPartWriter(b"x")
    part.set_content_disposition("form-data", name="f", filename='naïve\r\n".txt')
    assert (
        part.headers["Content-Disposition"] == 'form-data; name="f"; filename="naïve%0D%0A%22.txt"'
    )
    assert part.filename == 'naïve\r\n".txt'
    head = b"".join(part.serialize())
    assert 'filename="naïve%0D%0A%22.txt"'.encode() in head  # raw UTF-8 on the wire
    part.set_content_disposition("attachment", filename="€ rates.pdf")
    assert part.filename == "€ rates.pdf"
    assert "filename*=utf-8''%E2%82%AC%20rates.pdf" in part.headers["Content-Disposition"]
    with pytest.raises(ValueError):
        part.set_content_disposition("bad type")
    with pytest.raises(ValueError):
        part.set_content_disposition("inline", **{"bad key": "x"})


@pytest.mark.parametrize(
    ("name", "value"), [("X-A", "a\r\nX-Injected: 1"), ("X-A", "nul\x00"), ("Bad Name", "v")]
)
def test_header_injection_refused(name: str, value: str) -> None:
    part = BodyPartWriter(b"x", {name: value})
    with pytest.raises(ValueError):
        b"".join(part.serialize())


def test_content_encodings() -> None:
    data = b"Time to Relax!" * 1000
    assert gzip.decompress(body_of(BodyPartWriter(data, {"Content-Encoding": "gzip"}))) == data
    assert zlib.decompress(body_of(BodyPartWriter(data, {"Content-Encoding": "deflate"}))) == data
    assert body_of(BodyPartWriter(data, {"Content-Encoding": "identity"})) == data
    with pytest.raises(RuntimeError, match="unknown content encoding"):
        body_of(BodyPartWriter(data, {"Content-Encoding": "br"}))


def test_transfer_encodings() -> None:
    data = bytes(range(256)) * 20
    encoded = body_of(
        BodyPartWriter(io.BytesIO(data), {"Content-Transfer-Encoding": "base64"}, chunk_size=100)
    )
    lines = encoded.split(b"\r\n")
    assert all(len(line) <= 76 for line in lines)
    assert b"\n" not in encoded.replace(b"\r\n", b"")
    assert base64.b64decode(encoded) == data
    qp = body_of(
        BodyPartWriter(
            io.BytesIO(data), {"Content-Transfer-Encoding": "quoted-printable"}, chunk_size=100
        )
    )
    assert all(len(line) <= 76 for line in qp.split(b"\r\n"))
    assert b"\n" not in qp.replace(b"\r\n", b"")
    assert binascii.a2b_qp(qp) == data
    for identity in ("binary", "8bit", "7bit"):
        assert body_of(BodyPartWriter(data, {"Content-Transfer-Encoding": identity})) == data
    with pytest.raises(RuntimeError, match="unknown content transfer encoding"):
        body_of(BodyPartWriter(data, {"Content-Transfer-Encoding": "uuencode"}))
    both = body_of(
        BodyPartWriter(data, {"Content-Encoding": "gzip", "Content-Transfer-Encoding": "base64"})
    )
    assert gzip.decompress(base64.b64decode(both)) == data


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Encoding": "gzip"},
        {"Content-Encoding": "deflate"},
        {"Content-Encoding": "identity"},
        {"Content-Transfer-Encoding": "base64"},
        {"Content-Transfer-Encoding": "quoted-printable"},
        {"Content-Encoding": "deflate", "Content-Transfer-Encoding": "quoted-printable"},
        {"Content-Encoding": "gzip", "Content-Transfer-Encoding": "base64"},
    ],
)
@pytest.mark.asyncio
async def test_each_encoding_round_trips_through_our_reader(
    stream_of: Make, headers: dict[str, str]
) -> None:
    data = bytes(range(256)) * 64 + b" trailing space \t"

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(data), 333):
            yield data[i : i + 333]

    writer = MultipartWriter(boundary="B")
    writer.append(chunks(), headers)
    writer.append(b"end")
    out = await read_back(writer, stream_of, 500)
    assert out == [(None, None, data), (None, None, b"end")]


@pytest.mark.asyncio
async def test_nested_writer_part_headers(stream_of: Make) -> None:
    inner = MultipartWriter("related", boundary="in")
    inner.append_json({"a": 1})
    outer = MultipartWriter(boundary="out")
    part = outer.append(inner)
    assert part.headers["Content-Type"] == 'multipart/related; boundary="in"'
    assert await read_back(outer, stream_of) == [[(None, None, b'{"a": 1}')]]
