"""Interoperability with real peers: urllib3's encoder, python-multipart, stdlib email."""

from __future__ import annotations

import asyncio
import base64
import email.policy
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
import urllib3
from python_multipart.multipart import MultipartParser, parse_options_header
from urllib3.fields import RequestField

from aiohttp_multipart import BodyPartReader, MultipartReader, MultipartWriter
from aiohttp_streams import StreamReader

Make = Callable[..., StreamReader]

BINARY = bytes(range(256)) + b"\r\n--\r\n--\r\r\n\n" + os.urandom(200_000)


async def read_form(
    content_type: str, body: bytes, make: Make, step: int
) -> list[tuple[object, ...]]:
    async def run() -> list[tuple[object, ...]]:
        reader = MultipartReader({"Content-Type": content_type}, make(body, step))
        out: list[tuple[object, ...]] = []
        async for part in reader:
            assert isinstance(part, BodyPartReader)
            out.append(
                (
                    part.name,
                    part.filename,
                    part.headers.get("Content-Type"),
                    bytes(await part.read()),
                )
            )
        return out

    return await asyncio.wait_for(run(), 30)


# -- urllib3 encodes, we read -----------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("step", [1, 1000, 65536, 10**7])
async def test_read_urllib3_form(stream_of: Make, step: int) -> None:
    payload = BINARY[:3000] if step == 1 else BINARY  # keep the byte-at-a-time run small
    fields: list[tuple[str, str | tuple[str, str | bytes, str]]] = [
        ("plain", "value"),
        ("unicode name ü", "значение"),
        ('quote"d', "semi;colon"),
        ("empty", ""),
        ("file", ('naïve "report".bin', payload, "application/octet-stream")),
        ("text", ("notes.txt", "line 1\r\nline 2\n", "text/plain")),
        ("nofile", ("", b"", "application/x-empty")),
    ]
    body, content_type = urllib3.encode_multipart_formdata(fields)
    got = await read_form(content_type, body, stream_of, step)
    expected = [
        ("plain", None, None, b"value"),
        ("unicode name ü", None, None, "значение".encode()),
        ('quote"d', None, None, b"semi;colon"),
        ("empty", None, None, b""),
        ("file", 'naïve "report".bin', "application/octet-stream", payload),
        ("text", "notes.txt", "text/plain", b"line 1\r\nline 2\n"),
        ("nofile", "", "application/x-empty", b""),
    ]
    assert got == expected


@pytest.mark.asyncio
async def test_read_urllib3_request_fields_with_headers(stream_of: Make) -> None:
    field = RequestField(name="doc", data=b"<xml/>", filename="doc.xml")
    field.make_multipart(content_type="application/xml", content_location="/doc")
    many = [RequestField(name=f"f{i}", data=str(i) * i) for i in range(50)]
    for plain in many:
        plain.make_multipart()
    body, content_type = urllib3.encode_multipart_formdata([field, *many], boundary="x" * 70)
    got = await read_form(content_type, body, stream_of, 4096)
    assert got[0] == ("doc", "doc.xml", "application/xml", b"<xml/>")
    assert [g[3] for g in got[1:]] == [(str(i) * i).encode() for i in range(50)]


@pytest.mark.asyncio
async def test_read_urllib3_random_forms(stream_of: Make) -> None:
    rnd = random.Random(5)
    for _ in range(20):
        fields = [
            (
                f"field{i}",
                (f"f{i}.bin", rnd.randbytes(rnd.randrange(0, 3000)), "application/octet-stream"),
            )
            for i in range(rnd.randrange(1, 6))
        ]
        body, content_type = urllib3.encode_multipart_formdata(fields)
        got = await read_form(content_type, body, stream_of, rnd.randrange(1, 700))
        assert [(g[0], g[3]) for g in got] == [(name, f[1]) for name, f in fields]


# -- we write, python-multipart reads ------------------------------------------------------------


@dataclass
class PMPart:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


def parse_with_python_multipart(boundary: bytes, body: bytes, step: int) -> list[PMPart]:
    parts: list[PMPart] = []
    header_field = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        parts.append(PMPart())

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].data += data[start:end]

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        parts[-1].headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    callbacks = {
        "on_part_begin": on_part_begin,
        "on_part_data": on_part_data,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
    }
    # python-multipart types callbacks as a TypedDict; a plain dict of the
    # documented names is what its own docs pass.
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    for i in range(0, len(body), step):
        assert parser.write(body[i : i + step]) == len(body[i : i + step])
    parser.finalize()
    return parts


