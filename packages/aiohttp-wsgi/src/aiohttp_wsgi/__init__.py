"""The asyncio HTTP server protocol and PEP 3333 WSGI server.

aiohttp's 2016 ``aiohttp.server`` and ``aiohttp.wsgi`` modules, the 2016
``aiohttp.log`` loggers, and a command line: ``python -m aiohttp_wsgi module:app``.
"""

__all__ = (
    "__version__",
    # aiohttp.server
    "ServerHttpProtocol",
    "RESPONSES",
    "DEFAULT_ERROR_MESSAGE",
    # aiohttp.helpers
    "AccessLogger",
    # aiohttp.wsgi
    "WSGIServerHttpProtocol",
    "WsgiResponse",
    "FileWrapper",
    # serving
    "WorkerPool",
    "serve",
    "serve_async",
    "load_app",
    # aiohttp.log
    "access_logger",
    "client_logger",
    "internal_logger",
    "server_logger",
    "web_logger",
    "ws_logger",
)

from .__about__ import __version__ as __version__
from ._access_log import AccessLogger as AccessLogger
from ._cli import load_app as load_app
from ._file_wrapper import FileWrapper as FileWrapper
from ._log import (
    access_logger as access_logger,
    client_logger as client_logger,
    internal_logger as internal_logger,
    server_logger as server_logger,
    web_logger as web_logger,
    ws_logger as ws_logger,
)
from ._pool import WorkerPool as WorkerPool
from ._serve import serve as serve, serve_async as serve_async
from ._server import (
    DEFAULT_ERROR_MESSAGE as DEFAULT_ERROR_MESSAGE,
    RESPONSES as RESPONSES,
    ServerHttpProtocol as ServerHttpProtocol,
)
from ._wsgi import WsgiResponse as WsgiResponse, WSGIServerHttpProtocol as WSGIServerHttpProtocol
