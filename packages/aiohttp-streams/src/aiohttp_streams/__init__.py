"""Asyncio byte streams and data queues of aiohttp's 2016 ``aiohttp.streams`` module."""

__all__ = (
    "__version__",
    "EOF_MARKER",
    "DEFAULT_LIMIT",
    "EofStream",
    "StreamReader",
    "EmptyStreamReader",
    "FlowControlStreamReader",
    "DataQueue",
    "ChunksQueue",
    "FlowControlDataQueue",
    "FlowControlChunksQueue",
    "FlowControlTarget",
)

from .__about__ import __version__ as __version__
from ._common import (
    DEFAULT_LIMIT as DEFAULT_LIMIT,
    EOF_MARKER as EOF_MARKER,
    EofStream as EofStream,
)
from ._flow import FlowControlTarget as FlowControlTarget
from ._queue import (
    ChunksQueue as ChunksQueue,
    DataQueue as DataQueue,
    FlowControlChunksQueue as FlowControlChunksQueue,
    FlowControlDataQueue as FlowControlDataQueue,
)

# The readers come through the switch: the mypyc twin when built, else pure.
from ._speedups import (
    EmptyStreamReader as EmptyStreamReader,
    FlowControlStreamReader as FlowControlStreamReader,
    StreamReader as StreamReader,
)
