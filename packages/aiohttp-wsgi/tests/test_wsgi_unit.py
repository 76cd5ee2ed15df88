"""Unit tests of the pieces without I/O: environ, start_response, FileWrapper, AccessLogger."""

from __future__ import annotations

import io
import logging
import os
import re
import sys
import urllib.parse
from collections.abc import Mapping
from typing import NamedTuple

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_wsgi import AccessLogger, FileWrapper
from aiohttp_wsgi._environ import build_environ, environ_base, request_environ, split_target
from aiohttp_wsgi._start_response import StartResponseState


class Msg(NamedTuple):
    method: str
    path: str
    version: tuple[int, int]
    headers: Mapping[str, str]


class Resp(NamedTuple):
    status: int
    headers: Mapping[str, str]
    body_length: int
    output_length: int


class Transport:
    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": ("10.1.2.3", 5555)}.get(name, default)


def _env(
    target: str, headers: list[tuple[str, str]] | None = None, **kw: object
) -> dict[str, object]:
    return build_environ(
        method="GET",
        target=target,
        version=(1, 1),
        headers=headers or [],
        wsgi_input=io.BytesIO(),
        peername=("127.0.0.1", 4000),
        sockname=("127.0.0.1", 8080),
        **kw,  # type: ignore[arg-type]  # test helper forwards typed keywords
    )


def test_split_target_forms() -> None:
    assert split_target("/a/b?x=1&y") == ("/a/b", "x=1&y")
    assert split_target("/a") == ("/a", "")
    assert split_target("http://example.com:81/p/q?z") == ("/p/q", "z")
    assert split_target("http://example.com") == ("/", "")
    assert split_target("*") == ("*", "")


def test_environ_path_info_is_latin1_of_decoded_bytes() -> None:
    # "/caf%C3%A9" -> bytes b"/caf\xc3\xa9" -> latin-1 native string
    env = _env("/caf%C3%A9%2Fx?q=%20")
    assert env["PATH_INFO"] == "/caf\xc3\xa9/x"
    path_info = env["PATH_INFO"]
    assert isinstance(path_info, str)
    assert path_info.encode("latin-1").decode("utf-8") == "/café/x"
    assert env["QUERY_STRING"] == "q=%20"
    assert env["RAW_URI"] == "/caf%C3%A9%2Fx?q=%20"


def test_environ_script_name() -> None:
    env = _env("/app/x/y", script_name="/app/")
    assert env["SCRIPT_NAME"] == "/app"
    assert env["PATH_INFO"] == "/x/y"
    env = _env("/application", script_name="/app")
    assert env["SCRIPT_NAME"] == "/app"
    assert env["PATH_INFO"] == "/application"


def test_environ_headers() -> None:
    env = _env(
        "/",
        [
            ("Content-Type", "text/plain"),
            ("Content-Length", "3"),
            ("X-Multi", "a"),
            ("x-multi", "b"),
            ("Cookie", "a=1"),
            ("Cookie", "b=2"),
            ("X_Spoof", "evil"),
            ("Host", "example.com:8080"),
        ],
    )
    assert env["CONTENT_TYPE"] == "text/plain"
    assert env["CONTENT_LENGTH"] == "3"
    assert "HTTP_CONTENT_TYPE" not in env
    assert "HTTP_CONTENT_LENGTH" not in env
    assert env["HTTP_X_MULTI"] == "a, b"
    assert env["HTTP_COOKIE"] == "a=1; b=2"
    assert "HTTP_X_SPOOF" not in env
    assert env["HTTP_HOST"] == "example.com:8080"
    assert env["SERVER_NAME"] == "127.0.0.1"
    assert env["SERVER_PORT"] == "8080"
    assert env["REMOTE_ADDR"] == "127.0.0.1"
    assert env["REMOTE_PORT"] == "4000"
    assert env["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert env["wsgi.version"] == (1, 0)
    assert env["wsgi.url_scheme"] == "http"
    assert "wsgi.input_terminated" not in env  # it has a Content-Length
    assert _env("/")["wsgi.input_terminated"] is True
    assert env["wsgi.errors"] is sys.stderr


def test_environ_https_and_unix_peer() -> None:
    env = build_environ(
        method="GET",
        target="/",
        version=(1, 0),
        headers=[],
        wsgi_input=io.BytesIO(),
        peername="",
        sockname="/tmp/sock",
        url_scheme="https",
    )
    assert env["wsgi.url_scheme"] == "https"
    assert env["SERVER_PORT"] == "443"
    assert env["REMOTE_ADDR"] == ""


def test_start_response_rules() -> None:
    written: list[bytes] = []
    sr = StartResponseState(written.append)
    write = sr("200 OK", [("Content-Type", "text/plain"), ("Connection", "close")])
    write(b"x")
    assert written == [b"x"]
    assert sr.status_code == 200 and sr.reason == "OK"
    assert sr.headers == [("Content-Type", "text/plain")]
    assert sr.close is True
    # second call without exc_info is an error
    with pytest.raises(AssertionError):
        sr("500 Oops", [])
    # with exc_info and headers not sent: replaces status
    try:
        raise KeyError("boom")
    except KeyError:
        sr("500 Internal Server Error", [], sys.exc_info())
    assert sr.status_code == 500
    # after headers were sent: re-raises the application's exception
    sr.headers_sent = True
    try:
        raise KeyError("late")
    except KeyError:
        with pytest.raises(KeyError, match="late"):
            sr("500 Internal Server Error", [], sys.exc_info())


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        ("200", []),  # valid: reason phrase may be empty
        ("200 \xc7a va", [("X-A", "caf\xe9")]),  # latin-1 text (PEP 3333)
    ],
)
def test_start_response_accepts(status: str, headers: list[tuple[str, str]]) -> None:
    StartResponseState(lambda b: None)(status, headers)


