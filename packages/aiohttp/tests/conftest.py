"""Fixtures shared by the meta-package's tests."""

from __future__ import annotations

import asyncio
import functools
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from aiohttp._demo_app import demo_app
from aiohttp._showcase import ShowcaseProtocol
from aiohttp_wsgi import serve_async


@pytest_asyncio.fixture
async def showcase_port(tmp_path: Path) -> AsyncIterator[int]:
    """The showcase server on 127.0.0.1 (uploads go to ``tmp_path``); its port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    sock.setblocking(False)
    stop = asyncio.Event()
    task = asyncio.ensure_future(
        serve_async(
            demo_app,
            sock=sock,
            stop=stop,
            handle_signals=False,
            protocol=functools.partial(ShowcaseProtocol, upload_dir=tmp_path),
            access_log=None,
        )
    )
    await asyncio.sleep(0.05)
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
