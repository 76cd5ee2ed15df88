"""Benchmark: aiohttp_parsers HTTP/1.1 parsing vs h11 and httptools.

Usage: python benchmarks/bench_parsers.py [--requests N] [--body-mib M] [--repeat R]

Two workloads, the same bytes for every parser, fed in 64 KiB pieces (like
reads from a socket, cutting messages anywhere):

1. N pipelined browser-like GET requests (10 header fields each): each parser
   yields every request with its method, target and headers (ours also runs
   ``HttpPayloadParser`` per request, as a 2016 server did).
2. An M MiB chunked response in 4 KiB chunks, de-chunked to its body.

Each workload is run R times per parser, best time kept; results are checked
to be identical across parsers. Ours runs the build that is installed: the
mypyc twins when present (see packages/aiohttp-parsers/hatch_build.py),
pure Python otherwise or with AIOHTTP_NO_EXTENSIONS=1; the first line says
which. Prints times and ratios (theirs / ours:
above 1 means ours is faster).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import h11
import httptools

from aiohttp_parsers import (
    HttpPayloadParser,
    HttpRequestParser,
    HttpResponseParser,
    ParserBuffer,
    RawRequestMessage,
    RawResponseMessage,
    _speedups,
)

# The inputs are the suite's W1 and W2 (suite/inputs.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from suite import inputs as I  # noqa: E402, N812
from suite.impls import drive  # noqa: E402

CHUNK = 4 * 1024

# -- ours ----------------------------------------------------------------------


class _Collect:
    def __init__(self) -> None:
        self.items: list[object] = []
        self.size = 0

    def feed_data(self, data: object, size: int) -> None:
        self.items.append(data)
        self.size += size

    def feed_eof(self) -> None:
        pass


Summary = list[tuple[str, str, int]]


def ours_requests(data: list[bytes]) -> Summary:
    buf = ParserBuffer()
    feed = iter(data)
    parser = HttpRequestParser()
    heads = _Collect()
    body = _Collect()
    result = []
    while drive(parser(heads, buf), feed):
        msg = heads.items.pop()
        assert isinstance(msg, RawRequestMessage)
        # Like the others: keep a summary, let the message go.
        result.append((msg.method, msg.path, len(msg.headers)))
        drive(HttpPayloadParser(msg)(body, buf), feed)
    return result


def ours_chunked(data: list[bytes]) -> int:
    buf = ParserBuffer()
    feed = iter(data)
    heads = _Collect()
    drive(HttpResponseParser()(heads, buf), feed)
    msg = heads.items[0]
    assert isinstance(msg, RawResponseMessage)
    body = _Collect()
    drive(HttpPayloadParser(msg)(body, buf), feed)
    return body.size


# -- h11 -------------------------------------------------------------------------


def h11_requests(data: list[bytes]) -> Summary:
    result = []
    conn = h11.Connection(h11.SERVER)
    for piece in data:
        conn.receive_data(piece)
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                break
            if isinstance(event, h11.Request):
                result.append((event.method.decode(), event.target.decode(), len(event.headers)))
            elif isinstance(event, h11.EndOfMessage):
                # Parse only: a server would answer before the next cycle;
                # a new connection object over the leftover bytes skips that.
                leftover = conn.trailing_data[0]
                conn = h11.Connection(h11.SERVER)
                if leftover:  # b"" would mean EOF to h11
                    conn.receive_data(leftover)
    return result


def h11_chunked(data: list[bytes]) -> int:
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method="GET", target="/", headers=[("Host", "example.com")]))
    conn.send(h11.EndOfMessage())
    size = 0
    for piece in data:
        conn.receive_data(piece)
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA or isinstance(event, h11.EndOfMessage):
                break
            if isinstance(event, h11.Data):
                size += len(event.data)
    return size


# -- httptools -------------------------------------------------------------------


class _RequestProtocol:
    def __init__(self) -> None:
        self.result: Summary = []
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.parser: httptools.HttpRequestParser | None = None

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_message_complete(self) -> None:
        assert self.parser is not None
        method = self.parser.get_method().decode()
        self.result.append((method, self.url.decode(), len(self.headers)))
        self.url = b""
        self.headers = []


def httptools_requests(data: list[bytes]) -> Summary:
    proto = _RequestProtocol()
    parser = httptools.HttpRequestParser(proto)
    proto.parser = parser
    for piece in data:
        parser.feed_data(piece)
    return proto.result


class _BodyProtocol:
    def __init__(self) -> None:
        self.size = 0

    def on_body(self, body: bytes) -> None:
        self.size += len(body)


def httptools_chunked(data: list[bytes]) -> int:
    proto = _BodyProtocol()
    parser = httptools.HttpResponseParser(proto)
    for piece in data:
        parser.feed_data(piece)
    return proto.size


# -- main -------------------------------------------------------------------------


def best(
    func: Callable[[list[bytes]], object], data: list[bytes], repeat: int
) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(data)
        times.append(time.perf_counter() - start)
    return min(times), result


def report(title: str, rows: list[tuple[str, float]]) -> None:
    ours = rows[0][1]
    print(title)
    for name, seconds in rows:
        ratio = "" if name == rows[0][0] else f"  {name}/ours = {seconds / ours:.2f}x"
        print(f"  {name:<16} {seconds * 1000:8.1f} ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--body-mib", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"aiohttp_parsers build: {'mypyc' if _speedups.COMPILED else 'pure Python'}")

    req_pieces, _ = I.w1_requests(args.requests)
    rows = []
    expected = None
    for name, func in (
        ("aiohttp_parsers", ours_requests),
        ("h11", h11_requests),
        ("httptools", httptools_requests),
    ):
        seconds, result = best(func, req_pieces, args.repeat)
        assert isinstance(result, list) and len(result) == args.requests, name
        if expected is None:
            expected = result
        assert result == expected, f"{name} parsed differently"
        rows.append((name, seconds))
    size = sum(map(len, req_pieces))
    report(
        f"{args.requests} pipelined GET requests ({size} bytes, {len(req_pieces)} "
        f"pieces of 64 KiB), best of {args.repeat}:",
        rows,
    )

    resp_pieces, body = I.w2_chunked(args.body_mib, CHUNK)
    body_size = len(body)
    rows = []
    for name, func2 in (
        ("aiohttp_parsers", ours_chunked),
        ("h11", h11_chunked),
        ("httptools", httptools_chunked),
    ):
        seconds, size = best(func2, resp_pieces, args.repeat)
        assert size == body_size, (name, size, body_size)
        rows.append((name, seconds))
    report(
        f"{args.body_mib} MiB chunked response in {CHUNK}-byte chunks, de-chunked, "
        f"best of {args.repeat}:",
        rows,
    )


if __name__ == "__main__":
    main()
