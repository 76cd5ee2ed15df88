"""``aiohttp.helpers.Timeout``: cancels the block, raises asyncio.TimeoutError."""

from __future__ import annotations

import asyncio

import pytest

from aiohttp.helpers import Timeout


@pytest.mark.asyncio
async def test_expiry_cancels_the_block_and_raises_timeout_error() -> None:
    reached_end = False
    with pytest.raises(asyncio.TimeoutError):
        with Timeout(0.01) as t:
            await asyncio.sleep(10)
            reached_end = True
    assert t.expired
    assert not reached_end


@pytest.mark.asyncio
async def test_async_with_form() -> None:
    with pytest.raises(asyncio.TimeoutError):
        async with Timeout(0.01):
            await asyncio.sleep(10)


@pytest.mark.asyncio
async def test_fast_block_is_untouched_and_the_timer_is_disarmed() -> None:
    with Timeout(0.05) as t:
        await asyncio.sleep(0)
    await asyncio.sleep(0.1)  # the disarmed timer must not cancel us later
    assert not t.expired


@pytest.mark.asyncio
async def test_none_disables_the_timeout() -> None:
    async with Timeout(None) as t:
        await asyncio.sleep(0.01)
    assert not t.expired


@pytest.mark.asyncio
async def test_foreign_cancellation_passes_through() -> None:
    async def victim() -> None:
        with Timeout(10):
            await asyncio.sleep(10)

    task = asyncio.ensure_future(victim())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_task_can_keep_working_after_a_timeout() -> None:
    with pytest.raises(asyncio.TimeoutError):
        with Timeout(0.01):
            await asyncio.sleep(10)
    # The task is not left in a cancelled state: awaiting still works.
    await asyncio.sleep(0.01)
    task = asyncio.current_task()
    assert task is not None
    if hasattr(task, "cancelling"):
        assert task.cancelling() == 0


@pytest.mark.asyncio
async def test_errors_inside_are_not_converted() -> None:
    with pytest.raises(KeyError):
        with Timeout(1):
            raise KeyError("x")


def test_outside_a_task_is_an_error() -> None:
    async def main() -> None:
        pass

    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(RuntimeError):
            Timeout(1, loop=loop).__enter__()
    finally:
        loop.close()
    del main
