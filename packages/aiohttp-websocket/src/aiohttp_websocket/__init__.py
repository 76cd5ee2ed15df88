"""RFC 6455 WebSocket frames and handshake from aiohttp's 2016 API."""

from .__about__ import __version__ as __version__

__all__ = ("__version__",)
