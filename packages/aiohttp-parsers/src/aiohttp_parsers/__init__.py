"""The generator-based stream parser framework and HTTP/1.x protocol of aiohttp's 2016 `aiohttp.parsers`, `aiohttp.protocol` and `aiohttp.hdrs` modules."""

from .__about__ import __version__ as __version__

__all__ = ("__version__",)
