"""Fuzz target: parse_mimetype (aiohttp_parsers) on any text.

Oracle: never raises; returns four lower-cased pieces and a dict of strings.
"""

from __future__ import annotations

import sys

import atheris
from _harness import instrument

from aiohttp_parsers import parse_mimetype


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    mtype, stype, suffix, params = parse_mimetype(text)
    for piece in (mtype, stype, suffix):
        assert isinstance(piece, str) and piece == piece.lower(), (text, piece)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    assert "+" not in stype, (text, stype)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
