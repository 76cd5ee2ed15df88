"""The server under load and faults (issue 9), all on 127.0.0.1 and bounded in time.

Every wait has a generous cap (``WAIT``) so a wedged server fails instead of
hanging; nothing asserts how fast anything happened.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import socket
import struct
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
from wsgi_testutil import WAIT, ServerThread, open_fds, recv_all, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


class _Closing:
    """A response iterable that counts how many were closed (PEP 3333 close())."""

    closed = 0
    lock = threading.Lock()

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._it = iter(chunks)

    def __iter__(self) -> Iterator[bytes]:
        return self._it

    def close(self) -> None:
        with _Closing.lock:
            _Closing.closed += 1


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/big":  # 8 MiB streamed, no length: chunked
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return _Closing(b"x" * 65536 for _ in range(128))
    if path == "/read":
        total = 0
        while chunk := environ["wsgi.input"].read(65536):
            total += len(chunk)
        body = str(total).encode()
    else:
        body = path.encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _raise_nofile(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        target = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < need:
        pytest.skip(f"needs {need} file descriptors")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


# -- 1,000 concurrent keep-alive connections ------------------------------------


def test_1000_concurrent_keep_alive_connections() -> None:
    n, rounds = 1000, 3
    _raise_nofile(2 * n + 200)  # both ends of every connection live in this process

    async def client(
        i: int, conns: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]
    ) -> list[tuple[int, bytes]]:
        reader, writer = conns[i]
        got = []
        for r in range(rounds):
            writer.write(b"GET /c%d/r%d HTTP/1.1\r\nHost: x\r\n\r\n" % (i, r))
            got.append(await _read_response(reader))
        return got

    async def main(port: int) -> list[list[tuple[int, bytes]]]:
        conns = []
        for start in range(0, n, 100):  # connect in batches; all stay open
            conns += await asyncio.gather(
                *(asyncio.open_connection("127.0.0.1", port) for _ in range(start, start + 100))
            )
        try:
            return await asyncio.wait_for(asyncio.gather(*(client(i, conns) for i in range(n))), 60)
        finally:
            for _, writer in conns:
                writer.close()

    with ServerThread(app, validate=False) as srv:
        results = asyncio.run(main(srv.port))
        assert results == [[(200, b"/c%d/r%d" % (i, r)) for r in range(rounds)] for i in range(n)]
        assert srv.wait_idle() == []
        assert srv.errors == []


# -- slowloris ----------------------------------------------------------------------


def test_200_slowloris_connections_do_not_starve_normal_clients() -> None:
    n = 200
    _raise_nofile(2 * n + 200)
    stop = threading.Event()

    async def loris(port: int) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n")
        got = b""
        try:
            # One header byte every 50 ms until the server gives up on us.
            while not stop.is_set():
                writer.write(b"X")
                try:
                    got = await asyncio.wait_for(reader.read(1024), 0.05)
                except asyncio.TimeoutError:
                    continue
                break
        except ConnectionError:
            pass
        finally:
            writer.close()
        return got

    async def main(srv: ServerThread) -> tuple[list[bytes], list[int]]:
        lorises = [asyncio.create_task(loris(srv.port)) for _ in range(n)]
        await asyncio.sleep(0.2)  # let them connect and start trickling
        # Normal clients, each on a fresh connection, while the lorises trickle.
        normal = await asyncio.gather(
            *(asyncio.to_thread(request, srv, "GET", f"/n{i}") for i in range(20))
        )
        statuses = [status for status, _, _ in normal]
        done = await asyncio.wait_for(asyncio.gather(*lorises), WAIT)
        stop.set()
        return done, statuses

    # The slow request timeout counts from the first byte of the request, so
    # trickling does not extend it.
    with ServerThread(app, validate=False, timeout=2.0) as srv:
        lorises, statuses = asyncio.run(main(srv))
        assert statuses == [200] * 20
        # Every loris was answered 408 and closed (or reset) by the server.
        assert all(got == b"" or got.startswith(b"HTTP/1.1 408 ") for got in lorises)
        assert sum(got.startswith(b"HTTP/1.1 408 ") for got in lorises) > 0
        assert srv.wait_idle() == []


# -- resets ---------------------------------------------------------------------------


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer sees a TCP RST, not a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_clients_resetting_mid_request_and_mid_response() -> None:
    with ServerThread(app, validate=False) as srv:
        assert request(srv, "GET", "/warm")[0] == 200
        fds_before = open_fds()
        closed_before = _Closing.closed
        for i in range(30):
            # mid-request head
            sock = srv.raw()
            sock.sendall(b"GET /half HTTP/1.1\r\nHost: x\r\nX-Partial: ")
            _reset(sock)
            # mid-request body (the app is reading it)
            sock = srv.raw()
            sock.sendall(b"POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
            sock.sendall(b"b" * 20000)
            _reset(sock)
            # mid-response: an 8 MiB streamed answer, read a little of it
            sock = srv.raw()
            sock.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200 ")
            _reset(sock)
            if i % 10 == 0:
                status, _, body = request(srv, "GET", f"/between{i}")
                assert (status, body) == (200, f"/between{i}".encode())
        # The server keeps answering, forgets every connection, closes every
        # response iterable, and holds no more descriptors than before.
        status, _, body = request(srv, "GET", "/after")
        assert (status, body) == (200, b"/after")
        assert srv.wait_idle() == []
        assert _Closing.closed - closed_before == 30
        assert open_fds() <= fds_before


# -- pipelined floods of malformed requests ------------------------------------------

MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",  # no Host
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
    b"POST /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Many: y\r\n" * 200 + b"\r\n",
    # A TLS ClientHello has no line end: 300 of them pass the request line limit.
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32, 52)),
]


@pytest.mark.parametrize("bad", MALFORMED, ids=range(len(MALFORMED)))
def test_pipelined_flood_of_malformed_requests_gets_one_400_and_close(bad: bytes) -> None:
    with ServerThread(app, validate=False) as srv:

        def flood(k: int) -> bytes:
            sock = srv.raw()
            # a good request first, then the same bad one many times
            data = b"GET /ok%d HTTP/1.1\r\nHost: x\r\n\r\n" % k + bad * 300
            sender = threading.Thread(target=_send_ignoring_reset, args=(sock, data))
            sender.start()
            try:
                got = recv_all(sock)
            except ConnectionResetError:
                got = b"<reset>"
            sender.join(WAIT)
            sock.close()
            return got

        async def main() -> list[bytes]:
            return await asyncio.gather(*(asyncio.to_thread(flood, k) for k in range(20)))

        for k, got in enumerate(asyncio.run(main())):
            assert got.startswith(b"HTTP/1.1 200 OK\r\n"), got[:200]
            assert got.count(b"HTTP/1.1 400 ") == 1, got[:400]
            assert got.count(b"HTTP/1.1 ") == 2  # nothing after the 400: closed
            assert b"/ok%d" % k in got
        assert request(srv, "GET", "/still-up")[0] == 200
        assert srv.wait_idle() == []


def _send_ignoring_reset(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except OSError:
        pass  # the server closed after its 400: the rest has nowhere to go


# -- soak ----------------------------------------------------------------------------------


def _rss_kib() -> int:
    with open(f"/proc/{os.getpid()}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _pipelined(port: int, first: int, count: int) -> int:
    """Send ``count`` pipelined GETs on one connection; return how many 200s came back."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    batch = 500
    ok = 0
    buf = b""
    try:
        for start in range(first, first + count, batch):
            reqs = b"".join(
                b"GET /s%d HTTP/1.1\r\nHost: x\r\n\r\n" % i
                for i in range(start, min(start + batch, first + count))
            )
            sock.sendall(reqs)
            want = min(batch, first + count - start)
            got = 0
            while got < want:
                data = sock.recv(1 << 18)
                if not data:
                    raise AssertionError("server closed the connection")
                buf += data
                got += buf.count(b"HTTP/1.1 200 OK\r\n")
                # keep only the incomplete tail
                cut = buf.rfind(b"HTTP/1.1 200 OK\r\n")
                buf = buf[cut + 1 :] if cut >= 0 else buf
            ok += got
    finally:
        sock.close()
    return ok