@pytest.mark.parametrize(
    ("status", "headers", "exc"),
    [
        ("20 OK", [], ValueError),
        ("200 OK\r\nX-Evil: 1", [], ValueError),
        ("200 OK", [("X-A", "a\r\nSet-Cookie: x")], ValueError),
        ("200 OK", [("Bad Name", "v")], ValueError),
        ("200 OK", [("X-A", "caf\u20ac")], ValueError),
        ("200 caf\u20ac", [], ValueError),  # not latin-1
        ("200 OK", [("X-A", b"v")], TypeError),
        ("200 OK", [["X-A", "v"]], TypeError),
    ],
)
def test_start_response_rejects(status: str, headers: list[object], exc: type[Exception]) -> None:
    with pytest.raises(exc):
        StartResponseState(lambda b: None)(status, headers)  # type: ignore[arg-type]  # deliberately wrong types


def test_file_wrapper() -> None:
    f = io.BytesIO(b"a" * 10)
    fw = FileWrapper(f, 4)
    assert list(fw) == [b"aaaa", b"aaaa", b"aa"]
    fw.close()
    assert f.closed
    with pytest.raises(ValueError):
        FileWrapper(io.BytesIO(), 0)


def _logged(fmt: str, caplog: pytest.LogCaptureFixture, **kw: object) -> str:
    logger = logging.getLogger("test.access")
    msg = Msg("GET", "/p?q", (1, 1), {"User-Agent": "curl/8", "Referer": "http://r/"})
    resp = Resp(201, {"Content-Type": "text/plain"}, 42, 100)
    with caplog.at_level(logging.INFO, logger="test.access"):
        caplog.clear()
        AccessLogger(logger, fmt).log(
            kw.get("message", msg),  # type: ignore[arg-type]  # test override
            {"FOO": "bar"},
            resp,
            Transport(),  # type: ignore[arg-type]  # duck-typed transport
            1.5,
        )
    assert len(caplog.records) == 1
    return caplog.records[0].getMessage()


def test_access_log_directives(caplog: pytest.LogCaptureFixture) -> None:
    line = _logged(
        '%a %t %P "%r" %s %b %O %T %Tf %D %{User-Agent}i %{Content-Type}o %{FOO}e '
        "%{NOPE}i %% %l %u %x",
        caplog,
    )
    m = re.fullmatch(
        r'10\.1\.2\.3 \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] <(\d+)> "GET /p\?q HTTP/1\.1" '
        r"201 42 100 2 1\.500000 1500000 curl/8 text/plain bar - % - - %x",
        line,
    )
    assert m is not None, line
    assert int(m.group(1)) == os.getpid()


def test_access_log_default_format(caplog: pytest.LogCaptureFixture) -> None:
    line = _logged(AccessLogger.LOG_FORMAT, caplog)
    assert line.startswith("10.1.2.3 - - [")
    assert line.endswith('"GET /p?q HTTP/1.1" 201 42 "http://r/" "curl/8"')


def test_access_log_escapes_peer_input(caplog: pytest.LogCaptureFixture) -> None:
    msg = Msg("GET", "/\x1b[31m", (1, 1), {"User-Agent": 'a"b\nc'})
    line = _logged('"%r" "%{User-Agent}i"', caplog, message=msg)
    assert line == '"GET /\\x1b[31m HTTP/1.1" "a\\"b\\x0ac"'


def test_access_log_no_message(caplog: pytest.LogCaptureFixture) -> None:
    assert _logged("%r %{User-Agent}i", caplog, message=None) == "- (no headers)"


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=60), query=st.text(alphabet="abc=&%20+", max_size=20))
def test_path_info_round_trips_any_bytes(raw: bytes, query: str) -> None:
    target = "/" + urllib.parse.quote_from_bytes(raw) + ("?" + query if query else "")
    env = _env(target)
    path_info = env["PATH_INFO"]
    assert isinstance(path_info, str)
    assert path_info.encode("latin-1") == b"/" + raw
    assert env["QUERY_STRING"] == query


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("/a%2F\u00e9\u20ac~;=?#2fF"), max_size=20))
def test_path_info_is_the_unquoted_latin1_path(path: str) -> None:
    target = "/" + path
    raw_path = split_target(target)[0]
    expected = urllib.parse.unquote_to_bytes(raw_path).decode("latin-1")
    assert _env(target)["PATH_INFO"] == expected


def test_request_environs_share_nothing_mutable_with_the_base() -> None:
    base = environ_base(peername=("10.0.0.1", 1), sockname=("10.0.0.2", 80), script_name="/m/")
    first = request_environ(
        base, method="GET", target="/m/a", version=(1, 0), headers=[("X-A", "1")], wsgi_input=None
    )
    second = request_environ(
        base, method="POST", target="/m/b?q", version=(1, 1), headers=[], wsgi_input=None
    )
    assert (first["SCRIPT_NAME"], first["PATH_INFO"], first["SERVER_PROTOCOL"]) == (
        "/m",
        "/a",
        "HTTP/1.0",
    )
    assert (second["PATH_INFO"], second["QUERY_STRING"], second["SERVER_PROTOCOL"]) == (
        "/b",
        "q",
        "HTTP/1.1",
    )
    assert "HTTP_X_A" not in second and "HTTP_X_A" not in base
    assert (second["REMOTE_ADDR"], second["SERVER_PORT"]) == ("10.0.0.1", "80")
