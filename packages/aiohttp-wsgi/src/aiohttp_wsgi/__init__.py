"""The asyncio HTTP server protocol and PEP 3333 WSGI server of aiohttp's 2016 `aiohttp.server` and `aiohttp.wsgi` modules."""

from .__about__ import __version__ as __version__

__all__ = ("__version__",)
