"""Fuzz target: pipelined HTTP/1.x requests (HttpRequestParser + HttpPayloadParser).

Oracle: only ``BadHttpMessage`` (and its subclasses) or ``EofStream`` at a
truncated end may escape, and the outcome (messages, bodies, error class) is
the same whether the bytes arrive whole or in small pieces.
"""

from __future__ import annotations

import sys

import atheris
from _harness import Out, instrument, run, split

from aiohttp_errors import BadHttpMessage
from aiohttp_parsers import HttpPayloadParser, HttpRequestParser, ParserBuffer
from aiohttp_streams import EofStream


def outcome(data: bytes, step: int) -> tuple[list[object], str]:
    buf = ParserBuffer()
    pieces = iter(split(data, step))
    got: list[object] = []
    parser = HttpRequestParser(max_line_size=256, max_headers=8, max_field_size=128)
    try:
        for _ in range(64):
            head: Out[object] = Out()
            # At the end of input the parser gets EofStream; between messages
            # it lets it through (a clean end), inside one it may too.
            assert run(parser(head, buf), buf, pieces, eof=True), "parser ignored EOF"
            assert head.eof and len(head.items) == 1, head.items
            msg = head.items[0]
            body: Out[bytes] = Out()
            payload = HttpPayloadParser(msg, max_line_size=128, max_decompressed_size=4096)
            assert run(payload(body, buf), buf, pieces, eof=True), "payload ignored EOF"
            assert body.eof
            got.append((msg, b"".join(body.items)))
    except BadHttpMessage as exc:
        return got, type(exc).__name__
    except EofStream:
        return got, "EofStream"
    return got, "many"


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    if not data:
        return
    step = data[0] % 7 + 1
    whole = outcome(data[1:], 0)
    pieces = outcome(data[1:], step)
    assert whole == pieces, (whole, pieces)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
