"""Benchmark: WebSocket frame parsing and writing, aiohttp_websocket vs wsproto
and websockets (both sans-I/O layers, no sockets), in one run.

Usage: python benchmarks/bench_websocket.py [--repeat N] [--chunk BYTES]

Workloads (masked client frames, as a server receives them):
- parse 20,000 masked 125-byte binary frames, fed in --chunk byte pieces;
- parse 200 masked 64 KiB binary frames, fed the same way;
- write (mask and frame, client side) the same two sets of messages.

Prints the best of --repeat runs for each library and the ratio of each
peer's time to ours (> 1.0: we are faster). Peers: benchmarks/requirements.txt.
"""

from __future__ import annotations

import argparse
import functools
import os
import time
from collections.abc import Callable
from typing import Final

from websockets.protocol import Protocol as WsProtocol, Side
from wsproto.frame_protocol import FrameProtocol

from aiohttp_parsers import ParserBuffer
from aiohttp_websocket import WebSocketParser, WebSocketWriter, WSMessage

SMALL: Final = (20_000, 125)
LARGE: Final = (200, 64 * 1024)


def _messages(count: int, size: int) -> list[bytes]:
    return [os.urandom(size) for _ in range(count)]


def _client_stream(messages: list[bytes]) -> bytes:
    """The masked frames a client sends for *messages* (built by ours)."""
    sink = _Sink()
    writer = WebSocketWriter(sink, use_mask=True)
    for msg in messages:
        writer.send(msg, binary=True)
    return b"".join(sink.parts)


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


class _Sink:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes, /) -> None:
        self.parts.append(data)


class _Count:
    def __init__(self) -> None:
        self.n = 0

    def feed_data(self, data: WSMessage, size: int, /) -> None:
        self.n += 1


# -- parse -------------------------------------------------------------------


def parse_ours(chunks: list[bytes]) -> int:
    out = _Count()
    gen = WebSocketParser(out, ParserBuffer(), masked=True)
    next(gen)
    send = gen.send
    for chunk in chunks:
        send(chunk)
    return out.n


def parse_wsproto(chunks: list[bytes]) -> int:
    proto = FrameProtocol(client=False, extensions=[])
    n = 0
    for chunk in chunks:
        proto.receive_bytes(chunk)
        for frame in proto.received_frames():
            # wsproto hands out a frame cut at a chunk boundary in pieces.
            if frame.message_finished:
                n += 1
    return n


def parse_websockets(chunks: list[bytes]) -> int:
    proto = WsProtocol(Side.SERVER, max_size=None)
    n = 0
    for chunk in chunks:
        proto.receive_data(chunk)
        n += len(proto.events_received())
    return n


# -- write -------------------------------------------------------------------


def write_ours(messages: list[bytes]) -> int:
    sink = _Sink()
    writer = WebSocketWriter(sink, use_mask=True)
    for msg in messages:
        writer.send(msg, binary=True)
    return sum(len(p) for p in sink.parts)


def write_wsproto(messages: list[bytes]) -> int:
    proto = FrameProtocol(client=True, extensions=[])
    total = 0
    for msg in messages:
        total += len(proto.send_data(msg, fin=True))
    return total


def write_websockets(messages: list[bytes]) -> int:
    proto = WsProtocol(Side.CLIENT, max_size=None)
    total = 0
    for msg in messages:
        proto.send_binary(msg)
        for data in proto.data_to_send():
            total += len(data)
    return total


def _best(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=64 * 1024, help="bytes per feed")
    args = parser.parse_args()

    rows: list[tuple[str, dict[str, float]]] = []
    for label, (count, size) in (("125 B", SMALL), ("64 KiB", LARGE)):
        messages = _messages(count, size)
        chunks = _chunks(_client_stream(messages), args.chunk)
        parse_times: dict[str, float] = {}
        write_times: dict[str, float] = {}
        for name, parse, write in (
            ("aiohttp_websocket", parse_ours, write_ours),
            ("wsproto", parse_wsproto, write_wsproto),
            ("websockets", parse_websockets, write_websockets),
        ):
            t, n = _best(functools.partial(parse, chunks), args.repeat)
            assert n == count, (name, n)
            parse_times[name] = t
            t, _ = _best(functools.partial(write, messages), args.repeat)
            write_times[name] = t
        rows.append((f"parse {count} x {label}", parse_times))
        rows.append((f"write {count} x {label}", write_times))

    names = ("aiohttp_websocket", "wsproto", "websockets")
    print(
        f"{'workload':<22}" + "".join(f"{n + ' ms':>22}" for n in names) + "   ratios (peer/ours)"
    )
    for title, times in rows:
        ours = times[names[0]]
        cells = "".join(f"{times[n] * 1e3:>22.1f}" for n in names)
        ratios = "  ".join(f"{n}={times[n] / ours:.2f}x" for n in names[1:])
        print(f"{title:<22}{cells}   {ratios}")


if __name__ == "__main__":
    main()