SOAK = int(os.environ.get("AIOHTTP_SOAK_REQUESTS", "100000"))


def test_soak_100k_requests_memory_and_fds_come_back() -> None:
    conns = 8
    with ServerThread(app, validate=False, executor=False) as srv:
        # Warm up: caches, the executor, the allocator's arenas.
        assert sum(_pipelined(srv.port, 0, 1000) for _ in range(2)) == 2000
        gc.collect()
        rss_start, fds_start = _rss_kib(), open_fds()

        per = SOAK // conns
        results: list[int] = []
        threads = [
            threading.Thread(target=lambda k=k: results.append(_pipelined(srv.port, k * per, per)))
            for k in range(conns)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert sum(results) == per * conns
        assert srv.wait_idle() == []
        gc.collect()
        rss_end, fds_end = _rss_kib(), open_fds()
        print(
            f"\nsoak: {per * conns} requests; RSS {rss_start} -> {rss_end} KiB "
            f"({rss_end - rss_start:+d}); open fds {fds_start} -> {fds_end}"
        )
        assert fds_end <= fds_start
        assert rss_end - rss_start < 32 * 1024, (rss_start, rss_end)  # generous: 32 MiB


# -- lingering close after an error answer -------------------------------------------


@pytest.mark.parametrize("how", ["client-closes", "time", "limit"])
def test_lingering_close_after_400_is_bounded(how: str) -> None:
    # The server half-closes after its 400 and discards what still arrives;
    # it closes at the client's EOF, after lingering_time, or past
    # lingering_limit bytes, whichever comes first.
    kw = {"lingering_time": 0.3} if how == "time" else {"lingering_limit": 1000}
    with ServerThread(app, validate=False, **kw) as srv:
        assert request(srv, "GET", "/warm")[0] == 200
        before = open_fds()
        sock = srv.raw()
        sock.sendall(b"BAD\r\n\r\n")
        assert recv_all(sock).startswith(b"HTTP/1.1 400 ")  # FIN after the answer
        if how == "client-closes":
            sock.close()
        elif how == "limit":
            try:
                sock.sendall(b"z" * 5000)  # discarded; past the limit: closed
            except OSError:
                pass
        assert srv.wait_idle() == []
        # The server's end gets closed: only our socket (unless closed) is left.
        want = before if how == "client-closes" else before + 1
        deadline = time.monotonic() + WAIT
        while open_fds() > want and time.monotonic() < deadline:
            time.sleep(0.02)
        assert open_fds() <= want
        sock.close()
