"""Asyncio byte streams and data queues of aiohttp's 2016 `aiohttp.streams` module."""

from .__about__ import __version__ as __version__

__all__ = ("__version__",)