def our_form() -> MultipartWriter:
    writer = MultipartWriter("form-data")
    writer.append("value").set_content_disposition("form-data", name="plain")
    writer.append("значение").set_content_disposition("form-data", name="unicode ü")
    file_part = writer.append(BINARY, {"Content-Type": "application/octet-stream"})
    file_part.set_content_disposition("form-data", name="file", filename='naïve "q"\r\n.bin')
    writer.append(b"").set_content_disposition("form-data", name="empty")
    writer.append_json({"a": 1}).set_content_disposition("form-data", name="json")
    return writer


@pytest.mark.parametrize("step", [7, 65536, 10**7])
def test_python_multipart_reads_our_form(step: int) -> None:
    writer = our_form()
    body = b"".join(writer.serialize())
    ctype, options = parse_options_header(writer.headers["Content-Type"])
    assert ctype == b"multipart/form-data"
    if step == 7:
        body = body.replace(BINARY, BINARY[:2000])
    parts = parse_with_python_multipart(options[b"boundary"], body, step)
    decoded = []
    for p in parts:
        disptype, params = parse_options_header(p.headers[b"content-disposition"])
        assert disptype == b"form-data"
        decoded.append((params.get(b"name"), params.get(b"filename"), bytes(p.data)))
    binary = BINARY[:2000] if step == 7 else BINARY
    assert decoded == [
        (b"plain", None, b"value"),
        ("unicode ü".encode(), None, "значение".encode()),
        # RFC 7578/WHATWG escapes, raw UTF-8: what browsers send
        (b"file", "naïve %22q%22%0D%0A.bin".encode(), binary),
        (b"empty", None, b""),
        (b"json", None, b'{"a": 1}'),
    ]


def test_python_multipart_reads_base64_and_nested() -> None:
    inner = MultipartWriter("mixed", boundary="inner")
    inner.append(b"nested")
    writer = MultipartWriter("form-data", boundary="outer")
    writer.append(BINARY[:5000], {"Content-Transfer-Encoding": "base64"}).set_content_disposition(
        "form-data", name="b64"
    )
    writer.append(inner).set_content_disposition("form-data", name="inner")
    parts = parse_with_python_multipart(b"outer", b"".join(writer.serialize()), 100)
    assert base64.b64decode(bytes(parts[0].data)) == BINARY[:5000]
    nested = parse_with_python_multipart(b"inner", bytes(parts[1].data), 3)
    assert [bytes(p.data) for p in nested] == [b"nested"]


# -- we write, the standard library's email parser reads ----------------------------------------


def parse_with_email(writer: MultipartWriter, body: bytes) -> EmailMessage:
    head = f"Content-Type: {writer.headers['Content-Type']}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    msg = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    assert isinstance(msg, EmailMessage)
    assert msg.is_multipart()
    assert not msg.defects
    return msg


def test_email_parser_reads_our_form() -> None:
    writer = MultipartWriter("form-data")
    writer.append("hello world").set_content_disposition("form-data", name="text")
    b64 = writer.append(
        BINARY, {"Content-Type": "application/octet-stream", "Content-Transfer-Encoding": "base64"}
    )
    b64.set_content_disposition("form-data", name="b64", filename="data.bin")
    qp = writer.append(BINARY[:3000], {"Content-Transfer-Encoding": "quoted-printable"})
    qp.set_content_disposition("form-data", name="qp", filename="qp.bin")
    writer.append_json({"k": "v"}).set_content_disposition("form-data", name="j")
    msg = parse_with_email(writer, b"".join(writer.serialize()))
    parts = list(msg.iter_parts())
    assert [p.get_param("name", header="content-disposition") for p in parts] == [
        "text",
        "b64",
        "qp",
        "j",
    ]
    assert [p.get_filename() for p in parts] == [None, "data.bin", "qp.bin", None]
    payloads = [p.get_payload(decode=True) for p in parts]
    assert payloads == [b"hello world", BINARY, BINARY[:3000], b'{"k": "v"}']
    assert parts[0].get_content_charset() == "utf-8"


def test_email_parser_reads_nested_mixed() -> None:
    inner = MultipartWriter("alternative")
    inner.append("plain text")
    inner.append("<p>html</p>", {"Content-Type": "text/html; charset=utf-8"})
    writer = MultipartWriter("mixed")
    writer.append(inner)
    attachment = writer.append(
        b"%PDF-1.4 ...", {"Content-Type": "application/pdf", "Content-Transfer-Encoding": "base64"}
    )
    attachment.set_content_disposition("attachment", filename="€ rates.pdf")
    msg = parse_with_email(writer, b"".join(writer.serialize()))
    alt, pdf = msg.iter_parts()
    assert alt.get_content_type() == "multipart/alternative"
    assert [p.get_payload(decode=True) for p in alt.iter_parts()] == [b"plain text", b"<p>html</p>"]
    # RFC 2231/6266: the email package decodes filename* itself.
    assert pdf.get_filename() == "€ rates.pdf"
    assert pdf.get_payload(decode=True) == b"%PDF-1.4 ..."
