# Strategy: arm ``loop.call_later`` to cancel the current task; on exit, a
# CancelledError that we caused becomes asyncio.TimeoutError, while a
# cancellation from anyone else passes through untouched. On Python 3.11+
# ``Task.uncancel()`` keeps the task's cancel count honest so structured
# concurrency (TaskGroup, asyncio.timeout) above us still works.
from __future__ import annotations

import asyncio
from types import TracebackType

__all__ = ("Timeout",)


class Timeout:
    """Cancel the enclosed block after ``timeout`` seconds and raise
    :class:`asyncio.TimeoutError` instead.

    Usable as 2016 documented, ``with Timeout(1.5): await ...`` inside a
    coroutine, and as ``async with Timeout(1.5): ...``. ``None`` disables it.

    :param timeout: seconds, or ``None`` for no limit.
    :param loop: accepted for compatibility; the running loop is used.
    """

    def __init__(
        self, timeout: float | None, *, loop: asyncio.AbstractEventLoop | None = None
    ) -> None:
        self._timeout = timeout
        self._loop = loop
        self._task: asyncio.Task[object] | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._expired = False

    @property
    def expired(self) -> bool:
        """True once the timeout fired and cancelled the block."""
        return self._expired

    def __enter__(self) -> Timeout:
        if self._task is not None:
            raise RuntimeError("Timeout is not reentrant")
        loop = self._loop or asyncio.get_running_loop()
        task = asyncio.current_task(loop=loop)
        if task is None:
            raise RuntimeError("Timeout context manager should be used inside a task")
        self._task = task
        if self._timeout is not None:
            self._handle = loop.call_later(self._timeout, self._cancel)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        task, self._task = self._task, None
        if self._expired and exc_type is asyncio.CancelledError:
            uncancel = getattr(task, "uncancel", None)  # Python 3.11+
            if uncancel is not None:
                uncancel()
            raise asyncio.TimeoutError from exc

    async def __aenter__(self) -> Timeout:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    def _cancel(self) -> None:
        if self._task is not None:
            self._expired = True
            self._task.cancel()
