# Strategy: most WSGI applications return their whole body as a list, so the
# length is known before anything is sent. For that case the response head is
# one string join here instead of an aiohttp_parsers.Response with a header
# multidict (about a fifth of the event loop's work per request). The bytes
# must be exactly what WsgiResponse._start() makes through Response: the same
# header order, the same Connection/Date/Server defaults; tests compare the
# two for many inputs. Cases Response frames specially (HEAD, 1xx/204/304, a
# Content-Length that does not match the body) are left to it.
from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ("fast_head",)

_CONNECTION: Final = {
    # (version, close) -> the Connection header Response adds (RFC 9112 §9.3)
    ((1, 0), False): "Connection: keep-alive\r\n",
    ((1, 1), True): "Connection: close\r\n",
}


def fast_head(
    version: tuple[int, int],
    status: int,
    reason: str,
    headers: Iterable[tuple[str, str]],
    body_length: int,
    close: bool,
    date: str,
    server: str,
) -> bytes | None:
    """The response head for a complete body of ``body_length`` bytes.

    ``headers`` are the application's, already checked by StartResponseState.
    Returns ``None`` when an application ``Content-Length`` is not exactly
    ``body_length`` (Response then truncates or rejects, and the connection
    may close).
    """
    lines = [f"HTTP/{version[0]}.{version[1]} {status} {reason}\r\n"]
    have_length = have_date = have_server = False
    for name, value in headers:
        value = value.strip()
        lname = name.lower()
        if lname == "content-length":
            if value != str(body_length):
                return None
            have_length = True
            name = "Content-Length"  # as _start() writes it
        elif lname == "date":
            have_date = True
        elif lname == "server":
            have_server = True
        lines.append(f"{name}: {value}\r\n")
    if not have_date:
        lines.append(f"Date: {date}\r\n")
    if not have_length:
        lines.append(f"Content-Length: {body_length}\r\n")
    connection = _CONNECTION.get((version, close))
    if connection is not None:
        lines.append(connection)
    if not have_server:
        lines.append(f"Server: {server}\r\n")
    lines.append("\r\n")
    # PEP 3333: header strings are latin-1 text (checked by start_response).
    return "".join(lines).encode("latin-1")
