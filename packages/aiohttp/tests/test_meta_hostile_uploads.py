"""Uploads streamed to disk through multipart, under load and faults (issue 9).

The showcase server's ``/upload`` (ShowcaseProtocol) takes many concurrent
multipart uploads, framed by Content-Length or chunked, sent in odd-sized
pieces, while other clients abort theirs midway; every completed file
arrives complete and byte-identical (SHA-256 of the stored file).
"""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import json
import random
import socket
import struct
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import urllib3
import websockets

from aiohttp import _showcase as showcase


@pytest.fixture
def port(showcase_port: int) -> int:
    return showcase_port


def _files(rng: random.Random, k: int) -> list[tuple[str, bytes]]:
    out = []
    for j in range(rng.randint(1, 3)):
        size = rng.choice([0, 1, 100, 65535, 65536, 65537, rng.randint(0, 1_500_000)])
        data = rng.randbytes(size)
        if j == 1 and size > 10:
            # Bytes that look like a boundary inside the file must survive.
            data = data[:5] + b"\r\n--" + data[5:]
        out.append((f"u{k}-{j}.bin", data))
    return out


def _pieces(body: bytes, rng: random.Random) -> Iterator[bytes]:
    pos = 0
    while pos < len(body):
        step = rng.choice([1, 7, 1000, 4096, 65536, 300_000])
        yield body[pos : pos + step]
        pos += step


def _upload(port: int, k: int) -> tuple[list[tuple[str, bytes]], int, bytes]:
    rng = random.Random(k)
    files = _files(rng, k)
    body, ctype = urllib3.encode_multipart_formdata(
        [("who", f"client {k}"), *[("file", (n, d, "application/octet-stream")) for n, d in files]]
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        if k % 2:  # chunked, in odd pieces
            conn.request(
                "POST",
                "/upload",
                body=_pieces(body, rng),
                headers={"Content-Type": ctype},
                encode_chunked=True,
            )
        else:  # Content-Length, sent in odd pieces
            conn.putrequest("POST", "/upload")
            conn.putheader("Content-Type", ctype)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders()
            for piece in _pieces(body, rng):
                conn.send(piece)
        resp = conn.getresponse()
        return files, resp.status, resp.read()
    finally:
        conn.close()


def _abort(port: int, k: int) -> None:
    """Start an upload and reset the connection in the middle of a file."""
    rng = random.Random(10_000 + k)
    data = rng.randbytes(500_000)
    body, ctype = urllib3.encode_multipart_formdata([("file", ("aborted.bin", data))])
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    head = (
        f"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock.sendall(head + body[: len(body) // 2])
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.asyncio
async def test_concurrent_uploads_arrive_complete_and_byte_identical(
    port: int, tmp_path: Path
) -> None:
    n, aborted = 24, 8
    loop = asyncio.get_running_loop()
    # The clients get their own threads: the server writes files through the
    # loop's default executor, which blocked clients must not occupy.
    with ThreadPoolExecutor(n + aborted) as clients:
        results = await asyncio.wait_for(
            asyncio.gather(
                *(loop.run_in_executor(clients, _upload, port, k) for k in range(n)),
                *(loop.run_in_executor(clients, _abort, port, k) for k in range(aborted)),
            ),
            120,
        )
    stored: set[Path] = set()
    for k, (files, status, answer) in enumerate(results[:n]):  # type: ignore[misc]
        assert status == 200, answer[:300]
        report = json.loads(answer)
        assert report["fields"] == {"who": f"client {k}"}
        got = [(f["filename"], f["size"], f["sha256"]) for f in report["files"]]
        assert got == [(name, len(d), hashlib.sha256(d).hexdigest()) for name, d in files]
        for info, (_, data) in zip(report["files"], files, strict=True):
            path = Path(info["stored_as"])
            assert path.parent == tmp_path
            # What is on disk, hashed again: complete and byte-identical.
            assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
            stored.add(path)
    # Aborted uploads leave no partial file behind: what is on disk is
    # exactly the files that were reported.
    # (The server notices each reset on its own time: wait for it, bounded.)
    for _ in range(1000):
        if set(tmp_path.iterdir()) == stored:
            break
        await asyncio.sleep(0.02)
    assert set(tmp_path.iterdir()) == stored
    # The server is still fine after the aborted uploads.
    with ThreadPoolExecutor(1) as client:
        _, status, _ = await loop.run_in_executor(client, _upload, port, 999)
    assert status == 200


@pytest.mark.asyncio
@pytest.mark.parametrize("target", [b"http://[zz]/upload", b"http://[::1/ws"])
async def test_request_target_yarl_refuses_is_not_a_server_error(port: int, target: bytes) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET " + target + b" HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
    answer = await asyncio.wait_for(reader.read(), 20)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 404 "), answer[:100]  # the WSGI app's answer


# -- the showcase's own bounds, at the limit and one past it ----------------------


@pytest.mark.asyncio
async def test_upload_file_size_at_and_past_the_limit(
    port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(showcase, "UPLOAD_MAX_FILE_SIZE", 1000)

    def post(size: int) -> tuple[int, bytes]:
        body, ctype = urllib3.encode_multipart_formdata([("f", ("f.bin", b"x" * size))])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request("POST", "/upload", body=body, headers={"Content-Type": ctype})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    with ThreadPoolExecutor(1) as client:
        loop = asyncio.get_running_loop()
        status, answer = await loop.run_in_executor(client, post, 1000)
        assert status == 200 and json.loads(answer)["files"][0]["size"] == 1000
        status, _ = await loop.run_in_executor(client, post, 1001)
        assert status == 400


@pytest.mark.asyncio
async def test_upload_body_size_at_and_past_the_limit(
    port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many files each within the file limit still meet the whole-body one."""
    files = [(f"f{i}", (f"f{i}.bin", b"x" * 500)) for i in range(4)]
    body, ctype = urllib3.encode_multipart_formdata(files, boundary="b" * 20)
    monkeypatch.setattr(showcase, "UPLOAD_MAX_FILE_SIZE", 1000)

    def post(data: bytes) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request("POST", "/upload", body=data, headers={"Content-Type": ctype})
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    with ThreadPoolExecutor(1) as client:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(showcase, "UPLOAD_MAX_BODY_SIZE", len(body))
        assert await loop.run_in_executor(client, post, body) == 200
        monkeypatch.setattr(showcase, "UPLOAD_MAX_BODY_SIZE", len(body) - 1)
        assert await loop.run_in_executor(client, post, body) == 400


@pytest.mark.asyncio
async def test_websocket_message_size_at_and_past_the_limit(port: int) -> None:
    limit = showcase.WS_MAX_MSG_SIZE
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=None) as ws:
        await ws.send(b"\0" * limit)
        assert len(await ws.recv()) == limit
        await ws.send(b"\0" * (limit + 1))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 20)
    assert ws.close_code == 1009  # message too big
