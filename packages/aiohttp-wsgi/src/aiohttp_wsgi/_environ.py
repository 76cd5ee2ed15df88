# Strategy: one pure function turns the parts of a parsed request into a PEP 3333
# environ, so it is testable without a socket and reusable by subclasses that
# build the environ from other sources; what is the same for every request of
# a connection is built once (environ_base) and copied per request (dict.copy
# is one C call). All strings are "native strings": the
# bytes on the wire decoded as ISO-8859-1 (PEP 3333, "Unicode Issues"), and
# PATH_INFO is the percent-decoded path decoded the same way, which is what every
# WSGI framework expects (it re-encodes with latin-1 and decodes as UTF-8).
from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Final
from urllib.parse import unquote_to_bytes

from .__about__ import __version__

__all__ = ("build_environ", "environ_base", "request_environ", "split_target", "SERVER_SOFTWARE")

#: The ``SERVER_SOFTWARE`` environ value.
SERVER_SOFTWARE: Final = (
    f"aiohttp-wsgi/{__version__} Python/{sys.version_info[0]}.{sys.version_info[1]}"
)

# Repeated fields are joined with ", " (RFC 9110 §5.3: "A recipient MAY combine
# multiple field lines within a field section that have the same field name into
# one field line ... by appending each subsequent field line value to the initial
# field line value in order, separated by a comma"). Cookie is the exception: it
# is not a list-valued field and is joined with "; " (RFC 6265 §5.4, RFC 9113 §8.2.3).
_COOKIE_KEY: Final = "HTTP_COOKIE"


def split_target(target: str) -> tuple[str, str]:
    """Split a request-target into (path, query), both still percent-encoded.

    Handles origin-form (``/a?b``), absolute-form (``http://h/a?b``, RFC 9112
    §3.2.2: "a server MUST accept the use of the absolute-form in requests") and
    asterisk-form (``*``).
    """
    path, sep, query = target.partition("?")
    # RFC 9112 §3.2: a request-target carries no fragment; drop one defensively.
    if not sep:
        path = path.partition("#")[0]
    else:
        query = query.partition("#")[0]
    if not path.startswith("/") and "://" in path:
        # absolute-form: scheme "://" authority path-abempty
        rest = path.split("://", 1)[1]
        slash = rest.find("/")
        path = rest[slash:] if slash >= 0 else "/"
    return path, query


def environ_base(
    *,
    peername: object = None,
    sockname: object = None,
    url_scheme: str = "http",
    script_name: str = "",
    multithread: bool = True,
    multiprocess: bool = False,
    file_wrapper: object = None,
    errors: object = None,
) -> dict[str, object]:
    """The environ keys that are the same for every request of a connection.

    :func:`request_environ` copies it; see :func:`build_environ` for the
    parameters.
    """
    base: dict[str, object] = {
        "SCRIPT_NAME": script_name.rstrip("/"),
        "SERVER_SOFTWARE": SERVER_SOFTWARE,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url_scheme,
        "wsgi.errors": sys.stderr if errors is None else errors,
        "wsgi.multithread": multithread,
        "wsgi.multiprocess": multiprocess,
        "wsgi.run_once": False,
    }
    if file_wrapper is not None:
        base["wsgi.file_wrapper"] = file_wrapper
    if isinstance(sockname, (tuple, list)) and len(sockname) >= 2:
        base["SERVER_NAME"] = str(sockname[0])
        base["SERVER_PORT"] = str(sockname[1])
    else:
        base["SERVER_NAME"] = "localhost"
        base["SERVER_PORT"] = "443" if url_scheme == "https" else "80"
    if isinstance(peername, (tuple, list)) and len(peername) >= 2:
        base["REMOTE_ADDR"] = str(peername[0])
        base["REMOTE_PORT"] = str(peername[1])
    else:
        # A UNIX socket peer has no address; CGI requires the key anyway.
        base["REMOTE_ADDR"] = ""
        base["REMOTE_PORT"] = ""
    return base


