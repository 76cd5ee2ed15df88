"""ParserBuffer, LinesParser and ChunksParser driven as users drive them."""

from __future__ import annotations

from collections.abc import Generator

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_errors import LineLimitExceededParserError
from aiohttp_parsers import (
    ChunksParser,
    LinesParser,
    Parser,
    ParserBuffer,
    ParserGenerator,
    ParserOutput,
)


class Out:
    """A minimal ParserOutput collecting what a parser emits."""

    def __init__(self) -> None:
        self.items: list[bytes] = []
        self.eof = False

    def feed_data(self, data: bytes, size: int) -> None:
        assert size == len(data)
        self.items.append(data)

    def feed_eof(self) -> None:
        self.eof = True


def drive(gen: Generator[None, bytes, object], pieces: list[bytes]) -> object:
    """Prime ``gen`` and send ``pieces`` until it returns; return its value."""
    try:
        next(gen)
        for piece in pieces:
            gen.send(piece)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("generator still waiting")


def pending(gen: Generator[None, bytes, object], pieces: list[bytes]) -> None:
    """Prime ``gen`` and send ``pieces``; it must still be waiting after."""
    next(gen)
    for piece in pieces:
        gen.send(piece)


def test_read_waits_for_size() -> None:
    buf = ParserBuffer()
    assert drive(buf.read(5), [b"ab", b"cdefg"]) == b"abcde"
    assert bytes(buf) == b"fg"
    assert len(buf) == 2


def test_read_returns_at_once_when_buffered() -> None:
    buf = ParserBuffer(b"hello world")
    assert drive(buf.read(5), []) == b"hello"
    assert drive(buf.read(6), []) == b" world"
    assert len(buf) == 0


def test_readsome() -> None:
    buf = ParserBuffer()
    assert drive(buf.readsome(), [b"abc"]) == b"abc"
    assert drive(buf.readsome(2), [b"xyz"]) == b"xy"
    assert drive(buf.readsome(), []) == b"z"
    assert drive(buf.readsome(10), [b"", b"12"]) == b"12"


def test_readsome_returns_bytes() -> None:
    buf = ParserBuffer(b"abc")
    data = drive(buf.readsome(), [])
    assert type(data) is bytes


def test_readuntil() -> None:
    buf = ParserBuffer()
    assert drive(buf.readuntil(b"\r\n"), [b"line1", b"\r", b"\nline2\r\n"]) == b"line1\r\n"
    assert drive(buf.readuntil(b"\r\n"), []) == b"line2\r\n"


def test_readuntil_limit_at_and_past() -> None:
    buf = ParserBuffer(b"12345\n")
    assert drive(buf.readuntil(b"\n", 6), []) == b"12345\n"
    buf = ParserBuffer(b"123456\n")
    with pytest.raises(LineLimitExceededParserError) as info:
        drive(buf.readuntil(b"\n", 6), [])
    assert info.value.limit == 6


def test_readuntil_limit_does_not_depend_on_split() -> None:
    # Without the stop sequence, ``limit`` buffered bytes are already too many.
    buf = ParserBuffer()
    gen = buf.readuntil(b"\n", 4)
    next(gen)
    gen.send(b"123")
    with pytest.raises(LineLimitExceededParserError):
        gen.send(b"4")


def test_wait_and_waituntil_do_not_consume() -> None:
    buf = ParserBuffer()
    assert drive(buf.wait(3), [b"ab", b"cd"]) == b"abc"
    assert drive(buf.waituntil(b"c"), []) == b"abc"
    assert bytes(buf) == b"abcd"
    with pytest.raises(LineLimitExceededParserError):
        drive(buf.waituntil(b"d", 3), [])


def test_skip_and_skipuntil() -> None:
    buf = ParserBuffer()
    assert drive(buf.skip(3), [b"ab", b"cde"]) is None
    assert bytes(buf) == b"de"
    assert drive(buf.skipuntil(b"\r\n"), [b"xx\r", b"\nrest"]) is None
    assert bytes(buf) == b"rest"


def test_skipuntil_keeps_little() -> None:
    buf = ParserBuffer()
    gen = buf.skipuntil(b"END")
    pending(gen, [b"x" * 1000, b"yyyyE"])
    assert len(buf) <= 2  # only a possible start of b"END"
    with pytest.raises(StopIteration):
        gen.send(b"ND!")
    assert bytes(buf) == b"!"


def test_buffer_size_limit() -> None:
    buf = ParserBuffer(limit=8)
    buf.feed_data(b"12345678")
    with pytest.raises(LineLimitExceededParserError):
        buf.feed_data(b"9")
    buf = ParserBuffer(limit=4)
    with pytest.raises(LineLimitExceededParserError):
        drive(buf.readsome(), [b"12345"])


def test_exception_is_raised_by_reads_and_feeds() -> None:
    buf = ParserBuffer(b"abc")
    exc = ValueError("boom")
    buf.set_exception(exc)
    assert buf.exception() is exc
    with pytest.raises(ValueError):
        drive(buf.read(1), [])
    with pytest.raises(ValueError):
        buf.feed_data(b"x")
    buf.extend(b"d")  # extend bypasses the check, as in 2016
    assert bytes(buf) == b"abcd"


def test_lines_parser() -> None:
    out = Out()
    buf = ParserBuffer()
    gen = LinesParser()(out, buf)
    pending(gen, [b"one\ntw", b"o\nthree"])
    assert out.items == [b"one\n", b"two\n"]
    assert bytes(buf) == b"three"


def test_lines_parser_limit() -> None:
    gen = LinesParser(limit=4)(Out(), ParserBuffer())
    next(gen)
    with pytest.raises(LineLimitExceededParserError):
        gen.send(b"12345\n")


def test_chunks_parser() -> None:
    out = Out()
    gen = ChunksParser(3)(out, ParserBuffer())
    pending(gen, [b"abcd", b"efghi", b"j"])
    assert out.items == [b"abc", b"def", b"ghi"]


def test_user_parser_is_typed_with_aliases() -> None:
    def words(out: ParserOutput[bytes], buf: ParserBuffer) -> ParserGenerator:
        while True:
            word = yield from buf.readuntil(b" ")
            out.feed_data(word[:-1], len(word) - 1)

    parser: Parser[bytes] = words
    out = Out()
    pending(parser(out, ParserBuffer()), [b"a bb c", b"cc "])
    assert out.items == [b"a", b"bb", b"ccc"]


@settings(max_examples=50, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=20).map(lambda b: b.replace(b"\n", b"") + b"\n"), max_size=8),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=6),
)
def test_lines_any_split(lines: list[bytes], cuts: list[int]) -> None:
    data = b"".join(lines)
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    pieces = [data[a:b] for a, b in zip(points, points[1:], strict=False)]
    out = Out()
    gen = LinesParser()(out, ParserBuffer())
    pending(gen, pieces)
    assert out.items == lines
