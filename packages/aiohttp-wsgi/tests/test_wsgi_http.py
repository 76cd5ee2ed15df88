"""Real clients (http.client, urllib, raw sockets) against the WSGI server."""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
from wsgi_testutil import ServerThread, recv_all, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

MiB = 1024 * 1024


def environ_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Echo the CGI part of the environ as JSON, plus a digest of the body."""
    data: dict[str, object] = {k: v for k, v in environ.items() if isinstance(v, str)}
    data["wsgi.url_scheme"] = environ["wsgi.url_scheme"]
    data["wsgi.multithread"] = environ["wsgi.multithread"]
    digest = hashlib.sha256()
    total = 0
    while True:
        chunk = environ["wsgi.input"].read(65536)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    data["body_sha256"] = digest.hexdigest()
    data["body_length"] = total
    body = json.dumps(data).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _json(body: bytes) -> dict[str, object]:
    data = json.loads(body)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def env_server() -> Iterator[ServerThread]:
    with ServerThread(environ_app) as srv:
        yield srv
    assert srv.errors == []


def test_urllib_get_environ(env_server: ServerThread) -> None:
    req = urllib.request.Request(
        env_server.url("/caf%C3%A9/x?a=1&b=%20"),
        headers={"X-Multi": "a", "Cookie": "k=v"},
    )
    with urllib.request.urlopen(req, timeout=20) as resp:
        assert resp.status == 200
        env = _json(resp.read())
    assert env["REQUEST_METHOD"] == "GET"
    assert env["PATH_INFO"] == "/caf\xc3\xa9/x"
    assert env["QUERY_STRING"] == "a=1&b=%20"
    assert env["SCRIPT_NAME"] == ""
    assert env["SERVER_NAME"] == "127.0.0.1"
    assert env["SERVER_PORT"] == str(env_server.port)
    assert env["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert env["REMOTE_ADDR"] == "127.0.0.1"
    assert env["HTTP_X_MULTI"] == "a"
    assert env["HTTP_COOKIE"] == "k=v"
    assert env["HTTP_HOST"] == f"127.0.0.1:{env_server.port}"
    assert env["wsgi.url_scheme"] == "http"
    assert env["wsgi.multithread"] is True
    assert env["body_length"] == 0


def test_repeated_headers_joined(env_server: ServerThread) -> None:
    sock = env_server.raw()
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nX-A: 2\r\nConnection: close\r\n\r\n")
    data = recv_all(sock)
    sock.close()
    env = _json(data.split(b"\r\n\r\n", 1)[1])
    assert env["HTTP_X_A"] == "1, 2"


def test_keep_alive_reuses_connection(env_server: ServerThread) -> None:
    conn = env_server.connect()
    ports = set()
    for i in range(3):
        conn.request("POST", f"/{i}", body=b"x" * i)
        resp = conn.getresponse()
        env = _json(resp.read())
        assert resp.status == 200
        assert env["PATH_INFO"] == f"/{i}"
        assert env["body_length"] == i
        ports.add(env["REMOTE_PORT"])
    conn.close()
    assert len(ports) == 1


def test_pipelined_requests_answered_in_order(env_server: ServerThread) -> None:
    sock = env_server.raw()
    reqs = b"".join(
        b"GET /p%d HTTP/1.1\r\nHost: x\r\n%s\r\n" % (i, b"Connection: close\r\n" if i == 4 else b"")
        for i in range(5)
    )
    sock.sendall(reqs)
    data = recv_all(sock)
    sock.close()
    assert data.count(b"HTTP/1.1 200 OK") == 5
    positions = [data.index(b'"PATH_INFO": "/p%d"' % i) for i in range(5)]
    assert positions == sorted(positions)


def test_chunked_request_body(env_server: ServerThread) -> None:
    parts = [os.urandom(1000) for _ in range(20)]
    status, _, body = request(env_server, "POST", "/up", body=iter(parts), encode_chunked=True)
    env = _json(body)
    assert status == 200
    assert env["HTTP_TRANSFER_ENCODING"] == "chunked"
    assert "CONTENT_LENGTH" not in env
    assert env["body_length"] == 20000
    assert env["body_sha256"] == hashlib.sha256(b"".join(parts)).hexdigest()


def test_upload_10mib(env_server: ServerThread) -> None:
    data = os.urandom(10 * MiB)
    status, _, body = request(env_server, "PUT", "/big", body=data)
    env = _json(body)
    assert status == 200
    assert env["CONTENT_LENGTH"] == str(len(data))
    assert env["body_length"] == len(data)
    assert env["body_sha256"] == hashlib.sha256(data).hexdigest()


def test_expect_100_continue(env_server: ServerThread) -> None:
    sock = env_server.raw()
    sock.sendall(
        b"POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
        b"Connection: close\r\n\r\n"
    )
    interim = b""
    while b"\r\n\r\n" not in interim:
        chunk = sock.recv(1024)
        assert chunk, "server closed before 100 Continue"
        interim += chunk
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
    sock.sendall(b"hello")
    rest = interim[len(b"HTTP/1.1 100 Continue\r\n\r\n") :] + recv_all(sock)
    sock.close()
    assert rest.startswith(b"HTTP/1.1 200 OK\r\n")
    assert _json(rest.split(b"\r\n\r\n", 1)[1])["body_length"] == 5


# -- responses ----------------------------------------------------------------


def stream_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/stream":
        size = int(environ["QUERY_STRING"] or 10 * MiB)
        start_response("200 OK", [("Content-Type", "application/octet-stream")])

        def gen() -> Iterator[bytes]:
            block = bytes(range(256)) * 256  # 64 KiB
            sent = 0
            while sent < size:
                piece = block[: size - sent]
                sent += len(piece)
                yield piece

        return gen()
    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"from write(); ")
        return [b"from iterable"]
    if path == "/head":
        body = b"0123456789"
        start_response(
            "200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        )
        return [body]
    if path == "/file":
        f = tempfile.TemporaryFile()
        f.write(b"file contents " * 1000)
        f.seek(0)
        start_response("200 OK", [("Content-Type", "text/plain")])
        wrapper = environ["wsgi.file_wrapper"]
        result: Iterable[bytes] = wrapper(f, 4096)
        return result
    if path == "/empty":
        start_response("204 No Content", [])
        return []
    if path == "/latin1":
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Name", "caf\xe9")])
        return [b"ok"]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"nope"]


@pytest.fixture(scope="module")
def stream_server() -> Iterator[ServerThread]:
    with ServerThread(stream_app) as srv:
        yield srv
    assert srv.errors == []


def test_streamed_response_10mib(stream_server: ServerThread) -> None:
    conn = stream_server.connect()
    conn.request("GET", "/stream")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.getheader("Transfer-Encoding") == "chunked"
    digest = hashlib.sha256()
    total = 0
    while True:
        chunk = resp.read(1 << 20)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    assert total == 10 * MiB
    block = bytes(range(256)) * 256
    assert digest.hexdigest() == hashlib.sha256(block * 160).hexdigest()
    # the connection is still usable
    conn.request("GET", "/head")
    assert conn.getresponse().read() == b"0123456789"
    conn.close()


def test_header_strings_are_sent_as_latin1_bytes(stream_server: ServerThread) -> None:
    # PEP 3333: a header value "café" is the native string of the bytes
    # b"caf\xe9", so that is what goes on the wire (not UTF-8's b"caf\xc3\xa9").
    with socket.create_connection(("127.0.0.1", stream_server.port)) as sock:
        sock.sendall(b"GET /latin1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = recv_all(sock).split(b"\r\n\r\n", 1)[0]
    assert b"\r\nX-Name: caf\xe9" in head
    status, headers, body = request(stream_server, "GET", "/latin1")
    assert (status, headers["X-Name"], body) == (200, "caf\xe9", b"ok")


def test_write_callable_and_iterable(stream_server: ServerThread) -> None:
    status, _, body = request(stream_server, "GET", "/write")
    assert (status, body) == (200, b"from write(); from iterable")


def test_head_has_no_body(stream_server: ServerThread) -> None:
    conn = stream_server.connect()
    conn.request("HEAD", "/head")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.getheader("Content-Length") == "10"
    assert resp.read() == b""
    # a streamed (unknown length) HEAD response has no body either
    conn.request("HEAD", "/stream?100000")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.read() == b""
    # and the connection is still in sync
    conn.request("GET", "/head")
    assert conn.getresponse().read() == b"0123456789"
    conn.close()


def test_file_wrapper(stream_server: ServerThread) -> None:
    status, _, body = request(stream_server, "GET", "/file")
    assert status == 200
    assert body == b"file contents " * 1000


def test_no_content(stream_server: ServerThread) -> None:
    status, headers, body = request(stream_server, "GET", "/empty")
    assert status == 204
    assert body == b""
    assert headers.get("Transfer-Encoding") is None


def test_http10_client(stream_server: ServerThread) -> None:
    sock = stream_server.raw()
    sock.sendall(b"GET /stream?1000 HTTP/1.0\r\n\r\n")
    data = recv_all(sock)
    sock.close()
    head, body = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.")
    assert b"Transfer-Encoding" not in head
    assert body == (bytes(range(256)) * 4)[:1000]


# -- modes --------------------------------------------------------------------


@pytest.mark.parametrize("kw", [{"readpayload": True}, {"executor": False}])
def test_read_payload_modes(kw: dict[str, bool]) -> None:
    with ServerThread(environ_app, **kw) as srv:
        data = os.urandom(3 * MiB)
        status, _, body = request(srv, "POST", "/x", body=data)
        env = _json(body)
        assert status == 200
        assert env["body_sha256"] == hashlib.sha256(data).hexdigest()
        assert env["wsgi.multithread"] is (kw.get("executor") is not False)
    assert srv.errors == []


def test_readpayload_too_large() -> None:
    with ServerThread(environ_app, readpayload=True, max_request_body_size=1000) as srv:
        status, _, body = request(srv, "POST", "/x", body=b"x" * 2000)
        assert status == 413
        status, _, body = request(srv, "POST", "/x", body=b"x" * 1000)
        assert status == 200


def test_is_ssl_sets_https_scheme() -> None:
    with ServerThread(environ_app, is_ssl=True, script_name="/mount") as srv:
        status, _, body = request(srv, "GET", "/mount/x")
    env = _json(body)
    assert (status, env["wsgi.url_scheme"]) == (200, "https")
    assert (env["SCRIPT_NAME"], env["PATH_INFO"]) == ("/mount", "/x")


def test_slow_reader_bounds_what_the_app_produces() -> None:
    produced = [0]
    total = 48 * MiB

    def big(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        block = b"z" * 65536

        def gen() -> Iterator[bytes]:
            while produced[0] < total:
                produced[0] += len(block)
                yield block

        return gen()

    with ServerThread(big) as srv:
        sock = srv.raw()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        # Do not read: the application must stall once buffers are full.
        last = -1
        while produced[0] != last:
            last = produced[0]
            time.sleep(0.3)
        assert produced[0] < 24 * MiB, produced
        received = 0
        while True:
            data = sock.recv(1 << 20)
            if not data:
                break
            received += len(data)
        sock.close()
    assert produced[0] == total
    assert received > total


def test_pipelined_flood_is_flow_controlled(env_server: ServerThread) -> None:
    # ~300 KiB of pipelined requests: more than the server buffers unparsed,
    # so it pauses reading; a sender thread keeps writing while we read.
    n = 3000
    reqs = b"".join(
        b"GET /f%d HTTP/1.1\r\nHost: x\r\nX-Pad: %s\r\n%s\r\n"
        % (i, b"p" * 40, b"Connection: close\r\n" if i == n - 1 else b"")
        for i in range(n)
    )
    sock = env_server.raw()
    sender = threading.Thread(target=sock.sendall, args=(reqs,))
    sender.start()
    data = recv_all(sock)
    sender.join(20)
    sock.close()
    assert data.count(b"HTTP/1.1 200 OK\r\n") == n
    assert data.index(b'"PATH_INFO": "/f0"') < data.index(b'"PATH_INFO": "/f%d"' % (n - 1))


def _dated_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    headers = [("Content-Type", "text/plain"), ("X-Padded", "  v  ")]
    if environ["PATH_INFO"] == "/own-date":
        headers.append(("date", "Mon, 01 Jan 2024 00:00:00 GMT"))
    start_response("200 OK", headers)
    return [b"ok"]


def test_date_and_server_headers() -> None:
    with ServerThread(_dated_app) as srv:
        conn = srv.connect()
        try:
            for path in ("/", "/own-date"):
                conn.request("GET", path)
                resp = conn.getresponse()
                assert resp.read() == b"ok"
                dates = resp.headers.get_all("Date")
                assert dates is not None and len(dates) == 1
                if path == "/own-date":
                    assert dates == ["Mon, 01 Jan 2024 00:00:00 GMT"]
                else:
                    assert email.utils.parsedate_to_datetime(dates[0]).tzname() == "UTC"
                assert resp.headers["X-Padded"] == "v"
                assert resp.headers["Server"]
        finally:
            conn.close()
    assert srv.errors == []
