"""Test helpers: a WSGI server on 127.0.0.1:0 in a background thread, and small clients."""

from __future__ import annotations

import asyncio
import http.client
import logging
import os
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar
from wsgiref.validate import validator

from aiohttp_wsgi import serve_async

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

T = TypeVar("T")

# Generous caps so a wedged server fails the test instead of hanging it;
# never used to assert how fast something happened.
WAIT = 20.0


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class ServerThread:
    """Run ``serve_async(app)`` on its own event loop in a thread."""

    def __init__(self, app: WSGIApplication, *, validate: bool = True, **kw: object) -> None:
        self.app: WSGIApplication = validator(app) if validate else app
        self.kw = kw
        self.port = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._main_task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._errors = _Collect()
        self.failure: BaseException | None = None

    @property
    def errors(self) -> list[str]:
        """Messages logged at ERROR level by ``aiohttp.server`` while running."""
        return [r.getMessage() for r in self._errors.records]

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # surfaced by __exit__
            self.failure = exc
            self._ready.set()

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._main_task = asyncio.current_task()

        def ready(addrs: list[tuple[str, int]]) -> None:
            self.port = addrs[0][1]
            self._ready.set()

        await serve_async(
            self.app,
            host="127.0.0.1",
            port=0,
            stop=self._stop,
            on_ready=ready,
            handle_signals=False,
            graceful_timeout=5.0,
            **self.kw,  # type: ignore[arg-type]  # protocol keywords for the test
        )

    def __enter__(self) -> ServerThread:
        logging.getLogger("aiohttp.server").addHandler(self._errors)
        self._thread.start()
        if not self._ready.wait(WAIT) or self.failure is not None:
            raise RuntimeError(f"server did not start: {self.failure!r}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        loop, stop = self.loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        self._thread.join(WAIT)
        logging.getLogger("aiohttp.server").removeHandler(self._errors)
        if self.failure is not None and exc is None:
            raise self.failure

    def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run a coroutine function on the server's loop, return its result."""
        assert self.loop is not None

        async def wrapper() -> T:
            return await fn()

        return asyncio.run_coroutine_threadsafe(wrapper(), self.loop).result(WAIT)

    def connection_tasks(self) -> list[asyncio.Task[object]]:
        """Tasks on the server loop other than the server itself."""

        async def tasks() -> list[asyncio.Task[object]]:
            me = asyncio.current_task()
            return [t for t in asyncio.all_tasks() if t is not me and t is not self._main_task]

        return self.call(tasks)

    def wait_idle(self) -> list[asyncio.Task[object]]:
        """Wait until no connection task is left (up to WAIT s); return what is left."""
        deadline = time.monotonic() + WAIT
        left = self.connection_tasks()
        while left and time.monotonic() < deadline:
            time.sleep(0.02)
            left = self.connection_tasks()
        return left

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)

    def raw(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=WAIT)
        return sock

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def request(
    srv: ServerThread,
    method: str,
    path: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
    **kw: bool,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on a fresh connection; (status, headers, body)."""
    conn = srv.connect()
    try:
        conn.request(method, path, body=body, headers=headers or {}, **kw)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def recv_all(sock: socket.socket) -> bytes:
    """Read until the server closes the connection."""
    chunks: list[bytes] = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))
