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
import time
from collections.abc import Callable, Iterator

import h11
import httptools

from aiohttp_parsers import (
    HttpPayloadParser,
    HttpRequestParser,
    HttpResponseParser,
    ParserBuffer,
    ParserGenerator,
    RawRequestMessage,
    RawResponseMessage,
    _speedups,
)

PIECE = 64 * 1024
CHUNK = 4 * 1024


def make_requests(n: int) -> bytes:
    out = []
    for i in range(n):
        out.append(
            (
                f"GET /static/app/{i % 97}/page-{i}.html?session=abc{i}&lang=en HTTP/1.1\r\n"
                "Host: www.example.com\r\n"
                "Connection: keep-alive\r\n"
                "Cache-Control: max-age=0\r\n"
                "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
                "like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
                "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,"
                "image/avif,image/webp,*/*;q=0.8\r\n"
                "Sec-Fetch-Site: same-origin\r\n"
                "Sec-Fetch-Mode: navigate\r\n"
                "Referer: https://www.example.com/index.html\r\n"
                "Accept-Encoding: gzip, deflate, br\r\n"
                f"Cookie: session=abc{i}; theme=dark; consent=yes\r\n"
                "\r\n"
            ).encode()
        )
    return b"".join(out)


def make_chunked_response(mib: int) -> tuple[bytes, int]:
    body_size = mib * 1024 * 1024
    chunk = bytes(range(256)) * (CHUNK // 256)
    parts = [b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"]
    parts.append(b"Transfer-Encoding: chunked\r\n\r\n")
    for _ in range(body_size // CHUNK):
        parts.append(b"%x\r\n%b\r\n" % (len(chunk), chunk))
    parts.append(b"0\r\n\r\n")
    return b"".join(parts), body_size


def pieces(data: bytes) -> list[bytes]:
    return [data[i : i + PIECE] for i in range(0, len(data), PIECE)]


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


def _drive(gen: ParserGenerator, feed: Iterator[bytes]) -> bool:
    try:
        next(gen)
    except StopIteration:
        return True
    for piece in feed:
        try:
            gen.send(piece)
        except StopIteration:
            return True
    return False


Summary = list[tuple[str, str, int]]


def ours_requests(data: list[bytes]) -> Summary:
    buf = ParserBuffer()
    feed = iter(data)
    parser = HttpRequestParser()
    heads = _Collect()
    body = _Collect()
    result = []
    while _drive(parser(heads, buf), feed):
        msg = heads.items.pop()
        assert isinstance(msg, RawRequestMessage)
        # Like the others: keep a summary, let the message go.
        result.append((msg.method, msg.path, len(msg.headers)))
        _drive(HttpPayloadParser(msg)(body, buf), feed)
    return result


def ours_chunked(data: list[bytes]) -> int:
    buf = ParserBuffer()
    feed = iter(data)
    heads = _Collect()
    _drive(HttpResponseParser()(heads, buf), feed)
    msg = heads.items[0]
    assert isinstance(msg, RawResponseMessage)
    body = _Collect()
    _drive(HttpPayloadParser(msg)(body, buf), feed)
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

    raw = make_requests(args.requests)
    req_pieces = pieces(raw)
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
    report(
        f"{args.requests} pipelined GET requests ({len(raw)} bytes, {len(req_pieces)} "
        f"pieces of 64 KiB), best of {args.repeat}:",
        rows,
    )

    response, body_size = make_chunked_response(args.body_mib)
    resp_pieces = pieces(response)
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
