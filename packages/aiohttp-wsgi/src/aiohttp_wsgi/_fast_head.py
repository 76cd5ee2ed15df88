# Strategy: most responses need none of what an aiohttp_parsers.Response
# offers beyond its head, so the head is one string join here instead of a
# Response with a header multidict (about a fifth of the event loop's work
# per request). Two shapes: a complete body (a list result: the length is
# known before anything is sent) and a streamed body (the framing follows
# from the application's Content-Length and the HTTP version). The bytes must
# be exactly what WsgiResponse._start() makes through Response: the same
# header order, the same Connection/Date/Server defaults, the same framing;
# tests compare the two for many inputs. Cases Response frames specially
# (HEAD, 1xx/204/304, HTTP/0.9, a Content-Length it rejects or one that does
# not match a complete body) are left to it: these functions return None.
from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ("fast_head", "stream_head")

_CONNECTION: Final = {
    # (version, close) -> the Connection header Response adds (RFC 9112 §9.3)
    ((1, 0), False): "Connection: keep-alive\r\n",
    ((1, 1), True): "Connection: close\r\n",
}


def _lines(
    version: tuple[int, int],
    status: int,
    reason: str,
    headers: Iterable[tuple[str, str]],
    date: str,
) -> tuple[list[str], list[str], bool]:
    """Status line, application headers and Date, in Response's order.

    Returns the lines, the application's Content-Length values, and whether
    it gave a Server header.
    """
    lines = [f"HTTP/{version[0]}.{version[1]} {status} {reason}\r\n"]
    lengths: list[str] = []
    have_date = have_server = False
    for name, value in headers:
        value = value.strip()
        lname = name.lower()
        if lname == "content-length":
            lengths.append(value)
            name = "Content-Length"  # as _start() writes it
        elif lname == "date":
            have_date = True
        elif lname == "server":
            have_server = True
        lines.append(f"{name}: {value}\r\n")
    if not have_date:
        lines.append(f"Date: {date}\r\n")
    return lines, lengths, have_server


def _end(
    lines: list[str], version: tuple[int, int], close: bool, have_server: bool, server: str
) -> bytes:
    connection = _CONNECTION.get((version, close))
    if connection is not None:
        lines.append(connection)
    if not have_server:
        lines.append(f"Server: {server}\r\n")
    lines.append("\r\n")
    # PEP 3333: header strings are latin-1 text (checked by start_response).
    return "".join(lines).encode("latin-1")


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
    lines, lengths, have_server = _lines(version, status, reason, headers, date)
    expected = str(body_length)
    for value in lengths:
        if value != expected:
            return None
    if not lengths:
        lines.append(f"Content-Length: {expected}\r\n")
    return _end(lines, version, close, have_server, server)


def stream_head(
    version: tuple[int, int],
    status: int,
    reason: str,
    headers: Iterable[tuple[str, str]],
    close: bool,
    date: str,
    server: str,
) -> tuple[bytes, int | None, bool, bool] | None:
    """The response head for a body of unknown length (a streamed result).

    Returns ``(head, content_length, chunked, close)``: the body is framed by
    the application's ``Content-Length`` when it gave one, else chunked
    (HTTP/1.1 and later), else by closing the connection (HTTP/1.0); ``close``
    says whether the connection closes after it. ``None`` when Response should
    decide: several or non-numeric ``Content-Length`` values (it sends every
    one, or refuses the response) or an HTTP version before 1.0.
    """
    if version < (1, 0):
        return None
    lines, lengths, have_server = _lines(version, status, reason, headers, date)
    length: int | None = None
    chunked = False
    if lengths:
        value = lengths[0]
        if len(lengths) > 1 or not (value.isascii() and value.isdigit()):
            return None
        length = int(value)
    elif version >= (1, 1):
        lines.append("Transfer-Encoding: chunked\r\n")
        chunked = True
    else:
        # RFC 9112 §6.3: without a length, only closing the connection ends
        # the body (Response then sends no Connection header on HTTP/1.0).
        close = True
    return _end(lines, version, close, have_server, server), length, chunked, close
