"""A write-only transport for the message writers' tests, and a runner for
the writer coroutines that never suspend on it."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine


class Sink(asyncio.WriteTransport):
    """A transport that keeps what is written (the bytes a peer would get)."""

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.data += data


def finish(coro: Coroutine[object, object, None]) -> None:
    """Run a coroutine that never suspends (``write_eof`` on a plain transport)."""
    try:
        coro.send(None)
    except StopIteration:
        return
    raise AssertionError("write_eof suspended")
