"""Drive parsers through the (out, buf) generator protocol, as users do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from aiohttp_parsers import (
    HttpPayloadParser,
    HttpRequestParser,
    HttpResponseParser,
    ParserBuffer,
    ParserGenerator,
    RawRequestMessage,
    RawResponseMessage,
)
from aiohttp_streams import EofStream

T = TypeVar("T")


class Out(Generic[T]):
    """A ParserOutput that collects items."""

    def __init__(self) -> None:
        self.items: list[T] = []
        self.eof = False

    def feed_data(self, data: T, size: int) -> None:
        assert not self.eof, "feed_data after feed_eof"
        self.items.append(data)

    def feed_eof(self) -> None:
        self.eof = True


def run(gen: ParserGenerator, feed: Iterator[bytes], *, eof: bool = False) -> bool:
    """Prime ``gen`` and send pieces from ``feed`` until it returns.

    Returns whether it finished.  When ``feed`` runs dry: with ``eof``,
    ``EofStream`` is thrown in as ``StreamParser.feed_eof`` does (escaping
    errors propagate), else the generator is left waiting.
    """
    try:
        next(gen)
        for piece in feed:
            gen.send(piece)
        if eof:
            gen.throw(EofStream())
    except StopIteration:
        return True
    return False


def split(data: bytes, *points: int) -> Iterator[bytes]:
    cuts = [0, *points, len(data)]
    return iter([data[a:b] for a, b in zip(cuts, cuts[1:], strict=False)])


def parse_requests(
    feed: Iterator[bytes], parser: HttpRequestParser | None = None
) -> list[tuple[RawRequestMessage, bytes]]:
    """Parse pipelined requests and their bodies until input runs out."""
    buf = ParserBuffer()
    parser = parser or HttpRequestParser()
    results: list[tuple[RawRequestMessage, bytes]] = []
    while True:
        head: Out[RawRequestMessage] = Out()
        if not run(parser(head, buf), feed):
            assert not buf, f"unparsed input left: {bytes(buf)!r}"
            return results
        assert head.eof and len(head.items) == 1
        msg = head.items[0]
        body: Out[bytes] = Out()
        assert run(HttpPayloadParser(msg)(body, buf), feed), "body incomplete"
        assert body.eof
        results.append((msg, b"".join(body.items)))


def parse_response(
    feed: Iterator[bytes],
    *,
    lax: bool = False,
    readall: bool = True,
    response_with_body: bool = True,
) -> tuple[RawResponseMessage, bytes]:
    """Parse one response and its body; EOF is signalled when input runs out."""
    buf = ParserBuffer()
    head: Out[RawResponseMessage] = Out()
    assert run(HttpResponseParser(lax=lax)(head, buf), feed)
    msg = head.items[0]
    body: Out[bytes] = Out()
    parser = HttpPayloadParser(msg, readall=readall, response_with_body=response_with_body, lax=lax)
    assert run(parser(body, buf), feed, eof=True)
    assert body.eof
    return msg, b"".join(body.items)
