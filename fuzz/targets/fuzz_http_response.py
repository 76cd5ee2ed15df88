"""Fuzz target: one HTTP/1.x response and its body (strict or lax, any framing, gzip/deflate).

Oracle: only ``BadHttpMessage`` (subclasses included) or ``EofStream`` at a
truncated head may escape; decompressed output stays under the limit; the
parsed message and body do not depend on how the bytes were split.
"""

from __future__ import annotations

import sys

import atheris
from _harness import Out, instrument, run, split

from aiohttp_errors import BadHttpMessage
from aiohttp_parsers import HttpPayloadParser, HttpResponseParser, ParserBuffer
from aiohttp_streams import EofStream

_MAX_OUT = 4096


def outcome(data: bytes, step: int, lax: bool, readall: bool) -> tuple[object, bytes, str]:
    buf = ParserBuffer()
    pieces = iter(split(data, step))
    head: Out[object] = Out()
    parser = HttpResponseParser(max_line_size=256, max_headers=8, max_field_size=128, lax=lax)
    try:
        assert run(parser(head, buf), buf, pieces, eof=True), "parser ignored EOF"
    except (BadHttpMessage, EofStream) as exc:
        return None, b"", type(exc).__name__
    assert head.eof and len(head.items) == 1
    msg = head.items[0]
    body: Out[bytes] = Out()
    payload = HttpPayloadParser(
        msg, readall=readall, lax=lax, max_line_size=128, max_decompressed_size=_MAX_OUT
    )
    try:
        assert run(payload(body, buf), buf, pieces, eof=True), "payload ignored EOF"
    except (BadHttpMessage, EofStream) as exc:
        end = type(exc).__name__
    else:
        assert body.eof
        end = "ok"
    got = b"".join(body.items)
    assert len(got) <= max(_MAX_OUT, len(data)), len(got)
    return msg, got if end == "ok" else b"", end


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    if not data:
        return
    flags, rest = data[0], data[1:]
    lax, readall, step = bool(flags & 1), bool(flags & 2), (flags >> 2) % 7 + 1
    whole = outcome(rest, 0, lax, readall)
    pieces = outcome(rest, step, lax, readall)
    assert whole == pieces, (whole, pieces)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
