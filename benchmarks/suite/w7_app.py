"""The W7 WSGI application: ``/`` says hello (12 bytes), ``/big`` is 64 KiB.

``asgi`` is the same application behind a2wsgi, for uvicorn. Loaded by
the servers as ``w7_app`` (suite/ is put on PYTHONPATH).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

HELLO = b"Hello world!"
BIG = bytes(range(256)) * 256  # 64 KiB


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = BIG if environ.get("PATH_INFO") == "/big" else HELLO
    start_response(
        "200 OK",
        [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))],
    )
    return [body]


def __getattr__(name: str) -> Any:
    # Built on demand: only the uvicorn run has a2wsgi to import.
    if name == "asgi":
        from a2wsgi import WSGIMiddleware

        return WSGIMiddleware(app, workers=4)  # type: ignore[arg-type]
    raise AttributeError(name)
