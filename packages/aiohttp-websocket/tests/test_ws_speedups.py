"""The switch between pure-Python modules and their mypyc twins (_speedups).

In a wheel built with HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 the twins are used;
these tests check that they decode exactly what the pure modules decode and
that AIOHTTP_NO_EXTENSIONS forces pure Python. With AIOHTTP_EXPECT_COMPILED=1
(set by a CI job that installed the compiled wheel) they also check that the
twins really are in use, so that job cannot silently test pure Python.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import aiohttp_websocket
from aiohttp_parsers import ParserBuffer
from aiohttp_websocket import WSMessage, _speedups
from aiohttp_websocket._frames import encode_frame
from aiohttp_websocket._mask import mask_range as pure_mask_range, websocket_mask as pure_mask
from aiohttp_websocket._parser import WebSocketParser as pure_parser


class _Collect:
    def __init__(self) -> None:
        self.items: list[WSMessage] = []

    def feed_data(self, data: WSMessage, size: int, /) -> None:
        self.items.append(data)


def _parse(parser: object, chunks: list[bytes]) -> list[WSMessage]:
    out = _Collect()
    gen = parser(out, ParserBuffer(), masked=True)  # type: ignore[operator]  # either build
    next(gen)
    for chunk in chunks:
        gen.send(chunk)
    return out.items


def test_public_names_go_through_the_switch() -> None:
    assert aiohttp_websocket.WebSocketParser is _speedups.WebSocketParser


def test_compiled_build_is_in_use_when_expected() -> None:
    if os.environ.get("AIOHTTP_EXPECT_COMPILED") != "1":
        pytest.skip("AIOHTTP_EXPECT_COMPILED=1 is set only for the compiled wheel")
    assert _speedups.COMPILED
    assert not _speedups.NO_EXTENSIONS


def test_no_extensions_forces_pure_python() -> None:
    code = "import aiohttp_websocket._speedups as s; print(s.COMPILED, s.NO_EXTENSIONS)"
    env = {**os.environ, "AIOHTTP_NO_EXTENSIONS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=4, max_size=4), st.binary(max_size=3000))
def test_mask_same_as_pure(key: bytes, data: bytes) -> None:
    assert _speedups.websocket_mask(key, data) == pure_mask(key, data)


@settings(max_examples=50, deadline=None)
@given(
    st.binary(min_size=4, max_size=4),
    st.binary(max_size=3000),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=20),
)
def test_word_mask_same_as_pure(key: bytes, data: bytes, head: int, tail: int) -> None:
    # The compiled build's mask module, run interpreted here: it must agree
    # with _mask on every length and offset (word loop and byte tail).
    wordmask = pytest.importorskip("aiohttp_websocket._wordmask")
    start, end = min(head, len(data)), max(min(head, len(data)), len(data) - tail)
    assert wordmask.mask_range(key, data, start, end) == pure_mask(key, data[start:end])
    assert pure_mask_range(key, data, start, end) == pure_mask(key, data[start:end])
    assert wordmask.websocket_mask(key, bytearray(data)) == pure_mask(key, data)
    assert wordmask.websocket_mask(key, memoryview(data)) == pure_mask(key, data)


def test_masks_reject_a_key_that_is_not_4_bytes() -> None:
    wordmask = pytest.importorskip("aiohttp_websocket._wordmask")
    for mask in (pure_mask, wordmask.websocket_mask, _speedups.websocket_mask):
        with pytest.raises(ValueError, match="4 bytes, got 3"):
            mask(b"abc", b"data")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=300).map(lambda t: (0x1, t.encode())),
            st.binary(max_size=70_000).map(lambda b: (0x2, b)),
        ),
        max_size=6,
    ),
    st.integers(min_value=1, max_value=70_000),
)
def test_parser_same_as_pure(frames: list[tuple[int, bytes]], piece: int) -> None:
    stream = b"".join(encode_frame(op, data, mask=b"\x01\x02\x03\x04") for op, data in frames)
    chunks = [stream[i : i + piece] for i in range(0, len(stream), piece)]
    assert _parse(_speedups.WebSocketParser, chunks) == _parse(pure_parser, chunks)
