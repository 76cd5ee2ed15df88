"""Shared pieces of the fuzz targets: drive a 2016 ``(out, buf)`` parser generator.

Strategy: every target turns one fuzzer input into a call of a public parser
and lets exactly the documented exceptions through; anything else escapes,
which atheris reports as a crash (and ``fuzz/run.py`` as a failure).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Generic, TypeVar

from aiohttp_parsers import ParserBuffer, ParserGenerator
from aiohttp_streams import EofStream

T = TypeVar("T")


def instrument() -> None:
    """Instrument our packages for coverage feedback (called after imports).

    The packages are installed editable (a custom import loader), which
    ``atheris.instrument_imports`` does not see through; instrumenting the
    loaded functions of our modules directly does.
    """
    import atheris

    for name, module in list(sys.modules.items()):
        if name.split(".")[0].startswith("aiohttp") or name in ("multidict", "yarl"):
            for obj in vars(module).values():
                _instrument(atheris, obj, module.__name__)


def _instrument(atheris: object, obj: object, modname: str) -> None:
    import inspect

    if inspect.isfunction(obj) and obj.__module__ == modname:
        atheris.instrument_func(obj)  # type: ignore[attr-defined]
    elif inspect.isclass(obj) and obj.__module__ == modname:
        for attr in vars(obj).values():
            func = getattr(attr, "__func__", attr)
            if inspect.isfunction(func):
                atheris.instrument_func(func)  # type: ignore[attr-defined]


class Out(Generic[T]):
    """A ParserOutput that collects items (as ``DataQueue`` would)."""

    def __init__(self) -> None:
        self.items: list[T] = []
        self.eof = False

    def feed_data(self, data: T, size: int) -> None:
        assert not self.eof, "feed_data after feed_eof"
        self.items.append(data)

    def feed_eof(self) -> None:
        self.eof = True


def run(gen: ParserGenerator, buf: ParserBuffer, pieces: Iterable[bytes], *, eof: bool) -> bool:
    """Prime ``gen``, send it ``pieces``; at the end throw ``EofStream`` if ``eof``
    (after a ``b""`` when bytes are buffered, as ``StreamParser.feed_eof`` does).

    Returns whether the generator finished; exceptions escape.
    """
    try:
        next(gen)
        for piece in pieces:
            gen.send(piece)
        if eof:
            if buf:
                gen.send(b"")
            gen.throw(EofStream())
    except StopIteration:
        return True
    return False


def split(data: bytes, step: int) -> list[bytes]:
    """``data`` in pieces of ``step`` bytes (``step`` 0: one piece)."""
    if step <= 0 or not data:
        return [data]
    return [data[i : i + step] for i in range(0, len(data), step)]
