"""``aiohttp.helpers.FormData``: urlencoded unless a file or option asks for multipart."""

from __future__ import annotations

import email.parser
import email.policy
import io
from urllib.parse import parse_qsl

import pytest

from aiohttp import MultipartWriter
from aiohttp.helpers import FormData


def render(writer: MultipartWriter) -> bytes:
    return b"".join(writer.serialize())


def parse(content_type: str, body: bytes) -> list[tuple[str | None, str | None, bytes]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    parts: list[tuple[str | None, str | None, bytes]] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        name = part.get_param("name", header="content-disposition")
        assert name is None or isinstance(name, str)
        parts.append((name, part.get_filename(), payload))
    return parts


def test_plain_fields_are_urlencoded() -> None:
    form = FormData({"a": "1", "b": "ü x"})
    form.add_field("a", "2")
    assert not form.is_multipart
    assert form.content_type == "application/x-www-form-urlencoded"
    body = form()
    assert isinstance(body, bytes)
    assert parse_qsl(body.decode()) == [("a", "1"), ("b", "ü x"), ("a", "2")]
    assert form("latin-1") == b"a=1&b=%FC+x&a=2"


def test_a_file_makes_it_multipart_and_names_the_part_after_the_file() -> None:
    form = FormData([("title", "report")])
    upload = io.BytesIO(b"\x00\x01binary")
    upload.name = "/tmp/dir/data.bin"
    form.add_field("file", upload)
    assert form.is_multipart
    assert form.content_type.startswith("multipart/form-data; boundary=")
    writer = form()
    assert isinstance(writer, MultipartWriter)
    assert parse(form.content_type, render(writer)) == [
        ("title", None, b"report"),
        ("file", "data.bin", b"\x00\x01binary"),
    ]


def test_bytes_are_sent_as_a_file_named_after_the_field() -> None:
    form = FormData()
    form.add_field("blob", b"raw")
    assert form.is_multipart
    writer = form()
    assert isinstance(writer, MultipartWriter)
    assert parse(form.content_type, render(writer)) == [("blob", "blob", b"raw")]


def test_options_make_it_multipart_and_set_part_headers() -> None:
    form = FormData()
    form.add_field("doc", '{"a": 1}', content_type="application/json", filename="d.json")
    writer = form()
    assert isinstance(writer, MultipartWriter)
    body = render(writer)
    assert b"Content-Type: application/json" in body
    assert parse(form.content_type, body) == [("doc", "d.json", b'{"a": 1}')]


def test_add_fields_accepts_pairs_and_files_and_rejects_the_rest() -> None:
    form = FormData()
    f = io.BytesIO(b"x")
    f.name = "f.txt"
    form.add_fields(("k", "v"), f)
    writer = form()
    assert isinstance(writer, MultipartWriter)
    assert [p[:2] for p in parse(form.content_type, render(writer))] == [
        ("k", None),
        ("f.txt", "f.txt"),
    ]
    with pytest.raises(TypeError):
        form.add_fields(("only one",))  # type: ignore[arg-type]  # the runtime refusal
    with pytest.raises(TypeError):
        form.add_field("n", 42)  # type: ignore[arg-type]  # likewise
    with pytest.raises(TypeError):
        form.add_field("n", "v", filename=b"x")  # type: ignore[arg-type]  # likewise
