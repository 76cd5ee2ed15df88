"""The public surface: names, EmptyStreamReader, EofStream, typing of generics."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

import aiohttp_streams
from aiohttp_streams import (
    ChunksQueue,
    DataQueue,
    EmptyStreamReader,
    EofStream,
    FlowControlChunksQueue,
    FlowControlDataQueue,
    FlowControlStreamReader,
    StreamReader,
)

EXPECTED = {
    "__version__",
    "EOF_MARKER",
    "DEFAULT_LIMIT",
    "EofStream",
    "StreamReader",
    "EmptyStreamReader",
    "FlowControlStreamReader",
    "DataQueue",
    "ChunksQueue",
    "FlowControlDataQueue",
    "FlowControlChunksQueue",
    "FlowControlTarget",
}


def test_all_lists_exactly_the_public_names() -> None:
    assert set(aiohttp_streams.__all__) == EXPECTED
    assert len(aiohttp_streams.__all__) == len(EXPECTED)
    public = {name for name in vars(aiohttp_streams) if not name.startswith("_")}
    assert public <= EXPECTED | {"annotations"}
    for name in aiohttp_streams.__all__:
        assert getattr(aiohttp_streams, name) is not None


def test_star_import_exposes_all() -> None:
    namespace: dict[str, object] = {}
    exec("from aiohttp_streams import *", namespace)
    assert set(namespace) - {"__builtins__"} == EXPECTED


def test_class_relations() -> None:
    assert issubclass(EofStream, Exception)
    assert issubclass(FlowControlStreamReader, StreamReader)
    assert issubclass(EmptyStreamReader, StreamReader)
    assert issubclass(ChunksQueue, DataQueue)
    assert issubclass(FlowControlDataQueue, DataQueue)
    assert issubclass(FlowControlChunksQueue, FlowControlDataQueue)
    assert issubclass(FlowControlChunksQueue, ChunksQueue)


def test_every_public_class_has_a_docstring() -> None:
    for name in aiohttp_streams.__all__:
        obj = getattr(aiohttp_streams, name)
        if isinstance(obj, type):
            assert obj.__doc__, name


@pytest.mark.asyncio
async def test_empty_stream_reader() -> None:
    stream = EmptyStreamReader()
    assert repr(stream) == "<EmptyStreamReader>"
    assert stream.is_eof() and stream.at_eof()
    assert stream.exception() is None
    stream.set_exception(ValueError("ignored"))
    assert stream.exception() is None
    stream.feed_data(b"ignored")
    stream.unread_data(b"ignored")
    stream.feed_eof()
    await stream.wait_eof()
    assert await stream.readline() == b""
    assert await stream.read() == b""
    assert await stream.read(10) == b""
    assert await stream.readany() == b""
    assert stream.read_nowait() == b""
    with pytest.raises(asyncio.IncompleteReadError) as info:
        await stream.readexactly(3)
    assert info.value.partial == b"" and info.value.expected == 3
    assert [line async for line in stream] == []
    assert [c async for c in stream.iter_chunked(4)] == []
    assert [c async for c in stream.iter_any()] == []


def test_empty_stream_reader_is_usable_without_loop() -> None:
    assert EmptyStreamReader().total_bytes == 0


@pytest.mark.parametrize(
    "module", ["_common", "_flow", "_iterator", "_reader", "_queue", "_speedups", ""]
)
def test_each_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    # Catches import cycles that a warm sys.modules would hide.
    name = f"aiohttp_streams.{module}" if module else "aiohttp_streams"
    subprocess.run([sys.executable, "-c", f"import {name}"], check=True)
