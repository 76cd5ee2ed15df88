# Strategy: the application ``python -m aiohttp_wsgi`` serves when none is
# named: three small pages that show the server works (a page with the
# request's environ, a POST echo, a streamed response), written as a plain
# PEP 3333 application with no dependencies.
from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ("app",)

# The echo page returns at most this much of a request body.
_ECHO_LIMIT = 2**20

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>aiohttp-wsgi</title></head>
<body><h1>aiohttp-wsgi is running</h1>
<p>This is the built-in demo application. Serve your own with
<code>python -m aiohttp_wsgi module:app</code>.</p>
<ul><li><a href="/stream">/stream</a>: a streamed response</li>
<li>POST to <code>/echo</code>: the body comes back</li></ul>
<h2>Your request</h2><table>{rows}</table></body></html>
"""


def _stream() -> Iterator[bytes]:
    for i in range(10):
        yield b"line %d\n" % i


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The demo WSGI application."""
    path = environ.get("PATH_INFO", "/")
    method = environ["REQUEST_METHOD"]
    if path == "/echo" and method == "POST":
        # Sized reads (PEP 3333), and a bound: this is a demo, not a sink.
        parts: list[bytes] = []
        size = 0
        while size < _ECHO_LIMIT:
            part = environ["wsgi.input"].read(min(65536, _ECHO_LIMIT - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
        body = b"".join(parts)
        ctype = environ.get("CONTENT_TYPE") or "application/octet-stream"
        start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
        return _stream()
    if path != "/":
        body = b"Not Found\n"
        start_response(
            "404 Not Found",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
        for k, v in sorted(environ.items())
        if k.isupper()
    )
    body = _PAGE.format(rows=rows).encode("utf-8")
    start_response(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
