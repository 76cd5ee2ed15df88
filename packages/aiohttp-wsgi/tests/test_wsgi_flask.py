"""A real framework (Flask) served through aiohttp-wsgi, under wsgiref.validate."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator

import pytest
from flask import Flask, Response, request, stream_with_context
from wsgi_testutil import ServerThread, request as http_request


def make_app() -> Flask:
    app = Flask("flask_under_test")

    @app.get("/")
    def index() -> str:
        return "hello from flask"

    @app.get("/user/<name>")
    def user(name: str) -> dict[str, str]:
        return {"name": name, "q": request.args.get("q", "")}

    @app.post("/form")
    def form() -> dict[str, object]:
        upload = request.files.get("upload")
        return {
            "fields": dict(request.form),
            "file": upload.read().decode() if upload is not None else None,
            "filename": upload.filename if upload is not None else None,
        }

    @app.get("/stream")
    def stream() -> Response:
        def gen() -> Iterator[str]:
            for i in range(100):
                yield f"row {i} {request.path}\n"

        return Response(stream_with_context(gen()), mimetype="text/plain")

    @app.get("/fail")
    def fail() -> str:
        raise RuntimeError("flask handler failed")

    return app


@pytest.fixture(scope="module")
def srv() -> Iterator[ServerThread]:
    with ServerThread(make_app()) as server:
        yield server


def test_routes(srv: ServerThread) -> None:
    status, headers, body = http_request(srv, "GET", "/")
    assert (status, body) == (200, b"hello from flask")
    status, headers, body = http_request(srv, "GET", "/user/J%C3%BCrgen?q=x%20y")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"name": "Jürgen", "q": "x y"}
    assert http_request(srv, "GET", "/missing")[0] == 404


def test_urlencoded_form_post(srv: ServerThread) -> None:
    body = urllib.parse.urlencode({"a": "1", "b": "héllo"}).encode()
    status, _, data = http_request(
        srv,
        "POST",
        "/form",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    assert b'"a":"1"' in data.replace(b" ", b"")
    assert b'"b":"h\\u00e9llo"' in data.replace(b" ", b"")


def test_multipart_form_post(srv: ServerThread) -> None:
    boundary = "----xyz"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="field"\r\n\r\n'
        "value\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="upload"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "file body\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    status, _, data = http_request(
        srv,
        "POST",
        "/form",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    compact = data.replace(b" ", b"")
    assert status == 200
    assert b'"field":"value"' in compact
    assert b'"file":"filebody"' in compact
    assert b'"filename":"a.txt"' in compact


def test_streamed_response(srv: ServerThread) -> None:
    status, headers, body = http_request(srv, "GET", "/stream")
    assert status == 200
    assert headers["Transfer-Encoding"] == "chunked"
    lines = body.decode().splitlines()
    assert lines[0] == "row 0 /stream" and lines[-1] == "row 99 /stream"
    assert len(lines) == 100


def test_flask_error_is_500(srv: ServerThread) -> None:
    # Flask turns the exception into its own 500 page and logs it.
    assert http_request(srv, "GET", "/fail")[0] == 500
