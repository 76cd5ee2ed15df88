"""Streaming multipart reader and writer of aiohttp's 2016 `aiohttp.multipart` module."""

from .__about__ import __version__ as __version__

__all__ = ("__version__",)
