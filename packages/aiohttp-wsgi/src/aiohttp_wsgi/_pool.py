# Strategy: the hand-off between the event loop and the application threads,
# made cheap because every request crosses it twice. ``loop.run_in_executor``
# costs a concurrent Future (a Condition and an RLock), an asyncio Future
# chained to it through two callbacks, and one ``call_soon_threadsafe`` (a
# self-pipe write plus a loop wake-up) per request. Here a job is a tuple on a
# ``queue.SimpleQueue``; a finished job is appended to its loop's completion
# list, and only the first completion since the loop last looked writes to the
# self-pipe: under load one wake-up delivers the results of many requests.
# Body chunks a streaming application hands to the loop take the same list,
# so they stay in order with the result.
from __future__ import annotations

import asyncio
import os
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Final, TypeVar

__all__ = ("WorkerPool", "DEFAULT_WORKERS")

_T = TypeVar("_T")

#: Threads of a pool when none is given: ``ThreadPoolExecutor``'s default.
DEFAULT_WORKERS: Final = min(32, (os.cpu_count() or 1) + 4)


class _Cancelled:
    """The outcome of a job that was dropped before it ran (pool shut down)."""


_CANCELLED: Final = _Cancelled()


class _Completions:
    """Calls handed from worker threads to one event loop, run in batches and in
    order: job results, and whatever else a job asks the loop to do."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._calls: list[tuple[Callable[..., object], tuple[object, ...]]] = []
        self._scheduled = False

    def call(self, fn: Callable[..., object], /, *args: object) -> None:
        """Called from any thread: run ``fn(*args)`` on the loop soon."""
        with self._lock:
            self._calls.append((fn, args))
            if self._scheduled:
                return  # a wake-up is on its way and will take this one too
            self._scheduled = True
        try:
            self._loop.call_soon_threadsafe(self._run)
        except RuntimeError:
            pass  # the loop is closed: nobody waits any more

    def post(self, fut: asyncio.Future[object], result: object, exc: BaseException | None) -> None:
        """Called from any thread: deliver ``result`` (or ``exc``) to ``fut``."""
        self.call(_settle, fut, result, exc)

    def _run(self) -> None:
        with self._lock:
            calls = self._calls
            self._calls = []
            self._scheduled = False
        for fn, args in calls:
            try:
                fn(*args)
            except Exception as exc:  # noqa: BLE001 - as the loop reports a failed callback
                self._loop.call_exception_handler(
                    {"message": f"Exception in callback {fn!r}", "exception": exc}
                )


def _settle(fut: asyncio.Future[object], result: object, exc: BaseException | None) -> None:
    if fut.done():
        return  # the request was cancelled meanwhile
    if exc is not None:
        fut.set_exception(exc)
    elif result is _CANCELLED:
        fut.cancel()
    else:
        fut.set_result(result)


class _FutureSink:
    """Cancels the ``concurrent.futures.Future`` of a job :meth:`WorkerPool.submit`
    queued and shutdown dropped (the job itself completes its future)."""

    @staticmethod
    def post(fut: Future[object], result: object, exc: BaseException | None) -> None:
        if result is _CANCELLED:
            fut.cancel()


_Sink = _Completions | type[_FutureSink]
_Job = tuple[
    Callable[..., object], tuple[object, ...], _Sink, "asyncio.Future[object] | Future[object]"
]


class WorkerPool(Executor):
    """A fixed set of threads that run WSGI applications for event loops.

    A ``concurrent.futures.Executor`` (``submit()`` works as usual); the
    protocol uses :meth:`run` instead, which skips the concurrent Future.
    The threads start with the first job; they are daemon threads, so call
    :meth:`shutdown` to let running jobs finish before the process exits.

    :param max_workers: number of threads (default ``min(32, cpus + 4)``).
    :param thread_name_prefix: names of the threads.
    """

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "") -> None:
        if max_workers is None:
            max_workers = DEFAULT_WORKERS
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max_workers = max_workers
        self._prefix = thread_name_prefix or f"WorkerPool-{id(self):x}"
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._shutdown = False
        # The threads only know the queue: a pool that is dropped without
        # shutdown() stops its threads when it is collected.
        weakref.finalize(self, self._jobs.put, None)
        self._sinks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Completions] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def max_workers(self) -> int:
        """The number of threads."""
        return self._max_workers

    def run(
        self, loop: asyncio.AbstractEventLoop, fn: Callable[..., _T], /, *args: object
    ) -> asyncio.Future[_T]:
        """Run ``fn(*args)`` in a thread; the returned future (of ``loop``) gets the result.

        Call from the thread running ``loop``. Cancelling the future does
        not stop a job that already runs; its result is dropped.
        """
        sink = self._sink(loop)
        fut: asyncio.Future[object] = loop.create_future()
        self._put((fn, args, sink, fut))
        return fut  # type: ignore[return-value]  # fn's result lands in it

    def loop_caller(self, loop: asyncio.AbstractEventLoop) -> Callable[..., None]:
        """A ``call_soon_threadsafe`` for jobs: ``caller(fn, *args)`` runs
        ``fn(*args)`` on ``loop``, batched with the results of :meth:`run` and
        in the order the calls were made (a job's calls before its result)."""
        return self._sink(loop).call

    def _sink(self, loop: asyncio.AbstractEventLoop) -> _Completions:
        sink = self._sinks.get(loop)
        if sink is None:
            sink = self._sinks[loop] = _Completions(loop)
        return sink

    def submit(self, fn: Callable[..., _T], /, *args: object, **kwargs: object) -> Future[_T]:
        """``Executor.submit``: run ``fn(*args, **kwargs)`` in a thread."""
        fut: Future[object] = Future()
        self._put((_run_submitted, (fut, fn, args, kwargs), _FutureSink, fut))
        return fut  # type: ignore[return-value]  # fn's result lands in it

    def _put(self, job: _Job) -> None:
        if self._shutdown:
            raise RuntimeError("cannot schedule new jobs after shutdown")
        if len(self._threads) < self._max_workers:
            self._start_threads()
        self._jobs.put(job)

    def _start_threads(self) -> None:
        with self._lock:
            while len(self._threads) < self._max_workers:
                t = threading.Thread(
                    target=_work,
                    args=(self._jobs,),
                    name=f"{self._prefix}_{len(self._threads)}",
                    # A pool nobody shut down must not keep the process alive
                    # (serve_async shuts its pool down after the in-flight
                    # requests finished or the graceful timeout expired).
                    daemon=True,
                )
                t.start()
                self._threads.append(t)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the threads once the queued jobs ran (``cancel_futures``: drop them)."""
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                while True:
                    try:
                        job = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if job is not None:
                        _, _, sink, fut = job
                        sink.post(fut, _CANCELLED, None)  # type: ignore[arg-type]  # match
            self._jobs.put(None)
            threads = list(self._threads)
        if wait:
            for t in threads:
                t.join()


def _work(jobs: queue.SimpleQueue[_Job | None]) -> None:
    while True:
        job = jobs.get()
        if job is None:
            jobs.put(None)  # wake the next thread, it stops too
            return
        fn, args, sink, fut = job
        del job
        try:
            result = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiter
            sink.post(fut, None, exc)  # type: ignore[arg-type]  # sink and fut match
            del exc
        else:
            sink.post(fut, result, None)  # type: ignore[arg-type]  # sink and fut match
        del fn, args, sink, fut


def _run_submitted(
    fut: Future[object],
    fn: Callable[..., object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> None:
    if not fut.set_running_or_notify_cancel():
        return  # cancelled while queued
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - handed to the waiter
        fut.set_exception(exc)
    else:
        fut.set_result(result)
