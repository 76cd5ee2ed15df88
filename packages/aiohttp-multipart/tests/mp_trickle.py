"""A body fed to a stream one piece per event-loop turn, as from a socket."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from aiohttp_streams import StreamReader

T = TypeVar("T")


async def one_piece_per_turn(
    pieces: Sequence[bytes], read: Callable[[StreamReader], Awaitable[T]]
) -> T:
    """``read`` over a stream that gets the next piece only after a loop turn.

    The reader takes each piece before the next arrives, so every piece edge
    is also the edge of a chunk it gets from the stream (feeding all pieces
    first would let the stream hand them over joined).
    """
    stream = StreamReader()

    async def produce() -> None:
        for piece in pieces:
            if piece:
                stream.feed_data(piece)
            await asyncio.sleep(0)
        stream.feed_eof()

    producer = asyncio.ensure_future(produce())
    try:
        return await read(stream)
    finally:
        producer.cancel()


def split(body: bytes, step: int) -> list[bytes]:
    """``body`` in pieces of ``step`` bytes (the last may be shorter)."""
    return [body[i : i + step] for i in range(0, len(body), step)]
