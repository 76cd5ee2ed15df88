"""The switch between the pure-Python reader and its mypyc twin (_speedups).

In a wheel built with HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 the twin is used;
these tests check that it reads exactly what the pure reader reads, that
interpreted subclasses of the public classes still work (hooks overridden in
Python are called by compiled code), and that AIOHTTP_NO_EXTENSIONS forces
pure Python. With AIOHTTP_EXPECT_COMPILED=1 (set by a CI job that installed
the compiled wheel) they also check that the twin really is in use, so that
job cannot silently test pure Python.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import weakref

import pytest
from hypothesis import given, settings, strategies as st

import aiohttp_streams
from aiohttp_errors import LineLimitExceededParserError
from aiohttp_streams import _speedups
from aiohttp_streams._reader import StreamReader as PureStreamReader

# One step of a reading session: (operation, argument).
_Op = tuple[str, int]


def test_public_names_go_through_the_switch() -> None:
    assert aiohttp_streams.StreamReader is _speedups.StreamReader
    assert aiohttp_streams.EmptyStreamReader is _speedups.EmptyStreamReader
    assert aiohttp_streams.FlowControlStreamReader is _speedups.FlowControlStreamReader
    assert issubclass(aiohttp_streams.EmptyStreamReader, aiohttp_streams.StreamReader)
    assert issubclass(aiohttp_streams.FlowControlStreamReader, aiohttp_streams.StreamReader)


def test_compiled_build_is_in_use_when_expected() -> None:
    if os.environ.get("AIOHTTP_EXPECT_COMPILED") != "1":
        pytest.skip("AIOHTTP_EXPECT_COMPILED=1 is set only for the compiled wheel")
    assert _speedups.COMPILED
    assert not _speedups.NO_EXTENSIONS
    assert _speedups.StreamReader.__module__ == "aiohttp_streams._reader_c"
    # ``async for`` runs through the compiled iterator too.
    lines = aiter(aiohttp_streams.StreamReader())
    assert type(lines).__module__ == "aiohttp_streams._iterator_c"


def test_no_extensions_forces_pure_python() -> None:
    code = (
        "import aiohttp_streams as a, aiohttp_streams._speedups as s; "
        "print(s.COMPILED, s.NO_EXTENSIONS, a.StreamReader.__module__)"
    )
    env = {**os.environ, "AIOHTTP_NO_EXTENSIONS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True", "aiohttp_streams._reader"]


class _Recording(aiohttp_streams.StreamReader):
    """A user's subclass: extra state, an overridden hook and an overridden read."""

    def __init__(self) -> None:
        super().__init__(limit=8)
        self.sizes: list[int] = []

    def _on_size_change(self) -> None:
        self.sizes.append(self._size)

    async def readline(self) -> bytes:
        return (await super().readline()).upper()


@pytest.mark.asyncio
async def test_interpreted_subclass_works_with_either_build() -> None:
    reader = _Recording()
    assert isinstance(reader, aiohttp_streams.StreamReader)
    reader.feed_data(b"ab\ncd")
    reader.feed_eof()
    assert await reader.readline() == b"AB\n"
    assert [line async for line in reader] == [b"CD"]
    # The compiled feed_data()/readline() call the hook overridden in Python.
    assert reader.sizes == [5, 2, 0]
    reader = _Recording()
    reader.feed_data(b"0123456789\n")
    with pytest.raises(LineLimitExceededParserError):
        await reader.readline()


@pytest.mark.asyncio
async def test_reads_work_with_asyncio_task_apis() -> None:
    # A compiled coroutine is not a types.CoroutineType; asyncio must take it.
    reader = aiohttp_streams.StreamReader()
    task = asyncio.create_task(reader.readline())
    await asyncio.sleep(0)
    reader.feed_data(b"line\nrest")
    assert await task == b"line\n"
    coro = reader.read(1)
    assert asyncio.iscoroutine(coro)
    coro.close()
    assert await asyncio.wait_for(reader.read(2), 10) == b"re"
    assert await asyncio.ensure_future(reader.readany()) == b"st"


def test_compiled_instances_have_fixed_attributes() -> None:
    if not _speedups.COMPILED:
        pytest.skip("only the compiled classes lack __dict__ and weak references")
    reader = aiohttp_streams.StreamReader()
    with pytest.raises(AttributeError):
        reader.tag = 1  # type: ignore[attr-defined]  # what the README warns about
    with pytest.raises(TypeError):
        weakref.ref(reader)
    # A Python subclass has both again.
    sub = _Recording()
    sub.tag = 1  # type: ignore[attr-defined]  # an attribute the subclass did not declare
    assert weakref.ref(sub)() is sub
    assert aiohttp_streams.StreamReader.__doc__ == PureStreamReader.__doc__


async def _session(
    reader: aiohttp_streams.StreamReader, chunks: list[bytes], ops: list[_Op]
) -> list[object]:
    for chunk in chunks:
        reader.feed_data(chunk)
    reader.feed_eof()
    out: list[object] = []
    for op, n in ops:
        try:
            if op == "readline":
                out.append(await reader.readline())
            elif op == "read":
                out.append(await reader.read(n))
            elif op == "readany":
                out.append(await reader.readany())
            elif op == "readexactly":
                out.append(await reader.readexactly(n))
            elif op == "read_nowait":
                out.append(reader.read_nowait(n))
            else:
                reader.unread_data(b"u" * n)
        except (LineLimitExceededParserError, asyncio.IncompleteReadError) as exc:
            out.append(type(exc).__name__)
    out.append(await reader.read())
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\x00", b"\n")), max_size=8),
    st.lists(
        st.tuples(
            st.sampled_from(
                ["readline", "read", "readany", "readexactly", "read_nowait", "unread"]
            ),
            st.integers(min_value=-1, max_value=30),
        ),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=40),
)
def test_reads_same_as_pure(chunks: list[bytes], ops: list[_Op], limit: int) -> None:
    ops = [(op, max(n, 0)) if op in ("readexactly", "unread") else (op, n) for op, n in ops]

    async def both() -> tuple[list[object], list[object]]:
        ours = await _session(aiohttp_streams.StreamReader(limit), chunks, ops)
        pure = await _session(PureStreamReader(limit), chunks, ops)
        return ours, pure

    ours, pure = asyncio.run(both())
    assert ours == pure
