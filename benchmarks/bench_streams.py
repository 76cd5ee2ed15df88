"""Benchmark: readline() of aiohttp_streams.StreamReader vs asyncio.StreamReader.

Usage: python benchmarks/bench_streams.py [--lines N] [--chunk BYTES]

Both readers get the same bytes (N short lines cut into chunks that ignore line
boundaries, like TCP segments), fed by a producer task while one consumer task
calls readline() until EOF. Prints the time of each and the ratio. Where the
compiled (mypyc) twin is installed, ``aiohttp_streams.StreamReader`` is that
twin and the pure-Python reader is timed as well; AIOHTTP_NO_EXTENSIONS=1
forces pure Python. The full suite (benchmarks/run_all.py --only W6) is the
reference; this is the quick look.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import aiohttp_streams
from aiohttp_streams import _speedups
from aiohttp_streams._reader import StreamReader as PureStreamReader


class _LineReader(Protocol):
    def feed_data(self, data: bytes) -> None: ...

    def feed_eof(self) -> None: ...

    async def readline(self) -> bytes: ...


def make_chunks(lines: int, chunk_size: int) -> list[bytes]:
    data = b"".join(b"line %d\n" % i for i in range(lines))
    return [data[i : i + chunk_size] for i in range(0, len(data), chunk_size)]


async def run(make_reader: Callable[[], _LineReader], chunks: list[bytes], lines: int) -> float:
    reader = make_reader()

    async def produce() -> None:
        for chunk in chunks:
            reader.feed_data(chunk)
            await asyncio.sleep(0)
        reader.feed_eof()

    start = time.perf_counter()
    producer = asyncio.ensure_future(produce())
    count = 0
    readline = reader.readline
    while await readline():
        count += 1
    await producer
    elapsed = time.perf_counter() - start
    assert count == lines, (count, lines)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=2**14, help="feed size in bytes")
    args = parser.parse_args()
    chunks = make_chunks(args.lines, args.chunk)

    readers: dict[str, Callable[[], _LineReader]] = {
        "aiohttp_streams (mypyc)" if _speedups.COMPILED else "aiohttp_streams": (
            aiohttp_streams.StreamReader
        ),
    }
    if _speedups.COMPILED:
        readers["aiohttp_streams (pure)"] = PureStreamReader
    readers["asyncio"] = asyncio.StreamReader

    async def each() -> dict[str, float]:
        return {name: await run(make, chunks, args.lines) for name, make in readers.items()}

    times = asyncio.run(each())
    print(f"{args.lines} lines, {sum(map(len, chunks))} bytes in {args.chunk}-byte chunks")
    theirs = times["asyncio"]
    for name, elapsed in times.items():
        print(f"{name + ' readline():':34} {elapsed:.3f} s  asyncio/this {theirs / elapsed:.2f}x")


if __name__ == "__main__":
    main()
