"""curl against the server: keep-alive, chunked uploads, HEAD, 100-continue, 10 MiB both ways."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from wsgi_testutil import ServerThread

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(
    CURL is None, reason="curl is not installed (the CI script installs it)"
)
MiB = 1024 * 1024


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    if environ["PATH_INFO"] == "/download":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        block = b"\xab" * 65536

        def gen() -> Iterator[bytes]:
            for _ in range(160):
                yield block

        return gen()
    digest = hashlib.sha256()
    total = 0
    while True:
        chunk = environ["wsgi.input"].read(1 << 16)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    body = f"{environ['REQUEST_METHOD']} {total} {digest.hexdigest()}\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture(scope="module")
def srv() -> Iterator[ServerThread]:
    with ServerThread(app) as server:
        yield server
    assert server.errors == []


def curl(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CURL is not None
    return subprocess.run(
        [CURL, "--silent", "--show-error", "--max-time", "30", *args],
        capture_output=True,
        check=True,
    )


def test_get_and_keep_alive(srv: ServerThread) -> None:
    out = curl("-v", srv.url("/a"), srv.url("/b"))
    assert out.stdout == (b"GET 0 " + hashlib.sha256().hexdigest().encode() + b"\n") * 2
    assert b"Re-using existing connection" in out.stderr or b"Reusing existing" in out.stderr


def test_head(srv: ServerThread) -> None:
    out = curl("-I", srv.url("/x"))
    assert out.stdout.startswith(b"HTTP/1.1 200 OK")
    assert b"Content-Length: " in out.stdout


def test_chunked_upload(srv: ServerThread, tmp_path: Path) -> None:
    data = os.urandom(300000)
    f = tmp_path / "body"
    f.write_bytes(data)
    out = curl("-H", "Transfer-Encoding: chunked", "--data-binary", f"@{f}", srv.url("/up"))
    assert out.stdout == f"POST {len(data)} {hashlib.sha256(data).hexdigest()}\n".encode()


def test_upload_10mib_with_100_continue(srv: ServerThread, tmp_path: Path) -> None:
    data = os.urandom(10 * MiB)
    f = tmp_path / "big"
    f.write_bytes(data)
    out = curl(
        "-v",
        "-H",
        "Expect: 100-continue",
        "-T",
        str(f),
        srv.url("/big"),
    )
    assert out.stdout == f"PUT {len(data)} {hashlib.sha256(data).hexdigest()}\n".encode()
    assert b"HTTP/1.1 100 Continue" in out.stderr


def test_download_10mib(srv: ServerThread, tmp_path: Path) -> None:
    f = tmp_path / "down"
    curl("-o", str(f), srv.url("/download"))
    assert f.read_bytes() == b"\xab" * (10 * MiB)
