"""Streaming multipart reader and writer of aiohttp's 2016 `aiohttp.multipart` module."""

__all__ = (
    "__version__",
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "BodyPartWriter",
    "ContentStream",
    "MultipartReader",
    "MultipartResponseWrapper",
    "MultipartWriter",
    "ResponseLike",
    "content_disposition_filename",
    "parse_content_disposition",
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_MAX_EPILOGUE_SIZE",
    "DEFAULT_MAX_LINE_SIZE",
    "DEFAULT_MAX_NESTING_DEPTH",
    "DEFAULT_MAX_PART_HEADER_SIZE",
    "DEFAULT_MAX_PART_HEADERS",
    "DEFAULT_MAX_PART_SIZE",
    "DEFAULT_MAX_PARTS",
    "DEFAULT_MAX_PREAMBLE_SIZE",
)

from .__about__ import __version__ as __version__
from ._disposition import (
    content_disposition_filename as content_disposition_filename,
    parse_content_disposition as parse_content_disposition,
)
from ._limits import (
    DEFAULT_MAX_BODY_SIZE as DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_EPILOGUE_SIZE as DEFAULT_MAX_EPILOGUE_SIZE,
    DEFAULT_MAX_LINE_SIZE as DEFAULT_MAX_LINE_SIZE,
    DEFAULT_MAX_NESTING_DEPTH as DEFAULT_MAX_NESTING_DEPTH,
    DEFAULT_MAX_PART_HEADER_SIZE as DEFAULT_MAX_PART_HEADER_SIZE,
    DEFAULT_MAX_PART_HEADERS as DEFAULT_MAX_PART_HEADERS,
    DEFAULT_MAX_PART_SIZE as DEFAULT_MAX_PART_SIZE,
    DEFAULT_MAX_PARTS as DEFAULT_MAX_PARTS,
    DEFAULT_MAX_PREAMBLE_SIZE as DEFAULT_MAX_PREAMBLE_SIZE,
)
from ._reader import (
    BodyPartReader as BodyPartReader,
    MultipartReader as MultipartReader,
    MultipartResponseWrapper as MultipartResponseWrapper,
)
from ._source import ContentStream as ContentStream, ResponseLike as ResponseLike
from ._warnings import (
    BadContentDispositionHeader as BadContentDispositionHeader,
    BadContentDispositionParam as BadContentDispositionParam,
)
from ._writer import BodyPartWriter as BodyPartWriter, MultipartWriter as MultipartWriter
