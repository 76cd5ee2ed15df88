"""WorkerPool: the threads WSGI applications run in, and its batched hand-off."""

from __future__ import annotations

import asyncio
import gc
import threading
from concurrent.futures import CancelledError as FutureCancelledError

import pytest

from aiohttp_wsgi import WorkerPool
from aiohttp_wsgi._pool import _Completions

WAIT = 20.0  # a wedged pool fails the test instead of hanging it


def test_submit_is_an_executor() -> None:
    pool = WorkerPool(2)
    try:
        assert pool.max_workers == 2
        assert pool.submit(pow, 2, 10).result(WAIT) == 1024
        assert pool.submit(int, "ff", base=16).result(WAIT) == 255
        with pytest.raises(ZeroDivisionError):
            pool.submit(divmod, 1, 0).result(WAIT)
        assert list(pool.map(abs, [-1, -2, 3])) == [1, 2, 3]
    finally:
        pool.shutdown()


def test_bad_size() -> None:
    with pytest.raises(ValueError, match="max_workers"):
        WorkerPool(0)


@pytest.mark.asyncio
async def test_run_delivers_every_result_to_the_loop() -> None:
    pool = WorkerPool(4)
    loop = asyncio.get_running_loop()
    try:
        names: set[str] = set()

        def job(i: int) -> int:
            names.add(threading.current_thread().name)
            return i * i

        results = await asyncio.gather(*(pool.run(loop, job, i) for i in range(200)))
        assert results == [i * i for i in range(200)]
        assert threading.current_thread().name not in names
    finally:
        pool.shutdown()


@pytest.mark.asyncio
async def test_run_raises_the_job_exception() -> None:
    pool = WorkerPool(1)
    loop = asyncio.get_running_loop()
    try:
        with pytest.raises(KeyError, match="nope"):
            await pool.run(loop, {}.__getitem__, "nope")
        # the thread survives a failed job
        assert await pool.run(loop, len, "abc") == 3
    finally:
        pool.shutdown()


@pytest.mark.asyncio
async def test_cancelled_waiter_drops_the_result() -> None:
    pool = WorkerPool(1)
    loop = asyncio.get_running_loop()
    release = threading.Event()
    try:
        fut = pool.run(loop, release.wait, WAIT)
        fut.cancel()
        release.set()
        # the job still ran; its result reached a done future and was dropped
        assert await pool.run(loop, len, "ab") == 2
        assert fut.cancelled()
    finally:
        pool.shutdown()


@pytest.mark.asyncio
async def test_shutdown_cancels_queued_jobs() -> None:
    pool = WorkerPool(1)
    loop = asyncio.get_running_loop()
    started, release = threading.Event(), threading.Event()

    def block() -> str:
        started.set()
        release.wait(WAIT)
        return "ran"

    running = pool.run(loop, block)
    queued = pool.run(loop, len, "never")
    queued_cf = pool.submit(len, "never")
    assert await loop.run_in_executor(None, started.wait, WAIT)
    pool.shutdown(wait=False, cancel_futures=True)
    release.set()
    assert await running == "ran"
    with pytest.raises(asyncio.CancelledError):
        await queued
    with pytest.raises(FutureCancelledError):
        queued_cf.result(WAIT)
    with pytest.raises(RuntimeError, match="shutdown"):
        pool.submit(len, "late")
    pool.shutdown(wait=True)


def test_one_pool_serves_several_loops() -> None:
    pool = WorkerPool(2)
    results: dict[int, list[int]] = {}

    async def client(n: int) -> None:
        loop = asyncio.get_running_loop()
        results[n] = await asyncio.gather(*(pool.run(loop, abs, -i - n) for i in range(50)))

    threads = [threading.Thread(target=asyncio.run, args=(client(n),)) for n in (0, 100)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT)
    finally:
        pool.shutdown()
    assert results == {n: [i + n for i in range(50)] for n in (0, 100)}


def test_a_dropped_pool_stops_its_threads() -> None:
    pool = WorkerPool(2, thread_name_prefix="dropped-pool")
    assert pool.submit(len, "ab").result(WAIT) == 2
    threads = [t for t in threading.enumerate() if t.name.startswith("dropped-pool")]
    assert len(threads) == 2 and all(t.daemon for t in threads)
    del pool
    gc.collect()
    for t in threads:
        t.join(WAIT)
        assert not t.is_alive()


def test_a_submitted_job_cancelled_while_queued_does_not_run() -> None:
    pool = WorkerPool(1)
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def block() -> None:
        started.set()
        release.wait(WAIT)

    try:
        blocker = pool.submit(block)
        assert started.wait(WAIT)
        queued = pool.submit(ran.append, "queued")
        assert queued.cancel()
        release.set()
        blocker.result(WAIT)
        assert pool.submit(ran.append, "after").result(WAIT) is None
        assert ran == ["after"]
    finally:
        pool.shutdown(cancel_futures=True)
        pool.shutdown(cancel_futures=True)  # a second shutdown finds only the stop marker


def test_a_result_for_a_closed_loop_is_dropped() -> None:
    loop = asyncio.new_event_loop()
    fut = loop.create_future()
    loop.close()
    _Completions(loop).post(fut, "late", None)  # no error: nobody waits any more
    assert not fut.done()


@pytest.mark.asyncio
async def test_loop_caller_runs_calls_in_order_and_reports_failures() -> None:
    pool = WorkerPool(1)
    loop = asyncio.get_running_loop()
    seen: list[object] = []
    reported: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    caller = pool.loop_caller(loop)

    def job() -> str:
        caller(seen.append, 1)
        caller(int, "not a number")  # fails on the loop: reported, the rest still runs
        caller(seen.append, 2)
        return "done"

    try:
        assert await pool.run(loop, job) == "done"
        assert seen == [1, 2]  # both ran before the result was delivered
        assert len(reported) == 1 and isinstance(reported[0]["exception"], ValueError)
    finally:
        loop.set_exception_handler(None)
        pool.shutdown()
