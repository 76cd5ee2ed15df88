"""The switch between pure-Python modules and their mypyc twins (_speedups).

In a wheel built with HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 the twins of the
boundary tail check, the part-header parser and the Content-Disposition
parser are used; these tests check that they give exactly what the pure
modules give and that AIOHTTP_NO_EXTENSIONS forces pure Python. With
AIOHTTP_EXPECT_COMPILED=1 (set by the CI job that installs the compiled
wheels) the twins must really be in use.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest
from hypothesis import given, settings, strategies as st

import aiohttp_multipart
from aiohttp_multipart import _reader, _speedups
from aiohttp_multipart._boundary import safe_len as pure_safe_len
from aiohttp_multipart._disposition import (
    parse_content_disposition as pure_disposition,
    parse_content_type as pure_content_type,
)
from aiohttp_multipart._headers import parse_buffered_headers as pure_headers


def test_the_readers_go_through_the_switch() -> None:
    # The public functions stay the pure ones (mypyc drops docstrings); the
    # readers, where the time goes, use whichever the switch picked.
    used = vars(_reader)
    for name in (
        "parse_content_disposition",
        "parse_buffered_headers",
        "parse_form_headers",
        "safe_len",
    ):
        assert used[name] is getattr(_speedups, name)
    assert aiohttp_multipart.parse_content_disposition is pure_disposition


def test_compiled_build_is_in_use_when_expected() -> None:
    if os.environ.get("AIOHTTP_EXPECT_COMPILED") != "1":
        pytest.skip("AIOHTTP_EXPECT_COMPILED=1 is set only for the compiled wheel")
    assert _speedups.COMPILED
    assert not _speedups.NO_EXTENSIONS


def test_no_extensions_forces_pure_python() -> None:
    code = "import aiohttp_multipart._speedups as s; print(s.COMPILED, s.NO_EXTENSIONS)"
    env = {**os.environ, "AIOHTTP_NO_EXTENSIONS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]


_DELIM = b"\r\n--boundary"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40).map(lambda b: b.replace(_DELIM, b"")), st.integers(0, len(_DELIM)))
def test_boundary_tail_same_as_pure(body: bytes, cut: int) -> None:
    buf = body + _DELIM[:cut]  # maybe ending with a real prefix of the delimiter
    if _DELIM in buf:
        return
    assert _speedups.safe_len(buf, _DELIM) == pure_safe_len(buf, _DELIM)


_HEADER_LINE = st.one_of(
    st.sampled_from(
        [
            b'Content-Disposition: form-data; name="a"; filename="b.txt"',
            b"Content-Type: text/plain; charset=utf-8",
            b" folded",
            b"X-Bad Name: 1",
            b"X-Nul: \x00",
        ]
    ),
    st.binary(max_size=60).filter(lambda b: b"\r\n" not in b),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_HEADER_LINE, max_size=5), st.integers(1, 40))
def test_part_headers_same_as_pure(lines: list[bytes], max_count: int) -> None:
    block = b"\r\n".join(lines) + b"\r\n\r\nbody"

    def run(parse: object) -> object:
        buf = bytearray(block)
        try:
            headers = parse(buf, max_size=8190, max_count=max_count)  # type: ignore[operator]  # either build
        except Exception as exc:  # the same class and message from both builds
            return (type(exc), str(exc))
        return (None if headers is None else list(headers.items()), bytes(buf))

    assert run(_speedups.parse_buffered_headers) == run(pure_headers)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_disposition_and_content_type_same_as_pure(header: str) -> None:
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        got = _speedups.parse_content_disposition(header)
    with warnings.catch_warnings(record=True) as pure:
        warnings.simplefilter("always")
        want = pure_disposition(header)
    assert got == want
    assert [(w.category, str(w.message)) for w in ours] == [
        (w.category, str(w.message)) for w in pure
    ]
    assert _speedups.parse_content_type(header) == pure_content_type(header)
