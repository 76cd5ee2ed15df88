"""Fuzz target: WebSocket frames (WebSocketParser, masked/unmasked/either, small message limit).

Oracle: only ``WebSocketError`` escapes, with a close code from ``WSCloseCode``;
messages and the error do not depend on how the bytes were split.
"""

from __future__ import annotations

import sys

import atheris
from _harness import Out, instrument, split

from aiohttp_parsers import ParserBuffer
from aiohttp_websocket import WebSocketError, WebSocketParser, WSCloseCode


def outcome(data: bytes, step: int, masked: bool | None) -> tuple[list[object], object]:
    out: Out[object] = Out()
    gen = WebSocketParser(out, ParserBuffer(), max_msg_size=512, masked=masked)
    next(gen)
    try:
        for piece in split(data, step):
            gen.send(piece)
    except WebSocketError as exc:
        assert isinstance(exc.code, WSCloseCode), exc.code
        return [(m[0], m[1], m[2]) for m in out.items], (exc.code, str(exc))  # type: ignore[index]
    except StopIteration:
        raise AssertionError("the frame parser never ends by itself") from None
    return [(m[0], m[1], m[2]) for m in out.items], None  # type: ignore[index]


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    if not data:
        return
    flags, rest = data[0], data[1:]
    masked = (None, True, False)[flags % 3]
    step = (flags >> 2) % 9 + 1
    whole = outcome(rest, 0, masked)
    pieces = outcome(rest, step, masked)
    assert whole == pieces, (whole, pieces)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
