"""Shared helpers: real aiohttp_streams.StreamReader bodies, fed in pieces.

Also makes mp_trickle.py (pieces fed one per loop turn) importable by the tests.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from aiohttp_streams import StreamReader

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stream: streams a generated multi-hundred-MiB body (a few seconds)"
    )


def _feed(body: bytes, step: int) -> StreamReader:
    stream = StreamReader()
    for i in range(0, len(body), step):
        stream.feed_data(body[i : i + step])
    stream.feed_eof()
    return stream


def _feed_pieces(pieces: Iterable[bytes]) -> StreamReader:
    stream = StreamReader()
    for piece in pieces:
        if piece:
            stream.feed_data(piece)
    stream.feed_eof()
    return stream


@pytest.fixture
def stream_of() -> Callable[..., StreamReader]:
    """``stream_of(body, step=len)``: a StreamReader holding ``body`` in pieces, at EOF."""

    def make(body: bytes, step: int | None = None) -> StreamReader:
        return _feed(body, step or max(1, len(body)))

    return make


@pytest.fixture
def pieces_stream() -> Callable[[Iterable[bytes]], StreamReader]:
    """A StreamReader fed the given pieces, at EOF."""
    return _feed_pieces
