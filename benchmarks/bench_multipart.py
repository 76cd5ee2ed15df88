"""Benchmark: aiohttp_multipart.MultipartReader vs python-multipart vs multipart (defnull).

Usage: python benchmarks/bench_multipart.py [--fields F] [--file-mib N] [--chunk BYTES] [--repeat R]

One deterministic multipart/form-data body (F text fields, 10 by default,
and two files of N MiB, 8 by default) is cut into CHUNK-byte pieces (64 KiB
by default), like TCP reads. Each parser collects every part's name, file
name and body, which are checked against what was encoded. ``--fields 500
--file-mib 0`` shows the cost of a part (ours has a 1,000-part limit).

Main table, the same harness for all three: a producer task feeds the
pieces into an aiohttp_streams.StreamReader, one piece then a yield to the
event loop, as a socket would; the consumer task reads the stream with
``read(CHUNK)`` and drives the parser the way a server does:

- ours: MultipartReader.next() and BodyPartReader.read_chunk(CHUNK);
- python-multipart: MultipartParser.write(chunk) with its callbacks (how
  Starlette drives it from the ASGI receive loop);
- multipart (defnull): PushMultipartParser.parse(chunk) events.

Second table, for reference: the two peers' push APIs called in a plain loop
with no event loop at all (ours is an asyncio API and has no such mode).

Prints the best of R runs and each peer's ratio to ours (above 1: ours is
faster). python-multipart also installs a ``multipart`` compatibility
package, so defnull's module is loaded from its own file.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import importlib.metadata
import importlib.util
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType

import aiohttp_multipart
import aiohttp_streams

# The body and its expected parts are the suite's W5 form (suite/inputs.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from suite.inputs import BOUNDARY, Parts, w5_body  # noqa: E402


async def _produce(stream: aiohttp_streams.StreamReader, chunks: list[bytes]) -> None:
    for chunk in chunks:
        stream.feed_data(chunk)
        await asyncio.sleep(0)
    stream.feed_eof()


async def ours(stream: aiohttp_streams.StreamReader, chunk_size: int) -> Parts:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    reader = aiohttp_multipart.MultipartReader(headers, stream)
    parts: Parts = []
    while (part := await reader.next()) is not None:
        assert isinstance(part, aiohttp_multipart.BodyPartReader)
        pieces = []
        read_chunk = part.read_chunk
        while piece := await read_chunk(chunk_size):
            pieces.append(piece)
        parts.append((part.name or "", part.filename, b"".join(pieces)))
    return parts


class _PythonMultipart:
    """python-multipart's callback parser, collecting parts."""

    def __init__(self) -> None:
        from python_multipart.multipart import MultipartParser, parse_options_header

        self._parse_options_header = parse_options_header
        self.parts: Parts = []
        self._pieces: list[bytes] = []
        self._field: list[bytes] = []
        self._value: list[bytes] = []
        self._disposition = b""
        callbacks = {
            "on_part_begin": self._on_part_begin,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
        }
        self.parser = MultipartParser(BOUNDARY, callbacks)  # type: ignore[arg-type]

    def _on_part_begin(self) -> None:
        self._pieces = []
        self._disposition = b""

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._pieces.append(data[start:end])

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field.append(data[start:end])

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value.append(data[start:end])

    def _on_header_end(self) -> None:
        if b"".join(self._field).lower() == b"content-disposition":
            self._disposition = b"".join(self._value)
        self._field.clear()
        self._value.clear()

    def _on_part_end(self) -> None:
        _, params = self._parse_options_header(self._disposition)
        filename = params.get(b"filename")
        self.parts.append(
            (
                params[b"name"].decode(),
                filename.decode() if filename is not None else None,
                b"".join(self._pieces),
            )
        )


async def python_multipart_async(stream: aiohttp_streams.StreamReader, chunk_size: int) -> Parts:
    pm = _PythonMultipart()
    write = pm.parser.write
    while chunk := await stream.read(chunk_size):
        write(chunk)
    pm.parser.finalize()
    return pm.parts


def python_multipart_sync(chunks: list[bytes]) -> Parts:
    pm = _PythonMultipart()
    write = pm.parser.write
    for chunk in chunks:
        write(chunk)
    pm.parser.finalize()
    return pm.parts


def load_defnull() -> ModuleType | None:
    try:
        dist = importlib.metadata.distribution("multipart")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = dist.locate_file("multipart.py")
    spec = importlib.util.spec_from_file_location("defnull_multipart", str(path))
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class _Defnull:
    """defnull's sans-I/O parser, collecting parts."""

    def __init__(self, module: ModuleType) -> None:
        self.parser = module.PushMultipartParser(BOUNDARY)
        self.parts: Parts = []
        self._pieces: list[bytes] = []
        self._segment: object = None

    def feed(self, chunk: bytes) -> None:
        for event in self.parser.parse(chunk):
            if isinstance(event, bytes):
                self._pieces.append(event)
            elif event is None:
                seg = self._segment
                self.parts.append((seg.name, seg.filename, b"".join(self._pieces)))  # type: ignore[attr-defined]
                self._pieces = []
            else:
                self._segment = event


