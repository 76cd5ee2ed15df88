"""The 2016 ``aiohttp.streams`` module, from aiohttp-streams."""

__all__ = (
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

from aiohttp_streams import (
    DEFAULT_LIMIT as DEFAULT_LIMIT,
    EOF_MARKER as EOF_MARKER,
    ChunksQueue as ChunksQueue,
    DataQueue as DataQueue,
    EmptyStreamReader as EmptyStreamReader,
    EofStream as EofStream,
    FlowControlChunksQueue as FlowControlChunksQueue,
    FlowControlDataQueue as FlowControlDataQueue,
    FlowControlStreamReader as FlowControlStreamReader,
    FlowControlTarget as FlowControlTarget,
    StreamReader as StreamReader,
)
