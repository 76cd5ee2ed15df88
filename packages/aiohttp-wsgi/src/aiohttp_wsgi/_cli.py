# Strategy: a thin argparse front end over serve(): load ``module:app`` the way
# gunicorn does (the current directory is importable; ``module:a.b`` follows
# attributes; ``module`` alone looks for ``application`` then ``app``), set up
# logging (access log on stdout, server messages on stderr) and serve.
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._access_log import AccessLogger
from ._serve import DEFAULT_GRACEFUL_TIMEOUT, serve
from ._server import DEFAULT_KEEP_ALIVE, DEFAULT_SLOW_REQUEST_TIMEOUT

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ("main", "load_app")


def load_app(spec: str) -> WSGIApplication:
    """Import ``module:attribute`` (or ``module``) and return the WSGI application."""
    module_name, _, attr = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    module = importlib.import_module(module_name)
    names = attr.split(".") if attr else None
    if names is None:
        for candidate in ("application", "app"):
            if hasattr(module, candidate):
                names = [candidate]
                break
        else:
            raise SystemExit(f"error: no 'application' or 'app' in module {module_name!r}")
    obj: object = module
    for name in names:
        try:
            obj = getattr(obj, name)
        except AttributeError:
            raise SystemExit(f"error: {spec!r}: no attribute {name!r}") from None
    if not callable(obj):
        raise SystemExit(f"error: {spec!r} is not callable")
    return obj


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="aiohttp-wsgi",
        description="Serve a WSGI application with aiohttp-wsgi "
        "(the built-in demo application when none is given).",
    )
    p.add_argument("app", nargs="?", help="the application, as module:attribute")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port to listen on (8080; 0: any)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    p.add_argument(
        "--threads", type=int, default=None, help="threads per worker (min(32, cpus + 4))"
    )
    p.add_argument(
        "--keep-alive",
        type=float,
        default=DEFAULT_KEEP_ALIVE,
        help=f"idle keep-alive timeout in seconds ({DEFAULT_KEEP_ALIVE:g})",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_SLOW_REQUEST_TIMEOUT,
        help="seconds a client may take to send request headers "
        f"({DEFAULT_SLOW_REQUEST_TIMEOUT:g}; 0: no limit)",
    )
    p.add_argument(
        "--graceful-timeout",
        type=float,
        default=DEFAULT_GRACEFUL_TIMEOUT,
        help=f"seconds in-flight requests get on shutdown ({DEFAULT_GRACEFUL_TIMEOUT:g})",
    )
    p.add_argument("--no-access-log", action="store_true", help="do not write the access log")
    p.add_argument("--access-log-format", default=AccessLogger.LOG_FORMAT, help="access log format")
    p.add_argument("--debug", action="store_true", help="debug logging and tracebacks in 500s")
    return p


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``python -m aiohttp_wsgi`` and the ``aiohttp-wsgi`` command."""
    args = _parser().parse_args(argv)
    if args.app:
        app = load_app(args.app)
    else:
        from ._demo import app as demo_app  # noqa: PLC0415 - only when no app is given

        app = demo_app
    level = logging.DEBUG if args.debug else logging.INFO
    server_log = logging.getLogger("aiohttp.server")
    server_log.setLevel(level)
    err = logging.StreamHandler(sys.stderr)
    err.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] %(levelname)s %(message)s"))
    server_log.addHandler(err)
    access_log = logging.getLogger("aiohttp.access")
    access_log.setLevel(logging.INFO)
    access_log.addHandler(logging.StreamHandler(sys.stdout))
    access_log.propagate = False
    server_log.propagate = False
    try:
        serve(
            app,
            host=args.host,
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            graceful_timeout=args.graceful_timeout,
            keep_alive=args.keep_alive,
            timeout=args.timeout,
            debug=args.debug,
            access_log=None if args.no_access_log else access_log,
            access_log_format=args.access_log_format,
        )
    except KeyboardInterrupt:
        pass