def defnull_async(
    module: ModuleType,
) -> Callable[[aiohttp_streams.StreamReader, int], Awaitable[Parts]]:
    async def run(stream: aiohttp_streams.StreamReader, chunk_size: int) -> Parts:
        dn = _Defnull(module)
        feed = dn.feed
        while chunk := await stream.read(chunk_size):
            feed(chunk)
        dn.parser.close()
        return dn.parts

    return run


def defnull_sync(module: ModuleType) -> Callable[[list[bytes]], Parts]:
    def run(chunks: list[bytes]) -> Parts:
        dn = _Defnull(module)
        feed = dn.feed
        for chunk in chunks:
            feed(chunk)
        dn.parser.close()
        return dn.parts

    return run


AsyncRun = Callable[[aiohttp_streams.StreamReader, int], Awaitable[Parts]]


def time_async(
    loop: asyncio.AbstractEventLoop, consume: AsyncRun, chunks: list[bytes], size: int
) -> tuple[float, Parts]:
    async def once() -> tuple[float, Parts]:
        stream = aiohttp_streams.StreamReader()
        start = time.perf_counter()
        producer = asyncio.ensure_future(_produce(stream, chunks))
        parts = await consume(stream, size)
        await producer
        return time.perf_counter() - start, parts

    return loop.run_until_complete(once())


def time_sync(run: Callable[[list[bytes]], Parts], chunks: list[bytes]) -> tuple[float, Parts]:
    start = time.perf_counter()
    parts = run(chunks)
    return time.perf_counter() - start, parts


def report(title: str, times: dict[str, float], ours: float | None, mib: float) -> None:
    print(title)
    width = max(map(len, times))
    for name, seconds in times.items():
        ratio = (
            "" if ours is None or seconds is ours else f"  ratio to ours: {seconds / ours:5.2f}x"
        )
        print(f"  {name:<{width}}  {seconds * 1000:8.1f} ms  {mib / seconds:7.0f} MiB/s{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=10, help="text fields before the files")
    parser.add_argument("--file-mib", type=int, default=8)
    parser.add_argument("--chunk", type=int, default=65536, help="feed size in bytes")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    body, expected = w5_body(args.file_mib, args.fields)
    chunks = [body[i : i + args.chunk] for i in range(0, len(body), args.chunk)]
    mib = len(body) / 2**20

    pm_name = f"python-multipart {importlib.metadata.version('python-multipart')}"
    async_runs: dict[str, AsyncRun] = {
        "aiohttp_multipart (ours)": ours,
        pm_name: python_multipart_async,
    }
    sync_runs: dict[str, Callable[[list[bytes]], Parts]] = {pm_name: python_multipart_sync}
    defnull = load_defnull()
    if defnull is not None:
        dn_name = f"multipart (defnull) {importlib.metadata.version('multipart')}"
        async_runs[dn_name] = defnull_async(defnull)
        sync_runs[dn_name] = defnull_sync(defnull)
    else:
        print("multipart (defnull) is not installed: skipped")

    print(
        f"form: {args.fields} text fields + 2 files of {args.file_mib} MiB = {mib:.1f} MiB, "
        f"fed in {args.chunk}-byte chunks; best of {args.repeat}, runs interleaved"
    )
    loop = asyncio.new_event_loop()
    best_async = dict.fromkeys(async_runs, float("inf"))
    best_sync = dict.fromkeys(sync_runs, float("inf"))
    # Each round runs every parser once, in a rotated order, with the
    # previous result freed and the garbage collector off while timing (as
    # timeit does), so no parser pays for another's leftovers.
    jobs: list[tuple[str, Callable[[], tuple[float, Parts]]]] = []
    for name, consume in async_runs.items():
        jobs.append((name, functools.partial(time_async, loop, consume, chunks, args.chunk)))
    for name, run in sync_runs.items():
        jobs.append((f"sync {name}", functools.partial(time_sync, run, chunks)))
    for round_no in range(args.repeat):
        shift = round_no % len(jobs)
        for name, job in jobs[shift:] + jobs[:shift]:
            gc.collect()
            gc.disable()
            try:
                seconds, parts = job()
            finally:
                gc.enable()
            assert parts == expected, f"{name} decoded something else"
            del parts
            if name.startswith("sync "):
                best_sync[name[5:]] = min(best_sync[name[5:]], seconds)
            else:
                best_async[name] = min(best_async[name], seconds)
    loop.close()
    ours_time = best_async["aiohttp_multipart (ours)"]
    report(
        "same asyncio harness (StreamReader fed by a producer task):", best_async, ours_time, mib
    )
    print("(ratio above 1: ours is faster)")
    report("peers' push APIs in a plain loop, no event loop (reference):", best_sync, None, mib)


if __name__ == "__main__":
    main()
