"""User code against the aiohttp pieces; must pass ``mypy --strict``."""

from __future__ import annotations

import asyncio

import aiohttp_errors
import aiohttp_streams
from aiohttp import errors, helpers, signals
from aiohttp.helpers import BasicAuth, CookieJar, Timeout


def status_of(exc: Exception) -> int:
    if isinstance(exc, aiohttp_errors.HttpProcessingError):
        return exc.code
    return 500


def describe(err: errors.LineTooLong) -> str:
    return f"{err.code}: {err.message}"


async def read_lines(reader: aiohttp_streams.StreamReader) -> list[bytes]:
    lines = []
    async for line in reader:
        lines.append(line)
    return lines


async def fetch_all() -> list[bytes]:
    reader = aiohttp_streams.StreamReader()
    reader.feed_data(b"a\nb\n")
    reader.feed_eof()
    async with Timeout(1.0):
        return await read_lines(reader)


def auth_header(login: str, password: str) -> str:
    return BasicAuth(login, password).encode()


def session_cookies(jar: CookieJar, url: str) -> dict[str, str]:
    return {name: morsel.value for name, morsel in jar.filter_cookies(url).items()}


class App:
    debug = False

    def __init__(self) -> None:
        self.on_pre_signal = signals.PreSignal()
        self.on_post_signal = signals.PostSignal()
        self.on_startup: signals.Signal[[App]] = signals.Signal(self)


async def start(app: App) -> None:
    async def receiver(a: App) -> None:
        pass

    app.on_startup.append(receiver)
    await app.on_startup.send(app)


def make_future() -> asyncio.Future[int]:
    return helpers.create_future()


if __name__ == "__main__":
    print(asyncio.run(fetch_all()))
