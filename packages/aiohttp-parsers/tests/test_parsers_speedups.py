"""The switch between pure-Python modules and their mypyc twins (_speedups).

In a wheel built with HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 the twins are used;
these tests check that they parse exactly what the pure modules parse (the
same messages, or the same error class and message) and that
AIOHTTP_NO_EXTENSIONS forces pure Python. With AIOHTTP_EXPECT_COMPILED=1
(set by a CI job that installed the compiled wheel) they also check that the
twins really are in use, so that job cannot silently test pure Python.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_parsers import _chunked, _head, _http_parser, _payload, _speedups

_REQUEST = (
    b"GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"
    b"Cookie: a=b; c=d \r\nContent-Length: 0\r\n\r\n"
)
_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A:\t1\r\n\r\n"


class _Collect:
    def __init__(self) -> None:
        self.items: list[bytes] = []

    def feed_data(self, data: bytes, size: int, /) -> None:
        self.items.append(data)

    def feed_eof(self) -> None:
        pass


def _outcome(func: Callable[..., object], *args: object) -> object:
    """What ``func(*args)`` returns, or the class and text of what it raises."""
    try:
        return func(*args)
    except Exception as exc:
        return (type(exc), str(exc))


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (_http_parser, "parse_request_head"),
        (_http_parser, "parse_response_head"),
        (_http_parser, "parse_response_lines"),
        (_http_parser, "HeadScanner"),
        (_payload, "ChunkedDecoder"),
        (_payload, "body_framing"),
    ],
)
def test_adapters_go_through_the_switch(module: object, name: str) -> None:
    assert vars(module)[name] is vars(_speedups)[name]


def test_compiled_build_is_in_use_when_expected() -> None:
    if os.environ.get("AIOHTTP_EXPECT_COMPILED") != "1":
        pytest.skip("AIOHTTP_EXPECT_COMPILED=1 is set only for the compiled wheel")
    assert _speedups.COMPILED
    assert not _speedups.NO_EXTENSIONS
    assert _speedups.parse_request_head is not _head.parse_request_head
    assert _speedups.ChunkedDecoder is not _chunked.ChunkedDecoder


def test_no_extensions_forces_pure_python() -> None:
    code = (
        "import aiohttp_parsers._speedups as s, aiohttp_parsers._head as h; "
        "print(s.COMPILED, s.NO_EXTENSIONS, s.parse_request_head is h.parse_request_head)"
    )
    env = {**os.environ, "AIOHTTP_NO_EXTENSIONS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True", "True"]


# Mutations of valid heads: every byte position may be replaced by one of a
# few troublesome bytes, lines may be repeated (limits), so both the happy
# path and every error path are compared.
_NASTY = st.sampled_from(b" \t\r\n\x00:;\x7f\xff,aZ0")


@st.composite
def _mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 3))):
        data[draw(st.integers(0, len(data) - 1))] = draw(_NASTY)
    return bytes(data)


@settings(max_examples=150, deadline=None)
@given(
    data=st.one_of(_mutated(_REQUEST), _mutated(_RESPONSE)),
    limits=st.tuples(st.integers(4, 60), st.integers(0, 6), st.integers(4, 60)),
)
def test_head_parsers_same_as_pure(data: bytes, limits: tuple[int, int, int]) -> None:
    end = data.find(b"\r\n\r\n") + 4
    head = data[:end] if end >= 4 else data + b"\r\n\r\n"
    for fast, pure in (
        (_speedups.parse_request_head, _head.parse_request_head),
        (_speedups.parse_response_head, _head.parse_response_head),
    ):
        assert _outcome(fast, head, *limits) == _outcome(pure, head, *limits)
    outcomes = []
    for scanner in (_speedups.HeadScanner, _head.HeadScanner):
        whole = _outcome(scanner("request line", *limits).scan, data)
        assert whole == _outcome(_scan_growing, scanner("request line", *limits), data)
        outcomes.append(whole)  # the split never changes the outcome
    assert outcomes[0] == outcomes[1]


def _scan_growing(scanner: _head.HeadScanner, data: bytes) -> int:
    """Scan ``data`` as it would be buffered one byte at a time."""
    return [scanner.scan(data[:i]) for i in range(1, len(data) + 1)][-1]


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 300), max_size=6),
    ext=st.sampled_from([b"", b";a=b", b' ; q="x"', b"x", b" "]),
    trailer=st.sampled_from([b"", b"X-T: 1\r\n", b"bad\r\n", b"A: \x00\r\n"]),
    piece=st.integers(1, 400),
)
def test_chunked_decoder_same_as_pure(
    sizes: list[int], ext: bytes, trailer: bytes, piece: int
) -> None:
    body = b"".join(b"%x%b\r\n%b\r\n" % (n, ext, bytes([n % 256]) * n) for n in sizes)
    stream = body + b"0\r\n" + trailer + b"\r\nNEXT"

    def decode(cls: type[_chunked.ChunkedDecoder]) -> object:
        decoder = cls(64, 2, 64)
        out = _Collect()
        buf = b""
        for i in range(0, len(stream), piece):
            buf += stream[i : i + piece]
            buf = buf[decoder.decode(buf, 0, out) :]
            if decoder.done:
                break
        return b"".join(out.items), decoder.done, buf

    assert _outcome(decode, _speedups.ChunkedDecoder) == _outcome(decode, _chunked.ChunkedDecoder)
