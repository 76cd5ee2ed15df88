"""The showcase server (``python -m aiohttp``) with real clients on 127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import urllib3
import websockets


class Server:
    def __init__(self, port: int, upload_dir: Path) -> None:
        self.port = port
        self.upload_dir = upload_dir

    async def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        def call() -> tuple[int, dict[str, str], bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request(method, path, body=body, headers=headers or {})
                resp = conn.getresponse()
                return resp.status, dict(resp.getheaders()), resp.read()
            finally:
                conn.close()

        return await asyncio.to_thread(call)


@pytest.fixture
def server(showcase_port: int, tmp_path: Path) -> Server:
    return Server(showcase_port, tmp_path)


@pytest.mark.asyncio
async def test_the_page_is_served_by_the_wsgi_app(server: Server) -> None:
    status, headers, body = await server.request("GET", "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'id="upload-form"' in body and b'action="/upload"' in body
    assert b'"/ws"' in body
    status, _, body = await server.request("GET", "/hello")
    assert (status, body) == (200, b"Hello from WSGI\n")
    status, _, _ = await server.request("GET", "/nope")
    assert status == 404


@pytest.mark.asyncio
async def test_upload_streams_files_to_disk_and_reports_sha256(server: Server) -> None:
    big = os.urandom(3 * 1024 * 1024 + 17)
    small = "ünïcode text\r\n--not a boundary\r\n".encode()
    body, content_type = urllib3.encode_multipart_formdata(
        [
            ("title", "two files"),
            ("file", ("big.bin", big, "application/octet-stream")),
            ("file", ("notes ü.txt", small, "text/plain")),
        ]
    )
    status, headers, answer = await server.request(
        "POST", "/upload", body, {"Content-Type": content_type}
    )
    assert status == 200, answer
    assert headers["Content-Type"] == "application/json"
    result = json.loads(answer)
    assert result["fields"] == {"title": "two files"}
    files = result["files"]
    assert [(f["filename"], f["size"], f["sha256"]) for f in files] == [
        ("big.bin", len(big), hashlib.sha256(big).hexdigest()),
        ("notes ü.txt", len(small), hashlib.sha256(small).hexdigest()),
    ]
    for info, data in zip(files, (big, small), strict=True):
        stored = Path(info["stored_as"])
        assert stored.parent == server.upload_dir
        assert stored.read_bytes() == data


@pytest.mark.asyncio
async def test_upload_refuses_other_methods_and_bodies(server: Server) -> None:
    status, headers, _ = await server.request("GET", "/upload")
    assert status == 405
    assert headers["Allow"] == "POST"
    status, _, body = await server.request(
        "POST", "/upload", b"a=1", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 400
    assert b"multipart" in body
    # A multipart body cut short is an error, not a silently truncated file.
    status, _, _ = await server.request(
        "POST",
        "/upload",
        b'--xx\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nabc',
        {"Content-Type": "multipart/form-data; boundary=xx"},
    )
    assert status == 400


@pytest.mark.asyncio
async def test_websocket_echo(server: Server) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{server.port}/ws") as ws:
        await ws.send("hello ü")
        assert await ws.recv() == "hello ü"
        await ws.send(b"\x00\xff" * 40_000)
        assert await ws.recv() == b"\x00\xff" * 40_000
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)
        await ws.close(code=4000, reason="bye")
    assert ws.close_code == 4000


@pytest.mark.asyncio
async def test_websocket_handshake_errors_are_http_errors(server: Server) -> None:
    status, _, body = await server.request("GET", "/ws")
    assert status == 400
    assert b"websocket" in body.lower()


def test_main_job_command_serves_and_stops_on_sigint(tmp_path: Path) -> None:
    """``python -m aiohttp --port 0``: what the README's Quickstart runs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "aiohttp", "--port", "0", "--upload-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        conn = http.client.HTTPConnection("127.0.0.1", int(match[1]), timeout=10)
        conn.request("GET", "/hello")
        assert conn.getresponse().read() == b"Hello from WSGI\n"
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "GET /hello" in err  # the access log
