"""wsgi.input: the blocking body reader behaves like a file over the same bytes."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_errors import HttpProcessingError
from aiohttp_streams import StreamReader
from aiohttp_wsgi._wsgi_input import WsgiInput, read_payload


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


_FEEDERS: set[asyncio.Task[None]] = set()


async def _fed_reader(data: bytes, cuts: list[int]) -> StreamReader:
    """A StreamReader fed ``data`` in pieces split at ``cuts``, then EOF, by a task."""
    reader = StreamReader()

    async def feed() -> None:
        pos = 0
        for cut in [*sorted(set(cuts)), len(data)]:
            if cut > pos:
                reader.feed_data(data[pos:cut])
                pos = cut
            await asyncio.sleep(0)
        reader.feed_eof()

    task = asyncio.get_running_loop().create_task(feed())
    _FEEDERS.add(task)  # the loop keeps tasks only weakly
    task.add_done_callback(_FEEDERS.discard)
    return reader


def _reader(loop: asyncio.AbstractEventLoop, data: bytes, cuts: list[int]) -> StreamReader:
    return asyncio.run_coroutine_threadsafe(_fed_reader(data, cuts), loop).result(10)


ops = st.lists(
    st.tuples(
        st.sampled_from(["read", "readline", "readlines", "iter"]),
        st.one_of(st.none(), st.integers(-1, 40)),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=300).map(lambda b: b.replace(b"\x00", b"\n")),
    cuts=st.lists(st.integers(0, 300), max_size=6),
    calls=ops,
)
def test_wsgi_input_matches_bytesio(
    loop: asyncio.AbstractEventLoop,
    data: bytes,
    cuts: list[int],
    calls: list[tuple[str, int | None]],
) -> None:
    continued: list[bool] = []
    ours = WsgiInput(_reader(loop, data, cuts), loop, lambda: continued.append(True))
    ref = io.BytesIO(data)
    for name, arg in calls:
        if name == "read":
            assert ours.read(arg) == ref.read(arg)
        elif name == "readline":
            assert ours.readline(arg) == ref.readline(arg)
        elif name == "readlines":
            assert ours.readlines(arg) == ref.readlines(arg)
        else:
            assert list(ours) == list(ref)
    assert ours.read() == ref.read()
    assert continued == [True]  # 100-continue is sent once, on the first read


def test_read_payload_spools_and_limits(loop: asyncio.AbstractEventLoop) -> None:
    data = bytes(range(256)) * 100

    async def run(max_size: int) -> bytes:
        reader = await _fed_reader(data, [1000, 5000])
        f = await read_payload(reader, spool_size=1024, max_size=max_size)
        with f:
            return f.read()

    assert asyncio.run_coroutine_threadsafe(run(len(data)), loop).result(10) == data
    with pytest.raises(HttpProcessingError) as info:
        asyncio.run_coroutine_threadsafe(run(len(data) - 1), loop).result(10)
    assert info.value.code == 413