_PROTOCOLS: Final = {(1, 1): "HTTP/1.1", (1, 0): "HTTP/1.0"}


def request_environ(
    base: dict[str, object],
    *,
    method: str,
    target: str,
    version: tuple[int, int],
    headers: Iterable[tuple[str, str]],
    wsgi_input: object,
) -> dict[str, object]:
    """A request's PEP 3333 environ: a copy of ``base`` (:func:`environ_base`)
    plus what the request says; see :func:`build_environ` for the parameters."""
    raw_path, query = split_target(target)
    if raw_path == "*":
        path_info = "*"
    elif "%" not in raw_path and raw_path.isascii():
        path_info = raw_path  # what unquoting and decoding would give
    else:
        path_info = unquote_to_bytes(raw_path).decode("latin-1")
    script_name = base["SCRIPT_NAME"]
    assert isinstance(script_name, str)
    if script_name and (path_info == script_name or path_info.startswith(script_name + "/")):
        path_info = path_info[len(script_name) :]

    environ = base.copy()
    environ["REQUEST_METHOD"] = method
    environ["PATH_INFO"] = path_info
    environ["QUERY_STRING"] = query
    environ["RAW_URI"] = environ["REQUEST_URI"] = target
    environ["SERVER_PROTOCOL"] = _PROTOCOLS.get(version) or f"HTTP/{version[0]}.{version[1]}"
    environ["wsgi.input"] = wsgi_input

    for name, value in headers:
        if "_" in name:
            # "X_Forwarded_For" and "X-Forwarded-For" would land on the same
            # key; a client could spoof a header a proxy set. nginx drops such
            # names by default, gunicorn since 22.0: so do we.
            continue
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE" or key == "CONTENT_LENGTH":
            # CGI names, without the HTTP_ prefix (PEP 3333 / RFC 3875 §4.1).
            if key in environ:
                environ[key] = f"{environ[key]},{value}"
            else:
                environ[key] = value
            continue
        key = "HTTP_" + key
        prev = environ.get(key)
        if prev is None:
            environ[key] = value
        elif key == _COOKIE_KEY:
            environ[key] = f"{prev}; {value}"
        else:
            environ[key] = f"{prev}, {value}"
    if "CONTENT_LENGTH" not in environ:
        # wsgi.input ends exactly at the end of the body, so an application may
        # read a chunked body to EOF (gunicorn#1653, waitress#179). With a
        # Content-Length the key is left out: applications then read
        # CONTENT_LENGTH bytes with sized reads, as PEP 3333 describes (Werkzeug
        # switches to unsized read() when it sees the key, which
        # wsgiref.validate rejects).
        environ["wsgi.input_terminated"] = True
    return environ


def build_environ(
    *,
    method: str,
    target: str,
    version: tuple[int, int],
    headers: Iterable[tuple[str, str]],
    wsgi_input: object,
    peername: object = None,
    sockname: object = None,
    url_scheme: str = "http",
    script_name: str = "",
    multithread: bool = True,
    multiprocess: bool = False,
    file_wrapper: object = None,
    errors: object = None,
) -> dict[str, object]:
    """Build a PEP 3333 environ for one request.

    :param target: the request-target as received, as a native (latin-1) string.
    :param headers: ``(name, value)`` pairs as native (latin-1) strings, in order.
    :param peername: the transport's ``peername`` (``(host, port, ...)`` or a path).
    :param sockname: the transport's ``sockname``.
    :param script_name: where the application is mounted, without a trailing ``/``.
    """
    base = environ_base(
        peername=peername,
        sockname=sockname,
        url_scheme=url_scheme,
        script_name=script_name,
        multithread=multithread,
        multiprocess=multiprocess,
        file_wrapper=file_wrapper,
        errors=errors,
    )
    return request_environ(
        base, method=method, target=target, version=version, headers=headers, wsgi_input=wsgi_input
    )
