# Strategy: what a WSGI server around the protocol needs: listen, create one
# WSGIServerHttpProtocol per connection, remember them weakly, and on a stop
# request (SIGINT/SIGTERM or an event) stop accepting, let every connection
# finish its current request (closing()), wait for them up to a grace period,
# cancel the rest. Several worker processes share one listening socket opened
# before fork(); the parent only forwards signals and restarts crashed workers.
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Final, Literal

from ._log import server_logger
from ._pool import WorkerPool
from ._wsgi import WSGIServerHttpProtocol

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ("serve", "serve_async", "DEFAULT_GRACEFUL_TIMEOUT", "DEFAULT_BACKLOG")

#: Seconds in-flight requests get to finish on shutdown (gunicorn's default).
DEFAULT_GRACEFUL_TIMEOUT: Final = 30.0
#: listen() backlog; same as asyncio's ``create_server`` and gunicorn.
DEFAULT_BACKLOG: Final = 2048


def _bind(host: str, port: int, backlog: int) -> socket.socket:
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, type_, proto, _, addr = info[0]
    sock = socket.socket(family, type_, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(backlog)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


async def serve_async(
    app: WSGIApplication,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    sock: socket.socket | None = None,
    threads: int | None = None,
    executor: Executor | Literal[False] | None = None,
    graceful_timeout: float = DEFAULT_GRACEFUL_TIMEOUT,
    stop: asyncio.Event | None = None,
    on_ready: Callable[[list[tuple[str, int]]], None] | None = None,
    handle_signals: bool = True,
    multiprocess: bool = False,
    backlog: int = DEFAULT_BACKLOG,
    protocol: Callable[..., WSGIServerHttpProtocol] = WSGIServerHttpProtocol,
    **protocol_kw: object,
) -> None:
    """Serve ``app`` until SIGINT/SIGTERM (or ``stop`` is set), then shut down gracefully.

    :param sock: an already listening socket (``host``/``port`` are then ignored).
    :param threads: size of the :class:`WorkerPool` the application runs in
        (default: asyncio's default executor size, ``min(32, cpus + 4)``).
    :param executor: run the application there instead of in a new thread
        pool (``False``: on the event loop, see :class:`WSGIServerHttpProtocol`).
    :param graceful_timeout: seconds in-flight requests get to finish on shutdown.
    :param on_ready: called with the listening addresses once serving.
    :param protocol: makes each connection's protocol: called like
        :class:`WSGIServerHttpProtocol` (a subclass, or a ``functools.partial``
        of one, serves some paths itself and the rest through ``app``).
    :param protocol_kw: more keyword arguments for ``protocol``.
    """
    loop = asyncio.get_running_loop()
    stop = stop if stop is not None else asyncio.Event()
    own_executor: WorkerPool | None = None
    if executor is None:
        own_executor = WorkerPool(max_workers=threads, thread_name_prefix="aiohttp-wsgi")
        executor = own_executor
    connections: weakref.WeakSet[WSGIServerHttpProtocol] = weakref.WeakSet()

    def factory() -> WSGIServerHttpProtocol:
        proto = protocol(
            app,
            executor=executor,
            multiprocess=multiprocess,
            **protocol_kw,
        )
        connections.add(proto)
        return proto

    if sock is None:
        sock = _bind(host, port, backlog)
    server = await loop.create_server(factory, sock=sock, backlog=backlog)
    installed: list[int] = []
    if handle_signals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or no signals here
            installed.append(signum)
    try:
        addrs = [s.getsockname()[:2] for s in server.sockets]
        server_logger.info(
            "Serving on %s (pid %d)", ", ".join(f"http://{h}:{p}" for h, p in addrs), os.getpid()
        )
        if on_ready is not None:
            on_ready(addrs)
        await stop.wait()
        server_logger.info("Shutting down: finishing in-flight requests")
    finally:
        for installed_signum in installed:
            loop.remove_signal_handler(installed_signum)
        server.close()
        live = list(connections)
        for proto in live:
            proto.closing(graceful_timeout)
        handlers = [p._request_handler for p in live if p._request_handler is not None]
        if handlers:
            await asyncio.wait(handlers, timeout=graceful_timeout)
        for proto in live:
            if proto.transport is not None:
                proto.transport.abort()
        await server.wait_closed()
        if own_executor is not None:
            own_executor.shutdown(wait=False, cancel_futures=True)


def serve(
    app: WSGIApplication,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    workers: int = 1,
    **kw: object,
) -> None:
    """Serve ``app`` on ``host:port`` until SIGINT/SIGTERM; a one-call server.

    With ``workers > 1`` that many processes (``fork()``, POSIX only) accept on
    one shared socket; the parent restarts a worker that dies and forwards
    SIGINT/SIGTERM for a graceful shutdown. Other keyword arguments go to
    :func:`serve_async`.
    """
    if workers <= 1 or not hasattr(os, "fork"):
        asyncio.run(serve_async(app, host=host, port=port, **kw))  # type: ignore[arg-type]  # forwarded keywords
        return
    sock = _bind(host, port, int(kw.pop("backlog", DEFAULT_BACKLOG)))  # type: ignore[call-overload]  # int or str
    server_logger.info("Serving on http://%s:%d with %d workers", *sock.getsockname()[:2], workers)
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                asyncio.run(serve_async(app, sock=sock, multiprocess=True, **kw))  # type: ignore[arg-type]  # forwarded keywords
            except BaseException:
                logging.getLogger("aiohttp.server").exception("worker failed")
                code = 1
            finally:
                os._exit(code)
        children.add(pid)

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for _ in range(workers):
            spawn()
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            children.discard(pid)
            if not stopping:
                server_logger.warning("worker %d exited (status %d); restarting", pid, status)
                time.sleep(0.1)  # do not spin if the app crashes at import
                spawn()
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        sock.close()
    sys.stdout.flush()
