"""Each marked line must be rejected by ``mypy --strict``."""

from __future__ import annotations

import aiohttp_errors
import aiohttp_streams
from aiohttp import signals
from aiohttp.helpers import BasicAuth, Timeout


def bad_calls(reader: aiohttp_streams.StreamReader) -> None:
    reader.feed_data("text, not bytes")  # E: arg-type
    BasicAuth(b"login")  # E: arg-type
    Timeout("1.5")  # E: arg-type
    aiohttp_errors.HttpProcessingError(code="400")  # E: arg-type
    aiohttp_errors.LineTooLong(8190, 10)  # E: arg-type


async def bad_awaits(reader: aiohttp_streams.StreamReader) -> None:
    line: str = await reader.readline()  # E: assignment
    reader.no_such_method()  # E: attr-defined


class App:
    debug = False
    on_pre_signal = signals.PreSignal()
    on_post_signal = signals.PostSignal()


async def bad_signal() -> None:
    sig: signals.Signal[[int]] = signals.Signal(App())
    await sig.send("not an int")  # E: arg-type
